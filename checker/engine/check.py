"""The library entry point: a scenario file in, verdicts out (load -> facts -> solve -> decode)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from checker.engine.decode import decode
from checker.engine.pool import within
from checker.engine.solve import prepare, solve, solve_prepared
from checker.io.pack import Pack
from checker.io.scenario import load_histories, load_scenario
from checker.model import Verdicts


def check_file(path: str | Path, *, rules_root: Path | None = None, as_of: str | None = None,
               readings: Mapping[str, str] | None = None, parameters: Mapping[str, int] | None = None,
               timeout: float | None = None, max_uncertain_days: int | None = None,
               treaty: str | None = None) -> tuple[Verdicts, Pack]:
    """Check one scenario file (``treaty``: the one a history of several is checked under);
    raises a CheckerError subclass on bad input or rules. With a ``timeout``, every phase
    (reading included) is bounded: see pool.within."""
    verdicts, pack, _ = check_file_keeping_control(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                                   parameters=parameters, timeout=timeout, keep=False,
                                                   max_uncertain_days=max_uncertain_days, treaty=treaty)
    return verdicts, pack


def check_file_then(path: str | Path, then: Callable, *, timeout: float | None = None, **options):
    """Check ``path`` (``options``: those of check_file) and call ``then(verdicts, pack,
    control)`` with the grounded control kept for explanations; returns (verdicts, pack,
    what ``then`` returned). With a ``timeout`` both run in a child process killed at the
    deadline, so that the whole of it, explanations included, is bounded."""
    def work(limit):
        verdicts, pack, control = check_file_keeping_control(path, **options, timeout=limit, keep=limit is None)
        return verdicts, pack, then(verdicts, pack, control)

    return within(timeout, str(path), work)


def check_file_keeping_control(path: str | Path, *, rules_root: Path | None = None, as_of: str | None = None,
                               readings: Mapping[str, str] | None = None,
                               parameters: Mapping[str, int] | None = None,
                               timeout: float | None = None, keep: bool = True, events: bool = True,
                               max_uncertain_days: int | None = None, treaty: str | None = None):
    """check_file, also returning the grounded clingo control (None for uncertain scenarios),
    so that explanations add their queries to it instead of grounding the scenario again.

    ``events=False``: the verdicts are only reported, never explained; their scenario keeps
    its settings but not its events, which are let go of before grounding (at 100 000
    events, 100 MB less at the peak). ``treaty``: the one treaty a history that names several
    is checked under.

    A control cannot leave the process that grounded it: with a ``timeout`` and ``keep``, use
    check_file_then; with a ``timeout`` alone the check runs in a child process (pool.within)."""
    if timeout is not None and keep:
        raise ValueError("a control is kept only without a timeout (see check_file_then)")
    return within(timeout, str(path), lambda limit: _check_file(path, rules_root, as_of, readings, parameters,
                                                                 limit, keep, events, max_uncertain_days, treaty))


def _check_file(path, rules_root, as_of, readings, parameters, timeout, keep, events, max_uncertain_days, treaty):
    start = time.perf_counter()
    scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                   parameters=parameters, max_uncertain_days=max_uncertain_days, treaty=treaty)
    return _check_loaded(scenario, pack, start, timeout, keep, events)


def check_history(path: str | Path, *, treaties: Sequence[str] = (), rules_root: Path | None = None,
                  as_of: str | None = None, readings: Mapping[str, str] | None = None,
                  parameters: Mapping[str, int] | None = None, timeout: float | None = None,
                  keep: bool = False, events: bool = True,
                  max_uncertain_days: int | None = None) -> list[tuple[Verdicts, Pack, object]]:
    """A scenario file checked under each treaty it is checked under (``treaties``, else those
    its ``treaty:`` names): one (verdicts, pack, control) per treaty, in that order; the file
    is read and validated once. With a ``timeout``, the whole runs in a child process killed at
    the deadline (pool.within), and no control is kept."""
    if timeout is not None and keep:
        raise ValueError("a control is kept only without a timeout")

    def work(limit):
        start = time.perf_counter()
        views = load_histories(path, rules_root=rules_root, treaties=treaties, as_of=as_of, readings=readings,
                               parameters=parameters, max_uncertain_days=max_uncertain_days)
        return [_check_loaded(scenario, pack, start, limit, keep, events) for scenario, pack in views]

    return within(timeout, str(path), work)


def _check_loaded(scenario, pack: Pack, start: float, timeout, keep: bool, events: bool):
    loaded = time.perf_counter()
    if scenario.uncertain:
        return _check_worlds(scenario, pack, start, loaded, timeout), pack, None
    problem = prepare(scenario, pack)
    if not events:
        scenario = replace(scenario, events=())  # the last reference to the events goes
    solution = solve_prepared(problem, timeout=timeout, keep_control=keep)
    decoded_start = time.perf_counter()
    stats = {"load": loaded - start, **solution.timings}
    verdicts = decode(solution.shown, scenario, pack, stats)
    stats["decode"] = time.perf_counter() - decoded_start
    return verdicts, pack, solution.control


def _check_worlds(scenario, pack: Pack, start: float, loaded: float, timeout) -> Verdicts:
    """A scenario with uncertain facts: verdicts over every possible world, in one grounding."""
    from checker.engine.decode import decode_worlds
    from checker.engine.solve import solve_worlds

    solution = solve_worlds(scenario, pack, timeout=timeout)
    decoded_start = time.perf_counter()
    stats = {"load": loaded - start, **solution.timings}
    verdicts = decode_worlds(solution.brave, solution.cautious, scenario, pack, stats,
                             worlds=scenario.world_count)
    stats["decode"] = time.perf_counter() - decoded_start
    return verdicts


def check_scenario(scenario, pack: Pack, *, timeout: float | None = None) -> Verdicts:
    """Check a scenario already loaded (e.g. edited in memory by `whatif` or `sweep`); with a
    ``timeout``, in a child process killed at the deadline (pool.within)."""
    return within(timeout, scenario.path, lambda limit: _check_scenario(scenario, pack, limit))


def _check_scenario(scenario, pack: Pack, timeout: float | None) -> Verdicts:
    start = time.perf_counter()
    if scenario.uncertain:
        return _check_worlds(scenario, pack, start, start, timeout)
    solution = solve(scenario, pack, timeout=timeout)
    decoded_start = time.perf_counter()
    stats = dict(solution.timings)
    verdicts = decode(solution.shown, scenario, pack, stats)
    stats["decode"] = time.perf_counter() - decoded_start
    return verdicts
