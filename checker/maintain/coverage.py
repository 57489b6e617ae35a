"""Coverage of a scenario corpus: which statuses of which provisions, and which rules, it reaches.

*Status coverage.* For each provision of each pack, the outcomes it can reach: ``fired``; for
a duty the statuses of its kind (an achievement duty ``discharged`` only if some rule can end
it early; one whose provision says ``deadline: none`` is ``late`` or ``breached`` only if
some rule lets a refusal breach it); ``refused`` for an achievement duty some rule lets a
refusal breach (a duty breached by a refusal, whatever came after); ``not fired: P`` for each
provision P that some rule lets block it; for a condition, ``blocks`` (it blocked some duty).
What it *can* reach is read from the rules themselves (see ``_Domains``), what it *did*
reach from the verdicts of the corpus. A pack that extends another answers for the
provisions its own manifest declares (new or replaced); those it inherits unchanged are
covered by the parent's scenarios.

*Rule coverage.* Every rule of the pack (checker.instrument gives each one an id, file and
line) gets a probe ``__rule_fired(Id) :- Body.``; a rule fired in a scenario when its body
held in some possible world of it.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from checker.io.pack import Pack, load_pack, rule_files
from checker.model import ACHIEVEMENT_STATUSES, MAINTENANCE_STATUSES

# The interface between a pack and the shared lifecycle (rules/common/lifecycle.lp, "Reads"):
# what fires a duty, what blocks it, what ends it early. Common to every pack; no treaty's.
WOULD_FIRE, BLOCKED, ENDS, REFUSES = ("would_fire", 2), ("blocked", 2), ("ends", 3), ("refuses", 3)
PROBE = "__rule_fired"
FIRED, BLOCKS, NOT_FIRED, REFUSED = "fired", "blocks", "not fired", "refused"


@dataclass
class ProvisionCoverage:
    """The outcomes one provision can reach, and the scenario files that reached each."""

    pack: str
    id: str
    kind: str
    reachable: list[str]
    reached: dict[str, list[str]] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [o for o in self.reachable if not self.reached.get(o)]


@dataclass(frozen=True)
class RuleCoverage:
    file: str
    line: int
    text: str
    fired_in: int  # how many scenario files fired it


@dataclass
class CoverageReport:
    provisions: list[ProvisionCoverage] = field(default_factory=list)
    rules: list[RuleCoverage] | None = None
    scenarios: int = 0

    @property
    def status_cells(self) -> tuple[int, int]:
        reachable = sum(len(p.reachable) for p in self.provisions)
        return reachable - sum(len(p.missing) for p in self.provisions), reachable

    @property
    def status_percent(self) -> float:
        hit, total = self.status_cells
        return 100.0 if total == 0 else 100.0 * hit / total

    @property
    def rule_percent(self) -> float | None:
        if self.rules is None:
            return None
        return 100.0 if not self.rules else 100.0 * sum(1 for r in self.rules if r.fired_in) / len(self.rules)


_RULES: dict = {}


def _rules_of(pack: Pack) -> list:
    """The pack's rules parsed by checker.instrument, once per process (and per file version)."""
    from checker.analysis.instrument import load_rules

    files = [Path(f) for f in rule_files(pack)]
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    if key not in _RULES:
        _RULES[key] = load_rules(files).rules
    return _RULES[key]


# --- what the rules allow ----------------------------------------------------------------------

class _Domains:
    """Which provision ids can stand at a place in an atom, read from the rules.

    A place is (predicate, arity, path), the path a list of argument positions into nested
    terms: the provision of ``would_fire(ob(P, H, T), D)`` is at ``("would_fire", 2, (0, 0))``.
    A string in a head gives itself; a variable gives what every positive body literal that
    binds it allows (their intersection); a predicate no rule defines (an input) allows
    anything (None). Recursion contributes nothing new, which is the least fixpoint.
    """

    def __init__(self, rules):
        self.by_head: dict = {}
        for rule in rules:
            self.by_head.setdefault((rule.head_name, len(rule.head_args)), []).append(rule)
        self.memo: dict = {}
        self.active: set = set()

    def place(self, name: str, arity: int, path: tuple[int, ...]) -> set[str] | None:
        key = (name, arity, path)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return set()
        rules = self.by_head.get((name, arity))
        if not rules:
            return None
        self.active.add(key)
        out: set[str] | None = set()
        for rule in rules:
            values = self.head_values(rule, path)
            if values is None:
                out = None
                break
            out |= values
        self.active.discard(key)
        self.memo[key] = out
        return out

    def head_values(self, rule, path: tuple[int, ...]) -> set[str] | None:
        from clingo.ast import ASTType

        term = rule.head_args[path[0]] if path[0] < len(rule.head_args) else None
        rest = path[1:]
        while term is not None and rest and term.ast_type == ASTType.Function:
            term = term.arguments[rest[0]] if rest[0] < len(term.arguments) else None
            rest = rest[1:]
        if term is None:
            return set()
        if term.ast_type == ASTType.SymbolicTerm:
            return {term.symbol.string} if term.symbol.type.name == "String" and not rest else set()
        if term.ast_type == ASTType.Variable:
            return self.variable(rule, term.name, rest)
        return set()  # arithmetic, a number: no provision id

    def variable(self, rule, name: str, rest: tuple[int, ...]) -> set[str] | None:
        from clingo import ast
        from clingo.ast import ASTType

        found: list[set[str]] = []
        for lit in rule.body:
            if lit.ast_type != ASTType.Literal or lit.sign != ast.Sign.NoSign \
                    or lit.atom.ast_type != ASTType.SymbolicAtom:
                continue
            sym = lit.atom.symbol
            if sym.ast_type != ASTType.Function:
                continue
            for path in _occurrences(sym.arguments, name, ()):
                values = self.place(sym.name, len(sym.arguments), path + rest)
                if values is not None:
                    found.append(values)
        if not found:
            return None
        out = set(found[0])
        for values in found[1:]:
            out &= values
        return out

    def pairs(self, name: str, arity: int, first: tuple[int, ...], second: int) -> set[tuple[str, str]]:
        """(provision, string) pairs of one rule head at a time: which provision each reason blocks."""
        from clingo.ast import ASTType

        out = set()
        for rule in self.by_head.get((name, arity), []):
            term = rule.head_args[second]
            if term.ast_type != ASTType.SymbolicTerm or term.symbol.type.name != "String":
                continue
            provisions = self.head_values(rule, first)
            for p in provisions or ():
                out.add((p, term.symbol.string))
        return out


def _occurrences(args, name: str, prefix: tuple[int, ...]):
    from clingo.ast import ASTType

    for i, arg in enumerate(args):
        if arg.ast_type == ASTType.Variable and arg.name == name:
            yield prefix + (i,)
        elif arg.ast_type == ASTType.Function:
            yield from _occurrences(arg.arguments, name, prefix + (i,))


# the lifecycle's inputs that name a duty's provision first: ob(Provision, Holder, Trigger)
DUTY_INPUTS = (WOULD_FIRE, ("deadline", 2), ("meets", 3), REFUSES, ENDS, ("violates", 3))


def provision_rules(pack: Pack) -> dict[tuple[str, str], list]:
    """For each lifecycle input (DUTY_INPUTS) and provision, the rules of the pack that write
    that input for a duty of that provision (checker.instrument's RuleInfo: file, line, body),
    keyed by (predicate name, provision id). A rule whose provision the rules do not pin down
    (one read from a scenario's facts) is under no provision."""
    domains = _Domains(_rules_of(pack))
    out: dict[tuple[str, str], list] = {}
    for name, arity in DUTY_INPUTS:
        for rule in domains.by_head.get((name, arity), []):
            for pid in domains.head_values(rule, (0, 0)) or ():
                out.setdefault((name, pid), []).append(rule)
    return out


def reachable_outcomes(pack: Pack) -> dict[str, list[str]]:
    """For each provision of ``pack``, the outcomes its rules allow, in a fixed order."""
    domains = _Domains(_rules_of(pack))
    fires = domains.place(*WOULD_FIRE, (0, 0)) or set()
    ends = domains.place(*ENDS, (0, 0)) or set()
    refuses = domains.place(*REFUSES, (0, 0)) or set()
    blocked = domains.pairs(*BLOCKED, (0, 0), 1)
    out: dict[str, list[str]] = {}
    for pid, provision in pack.provisions.items():
        outcomes: list[str] = []
        if provision.kind in ("achievement", "maintenance") and pid in fires:
            outcomes.append(FIRED)
            statuses = ACHIEVEMENT_STATUSES if provision.kind == "achievement" else MAINTENANCE_STATUSES
            refusable = provision.kind == "achievement" and pid in refuses
            # with no deadline ever, only a refusal breaches it (and a meeting after one is late)
            breachable = provision.deadline != "none" or refusable
            outcomes += [s for s in statuses if (s != "discharged" or pid in ends)
                         and (s not in ("late", "breached") or provision.kind != "achievement" or breachable)]
            if refusable:
                outcomes.append(REFUSED)
            outcomes += [f"{NOT_FIRED}: {b}" for b in sorted({b for p, b in blocked if p == pid})]
        elif provision.kind == "condition" and any(b == pid for _, b in blocked):
            outcomes.append(BLOCKS)
        out[pid] = outcomes
    return out


# --- what the corpus reached -------------------------------------------------------------------

def reached_outcomes(verdicts) -> set[tuple[str, str]]:
    """(provision, outcome) pairs one scenario reached, in any of its possible worlds."""
    out = set()
    for o in verdicts.obligations:
        out.add((o.provision, FIRED))
        out.update((o.provision, s) for s in o.statuses if s != "not_fired")
        if o.kind == "achievement" and o.breached_by is not None:  # only a refusal names the breach
            out.add((o.provision, REFUSED))
    for n in verdicts.not_fired:
        for b in n.blocked_by:
            out.add((n.provision, f"{NOT_FIRED}: {b}"))
            out.add((b, BLOCKS))
    return out


def fired_rules(path: str, rules_root: str) -> tuple[str, set[int]]:
    """The ids (checker.instrument's) of the rules whose body held in some world of ``path``."""

    from checker.engine.solve import ground_worlds
    from checker.io.scenario import load_scenario

    scenario, pack = load_scenario(Path(path), rules_root=Path(rules_root))
    rules = _rules_of(pack)
    probe = "".join(f"{PROBE}({r.id}) :- {'; '.join(str(lit) for lit in r.body) or '#true'}.\n" for r in rules)
    probe += f"#show {PROBE}/1.\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lp", delete=False, encoding="utf-8") as tmp:
        tmp.write(probe)
    try:
        ctl = ground_worlds(scenario, pack, extra_files=[Path(tmp.name)])
    finally:
        os.unlink(tmp.name)
    ctl.configuration.solve.enum_mode = "brave"  # fired in some possible world
    ctl.configuration.solve.models = 0
    last: list = []
    ctl.solve(on_model=lambda m: last.__setitem__(slice(None), m.symbols(shown=True)))
    return pack.name, {s.arguments[0].number for s in last if s.name == PROBE and s.arguments}


def compute_coverage(run, *, rules: bool = True, jobs: int = 1) -> CoverageReport:
    """Status coverage (and rule coverage) of the files of a test run, for every pack they use."""
    from checker.maintain.testing import default_jobs

    files = [f for f in run.files if f.verdicts is not None]
    roots = {(f.verdicts.scenario.treaty, f.rules_root) for f in files}
    report = CoverageReport(scenarios=len(files))
    reached: dict[tuple[str, str, str], list[str]] = {}
    for f in files:
        for provision, outcome in reached_outcomes(f.verdicts):
            reached.setdefault((f.verdicts.scenario.treaty, provision, outcome), []).append(f.file)
    for treaty, root in sorted(roots, key=lambda r: r[0]):
        pack = load_pack(treaty, Path(root))
        for pid, outcomes in reachable_outcomes(pack).items():
            if pid not in pack.own_provisions:
                continue  # a version inherits it unchanged: the parent's scenarios cover it
            report.provisions.append(ProvisionCoverage(
                treaty, pid, pack.provisions[pid].kind, outcomes,
                {o: sorted(set(reached.get((treaty, pid, o), []))) for o in outcomes}))
    if rules:
        report.rules = _rule_coverage(files, roots, jobs or default_jobs())
    return report


def _rule_coverage(files, roots, jobs: int) -> list[RuleCoverage]:
    hits: dict[tuple[str, int], int] = {}
    args = [(f.file, f.rules_root) for f in files]
    if jobs > 1 and len(args) >= 8:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(fired_rules, *zip(*args)))
    else:
        results = [fired_rules(path, root) for path, root in args]
    for treaty, ids in results:
        for rid in ids:
            hits[(treaty, rid)] = hits.get((treaty, rid), 0) + 1
    out = []
    seen_files: set = set()
    for treaty, root in sorted(roots, key=lambda r: r[0]):
        pack = load_pack(treaty, Path(root))
        base = Path(root).parent
        for rule in _rules_of(pack):
            key = (str(rule.file), rule.line, rule.head_name)
            if key in seen_files:  # common files appear under every pack: count them once
                continue
            seen_files.add(key)
            try:
                shown = str(Path(rule.file).resolve().relative_to(base.resolve()))
            except ValueError:
                shown = str(rule.file)
            out.append(RuleCoverage(shown, rule.line, rule.text, hits.get((treaty, rule.id), 0)))
    return out


# --- rendering ---------------------------------------------------------------------------------


