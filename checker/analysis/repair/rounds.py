"""Rounds of probes: the candidates of the selected duties, then those of the duties their
events open (help must be reported), and so on until an added event opens no duty that
needs an action (``Tuning.max_probes`` rounds at most).

The first round probes the provision with the most candidates (split between two processes
when there are many) and leaves the others to the next round. The round after it, the last
one unless what it opens needs actions of its own, is returned unprobed: it is probed in
the helper process beside the optimisation, or, when one optimal repair is wanted and
checked with the pack's rules, only if that check fails (see method.py).
"""

from __future__ import annotations

from itertools import islice

from checker.analysis.repair import probe as probing
from checker.analysis.repair.state import Search
from checker.engine.terms import text


def step(search: Search, probed, found) -> tuple[list, bool]:
    """Learn a probe of ``probed`` (``found``: what it found): (the new candidates for the
    duties they opened, whether they opened any)."""
    cands = search.cands
    windows, info = found
    cands.learn(probed, info)
    new = [d for d in windows if d not in search.opened and text(d.arguments[0]) in cands.specs]
    for d in new:
        cands.windows[d] = windows[d]
    search.opened.update(new)
    known = len(cands.by_key)
    cands.add(windows, new)
    return list(islice(cands.by_key.values(), known, None)), bool(info)


def lazy(search: Search) -> bool:
    """Whether the last round is probed only if the cover's repair fails the check (one
    optimal repair wanted, and checked with the pack's rules)."""
    tuning = search.tuning
    return tuning.lazy and tuning.parallel and tuning.fast and search.verify and not search.all_optimal


def explore(search: Search, fresh: list, rounds: int):
    """Probe round after round, from the candidates ``fresh`` on (``rounds`` done so far),
    until no added event opens a duty. Returns None when every round was probed, or the
    last round unprobed: (its candidates, rounds, ahead), where ``ahead`` waits for its
    probe in the helper process, or is None (probed only if needed: see ``lazy``)."""
    rules, cands, helper, tuning, fired = search.rules, search.cands, search.helper, search.tuning, search.fired
    later: list = []
    while fresh or later:
        if rounds == tuning.max_probes:
            cands.unattributed = True   # the last candidates were not probed: keep every day
            break
        rounds += 1
        if not tuning.parallel:
            fresh, _ = step(search, fresh, probing.probe(rules, fresh, fired, cands.days))
            continue
        if rounds >= 2:
            batch = fresh + later
            if lazy(search):
                return (batch, rounds, None)
            ahead = probing.probe_ahead(rules, cands, batch, fired, helper)
            if ahead is not None:
                return (batch, rounds, ahead)
            fresh, later = batch, []
        elif len(fresh) >= 2 * tuning.batch:
            # (a duty the first provision's actions open is then met in its probe by no
            # candidate of another provision: whether it needs an action is known)
            by_provision: dict = {}
            for c in fresh:
                by_provision.setdefault(c.cls[0], []).append(c)
            first = max(by_provision.values(), key=len)
            later = [c for c in fresh if c.cls[0] != first[0].cls[0]]
            fresh = first
        fresh, _ = step(search, fresh, probing.probe_halves(rules, cands, fresh, fired, helper, tuning.batch))
    return None
