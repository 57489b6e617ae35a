"""How the ground size of each rule grows with the length of a history (``checker lint``'s
``growth`` check).

clingo counts ground rules for a program as a whole, never per rule. Here every statement of
a pack that has a body (a rule, a constraint, a choice rule, a conditional ``#show``, a weak
constraint) gets a twin that records its ground instances as atoms:

    late(A, C) :- occurred(A, K, D), occurred(C, L, X), X > D, not ok(A, C).
    __growth(7, 0, (A, C, D, K, L, X)) :- occurred(A, K, D), occurred(C, L, X), X > D.

One atom per substitution of the statement's named global variables that the positive body
allows (negative literals are dropped: the grounder instantiates a rule before it knows what
they say), and one more per instance of each element of an aggregate, of a conditional literal and
of a choice or disjunctive head (``__growth(7, J, (Globals, Locals))``, J > 0), since a rule
with a linear number of instances can still hold a quadratic number of aggregate elements.
The atoms are counted by the grounder itself (nothing is solved), with the pack's own
rules and the twins grounded together, so recursion and aggregates see what they see in a
check.

The input is a history of the pack's own scenarios made ``k`` times longer: ``k`` disjoint
copies of each scenario one after another in time (each copy's days shifted by the
scenario's span plus a margin, every event id suffixed, references to events suffixed alike,
so a copy refers only to itself), built as clingo symbols by ``checker.facts``. The facts a
pack's manifest dates (its own dates, members from a day) are not shifted: every copy is put
after the last of those days instead, so that each copy sees the same members and the same
treaty in force (see ``scaled``). A rule whose
instances are bounded per event grows like ``k``; a rule that joins every event of one kind
with every later event of another grows like ``k**2``. The counts are summed over the
scenarios at k = 1, 2 and 4, and the exponent is fitted to the slopes between successive
sizes (``1 + log(s2 / s1) / log(m2 / m1)``, s a slope and m the midpoint of its sizes), so
a constant part, or a part that differs in the last copy only (its duties still pending as
of the verdict day, the earlier copies' already breached), leaves a linear rule at 1. Above
the limit (1.2), with enough instances to tell (at least 50 at the largest size), it is an
issue.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from checker.io.pack import Pack
from checker.model import Scenario

COUNTER = "__growth"
# each statement's count, by the grounder: far fewer atoms to read back than the instances
# (max: when the instances are not all facts, every possible count is an atom)
SIZES = "__growth_size(I, N) :- __growth(I, _, _), N = #count { J, T : __growth(I, J, T) }."
COPIES = (1, 2, 4)        # the history lengths compared, in copies of each scenario
LIMIT = 1.2               # a fitted exponent above this is superlinear
MIN_INSTANCES = 50        # fewer instances at the larger size say nothing either way
MARGIN = 400              # days between the end of a copy and the start of the next
_LAST_DAY = date.max.toordinal()  # 9999-12-31 as a day number


@dataclass(frozen=True)
class Statement:
    """One statement with a body, where it is."""

    index: int
    file: str
    line: int
    text: str


@dataclass
class Growth:
    """The ground size of one statement at each history length."""

    statement: Statement
    copies: tuple[int, ...]
    sizes: list[int] = field(default_factory=list)

    @property
    def exponent(self) -> float | None:
        """The power of k the growth follows, from the slopes between successive sizes (so a
        constant or a one-off part, such as the last copy's duties still pending, does not
        bend it): ``1 + log(s2 / s1) / log(m2 / m1)``, s the slope between two sizes and m
        their midpoint; None when the size does not grow."""
        k, n = self.copies, self.sizes
        if len(k) < 3:  # two sizes: the plain log-log slope
            if n[-1] <= 0 or n[-1] <= n[0]:
                return None
            return math.inf if n[0] <= 0 else math.log(n[-1] / n[0]) / math.log(k[-1] / k[0])
        s1, s2 = (n[1] - n[0]) / (k[1] - k[0]), (n[-1] - n[1]) / (k[-1] - k[1])
        if s2 <= 0:
            return None
        if s1 <= 0:
            return math.inf
        m1, m2 = (k[0] + k[1]) / 2, (k[1] + k[-1]) / 2
        return 1 + math.log(s2 / s1) / math.log(m2 / m1)

    def superlinear(self, limit: float = LIMIT, min_instances: int = MIN_INSTANCES) -> bool:
        e = self.exponent
        return e is not None and self.sizes[-1] >= min_instances and e > limit

    def message(self, limit: float = LIMIT) -> str:
        e = self.exponent
        shown = "inf" if e == math.inf else f"{e:.2f}"
        return (f"rule grounds {self.sizes[0]} -> {self.sizes[-1]} instances for events x "
                f"{self.copies[-1] / self.copies[0]:g} (exponent {shown} > {limit:g})")


# --- the twins that count ----------------------------------------------------------------------

def _variables(node, out: set, ast) -> None:
    if isinstance(node, ast.AST):
        if node.ast_type == ast.ASTType.Variable:
            if node.name != "_":
                out.add(node.name)
            return
        for key in node.child_keys:
            _variables(getattr(node, key), out, ast)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ASTSequence":
        for item in node:
            _variables(item, out, ast)


def _is_aggregate(lit, ast) -> bool:
    return lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type in (
        ast.ASTType.BodyAggregate, ast.ASTType.Aggregate)


def _frame(body, ast):
    """The part of a body that binds the statement's global variables, and those variables.

    Negative literals and conditional literals bind nothing (in a safe rule their global
    variables occur elsewhere); aggregates stay, as an assignment ``M = #min {...}`` binds M.
    """
    kept, names = [], set()
    for lit in body:
        if lit.ast_type == ast.ASTType.ConditionalLiteral:
            continue
        if lit.ast_type != ast.ASTType.Literal:
            continue  # theory atoms: nothing of ours
        if lit.atom.ast_type == ast.ASTType.SymbolicAtom and lit.sign != ast.Sign.NoSign:
            continue
        kept.append(lit)
        if _is_aggregate(lit, ast):
            for guard in (lit.atom.left_guard, lit.atom.right_guard):
                if guard is not None:
                    _variables(guard.term, names, ast)
        else:
            _variables(lit, names, ast)
    return kept, names


def _elements(head, body, ast):
    """(condition literals, local terms) of every element whose instances add to the size."""
    out = []

    def conditional(cl, with_literal: bool):
        cond = list(cl.condition)
        if with_literal and cl.literal.ast_type == ast.ASTType.Literal \
                and cl.literal.sign == ast.Sign.NoSign and cl.literal.atom.ast_type == ast.ASTType.SymbolicAtom:
            cond = [cl.literal] + cond
        out.append((cond, [cl.literal] + list(cl.condition)))

    if head is not None:
        if head.ast_type in (ast.ASTType.Disjunction, ast.ASTType.Aggregate):
            for element in head.elements:
                conditional(element, False)
        elif head.ast_type == ast.ASTType.HeadAggregate:
            for element in head.elements:
                out.append((list(element.condition.condition),
                            list(element.terms) + [element.condition.literal] + list(element.condition.condition)))
    for lit in body:
        if lit.ast_type == ast.ASTType.ConditionalLiteral:
            conditional(lit, False)
        elif _is_aggregate(lit, ast):
            if lit.atom.ast_type == ast.ASTType.Aggregate:
                for element in lit.atom.elements:
                    conditional(element, True)
            else:
                for element in lit.atom.elements:
                    out.append((list(element.condition), list(element.terms) + list(element.condition)))
    return out


def _counter(index: int, part: int, names: Iterable[str], loc, ast):
    """``__growth(index, part, (V1, ..., Vn))`` as a head literal."""
    import clingo

    variables = [ast.Variable(loc, n) for n in sorted(names)]
    args = [ast.SymbolicTerm(loc, clingo.Number(index)), ast.SymbolicTerm(loc, clingo.Number(part)),
            ast.Function(loc, "", variables, 0)]
    return ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, COUNTER, args, 0)))


def counting_program(files: Sequence[Path], shown=str):
    """The statements of ``files``, each with a body followed by its counting twins, and the
    statements counted (``shown(path)`` names a file in messages)."""
    from clingo import ast

    statements: list = []
    counted: list[Statement] = []

    def take(stm):
        statements.append(stm)
        kind = stm.ast_type
        if kind == ast.ASTType.Rule:
            head, body = stm.head, stm.body
            if not body and head.ast_type == ast.ASTType.Literal:
                return  # a fact: one instance, whatever the history
        elif kind in (ast.ASTType.ShowTerm, ast.ASTType.Minimize):
            head, body = None, stm.body
        else:
            return
        loc = stm.location
        index = len(counted)
        counted.append(Statement(index, shown(Path(loc.begin.filename)), loc.begin.line, " ".join(str(stm).split())))
        frame, names = _frame(body, ast)
        statements.append(ast.Rule(loc, _counter(index, 0, names, loc, ast), frame))
        for part, (condition, terms) in enumerate(_elements(head, body, ast), start=1):
            local: set = set()
            _variables(terms, local, ast)
            statements.append(ast.Rule(loc, _counter(index, part, names | local, loc, ast), frame + condition))

    ast.parse_files([str(f) for f in files], take)
    return statements, counted


# --- longer histories from the pack's own scenarios ----------------------------------------

def dated_until(pack: Pack) -> int | None:
    """The last day the pack's manifest dates anything on (its own dates, dated party lists);
    None when it dates nothing."""
    days = list(pack.dates.values()) + list(pack.role_since.values())
    return max(days) if days else None


def scaled(scenario: Scenario, pack: Pack, copies: int) -> Scenario | None:
    """``copies`` disjoint copies of ``scenario`` one after another (None: no room left
    before 9999-12-31). When the pack's manifest dates something (a member from 1999, the
    treaty's entry into force), every copy, the first too, is moved to after the last such
    day: the dated facts stay as they are, and each copy sees the same of them (otherwise a
    later copy would find more members, and a rule that is linear would look superlinear)."""
    days = [d for e in scenario.events for d in (e.date_range or (e.day, e.day))]
    first = min(days + [scenario.as_of] + ([scenario.in_force_from] if scenario.in_force_from else []))
    last = max(days + [scenario.as_of])
    shift = last - first + MARGIN
    dated = dated_until(pack)
    base = max(0, dated + 1 - first) if dated is not None else 0
    if scenario.as_of + base + (copies - 1) * shift > _LAST_DAY:
        return None
    refs = {(t.name, f.name) for t in pack.event_types.values() for f in t.fields.values() if f.type == "event"}
    stride = max((e.seq for e in scenario.events), default=0) + 1
    events = [e if not base else _moved(e, base) for e in scenario.events]
    for c in range(1, copies):
        def tag(text: str, c=c) -> str:
            return f"{text}~{c}"

        for e in scenario.events:
            fields = {name: tuple(map(tag, values)) if (e.type, name) in refs else values
                      for name, values in e.fields.items()}
            options = {name: tuple(map(tag, values)) if (e.type, name) in refs else values
                       for name, values in e.options.items()}
            events.append(replace(_moved(e, base + c * shift), id=tag(e.id), seq=e.seq + c * stride,
                                  fields=fields, options=options))
    in_force = scenario.in_force_from + base if scenario.in_force_from is not None else None
    return replace(scenario, events=tuple(events), as_of=scenario.as_of + base + (copies - 1) * shift,
                   in_force_from=in_force, expectations=())


def _moved(e, days: int):
    """Event ``e`` ``days`` later."""
    return replace(e, day=e.day + days,
                   date_range=None if e.date_range is None else (e.date_range[0] + days, e.date_range[1] + days))


def _sizes(statements, counted: int, symbols) -> list[int]:
    """Ground the statements with the facts, and count each statement's instances."""
    import clingo
    from clingo import ast

    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda _code, text: messages.append(text), message_limit=5)
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for stm in statements:
                builder.add(stm)
        ctl.add("base", [], SIZES)
        with ctl.backend() as backend:
            for symbol in symbols:
                backend.add_rule([backend.add_atom(symbol)])
        ctl.ground([("base", [])])
    except RuntimeError as exc:
        raise RuntimeError("; ".join(messages) or str(exc)) from None
    sizes = [0] * counted
    for atom in ctl.symbolic_atoms.by_signature("__growth_size", 2):
        index, count = atom.symbol.arguments
        sizes[index.number] = max(sizes[index.number], count.number)
    return sizes


def measure(pack: Pack, files: Sequence[Path], scenarios: Sequence[Scenario], *,
            copies: Sequence[int] = COPIES, shown=str, jobs: int | None = 1) -> list[Growth]:
    """The ground size of every statement of ``files`` over ``scenarios`` made longer, summed
    over the scenarios, at each number of copies; the scenarios are spread over ``jobs``
    worker processes (None: every core).

    Processes, not threads: controls grounded in a thread pool crashed the interpreter now
    and then (SIGSEGV in clingo's Control.__del__).
    """
    import os

    _, counted = counting_program(files, shown)
    out = [Growth(s, tuple(copies), [0] * len(copies)) for s in counted]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(scenarios)))
    args = (pack.name, str(pack.folder.parent), tuple(map(str, files)), tuple(copies))
    if jobs == 1:
        results = [_scenario_sizes(*args, scenario) for scenario in scenarios]
    else:
        from checker.engine.pool import worker_pool

        with worker_pool(jobs) as pool:
            results = list(pool.map(_scenario_sizes, *zip(*[args + (s,) for s in scenarios])))
    for per_size in results:
        for i, sizes in enumerate(per_size or ()):
            for g, n in zip(out, sizes):
                g.sizes[i] += n
    return out


_PROGRAMS: dict = {}   # the counting program of each set of files, parsed once per process


def _scenario_sizes(pack_name: str, rules_root: str, files: tuple, copies: tuple,
                    scenario: Scenario) -> list[list[int]] | None:
    """Each statement's count over ``scenario`` made ``k`` times longer, for each k (None:
    no room for the copies before 9999-12-31)."""
    import clingo

    from checker.engine.facts import fact_symbols
    from checker.io.pack import load_pack

    pack = load_pack(pack_name, Path(rules_root))
    if files not in _PROGRAMS:
        _PROGRAMS[files] = counting_program([Path(f) for f in files])
    statements, counted = _PROGRAMS[files]
    longer = [scaled(scenario, pack, k) for k in copies]
    if any(s is None for s in longer):
        return None
    return [_sizes(statements, len(counted), fact_symbols(history, pack, clingo)) for history in longer]
