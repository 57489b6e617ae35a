"""Explanations: why a verdict holds, or why a duty did not fire, derived from the rules.

How (see docs/explanations.md): the pack's rules are parsed with clingo's AST API
(checker.instrument). The scenario is grounded once, as for a check; then, level by level
down the tree, small *query rules* are added in further steps of the same control:
``__why`` finds the rule instance (and every variable's value) that derived an atom, and
``__near`` finds, for an atom that does not hold, the instances where every condition but
one held: the candidates that came close, and the condition each failed. Only what is
shown is computed. Wording comes from per-predicate templates next to the rules
(``explain.yaml`` in rules/common/ and in the pack), never from Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import clingo
from clingo import Function, String, SymbolType, ast

from checker.analysis.instrument import (
    RuleBase,
    Substitute,
    condition_patterns,
    exists_rule,
    load_rules,
    near_rules,
    pattern_args,
    why_rule,
)
from checker.engine.facts import INPUTS, fact_symbols
from checker.io.pack import Pack, read_manifest, rule_files
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
HIDDEN = {("seq", 2), ("next_day", 2), ("provision", 2), ("region", 1)}
MIN_DAY, MAX_DAY = 693596, 803533   # 1900-01-01 .. 2200-12-31: numbers shown as dates
MAX_CONSIDERED = 8
MAX_NEAR = 200      # near misses read per absence (a long history has thousands)
_LOC = ast.Location(ast.Position("<explain>", 1, 1), ast.Position("<explain>", 1, 1))


@dataclass
class Node:
    claim: str
    because: str                      # fact | rule | absence
    source: str | None = None         # scenario file:line (facts, candidates)
    rule: str | None = None           # rule file:line
    provision: str | None = None
    text: str | None = None
    considered: list = field(default_factory=list)
    children: list = field(default_factory=list)
    quiet: bool = False               # a step not worth a line: its children stand in its place
    plain: bool = False               # an absent fact: no candidates to look for

    def gathered_considered(self) -> list:
        """The candidates of this absence, with those found by its quiet helper steps."""
        out = list(self.considered)
        for c in self.children:
            if c.quiet and c.because == "absence":
                out.extend(x for x in c.gathered_considered() if x not in out)
        return out

    def flat_children(self) -> list:
        out: list = []
        for c in self.children:
            # a chain of absences with nothing to show in between reads as its last link
            # (not into a quiet helper with candidates: the link above it gathers them)
            while (self.because == "absence" and c.because == "absence" and not c.considered
                   and len(c.children) == 1 and c.children[0].because == "absence"
                   and not (c.children[0].quiet and c.children[0].gathered_considered())):
                c = c.children[0]
            if c.quiet and c.because == "absence" and not c.children and not c.considered:
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
            considered = self.gathered_considered()
            out["considered"] = considered
            if not considered and not children and not self.plain:
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


def _load_templates(pack: Pack) -> dict:
    merged: dict = {}
    for path in (pack.folder.parent / "common" / TEMPLATES, pack.folder / TEMPLATES):
        if path.exists():  # (one that is no regular file is refused when read)
            data = read_manifest(path)
            if isinstance(data, dict) and isinstance(data.get("predicates"), dict):
                merged.update(data["predicates"])
    return merged


class Explainer:
    """Explains verdicts of one checked scenario; build once, ask many times."""

    def __init__(self, verdicts: Verdicts, pack: Pack, *, depth: int = 8, rules_display_root: Path | None = None,
                 control=None):
        """``control``: the check's grounded control, reused so the scenario is not ground twice."""
        self.verdicts, self.pack, self.scenario = verdicts, pack, verdicts.scenario
        self.depth = depth
        self.templates = _load_templates(pack)
        files = rule_files(pack)
        self.rules: RuleBase = load_rules(files)
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
        self.derivable = _derivable(self.rules)
        self.step = 0
        self.event_ids = {e.id for e in self.scenario.events}
        self._source_lines = None
        self._manifest_lines = None

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
        level = [(node, "why", atom, k) for k, (node, atom) in enumerate(zip(nodes, roots))]
        seen: set = set()  # (tree, atom): within one tree an atom is explained once
        for _ in range(self.depth):
            if not level:
                break
            level = self._expand(level, seen)
        if level:  # the depth limit: say where the remaining conclusions come from, go no deeper
            self._expand(level, seen, leaves=True)
        return nodes

    def _placeholder(self, atom) -> Node:
        spec = self.templates.get(f"{atom.name}/{len(atom.arguments)}") or {}
        # helper predicates local to one file (named _like_this) are steps, not statements
        return Node(claim=self._say(atom.name, atom.arguments, True), because="rule",
                    quiet=bool(spec.get("quiet")) or atom.name.startswith("_"))

    def _expand(self, level, seen, leaves: bool = False) -> list:
        """One level of every tree: one query step answers all the atoms of the level."""
        why_rules, near, near_index, exists, chains = [], [], {}, [], {}
        tag = self.step + 1
        why_name, near_name, exists_name = f"__why{tag}", f"__near{tag}", f"__exists{tag}"
        whys: dict = {}      # atom -> (q, [(node, tree)])
        absences: dict = {}  # (name, args) -> (q, [(node, tree)], name, args)
        for node, kind, payload, tree in level:
            if kind == "why":
                atom = payload
                key = (atom.name, len(atom.arguments))
                if key in EVENT_FACTS or key in SETTING_FACTS:
                    self._fact(node, atom)
                    continue
                if atom in whys:
                    whys[atom][1].append((node, tree))
                    continue
                q = len(whys)
                whys[atom] = (q, [(node, tree)])
                for rule in self.rules.rules_for(*key):
                    r = why_rule(rule, q, list(atom.arguments), why_name)
                    if r is not None:
                        why_rules.append(r)
                continue
            name, args = payload
            if (name, len(args)) in EVENT_FACTS or (name, len(args)) in SETTING_FACTS:
                node.plain = True  # a missing fact of the scenario: nothing to dig into
                continue
            akey = (name, tuple(str(a) for a in args))
            if akey in absences:
                absences[akey][1].append((node, tree))
                continue
            q = len(absences)
            absences[akey] = (q, [(node, tree)], name, args)
            for rule in self.rules.rules_for(name, len(args)):
                for i, r in near_rules(rule, q, list(args), near_name):
                    near.append(r)
                    near_index[(q, rule.id, i)] = rule
                patterns = condition_patterns(rule, list(args))
                first = len(chains)
                for k, (pattern, chain) in enumerate(patterns):
                    others = [first + j for j in range(len(patterns)) if j != k]
                    chains[first + k] = (q, pattern, others if chain else None)
                    exists.append(exists_rule(first + k, pattern, exists_name))
        found = self._run(why_rules + near + exists, [(why_name, 3), (near_name, 4), (exists_name, 1)])
        best: dict[int, tuple] = {}
        misses: dict[int, list] = {}
        existing = set()
        for sym in found:
            if sym.name == exists_name:
                existing.add(sym.arguments[0].number)
            elif sym.name == why_name:
                q, r, binds = sym.arguments[0].number, sym.arguments[1].number, sym.arguments[2]
                # any derivation will do; the least (by clingo's order of symbols) is stable
                if q not in best or (r, binds) < best[q][::2]:
                    best[q] = (r, None, binds)
            elif sym.name == near_name:
                args = sym.arguments
                found_q = misses.setdefault(args[0].number, [])
                if len(found_q) < MAX_NEAR:  # enough candidates to choose the closest from
                    found_q.append((args[1].number, args[2].number, args[3]))
        next_level = []
        for atom, (q, holders) in whys.items():
            if q not in best:
                for node, _ in holders:
                    node.claim += " (no derivation found)"
                continue
            rule = self.rules.rules[best[q][0]]
            bindings = dict(zip(rule.variables, best[q][2].arguments))
            spec = self.templates.get(f"{atom.name}/{len(atom.arguments)}") or {}
            for node, tree in holders:
                self._rule_node(node, rule, atom)
                if leaves or spec.get("leaf"):
                    node.quiet = False
                    continue
                for literal in rule.query_body:
                    child = self._child(literal, bindings, seen, tree)
                    if child is not None:
                        node.children.append(child[0])
                        next_level.append(child)
        by_q = {}
        for q, holders, name, args in absences.values():
            by_q[q] = holders
            for node, _ in holders:
                self._absence(node, name, args, sorted(misses.get(q, [])), near_index, q)
        if leaves:
            return []
        # a condition that could not be relaxed in place is followed down, if it does not hold
        # and nothing closer explains the absence
        for c, (q, pattern, others) in sorted(chains.items()):
            if others is None or c in existing or (pattern.name, len(pattern.arguments)) in EVENT_FACTS:
                continue
            # a rule with another condition that fails too does not come close: not followed
            if any(o not in existing for o in others):
                continue
            args = pattern_args(pattern)
            for parent, tree in by_q[q]:
                key = (tree, pattern.name, tuple(str(a) for a in pattern.arguments))
                # a helper step (_like_this) is part of the rule that uses it: always followed
                if (parent.considered and not pattern.name.startswith("_")) or key in seen:
                    continue
                seen.add(key)
                child = Node(claim=self._say(pattern.name, args, False), because="absence",
                             quiet=pattern.name.startswith("_"))
                parent.children.append(child)
                next_level.append((child, "absence", (pattern.name, args), tree))
        return next_level

    def _child(self, literal, bindings, seen, tree):
        if literal.ast_type != ast.ASTType.Literal or literal.atom.ast_type != ast.ASTType.SymbolicAtom:
            return None
        term = Substitute(bindings)(literal.atom.symbol)
        if literal.sign == ast.Sign.NoSign:
            try:
                atom = clingo.parse_term(str(term))
            except RuntimeError:
                return None
            key = (atom.name, len(atom.arguments))
            if key in HIDDEN or (tree, atom) in seen:
                return None
            seen.add((tree, atom))
            return self._placeholder(atom), "why", atom, tree
        if term.ast_type != ast.ASTType.Function:
            return None
        if (term.name, len(term.arguments)) not in self.derivable:
            return None  # nothing in this pack can make it hold (a refusal in a pack that has none)
        args = []
        for arg in term.arguments:
            try:
                args.append(None if arg.ast_type == ast.ASTType.Variable else clingo.parse_term(str(arg)))
            except RuntimeError:
                args.append(None)
        node = Node(claim=self._say(term.name, args, False), because="absence")
        return node, "absence", (term.name, args), tree

    # --- node contents -----------------------------------------------------------------------
    def _rule_node(self, node: Node, rule, atom) -> None:
        node.because = "rule"
        node.rule = f"{self._display(rule.file)}:{rule.line}"
        provision = self._provision_of(atom) or rule.file_provision
        if provision in self.pack.provisions:
            node.provision = provision
            node.text = self._provision_text(provision)

    def _absence(self, node: Node, name, args, misses, near_index, q) -> None:
        considered = []
        for rule_id, i, binds in misses[: MAX_CONSIDERED * 4]:
            rule = near_index.get((q, rule_id, i))
            if rule is None:
                continue
            names = rule.variables + [n for n in _names_of(binds, rule.variables)]
            bindings = dict(zip(names, binds.arguments))
            literal = rule.body[i]
            reason = self._failed(literal, bindings)
            # a rule that would conclude with a provision the target left open (say, which
            # provision blocks): say which provision was considered
            for term, given in zip(rule.head_args, args):
                if given is None and term.ast_type == ast.ASTType.SymbolicTerm \
                        and term.symbol.type == SymbolType.String and term.symbol.string in self.pack.provisions:
                    reason = f"{term.symbol.string} does not apply: {reason}"
            event = self._candidate_event(literal, bindings, args)
            entry = {"event": event, "source": self._event_source(event) if event else None, "why_not": reason}
            if entry not in considered:
                considered.append(entry)
            if len(considered) >= MAX_CONSIDERED:
                break
        node.considered = considered

    def _failed(self, literal, bindings) -> str:
        atom = literal.atom
        if atom.ast_type == ast.ASTType.Comparison:
            left = self._render_ast(Substitute(bindings)(atom.term))
            guard = atom.guards[0]
            right = self._render_ast(Substitute(bindings)(guard.term))
            words = {ast.ComparisonOperator.GreaterEqual: "is not on or after",
                     ast.ComparisonOperator.GreaterThan: "is not after",
                     ast.ComparisonOperator.LessEqual: "is not on or before",
                     ast.ComparisonOperator.LessThan: "is not before",
                     ast.ComparisonOperator.Equal: "is not", ast.ComparisonOperator.NotEqual: "is"}
            return f"{left} {words[guard.comparison]} {right}"
        term = Substitute(bindings)(atom.symbol)
        args = []
        for arg in getattr(term, "arguments", []):
            try:
                args.append(None if arg.ast_type == ast.ASTType.Variable else clingo.parse_term(str(arg)))
            except RuntimeError:
                args.append(None)
        name = getattr(term, "name", str(term))
        # a negated condition fails when its atom holds; a positive one when it does not
        return self._say(name, args, literal.sign == ast.Sign.Negation)

    def _candidate_event(self, literal, bindings, target_args) -> str | None:
        in_target: set = set()
        stack = [a for a in target_args if a is not None]
        while stack:  # every event id the target already names, however deep
            sym = stack.pop()
            if sym.type == SymbolType.String:
                in_target.add(sym.string)
            elif sym.type == SymbolType.Function:
                stack.extend(sym.arguments)
        names = [v.name for v in _variables(literal)]
        ordered = [bindings[n] for n in names if n in bindings] + list(bindings.values())
        for value in ordered:
            if value.type == SymbolType.String and value.string in self.event_ids and value.string not in in_target:
                return value.string
        return None

    def _fact(self, node: Node, atom) -> None:
        key = (atom.name, len(atom.arguments))
        node.because = "fact"
        if key in EVENT_FACTS:
            event = self.scenario.event(atom.arguments[0].string)
            if event is not None:
                node.claim = self.describe_event(event)
                node.source = f"{self.scenario.path}:{event.line}"
                return
        field = SETTING_FACTS.get(key)
        node.claim = self._say(atom.name, atom.arguments, True)
        node.source = self._setting_source(field, atom)

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
        if key:
            for number, line in enumerate(self._source_lines, 1):
                if line.startswith(f"{key}:"):
                    return f"{self.scenario.path}:{number}"
        if key == "as_of" and self.scenario.events:  # default: the day of the last event
            last = max(self.scenario.events, key=lambda e: (e.day, e.seq))
            return f"{self.scenario.path}:{last.line}"
        manifest = self.pack.folder / "treaty.yaml"
        if key == "regions":  # the state a region belongs to: the common gazetteer says
            manifest = self.pack.folder.parent / "common" / "regions.yaml"
            wanted, lines = f"{atom.arguments[1]}:", _lines(manifest)
        else:
            if self._manifest_lines is None:
                self._manifest_lines = _lines(manifest)
            lines = self._manifest_lines
            index = MANIFEST_NAME.get(key)
            wanted = f"{atom.arguments[index]}:" if index is not None else f"{key}:"
            if key == "provisions":  # the provision's own entry
                wanted = f"id: {atom.arguments[0].string}"
        for number, line in enumerate(lines, 1):
            text = line.strip().lstrip("- ")
            if text.startswith(wanted) and (wanted != "id: " or text == wanted):
                return f"{self._display(manifest)}:{number}"
        return f"{self._display(manifest)}:1"

    def _event_source(self, event_id: str) -> str | None:
        event = self.scenario.event(event_id)
        return f"{self.scenario.path}:{event.line}" if event else None

    # --- wording -----------------------------------------------------------------------------
    def _say(self, name: str, args, holds: bool) -> str:
        spec = self.templates.get(f"{name}/{len(args)}") or {}
        template = spec.get("holds" if holds else "fails")
        if not holds and "fails_any" in spec and any(a is None for a in args):
            # "no event broke X" reads better than "any did not break X"
            template = spec["fails_any"]
        rendered = [self.render(a) if a is not None else "any" for a in args]
        if template:
            try:
                return template.format(*rendered)
            except (IndexError, KeyError):
                pass
        text = f"{name}({', '.join(rendered)})"
        return text if holds else f"no {text}"

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
        if sym.type == SymbolType.Function and sym.arguments:
            return f"{sym.name}({', '.join(self.render(a) for a in sym.arguments)})"
        return str(sym)

    def _render_ast(self, term) -> str:
        try:
            return self.render(clingo.parse_term(str(term)))
        except RuntimeError:
            return str(term)

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


