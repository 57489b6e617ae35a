"""Explanations: why a verdict holds, or why a duty did not fire, derived from the rules.

How (see docs/explanations.md): the pack's rules are parsed with clingo's AST API
(checker.analysis.instrument). The scenario is grounded once, as for a check; then, level by
level down the tree, small *query rules* are added in further steps of the same control:
``__why`` finds the rule instance (and every variable's value) that derived an atom,
``__near`` finds, for an atom that does not hold, the instances where every condition but
one held (the candidates that came close, and the condition each failed), and ``__elem``
finds the elements an aggregate of a rule instance counted. Only what is shown is computed.
Wording comes from templates next to the rules (``explain.yaml`` in rules/common/ and in the
pack), never from Python.

One module, though long: the query rules, the tree they build and its wording are steps of
one descent over the same control and instrumented rules, which share its state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import clingo
from clingo import Function, String, SymbolType, ast

from checker.analysis.instrument import (
    RuleBase,
    Substitute,
    aggregate_of,
    condition_patterns,
    element_rules,
    exists_rule,
    head_bindings,
    load_rules,
    near_rules,
    pattern_args,
    why_rule,
)
from checker.engine.facts import INPUTS, fact_symbols
from checker.errors import PackError, Problem
from checker.io.pack import Pack, read_manifest, rule_files
from checker.io.template import template_fault
from checker.model import Verdicts, iso

TEMPLATES = "explain.yaml"
# engine inputs (rules/common/inputs.lp) that are facts of the scenario, not conclusions
EVENT_FACTS = {("event", 3), ("arg", 3), ("occurred", 3), ("has_field", 2)}
SETTING_FACTS = {("as_of", 1): "as_of", ("in_force_from", 1): "in_force_from", ("reading", 2): "readings",
                 ("param", 2): "parameters", ("role", 2): "parties", ("excluded", 1): "excluded_regions",
                 ("pack_date", 2): "dates", ("role_since", 3): "parties", ("region_attr", 2): "region_attributes",
                 ("provision_deadline", 2): "provisions", ("region_state", 2): "regions"}
# where in the manifest a setting is written: the argument of its fact that names the line
MANIFEST_NAME = {"readings": 0, "parameters": 0, "parties": 1, "dates": 0, "region_attributes": 1}
# a candidate is an event of the scenario: that it is one is never what it failed
UNRELAXED = {("event", 3)}
# inputs that are bookkeeping, never a reason: no node of their own
HIDDEN = {("seq", 2), ("next_day", 2), ("provision", 2), ("region", 1)}
MIN_DAY, MAX_DAY = 693596, 803533   # 1900-01-01 .. 2200-12-31: numbers shown as dates
MAX_CONSIDERED = 5  # candidates listed per absence; the others are counted ("N more")
MAX_NEAR = 200      # near misses read per absence (a long history has thousands), but with --all-candidates
MAX_COUNTED = 20    # elements of one aggregate listed; the others are counted
MAX_DEEPER = 4      # how far down a candidate's failed condition is looked into
# quiet steps and the links of a chain of absences are not levels of the tree (the same
# tree reads the same at every --depth); this bounds how many of them are followed
EXTRA_STEPS = 24
AGGREGATES_THAT_COUNT = {ast.AggregateFunction.Count, ast.AggregateFunction.Sum, ast.AggregateFunction.SumPlus}
_LOC = ast.Location(ast.Position("<explain>", 1, 1), ast.Position("<explain>", 1, 1))
_CMP_DAYS = {ast.ComparisonOperator.GreaterEqual: "is not on or after", ast.ComparisonOperator.GreaterThan: "is not after",
             ast.ComparisonOperator.LessEqual: "is not on or before", ast.ComparisonOperator.LessThan: "is not before",
             ast.ComparisonOperator.Equal: "is not", ast.ComparisonOperator.NotEqual: "is"}
_CMP_NUMBERS = {ast.ComparisonOperator.GreaterEqual: "is less than", ast.ComparisonOperator.GreaterThan: "is not more than",
                ast.ComparisonOperator.LessEqual: "is more than", ast.ComparisonOperator.LessThan: "is not less than",
                ast.ComparisonOperator.Equal: "is not", ast.ComparisonOperator.NotEqual: "is"}


@dataclass(eq=False)
class Node:
    claim: str
    because: str                      # fact | rule | absence
    source: str | None = None         # scenario file:line (facts, candidates)
    rule: str | None = None           # rule file:line
    provision: str | None = None
    text: str | None = None
    candidates: list = field(default_factory=list)   # (rank, entry) of an absence; see considered()
    more: int = 0                     # candidates not read (beyond MAX_NEAR)
    cap: int | None = MAX_CONSIDERED  # candidates listed (None: all)
    children: list = field(default_factory=list)
    quiet: bool = False               # a step not worth a line: its children stand in its place
    plain: bool = False               # an absent fact: no candidates to look for
    optional: bool = False            # shown only with candidates (what an aggregate did not count)
    exclude: set = field(default_factory=set)  # candidates whose conclusion holds (counted already)
    counted_by: Node | None = None    # the node of the aggregate that counted this element
    used: set = field(default_factory=set)  # events the counted elements rest on (not candidates again)
    chain: frozenset = frozenset()    # the absences followed down to this one
    also: list = field(default_factory=list)  # said after the children: an element's other conditions

    def gathered(self) -> list:
        """The (rank, entry) candidates of this absence, with those of its quiet helper steps."""
        out = [c for c in self.candidates if not c[1].get("drop")]
        for c in self.children:
            if c.quiet and c.because == "absence":
                out.extend(x for x in c.gathered() if x not in out)
        return out

    def considered(self) -> tuple[list, int]:
        """The candidates to list, closest first, and how many more there are."""
        ranked = sorted(self.gathered(), key=lambda c: c[0])
        entries: list = []
        for _, entry in ranked:
            shown = {k: v for k, v in entry.items() if k in ("event", "source", "why_not")}
            if shown not in entries:
                entries.append(shown)
        more = self.more + sum(c.more for c in self.children if c.quiet and c.because == "absence")
        if self.cap is not None and len(entries) > self.cap:
            more += len(entries) - self.cap
            entries = entries[: self.cap]
        return entries, more

    def _empty(self) -> bool:
        return not self.gathered() and not self.children and not self.more

    def flat_children(self) -> list:
        out: list = []
        for c in self.children + self.also:
            # a chain of absences with nothing to show in between reads as its last link
            # (not into a quiet helper with candidates: the link above it gathers them)
            while (self.because == "absence" and c.because == "absence" and not c.gathered()
                   and len(c.children) == 1 and c.children[0].because == "absence"
                   and not (c.children[0].quiet and c.children[0].gathered())):
                c = c.children[0]
            if c.because == "absence" and (c.quiet or c.optional) and c._empty():
                continue
            for item in (c.flat_children() if c.quiet else [c]):
                if not any(o.claim == item.claim and o.source == item.source for o in out):
                    out.append(item)
        return out

    def to_json(self) -> dict:
        out = {"claim": self.claim, "because": self.because}
        if self.source is not None:
            out["source"] = self.source
        if self.rule is not None:
            out["rule"] = self.rule
        if self.provision is not None:
            out["provision"] = self.provision
        if self.text is not None:
            out["text"] = self.text
        children = self.flat_children()
        if self.because == "absence":
            considered, more = self.considered()
            out["considered"] = considered
            if more:
                out["more"] = more
                out["note"] = f"{more} more candidate{'s' if more != 1 else ''} (--all-candidates lists them)"
            elif not considered and not children and not self.plain:
                out["note"] = "no candidate came close"
        if children:
            out["children"] = [c.to_json() for c in children]
        return out


def _derivable(rules: RuleBase) -> set[tuple[str, int]]:
    """The predicates some atom of can hold in some scenario of the pack: the engine's inputs,
    and the heads of rules whose positive atoms are all derivable in turn."""
    out = set(INPUTS)
    pending = list(rules.rules)
    changed = True
    while changed:
        changed, left = False, []
        for rule in pending:
            needs = [(lit.atom.symbol.name, len(lit.atom.symbol.arguments)) for lit in rule.body
                     if lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign
                     and lit.atom.ast_type == ast.ASTType.SymbolicAtom
                     and lit.atom.symbol.ast_type == ast.ASTType.Function]
            if all(n in out for n in needs):
                if (rule.head_name, len(rule.head_args)) not in out:
                    out.add((rule.head_name, len(rule.head_args)))
                    changed = True
            else:
                left.append(rule)
        pending = left
    return out


@dataclass
class _Item:
    """One piece of work of a level: a node to fill in, at depth ``d`` of tree ``tree``."""

    node: Node
    kind: str          # why | absence | elements | deeper
    payload: object
    tree: int
    d: int


def load_templates(pack: Pack | Path) -> dict:
    """The wording of a pack over that of the packs it extends and of rules/common:
    ``predicates``, ``fields`` and ``terms``, each by key (the nearest pack's wins). A folder
    stands for a pack that extends none."""
    folders = list(pack.folders) if isinstance(pack, Pack) else [Path(pack)]
    merged: dict = {"predicates": {}, "fields": {}, "terms": {}}
    for path in [folders[0].parent / "common" / TEMPLATES] + [f / TEMPLATES for f in reversed(folders)]:
        if path.exists():  # (one that is no regular file is refused when read)
            data = read_manifest(path)
            if not isinstance(data, dict):
                continue
            _refuse_bad_templates(path, data)
            for section in merged:
                if isinstance(data.get(section), dict):
                    merged[section].update(data[section])
    return merged


def _refuse_bad_templates(path: Path, data: dict) -> None:
    """PackError, with the line of each, for the templates of ``data`` (an explain.yaml) that
    are more than text with places (checker.io.template): none is ever filled."""
    problems = []
    for section in ("predicates", "fields", "terms"):
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        for key, spec in entries.items():
            texts = spec.items() if isinstance(spec, dict) else [(None, spec)]
            for name, text in texts:
                if not isinstance(text, str) or (fault := template_fault(text)) is None:
                    continue
                node, at = (spec, name) if name is not None else (entries, key)
                line = getattr(node, "key_lines", {}).get(at, getattr(node, "line", 1))
                where = f"{section}.{key}" + (f".{name}" if name is not None else "")
                problems.append(Problem(str(path), line, where, fault))
    if problems:
        raise PackError(problems)


class Explainer:
    """Explains verdicts of one checked scenario; build once, ask many times."""

    def __init__(self, verdicts: Verdicts, pack: Pack, *, depth: int = 8, rules_display_root: Path | None = None,
                 control=None, all_candidates: bool = False):
        """``control``: the check's grounded control, reused so the scenario is not ground twice.
        ``all_candidates``: list every candidate of an absence, not the closest few."""
        self.verdicts, self.pack, self.scenario = verdicts, pack, verdicts.scenario
        self.depth = depth
        self.cap = None if all_candidates else MAX_CONSIDERED
        self.max_near = None if all_candidates else MAX_NEAR
        wording = load_templates(pack)
        self.templates, self.field_words, self.terms = wording["predicates"], wording["fields"], wording["terms"]
        files = rule_files(pack)
        self.rules: RuleBase = load_rules(files)
        self.derivable = _derivable(self.rules)
        self.display_root = rules_display_root or pack.folder.parent.parent
        if control is not None:
            self.ctl = control
        else:
            self.ctl = clingo.Control(["--warn=none"])
            with ast.ProgramBuilder(self.ctl) as builder:
                for stm in self.rules.statements:
                    builder.add(stm)
            with self.ctl.backend() as backend:
                for symbol in fact_symbols(self.scenario, pack, clingo):
                    backend.add_rule([backend.add_atom(symbol)])
            self.ctl.ground([("base", [])])
        self.step = 0
        self._shapes: dict = {}
        self.event_ids = {e.id for e in self.scenario.events}
        self._source_lines = None
        self._manifest_lines: dict[Path, list[str]] = {}

    # --- running query rules ---------------------------------------------------------------
    def _run(self, rules: list, shows: list[tuple[str, int]]) -> list:
        if not rules:
            return []
        self.step += 1
        part = f"explain_{self.step}"
        with ast.ProgramBuilder(self.ctl) as builder:
            builder.add(ast.Program(_LOC, part, []))
            for rule in rules:
                builder.add(rule)
            for name, arity in shows:
                builder.add(ast.ShowSignature(_LOC, name, arity, True))
        self.ctl.ground([(part, [])])
        # the base program is stratified, so every query atom the grounder derives is a fact:
        # read them off the grounder, no search needed
        found: list = []
        for name, arity in shows:
            for atom in self.ctl.symbolic_atoms.by_signature(name, arity):
                if not atom.is_fact:
                    return self._solve_for(shows)
                found.append(atom.symbol)
        return found

    def _solve_for(self, shows) -> list:
        found: list = []
        names = {name for name, _ in shows}
        self.ctl.solve(on_model=lambda m: found.extend(s for s in m.symbols(shown=True) if s.name in names))
        return found

    # --- entry points ----------------------------------------------------------------------
    def explain(self, ob_id: str) -> Node:
        """The derivation of one obligation's verdict, or why it did not fire."""
        return self.explain_many([ob_id])[ob_id]

    def explain_many(self, ob_ids: list[str]) -> dict[str, Node]:
        """Several explanations, built together (one query step per level for all of them)."""
        roots: list = []
        spans: list[tuple[str, int, int]] = []
        for ob_id in ob_ids:
            o = self.verdicts.obligation(ob_id)
            if o is not None:
                term = self._ob_term(o.provision, o.holder, o.trigger)
                atoms = [Function("status", [term, Function(o.status)])]
            else:
                n = next((x for x in self.verdicts.not_fired if x.id == ob_id), None)
                if n is None:
                    raise KeyError(ob_id)
                term = self._ob_term(n.provision, n.holder, n.trigger)
                atoms = [Function("not_fired", [term, String(p)]) for p in n.blocked_by]
            spans.append((ob_id, len(roots), len(roots) + len(atoms)))
            roots.extend(atoms)
        built = self._build(roots)
        out: dict[str, Node] = {}
        for ob_id, start, end in spans:
            o = self.verdicts.obligation(ob_id)
            if o is not None:
                tree = built[start]
                if o.status == "pending" and o.deadline is None:
                    tree.claim += " (no deadline: it stays pending until it is met or refused)"
                elif o.status == "pending":
                    left = o.deadline - self.scenario.as_of
                    tree.claim += f" ({left} day{'s' if left != 1 else ''} left: due {iso(o.deadline)})"
                out[ob_id] = tree
                continue
            n = next(x for x in self.verdicts.not_fired if x.id == ob_id)
            children = built[start:end]
            out[ob_id] = Node(claim=f"{ob_id} did not fire: blocked by {', '.join(n.blocked_by)}",
                              because="rule", rule=children[0].rule if children else None,
                              provision=n.blocked_by[0], text=self._provision_text(n.blocked_by[0]),
                              children=children)
        return out

    def _ob_term(self, provision: str, holder: str, trigger: str | None):
        return Function("ob", [String(provision), Function(holder),
                               String(trigger) if trigger is not None else Function("none")])

    # --- the tree, level by level ------------------------------------------------------------
    def _build(self, roots: list) -> list[Node]:
        nodes = [self._placeholder(a) for a in roots]
        level = [_Item(node, "why", atom, k, 0) for k, (node, atom) in enumerate(zip(nodes, roots))]
        seen: set = set()  # (tree, atom): within one tree an atom is explained once
        for _ in range(self.depth + EXTRA_STEPS):
            if not level:
                break
            level = self._expand(level, seen)
        return nodes

    def _placeholder(self, atom) -> Node:
        return Node(claim=self._say(atom.name, atom.arguments, True), because="rule",
                    quiet=self._quiet(atom.name, len(atom.arguments)), cap=self.cap)

    def _quiet(self, name: str, arity: int) -> bool:
        # a helper predicate local to one file (named _like_this) is a step, not a statement,
        # unless its template says otherwise
        spec = self.templates.get(f"{name}/{arity}") or {}
        return bool(spec.get("quiet", name.startswith("_")))

    def _expand(self, level: list[_Item], seen: set) -> list[_Item]:
        """One level of every tree: one query step answers all the items of the level."""
        tag = self.step + 1
        why_name, near_name, exists_name, elem_name = f"__why{tag}", f"__near{tag}", f"__exists{tag}", f"__elem{tag}"
        queries: list = []
        near_index: dict = {}
        chains: dict = {}
        whys: dict = {}       # atom -> (q, [item])
        absences: dict = {}   # (name, args, exclude) -> (q, [item], name, args)
        elements: list = []   # (q, item, rule, literal index, bindings, [(k, names)])
        deepers: list = []    # (q_closed, q_open, item)

        chained: set = set()  # absences whose conditions are followed down

        def absence_query(name, args, item=None):
            akey = (name, tuple(str(a) for a in args))
            if akey in absences:
                if item is not None:
                    absences[akey][1].append(item)
                return absences[akey][0]
            q = len(absences)
            absences[akey] = (q, [item] if item is not None else [], name, args)
            for rule in self.rules.rules_for(name, len(args)):
                for i, r in near_rules(rule, q, list(args), near_name, self._fixed(rule, args)):
                    if _predicate(rule.query_body[i]) in UNRELAXED:
                        continue
                    queries.append(r)
                    near_index[(q, rule.id, i)] = rule
            return q

        for item in level:
            if item.kind == "why":
                atom = item.payload
                key = (atom.name, len(atom.arguments))
                if key in EVENT_FACTS or key in SETTING_FACTS:
                    self._fact(item.node, atom)
                    continue
                if atom in whys:
                    whys[atom][1].append(item)
                    continue
                q = len(whys)
                whys[atom] = (q, [item])
                for rule in self.rules.rules_for(*key):
                    r = why_rule(rule, q, list(atom.arguments), why_name)
                    if r is not None:
                        queries.append(r)
            elif item.kind == "absence":
                name, args = item.payload
                if (name, len(args)) in EVENT_FACTS or (name, len(args)) in SETTING_FACTS:
                    item.node.plain = True  # a missing fact of the scenario: nothing to dig into
                    continue
                q = absence_query(name, args, item)
                if q in chained:
                    continue
                chained.add(q)
                for rule in self.rules.rules_for(name, len(args)):
                    patterns = condition_patterns(rule, list(args), self._fixed(rule, args))
                    first = len(chains)
                    for k, (pattern, chain) in enumerate(patterns):
                        others = [first + j for j in range(len(patterns)) if j != k]
                        chains[first + k] = (q, pattern, others if chain else None)
                        queries.append(exists_rule(first + k, pattern, exists_name))
            elif item.kind == "elements":
                rule, index, bindings = item.payload
                q = len(elements)
                made = element_rules(aggregate_of(rule.query_body[index]), bindings, q, elem_name)
                queries.extend(r for _, _, r in made)
                elements.append((q, item, rule, index, bindings, [(k, names) for k, names, _ in made]))
            else:  # deeper: why a candidate failed a condition that is itself a conclusion
                entry, name, args, _ = item.payload
                opened = [None if a is not None and a.type == SymbolType.Number else a for a in args]
                deepers.append((absence_query(name, args), absence_query(name, opened), item))

        found = self._run(queries, [(why_name, 3), (near_name, 4), (exists_name, 1), (elem_name, 3)])
        best: dict[int, tuple] = {}
        misses: dict[int, list] = {}
        counts: dict[int, int] = {}
        existing = set()
        instances: dict[tuple[int, int], list] = {}
        for sym in found:
            name = sym.name
            if name == exists_name:
                existing.add(sym.arguments[0].number)
            elif name == why_name:
                q, r, binds = sym.arguments[0].number, sym.arguments[1].number, sym.arguments[2]
                # any derivation will do; the least (by clingo's order of symbols) is stable
                if q not in best or (r, binds) < best[q][::2]:
                    best[q] = (r, None, binds)
            elif name == near_name:
                args = sym.arguments
                q = args[0].number
                counts[q] = counts.get(q, 0) + 1
                found_q = misses.setdefault(q, [])
                if self.max_near is None or len(found_q) < self.max_near:
                    found_q.append((args[1].number, args[2].number, args[3]))
            else:
                instances.setdefault((sym.arguments[0].number, sym.arguments[1].number), []).append(sym.arguments[2])

        next_level: list[_Item] = []
        for atom, (q, items) in whys.items():
            if q not in best:
                for item in items:
                    item.node.claim += " (no derivation found)"
                continue
            rule = self.rules.rules[best[q][0]]
            bindings = dict(zip(rule.variables, best[q][2].arguments))
            spec = self.templates.get(f"{atom.name}/{len(atom.arguments)}") or {}
            for item in items:
                node = item.node
                self._rule_node(node, rule, atom)
                if node.counted_by is not None:
                    node.counted_by.used.update(v.string for v in bindings.values()
                                                if v.type == SymbolType.String and v.string in self.event_ids)
                if spec.get("leaf") or (item.d >= self.depth and not node.quiet):
                    continue  # the depth limit: say where the conclusion comes from, go no deeper
                d = item.d if node.quiet else item.d + 1
                for index, literal in enumerate(rule.query_body):
                    if aggregate_of(literal) is not None:
                        next_level.append(_Item(node, "elements", (rule, index, bindings), item.tree, d))
                        continue
                    child = self._child(literal, bindings, seen, item.tree, d)
                    if child is not None:
                        node.children.append(child.node)
                        next_level.append(child)

        by_q: dict = {}
        for q, items, name, args in absences.values():
            by_q[q] = items
            if not items:
                continue  # (looked into for a candidate: see _deeper)
            entries, unsaid = self._candidates(name, args, misses.get(q, []), near_index, q)
            for item in items:
                node = item.node
                exclude = node.exclude
                used = node.counted_by.used if node.counted_by is not None else set()
                kept = [e for e in entries if e[2] not in exclude and e[1]["event"] not in used]
                node.candidates = [(rank, entry) for rank, entry, _, _ in kept]
                node.more = unsaid + max(0, counts.get(q, 0) - len(misses.get(q, [])))
                for rank, entry, head, deeper in kept:
                    if deeper is not None:
                        entry.setdefault("shallow", entry["why_not"])
                        next_level.append(_Item(node, "deeper", (entry,) + deeper + (1,), item.tree, item.d))
        # a condition that could not be relaxed in place is followed down, if it does not hold
        # and nothing closer explains the absence (a link of a chain is not a level of the tree)
        for c, (q, pattern, others) in sorted(chains.items()):
            if others is None or c in existing or (pattern.name, len(pattern.arguments)) in EVENT_FACTS:
                continue
            # a rule with another condition that fails too does not come close: not followed
            if any(o not in existing for o in others):
                continue
            args = pattern_args(pattern)
            for parent in by_q[q]:
                key = (pattern.name, tuple(str(a) for a in pattern.arguments))
                # a helper step (_like_this) is part of the rule that uses it: always followed
                # (a chain is followed wherever it recurs, so that it reads the same; not round a loop)
                if (parent.node.gathered() and not pattern.name.startswith("_")) or key in parent.node.chain:
                    continue
                child = Node(claim=self._say(pattern.name, args, False), because="absence",
                             quiet=self._quiet(pattern.name, len(args)), cap=self.cap,
                             chain=parent.node.chain | {key})
                parent.node.children.append(child)
                next_level.append(_Item(child, "absence", (pattern.name, args), parent.tree, parent.d))

        for q, item, rule, index, bindings, made in elements:
            next_level.extend(self._elements(item, rule, index, bindings,
                                             [(k, names, instances.get((q, k), [])) for k, names in made], seen))

        for q_closed, q_open, item in deepers:
            follow = self._deeper(item, misses.get(q_closed, []), misses.get(q_open, []), near_index, q_closed, q_open)
            if follow is not None:
                next_level.append(follow)
        return next_level

    def _fixed(self, rule, args) -> set:
        """The variables of a head written for any provision (``meets(ob(Prov, G, A), ...)``)
        that take the target's provision: a condition on one of them that fails says the rule
        is about other provisions, not that something came close."""
        bindings = head_bindings(rule, list(args)) or {}
        return {name for name, value in bindings.items()
                if value.type == SymbolType.String and value.string in self.pack.provisions}

    def _child(self, literal, bindings, seen, tree, d, listed: bool = False) -> _Item | None:
        """The node of a body literal of a rule instance, and the work to fill it in (None: no
        node). An atom is explained once per tree; ``listed`` (an element an aggregate counted)
        is shown again where it recurs, without its derivation."""
        if literal.ast_type != ast.ASTType.Literal or literal.atom.ast_type != ast.ASTType.SymbolicAtom:
            return None
        term = Substitute(bindings)(literal.atom.symbol)
        if literal.sign == ast.Sign.NoSign:
            try:
                atom = clingo.parse_term(str(term))
            except RuntimeError:
                return None
            key = (atom.name, len(atom.arguments))
            if key in HIDDEN:
                return None
            if (tree, atom) in seen:
                if not listed:
                    return None
                d = max(d, self.depth)  # said where it comes from; its derivation is shown elsewhere
            seen.add((tree, atom))
            return _Item(self._placeholder(atom), "why", atom, tree, d)
        if term.ast_type != ast.ASTType.Function:
            return None
        if (term.name, len(term.arguments)) not in self.derivable:
            return None  # nothing in this pack can make it hold (a refusal in a pack that has none)
        args = _symbols(term.arguments)
        node = Node(claim=self._say(term.name, args, False), because="absence", cap=self.cap)
        return _Item(node, "absence", (term.name, args), tree, d)

    # --- aggregates --------------------------------------------------------------------------
    def _elements(self, item: _Item, rule, index, bindings, made, seen) -> list[_Item]:
        """The elements an aggregate of a rule instance took into account, as children of its
        node: every element it counted (a minimum or maximum: the elements that reached it),
        each through its own derivation, and for a count what came close to being counted."""
        aggregate = aggregate_of(rule.query_body[index])
        element_asts = aggregate.elements
        counting = aggregate.function in AGGREGATES_THAT_COUNT
        result = None
        guard = aggregate.left_guard
        if guard is not None and guard.comparison == ast.ComparisonOperator.Equal:
            result = _value(Substitute(bindings)(guard.term))
        out: list[_Item] = []
        node = item.node
        for k, names, tuples in made:
            element = element_asts[k]
            chosen: dict = {}
            for values in tuples:
                local = dict(bindings)
                local.update(zip(names, values.arguments))
                terms = tuple(_value(Substitute(local)(t)) for t in element.terms)
                if not counting and result is not None and (not terms or terms[0] != result):
                    continue  # a minimum or maximum: only the elements that reached it
                chosen.setdefault(terms, local)
            positives = [lit for lit in element.condition if lit.ast_type == ast.ASTType.Literal
                         and lit.sign == ast.Sign.NoSign and lit.atom.ast_type == ast.ASTType.SymbolicAtom]
            if not positives:
                continue
            counted = set()
            for n, local in enumerate(chosen.values()):
                first = Substitute(local)(positives[0].atom.symbol)
                counted.add(_norm(str(first)))
                if n >= MAX_COUNTED:
                    continue
                child = self._child(positives[0], local, seen, item.tree, item.d, listed=True)
                if child is None:
                    continue
                child.node.counted_by = node
                node.children.append(child.node)
                out.append(child)
                # the element's other conditions: part of why it counted (after its derivation)
                for lit in positives[1:]:
                    extra = self._child(lit, local, seen, item.tree, item.d + 1)
                    if extra is not None:
                        child.node.also.append(extra.node)
                        out.append(extra)
            if len(chosen) > MAX_COUNTED:
                node.children.append(Node(claim=f"... and {len(chosen) - MAX_COUNTED} more counted",
                                          because="rule", rule=node.rule))
            first_lit = positives[0].atom.symbol
            name = getattr(first_lit, "name", "")
            key = (name, len(getattr(first_lit, "arguments", [])))
            if not counting or key in EVENT_FACTS or key in SETTING_FACTS or not self.rules.rules_for(*key):
                continue
            # what came close to being counted, and the condition it failed
            args = _symbols(Substitute(bindings)(first_lit).arguments)
            absent = Node(claim=self._uncounted(name, args), because="absence", optional=True, cap=self.cap)
            absent.exclude = counted
            absent.counted_by = node
            node.children.append(absent)
            out.append(_Item(absent, "absence", (name, args), item.tree, item.d))
        return out

    def _uncounted(self, name: str, args) -> str:
        spec = self.templates.get(f"{name}/{len(args)}") or {}
        rendered = [self.render(a) if a is not None else "any" for a in args]
        if spec.get("uncounted"):
            try:
                return spec["uncounted"].format(*rendered)
            except (IndexError, KeyError):
                pass
        return "not counted: " + self._say(name, args, False)

    # --- candidates ------------------------------------------------------------------------
    def _candidates(self, name, args, rows, near_index, q) -> tuple[list[tuple], int]:
        """The near misses of an absence worth listing, each (rank, entry, head, deeper), and
        how many more there are: a candidate named by its event (or by the provision that did
        not apply, a value of its own, the conditions that gave a compared value), relevant
        to the target (its event names one of the target's parties or events), ranked by how
        close its day is to the target's; ``deeper`` is the failed condition to look into
        when that condition is itself a conclusion of the rules. Every near miss is sorted;
        only the closest are put into words."""
        parties = {m for members in self.scenario.roles.values() for m in members}
        wanted = {n for n in _names_in(args) if n in self.event_ids or n in parties}
        in_target = _names_in(args)
        reference = self._reference_day(args)
        mask = tuple(a is not None for a in args)
        ranked: dict = {}
        for order, (rule_id, i, binds) in enumerate(sorted(rows)):
            rule = near_index.get((q, rule_id, i))
            if rule is None:
                continue
            shape = self._shape(rule, i, args, mask)
            names = rule.variables + _names_of(binds, rule.variables)
            bindings = dict(zip(names, binds.arguments))
            event = self._candidate_event(shape, bindings, in_target)
            if event is not None and wanted and not self._relevant(event, wanted):
                event = None  # an event about another duty: not what came close to this one
            by_conditions = False
            if event is None and shape["provision"] is None and not self._names_itself(shape, bindings):
                if not shape["comparison"]:
                    continue  # a candidate the reader could not tell apart: not listed
                by_conditions = True
            key = (rule_id, i, event, tuple(str(bindings.get(n)) for n in shape["names"]))
            if key in ranked:
                continue
            if by_conditions:
                days = [v.number for v in bindings.values() if v.type == SymbolType.Number and MIN_DAY <= v.number <= MAX_DAY]
                rank = (0, -max(days, default=0), order)
            else:
                rank = self._rank(event, reference, order)
            ranked[key] = (rank, rule, i, bindings, event, by_conditions)
        limit = None if self.cap is None else self.cap * 3  # (a few spare: some are dropped on a closer look)
        out: list = []
        more = 0
        for rank, rule, i, bindings, event, by_conditions in sorted(ranked.values(), key=lambda r: r[0]):
            if limit is not None and len(out) >= limit:
                more += 1
                continue
            said = self._candidate(rule, i, bindings, event, by_conditions, args)
            if said is not None and said[0] not in [o[1] for o in out]:
                out.append((rank,) + said)
        return out, more

    def _shape(self, rule, i, args, mask) -> dict:
        """What a near miss of condition i of ``rule`` looks like, whatever its values."""
        key = (rule.id, i, mask)
        shape = self._shapes.get(key)
        if shape is None:
            literal = rule.body[i]
            provision = None
            # a rule that would conclude with a provision the target left open (say, which
            # provision blocks): say which provision was considered
            for term, given in zip(rule.head_args, args):
                if given is None and term.ast_type == ast.ASTType.SymbolicTerm \
                        and term.symbol.type == SymbolType.String and term.symbol.string in self.pack.provisions:
                    provision = term.symbol.string
            names = [v.name for v in _variables(literal)]
            shape = self._shapes[key] = {
                "names": names, "provision": provision, "given": self._given(rule, args),
                "comparison": literal.atom.ast_type == ast.ASTType.Comparison}
        return shape

    def _candidate(self, rule, i, bindings, event, by_conditions, args) -> tuple | None:
        """(entry, head, deeper) of one near miss, in words (None: it cannot be said)."""
        literal = rule.body[i]
        provision = self._shape(rule, i, args, tuple(a is not None for a in args))["provision"]
        reason = self._failed(literal, bindings)
        if by_conditions:
            named = self._named_by_conditions(rule, i, bindings, args)
            if named is None:
                return None
            reason = f"{named[0]}: {reason}"
        head_values = [_value(Substitute(bindings)(t)) for t in rule.head_args]
        if provision is not None:
            reason = f"{provision} does not apply: {reason}"
        elif not self._quiet(rule.head_name, len(head_values)) and any(
                given is None and v is not None and v.type != SymbolType.Number
                and not (v.type == SymbolType.String and v.string == event)
                for v, given in zip(head_values, args)):
            # the candidate came close to a conclusion about someone the target left open
            # (whose vote): say which, then why not
            reason = f"{self._say(rule.head_name, head_values, False)}: {reason}"
        entry = {"event": event, "source": self._event_source(event) if event else None, "why_not": reason}
        head = f"{rule.head_name}({','.join(str(v) for v in head_values)})"
        deeper = self._derived(literal, bindings)
        if deeper is not None:
            # nothing coming close to the failed condition either rules the candidate out
            # when that condition is about this very duty (a rule whose head fits every
            # provision: help offered to a duty to report) or about the event being one of
            # its kind (a vote offered as a report); else the reason stands as it is
            compounds = {a for a in _all_symbols(args) if a.type == SymbolType.Function and a.arguments}
            entry["dropless"] = provision is not None or not (
                deeper[0] == "occurred" or compounds & set(_all_symbols(deeper[1])))
        return entry, _norm(head), deeper

    @staticmethod
    def _given(rule, args) -> set:
        """The variables of the rule's head that the target gives a value."""
        given: set = set()
        for term, value in zip(rule.head_args, args):
            if value is not None:
                given |= {v.name for v in _variables(term)}
        return given

    def _names_itself(self, shape: dict, bindings) -> bool:
        """Whether the failed condition names what came close: a value (a region, a party)
        the target did not give ("R is outside the treaty's scope")."""
        for name in shape["names"]:
            value = bindings.get(name)
            if name not in shape["given"] and value is not None and value.type != SymbolType.Number \
                    and not (value.type == SymbolType.String and value.string in self.event_ids):
                return True  # (an event names a candidate only where it is about this duty)
        return False

    def _named_by_conditions(self, rule, i, bindings, args) -> tuple[str, int] | None:
        """For a failed comparison: the conditions of the rule that gave its values (those the
        target did not give), in words, and the latest day among them (None when one of them
        has no words)."""
        literal = rule.body[i]
        if literal.atom.ast_type != ast.ASTType.Comparison:
            return None
        wanted = {v.name for v in _variables(literal)} - self._given(rule, args)
        said, days = [], []
        for j, other in enumerate(rule.query_body):
            if j == i or _predicate(other) is None or other.sign != ast.Sign.NoSign:
                continue
            if not wanted & {v.name for v in _variables(other)}:
                continue
            term = Substitute(bindings)(other.atom.symbol)
            args = _symbols(term.arguments)
            spec = self.templates.get(f"{term.name}/{len(args)}") or {}
            if not spec.get("holds") or any(a is None for a in args):
                return None
            said.append(self._say(term.name, args, True))
            days.extend(a.number for a in args if a.type == SymbolType.Number and MIN_DAY <= a.number <= MAX_DAY)
        if not said:
            return None
        return " and ".join(said), max(days, default=0)

    def _derived(self, literal, bindings) -> tuple | None:
        """(name, args) of a failed positive condition the rules conclude (worth looking into)."""
        atom = literal.atom
        if literal.sign != ast.Sign.NoSign or atom.ast_type != ast.ASTType.SymbolicAtom:
            return None
        term = Substitute(bindings)(atom.symbol)
        key = (getattr(term, "name", ""), len(getattr(term, "arguments", [])))
        if key in SETTING_FACTS or not self.rules.rules_for(*key):
            return None
        return term.name, _symbols(term.arguments)

    def _deeper(self, item: _Item, closed, opened, near_index, q_closed, q_open) -> _Item | None:
        """A candidate that failed a condition the rules conclude: drop it when nothing comes
        close to that condition either (it was never a candidate: help offered to a duty to
        report, a vote offered as a report), else say why it failed, in the candidate's
        own terms where it can. Returns the next step when that reason is a conclusion too."""
        entry, _, _, level = item.payload
        if not closed and not opened:
            if not entry.get("dropless"):
                entry["drop"] = True
            return None
        event = entry["event"]
        for rows, q in ((closed, q_closed), (opened, q_open)):
            for rule_id, i, binds in sorted(rows):
                rule = near_index.get((q, rule_id, i))
                if rule is None:
                    continue
                names = rule.variables + _names_of(binds, rule.variables)
                bindings = dict(zip(names, binds.arguments))
                if event is not None and not any(v.type == SymbolType.String and v.string == event
                                                 for v in bindings.values()):
                    continue
                literal = rule.body[i]
                deeper = self._derived(literal, bindings)
                if deeper is not None and level < MAX_DEEPER:
                    return _Item(item.node, "deeper", (entry,) + deeper + (level + 1,), item.tree, item.d)
                # the reason given is the last one found: the one the reader can check
                entry["why_not"] = f"{entry['shallow']}: {self._failed(literal, bindings)}"
                return None
        return None

    def _relevant(self, event_id: str, wanted: set) -> bool:
        event = self.scenario.event(event_id)
        if event is None or event_id in wanted:
            return True
        return any(v in wanted for values in event.fields.values() for v in values)

    def _reference_day(self, args) -> int | None:
        stack = [a for a in args if a is not None]
        numbers = []
        while stack:
            sym = stack.pop(0)
            if sym.type == SymbolType.String and sym.string in self.event_ids:
                return self.scenario.event(sym.string).day
            if sym.type == SymbolType.Number and MIN_DAY <= sym.number <= MAX_DAY:
                numbers.append(sym.number)
            elif sym.type == SymbolType.Function:
                stack.extend(sym.arguments)
        return numbers[0] if numbers else None

    def _rank(self, event: str | None, reference: int | None, order: int) -> tuple:
        e = self.scenario.event(event) if event else None
        if e is None:
            return (0, 0, order)
        return (abs(e.day - reference) if reference is not None else 0, e.seq, order)

    def _failed(self, literal, bindings) -> str:
        atom = literal.atom
        if atom.ast_type == ast.ASTType.Comparison:
            left = _value(Substitute(bindings)(atom.term))
            guard = atom.guards[0]
            right = _value(Substitute(bindings)(guard.term))
            days = all(v is not None and v.type == SymbolType.Number and MIN_DAY <= v.number <= MAX_DAY
                       for v in (left, right))
            words = (_CMP_DAYS if days else _CMP_NUMBERS)[guard.comparison]
            return f"{self._show(left, atom.term)} {words} {self._show(right, guard.term)}"
        term = Substitute(bindings)(atom.symbol)
        args = _symbols(getattr(term, "arguments", []))
        name = getattr(term, "name", str(term))
        # a negated condition fails when its atom holds; a positive one when it does not
        return self._say(name, args, literal.sign == ast.Sign.Negation)

    def _show(self, value, term) -> str:
        return self.render(value) if value is not None else str(term)

    def _candidate_event(self, shape: dict, bindings, in_target: set) -> str | None:
        """The event a near miss is about: one its failed condition names, else any of its
        values, but not one the target names already."""
        ordered = [bindings[n] for n in shape["names"] if n in bindings] + list(bindings.values())
        for value in ordered:
            if value.type == SymbolType.String and value.string in self.event_ids and value.string not in in_target:
                return value.string
        return None

    # --- node contents -----------------------------------------------------------------------
    def _rule_node(self, node: Node, rule, atom) -> None:
        node.because = "rule"
        node.rule = f"{self._display(rule.file)}:{rule.line}"
        provision = self._provision_of(atom) or rule.file_provision
        if provision in self.pack.provisions:
            node.provision = provision
            node.text = self._provision_text(provision)

    def _fact(self, node: Node, atom) -> None:
        key = (atom.name, len(atom.arguments))
        node.because = "fact"
        node.quiet = False
        if key in EVENT_FACTS:
            event = self.scenario.event(atom.arguments[0].string)
            if event is not None:
                node.claim = self.describe_event(event)
                node.source = f"{self.scenario.path}:{event.line}"
                return
        field_name = SETTING_FACTS.get(key)
        node.claim = self._say(atom.name, atom.arguments, True)
        node.source = self._setting_source(field_name, atom)

    def _party_source(self, name: str) -> str:
        """The line that puts party ``name`` on its list: under `parties:` in the scenario when
        the scenario names it there, else in the manifest's `parties:` (where a member's date
        is written too: a scenario's lists carry no dates)."""
        word = re.compile(rf"(?<![a-z0-9_]){re.escape(name)}(?![a-z0-9_])")
        # the pack's manifest, then those of the packs it extends (nearest first)
        manifests = list(self.pack.manifests) or [self.pack.folder / "treaty.yaml"]
        manifest = manifests[0]
        places = [(self._source_lines, self.scenario.path)]
        places += [(self._manifest_text(m), self._display(m)) for m in manifests]
        for lines, shown in places:
            inside = False
            for number, line in enumerate(lines, 1):
                if line.startswith("parties:"):
                    inside = True
                elif inside and line[:1] not in (" ", "\t", "#", ""):
                    break  # the next top-level key: the block is over
                if inside and word.search(line.split("#", 1)[0]):
                    return f"{shown}:{number}"
        return f"{self._display(manifest)}:1"

    def _manifest_text(self, manifest: Path) -> list[str]:
        """The lines of a manifest (read once)."""
        if manifest not in self._manifest_lines:
            self._manifest_lines[manifest] = _lines(manifest)
        return self._manifest_lines[manifest]

    def describe_event(self, event) -> str:
        spec = self.pack.event_types[event.type]
        values = {name: ", ".join(event.fields.get(name, ())) or "none" for name in spec.fields}
        try:
            says = spec.says.format(**values)
        except (KeyError, IndexError):
            says = spec.says
        return f"{event.type} {event.id}: {says} on {iso(event.day)}"

    def _setting_source(self, key: str | None, atom) -> str:
        """Where a setting comes from: its key in the scenario, else its default in the manifest."""
        if self._source_lines is None:
            self._source_lines = _lines(Path(self.scenario.path))
        if key == "parties":  # a party's list (and date): where the name is written
            return self._party_source(str(atom.arguments[0]))
        if key:
            for number, line in enumerate(self._source_lines, 1):
                if line.startswith(f"{key}:"):
                    return f"{self.scenario.path}:{number}"
        if key == "as_of" and self.scenario.events:  # default: the day of the last event
            last = max(self.scenario.events, key=lambda e: (e.day, e.seq))
            return f"{self.scenario.path}:{last.line}"
        if key == "regions":  # the state a region belongs to: the common gazetteer says
            manifests = [self.pack.folder.parent / "common" / "regions.yaml"]
            wanted = f"{atom.arguments[1]}:"
        else:  # the pack's manifest, else those of the packs it extends, nearest first
            manifests = list(self.pack.manifests) or [self.pack.folder / "treaty.yaml"]
            index = MANIFEST_NAME.get(key)
            wanted = f"{atom.arguments[index]}:" if index is not None else f"{key}:"
            if key == "provisions":  # the provision's own entry
                wanted = f"id: {atom.arguments[0].string}"
        inline = re.compile(rf"[{{,\s]{re.escape(wanted)}")  # in a flow mapping: `lists: {{members: [...]}}`
        for manifest in manifests:
            lines = self._manifest_text(manifest)
            for number, line in enumerate(lines, 1):
                text = line.strip().lstrip("- ")
                if text.startswith(wanted) and (key != "provisions" or text == wanted):
                    return f"{self._display(manifest)}:{number}"
            for number, line in enumerate(lines, 1):
                if inline.search(line.split("#")[0]):
                    return f"{self._display(manifest)}:{number}"
        return f"{self._display(manifests[0])}:1"

    def _event_source(self, event_id: str) -> str | None:
        event = self.scenario.event(event_id)
        return f"{self.scenario.path}:{event.line}" if event else None

    # --- wording -----------------------------------------------------------------------------
    def _say(self, name: str, args, holds: bool) -> str:
        if name == "arg" and len(args) == 3:
            said = self._say_field(args, holds)
            if said is not None:
                return said
        if name == "has_field" and len(args) == 2:
            said = self._say_field([args[0], args[1], None], holds, stated=True)
            if said is not None:
                return said
        spec = self.templates.get(f"{name}/{len(args)}") or {}
        template = spec.get("holds" if holds else "fails")
        if not holds and "fails_any" in spec and any(a is None for a in args):
            # "nothing broke X" reads better than "any did not break X"
            template = spec["fails_any"]
        rendered = [self.render(a) if a is not None else "any" for a in args]
        if template:
            try:
                return template.format(*rendered)
            except (IndexError, KeyError):
                pass
        text = f"{name}({', '.join(rendered)})"
        return text if holds else f"no {text}"

    def _say_field(self, args, holds: bool, stated: bool = False) -> str | None:
        """``arg(E, F, V)`` in the words of field F (of E's event type, where it has its own);
        ``stated``: ``has_field(E, F)``, whether E states F at all."""
        event_sym, field_sym, value = args
        if event_sym is None or field_sym is None or field_sym.type != SymbolType.Function \
                or (value is None and not stated):
            return None
        field_name = field_sym.name
        event = self.scenario.event(event_sym.string) if event_sym.type == SymbolType.String else None
        spec = None
        if event is not None:
            spec = self.field_words.get(f"{event.type}.{field_name}")
        spec = spec or self.field_words.get(field_name) or {}
        actual = ", ".join(event.fields.get(field_name, ())) if event is not None else ""
        type_spec = self.pack.event_types.get(event.type) if event is not None else None
        is_list = bool(type_spec and field_name in type_spec.fields and type_spec.fields[field_name].is_list)
        absent = spec.get("absent") or "{event} states no {field}"
        if stated:
            value = None
            if not holds or not actual:
                template = absent
            else:  # it states the field: say what it states
                template = spec.get("holds") or ("{value} is among the {field} of {event}" if is_list
                                                 else "the {field} of {event} is {value}")
                value_text = actual
        elif holds:
            template = spec.get("holds") or ("{value} is among the {field} of {event}" if is_list
                                             else "the {field} of {event} is {value}")
        elif not actual:
            template = absent + ", not {value}"
        else:
            template = spec.get("fails") or ("{value} is not among the {field} of {event}" if is_list
                                             else "the {field} of {event} is {actual}, not {value}")
        if value is not None:
            value_text = self.render(value)
        elif not stated or not actual:
            value_text = ""
        try:
            return template.format(event=self.render(event_sym), field=field_name, value=value_text,
                                   actual=actual)
        except (IndexError, KeyError):
            return None

    def render(self, sym) -> str:
        if sym.type == SymbolType.String:
            return sym.string
        if sym.type == SymbolType.Infimum:
            return "the start"
        if sym.type == SymbolType.Supremum:
            return "the end"
        if sym.type == SymbolType.Number:
            return iso(sym.number) if MIN_DAY <= sym.number <= MAX_DAY else str(sym.number)
        if sym.type == SymbolType.Function and sym.name == "ob" and len(sym.arguments) == 3:
            p, h, t = sym.arguments
            tail = "" if t.type == SymbolType.Function and t.name == "none" else f"/{self.render(t)}"
            return f"{self.render(p)}/{self.render(h)}{tail}"
        if sym.type == SymbolType.Function:
            template = self.terms.get(f"{sym.name}/{len(sym.arguments)}")
            rendered = [self.render(a) for a in sym.arguments]
            if template:
                try:
                    return str(template).format(*rendered)
                except (IndexError, KeyError):
                    pass
            if sym.arguments:
                return f"{sym.name}({', '.join(rendered)})"
        return str(sym)

    def _provision_of(self, atom) -> str | None:
        found = None
        stack = [atom]
        while stack:
            sym = stack.pop(0)
            if sym.type == SymbolType.String and sym.string in self.pack.provisions:
                found = sym.string
            elif sym.type == SymbolType.Function:
                stack.extend(sym.arguments)
        return found

    def _provision_text(self, provision: str) -> str | None:
        p = self.pack.provisions.get(provision)
        return p.text if p else None

    def _display(self, path: Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(Path(self.display_root).resolve()))
        except ValueError:
            return str(path)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _variables(literal) -> list:
    out = []

    class V(ast.Transformer):
        def visit_Variable(self, node):
            out.append(node)
            return node

    V()(literal)
    return out


def _names_of(binds, known: list[str]) -> list[str]:
    extra = len(binds.arguments) - len(known)
    return [f"Near_{k + 1}" for k in range(extra)] if extra > 0 else []


def _value(term):
    """The symbol an AST term (with its variables bound) stands for, or None."""
    if term.ast_type == ast.ASTType.SymbolicTerm:
        return term.symbol
    try:
        return clingo.parse_term(str(term))
    except RuntimeError:
        return None


def _symbols(terms) -> list:
    """AST arguments as symbols, None where one is still a variable (left open)."""
    out = []
    for arg in terms:
        out.append(None if arg.ast_type == ast.ASTType.Variable else _value(arg))
    return out


def _names_in(args) -> set[str]:
    """Every string and constant name in ``args``, however deep."""
    out: set = set()
    stack = [a for a in args if a is not None]
    while stack:
        sym = stack.pop()
        if sym.type == SymbolType.String:
            out.add(sym.string)
        elif sym.type == SymbolType.Function:
            if not sym.arguments:
                out.add(sym.name)
            stack.extend(sym.arguments)
    return out


def _norm(text: str) -> str:
    try:
        return str(clingo.parse_term(text))
    except RuntimeError:
        return text


def _predicate(literal) -> tuple[str, int] | None:
    atom = getattr(literal, "atom", None)
    if atom is None or atom.ast_type != ast.ASTType.SymbolicAtom or atom.symbol.ast_type != ast.ASTType.Function:
        return None
    return atom.symbol.name, len(atom.symbol.arguments)


def _all_symbols(args) -> list:
    """Every symbol in ``args`` and inside them."""
    out: list = []
    stack = [a for a in args if a is not None]
    while stack:
        sym = stack.pop()
        out.append(sym)
        if sym.type == SymbolType.Function:
            stack.extend(sym.arguments)
    return out
