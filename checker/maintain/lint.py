"""Static checks of rule packs and scenarios, for the people who maintain the rules.

Each issue is one line, ``FILE:LINE[:COL]: CHECK: message``, like a compiler's. The checks:

- ``rules``,      a pack stays in its folder (checker.io.rules): every rule file is a regular
  ``include``,    file in the pack's folder or rules/common/ (symlinks resolved), every
  ``script``      ``#include`` is reported (a pack's files are all read already; one that leaves
                  the pack, or names a device or a FIFO, is refused), and so is every
                  ``#script``; a refused file is not parsed, and its pack is not checked further;
- ``parse``       every rule file parses (clingo's own syntax errors, with their column);
- ``clingo``      clingo's warnings are errors: an atom no rule derives, an operation
                  undefined for the values it meets (grounded with every scenario's facts),
                  an unsafe or global variable;
- ``header``      every rule file opens with its ``%* ... *%`` header: a ``#`` title, and
                  ``Reads`` and ``Writes``; a pack's file also says what it ``Encodes``;
- ``reads``       every predicate a file uses and does not define is declared under ``Reads``;
- ``names``       every reading (and choice), parameter, party list, region attribute,
                  date and event type a rule names by a constant (``reading(K, _)``,
                  ``param(K, _)``, ``role(_, L)``, ``region_attr(_, A)``, ``pack_date(K, _)``,
                  ``occurred(_, T, _)``) is declared in the manifest (an event type: under
                  ``event_types`` or ``reads``);
- ``vocabulary``  the shared vocabulary (rules/common/vocabulary.yaml): every type is read by
                  some pack, and the ``says`` of a type names only fields every pack that
                  reads it reads (else its explanations would show the raw template);
- ``provision``   every provision of a manifest (but those set aside) is encoded by a rule
                  file, every ``Encodes`` names a provision of the manifest, and some scenario
                  exercises it (fires it, or is blocked by it); every string in a rule shaped
                  like a provision id (``"p1.notify"``: in a duty, a block...) is a
                  provision of the manifest;
- ``duty``        each achievement duty has the deadline its provision declares: a rule
                  gives it one unless the manifest says ``deadline: none`` (or ``optional``,
                  and then only where a parameter is read), never two (read from the duties
                  every scenario fires), none where the manifest says ``none``; refusals
                  (refuses/3) are written for a provision exactly when it says
                  ``refusable: true``;
- ``explain``     every predicate an explanation can show has its wording in ``explain.yaml``
                  (the pack's or rules/common's): ``holds`` and ``fails`` for a conclusion or an
                  input, ``fails`` for a helper (``_like_this``) that a rule needs, ``holds`` for
                  one a rule negates; and, in a pack with an ``explain.yaml`` of its own, every
                  field a rule reads (``arg(E, F, V)``) under ``fields`` and every compound term
                  under ``terms``. Reported where the rules first use it: without wording an
                  explanation would show raw atoms;
- ``scenario``    every scenario validates (its own ``FILE:LINE: FIELD: message`` lines);
- ``growth``      no rule's ground size grows faster than the history: each statement with a
                  body (rules, constraints, choice rules, conditional ``#show``) of the pack
                  and of rules/common is grounded over the pack's scenarios made 1, 2 and 4
                  times longer (disjoint, time-shifted copies), its instances counted
                  (aggregate and condition elements included), and a fitted exponent above
                  1.2 is an issue: ``FILE:LINE: growth: rule grounds N1 -> N2 instances for
                  events x 4 (exponent E > 1.2) over the scenarios of PACK``. A rule joining
                  every attack with every later consultation is caught; one whose size is keys x event days, with a
                  fixed set of keys, is linear. The copies are put after the last day the
                  manifest dates anything on (a member since 2024), so that each sees the
                  same members. ``growth_input`` replaces a pack's scenarios by other
                  histories (e.g. from benchmarks/generate.py). How: checker/growth.py.

Nothing here prints; ``lint`` returns the issues.

One module, though long: every check reads the same loaded packs, rule-file tables and
scenarios, and a check reads best in one place (the growth check's machinery: growth.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from checker.errors import PackError
from checker.io.pack import COMMON, MANIFEST, Pack, known_packs, listed_rule_files, load_pack, rule_files, rule_roots

CONFINEMENT = ("rules", "include", "script")  # the checks of what a pack's files may read
CHECKS = ("rules", "include", "script", "parse", "clingo", "header", "reads", "names", "vocabulary", "provision",
          "duty", "explain", "scenario", "growth")
# a check whose issue means an input could not be used at all (exit 2, as for `check`)
REJECTING = ("parse", "scenario")
_CLINGO_MESSAGE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)(?:-\d+(?::\d+)?)?: (?P<level>info|warning|error): (?P<text>.*)$",
    re.DOTALL)
_SIGNATURE = re.compile(r"\b([a-z_][A-Za-z0-9_']*)\s*(?:/\s*(\d+)|\(([^()]*)\))")
_LABEL = re.compile(r"^([A-Z][A-Za-z]*)\s*:(.*)$")


@dataclass(frozen=True, order=True)
class Issue:
    """One problem, where it is."""

    file: str
    line: int
    col: int
    check: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f":{self.col}" if self.col else "")
        return f"{where}: {self.check}: {self.message}"


@dataclass
class LintResult:
    issues: list[Issue] = field(default_factory=list)
    rule_files: int = 0
    scenarios: int = 0
    packs: list[str] = field(default_factory=list)
    # every counted statement's ground sizes, by pack (checker.growth.Growth)
    growth: dict[str, list] = field(default_factory=dict)

    refused: bool = False  # a rule file reaches outside its pack: the pack cannot be loaded

    @property
    def rejected(self) -> bool:
        """Some input could not be used at all (a rule file that does not parse, a bad scenario,
        a pack that reaches outside its folder)."""
        return self.refused or any(f.check in REJECTING for f in self.issues)


# --- headers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    """The ``%* ... *%`` block at the top of a rule file, by label (``Reads``, ``Writes``...)."""

    line: int
    title: str | None
    fields: dict[str, str]
    field_lines: dict[str, int]

    def signatures(self, label: str) -> set[tuple[str, int]]:
        """``name/arity`` and ``name(A, B)`` entries under ``label``."""
        out = set()
        for name, arity, args in _SIGNATURE.findall(self.fields.get(label, "")):
            out.add((name, int(arity) if arity else len([a for a in args.split(",") if a.strip()])))
        return out


def read_header(text: str) -> Header | None:
    """The file's header block, or None when the file does not open with one."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].lstrip().startswith("%*"):
        return None
    title = None
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    label = None
    for i in range(first, len(lines)):
        raw = lines[i]
        body = raw.strip()
        if i == first:
            body = body[2:].strip()
        end = "*%" in body
        if end:
            body = body[:body.index("*%")].strip()
        if body.startswith("#") and title is None:
            title = body.lstrip("#").strip()
            label = None
        else:
            match = _LABEL.match(body) if raw[:1] not in (" ", "\t") else None
            if match:
                label = match.group(1)
                fields[label] = match.group(2).strip()
                field_lines[label] = i + 1
            elif label is not None and raw[:1] in (" ", "\t") and body:
                fields[label] += " " + body
            elif raw[:1] not in (" ", "\t"):
                label = None
        if end:
            break
    return Header(first + 1, title, fields, field_lines)


# --- what rules define and use ----------------------------------------------------------------

@dataclass
class _FileUse:
    defines: set = field(default_factory=set)              # (name, arity)
    uses: dict = field(default_factory=dict)               # (name, arity) -> first line
    declared: set = field(default_factory=set)             # #defined name/arity
    strings: set = field(default_factory=set)              # string constants of the file
    # where each string constant is written: (text, line, column)
    string_places: list = field(default_factory=list)
    # every atom of a predicate whose constants name something of the manifest
    # (NAMED): (name, arity, arguments as AST terms, line, column)
    named: list = field(default_factory=list)


# the inputs whose constant arguments name something a manifest declares: (name, arity) ->
# (argument position, what it names)
NAMED = {("reading", 2): ((0, "reading"),), ("param", 2): ((0, "parameter"),),
         ("region_attr", 2): ((1, "region attribute"),), ("pack_date", 2): ((0, "date"),),
         ("role", 2): ((1, "party list"),), ("role_since", 3): ((1, "party list"),),
         ("occurred", 3): ((1, "event type"),), ("event", 3): ((1, "event type"),)}


def _scan(path: Path, issues: list[Issue], shown: str) -> _FileUse | None:
    from clingo import ast
    from clingo.ast import ASTType

    use = _FileUse()
    messages: list[str] = []

    class Visitor(ast.Transformer):
        def __init__(self):
            self.in_body = False

        def visit_SymbolicAtom(self, node):
            sym = node.symbol
            if sym.ast_type == ASTType.Function and sym.name:
                key = (sym.name, len(sym.arguments))
                if key in NAMED:
                    begin = sym.location.begin
                    use.named.append((sym.name, len(sym.arguments), list(sym.arguments), begin.line, begin.column))
                if self.in_body:
                    use.uses.setdefault(key, sym.location.begin.line)
                else:
                    use.defines.add(key)
            elif sym.ast_type == ASTType.Pool:
                for alt in sym.arguments:
                    self.visit_SymbolicAtom(ast.SymbolicAtom(alt))
            return node.update(**self.visit_children(node))

        def visit_SymbolicTerm(self, node):
            if node.symbol.type.name == "String":
                use.strings.add(node.symbol.string)
                begin = node.location.begin
                use.string_places.append((node.symbol.string, begin.line, begin.column))
            return node

    def on_statement(stm):
        visitor = Visitor()
        if stm.ast_type == ASTType.Rule:
            visitor.in_body = False
            visitor(stm.head)
            visitor.in_body = True
            for lit in stm.body:
                visitor(lit)
        elif stm.ast_type == ASTType.Defined:
            use.declared.add((stm.name, stm.arity))
        elif stm.ast_type == ASTType.ShowTerm:
            visitor.in_body = True
            for lit in stm.body:
                visitor(lit)

    try:
        ast.parse_files([str(path)], on_statement, logger=lambda _code, msg: messages.append(msg))
    except RuntimeError:
        for message in messages or [f"{path}:1:1: error: the file does not parse"]:
            issues.append(_from_clingo(message, shown, path, "parse"))
        return None
    return use


def _check_confinement(rules_root: Path, packs: list[Pack], result: LintResult, base: Path) -> set:
    """Issues for every rule file that leaves its pack, every ``#include`` and every ``#script``
    (checker.io.rules); the names of the packs that cannot be loaded, and the files not to parse."""
    from checker.io.rules import check_rule_files

    groups = [(p.name, listed_rule_files(p), rule_roots(p)) for p in packs]
    if not packs:
        groups = [(None, sorted((rules_root / COMMON).glob("*.lp")), [rules_root / COMMON])]
    refused: set = set()
    seen: set[Issue] = set()
    for name, files, roots in groups:
        problems, directives = check_rule_files(files, roots)
        for p in problems:
            seen.add(Issue(_shown(Path(p.file), base), p.line, 0, p.field, p.message))
            refused.update({name, Path(p.file)})
        for d in directives:
            if d.kind == "include" and d.refused is None:
                seen.add(Issue(_shown(Path(d.file), base), d.line, 0, "include",
                               f"includes {d.target!r}: every rule file of a pack and of rules/common/ is read "
                               "already, and an include reads it again (leave it out)"))
    result.issues.extend(sorted(seen))
    result.refused = result.refused or bool(refused)
    refused.discard(None)
    return refused


def _from_clingo(message: str, shown: str, path: Path, check: str) -> Issue:
    text = message.strip()
    match = _CLINGO_MESSAGE.match(text)
    if not match:
        return Issue(shown, 1, 0, check, " ".join(text.split()))
    file = match.group("file")
    same = Path(file).resolve() == path.resolve() if file and not file.startswith("<") else False
    body = " ".join(match.group("text").split())
    return Issue(shown if same else file, int(match.group("line")), int(match.group("col")), check, body)


# --- the checks ---------------------------------------------------------------------------------

def _shown(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)


def lint(rules_root: Path, scenarios: Sequence[Path] = (), *, shown_from: Path | None = None,
         jobs: int | None = None, timeout: float | None = None,
         growth_input: Sequence[Path] = (), max_uncertain_days: int | None = None) -> LintResult:
    """Run every check over the packs under ``rules_root`` and the ``scenarios`` given;
    ``growth_input`` (scenario files) replaces, for the packs they name, the scenarios the
    ``growth`` check makes longer (``max_uncertain_days``: as checker.io.scenario takes it)."""
    result = LintResult()
    issues = result.issues
    base = shown_from or Path.cwd()
    packs: list[Pack] = []
    for name in known_packs(rules_root):
        try:
            packs.append(load_pack(name, rules_root))
        except PackError as exc:
            # a rule file that leaves the pack keeps the pack from loading: said as its own check
            # (a problem of a file several packs read, the shared vocabulary, is said once)
            said = {(i.file, i.line, i.message) for i in issues}
            for p in exc.problems:
                issue = Issue(_shown(Path(p.file), base), p.line, 0, p.field, p.message) if p.field in CONFINEMENT \
                    else Issue(_shown(Path(p.file), base), p.line, 0, "manifest", f"{p.field}: {p.message}")
                if (issue.file, issue.line, issue.message) not in said:
                    said.add((issue.file, issue.line, issue.message))
                    issues.append(issue)
            result.refused = result.refused or any(p.field in CONFINEMENT for p in exc.problems)
            if not exc.problems:
                issues.append(Issue(str(rules_root / name / MANIFEST), 1, 0, "manifest", exc.text))
    result.packs = [p.name for p in packs]
    _check_vocabulary(rules_root, packs, issues, base)

    refused_packs = _check_confinement(rules_root, packs, result, base)
    listed = sorted((rules_root / COMMON).glob("*.lp")) + [f for p in packs for f in p.rule_files]
    uses: dict[Path, _FileUse | None] = {}
    for path in listed:
        if path in refused_packs:  # never parsed: clingo would follow what it includes
            continue
        path = path.resolve()
        if path not in uses:
            uses[path] = _scan(path, issues, _shown(path, base))
    result.rule_files = len(uses)

    for path, use in uses.items():
        _check_header(path, use, path.parent.name != COMMON, issues, _shown(path, base))

    limits = {"timeout": timeout, "max_uncertain_days": max_uncertain_days}
    checked_scenarios, valid = _check_scenarios(scenarios, rules_root, issues, base, jobs, **limits)
    histories = valid
    # a scenario of a refused pack says what the pack's files said already
    said = {i.file for i in issues if i.check in CONFINEMENT}
    issues[:] = [i for i in issues if not (i.check == "scenario" and i.file in said)]
    result.scenarios = len(scenarios)
    if growth_input:
        given = _load_histories(growth_input, rules_root, issues)
        named = {s.treaty for s in given}
        histories = [s for s in histories if s.treaty not in named] + given
    for pack in packs:
        if pack.name in refused_packs:
            continue
        files = [f.resolve() for f in rule_files(pack)]
        if any(uses.get(f) is None for f in files):
            continue  # a file that does not parse: clingo's other messages would only repeat it
        own = [s for s in valid if s.treaty == pack.name]
        _check_names(pack, uses, issues, base)
        shapes = _check_clingo(pack, files, own, issues, base)
        _check_duties(pack, files, shapes, issues, base)
        _check_provisions(pack, uses, checked_scenarios, bool(scenarios), issues, base,
                          rules_root=rules_root, **limits)
        _check_wording(pack, files, issues, base)
        result.growth[pack.name] = _check_growth(
            pack, files, [s for s in histories if s.treaty == pack.name], issues, base, jobs)
    issues[:] = sorted(set(issues))  # a version and its parent share rule files: one issue once
    return result


def _check_header(path: Path, use: _FileUse | None, in_pack: bool, issues: list[Issue], shown: str) -> None:
    header = read_header(path.read_text(encoding="utf-8"))
    if header is None:
        issues.append(Issue(shown, 1, 0, "header", "the file does not open with its %* ... *% header "
                                "(a # title, the provision quoted, Encodes, Reads, Writes)"))
        return
    wanted = ("Encodes", "Reads", "Writes") if in_pack else ("Reads", "Writes")
    if header.title is None:
        issues.append(Issue(shown, header.line, 0, "header", "no '# title' line naming the provision"))
    hints = {"Encodes": " (the provision ids this file encodes, or 'nothing' for a helper)"}
    for label in wanted:
        if label not in header.fields:
            issues.append(Issue(shown, header.line, 0, "header", f"no '{label} :' line{hints.get(label, '')}"))
    if use is None or "Reads" not in header.fields:
        return
    reads = header.signatures("Reads")
    line = header.field_lines["Reads"]
    for (name, arity), first in sorted(use.uses.items(), key=lambda kv: kv[1]):
        if name.startswith("_") or (name, arity) in use.defines or (name, arity) in reads \
                or (name, arity) in use.declared:  # inputs the file itself declares with #defined
            continue
        issues.append(Issue(shown, first, 0, "reads",
                                f"{name}/{arity} is read here but not declared under 'Reads' (line {line})"))


def _check_scenarios(scenarios: Sequence[Path], rules_root: Path, issues: list[Issue], base: Path,
                     jobs: int | None, timeout: float | None = None,
                     max_uncertain_days: int | None = None) -> tuple[list, list]:
    """The verdicts on every scenario that ran, and every scenario that validated (the growth
    check grounds those, even when the rules gave no single answer on them)."""
    from checker.errors import CheckerError
    from checker.io.scenario import load_scenario
    from checker.maintain.testing import run_corpus

    if not scenarios:
        return [], []
    run = run_corpus(list(scenarios), rules_root=rules_root, jobs=jobs, only_with_expect=False,
                     timeout=timeout, max_uncertain_days=max_uncertain_days)
    out, valid = [], []
    for result in run.files:
        for line in result.problems:
            file, _, rest = line.partition(":")
            number, _, message = rest.partition(": ")
            field_name, _, text = message.partition(": ")
            if number.isdigit():
                issues.append(Issue(file, int(number), 0, "scenario", f"{field_name}: {text}" if text else message))
            else:
                issues.append(Issue(result.file, 1, 0, "scenario", line))
        if result.verdicts is not None:
            for verdicts in result.views or (result.verdicts,):  # a history of several treaties: each
                out.append(verdicts)
                valid.append(verdicts.scenario)
        elif not any(": timeout: " in line for line in result.problems):  # longer would not end either
            try:
                valid.append(load_scenario(result.file, rules_root=rules_root,
                                           max_uncertain_days=max_uncertain_days)[0])
            except CheckerError:
                pass  # rejected: its problems are issues already
    return out, valid


def _check_clingo(pack: Pack, files: list[Path], scenarios: list, issues: list[Issue], base: Path) -> list:
    """clingo's warnings as issues: the program alone, then with each scenario's facts. Returns,
    for each scenario, the duties that fired and the deadlines of each (_duty_shapes)."""
    import clingo

    from checker.engine.decode import REPORT_PART, SHOWN_PART
    from checker.engine.facts import fact_symbols

    seen: set[Issue] = set()
    shapes: list = []

    def ground(scenario) -> None:
        messages: list[str] = []
        ctl = clingo.Control(["--warn=all"], logger=lambda _c, m: messages.append(m), message_limit=1000)
        try:
            for path in files:
                ctl.load(str(path))
            if scenario is not None:
                with ctl.backend() as backend:
                    for symbol in fact_symbols(scenario, pack, clingo):
                        backend.add_rule([backend.add_atom(symbol)])
            # the shows too: their conditions are rules
            ctl.ground([("base", []), (REPORT_PART, []), (SHOWN_PART, [])])
            if scenario is not None:
                shapes.append((scenario, _duty_shapes(ctl)))
        except RuntimeError:
            pass  # the messages say why
        for message in messages:
            match = _CLINGO_MESSAGE.match(message.strip())
            path = Path(match.group("file")) if match else files[0]
            issue = _from_clingo(message, _shown(path, base), path, "clingo")
            if issue not in seen:
                seen.add(issue)
                issues.append(issue)

    ground(None)
    for scenario in scenarios:
        ground(scenario)
    return shapes


def _duty_shapes(ctl) -> dict:
    """Each duty that fired in a grounded control (its ob/3 term), with its deadlines."""
    out: dict = {}
    for atom in ctl.symbolic_atoms.by_signature("fired", 2):
        out.setdefault(atom.symbol.arguments[0], [])
    for atom in ctl.symbolic_atoms.by_signature("deadline", 2):
        ob, day = atom.symbol.arguments
        if ob in out:
            out[ob].append(day.number)
    return out


# --- what a pack's rules name, against its manifest ----------------------------------------

def _manifest_place(pack: Pack, pid: str, base: Path) -> tuple[str, int]:
    """The manifest that declares provision ``pid`` (the pack's own, else that of the nearest
    pack it extends) and the line there (the pack's own manifest, line 1, when not found)."""
    pattern = re.compile(rf"^\s*-?\s*id\s*:\s*{re.escape(pid)}\s*$")
    for manifest in pack.manifests or (pack.folder / MANIFEST,):
        lines = manifest.read_text(encoding="utf-8").splitlines()
        line = next((i + 1 for i, text in enumerate(lines) if pattern.match(text)), None)
        if line is not None:
            return _shown(manifest, base), line
    return _shown(pack.folder / MANIFEST, base), 1


def _check_names(pack: Pack, uses: dict, issues: list[Issue], base: Path) -> None:
    """A ``names`` issue for each reading (and choice), parameter, party list, region attribute
    or date a rule names by a constant and the manifest does not declare; a ``provision`` issue
    for each string shaped like a provision id that is not a provision of the manifest."""
    from checker.errors import did_you_mean
    from checker.io.pack import PROVISION_ID

    lists = {**pack.fixed_roles, **pack.lists}
    declared = {"reading": pack.readings, "parameter": pack.parameters, "region attribute": pack.region_attributes,
                "date": pack.dates, "party list": lists, "event type": pack.event_types}
    where = {"reading": "readings", "parameter": "parameters", "region attribute": "region_attributes",
             "date": "dates", "party list": "parties", "event type": "event_types or reads"}
    found: set[Issue] = set()
    for path in pack.rule_files:
        use = uses.get(path.resolve())
        if use is None:
            continue
        shown = _shown(path, base)
        for name, arity, args, line, col in use.named:
            for position, what in NAMED[(name, arity)]:
                word = _constant(args[position])
                if word is None:
                    continue
                known = declared[what]
                if word not in known:
                    found.add(Issue(shown, line, col, "names",
                                    f"{name}/{arity} reads {what} {word!r}, which {MANIFEST} does not declare under "
                                    f"{where[what]}{did_you_mean(word, known)}"))
                elif what == "reading":
                    choice = _constant(args[1])
                    if choice is not None and choice not in pack.readings[word].choices:
                        found.add(Issue(shown, line, col, "names",
                                        f"reading {word} has no choice {choice!r} (choices: "
                                        f"{', '.join(pack.readings[word].choices)})"
                                        f"{did_you_mean(choice, pack.readings[word].choices)}"))
        for text, line, col in use.string_places:
            if PROVISION_ID.match(text) and text not in pack.provisions:
                found.add(Issue(shown, line, col, "provision",
                                f'"{text}" is not a provision of {MANIFEST}{did_you_mean(text, pack.provisions)}'))
    issues.extend(found)


def _check_vocabulary(rules_root: Path, packs: list[Pack], issues: list[Issue], base: Path) -> None:
    """A ``vocabulary`` issue for each shared event type no pack reads (when some pack reads
    the vocabulary at all), and for each whose ``says`` names a field some pack that reads it
    does not read; one that does not load is a ``manifest`` issue (once, whichever packs read
    it)."""
    from checker.io.pack import VOCABULARY, load_vocabulary, read_manifest

    path = rules_root / COMMON / VOCABULARY
    if not path.is_file():
        return  # no pack reads one (a pack that does is a manifest issue already)
    shown = _shown(path, base)
    try:
        vocabulary = load_vocabulary(rules_root)
    except PackError as exc:
        found = [Issue(_shown(Path(p.file), base), p.line, 0, "manifest", f"{p.field}: {p.message}")
                 for p in exc.problems] or [Issue(shown, 1, 0, "manifest", exc.text)]
        issues.extend(i for i in found if i not in issues)
        return
    if not any(p.common_types for p in packs):
        return  # no pack here reads the shared vocabulary (a folder of packs of their own)
    node = read_manifest(path, shown).get("event_types")
    fields = re.compile(r"{([a-z][a-z0-9_]*)}")
    for name, etype in vocabulary.items():
        line = getattr(node, "key_lines", {}).get(name, 1)
        readers = [p for p in packs if name in p.common_types]
        if not readers:
            issues.append(Issue(shown, line, 0, "vocabulary", f"no pack reads {name} (a pack says `reads: [{name}]`; "
                                "a type no treaty reads has no place in the shared vocabulary)"))
        for pack in readers:
            unread = [f for f in fields.findall(etype.says) if f not in pack.event_types[name].fields]
            if unread:
                issues.append(Issue(shown, line, 0, "vocabulary",
                                    f"the says of {name} names {', '.join(unread)}, which {pack.name} does not read: "
                                    "its explanations would show the template as it is"))


def _body_predicates(rule) -> list[tuple[str, int]]:
    """The predicates of a rule's positive body atoms."""
    from clingo import ast

    out = []
    for lit in rule.body:
        if lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign \
                and lit.atom.ast_type == ast.ASTType.SymbolicAtom and lit.atom.symbol.ast_type == ast.ASTType.Function:
            out.append((lit.atom.symbol.name, len(lit.atom.symbol.arguments)))
    return out


def _constant(term) -> str | None:
    """The name of a constant term (``covered``), None for anything else."""
    symbol = getattr(term, "symbol", None)
    if symbol is not None and symbol.type.name == "Function" and not symbol.arguments:
        return symbol.name
    return None


def _check_duties(pack: Pack, files: list[Path], shapes: list, issues: list[Issue], base: Path) -> None:
    """A ``duty`` issue for each achievement duty whose deadline or refusal does not have the
    shape its provision declares (docs/packs.md, "deadline" and "refusable"): read from the
    rules, and from the duties each scenario fires."""
    from checker.maintain.coverage import provision_rules

    writes = provision_rules(pack)   # (predicate, provision) -> the rules writing it for that provision
    found: set[Issue] = set()

    def at(rule, message: str) -> None:
        found.add(Issue(_shown(Path(rule.file), base), rule.line, 0, "duty", message))

    for pid, provision in pack.provisions.items():
        deadlines, fires = writes.get(("deadline", pid), []), writes.get(("would_fire", pid), [])
        refusals = writes.get(("refuses", pid), [])
        if provision.kind != "achievement":
            for rule in deadlines:
                at(rule, f"gives a duty of {pid} a deadline, but {pid} is a {provision.kind}: only an "
                         "achievement duty has one")
            for rule in refusals:
                at(rule, f"lets a refusal breach a duty of {pid}, but {pid} is a {provision.kind}: only an "
                         "achievement duty can be refused")
            continue
        if provision.deadline == "required" and fires and not deadlines:
            for rule in fires:
                at(rule, f"a duty of {pid} fires here, but no rule gives it a deadline, and {MANIFEST} does not "
                         f"say `deadline: none` (or `optional`) for {pid}")
        if provision.deadline == "none":
            for rule in deadlines:
                at(rule, f"gives a duty of {pid} a deadline, but {MANIFEST} says `deadline: none` for {pid}")
        if provision.deadline == "optional":
            if fires and not deadlines:
                for rule in fires:
                    at(rule, f"a duty of {pid} fires here, and no rule ever gives it a deadline: say "
                             f"`deadline: none` for {pid} ({MANIFEST} says `optional`)")
            for rule in deadlines:
                if not any(name == "param" for name, _ in _body_predicates(rule)):
                    at(rule, f"gives every duty of {pid} a deadline whatever the parameters: read the parameter "
                             f"that sets it here (param/2), or say `deadline: required` for {pid}")
        if provision.refusable and fires and not refusals:
            found.add(Issue(*_manifest_place(pack, pid, base), 0, "duty",
                            f"{pid} says `refusable: true`, but no rule writes refuses/3 for it"))
        if not provision.refusable:
            for rule in refusals:
                at(rule, f"lets a refusal breach a duty of {pid}, but {MANIFEST} does not say `refusable: true` "
                         f"for {pid}")

    from checker.model import iso, obligation_id

    for scenario, duties in shapes:
        for ob, days in duties.items():
            provision, holder, trigger = ob.arguments
            declared = pack.provisions.get(provision.string) if provision.type.name == "String" else None
            if declared is None or declared.kind != "achievement":
                continue  # the provision check says what is wrong
            pid = provision.string
            duty = obligation_id(pid, str(holder).strip('"'),
                                 None if str(trigger) == "none" else str(trigger).strip('"'))
            rules = writes.get(("deadline", pid)) or writes.get(("would_fire", pid), [])
            if len(set(days)) > 1:
                for rule in writes.get(("deadline", pid), []):
                    at(rule, f"{duty} has {len(set(days))} deadlines in {scenario.path} "
                             f"({', '.join(iso(d) for d in sorted(set(days)))}): a duty has at most one")
            elif not days and declared.deadline == "required":
                for rule in rules:
                    at(rule, f"{duty} fired with no deadline in {scenario.path}, and {MANIFEST} does not say "
                             f"`deadline: none` (or `optional`) for {pid}")
    issues.extend(found)


def _load_histories(paths: Sequence[Path], rules_root: Path, issues: list[Issue]) -> list:
    """The ``growth_input`` scenarios, validated (a rejected one is a ``scenario`` issue)."""
    from checker.errors import CheckerError
    from checker.io.scenario import load_scenario

    out = []
    for path in paths:
        try:
            out.append(load_scenario(path, rules_root=rules_root)[0])
        except CheckerError as exc:
            issues.extend(Issue(p.file, p.line, 0, "scenario", f"{p.field}: {p.message}") for p in exc.problems)
            if not exc.problems:
                issues.append(Issue(str(path), 1, 0, "scenario", exc.text))
    return out


def _check_growth(pack: Pack, files: list[Path], histories: list, issues: list[Issue], base: Path,
                  jobs: int | None) -> list:
    """A ``growth`` issue for each statement whose ground size grows faster than the history."""
    from checker.maintain.growth import measure

    if not histories:
        return []
    try:
        measured = measure(pack, files, histories, shown=lambda p: _shown(p, base), jobs=jobs)
    except RuntimeError as exc:  # clingo refused the counting program: say so, do not crash
        issues.append(Issue(_shown(pack.folder / MANIFEST, base), 1, 0, "growth",
                            f"the rules of {pack.name} could not be grounded to count their instances: "
                            + " ".join(str(exc).split())))
        return []
    for g in measured:
        if g.superlinear():
            # (a rule file several packs use, the shared ones or a parent's, is measured over each)
            issues.append(Issue(g.statement.file, g.statement.line, 0, "growth",
                                f"{g.message()} over the scenarios of {pack.name}"))
    return measured


def _reached(verdicts: list) -> set[str]:
    """The provisions some verdict fires or is blocked by."""
    reached: set[str] = set()
    for v in verdicts:
        reached.update(o.provision for o in v.obligations)
        for n in v.not_fired:
            reached.add(n.provision)
            reached.update(n.blocked_by)
    return reached


def _reached_under_other_readings(pack: Pack, wanted: set[str], verdicts: list, rules_root: Path | None,
                                  timeout: float | None,
                                  max_uncertain_days: int | None) -> dict[str, tuple[str, str, str, str]]:
    """For provisions no scenario reaches under the readings it is given: the first reading
    choice (one reading changed at a time) under which a scenario reaches it, as
    provision -> (reading, choice, scenario file, "fires it" or "is blocked by it")."""
    from checker.engine.check import check_file
    from checker.errors import CheckerError

    found: dict = {}
    for name, reading in pack.readings.items():
        for choice in reading.choices:
            for v in verdicts:
                if wanted <= set(found):
                    return found
                if v.scenario.readings.get(name) == choice:
                    continue
                try:
                    other, _ = check_file(v.scenario.path, rules_root=rules_root, readings={name: choice},
                                          timeout=timeout, max_uncertain_days=max_uncertain_days)
                except CheckerError:
                    continue
                fires = {o.provision for o in other.obligations} | {n.provision for n in other.not_fired}
                for pid in (wanted & _reached([other])) - set(found):
                    found[pid] = (name, choice, v.scenario.path, "fires it" if pid in fires else "is blocked by it")
    return found


def _check_provisions(pack: Pack, uses: dict, verdicts: list, have_scenarios: bool,
                      issues: list[Issue], base: Path, rules_root: Path | None = None,
                      timeout: float | None = None, max_uncertain_days: int | None = None) -> None:
    encoded: dict[str, Path] = {}
    for path in pack.rule_files:
        header = read_header(path.read_text(encoding="utf-8"))
        if header is None or "Encodes" not in header.fields:
            continue
        for pid in re.findall(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+", header.fields["Encodes"]):
            encoded.setdefault(pid, path)
            if pid not in pack.provisions:
                issues.append(Issue(_shown(path, base), header.field_lines["Encodes"], 0, "provision",
                                        f"Encodes {pid}, which is not a provision of {MANIFEST}"))
            elif pack.parent is not None and path.parent == pack.folder and pid not in pack.own_provisions:
                # a version that changes a provision's rules says so, and its scenarios cover it
                issues.append(Issue(_shown(path, base), header.field_lines["Encodes"], 0, "provision",
                                    f"Encodes {pid}, which {pack.name} inherits from {pack.parent}: restate "
                                    f"{pid} under provisions: in its {MANIFEST} (its rules change here)"))
    own = {f.resolve() for f in pack.rule_files}
    mentioned = set().union(*(u.strings for p, u in uses.items() if u is not None and p in own))
    # (the pack's own scenarios only: two packs may give two provisions one id; a version's
    # scenarios answer for the provisions it declares, its parent's for those it inherits)
    verdicts = [v for v in verdicts if v.scenario.treaty == pack.name]
    reached = _reached(verdicts)
    unreached = {pid for pid, p in pack.provisions.items() if p.kind != "set_aside" and pid not in reached
                 and pid in pack.own_provisions}
    elsewhere = _reached_under_other_readings(pack, unreached, verdicts, rules_root, timeout, max_uncertain_days) \
        if have_scenarios and unreached and pack.readings else {}
    as_parent = _inherited_as_is(pack)
    for pid, provision in pack.provisions.items():
        if provision.kind == "set_aside":
            continue  # read and deliberately not encoded: the manifest says why
        manifest, line = _manifest_place(pack, pid, base)
        if pid in as_parent:
            pass  # its rules are the parent's, unchanged: linting the parent says what is wrong there
        elif pid not in encoded:
            issues.append(Issue(manifest, line, 0, "provision",
                                    f"{pid} is not named under 'Encodes' by any rule file of {pack.name}"))
        elif pid not in mentioned:
            issues.append(Issue(manifest, line, 0, "provision",
                                    f"{pid}: no rule of {pack.name} mentions \"{pid}\""))
        if have_scenarios and pid not in reached and pid in pack.own_provisions:
            hint = ""
            if pid in elsewhere:
                # the rules reach it; the scenarios just never use that reading
                name, choice, file, how = elsewhere[pid]
                hint = (f" under the readings they use; under {name}={choice}, {_shown(Path(file), base)} {how} "
                        f"(`readings: {{{name}: {choice}}}` in a scenario)")
            issues.append(Issue(manifest, line, 0, "provision",
                                    f"{pid}: no scenario fires it or is blocked by it{hint}"))


def _encodes(path: Path) -> set[str]:
    """The provision ids a rule file's header names under 'Encodes'."""
    header = read_header(path.read_text(encoding="utf-8"))
    if header is None or "Encodes" not in header.fields:
        return set()
    return set(re.findall(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+", header.fields["Encodes"]))


def _inherited_as_is(pack: Pack) -> set[str]:
    """The provisions a version inherits with the parent's rule files for them unchanged
    (none removed or replaced): what lint says of them, it says of the parent."""
    if pack.parent is None:
        return set()
    kept = set(pack.rule_files)
    changed: set[str] = set()
    for path in load_pack(pack.parent, pack.folder.parent).rule_files:
        if path not in kept:
            changed |= _encodes(path)
    for path in pack.rule_files:
        if path.parent == pack.folder:
            changed |= _encodes(path)
    return {pid for pid in pack.provisions if pid not in pack.own_provisions and pid not in changed}


# --- wording of explanations -------------------------------------------------------------------

# where explanations start: the verdict of a duty, and why a duty did not fire
_EXPLAINED = (("status", 2), ("not_fired", 2))


def _check_wording(pack: Pack, files: list[Path], issues: list[Issue], base: Path) -> None:
    """An ``explain`` issue for every predicate, field and term an explanation of ``pack`` can
    show that has no wording (checker.analysis.explain says it with these templates)."""
    from clingo import ast
    from clingo.ast import ASTType

    from checker.analysis.explain import EVENT_FACTS, HIDDEN, SETTING_FACTS, TEMPLATES, load_templates
    from checker.analysis.instrument import aggregate_of, load_rules

    rules = load_rules(files)
    try:
        wording = load_templates(pack)
    except PackError as exc:  # a template that is more than text with places: never filled
        issues.extend(Issue(_shown(Path(p.file), base), p.line, 0, "explain", f"{p.field}: {p.message}")
                      for p in exc.problems)
        return
    predicates, fields, terms = wording["predicates"], wording["fields"], wording["terms"]
    needs: dict[tuple[str, int], set[str]] = {}   # predicate -> the templates it needs
    where: dict = {}                                 # (kind, key) -> (file, line) of first use
    reached: set = set()
    todo = list(_EXPLAINED)

    def need(key, what: str, rule) -> None:
        needs.setdefault(key, set()).add(what)
        where.setdefault(("predicate", key), (rule.file, rule.line))
        if key not in reached:
            todo.append(key)

    def literals(rule):
        for lit in rule.body:
            agg = aggregate_of(lit)
            if agg is None:
                yield lit
            else:
                for element in agg.elements:
                    yield from element.condition

    def note_terms(node, rule) -> None:
        class Terms(ast.Transformer):
            def visit_Function(self, term):
                if term.name and term.name != "ob" and term.arguments and not term.external:
                    where.setdefault(("term", (term.name, len(term.arguments))), (rule.file, rule.line))
                return term.update(**self.visit_children(term))

        Terms()(node)

    while todo:
        key = todo.pop()
        if key in reached:
            continue
        reached.add(key)
        spec = predicates.get(f"{key[0]}/{key[1]}") or {}
        if spec.get("leaf"):
            continue  # nothing below a leaf is shown
        for rule in rules.rules_for(*key):
            for arg in rule.head_args:
                note_terms(arg, rule)
            for lit in literals(rule):
                if lit.ast_type != ASTType.Literal or lit.atom.ast_type != ASTType.SymbolicAtom:
                    continue
                term = lit.atom.symbol
                if term.ast_type != ASTType.Function or not term.name:
                    continue
                body_key = (term.name, len(term.arguments))
                if body_key in HIDDEN:
                    continue
                for arg in term.arguments:
                    note_terms(arg, rule)
                if body_key == ("arg", 3) and term.arguments[1].ast_type == ASTType.SymbolicTerm:
                    where.setdefault(("field", term.arguments[1].symbol.name), (rule.file, rule.line))
                # a candidate that failed a condition says it fails; a negated condition is an
                # absence that says it fails, and a candidate that failed it says it holds
                need(body_key, "fails", rule)
                if lit.sign != ast.Sign.NoSign:
                    need(body_key, "holds", rule)

    def first_use(kind, key) -> tuple[str, int]:
        file, line = where.get((kind, key), (pack.folder / TEMPLATES, 1))
        return _shown(Path(file), base), line

    for key in sorted(reached):
        if not rules.rules_for(*key) and key not in EVENT_FACTS and key not in SETTING_FACTS:
            continue  # no rule derives it: clingo says so (a typo), and no tree can show it
        name = f"{key[0]}/{key[1]}"
        spec = predicates.get(name) or {}
        wanted = set(needs.get(key, ()))
        if not spec.get("quiet", key[0].startswith("_")) and key not in EVENT_FACTS:
            wanted.add("holds")  # shown as a step of a derivation (a fact reads as its event)
        missing = sorted(w for w in wanted if not spec.get(w))
        if key == ("arg", 3):
            missing = []  # said field by field (below)
        if missing:
            file, line = first_use("predicate", key)
            issues.append(Issue(file, line, 0, "explain",
                                f"{name} has no {' or '.join(repr(m) for m in missing)} wording in {TEMPLATES} "
                                "(an explanation would show the raw atom)"))
    if not (pack.folder / TEMPLATES).is_file():
        return  # no wording of its own: fields and terms read as they are named
    for (kind, key), (path, line) in sorted(where.items(), key=lambda kv: str(kv[0])):
        if kind == "field" and key not in fields:
            issues.append(Issue(_shown(Path(path), base), line, 0, "explain",
                                f"field {key!r} has no wording under 'fields' in {TEMPLATES}"))
        elif kind == "term" and f"{key[0]}/{key[1]}" not in terms:
            issues.append(Issue(_shown(Path(path), base), line, 0, "explain",
                                f"term {key[0]}/{key[1]} has no wording under 'terms' in {TEMPLATES}"))


def issues_by_check(issues: Iterable[Issue]) -> dict[str, int]:
    out = {c: 0 for c in ("manifest",) + CHECKS}
    for f in issues:
        out[f.check] = out.get(f.check, 0) + 1
    return out
