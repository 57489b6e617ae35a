"""The rules of a pack as data: every rule with its file, line, variables and provision.

Explanations are derived from the rules themselves, never hand-written per provision.
This module parses a pack's rule files with clingo's AST API and builds, on demand, *query
rules* for one target atom: for rule ``h :- B.`` and a target ``t``, the rule
``__why(Q, R, (V1,...,Vn)) :- h = t, B.`` finds the instances of R that derive t, with the
binding of every variable; and ``__near(Q, R, i, (V...)) :- h = t, B without L_i, not L_i.``
finds the *near misses*: instances where every condition but the i-th holds (the candidate
events that came close, and the one condition each failed). See docs/explanations.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from clingo import Function, ast
from clingo.ast import ASTType, ComparisonOperator

_NEGATE = {
    ComparisonOperator.GreaterEqual: ComparisonOperator.LessThan,
    ComparisonOperator.GreaterThan: ComparisonOperator.LessEqual,
    ComparisonOperator.LessEqual: ComparisonOperator.GreaterThan,
    ComparisonOperator.LessThan: ComparisonOperator.GreaterEqual,
    ComparisonOperator.Equal: ComparisonOperator.NotEqual,
    ComparisonOperator.NotEqual: ComparisonOperator.Equal,
}
_PROVISION_HEADER = re.compile(r"^Encodes\s*:\s*(.+)$", re.MULTILINE)


@dataclass
class RuleInfo:
    """One rule of a rule file (facts included), ready to be queried."""

    id: int
    file: Path
    line: int
    text: str
    head_name: str
    head_args: list          # AST terms of the head atom's arguments
    body: list               # AST literals, as written
    query_body: list         # the same, anonymous variables named in positive literals
    variables: list[str]     # every global variable of query_body and head, first use first
    file_provision: str | None = None
    _lits: list | None = None       # per body literal: (kind, variables, assigned variables)
    _head_binds: list | None = None  # per head argument: variables a match binds
    _safe_cache: dict = field(default_factory=dict)

    def literal_facts(self) -> list:
        if self._lits is None:
            self._lits = [_literal_facts(lit) for lit in self.query_body]
        return self._lits

    def head_binds(self) -> list:
        if self._head_binds is None:
            self._head_binds = [_binding_variables(arg) for arg in self.head_args]
        return self._head_binds

    def relaxation_safe(self, i: int, given: tuple) -> bool:
        """Whether dropping condition i (and requiring it to fail) leaves a safe rule."""
        key = (i, given)
        cached = self._safe_cache.get(key)
        if cached is None:
            cached = self._safe_cache[key] = _relaxation_safe(self, i, given)
        return cached


@dataclass
class RuleBase:
    """All rules of a pack, indexed by head predicate."""

    statements: list = field(default_factory=list)  # everything to load, minus #show
    rules: list[RuleInfo] = field(default_factory=list)
    by_head: dict = field(default_factory=dict)

    def rules_for(self, name: str, arity: int) -> list[RuleInfo]:
        return self.by_head.get((name, arity), [])


class _Vars(ast.Transformer):
    def __init__(self):
        self.names: list[str] = []

    def visit_Variable(self, node):
        if node.name != "_" and node.name not in self.names:
            self.names.append(node.name)
        return node


class _NameAnonymous(ast.Transformer):
    def __init__(self, prefix: str):
        self.prefix, self.count = prefix, 0

    def visit_Variable(self, node):
        if node.name == "_":
            self.count += 1
            return ast.Variable(node.location, f"{self.prefix}{self.count}")
        return node


class Substitute(ast.Transformer):
    """Replace variables by the symbols they are bound to (the others stay variables)."""

    def __init__(self, bindings: dict):
        self.bindings = bindings

    def visit_Variable(self, node):
        value = self.bindings.get(node.name)
        return node if value is None else ast.SymbolicTerm(node.location, value)


def global_variables(items) -> list[str]:
    """Variables of literals outside aggregate elements, in order of first use."""
    names: list[str] = []
    for item in items:
        names.extend(n for n in _item_variables(item) if n not in names)
    return names


# asked again and again of the same rules' literals; keyed by the node's structure (equal
# nodes have equal variables) and bounded, so that a run over many files keeps its memory
@lru_cache(maxsize=1 << 14)
def _item_variables(item) -> tuple[str, ...]:
    collector = _Vars()
    if item.ast_type == ASTType.Literal and item.atom.ast_type == ASTType.BodyAggregate:
        for guard in (item.atom.left_guard, item.atom.right_guard):
            if guard is not None:
                collector(guard.term)
        return tuple(collector.names)
    collector(item)
    return tuple(collector.names)


def _binding_variables(term) -> set:
    """Variables that matching ``term`` against a value binds (not those inside arithmetic)."""
    kind = term.ast_type
    if kind == ASTType.Variable:
        return set() if term.name == "_" else {term.name}
    if kind == ASTType.Function:
        out: set = set()
        for arg in term.arguments:
            out |= _binding_variables(arg)
        return out
    return set()


def _literal_facts(lit) -> tuple:
    """(kind, variables needed or bound, variables it assigns) of one body literal."""
    names = set(global_variables([lit]))
    if lit.ast_type != ASTType.Literal:
        return ("other", names, set())
    atom = lit.atom
    if atom.ast_type == ASTType.SymbolicAtom:
        return ("pos" if lit.sign == ast.Sign.NoSign else "neg", names, set())
    if atom.ast_type == ASTType.Comparison:
        assigned = set()
        if lit.sign == ast.Sign.NoSign and len(atom.guards) == 1 \
                and atom.guards[0].comparison == ComparisonOperator.Equal \
                and atom.term.ast_type == ASTType.Variable:
            assigned = {atom.term.name}
        return ("cmp", names, assigned)
    if atom.ast_type == ASTType.BodyAggregate:
        assigned = set()
        if atom.left_guard is not None and atom.left_guard.comparison == ComparisonOperator.Equal \
                and atom.left_guard.term.ast_type == ASTType.Variable:
            assigned = {atom.left_guard.term.name}
        return ("agg", names, assigned)
    return ("other", names, set())


def _relaxation_safe(rule: RuleInfo, i: int, given: tuple) -> bool:
    facts = rule.literal_facts()
    bound: set = set()
    for arg_vars, is_given in zip(rule.head_binds(), given):
        if is_given:
            bound |= arg_vars
    for j, (kind, names, _) in enumerate(facts):
        if j != i and kind == "pos":
            bound |= names
    kind_i, names_i, _ = facts[i]
    if kind_i == "neg":  # relaxed to the positive atom: it binds what it mentions
        bound |= names_i
    changed = True
    while changed:
        changed = False
        for j, (kind, names, assigned) in enumerate(facts):
            if j == i or not assigned or assigned <= bound:
                continue
            if (names - assigned) <= bound:
                bound |= assigned
                changed = True
    needed = set(rule.variables)
    for kind, names, _ in facts:
        needed |= names
    return needed <= bound


def _file_provisions(path: Path) -> str | None:
    match = _PROVISION_HEADER.search(path.read_text(encoding="utf-8"))
    return match.group(1).split(",")[0].strip() if match else None


def load_rules(files: list[Path]) -> RuleBase:
    """Parse rule files; every rule gets an id, its location and a query-ready body."""
    base = RuleBase()
    for path in files:
        provision = _file_provisions(path)
        lines = path.read_text(encoding="utf-8").splitlines()

        def take(stm, path=path, provision=provision, lines=lines):
            if stm.ast_type == ASTType.ShowSignature or stm.ast_type == ASTType.ShowTerm:
                return
            base.statements.append(stm)
            if stm.ast_type != ASTType.Rule:
                return
            head = stm.head
            if head.ast_type != ASTType.Literal or head.atom.ast_type != ASTType.SymbolicAtom:
                return
            term = head.atom.symbol
            if term.ast_type == ASTType.Pool:
                alternatives = list(term.arguments)
            else:
                alternatives = [term]
            for alt in alternatives:
                if alt.ast_type != ASTType.Function:
                    continue
                namer = _NameAnonymous("Anon_")
                query_body = [namer(lit) if lit.ast_type == ASTType.Literal and lit.sign == ast.Sign.NoSign
                              and lit.atom.ast_type == ASTType.SymbolicAtom else lit for lit in stm.body]
                info = RuleInfo(
                    id=len(base.rules), file=path, line=stm.location.begin.line,
                    text=_rule_text(lines, stm), head_name=alt.name, head_args=list(alt.arguments),
                    body=list(stm.body), query_body=query_body,
                    variables=global_variables([ast.Literal(alt.location, ast.Sign.NoSign,
                                                            ast.SymbolicAtom(alt))] + query_body),
                    file_provision=provision,
                )
                base.rules.append(info)
                base.by_head.setdefault((alt.name, len(alt.arguments)), []).append(info)

        ast.parse_files([str(path)], take)
    return base


def _rule_text(lines: list[str], stm) -> str:
    begin, end = stm.location.begin, stm.location.end
    chunk = lines[begin.line - 1:end.line]
    return " ".join(" ".join(chunk).split())


# --- unification of a rule head with a target -----------------------------------------------
def unify(term, value, bindings: dict, residual: list) -> bool:
    """Match AST ``term`` against symbol ``value``; bind variables; defer arithmetic."""
    kind = term.ast_type
    if kind == ASTType.Variable:
        if term.name == "_":
            return True
        bound = bindings.get(term.name)
        if bound is None:
            bindings[term.name] = value
            return True
        return bound == value
    if kind == ASTType.SymbolicTerm:
        return term.symbol == value
    if kind == ASTType.Function:
        if value.type.name != "Function" or value.name != term.name \
                or len(value.arguments) != len(term.arguments):
            return False
        return all(unify(t, v, bindings, residual) for t, v in zip(term.arguments, value.arguments))
    residual.append((term, value))  # e.g. D + P: checked by the grounder once D, P are bound
    return True


def _eq(loc, left, right):
    return ast.Literal(loc, ast.Sign.NoSign,
                       ast.Comparison(left, [ast.Guard(ComparisonOperator.Equal, right)]))


def head_conditions(rule: RuleInfo, target_args: list) -> list | None:
    """Body literals that make the rule's head equal ``target_args`` (None: cannot match).

    A target argument is a clingo Symbol, or None for "any value".
    """
    bindings: dict = {}
    residual: list = []
    for term, value in zip(rule.head_args, target_args):
        if value is None:
            continue
        if not unify(term, value, bindings, residual):
            return None
    loc = rule.body[0].location if rule.body else _LOC
    out = [_eq(loc, ast.Variable(loc, name), ast.SymbolicTerm(loc, sym)) for name, sym in bindings.items()]
    out.extend(_eq(loc, term, ast.SymbolicTerm(loc, value)) for term, value in residual)
    return out


_LOC = ast.Location(ast.Position("<explain>", 1, 1), ast.Position("<explain>", 1, 1))


def _tuple(loc, names: list[str]):
    return ast.Function(loc, "", [ast.Variable(loc, n) for n in names], 0)


def why_rule(rule: RuleInfo, query: int, target_args: list, predicate: str):
    """``predicate(Q, R, (V...)) :- head = target, body.`` or None if the head cannot match."""
    conditions = head_conditions(rule, target_args)
    if conditions is None:
        return None
    loc = _LOC
    head = ast.Function(loc, predicate, [ast.SymbolicTerm(loc, _num(query)), ast.SymbolicTerm(loc, _num(rule.id)),
                                         _tuple(loc, rule.variables)], 0)
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(head)),
                    conditions + list(rule.query_body))


def relaxable(literal) -> bool:
    """Literals a near miss may fail: atoms (positive or negated) and comparisons of values.
    An equation with a compound term (``O = ob(P, G, A)``) takes a value apart or builds one:
    it is how the rule reads, not a condition anything could come close to."""
    if literal.ast_type != ASTType.Literal:
        return False
    atom = literal.atom
    if atom.ast_type == ASTType.Comparison:
        if any(g.comparison in (ComparisonOperator.Equal, ComparisonOperator.NotEqual)
               for g in atom.guards) and any(_compound(t) for t in [atom.term] + [g.term for g in atom.guards]):
            return False
        return True
    return atom.ast_type == ASTType.SymbolicAtom


def _compound(term) -> bool:
    return (term.ast_type == ASTType.Function and bool(term.arguments)) or \
        (term.ast_type == ASTType.SymbolicTerm and term.symbol.type.name == "Function" and bool(term.symbol.arguments))


def negate(literal):
    """The literal that holds exactly when ``literal`` fails."""
    atom = literal.atom
    if atom.ast_type == ASTType.Comparison and len(atom.guards) == 1:
        guard = atom.guards[0]
        return ast.Literal(literal.location, ast.Sign.NoSign,
                           ast.Comparison(atom.term, [ast.Guard(_NEGATE[guard.comparison], guard.term)]))
    sign = ast.Sign.NoSign if literal.sign == ast.Sign.Negation else ast.Sign.Negation
    return ast.Literal(literal.location, sign, atom)


def head_bindings(rule: RuleInfo, target_args: list) -> dict:
    """The values the target gives the variables of the rule's head (None: it cannot match)."""
    bindings: dict = {}
    for term, value in zip(rule.head_args, target_args):
        if value is not None and not unify(term, value, bindings, []):
            return None
    return bindings


def mentions(literal, names: set) -> bool:
    """Whether ``literal`` uses one of the variables ``names``."""
    return bool(names) and any(n in names for n in global_variables([literal]))


def near_rules(rule: RuleInfo, query: int, target_args: list, predicate: str,
               fixed: set = frozenset()) -> list[tuple[int, object]]:
    """For each condition i that can be relaxed safely, the rule finding instances failing only
    i. A condition on a variable in ``fixed`` is never relaxed (it says which duties the rule
    is about, not what a duty asks)."""
    conditions = head_conditions(rule, target_args)
    if conditions is None:
        return []
    out = []
    given = tuple(a is not None for a in target_args)
    for i, literal in enumerate(rule.query_body):
        if not relaxable(literal) or mentions(literal, fixed):
            continue
        rest = [lit for j, lit in enumerate(rule.query_body) if j != i]
        failing = negate(rule.body[i]) if literal.atom.ast_type == ASTType.Comparison else negate(literal)
        if literal.ast_type == ASTType.Literal and literal.sign == ast.Sign.Negation:
            failing = ast.Literal(literal.location, ast.Sign.NoSign, _name_anon(literal.atom))
        body = conditions + rest + [failing]
        if not rule.relaxation_safe(i, given):
            continue
        loc = _LOC
        bindings = _tuple(loc, rule.variables + _extra(failing, rule.variables))
        head = ast.Function(loc, predicate, [ast.SymbolicTerm(loc, _num(query)), ast.SymbolicTerm(loc, _num(rule.id)),
                                             ast.SymbolicTerm(loc, _num(i)), bindings], 0)
        out.append((i, ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(head)), body)))
    return out


def _name_anon(atom):
    return _NameAnonymous("Near_")(atom)


def _extra(literal, known: list[str]) -> list[str]:
    return [n for n in global_variables([literal]) if n not in known]


def _wrap(term):
    return ast.Literal(term.location, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(term.location, "w", [term], 0)))


def _num(n: int):
    from clingo import Number

    return Number(n)


# --- following an absence down the rules ---------------------------------------------------
OPEN = "__open"   # stands for an argument left open in a pattern


def condition_patterns(rule: RuleInfo, target_args: list, fixed: set = frozenset()) -> list[tuple]:
    """Every positive condition of the rule as a pattern, with whether it is one to follow
    down (it could not be relaxed in place). A pattern is a Symbol with the head's bindings
    filled in and ``__open`` for unbound arguments. The caller follows down only conditions
    with no instance, and only where each other condition of the rule has one: a rule with
    two failing conditions did not come close. Conditions on a ``fixed`` variable are never
    followed down.
    """
    conditions = head_conditions(rule, target_args)
    if conditions is None:
        return []
    bindings: dict = {}
    for term, value in zip(rule.head_args, target_args):
        if value is not None:
            unify(term, value, bindings, [])
    out = []
    given = tuple(a is not None for a in target_args)
    for i, literal in enumerate(rule.query_body):
        if not (relaxable(literal) and literal.sign == ast.Sign.NoSign
                and literal.atom.ast_type == ASTType.SymbolicAtom):
            continue
        term = Substitute(bindings)(literal.atom.symbol)
        if term.ast_type != ASTType.Function:
            continue
        args = []
        for arg in term.arguments:
            if arg.ast_type == ASTType.SymbolicTerm:
                args.append(arg.symbol)
            else:
                try:
                    from clingo import parse_term

                    args.append(parse_term(str(arg)) if not global_variables([_wrap(arg)]) else Function(OPEN))
                except RuntimeError:
                    args.append(Function(OPEN))
        # relaxation-safe conditions are relaxed in place by near_rules, not followed down; nor
        # is a condition on a fixed variable (it still counts as one that fails, if it does)
        out.append((Function(term.name, args), not rule.relaxation_safe(i, given) and not mentions(literal, fixed)))
    return out


def pattern_args(pattern) -> list:
    """A pattern's arguments, None where it is open."""
    return [None if (a.type.name == "Function" and a.name == OPEN and not a.arguments) else a
            for a in pattern.arguments]


def exists_rule(index: int, pattern, predicate: str):
    """``predicate(index) :- pattern.`` with open arguments as fresh variables."""
    loc = _LOC
    args = [ast.Variable(loc, f"Open_{k}") if a is None else ast.SymbolicTerm(loc, a)
            for k, a in enumerate(pattern_args(pattern))]
    head = ast.Function(loc, predicate, [ast.SymbolicTerm(loc, _num(index))], 0)
    body = [ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, pattern.name, args, 0)))]
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(head)), body)


# --- aggregates: the elements an aggregate counted --------------------------------------------
def aggregate_of(literal):
    """The body aggregate of a literal (``K = #count { ... }``), or None."""
    if literal.ast_type == ASTType.Literal and literal.sign == ast.Sign.NoSign \
            and literal.atom.ast_type == ASTType.BodyAggregate:
        return literal.atom
    return None


def element_rules(aggregate, bindings: dict, query: int, predicate: str) -> list[tuple[int, list[str], object]]:
    """For each element ``T : C`` of ``aggregate``, with the rule's variables bound: the rule
    ``predicate(query, k, (L...)) :- C.`` whose answers bind the element's own variables L
    (one answer per element instance). Returns (k, L, rule)."""
    sub = Substitute(bindings)
    out = []
    loc = _LOC
    for k, element in enumerate(aggregate.elements):
        condition = [sub(c) for c in element.condition]
        if not condition:
            continue
        names = global_variables(condition)
        head = ast.Function(loc, predicate, [ast.SymbolicTerm(loc, _num(query)), ast.SymbolicTerm(loc, _num(k)),
                                             _tuple(loc, names)], 0)
        out.append((k, names, ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(head)), condition)))
    return out
