"""Which rules cost the grounding time: ground a pack rule by rule, timing each.

clingo grounds a program as one piece and reports no time per rule. This tool parses the
pack's rule files, orders the rules by their dependencies (a rule after every rule defining a
predicate it reads), puts each rule in its own ``#program`` part, and grounds the parts one
after another over the same facts, timing each call. With every input complete when a rule
is grounded, the time of a call is the cost of that rule's joins: the top of the list names
the rules to rewrite (a join whose size grows with the product of two event sets shows up
here first, and grows faster than the events from one size to the next).

    python benchmarks/ground_profile.py FACTS.lp [--rules rules] [--pack istanbul-2022] [--top 15]

FACTS.lp is written by ``run.py`` next to each generated history (``history-N-seedS.lp`` in
its work folder). Only the part `base` is profiled: the parts `report` and `shown` of
rules/common/lifecycle.lp say what is read, and are no part of the rules' reasoning.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _atoms(node, out: set, ast) -> None:
    """Every predicate name/arity under an AST node."""
    if isinstance(node, ast.AST):
        if node.ast_type == ast.ASTType.SymbolicAtom:
            term = node.symbol
            if term.ast_type == ast.ASTType.Function:
                out.add((term.name, len(term.arguments)))
            elif term.ast_type == ast.ASTType.SymbolicTerm:
                out.add((str(term.symbol), 0))
            return
        for key in node.child_keys:
            _atoms(getattr(node, key), out, ast)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ASTSequence":
        for item in node:
            _atoms(item, out, ast)


def _order(rules):
    """Rule indices, each rule after every rule that defines a predicate it reads.

    Predicates are grouped into strongly connected components (Tarjan); rules follow the
    component of their head, components in dependency order. A recursive component's rules
    are grounded one after another in one pass each; a recursion then sees only what the
    earlier calls derived, so the tool checks its model against the whole program's.
    """
    preds = set()
    for _t, heads, body, _l in rules:
        preds |= heads | body
    deps = {p: set() for p in preds}
    for _t, heads, body, _l in rules:
        for h in heads:
            deps[h] |= body
    index, low, on_stack, stack, comp = {}, {}, set(), [], {}
    counter = [0]
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            n = len(set(comp.values()))
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp[w] = n
                if w == v:
                    break

    for p in sorted(preds):
        if p not in index:
            visit(p)
    return sorted(range(len(rules)), key=lambda i: (min(comp[h] for h in rules[i][1]) if rules[i][1] else -1, i))


def profile(facts: Path, files: list[Path]):
    """(seconds, rule locations, rule text) per group, and the total, grounding in order."""
    import clingo
    from clingo import ast

    rules, others = [], []
    part = ["base"]

    def take(stmt):
        if stmt.ast_type == ast.ASTType.Program:
            part[0] = stmt.name
        if part[0] != "base":
            return
        if stmt.ast_type == ast.ASTType.Rule:
            heads, body = set(), set()
            _atoms(stmt.head, heads, ast)
            _atoms(stmt.body, body, ast)
            name = Path(stmt.location.begin.filename)
            name = name.relative_to(ROOT) if name.is_relative_to(ROOT) else name
            loc = f"{name}:{stmt.location.begin.line}"
            rules.append((str(stmt), heads, body, loc))
        elif stmt.ast_type != ast.ASTType.Program:
            others.append(str(stmt))

    ast.parse_files([str(f) for f in files], take)
    ctl = clingo.Control(["--warn=none"])
    ctl.load(str(facts))
    ctl.add("base", [], "\n".join(others))
    start = time.process_time()
    ctl.ground([("base", [])])
    results = [(time.process_time() - start, "facts", "")]
    for n in _order(rules):
        text, _heads, _body, where = rules[n]
        ctl.add(f"r{n}", [], text)
        start = time.process_time()
        ctl.ground([(f"r{n}", [])])
        results.append((time.process_time() - start, where, text))
    return results, _model(ctl)


# the atoms a verdict is made of (rules/common/lifecycle.lp, "Writes")
VERDICTS = (("fired", 2), ("status", 2), ("deadline", 2), ("met_by", 2), ("breached_on", 2),
            ("breached_by", 2), ("discharged_by", 2), ("discharged_on", 2), ("not_fired", 2))


def _model(ctl) -> list[str]:
    """The verdict atoms of the one model, sorted, as text."""
    atoms: list = []
    ctl.solve(on_model=lambda m: atoms.extend(str(s) for s in m.symbols(atoms=True)
                                              if (s.name, len(s.arguments)) in VERDICTS))
    return sorted(atoms)


def whole(facts: Path, files: list[Path]):
    """Seconds (CPU) to ground the program in one call, and its model."""
    import clingo

    ctl = clingo.Control(["--warn=none"])
    for f in files:
        ctl.load(str(f))
    ctl.load(str(facts))
    start = time.process_time()
    ctl.ground([("base", [])])
    return time.process_time() - start, _model(ctl)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("facts", type=Path)
    parser.add_argument("--rules", type=Path, default=ROOT / "rules")
    parser.add_argument("--pack", default="istanbul-2022")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--compare", action="store_true",
                        help="also ground in one call, and check both give the same model")
    args = parser.parse_args(argv)
    files = sorted((args.rules / "common").glob("*.lp")) + sorted((args.rules / args.pack).glob("*.lp"))
    results, model = profile(args.facts, files)
    total = sum(r[0] for r in results)
    print(f"grounding rule by rule: {total:.2f} s CPU in {len(results)} calls")
    if args.compare:
        seconds, expected = whole(args.facts, files)
        same = "the same model" if expected == model else "A DIFFERENT MODEL: the figures are not faithful"
        print(f"grounding in one call: {seconds:.2f} s CPU; rule by rule gave {same}")
    for seconds, where, text in sorted(results, key=lambda r: -r[0])[: args.top]:
        print(f"{seconds:7.3f} s  {where}")
        if text:
            print("           " + (text if len(text) < 300 else text[:297] + "..."))


if __name__ == "__main__":
    main()
