"""`checker repair` from start to end: load the scenario, probe its history, select the duties
to repair, explore rounds of candidates, then settle an optimal repair and check it.

The method, step by step, is the package's docstring (__init__.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Mapping, Sequence

from checker.analysis.repair import probe as probing
from checker.analysis.repair.candidates import Candidates
from checker.analysis.repair.check import solve_and_check
from checker.analysis.repair.declaration import read_repairs
from checker.analysis.repair.processes import Helper
from checker.analysis.repair.result import RepairResult
from checker.analysis.repair.rounds import explore, step
from checker.analysis.repair.rules import Rules
from checker.analysis.repair.state import Search, Tuning
from checker.analysis.repair.targets import late_at_best, refused_on, select_targets
from checker.errors import UsageError, did_you_mean

TUNING = Tuning()
# A history this long is likely to give enough candidates to split the first probe between two
# processes (about three candidates an event): the helper process starts while the history is
# probed, so that it is ready by then.
EARLY_HELPER_EVENTS = 250


def repair(path: str | Path, *, only: Sequence[str] = (), holder: str | None = None,
           max_actions: int | None = None, all_optimal: bool = False, limit: int = 20,
           rules_root: Path | None = None, as_of: str | None = None,
           readings: Mapping[str, str] | None = None, parameters: Mapping[str, int] | None = None,
           timeout: float | None = None, verify: bool = True, treaty: str | None = None) -> RepairResult:
    """The smallest sets of events (ties: the earliest) that turn the selected breached or
    late duties of ``path`` into fulfilled ones without breaching any other duty (``treaty``:
    the one to read a history of several under)."""
    with Helper() as helper:
        return _repair(path, only, holder, max_actions, all_optimal, limit, rules_root, as_of,
                       readings, parameters, timeout, verify, helper, TUNING, treaty)


def _repair(path, only, holder, max_actions, all_optimal, limit, rules_root, as_of, readings,
            parameters, timeout, verify, helper: Helper, tuning: Tuning, treaty: str | None = None) -> RepairResult:
    from checker.engine.decode import decode, duty_key
    from checker.io.scenario import _load, load_scenario, read_document
    from checker.model import obligation_id

    timings: dict[str, float] = {}
    start = time.perf_counter()
    if Path(path).suffix.lower() == ".json":
        doc = None
        scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                       parameters=parameters, treaty=treaty)
    else:  # (as load_scenario does; the document is kept for the checks of the repairs)
        doc = read_document(Path(path), str(path))
        scenario, pack = _load(Path(path), doc, rules_root, as_of, readings, parameters, treaty=treaty)
    if scenario.uncertain:
        raise UsageError(f"{scenario.path}: repair needs a scenario whose facts are certain "
                         "(pick a world first, e.g. with whatif --set)")
    # (names on a non-party list, such as a default guarantor the scenario left out, hold no duty)
    parties = {m for role, members in scenario.roles.items() if role not in pack.non_party for m in members}
    if holder is not None and holder not in parties:
        raise UsageError(f"--holder: {holder!r} is not a party of {scenario.path}"
                         f"{did_you_mean(holder, parties)}")
    specs = read_repairs(pack)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    if len(scenario.events) >= EARLY_HELPER_EVENTS and specs:
        helper.start(probing.__name__)
    rules = Rules(scenario, pack, timeout)
    cands = Candidates(scenario, pack, specs)
    plain, windows, fired, was = probing.probe_history(rules)
    before = decode(plain, scenario, pack)
    targets, unrepairable = select_targets(before, specs, only, holder)
    result = RepairResult(scenario, before, tuple(o.id for o in targets), tuple(unrepairable),
                          timings=timings)
    timings["history"] = time.perf_counter() - start
    if not targets:
        result.optimal = True
        return result
    start = time.perf_counter()
    target_ids = set(result.targets)
    # (a selected duty is breached or late: only those are named)
    target_terms = [d for d in windows if d in was and obligation_id(*duty_key(d)) in target_ids]
    # a refused duty can only be met after its refusal, and is then late
    refused = {o.id: o for o in targets if refused_on(o) is not None}
    result.refused = tuple((o.id, late_at_best(o)) for o in refused.values())
    for d in target_terms:
        o = refused.get(obligation_id(*duty_key(d)))
        if o is not None:
            windows[d] = [(max(first, o.breached_on), max(last, o.breached_on)) for first, last in windows[d]]
            cands.late.add(d)
    cands.windows.update(windows)
    cands.add(windows, target_terms)
    search = Search(rules, cands, helper, tuning, result, before, doc, target_terms, was, fired, refused,
                    max_actions, all_optimal, limit, verify, timeout, opened=set(target_terms))

    pending = explore(search, list(cands.by_key.values()), 0)
    done = solve_and_check(search, start, final=pending is None or pending[2] is not None)
    while pending is not None:
        # the last round, probed beside the optimisation: if its candidates open nothing, the
        # optimisation had every candidate; otherwise explore on and optimise again.
        # Left unprobed (lazy), its candidates counted as opening nothing: the cover was then
        # a relaxation (what they open can only add constraints, and the actions for it only
        # serve it), so its optimum is no more than the true one; a repair of that cost that
        # passes the check with the pack's rules is a repair, hence optimal. Only when the
        # check fails is the round probed.
        fresh, rounds, ahead = pending
        start = time.perf_counter()
        if ahead is None and done:
            break
        found = ahead() if ahead is not None else probing.probe_halves(rules, cands, fresh, fired, helper,
                                                                        tuning.batch)
        fresh, opens = step(search, fresh, found)
        if not opens:
            timings["probe"] += time.perf_counter() - start
            if ahead is None:   # (the check failed: everything is known now)
                solve_and_check(search, start)
            break
        pending = explore(search, fresh, rounds)
        done = solve_and_check(search, start, final=pending is None or pending[2] is not None)
    return result
