"""Settling a repair: the days worth trying, the optimisation, and the check of its answer as an
ordinary scenario, falling back to the pack's rules when that check fails.

The optimisation over what the probes found (cover.py) comes first, when the repair is
checked with the pack's rules: that check is what makes its answer a repair. If it cannot
settle the repair, or its repair fails the check, the pack's rules have the last word
(optimise.py); and if the repairs of independent groups of duties fail the check together
(the pack's rules join events the candidates did not show), all the duties are solved as
one problem.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

from checker.analysis.repair import cover, optimise, probe, reduce
from checker.analysis.repair.document import as_events, repaired_document
from checker.analysis.repair.result import Repair
from checker.analysis.repair.state import Search
from checker.io.pack import Pack
from checker.model import BREACH_STATUSES, Scenario, Verdicts, iso


def solve_and_check(search: Search, since: float, final: bool = True) -> bool:
    """Reduce, optimise, check (``since``: when the probing this follows began). Unless
    ``final``, stop at a repair of the cover that fails the check (or at no repair from it):
    the caller probes the last round first. True when the cover's repair passed the check."""
    rules, cands, result, timings, tuning = search.rules, search.cands, search.result, search.timings, search.tuning
    probe.settle(rules, cands, search.fired)
    timings["probe"] = timings.get("probe", 0.0) + time.perf_counter() - since
    began = time.perf_counter()
    reduce.reduce(cands, search.targets, every_day=tuning.all_days)
    timings["reduce"] = timings.get("reduce", 0.0) + time.perf_counter() - began
    began = time.perf_counter()
    fast = None
    if search.verify and tuning.fast:
        fast = cover.optimise_fast(rules, cands, search.targets, search.max_actions, search.all_optimal,
                                   search.limit)
    if fast is not None and fast[0]:
        models, optimal = fast
    else:  # (no repair over what the probes found: the pack's rules have the last word)
        if not final:
            timings["solve"] = timings.get("solve", 0.0) + time.perf_counter() - began
            return False
        fast = None
        models, optimal = _optimise(search)
    timings["solve"] = timings.get("solve", 0.0) + time.perf_counter() - began
    result.optimal = optimal
    result.repairs = [as_events(cands, m) for m in models]
    result.verified = None
    if search.verify and result.repairs:
        began = time.perf_counter()
        result.verified = _checked(search, result.repairs)
        if not result.verified and not final:
            timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - began
            return False
        if not result.verified and fast is not None:
            _solve_again(search)
        if not result.verified and cands.split:
            # the groups' repairs meet each other after all (the pack's rules join events
            # the candidates did not show): solve all the duties as one problem instead
            _solve_again(search, split=False)
        timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - began
    return bool(result.verified) and fast is not None


def _optimise(search: Search, split: bool = True):
    """optimise.optimise with the request of ``search``."""
    return optimise.optimise(search.rules, search.cands, search.targets, search.was, search.max_actions,
                             search.all_optimal, search.limit, search.helper, search.tuning.batch, split=split)


def _solve_again(search: Search, split: bool = True) -> None:
    """Optimise with the pack's rules, in the time allowed, and check the repairs found."""
    result = search.result
    search.rules.timeout = search.timeout
    models, result.optimal = _optimise(search, split)
    result.repairs = [as_events(search.cands, m) for m in models]
    result.verified = bool(models) and _checked(search, result.repairs)


def _checked(search: Search, repairs) -> bool:
    """Whether every repair of ``repairs`` passes verify_repair."""
    return all(verify_repair(search.rules.scenario, search.rules.pack, search.before, search.result.targets,
                             rep, search.timeout, search.doc, late=search.refused) for rep in repairs)


def verify_repair(scenario: Scenario, pack: Pack, before: Verdicts, targets: Sequence[str],
                  repair_: Repair, timeout: float | None = None, doc=None, late=()) -> bool:
    """Check the scenario with the repair added, as an ordinary scenario: every target
    fulfilled (those in ``late``, refused, met late), and no duty breached or late that was
    not before. ``doc``: the scenario's document as read (else it is read again)."""
    from checker.engine.check import check_scenario
    from checker.io.scenario import _load

    doc = repaired_document(scenario.path, repair_, doc)
    # the verdict day of the original run holds (it may have come from --as-of)
    doc["as_of"] = iso(scenario.as_of)
    edited, pack2 = _load(Path(scenario.path), doc, pack.folder.parent, None,
                          dict(scenario.readings), dict(scenario.parameters), treaty=pack.name)
    after = check_scenario(edited, pack2, timeout=timeout)
    was = {o.id for o in before.obligations if o.status in BREACH_STATUSES}
    wanted = set(targets)
    for o in after.obligations:
        if o.id in wanted and o.status != ("late" if o.id in late else "fulfilled"):
            return False
        if o.status in BREACH_STATUSES and o.id not in was:
            return False
    # (a set of the ids: Verdicts.obligation looks one up by walking every duty)
    found = {o.id for o in after.obligations}
    return all(t in found for t in targets)
