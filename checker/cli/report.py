"""`checker report`: the verdicts on scenario files as one self-contained HTML page, and the
atomic file writer every command that writes a report uses (`check -o`)."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable, List, NoReturn, Optional

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    EXIT_ERROR,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    app,
    collect_scenarios,
    err,
    exit_for,
    fail,
    parse_assignments,
)
from checker.errors import CheckerError, UsageError

DEFAULT_EXPLANATIONS = 50    # derivations per scenario and reading: 0.05-0.15 s each on a long history
DEPTH = 8
# which duties are explained first when not all of them can be: the worst verdicts
_FIRST = ("breached", "late", "discharged", "pending", "not_fired", "fulfilled", "complied")
_RULE_LINES = 8               # at most this many lines of a rule are quoted


@app.command()
def report(
    scenarios: List[Path] = typer.Argument(..., metavar="SCENARIO...", help="Scenario files, or folders of them."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE.html", dir_okay=False,
                                          help="Write the page to this file (atomically; an existing file only "
                                               "with --force). Default: standard output, unless it is a terminal."),
    force: bool = typer.Option(False, "--force", help="Replace FILE.html if it exists."),
    all_readings: bool = typer.Option(False, "--all-readings", help="Check under every combination of the "
                                      "pack's readings (--reading holds one fixed); the page has a selector "
                                      "to switch between them."),
    explanations: int = typer.Option(DEFAULT_EXPLANATIONS, "--explanations", metavar="N", min=0,
                                     help="Include the derivation of at most N duties per scenario and reading, "
                                          "the breached and late first (0: none). Each takes a query on a long history."),
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="The page's title (default: the "
                                        "scenario's title)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
) -> None:
    """Write a self-contained HTML report: every duty on a timeline (one lane of events per
    party, a bar per duty from the day it fired to its deadline, coloured and labelled by
    status), filters by party, provision, status and id, and each duty's explanation on a
    click. It needs no network and opens offline in any browser.

    Exit codes: 0 nothing breached, 1 something breached or late, 2 a file was rejected
    (the others are still in the report), FILE.html exists (without --force) or is one of the
    inputs, or the options make no sense.

    Example: checker report SCENARIO.yaml -o report.html
    """
    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        files = collect_scenarios(scenarios)
        target = check_target(output, files, force)
    except CheckerError as exc:
        fail(exc)
    if target is None and sys.stdout.isatty():
        fail(UsageError("report: the page is HTML: give -o FILE.html (or redirect standard output)"))
    html_report(files, target, force, rules=rules, as_of=as_of, readings=readings, params=params, timeout=timeout,
                all_readings=all_readings, limit=explanations, title=title)


def html_report(files: List[Path], target: Path | None, force: bool, *, rules, as_of, readings: dict, params: dict,
                timeout, all_readings: bool, limit: int = DEFAULT_EXPLANATIONS, title: str | None = None) -> NoReturn:
    """Check ``files``, write the page to ``target`` (atomically) or to standard output, and
    end with the exit code `check` gives."""
    from checker.render.html import render_html

    sections, rejected = gather_sections(files, rules=rules, as_of=as_of, readings=readings, params=params,
                                         timeout=timeout, all_readings=all_readings, limit=limit)
    if sections:
        page = render_html(sections, title=title)
        if target is None:
            sys.stdout.write(page)
        else:
            try:
                write_atomically(target, [page], force)
            except CheckerError as exc:
                fail(exc)
    if rejected or not sections:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(v.verdicts.breached for s in sections for v in s.variants))


# --- writing ---------------------------------------------------------------------------------

def check_target(output: Path | None, inputs: Iterable[Path], force: bool) -> Path | None:
    """The file a report will be written to, checked before any work is done: never one of
    the inputs, never an existing file unless ``force``, in a folder that exists."""
    if output is None or str(output) == "-":
        return None
    for path in inputs:
        try:
            if output.exists() and os.path.samefile(output, path):
                raise UsageError(f"{output}: is one of the inputs; the report never overwrites an input")
        except OSError:
            continue
    if output.is_dir():
        raise UsageError(f"{output}: is a folder; give a file name")
    if output.exists() and not force:
        raise UsageError(f"{output}: exists; give --force to replace it")
    if not output.parent.is_dir():
        raise UsageError(f"{output}: no such folder {str(output.parent)!r}")
    return output


def write_atomically(target: Path, chunks: Iterable[str], force: bool) -> None:
    """Write ``chunks`` to ``target`` so that a reader sees the old file or the whole new one:
    a temporary file in the same folder, flushed to disk, then renamed over (without
    ``force``, linked, which fails if ``target`` appeared meanwhile)."""
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        if force:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _link_new(tmp: str, target: Path) -> None:
    """Move ``tmp`` to ``target`` unless ``target`` exists (a hard link fails then)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise UsageError(f"{target}: exists; give --force to replace it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        if target.exists():  # a file system with no hard links: check, then rename
            raise UsageError(f"{target}: exists; give --force to replace it") from None
        os.replace(tmp, target)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (POSIX; elsewhere there is nothing to open)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- what the page shows ---------------------------------------------------------------------

def gather_sections(files: List[Path], *, rules, as_of, readings: dict, params: dict, timeout,
                    all_readings: bool, limit: int):
    """One section per scenario file that loads (the others' problems on stderr), and whether
    some file was rejected. A usage problem (the same for every file) ends the command."""
    sections, rejected = [], False
    for path in files:
        try:
            sections.append(_section(path, rules=rules, as_of=as_of, readings=readings, params=params,
                                     timeout=timeout, all_readings=all_readings, limit=limit))
        except UsageError as exc:
            fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            rejected = True
    return sections, rejected


def _section(path: Path, *, rules, as_of, readings, params, timeout, all_readings: bool, limit: int):
    from checker.engine.check import check_file_keeping_control
    from checker.render.html import Section

    verdicts, pack, control = check_file_keeping_control(
        path, rules_root=rules, as_of=as_of, readings=readings, parameters=params, timeout=timeout, keep=limit > 0)
    explained_of = len(verdicts.obligations) + len(verdicts.not_fired)
    base = _explained(verdicts, pack, control, _ranked(verdicts)[:limit])
    variants, selected, depends_on = [base], 0, {}
    if all_readings:
        from checker.analysis.worlds import all_readings as every_reading

        grid = every_reading(path, rules_root=rules, as_of=as_of, readings=readings, parameters=params,
                             timeout=timeout)
        depends_on = {r["id"]: r["depends_on"] for r in grid.rows() if not r["invariant"]}
        variants, given = [], dict(verdicts.scenario.readings)
        for combo, other in zip(grid.combos, grid.verdicts):
            if dict(combo) == given:   # the readings in effect: checked, and explained, already
                selected = len(variants)
                variants.append(base)
                continue
            # under another reading, only what that reading changes is explained
            ranked = [i for i in _ranked(other) if i in depends_on]
            variants.append(_explained(other, pack, None, ranked[:limit]))
    trees = [t for v in variants for t in v.explanations.values()]
    trees += [w["tree"] for v in variants for ws in v.witnesses.values() for w in ws]
    return Section(title=verdicts.scenario.title, pack=pack, variants=variants, selected=selected,
                   depends_on=depends_on, sources=_cited_lines(trees, pack), explained_of=explained_of)


def _ranked(verdicts) -> list[str]:
    """The ids of the duties that fired or were blocked, the worst verdicts (and, in a scenario
    with uncertain facts, the uncertain ones) first, in the report's order otherwise."""
    rank = {s: i for i, s in enumerate(_FIRST)}
    items = [(o.certainty == "certain", min(rank.get(s, len(rank)) for s in o.statuses), n, o.id)
             for n, o in enumerate(verdicts.obligations)]
    offset = len(items)
    items += [(n.certainty == "certain", rank["not_fired"], offset + i, n.id) for i, n in enumerate(verdicts.not_fired)]
    return [item[-1] for item in sorted(items)]


def _explained(verdicts, pack, control, ids: list[str]):
    """The verdicts with the derivations of ``ids`` (a witness world for each possible status
    where the scenario has uncertain facts)."""
    from checker.analysis.derivations import explain_verdicts, explain_witnesses
    from checker.render.html import Variant

    if not ids:
        return Variant(verdicts)
    if verdicts.scenario.uncertain:
        # a witness costs a solve of its world: the duties whose verdict depends on the world,
        # and the breaches that hold in every world, are worth it; the rest hold in every world
        worth = {o.id for o in verdicts.obligations if o.certainty != "certain" or o.status in ("breached", "late")}
        ids = [i for i in ids if i in worth]
        witnesses: dict = {}
        for entry in explain_witnesses(verdicts, pack, ids, DEPTH):
            witnesses.setdefault(entry["obligation"], []).append(entry)
        return Variant(verdicts, witnesses=witnesses)
    entries = explain_verdicts(verdicts, pack, ids, DEPTH, control=control)
    return Variant(verdicts, explanations={e["obligation"]: e["tree"] for e in entries})


def _cited_lines(trees: list[dict], pack) -> dict:
    """file -> line -> text, for every scenario line and rule the trees cite (a rule's whole
    statement, up to _RULE_LINES lines); files are found as cited, else under the folder the
    rules are cited from."""
    wanted: dict[str, set[int]] = {}

    def visit(node: dict) -> None:
        for key in ("source", "rule"):
            _want(wanted, node.get(key))
        for c in node.get("considered", ()):
            _want(wanted, c.get("source"))
        for child in node.get("children", ()):
            visit(child)

    for tree in trees:
        visit(tree)
    roots = [Path.cwd(), pack.folder.parent.parent]
    out: dict[str, dict[int, str]] = {}
    for file, lines in wanted.items():
        text = _read_lines(file, roots)
        if text is None:
            continue
        rule = file.endswith(".lp")
        out[file] = {n: _statement(text, n) if rule else text[n - 1] for n in sorted(lines) if 0 < n <= len(text)}
    return out


def _want(wanted: dict[str, set[int]], where: str | None) -> None:
    if not where or ":" not in where:
        return
    file, _, line = where.rpartition(":")
    if line.isdigit():
        wanted.setdefault(file, set()).add(int(line))


def _read_lines(file: str, roots: list[Path]) -> list[str] | None:
    path = Path(file)
    for candidate in ([path] if path.is_absolute() else [root / path for root in roots]):
        try:
            return candidate.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    return None


def _statement(lines: list[str], n: int) -> str:
    """The rule starting on line ``n``, to its closing full stop (at most _RULE_LINES lines)."""
    out = []
    for line in lines[n - 1:n - 1 + _RULE_LINES]:
        out.append(line)
        code = line.split("%", 1)[0].rstrip()
        if code.endswith("."):
            break
    return "\n".join(out)
