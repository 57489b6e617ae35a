"""Mutation testing of rule packs: does the corpus notice when a rule says something else?

Each rule of a pack's files (and of ``rules/common``) is parsed once with clingo's AST API
and changed at one point by one *operator* (see OPERATORS), through a ``clingo.ast``
Transformer; the mutant file is the changed statement list printed back with ``str``. A
mutant is then run against the pack's corpus (the ``expect:`` blocks of the scenarios that
name the pack), scenarios that reach the mutated rule first, until one expectation fails,
and then, if it is still alive, against the unit tests the pack names (its manifest's
``tests:``, pytest paths under the folder that holds the rules folder, run with
``CHECKER_TEST_RULES`` set to the mutated rules folder).

A mutant is *killed* (by the expectation or test named), *survived*, *invalid* (clingo
rejects it, or the pack then gives no or several answer sets: a pack error), *timeout*, or
*equivalent*: a survivor the maintainer has shown cannot change a verdict, by a comment
``% mutate: equivalent [SELECTOR] - REASON`` on one of the rule's lines or in the comment
lines right above it (SELECTOR, when given, is text the mutation's description contains,
e.g. ``delete: seq(P, S)``), or one the rules of the packs named show cannot (a shared rule
dead in them: checker.maintain.derivable). The score is killed / (killed + survived). A pack
that extends another is judged on the rule files of its own folder. docs/mutation.md says
more. Nothing here prints; results are values.

One module, though long: making mutants, planning which scenarios judge them and judging
them in worker processes share the Mutant and Plan records and the pack's parsed rules;
split, each part would import every other.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import tempfile
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from checker.engine.pool import worker_pool
from checker.errors import CheckerError, PackError, Problem, SolveTimeout, UsageError
from checker.io.pack import COMMON, MANIFEST, PROVISION_ID, Pack, load_pack, read_manifest, rule_files

OPERATORS = ("comparison", "constant", "delete", "negate", "swap")
OPERATOR_HELP = {
    "comparison": "a comparison flipped at its edge: <= and <, >= and >, = and !=",
    "constant": "an integer constant moved by one, up and down",
    "delete": "one body literal deleted (in a rule's body or an aggregate's condition)",
    "negate": "one body atom negated, or its `not` removed",
    "swap": "two different variables swapped where they are arguments of one term",
}
STATUSES = ("killed", "survived", "equivalent", "invalid", "timeout")
TESTS_KEY = "tests"
RULES_ENV = "CHECKER_TEST_RULES"  # the rules folder a pack's unit tests must read
DEFAULT_SCENARIO_TIMEOUT = 20.0   # seconds per scenario: a mutant that makes grounding explode
MARK = re.compile(r"%\s*mutate:\s*equivalent\b\s*(?P<selector>.*?)\s+-\s+(?P<reason>\S.*?)\s*$")
_ENCODES = re.compile(r"^\s*Encodes\s*:\s*(.+)$", re.MULTILINE)

_FLIP = {"<=": "<", "<": "<=", ">=": ">", ">": ">=", "=": "!=", "!=": "="}


# --- the mutants ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutant:
    """One single-point change of one rule file."""

    id: int
    file: str          # as shown: relative to the working folder where possible
    relative: str      # the file's path inside the rules folder (common/x.lp, <pack>/x.lp)
    line: int
    column: int
    rule_line: int     # the first line of the rule it changes
    operator: str
    before: str
    after: str
    provision: str     # the provision the rule serves (see _provisions_served), or the file's
    packs: tuple[str, ...]  # the packs whose corpus and tests judge it
    # why it cannot change a verdict of any of those packs (checker.maintain.derivable): a
    # survivor it excuses is equivalent, as one a maintainer's mark excuses; or None
    static: str | None = None

    @property
    def mutation(self) -> str:
        if self.operator == "delete":
            return f"delete: {self.before}"
        return f"{self.operator}: {self.before} -> {self.after}"


@dataclass(frozen=True)
class Mark:
    """A maintainer's ``% mutate: equivalent`` comment: which survivors of a rule it excuses, and why."""

    file: str
    line: int
    rule_line: int
    selector: str
    reason: str

    def covers(self, mutant: Mutant) -> bool:
        if mutant.file != self.file or mutant.rule_line != self.rule_line:
            return False
        return not self.selector or _squash(self.selector) in _squash(mutant.mutation)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Sites:
    """Counts the places an operator applies in one statement and says which one to change.

    Each operator is a clingo.ast.Transformer (below) that calls ``site(node, replacement)``
    at each place and uses the replacement only when told so: a walk with no target lists
    the places, a walk with target k builds mutant k."""

    def __init__(self, target: int | None):
        self.target, self.count, self.found = target, 0, []

    def site(self, node, replacement, after: str | None = None) -> bool:
        index = self.count
        self.count += 1
        where = _location(node)
        self.found.append((where.begin.line, where.begin.column, str(node),
                           str(replacement) if after is None else after))
        return index == self.target


def _location(node):
    """Where a node starts (an atom or a comparison has no location of its own: its first term's)."""
    if "location" in node.keys():
        return node.location
    for key in node.child_keys:
        child = getattr(node, key)
        if child is not None and not hasattr(child, "ast_type"):
            child = child[0] if len(child) else None  # a sequence of nodes
        if child is not None:
            return _location(child)
    raise ValueError(f"no location in {node}")


def _transformers():
    """The operators, built on first use (clingo is imported only by the commands that solve)."""
    from clingo import Number, SymbolType, ast
    from clingo.ast import ASTType, ComparisonOperator, Sign

    ops = {ComparisonOperator.LessEqual: "<=", ComparisonOperator.LessThan: "<",
           ComparisonOperator.GreaterEqual: ">=", ComparisonOperator.GreaterThan: ">",
           ComparisonOperator.Equal: "=", ComparisonOperator.NotEqual: "!="}
    codes = {v: k for k, v in ops.items()}

    class Operator(ast.Transformer):
        def __init__(self, sites: _Sites):
            self.sites = sites

        def walk(self, node):
            """The node with its children transformed (what the default visit does)."""
            return node.update(**self.visit_children(node))

    class Comparison(Operator):
        def visit_Comparison(self, node):
            guards = list(node.guards)
            for i, guard in enumerate(guards):
                flipped = guard.update(comparison=codes[_FLIP[ops[guard.comparison]]])
                new = node.update(guards=guards[:i] + [flipped] + guards[i + 1:])
                if self.sites.site(node, new):
                    return new
            return node

    class Constant(Operator):
        def visit_SymbolicTerm(self, node):
            if node.symbol.type != SymbolType.Number:
                return node
            for moved in (node.symbol.number + 1, node.symbol.number - 1):
                new = node.update(symbol=Number(moved))
                if self.sites.site(node, new):
                    return new
            return node

    class Delete(Operator):
        def drop(self, node, key):
            items = list(getattr(node, key))
            for i, item in enumerate(items):
                if self.sites.site(item, None, after=""):
                    return node.update(**{key: items[:i] + items[i + 1:]})
            return self.walk(node)

        def visit_Rule(self, node):  # the head is left alone: only its body and conditions
            items = list(node.body)
            for i, item in enumerate(items):
                if self.sites.site(item, None, after=""):
                    return node.update(body=items[:i] + items[i + 1:])
            return node.update(body=[self(lit) for lit in items])

        def visit_BodyAggregateElement(self, node):
            return self.drop(node, "condition")

        def visit_ConditionalLiteral(self, node):
            return self.drop(node, "condition")

    class Negate(Operator):
        def visit_Rule(self, node):  # heads are not negated: only the body
            return node.update(body=[self(lit) for lit in node.body])

        def visit_Literal(self, node):
            if node.atom.ast_type != ASTType.SymbolicAtom:
                return self.walk(node)
            if node.sign == Sign.DoubleNegation:
                return node
            new = node.update(sign=Sign.NoSign if node.sign == Sign.Negation else Sign.Negation)
            return new if self.sites.site(node, new) else node

    class Swap(Operator):
        def visit_SymbolicAtom(self, node):
            new = self.swap(node.symbol)
            return node if new is None else node.update(symbol=new)

        def swap(self, term):
            """The term with the target pair of sibling variables swapped, or None."""
            if term.ast_type != ASTType.Function:
                return None
            args = list(term.arguments)
            for i in range(len(args)):
                for j in range(i + 1, len(args)):
                    a, b = args[i], args[j]
                    if a.ast_type != ASTType.Variable or b.ast_type != ASTType.Variable \
                            or a.name == b.name or "_" in (a.name, b.name):
                        continue
                    swapped = list(args)
                    swapped[i], swapped[j] = b.update(location=a.location), a.update(location=b.location)
                    new = term.update(arguments=swapped)
                    if self.sites.site(term, new):
                        return new
            for k, arg in enumerate(args):
                new = self.swap(arg)
                if new is not None:
                    return term.update(arguments=args[:k] + [new] + args[k + 1:])
            return None

    return {"comparison": Comparison, "constant": Constant, "delete": Delete, "negate": Negate,
            "swap": Swap}


@dataclass
class RuleFile:
    """A rule file, parsed once: its statements, its rules' spans and equivalence marks."""

    path: Path            # absolute
    relative: str         # inside the rules folder
    shown: str
    text: str
    statements: list
    packs: tuple[str, ...]
    provisions: tuple[str, ...] = ()  # its header's Encodes, those its pack declares
    marks: list[Mark] = field(default_factory=list)

    _parts: list[str] | None = None

    def printed(self, replaced: dict[int, object] | None = None) -> str:
        """The program text of the file's statements (with ``replaced`` ones swapped in)."""
        if self._parts is None:
            self._parts = [str(s) + "\n" for s in self.statements]
        replaced = replaced or {}
        return "".join(str(replaced[i]) + "\n" if i in replaced else part for i, part in enumerate(self._parts))


def parse_rule_file(path: Path, relative: str, shown: str, packs: tuple[str, ...],
                    provisions: tuple[str, ...] = ()) -> RuleFile:
    """A rule file parsed into statements, its equivalence marks read; PackError if it does not parse."""
    from clingo import ast

    from checker.io.files import read_text

    text = read_text(path, shown, what="rule files", error=PackError)
    statements: list = []
    messages: list[str] = []
    try:
        ast.parse_string(text, statements.append,
                         logger=lambda _code, message: messages.append(message.strip()))
    except RuntimeError:
        first = messages[0].splitlines()[0] if messages else "does not parse"
        raise PackError(f"{shown}: rules: {first.replace('<string>', shown)}") from None
    rule_file = RuleFile(path, relative, shown, text, statements, packs, provisions)
    rule_file.marks = _marks(rule_file)
    return rule_file


def _marks(rule_file: RuleFile) -> list[Mark]:
    """The ``% mutate: equivalent`` comments of a file, each tied to the rule it stands on or above."""
    from clingo.ast import ASTType

    lines = rule_file.text.splitlines()
    spans = [(s.location.begin.line, s.location.end.line) for s in rule_file.statements
             if s.ast_type == ASTType.Rule]
    owner: dict[int, int] = {}
    for first, last in spans:
        for n in range(first, last + 1):
            owner[n] = first
        n = first - 1  # the comment lines right above the rule belong to it
        while n >= 1 and lines[n - 1].lstrip().startswith("%") and n not in owner:
            owner[n] = first
            n -= 1
    out = []
    for n, line in enumerate(lines, 1):
        m = MARK.search(line)
        if m and n in owner:
            out.append(Mark(rule_file.shown, n, owner[n], m.group("selector").strip(), m.group("reason").strip()))
        elif m:
            raise PackError([Problem(rule_file.shown, n, "mutate",
                                     "an equivalence mark must stand on a rule or in the comments right above it")])
    return out


def mutants_of(rule_file: RuleFile, operators: Sequence[str], pack_provisions: set[str],
               start: int = 0, programs: Sequence = ()) -> tuple[list[Mutant], list[str]]:
    """Every single-point mutant of ``rule_file`` under ``operators``, and the program text of
    each; ``programs`` (derivable.Program, one per pack that reads the file): a mutant that
    none of them can tell from its rule is marked ``static``."""
    from clingo.ast import ASTType

    made = _transformers()
    out: list[Mutant] = []
    texts: list[str] = []
    served = _provisions_served(rule_file, pack_provisions)
    for index, statement in enumerate(rule_file.statements):
        if statement.ast_type != ASTType.Rule:
            continue
        provision = served.get(index) or (rule_file.provisions[0] if rule_file.provisions else rule_file.relative)
        for operator in operators:
            listing = _Sites(None)
            made[operator](listing)(statement)
            for k, (line, column, before, after) in enumerate(listing.found):
                applying = _Sites(k)
                mutated = made[operator](applying)(statement)
                texts.append(rule_file.printed({index: mutated}))
                out.append(Mutant(start + len(out), rule_file.shown, rule_file.relative, line, column,
                                  statement.location.begin.line, operator, _one_line(before),
                                  _one_line(after), provision, rule_file.packs,
                                  _unchanged(programs, statement, mutated)))
    return out, texts


def _unchanged(programs: Sequence, original, mutated) -> str | None:
    """Why no program of ``programs`` can tell ``mutated`` from ``original`` (None: some may)."""
    reasons = [p.same_as(original, mutated) for p in programs]
    if not reasons or None in reasons:
        return None
    return "; ".join(dict.fromkeys(reasons))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _provisions_served(rule_file: RuleFile, pack_provisions: set[str]) -> dict[int, str]:
    """The provision each rule of the file serves, by statement index: the one its head names,
    else that of a rule of the same file whose body reads its head's predicate (a helper
    serves its reader). Rules that serve none are left out (the caller names the file's)."""
    from clingo import SymbolType
    from clingo.ast import ASTType

    def walk(node, found: list):
        if node.ast_type == ASTType.SymbolicTerm and node.symbol.type == SymbolType.String \
                and node.symbol.string in pack_provisions:
            found.append(node.symbol.string)
        elif node.ast_type == ASTType.Function:
            found.append(("predicate", node.name))
        for key in node.child_keys:
            child = getattr(node, key)
            for item in ([child] if child is None or hasattr(child, "ast_type") else child):
                if item is not None:
                    walk(item, found)
        return found

    heads, reads, served = {}, {}, {}
    for i, statement in enumerate(rule_file.statements):
        if statement.ast_type != ASTType.Rule:
            continue
        head = walk(statement.head, [])
        named = [x for x in head if isinstance(x, str)]
        if named:
            served[i] = named[0]
        heads[i] = next((x[1] for x in head if not isinstance(x, str)), None)
        reads[i] = {x[1] for lit in statement.body for x in walk(lit, []) if not isinstance(x, str)}
    for _ in range(3):  # helpers of helpers
        for i, name in heads.items():
            if i not in served and name is not None:
                reader = next((j for j in served if name in reads.get(j, ())), None)
                if reader is not None:
                    served[i] = served[reader]
    return served


# --- what the mutants are judged by ---------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """A corpus scenario: its file, its pack, how many events it has and how long it took."""

    path: str
    pack: str
    events: int
    seconds: float


@dataclass
class Plan:
    """Everything a run needs: the rules, the mutants, the corpus and the tests."""

    rules_root: Path
    project: Path
    packs: list[Pack]
    files: list[RuleFile]
    mutants: list[Mutant]
    texts: dict[int, str]
    scenarios: list[Scenario] = field(default_factory=list)
    tests: dict[str, tuple[str, ...]] = field(default_factory=dict)   # pack -> pytest paths
    reaching: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # (relative, line) -> scenarios
    generated: int = 0
    operators: tuple[str, ...] = OPERATORS
    sample: int | None = None
    seed: int | None = None
    # rule files a pack not named also reads: a mark there may excuse that pack's survivors
    shared_beyond: set[str] = field(default_factory=set)


def find_packs(paths: Sequence[Path]) -> tuple[Path, list[str]]:
    """The rules folder and the packs named by ``paths`` (pack folders, or rules folders meaning
    every pack in them); UsageError when they name none, or packs of different rules folders."""
    found: list[tuple[Path, str]] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
        if (p / MANIFEST).is_file():
            found.append((p.resolve().parent, p.resolve().name))
        elif p.is_dir() and any((c / MANIFEST).is_file() for c in p.iterdir() if c.is_dir()):
            found.extend((p.resolve(), c.name) for c in sorted(p.iterdir()) if (c / MANIFEST).is_file())
        else:
            raise UsageError(f"{p}: neither a rule pack (a folder with {MANIFEST}) nor a rules folder holding packs")
    roots = {root for root, _ in found}
    if len(roots) != 1:
        raise UsageError("name packs of one rules folder (they share its common/ rules), got: "
                         + ", ".join(sorted(map(str, roots))))
    names = list(dict.fromkeys(name for _, name in found))
    return roots.pop(), names


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def pack_tests(pack: Pack, project: Path) -> tuple[str, ...]:
    """The pytest paths the manifest's ``tests:`` names (relative to ``project``, the folder
    holding the rules folder); PackError for a path that is not there or leaves ``project``."""
    manifest = pack.folder / MANIFEST
    shown = _shown(manifest)
    data = read_manifest(manifest, shown)
    value = data.get(TESTS_KEY) if isinstance(data, dict) else None
    if value is None:
        return ()
    line = data.key_lines.get(TESTS_KEY, 1)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PackError([Problem(shown, line, TESTS_KEY, "must be a list of pytest paths")])
    out = []
    for v in value:
        target = (project / v).resolve()
        if not target.is_relative_to(project.resolve()):
            raise PackError([Problem(shown, line, TESTS_KEY, f"{v!r} is outside {project}")])
        if not target.exists():
            raise PackError([Problem(shown, line, TESTS_KEY, f"{v!r}: no such file or folder under {project}")])
        out.append(v)
    return tuple(out)


def _programs(packs: Sequence[Pack], files: Sequence[RuleFile]) -> dict:
    """The derivable predicates of each pack's whole program (checker.maintain.derivable)."""
    from checker.maintain.derivable import engine_inputs, fixed_facts, program

    inputs = engine_inputs()
    parsed = {f.path: f for f in files}
    out = {}
    for pack in packs:
        statements = []
        for path in rule_files(pack):
            rule_file = parsed.get(path) or parse_rule_file(path, path.name, _shown(path), (pack.name,))
            statements.extend(rule_file.statements)
        out[pack.name] = program(pack.name, statements, inputs, fixed_facts(pack))
    return out


def _read_beyond(root: Path, names: Sequence[str], files: Sequence[RuleFile]) -> set[str]:
    """The rule files (by their path in the rules folder) that a pack of ``root`` not in
    ``names`` reads too: the shared rules, when there is such a pack, and the files those of
    them that load read (a pack being written may not load: it is no reason to stop here)."""
    _, every = find_packs([root])
    others = [n for n in every if n not in names]
    read: set[Path] = set()
    for name in others:
        try:
            read.update(load_pack(name, root).rule_files)
        except CheckerError:
            continue
    return {f.relative for f in files if (others and f.relative.startswith(f"{COMMON}/")) or f.path in read}


def _judging_treaties(doc, names: Sequence[str]) -> list[str]:
    """The named packs whose expectations a scenario document holds: its one treaty, if it has
    an ``expect:`` list; of a history checked under several, those its ``expect:`` maps."""
    if not isinstance(doc, dict) or "expect" not in doc:
        return []
    named = doc.get("treaty")
    treaties = [str(t) for t in named] if isinstance(named, list) else [str(named)]
    expect = doc["expect"]
    if len(treaties) > 1 or isinstance(expect, dict):
        treaties = [t for t in treaties if isinstance(expect, dict) and t in expect]
    return [t for t in treaties if t in names]


def _judged_files(packs: Sequence[Pack], common: Sequence[Path]) -> list[Path]:
    """The rule files a run mutates, each once: rules/common and the files of a pack that
    extends none; of a pack that extends another, the files of its own folder (what it adds or
    replaces). The files a version inherits, and the shared rules, are its parent's: they are
    mutated when the parent is named, and then judged by the corpora of both."""
    out: list[Path] = []
    for pack in packs:
        if pack.parent is None:
            out.extend(common)
        own = pack.folder.resolve()
        out.extend(path for path in pack.rule_files if path.resolve().parent == own)
    return list(dict.fromkeys(out))


def plan(pack_paths: Sequence[Path], *, corpus: Sequence[Path] | None = None,
         operators: Sequence[str] = OPERATORS, sample: int | None = None, seed: int = 0) -> Plan:
    """Parse the packs' rule files once, make their mutants (a sample of them, if asked) and
    find the corpus and the tests that judge them."""
    from checker.io.files import scenario_files
    from checker.io.scenario import read_document

    unknown = [o for o in operators if o not in OPERATORS]
    if unknown:
        raise UsageError(f"--operators: unknown operator {unknown[0]!r} (known: {', '.join(OPERATORS)})")
    root, names = find_packs(pack_paths)
    packs = [load_pack(name, root) for name in names]
    project = root.parent
    files: list[RuleFile] = []
    common = sorted((root / COMMON).glob("*.lp"))
    for path in _judged_files(packs, common):
        readers = [pack for pack in packs if path in common or path in pack.rule_files]
        relative = path.relative_to(root).as_posix()
        if path in common:
            files.append(parse_rule_file(path, relative, _shown(path), tuple(names)))
            continue
        header = _ENCODES.search(path.read_text(encoding="utf-8", errors="replace"))
        encoded = tuple(dict.fromkeys(
            p for p in re.split(r"[,\s]+", header.group(1))
            if PROVISION_ID.fullmatch(p) and any(p in pack.provisions for pack in readers))) if header else ()
        files.append(parse_rule_file(path, relative, _shown(path), tuple(pk.name for pk in readers), encoded))
    mutants: list[Mutant] = []
    texts: dict[int, str] = {}
    by_pack = {p.name: set(p.provisions) for p in packs}
    programs = _programs(packs, files)
    for rule_file in files:
        provisions = set().union(*(by_pack[n] for n in rule_file.packs))
        made, made_texts = mutants_of(rule_file, operators, provisions, start=len(mutants),
                                      programs=[programs[n] for n in rule_file.packs])
        mutants.extend(made)
        texts.update((m.id, t) for m, t in zip(made, made_texts))
    generated = len(mutants)
    if sample is not None and sample < len(mutants):
        chosen = sorted(random.Random(seed).sample(range(len(mutants)), sample))
        mutants = [mutants[i] for i in chosen]
        texts = {m.id: texts[m.id] for m in mutants}
    result = Plan(root, project, packs, files, mutants, texts, generated=generated,
                  operators=tuple(operators), sample=sample, seed=seed if sample is not None else None,
                  shared_beyond=_read_beyond(root, names, files))

    folders = list(corpus) if corpus else [project / "facts"]
    missing = [p for p in folders if not p.exists()]
    if missing and corpus:
        raise UsageError(f"--corpus: {missing[0]}: no such file or folder")
    for path in scenario_files([p for p in folders if p.exists()]):
        try:
            doc = read_document(path, _shown(path))
        except CheckerError as exc:
            raise UsageError(exc.lines()[0]) from None
        for treaty in _judging_treaties(doc, names):
            result.scenarios.append(Scenario(_shown(path), treaty, len(doc.get("events") or []), 0.0))
    result.tests = {p.name: pack_tests(p, project) for p in packs}
    return result


# --- running ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What happened to one mutant: its class, what killed it (or why it is invalid or timed out)."""

    status: str
    by: str | None = None
    detail: str | None = None
    seconds: float = 0.0


class _Bench:
    """A worker's copy of the rules folder, where one mutant at a time is written and undone,
    and the corpus scenarios, loaded once against the copy (their pack's manifest never changes)."""

    def __init__(self, source: str, parent: str, project: str):
        self.root = Path(tempfile.mkdtemp(prefix="rules-", dir=parent)) / "rules"
        shutil.copytree(source, self.root, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        self.project = Path(project)
        self.loaded: dict[tuple[str, str], tuple] = {}
        self.several: set[str] = set()

    def scenario(self, path: str, treaty: str):
        if (path, treaty) not in self.loaded:
            from checker.io.scenario import load_document, read_document

            doc = read_document(Path(path), path)
            if isinstance(doc.get("treaty"), list):   # its cases are named TREATY::ID, as checker test names them
                self.several.add(path)
            self.loaded[path, treaty] = load_document(path, doc, rules_root=self.root, treaty=treaty)
        return self.loaded[path, treaty]

    def run(self, texts: dict[str, str], packs: Sequence[str], scenarios: Sequence[tuple[str, str]],
            tests: Sequence[Sequence[str]], timeout: float) -> Outcome:
        """Write ``texts`` (rule files by their path in the rules folder), judge them, and put
        the files back."""
        start = time.perf_counter()
        originals = {}
        for relative, text in texts.items():
            target = self.root / relative
            originals[target] = target.read_text(encoding="utf-8")
            target.write_text(text, encoding="utf-8")
        try:
            outcome = self._judge(packs, scenarios, tests, timeout)
        finally:
            for target, text in originals.items():
                target.write_text(text, encoding="utf-8")
        return Outcome(outcome.status, outcome.by, outcome.detail, time.perf_counter() - start)

    def _judge(self, packs, scenarios, tests, timeout) -> Outcome:
        from checker.maintain.expect import evaluate
        from checker.maintain.testing import case_names

        for name in packs:
            problem = rejected(load_pack(name, self.root))
            if problem:
                return Outcome("invalid", detail=problem)
        for path, treaty in scenarios:
            scenario, pack = self.scenario(path, treaty)
            try:
                verdicts = _check(scenario, pack, timeout)
            except SolveTimeout:
                return Outcome("timeout", by=path, detail=f"longer than {timeout:g} s")
            except CheckerError as exc:
                return Outcome("invalid", by=path, detail=exc.lines()[0])
            except Exception as exc:  # noqa: BLE001 - the engine could not read what the mutant gave
                return Outcome("invalid", by=path, detail=f"the engine could not read the answer: {exc}")
            outcomes = evaluate(verdicts)
            for case, o in zip(case_names([o.expectation for o in outcomes]), outcomes):
                if not o.passed:
                    case = f"{treaty}::{case}" if path in self.several else case
                    return Outcome("killed", by=f"{path}::{case}", detail=f"expected {o.expected}, got {o.actual}")
        for stage in tests:
            outcome = run_tests(self.project, stage)
            if outcome.status != "survived":
                return outcome
        return Outcome("survived")


def _check(scenario, pack: Pack, timeout: float):
    """check_scenario, with a second try when it gave up before ``timeout`` had passed (on a
    loaded machine clingo's wait for the search has been seen to return early)."""
    from checker.engine.check import check_scenario

    began = time.perf_counter()
    try:
        return check_scenario(scenario, pack, timeout=timeout)
    except SolveTimeout:
        if time.perf_counter() - began >= timeout:
            raise
    return check_scenario(scenario, pack, timeout=timeout)


def rejected(pack: Pack) -> str | None:
    """Why clingo refuses the pack's rules with no facts at all (unsafe variables, a bad
    term...), in one line; None when it grounds them."""
    import clingo

    from checker.engine.decode import REPORT_PART, SHOWN_PART

    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda _c, m: messages.append(m.strip()), message_limit=5)
    try:
        for path in rule_files(pack):
            ctl.load(str(path))
        ctl.ground([("base", []), (REPORT_PART, []), (SHOWN_PART, [])])
    except RuntimeError:
        return _clingo_says(messages)
    return None


_LOCATION = re.compile(r"^\S+?:\d+:\d+(?:-\d+(?::\d+)?)?:\s*")


def _clingo_says(messages: list[str]) -> str:
    """clingo's first error in one short line, without the (temporary) file and line it names."""
    if not messages:
        return "clingo refused the rules"
    lines = messages[0].splitlines()
    first = _LOCATION.sub("", lines[0]).removeprefix("error: ")
    unsafe = re.findall(r"note: '([^']+)' is unsafe", messages[0])
    if unsafe:
        return "unsafe variable" + ("s " if len(unsafe) > 1 else " ") + ", ".join(unsafe)
    return first if len(first) <= 160 else first[:157] + "..."


class _FirstFailure:
    """A pytest plugin that notes the first test (or module) that fails."""

    def __init__(self):
        self.failed: str | None = None

    def pytest_runtest_logreport(self, report):
        if report.failed and self.failed is None:
            self.failed = report.nodeid

    def pytest_collectreport(self, report):
        if report.failed and self.failed is None:
            self.failed = report.nodeid or "collection"


def run_tests(project: Path, args: Sequence[str]) -> Outcome:
    """Run pytest on ``args`` (paths under ``project``, and options) in this process, quietly,
    against the rules folder in ``CHECKER_TEST_RULES``: killed by the first test that fails,
    survived when all pass.

    In this process, not a new one: a worker calls it for mutant after mutant, and the test
    modules, clingo and the checker are then imported once (pytest.main may be called again;
    a test module it imported is reused, which is what is wanted: the tests do not change,
    the rules they read do)."""
    import contextlib
    import io

    import pytest

    collector = _FirstFailure()
    command = ["-q", "-x", "-p", "no:cacheprovider", "-p", "no:randomly", "--rootdir", str(project),
               "-c", str(project / "pyproject.toml") if (project / "pyproject.toml").is_file() else os.devnull,
               "-o", "addopts=", *(a if a.startswith("-") else str(project / a) for a in args)]
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = pytest.main(command, plugins=[collector])
    if code == pytest.ExitCode.OK:
        return Outcome("survived")
    if code == pytest.ExitCode.TESTS_FAILED and collector.failed:
        return Outcome("killed", by=collector.failed, detail="unit test failed")
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        return Outcome("survived")
    tail = (sink.getvalue().strip().splitlines() or ["no output"])[-1]
    return Outcome("invalid", by=collector.failed or "tests", detail=f"pytest exited {int(code)}: {tail}")


_BENCH: _Bench | None = None


def _start_worker(source: str, parent: str, project: str) -> None:
    """A worker's bench; the pack's unit tests, run in this worker, read its rules folder."""
    global _BENCH
    _BENCH = _Bench(source, parent, project)
    os.environ[RULES_ENV] = str(_BENCH.root)  # this worker process's own environment


def _work(task: tuple) -> tuple[int, Outcome]:
    mutant_id, *args = task
    assert _BENCH is not None
    return mutant_id, _BENCH.run(*args)


def test_stages(paths: Sequence[str], project: Path, relative: str) -> list[list[str]]:
    """The unit tests that judge a mutant of the rule file ``relative``: the test files under
    ``paths`` named after it (test_<stem>*.py: a test module per rule file), or, where it
    has none, every test under ``paths``."""
    stem = Path(relative).stem
    own: list[str] = []
    for p in paths:
        target = project / p
        candidates = [target] if target.is_file() else sorted(target.rglob("test_*.py"))
        own.extend(str(c.relative_to(project)) for c in candidates
                   if c.is_file() and c.stem.removeprefix("test_").startswith(stem))
    own = list(dict.fromkeys(own))
    return [own] if own else ([list(paths)] if paths else [])


@dataclass(frozen=True)
class Result:
    mutant: Mutant
    status: str
    by: str | None = None
    detail: str | None = None
    reason: str | None = None      # the equivalence mark's reason
    nearest: str | None = None     # the scenario that reaches the rule (survivors, equivalents)
    seconds: float = 0.0


@dataclass
class MutationReport:
    """A whole mutation run."""

    packs: list[str]
    results: list[Result]
    generated: int
    operators: tuple[str, ...]
    scenarios: int
    tests: dict[str, tuple[str, ...]]
    sample: int | None = None
    seed: int | None = None
    seconds: float = 0.0
    jobs: int = 1
    unused_marks: list[Mark] = field(default_factory=list)

    def counts(self, results: Sequence[Result] | None = None) -> dict[str, int]:
        results = self.results if results is None else results
        return {s: sum(1 for r in results if r.status == s) for s in STATUSES}

    @staticmethod
    def score_of(counts: dict[str, int]) -> float | None:
        judged = counts["killed"] + counts["survived"]
        return None if judged == 0 else 100.0 * counts["killed"] / judged

    @property
    def score(self) -> float | None:
        return self.score_of(self.counts())

    def groups(self, key: Callable[[Result], str]) -> list[tuple[str, list[Result]]]:
        out: dict[str, list[Result]] = {}
        for r in self.results:
            out.setdefault(key(r), []).append(r)
        return list(out.items())


def run(p: Plan, *, jobs: int | None = None, timeout: float | None = None,
        progress: Callable[[int, int, Result | None], None] | None = None) -> MutationReport:
    """Judge every mutant of the plan on ``jobs`` worker processes; UsageError when the corpus
    or the tests fail on the unmutated rules (a mutant could not be told apart from them)."""
    from checker.maintain.testing import default_jobs

    start = time.perf_counter()
    timeout = timeout or DEFAULT_SCENARIO_TIMEOUT
    jobs = max(1, jobs or default_jobs())
    with tempfile.TemporaryDirectory(prefix="checker-mutate-") as parent:
        bench = _Bench(str(p.rules_root), parent, str(p.project))
        _baseline_corpus(p, bench, timeout)
        _reach(p)
        tasks = [_task(p, m, timeout) for m in p.mutants]
        by_id = {m.id: m for m in p.mutants}
        outcomes: dict[int, Outcome] = {}
        # the pack's tests run in the workers (see run_tests): a pool even for one job; spawned,
        # for a forked worker would inherit the test modules a calling pytest run imported,
        # which read CHECKER_TEST_RULES when imported, and so judge the unmutated rules
        with worker_pool(jobs, _start_worker, (str(p.rules_root), parent, str(p.project)),
                         start_method="spawn") as pool:
            # the unmutated tests run first, next to the first mutants; the results wait for them
            baseline = _baseline_tests(p, pool, tasks)
            futures = [pool.submit(_work, task) for task in tasks]
            try:
                _baseline_passed(baseline)
            except UsageError:
                pool.shutdown(cancel_futures=True)
                raise
            if progress:
                progress(0, len(tasks), None)
            for n, future in enumerate(as_completed(futures), 1):
                mutant_id, outcome = future.result()
                outcomes[mutant_id] = outcome
                if progress:
                    progress(n, len(tasks), _result(by_id[mutant_id], outcome, p))
    results = [_result(m, outcomes[m.id], p) for m in p.mutants]
    used = {(r.mutant.file, r.mutant.rule_line, r.reason) for r in results if r.status == "equivalent"}
    unused = [mk for f in p.files if f.relative not in p.shared_beyond for mk in f.marks
              if (mk.file, mk.rule_line, mk.reason) not in used] \
        if p.sample is None and set(p.operators) == set(OPERATORS) else []
    return MutationReport([pk.name for pk in p.packs], results, p.generated, p.operators, len(p.scenarios),
                          p.tests, p.sample, p.seed, time.perf_counter() - start, jobs, unused)


def _baseline_corpus(p: Plan, bench: _Bench, timeout: float) -> None:
    """Run the corpus on the rules as printed back from their syntax trees (what every mutant
    differs from at one point), timing each scenario; UsageError if an expectation fails."""
    from checker.engine.check import check_scenario
    from checker.maintain.expect import evaluate

    for rule_file in p.files:
        (bench.root / rule_file.relative).write_text(rule_file.printed(), encoding="utf-8")
    try:
        for name in [pk.name for pk in p.packs]:
            problem = rejected(load_pack(name, bench.root))
            if problem:
                raise PackError(f"rules: {problem}")
        for i, s in enumerate(p.scenarios):
            began = time.perf_counter()
            try:
                scenario, pack = bench.scenario(s.path, s.pack)
                verdicts = check_scenario(scenario, pack, timeout=timeout)
            except CheckerError as exc:
                raise UsageError(f"{exc.lines()[0]} (on the unmutated rules; a mutation check needs a corpus "
                                 "that passes)") from None
            bad = [o for o in evaluate(verdicts) if not o.passed]
            if bad:
                raise UsageError(f"{s.path}:{bad[0].expectation.line}: expect: {bad[0].name}: expected "
                                 f"{bad[0].expected}, got {bad[0].actual} on the unmutated rules; a mutation "
                                 "check needs a corpus that passes")
            p.scenarios[i] = Scenario(s.path, s.pack, s.events, time.perf_counter() - began)
    finally:
        for rule_file in p.files:
            (bench.root / rule_file.relative).write_text(rule_file.text, encoding="utf-8")


def _baseline_tests(p: Plan, pool, tasks: list[tuple]):
    """The unit tests the mutants will run, on the printed-back rules, submitted to a worker
    (a future; None when there are none)."""
    paths = list(dict.fromkeys(path for task in tasks for stage in task[4] for path in stage
                               if not path.startswith("-")))
    if not paths:
        return None
    texts = {f.relative: f.printed() for f in p.files}
    return pool.submit(_work, (-1, texts, [pk.name for pk in p.packs], [], [paths], 0.0))


def _baseline_passed(future) -> None:
    """UsageError unless the unmutated unit tests (a future of _baseline_tests) all passed."""
    if future is None:
        return
    _, outcome = future.result()
    if outcome.status != "survived":
        raise UsageError(f"{outcome.by or 'tests'}: {outcome.detail or outcome.status} on the unmutated rules; "
                         "a mutation check needs unit tests that pass")


def _reach(p: Plan) -> None:
    """Which scenarios reach each rule (its body holds in some world of theirs): coverage's probes."""
    from checker.maintain.coverage import _rules_of, fired_rules

    for s in p.scenarios:
        name, ids = fired_rules(s.path, str(p.rules_root), treaty=s.pack)
        rules = _rules_of(next(pk for pk in p.packs if pk.name == name))
        base = p.rules_root.resolve()
        for rid in ids:
            rule = rules[rid]
            key = (str(Path(rule.file).resolve().relative_to(base)), rule.line)
            reached = p.reaching.setdefault(key, [])
            if s.path not in reached:
                reached.append(s.path)


def _task(p: Plan, m: Mutant, timeout: float) -> tuple:
    """What a worker needs for one mutant: the scenarios that reach its rule first (fewest
    events first), then the rest (fastest first); the tests named after its file first."""
    scenarios = [s for s in p.scenarios if s.pack in m.packs]
    reaching = set(p.reaching.get((m.relative, m.rule_line), ()))
    order = sorted(scenarios, key=lambda s: (s.path not in reaching, s.events if s.path in reaching else 0,
                                             s.seconds, s.path))
    tests = list(dict.fromkeys(t for pack in m.packs for t in p.tests.get(pack, ())))
    return (m.id, {m.relative: p.texts[m.id]}, m.packs, [(s.path, s.pack) for s in order],
            test_stages(tests, p.project, m.relative), timeout)


def _result(m: Mutant, outcome: Outcome, p: Plan) -> Result:
    status, reason, nearest = outcome.status, None, None
    if status == "survived":
        mark = next((mk for f in p.files for mk in f.marks if mk.covers(m)), None)
        if mark is not None:
            status, reason = "equivalent", mark.reason
        elif m.static:
            status, reason = "equivalent", m.static
        reaching = [s for s in p.scenarios if s.path in p.reaching.get((m.relative, m.rule_line), ())]
        if reaching:
            nearest = min(reaching, key=lambda s: (s.events, s.path)).path
    return Result(m, status, outcome.by, outcome.detail, reason, nearest, outcome.seconds)


def mutate(pack_paths: Sequence[Path], *, corpus: Sequence[Path] | None = None,
           operators: Sequence[str] = OPERATORS, sample: int | None = None, seed: int = 0,
           jobs: int | None = None, timeout: float | None = None, progress=None) -> MutationReport:
    """Plan and run a mutation check of the packs at ``pack_paths`` (see the module's docstring)."""
    return run(plan(pack_paths, corpus=corpus, operators=operators, sample=sample, seed=seed),
               jobs=jobs, timeout=timeout, progress=progress)
