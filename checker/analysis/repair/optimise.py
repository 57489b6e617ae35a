"""The optimisation with the pack's rules: the fewest candidate actions (ties: the earliest,
then the values the pack lists first) with which the pack's own rules find every selected
duty fulfilled and no other duty newly breached or late, solved with clingo's
unsatisfiable-core strategy.

The answer of the pack's rules whenever the optimisation over what the probes found
(cover.py) cannot settle a repair or its repair fails the check. The selected duties fall
into groups that share no candidate; small groups are solved together in one control
(a control costs a grounding of the whole history), and half of the batches go to the
helper process when there is a second core.
"""

from __future__ import annotations

import time

from checker.analysis.repair.candidates import Candidates, unwired, wired
from checker.analysis.repair.processes import Helper, Lost, Parsed, Texts, outcome
from checker.analysis.repair.rules import Rules, shown_atoms
from checker.engine.terms import Encoder
from checker.errors import SolveTimeout
from checker.model import BREACH_STATUSES

# The treaty-agnostic part of a repair. The candidate actions reach this program as facts:
#   cand(K)  cand_event(K, T, D)  cand_arg(K, F, V)   action K: an event of type T on day D
#   cand_joint(K, O, F, H)      joint action K names holder H in list field F when it serves O
#   cand_option(K, F, V, R)     field F of K takes one of the values the pack lists (R: rank)
#   cand_weight(K, W)           its day, counted from the first day a candidate may fall on
#   all_optimal                 every optimal repair is wanted: the rank of values is no cost
#   repair_target(O)            a duty to turn into fulfilled
#   repair_late(O)              ...or into late: it was refused, and met after that it is late
#   was_breach(O)               a duty breached or late before the repair (it may stay so)
#   breach_status(S)  repair_seq(N)  repair_max(M)
# A candidate's fields hold whether or not it is used (the rules read fields only of events
# that occurred), which lets the grounder see that an added event is `about` something.
REPAIR_PROGRAM = """
{ use(K) } :- cand(K).
event(K, T, D) :- use(K), cand_event(K, T, D).
seq(K, N) :- cand(K), repair_seq(N).
arg(K, F, V) :- cand_arg(K, F, V).
% a field the pack lets take one of several values takes exactly one
_optional(K, F) :- cand_option(K, F, _, _).
1 { arg(K, F, V) : cand_option(K, F, V, _) } 1 :- use(K), _optional(K, F).
% a joint action (one consultation of several holders) serves some of the duties it may serve
{ serves(K, O) } :- use(K), cand_joint(K, O, _, _).
arg(K, F, H) :- serves(K, O), cand_joint(K, O, F, H).
:- use(K), cand_joint(K, _, _, _), not serves(K, _).
% every selected duty is fulfilled (a refused one met after its refusal: late, as the check
% wants it; an action before the refusal would meet it there), and no duty is breached or
% late that was not before
_repair_done(O) :- status(O, fulfilled), not repair_late(O).
_repair_done(O) :- repair_late(O), status(O, late).
:- repair_target(O), not _repair_done(O).
:- status(O, S), breach_status(S), not was_breach(O).
:- repair_max(M), #count { K : use(K) } > M.
% as few actions as possible; among those, the earliest; then the values the pack lists first
#minimize { 1@2, K : use(K) }.
#minimize { W@1, K : use(K), cand_weight(K, W) }.
#minimize { R@0, K, F : use(K), arg(K, F, V), cand_option(K, F, V, R), not all_optimal }.
#defined cand_joint/4. #defined repair_max/1. #defined cand_option/4. #defined cand_arg/3.
#defined all_optimal/0. #defined repair_late/1.
#show.
#show use(K) : use(K).
#show serves(K, O) : serves(K, O).
#show picked(K, F, V) : use(K), arg(K, F, V), cand_option(K, F, V, _).
"""
SHOWN = ("use", "serves", "picked")


def groups(cands: Candidates, targets) -> list[tuple[list, list]] | None:
    """The selected duties split into groups that share no kept candidate action, each
    with its candidates: (duties, candidates) per group, or None when they cannot be
    split.

    A duty joins every kept candidate that may meet it; a duty that added events open
    (help that must be reported) joins the candidates that opened it. The objective is
    a sum over actions and the constraints of one group read only its own actions, so
    the optimum of all duties is the union of the optima of the groups (the union is
    checked again as a whole scenario all the same)."""
    if cands.unattributed:
        return None
    parent: dict = {}

    def find(x):
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent[x]
        return root

    kept = cands.kept
    target_set = set(targets)
    for duty in cands.needed:
        keys = [k for k in cands.serving.get(duty, ()) if k in kept]
        if duty not in target_set:
            keys += cands.openers.get(duty, ())
        if keys:
            root = find(keys[0])
            for k in keys[1:]:
                other = find(k)
                if other != root:
                    parent[other] = root
    by_root: dict = {}
    for t in targets:
        keys = [k for k in cands.serving.get(t, ()) if k in kept]
        if not keys:   # a selected duty no action can meet: nothing can repair it
            return None
        by_root.setdefault(find(keys[0]), ([], []))[0].append(t)
    order = {}
    for n, (k, c) in enumerate(cands.by_key.items()):
        if k in kept:
            order[k] = n
            root = find(k)
            if root in by_root:
                by_root[root][1].append(c)
    return sorted(by_root.values(), key=lambda g: order[g[1][0].key])


def optimise(rules: Rules, cands: Candidates, targets, was_breach, max_actions, all_optimal, limit,
             helper: Helper, batch: int, split: bool = True):
    """(optimal repairs as shown atoms, whether optimality was proven): the duties are
    split into independent groups (see groups), solved in batches of about ``batch``
    candidates a control, unless every optimal repair is wanted (or ``split`` is false)."""
    found = groups(cands, targets) if split and not all_optimal else None
    cands.split = found is not None and len(found) >= 2
    if not cands.split:
        kept = [c for k, c in cands.by_key.items() if k in cands.kept]
        return solve_group(rules, targets, kept, was_breach, cands.late, max_actions, all_optimal, limit)
    deadline = None if rules.timeout is None else time.monotonic() + rules.timeout
    # small groups are solved together: a control costs a grounding of the whole history
    batches: list = []
    size = 0
    for duties, group in found:
        if not batches or size + len(group) > batch:
            batches.append(([], []))
            size = 0
        batches[-1][0].extend(duties)
        batches[-1][1].extend(group)
        size += len(group)
    symbols: list = []
    optimal = True
    used = 0
    total = rules.timeout
    try:
        solved = _solve_batches(rules, cands, batches, was_breach, deadline, helper)
    except SolveTimeout:
        raise SolveTimeout(f"repairing {rules.scenario.path} took longer than {total:g} s") from None
    finally:
        rules.timeout = total
    for models, proven in solved:
        if not models:
            return [], proven
        optimal = optimal and proven
        first = models[0]
        used += sum(1 for s in first if s[0] == "use")
        symbols.extend(first)
    if max_actions is not None and used > max_actions:
        # the fewest actions are the sum of the fewest of each group: none fits
        return [], optimal
    return [symbols], optimal


def _solve_batches(rules: Rules, cands: Candidates, batches, was_breach, deadline, helper: Helper):
    """solve_group of each batch: half of them in the helper process when there is a second
    core (the groups share nothing, and each has a control of its own)."""
    order = sorted(range(len(batches)), key=lambda i: -len(batches[i][1]))
    mine, theirs, load = [], [], [0, 0]
    for i in order:   # the biggest first, each to the lighter side
        side = 0 if load[0] <= load[1] else 1
        (mine, theirs)[side].append(i)
        load[side] += len(batches[i][1])
    future = None
    if theirs:
        texts = cands.texts
        future = helper.submit(
            _solve_there, rules.scenario, rules.pack, None if deadline is None else deadline - time.monotonic(),
            [([texts[t] for t in batches[i][0]], [wired(c, texts) for c in batches[i][1]]) for i in theirs],
            [texts[t] for t in was_breach], [texts[t] for t in cands.late])
    if future is None:
        return _solve_each(rules, [batches[i] for i in sorted(mine + theirs)], was_breach, cands.late, deadline)
    solved = dict(zip(mine, _solve_each(rules, [batches[i] for i in mine], was_breach, cands.late, deadline)))
    try:
        there = outcome(future, "solving a group of duties")
    except Lost:
        solved.update(zip(theirs, _solve_each(rules, [batches[i] for i in theirs], was_breach, cands.late,
                                               deadline)))
        return [solved[i] for i in range(len(batches))]
    parsed = Parsed()
    for i, (models, proven) in zip(theirs, there):
        solved[i] = ([[_atom_unwired(a, parsed) for a in model] for model in models], proven)
    return [solved[i] for i in range(len(batches))]


def _solve_each(rules: Rules, batches, was_breach, late, deadline) -> list:
    """solve_group of each (duties, candidates) of ``batches`` for one optimal repair, all
    within ``deadline`` (time.monotonic(); None: no limit)."""
    out = []
    for targets, group in batches:
        if deadline is not None:
            rules.timeout = max(deadline - time.monotonic(), 0.001)
        out.append(solve_group(rules, targets, group, was_breach, late, None, False, 1))
    return out


def _solve_there(scenario, pack, budget, batches, was_breach, late) -> list:
    """_solve_each in the helper process, over values that pickle (candidates.wired, terms
    as texts); ``budget``: the seconds they may take together (None: no limit)."""
    parsed, texts = Parsed(), Texts()
    deadline = None if budget is None else time.monotonic() + budget
    solved = _solve_each(Rules(scenario, pack, None),
                         [([parsed[t] for t in duties], [unwired(c, parsed) for c in group]) for duties, group in batches],
                         [parsed[t] for t in was_breach], {parsed[t] for t in late}, deadline)
    return [([[_atom_wired(a, texts) for a in model] for model in models], proven) for models, proven in solved]


def _atom_wired(atom: tuple, texts) -> tuple:
    """A shown atom (see rules.shown_atoms) as texts."""
    name, *args = atom
    return (name, *(a if isinstance(a, str) else texts[a] for a in args))


def _atom_unwired(atom: tuple, parsed) -> tuple:
    """The shown atom ``_atom_wired`` made ``atom`` of (a field's name stays a name)."""
    name, *args = atom
    if name == "picked":
        key, fname, value = args
        return (name, parsed[key], fname, parsed[value])
    return (name, *(parsed[a] for a in args))


def solve_group(rules: Rules, targets, cands, was_breach, late, max_actions, all_optimal, limit):
    """One optimisation over the candidates ``cands`` for the duties ``targets`` (``late``:
    the refused ones, met late at best): (optimal repairs as shown atoms, proven)."""
    import clingo

    function, encode = clingo.Function, Encoder()
    name, number = encode.name, encode.number
    lo = min((c.day for c in cands), default=0)
    extra = []
    for c in cands:
        key = c.key
        extra.append(function("cand", [key]))
        extra.append(function("cand_event", [key, name(c.etype), number(c.day)]))
        extra.extend(function("cand_arg", [key, name(f), v]) for f, v in c.args)
        extra.extend(function("cand_joint", [key, duty, name(f), h]) for duty, f, h in c.joint)
        extra.append(function("cand_weight", [key, number(c.day - lo)]))
        for f, v, rank in c.options:
            extra.append(function("cand_option", [key, name(f), v, number(rank)]))
    extra.extend(function("repair_target", [t]) for t in targets)
    extra.extend(function("repair_late", [t]) for t in targets if t in late)
    extra.extend(function("was_breach", [t]) for t in was_breach)
    extra.extend(function("breach_status", [name(s)]) for s in BREACH_STATUSES)
    extra.append(function("repair_seq", [number(len(rules.scenario.events))]))
    if max_actions is not None:
        extra.append(function("repair_max", [number(max_actions)]))
    if all_optimal:
        extra.append(function("all_optimal"))
    args = ["--opt-strategy=usc"]
    args += ["--opt-mode=optN", "--models=0"] if all_optimal else ["--opt-mode=opt"]
    ctl, messages = rules.control(args)
    ctl.add("base", [], REPAIR_PROGRAM)
    rules.ground(ctl, messages, extra, [c.day for c in cands])
    found: list = []
    best: list = []

    def on_model(model):
        if all_optimal:
            if model.optimality_proven and len(found) < limit:
                found.append(shown_atoms(model.symbols(shown=True), SHOWN))
        else:
            best[:] = [model.symbols(shown=True)]

    result = rules.wait(ctl, on_model)
    if result is None:  # out of time: the best repair so far, if any, unproven
        if best and not all_optimal:
            return [shown_atoms(best[0], SHOWN)], False
        raise SolveTimeout(f"repairing {rules.scenario.path} took longer than {rules.timeout:g} s")
    if not result.satisfiable:
        return [], True
    return (found if all_optimal else [shown_atoms(best[0], SHOWN)]), True
