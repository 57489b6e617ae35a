"""The optimisation over what the probes found: the fewest kept actions (ties: the earliest,
then the values the pack lists first) that meet every selected duty and every duty they
open, solved with clingo's unsatisfiable-core strategy without the pack's rules.

Under the pack's windows (see reduce.py) a set of kept actions is a repair exactly when
every selected duty is met by one of them and every duty they open needs no action or is
met by one of them, so this small program usually settles the repair; the caller checks
its answer with the pack's rules (check.py) and falls back to them (optimise.py).
"""

from __future__ import annotations

from checker.analysis.repair.candidates import Candidates
from checker.analysis.repair.rules import Rules, shown_atoms
from checker.engine.facts import add_facts
from checker.engine.terms import Name, value

# The facts, besides those of optimise.REPAIR_PROGRAM (actions and duties by number):
#   cand_meets(K, O)    action K (not joint) meets duty O if used
#   cand_joint(K, O)    joint action K meets O if it names O's holder
#   cand_opens(K, O)    action K, if used, opens duty O, which then needs an action
#   cand_options(K, P)  the fields of K take one of the values option(P, F, V, Rank) lists
#                       (given only when every optimal repair is wanted: otherwise the first
#                       value, free and constraining nothing here, is the optimum's choice)
COVER_PROGRAM = """
{ use(K) } :- cand(K).
cand_option(K, F, V, R) :- cand_options(K, P), option(P, F, V, R).
_optional(K, F) :- cand_option(K, F, _, _).
1 { pick(K, F, V) : cand_option(K, F, V, _) } 1 :- use(K), _optional(K, F).
{ serves(K, O) } :- use(K), cand_joint(K, O).
:- use(K), cand_joint(K, _), not serves(K, _).
met(O) :- serves(K, O).
met(O) :- use(K), cand_meets(K, O).
:- repair_target(O), not met(O).
:- use(K), cand_opens(K, O), not met(O).
:- repair_max(M), #count { K : use(K) } > M.
#minimize { 1@2, K : use(K) }.
#minimize { W@1, K : use(K), cand_weight(K, W) }.
#minimize { R@0, K, F : pick(K, F, V), cand_option(K, F, V, R), not all_optimal }.
#defined cand_joint/2. #defined cand_meets/2. #defined cand_opens/2. #defined cand_options/2.
#defined option/4. #defined repair_max/1. #defined all_optimal/0.
#show.
#show use(K) : use(K).
#show serves(K, O) : serves(K, O).
#show picked(K, F, V) : pick(K, F, V).
"""


def optimise_fast(rules: Rules, cands: Candidates, targets, max_actions, all_optimal, limit):
    """(optimal repairs as shown atoms, proven) from COVER_PROGRAM over the kept
    candidates and what the probes found, or None when that cannot settle them.

    Whether an opened duty needs an action is known from the probe, except when another
    candidate met it there: it is solved twice, once with such duties needing an action
    (every repair found is then a repair) and once needing none (every repair is then
    among those found); the same optimum (with ``all_optimal``, the same repairs) settles
    it."""
    if cands.unattributed:
        return None
    # actions and duties by number (the program is small; its terms need not be)
    kept = [c for k, c in cands.by_key.items() if k in cands.kept]
    number = {c.key: i for i, c in enumerate(kept)}
    duties = list(cands.needed)
    duty_no = {d: j for j, d in enumerate(duties)}
    lo = min((c.day for c in kept), default=0)
    facts = []
    add = facts.append
    shapes: dict = {}   # the candidates of a provision share their list of options
    for i, c in enumerate(kept):
        add(("cand", i))
        add(("cand_weight", i, c.day - lo))
        # (one optimal repair: a field's first value costs nothing and constrains nothing
        # here, so the optimum takes it; it is named below rather than chosen by clingo)
        if c.options and all_optimal:
            shape = c.cls[0].string
            if shape not in shapes:
                shapes[shape] = c.options
                facts.extend(("option", shape, Name(f), value(v), rank) for f, v, rank in c.options)
            add(("cand_options", i, shape))
        for duty, _, _ in c.joint:
            if duty in duty_no:
                add(("cand_joint", i, duty_no[duty]))
    for duty, j in duty_no.items():
        for k in cands.serving.get(duty, ()):
            i = number.get(k)
            if i is not None and not cands.by_key[k].joint:
                add(("cand_meets", i, j))
    facts.extend(("repair_target", duty_no[t]) for t in targets)
    if max_actions is not None:
        add(("repair_max", max_actions))
    if all_optimal:
        add(("all_optimal",))
    must, maybe = [], []
    for k, i in number.items():
        for duty in cands.opens.get(k, ()):
            settled = cands.settled.get(duty)
            if settled is False:
                must.append(("cand_opens", i, duty_no[duty]))
            elif settled is None:
                maybe.append(("cand_opens", i, duty_no[duty]))
    strict = _cover(rules, facts + must + maybe, all_optimal, limit)
    if not strict[1]:
        return None
    if maybe:
        loose = _cover(rules, facts + must, all_optimal, limit)
        if not loose[1]:
            return None
        if all_optimal:
            same = {frozenset(m) for m in strict[0]} == {frozenset(m) for m in loose[0]}
        else:
            same = strict[2] == loose[2]
        if not same:
            return None

    def named(model):   # back to the candidates' and duties' terms
        out = []
        for name, i, *rest in model:
            c = kept[i.number]
            if name == "serves":
                out.append((name, c.key, duties[rest[0].number]))
            else:
                out.append((name, c.key, *rest))
                if name == "use" and not all_optimal:
                    out.extend(("picked", c.key, f, v) for f, v, rank in c.options if rank == 0)
        return out

    return [named(m) for m in strict[0]], strict[1]


def _cover(rules: Rules, facts, all_optimal, limit):
    """(models, proven, cost) of COVER_PROGRAM with ``facts``."""
    import clingo

    args = ["--warn=none", "--opt-strategy=usc"]
    args += ["--opt-mode=optN", "--models=0"] if all_optimal else ["--opt-mode=opt"]
    ctl = clingo.Control(args)
    ctl.add("base", [], COVER_PROGRAM)
    add_facts(ctl, facts)
    ctl.ground([("base", [])])
    found: list = []
    best: list = []
    cost: list = []

    def on_model(model):
        if all_optimal:
            if model.optimality_proven and len(found) < limit:
                found.append(shown_atoms(model.symbols(shown=True)))
        else:
            best[:] = [model.symbols(shown=True)]
            cost[:] = model.cost

    result = rules.wait(ctl, on_model)
    if result is None:
        return [], False, None
    if not result.satisfiable:
        return [], True, None
    return (found if all_optimal else [shown_atoms(best[0])]), True, tuple(cost)
