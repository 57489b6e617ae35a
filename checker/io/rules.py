"""The rule files of a pack, confined to its folder: what clingo will read, checked before it
reads it.

A rule pack is code from other people, and clingo reads whatever a rule file names in an
``#include`` (an absolute path, ``../`` out of the pack, ``/dev/stdin``, a FIFO that never
opens) and runs whatever ``#script`` holds. So before a pack is loaded, every rule file must
be a regular file inside the pack's folder or ``rules/common/`` (symlinks resolved), and so
must every file it includes; ``#script`` is refused, wherever it is.

clingo's own parser follows an ``#include`` as it meets it (its AST has no node for one: the
included file's statements arrive in its place), so includes are found first by a scan that
follows clingo's lexer (comments, nested block comments, strings, script bodies) and never
opens what they name; only once every include is known to be confined are the files parsed
with clingo's AST, which finds each ``#script`` with its line and confirms that every
statement comes from a file that was checked. A problem is ``FILE:LINE: include|script|rules:
message``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from checker.errors import PackError, Problem
from checker.io.files import read_text

RULE_BYTES = 4 * 1024 * 1024   # a rule file is a few pages
SCRIPT_REFUSED = "a rule pack may not run a program (#script): its rules are data to the checker, not code"
# where a token that matters may start: the scan skips everything else at once
_MAY_MATTER = re.compile(r'[\n%"#]')
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@dataclass(frozen=True)
class Directive:
    """An ``#include`` or a ``#script`` of a rule file, and why it is refused (None: an
    include of a file the pack may read)."""

    file: str
    line: int
    kind: str              # "include" or "script"
    target: str | None     # the file (or <name>) an include names
    refused: str | None


def check_rule_files(files: Iterable[Path], roots: Iterable[Path]) -> tuple[list[Problem], list[Directive]]:
    """The problems that keep ``files`` from being loaded (a file outside ``roots`` or not a
    regular file, an include that leaves them, a ``#script``), and every directive found."""
    roots = [Path(r).resolve() for r in roots]
    problems: list[Problem] = []
    directives: list[Directive] = []
    checked: set[Path] = set()
    readable: list[Path] = []
    for path in files:
        path = Path(path)
        refused = _outside(path, roots)
        if refused:
            problems.append(Problem(str(path), 1, "rules", f"{path.name} {refused}"))
            continue
        found = _follow(path, roots, checked, problems)
        if any(d.refused for d in found):
            directives.extend(found)  # never parsed: the scan's scripts stand
        else:
            directives.extend(d for d in found if d.kind == "include")
            readable.append(path)
    for path in readable:  # every include of these is confined: clingo may parse them
        directives.extend(_scripts(path, checked))
    problems.extend(Problem(d.file, d.line, d.kind, d.refused) for d in directives if d.refused)
    return problems, directives


_CONFINED: dict = {}  # the listed files' identities -> True: packs without includes, checked once


def confined(files: list[Path], roots: Iterable[Path]) -> list[Path]:
    """``files``, once check_rule_files finds nothing wrong with them; PackError otherwise."""
    roots = list(roots)
    key = (tuple(_identity(p) for p in files), tuple(str(r) for r in roots))
    if key in _CONFINED:
        return files
    problems, directives = check_rule_files(files, roots)
    if problems:
        raise PackError(problems)
    if not directives:  # an include may resolve differently from another folder: never cached
        _CONFINED[key] = True
    return files


def _identity(path: Path) -> tuple:
    try:
        info = os.lstat(path)
        target = os.stat(path) if stat.S_ISLNK(info.st_mode) else info
        return str(path), info.st_ino, info.st_mtime_ns, target.st_ino, target.st_mtime_ns, target.st_size
    except OSError:
        return str(path), None


def _outside(path: Path, roots: list[Path]) -> str | None:
    """Why clingo may not read ``path`` (None: it may): it is missing, resolves outside
    ``roots``, or is no regular file."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "does not exist (or is a link to nothing)"
    if not any(real.is_relative_to(root) for root in roots):
        return f"is {real}, outside the pack's folder, those of the packs it extends and rules/common/"
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a FIFO, a device or a folder), which clingo would wait on or read without end"
    return None


def _follow(path: Path, roots: list[Path], checked: set[Path], problems: list[Problem]) -> list[Directive]:
    """The directives of ``path`` and of every file it includes that may be read."""
    real = path.resolve()
    if real in checked:
        return []
    checked.add(real)
    try:
        text = read_text(real, str(path), limit=RULE_BYTES, what="rule files", error=PackError)
    except PackError as exc:
        problems.extend(exc.problems or [Problem(str(path), 1, "rules", exc.text)])
        return []
    out = []
    for kind, line, target in lexed_directives(text):
        if kind == "script":  # (where the file is parsed, clingo's AST says it: see _scripts)
            out.append(Directive(str(path), line, "script", None, SCRIPT_REFUSED))
            continue
        where, refused = _included(target, path, roots)
        out.append(Directive(str(path), line, "include", target, refused))
        if refused is None:
            out.extend(_follow(where, roots, checked, problems))
    return out


def _included(target: str | None, including: Path, roots: list[Path]) -> tuple[Path | None, str | None]:
    """The file an ``#include "target".`` of ``including`` makes clingo open, and why it is
    refused (None: it is confined). clingo looks for it from the working folder first, then
    beside the including file: so does this."""
    if target is None:
        return None, "cannot tell which file it names (write #include \"FILE.lp\".)"
    if target.startswith("<"):
        return None, f"{target} is one of clingo's built-in programs, which run a script: not in a rule pack"
    if Path(target).is_absolute():
        return None, (f"{target!r} is an absolute path: a pack includes only files of its own folder, "
                      "of the packs it extends and of rules/common/, by a path from the including file")
    first = Path(target)
    where = first if os.path.exists(first) else including.parent / target
    refused = _outside(where, roots)
    return (None, f"{target!r} {refused}") if refused else (where, None)


def _scripts(path: Path, checked: set[Path]) -> Iterator[Directive]:
    """Each ``#script`` of ``path`` (or of a file it includes), as clingo's AST has it; and any
    statement from a file that was not checked (which the scan should have found)."""
    from clingo import ast

    found: list[Directive] = []
    strays: dict[str, int] = {}

    def take(stm) -> None:
        begin = stm.location.begin
        if stm.ast_type == ast.ASTType.Script:
            found.append(Directive(begin.filename, begin.line, "script", None, SCRIPT_REFUSED))
        elif begin.filename and Path(begin.filename).resolve() not in checked:
            strays.setdefault(begin.filename, begin.line)

    try:
        ast.parse_files([str(path)], take, logger=lambda _code, _message: None)
    except RuntimeError:
        pass  # a syntax error: the loader, or lint's parse check, says where
    yield from found
    for name, line in strays.items():
        yield Directive(str(path), 1, "include", name,
                        f"reads {name} (line {line}), which the scan of its includes did not find")


# --- a lexer for directives, after clingo's (libgringo's nongroundlexer) --------------------------

def lexed_directives(text: str) -> Iterator[tuple[str, int, str | None]]:
    """``("include", line, target)`` and ``("script", line, None)`` for each ``#include`` and
    ``#script`` clingo's lexer would see in ``text`` (not in a comment or a string); ``target``
    is the included file (``<name>`` for a built-in one), None when it cannot be told."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("%*", i):
            i, line = _block_comment(text, i + 2, line)
        elif c == "%" or text.startswith("#!", i):
            i = _line_end(text, i)
        elif c == '"':
            i = _string(text, i)[0]
        elif _keyword(text, i, "#script"):
            yield "script", line, None
            end = text.find("#end", i)
            end = n if end < 0 else end + 4
            line += text.count("\n", i, end)
            i = end
        elif _keyword(text, i, "#include"):
            start = line
            target, i, line = _include_target(text, i + len("#include"), line)
            yield "include", start, target
        else:
            found = _MAY_MATTER.search(text, i + 1)
            i = found.start() if found else n


def _keyword(text: str, i: int, word: str) -> bool:
    """Whether ``word`` starts at ``i`` as a whole keyword (``#includes`` is another one)."""
    end = i + len(word)
    return text.startswith(word, i) and (end >= len(text) or text[end] not in _WORD)


def _line_end(text: str, i: int) -> int:
    """Where the line comment at ``i`` ends (at its newline, which is not part of it)."""
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _block_comment(text: str, i: int, line: int) -> tuple[int, int]:
    """The end of a ``%* ... *%`` comment whose body starts at ``i`` (they nest, and a ``%``
    inside one starts a line comment), and the line there."""
    depth, n = 1, len(text)
    while i < n and depth:
        if text[i] == "\n":
            line += 1
            i += 1
        elif text.startswith("*%", i):
            depth -= 1
            i += 2
        elif text.startswith("%*", i):
            depth += 1
            i += 2
        elif text[i] == "%":
            i = _line_end(text, i)
        else:
            i += 1
    return i, line


def _string(text: str, i: int) -> tuple[int, str | None]:
    """The end of the string that opens at ``i``, and its value (None: not closed on its line)."""
    out, j, n = [], i + 1, len(text)
    while j < n:
        c = text[j]
        if c == '"':
            return j + 1, "".join(out)
        if c == "\n":
            break
        if c == "\\" and j + 1 < n and text[j + 1] in '"\\n':
            out.append("\n" if text[j + 1] == "n" else text[j + 1])
            j += 2
            continue
        out.append(c)
        j += 1
    return i + 1, None


def _include_target(text: str, i: int, line: int) -> tuple[str | None, int, int]:
    """What the ``#include`` whose name ends at ``i`` names, and where (and on which line) the
    scan goes on: blanks and comments may stand before its ``"file"`` or ``<name>``."""
    n = len(text)
    while i < n:
        if text[i] == "\n":
            line += 1
            i += 1
        elif text[i] in " \t\r":
            i += 1
        elif text.startswith("%*", i):
            i, line = _block_comment(text, i + 2, line)
        elif text[i] == "%" or text.startswith("#!", i):
            i = _line_end(text, i)
        else:
            break
    if i < n and text[i] == '"':
        end, value = _string(text, i)
        return value, end, line
    if i < n and text[i] == "<":
        end = text.find(">", i)
        if end > 0 and "\n" not in text[i:end]:
            return text[i:end + 1], end + 1, line
    return None, i, line
