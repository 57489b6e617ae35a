"""Probing: what the pack's rules say of the history, and of candidate actions added to it.

The history alone gives the duties to repair and their repair windows (the pack's
repair_window/3, derived only under `repair_mode`). With candidates added, as if they all
happened, the rules say which duties the added events open (help must be reported), their
windows, and whether each opened duty is met or breached without further action. A probe
of many candidates can be split: half in the helper process (processes.py), for a duty one
candidate opens is opened with or without the others, and one that needs no action with
some of them added needs none alone.
"""

from __future__ import annotations

from checker.analysis.repair.candidates import Candidates, unwired, wired
from checker.analysis.repair.processes import Helper, Lost, Parsed, Texts, outcome
from checker.analysis.repair.rules import Rules
from checker.engine.decode import REPORT_PART
from checker.engine.solve import atoms_of, facts_of
from checker.engine.terms import Encoder, text
from checker.errors import PackError, SolveTimeout
from checker.model import BREACH_STATUSES

# Probing a history for the days on which an action can meet a duty (pack: repairs.lp).
PROBE_PROGRAM = """
repair_mode.
"""
# ...and with candidates added: the duties that fired and are not known from the history
# (repair_known/1 facts), their windows, statuses and the events that met them
PROBE_OPENED_PROGRAM = """
repair_mode.
#defined repair_known/1.
_repair_opened(O) :- fired(O, _), not repair_known(O).
_repair_opened_window(O, F, X) :- repair_window(O, F, X), _repair_opened(O).
_repair_opened_status(O, S) :- _repair_opened(O), status(O, S).
_repair_opened_by(O, E) :- _repair_opened(O), met_by(O, E).
"""
OPENED = (("_repair_opened", 1), ("_repair_opened_window", 3), ("_repair_opened_status", 2),
          ("_repair_opened_by", 2))


def probe_history(rules: Rules) -> tuple:
    """The history alone: (the shown terms of its verdicts, its repair windows {duty: [(first,
    last)]}, the duties that fired, those breached or late)."""
    ctl, messages = rules.control([])
    ctl.add("base", [], PROBE_PROGRAM)
    rules.ground(ctl, messages, parts=(("base", []), (REPORT_PART, [])))
    atoms, shown = _one_model(rules, ctl, (("fired", 2), ("status", 2), ("repair_window", 3)))
    fired = {atom.arguments[0] for atom in atoms[0]}
    was = set()
    for atom in atoms[1]:
        duty, status = atom.arguments
        if text(status) in BREACH_STATUSES:
            was.add(duty)
    return shown, _windows(atoms[2]), fired, was


def probe(rules: Rules, candidates, fired, days) -> tuple:
    """The history with ``candidates`` added (as if all happened; ``days``: those of every
    candidate, chained): (the repair windows of the duties they open, {duty: [status, met_by]}
    for every duty that fired and is not in ``fired``, i.e. that the added events opened)."""
    import clingo

    function, encode = clingo.Function, Encoder()
    seq = encode.number(len(rules.scenario.events))   # (added events come after the history)
    symbols = []
    add = symbols.append
    for c in candidates:
        key = c.key
        add(function("event", [key, encode.name(c.etype), encode.number(c.day)]))
        add(function("seq", [key, seq]))
        for f, v in c.args:
            add(function("arg", [key, encode.name(f), v]))
        for _, f, h in c.joint:
            add(function("arg", [key, encode.name(f), h]))
        # probed with the value the pack lists first (the optimisation tries them all)
        for f, v, rank in c.options:
            if rank == 0:
                add(function("arg", [key, encode.name(f), v]))
    symbols.extend(function("repair_known", [duty]) for duty in fired)
    ctl, messages = rules.control([])
    ctl.add("base", [], PROBE_OPENED_PROGRAM)
    rules.ground(ctl, messages, symbols, days)
    (opened, windows, statuses, met_by), _ = _one_model(rules, ctl, OPENED)
    info = {atom.arguments[0]: [None, None] for atom in opened}
    for atom in statuses:
        duty, status = atom.arguments
        info[duty][0] = text(status)
    for atom in met_by:
        duty, event = atom.arguments
        info[duty][1] = event
    return _windows(windows), info


def _one_model(rules: Rules, ctl, signatures) -> tuple:
    """(the atoms of ``signatures``, the shown terms) of the one model of ``ctl``."""
    # (the rules are stratified: what they derive is a fact, read off the grounder; a model
    # is still asked for, to see that there is exactly one)
    read = facts_of(ctl, signatures)
    models: list = []

    def on_model(m):
        models.append((read if read is not None else atoms_of(m.symbols(atoms=True), signatures),
                       m.symbols(shown=True)))

    if rules.wait(ctl, on_model) is None:
        raise SolveTimeout(f"repairing {rules.scenario.path} took longer than {rules.timeout:g} s")
    if len(models) != 1:
        raise PackError(f"rules: {rules.pack.name} gave {len(models)} answer sets while probing "
                        f"repairs of {rules.scenario.path}; the rules must give exactly one")
    return models[0]


def _windows(atoms) -> dict:
    """The atoms W(Duty, First, Last) as {duty: [(first, last)]}."""
    windows: dict = {}
    for atom in atoms:
        duty, first, last = atom.arguments
        windows.setdefault(duty, []).append((first.number, last.number))
    return windows


def probe_halves(rules: Rules, cands: Candidates, candidates, fired, helper: Helper, batch: int) -> tuple:
    """``probe``, the second half of the candidates in the helper process when there are
    ``2 * batch`` of them or more (and a second core): a duty one candidate opens is opened
    with or without the others, and one that needs no action with some of them added needs
    none alone."""
    half = len(candidates) // 2
    mine, theirs = candidates[:half], candidates[half:]
    ahead = probe_ahead(rules, cands, theirs, fired, helper) if len(candidates) >= 2 * batch and theirs else None
    if ahead is None:
        return probe(rules, candidates, fired, cands.days)
    windows, opened = probe(rules, mine, fired, cands.days)
    more_windows, more_opened = ahead()
    windows.update(more_windows)
    opened.update(more_opened)
    return windows, opened


def probe_ahead(rules: Rules, cands: Candidates, candidates, fired, helper: Helper):
    """``probe`` in the helper process: the function that waits for its answer, or None when
    there is no second core."""
    texts, days = cands.texts, sorted(cands.days)
    future = helper.submit(_probe_there, rules.scenario, rules.pack, rules.timeout,
                           [wired(c, texts) for c in candidates], [texts[d] for d in fired],
                           days)
    if future is None:
        return None

    def wait() -> tuple:
        try:
            windows, info = outcome(future, "probing repairs")
        except Lost:
            return probe(rules, candidates, fired, days)
        parsed = Parsed()
        return ({parsed[duty]: w for duty, w in windows},
                {parsed[duty]: [status, None if by is None else parsed[by]] for duty, status, by in info})

    return wait


def _probe_there(scenario, pack, timeout, candidates, fired, days) -> tuple:
    """``probe`` in the helper process, over values that pickle (candidates.wired, terms as
    texts)."""
    parsed, texts = Parsed(), Texts()
    windows, info = probe(Rules(scenario, pack, timeout), [unwired(c, parsed) for c in candidates],
                          [parsed[d] for d in fired], days)
    return ([(texts[duty], w) for duty, w in windows.items()],
            [(texts[duty], status, None if by is None else texts[by]) for duty, (status, by) in info.items()])


def settle(rules: Rules, cands: Candidates, fired) -> None:
    """Probe again, alone, the candidates whose opened duty another candidate met: what
    they open needs an action or not without the others."""
    unsure = [c for c in cands.by_key.values() if cands.free.get(c.key, True) is None]
    if unsure:
        _, opened = probe(rules, unsure, fired, cands.days)
        cands.learn(unsure, opened, attribute=False)
