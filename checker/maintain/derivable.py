"""What a pack's program can never derive, and the rule changes that can therefore change nothing.

A shared rule (rules/common) can serve one pack and be dead in another: the refusal rules of
the lifecycle read ``refuses/3``, which no rule of a pack without refusable duties derives.
A mutant of such a rule cannot change a verdict of that pack, and no corpus of it could kill
one; a maintainer should not have to argue it in a comment on a file every pack shares.

The test is static and sound. The *derivable* predicates of a program are the engine's
inputs (``engine_inputs``: the facts it gives, and every predicate the programs it and the
analyses add to a pack's rules name) and, to a fixpoint, the heads of every rule whose
positive body literals are all derivable (negation, comparisons and aggregates ignored: an
over-approximation of what any answer set holds). The facts of the predicates the pack's
manifest alone gives (engine.facts.PACK_ONLY: its provisions and their deadlines) are known
whatever the scenario: a literal of them that none matches never holds, and a rule that
needs it derives nothing. A predicate outside that set is false in every answer set. A rule
is *dead* when one of its positive body literals never holds; a negative literal that never
holds is always true and can be left out. A mutant changes nothing when the rule and its
mutant are both dead, or are the same rule once those always-true literals are left out: the
positive dependencies, and so the derivable set, are then those of the unmutated program.
Where a head is of a form this module does not read, it gives up (no mutant of the program
is called equivalent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Predicate = tuple[str, int]


def _predicate(atom) -> Predicate | None:
    """The predicate of a symbolic atom's term (``-p(X)`` as ``-p``), or None."""
    from clingo.ast import ASTType, UnaryOperator

    term = atom.symbol
    prefix = ""
    if term.ast_type == ASTType.UnaryOperation and term.operator_type == UnaryOperator.Minus:
        term, prefix = term.argument, "-"
    if term.ast_type == ASTType.Pool and not prefix:  # p(a;b) is one predicate, p(a;b,c) is not
        found = {_predicate(atom.update(symbol=t)) for t in term.arguments}
        return found.pop() if len(found) == 1 else None
    if term.ast_type == ASTType.Function:
        return prefix + term.name, len(term.arguments)
    return None


def _literal_predicate(literal) -> Predicate | None:
    from clingo.ast import ASTType

    if literal.ast_type == ASTType.Literal and literal.atom.ast_type == ASTType.SymbolicAtom:
        return _predicate(literal.atom)
    return None


class _Unreadable(Exception):
    """A head of a form this module does not read."""


def _heads(rule) -> list[Predicate]:
    """The predicates a rule's head can make true."""
    from clingo.ast import ASTType

    head = rule.head
    if head.ast_type == ASTType.Literal:
        if head.atom.ast_type == ASTType.BooleanConstant:
            return []
        pred = _literal_predicate(head)
        if pred is None:
            raise _Unreadable
        return [pred]
    if head.ast_type in (ASTType.Disjunction, ASTType.Aggregate):
        out = []
        for element in head.elements:
            pred = _literal_predicate(element.literal)
            if pred is None:
                raise _Unreadable
            out.append(pred)
        return out
    if head.ast_type == ASTType.HeadAggregate:
        out = []
        for element in head.elements:
            pred = _literal_predicate(element.condition.literal)
            if pred is None:
                raise _Unreadable
            out.append(pred)
        return out
    raise _Unreadable


def _needs(rule) -> set[Predicate]:
    """The predicates of the rule's positive body literals (each must hold for it to fire)."""
    from clingo.ast import Sign

    out = set()
    for literal in rule.body:
        pred = _literal_predicate(literal)
        if pred is not None and literal.sign == Sign.NoSign:
            out.add(pred)
    return out


@dataclass(frozen=True)
class Program:
    """The derivable predicates of one pack's program (None: it could not be read), and the
    facts of the predicates its manifest alone gives (``fixed``: predicate -> value tuples)."""

    name: str
    derivable: frozenset[Predicate] | None
    fixed: dict = field(default_factory=dict)

    def dead_by(self, rule) -> str | None:
        """Why ``rule`` never fires: a positive body literal whose predicate the program never
        derives, or one of a fixed predicate that no fact of the manifest matches (None: it may)."""
        if self.derivable is None:
            return None
        missing = next((pred for pred in sorted(_needs(rule)) if pred not in self.derivable), None)
        if missing is not None:
            return f"nothing there derives {_shown(missing)}"
        unmatched = _unmatched(rule, self.fixed)
        if unmatched is not None:
            return f"its manifest gives no {unmatched}"
        return None

    def always_true(self, rule) -> list[int]:
        """The positions in the body of ``rule`` of its negative literals whose predicate the
        program never derives (each always holds)."""
        from clingo.ast import Sign

        if self.derivable is None:
            return []
        out = []
        for i, lit in enumerate(rule.body):
            pred = _literal_predicate(lit)
            if pred is not None and lit.sign == Sign.Negation and (
                    pred not in self.derivable or (pred in self.fixed and not _matches(lit, self.fixed[pred]))):
                out.append(i)
        return out

    def same_as(self, original, mutant) -> str | None:
        """Why ``mutant`` cannot change any answer of this program where it replaces ``original``
        (None when it may)."""
        if self.derivable is None:
            return None
        dead_original, dead_mutant = self.dead_by(original), self.dead_by(mutant)
        if dead_original and dead_mutant:
            return f"the rule never fires in {self.name}: {dead_original}"
        if dead_original or dead_mutant:
            return None
        kept, changed = self.always_true(original), self.always_true(mutant)
        if (kept or changed) and _without(original, kept) == _without(mutant, changed):
            rule, at = (original, kept[0]) if kept else (mutant, changed[0])
            literal = rule.body[at]
            pred = _literal_predicate(literal)
            why = (f"its manifest gives no {str(literal).removeprefix('not ')}" if pred in self.derivable
                   else f"nothing derives {_shown(pred)}")
            return f"in {self.name} {why}: `{literal}` always holds"
        return None


def _value(term):
    """The clingo symbol a ground argument of a literal stands for (None: it holds a variable
    or an operation, and matches anything)."""
    from clingo import Function
    from clingo.ast import ASTType

    if term.ast_type == ASTType.SymbolicTerm:
        return term.symbol
    if term.ast_type == ASTType.Function and not term.arguments and not term.external:
        return Function(term.name)
    return None


def _unmatched(rule, fixed: dict) -> str | None:
    """A positive body literal of ``rule`` of a fixed predicate that no fixed fact matches."""
    from clingo.ast import Sign

    for literal in rule.body:
        pred = _literal_predicate(literal)
        if pred is None or literal.sign != Sign.NoSign or pred not in fixed:
            continue
        if not _matches(literal, fixed[pred]):
            return str(literal)
    return None


def _matches(literal, facts) -> bool:
    """Whether some fact of ``facts`` (value tuples) can be the atom of ``literal``."""
    pattern = [_value(a) for a in literal.atom.symbol.arguments]
    return any(all(v is None or v == f for v, f in zip(pattern, fact)) for fact in facts)


def fixed_facts(pack) -> dict:
    """The facts of the predicates the pack's manifest alone gives (engine.facts.PACK_ONLY),
    as tuples of clingo symbols by predicate."""
    from clingo import Function, Number, String

    from checker.engine.facts import PACK_ONLY, pack_fact_tuples
    from checker.engine.terms import Name

    def symbol(value):
        if isinstance(value, Name):
            return Function(str(value))
        return Number(value) if isinstance(value, int) else String(value)

    out: dict = {pred: set() for pred in PACK_ONLY}
    for name, *values in pack_fact_tuples(pack):
        out[(name, len(values))].add(tuple(symbol(v) for v in values))
    return out


def _without(rule, positions: list[int]) -> str:
    return str(rule.update(body=[lit for i, lit in enumerate(rule.body) if i not in positions]))


def _shown(pred: Predicate) -> str:
    return f"{pred[0]}/{pred[1]}"


# The programs the engine and the analyses add to a pack's rules (module, name): what they
# name is given to the pack's rules or made by them (tests/test_mutate.py checks the list is
# whole against every `ctl.add` of the package).
ENGINE_PROGRAMS = (
    ("checker.engine.solve", "INPUT_PROGRAM"),
    ("checker.engine.solve", "WORLDS_PROGRAM"),
    ("checker.engine.solve", "WORLDS_SHOW"),
    ("checker.engine.multishot", "FAMILY_PROGRAM"),
    ("checker.analysis.repair.probe", "PROBE_PROGRAM"),
    ("checker.analysis.repair.probe", "PROBE_OPENED_PROGRAM"),
    ("checker.analysis.repair.optimise", "REPAIR_PROGRAM"),
    ("checker.analysis.repair.cover", "COVER_PROGRAM"),
    ("checker.maintain.growth", "SIZES"),
)


def engine_inputs() -> frozenset[Predicate] | None:
    """The predicates a pack's rules may be given from outside them: the engine's facts, and
    every predicate named in a program of ENGINE_PROGRAMS (None: one could not be read)."""
    import importlib

    from clingo import ast
    from clingo.ast import ASTType

    from checker.engine.multishot import PREDICATES

    found: set[Predicate] = set(PREDICATES)

    class Names(ast.Transformer):
        def visit_SymbolicAtom(self, node):
            pred = _predicate(node)
            if pred is None:
                raise _Unreadable
            found.add(pred)
            return node

    names = Names()
    try:
        for module, name in ENGINE_PROGRAMS:
            statements: list = []
            ast.parse_string(getattr(importlib.import_module(module), name), statements.append)
            for s in statements:
                if s.ast_type == ASTType.Defined:
                    found.add((s.name, s.arity))
                names(s)
    except _Unreadable:
        return None
    return frozenset(found)


def program(name: str, statements: Iterable, inputs: Sequence[Predicate] | None, fixed: dict | None = None) -> Program:
    """The derivable predicates of the program made of ``statements`` (clingo AST statements
    of every file the engine grounds for the pack) given the engine's ``inputs``, and
    ``fixed`` (see fixed_facts): a rule with a positive literal no fixed fact matches derives
    nothing."""
    from clingo.ast import ASTType

    fixed = fixed or {}
    if inputs is None:
        return Program(name, None)
    rules: list[tuple[list[Predicate], set[Predicate]]] = []
    derivable: set[Predicate] = set(inputs)
    try:
        for s in statements:
            if s.ast_type == ASTType.Rule and _unmatched(s, fixed) is None:
                rules.append((_heads(s), _needs(s)))
            elif s.ast_type == ASTType.External:
                pred = _predicate(s.atom)
                if pred is None:
                    raise _Unreadable
                derivable.add(pred)
    except _Unreadable:
        return Program(name, None)
    changed = True
    while changed:
        changed = False
        for heads, needs in rules:
            if needs <= derivable and not derivable.issuperset(heads):
                derivable.update(heads)
                changed = True
    return Program(name, frozenset(derivable), fixed)
