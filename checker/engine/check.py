"""The library entry point: a scenario file in, verdicts out (load -> facts -> solve -> decode)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from checker.engine.decode import decode
from checker.engine.solve import prepare, solve, solve_prepared
from checker.io.pack import Pack
from checker.io.scenario import load_histories, load_scenario
from checker.model import Verdicts


def check_file(path: str | Path, *, rules_root: Path | None = None, as_of: str | None = None,
               readings: Mapping[str, str] | None = None, parameters: Mapping[str, int] | None = None,
               timeout: float | None = None) -> tuple[Verdicts, Pack]:
    """Check one scenario file; raises a CheckerError subclass on bad input or rules."""
    verdicts, pack, _ = check_file_keeping_control(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                                   parameters=parameters, timeout=timeout, keep=False)
    return verdicts, pack


def check_file_keeping_control(path: str | Path, *, rules_root: Path | None = None, as_of: str | None = None,
                               readings: Mapping[str, str] | None = None,
                               parameters: Mapping[str, int] | None = None,
                               timeout: float | None = None, keep: bool = True, events: bool = True,
                               treaty: str | None = None):
    """check_file, also returning the grounded clingo control (None for uncertain scenarios),
    so that explanations add their queries to it instead of grounding the scenario again.

    ``events=False``: the verdicts are only reported, never explained; their scenario keeps
    its settings but not its events, which are let go of before grounding (at 100 000
    events, 100 MB less at the peak). ``treaty``: the one treaty a history that names several
    is checked under."""
    start = time.perf_counter()
    scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                   parameters=parameters, treaty=treaty)
    return _check_loaded(scenario, pack, start, timeout, keep, events)


def check_history(path: str | Path, *, treaties: Sequence[str] = (), rules_root: Path | None = None,
                  as_of: str | None = None, readings: Mapping[str, str] | None = None,
                  parameters: Mapping[str, int] | None = None, timeout: float | None = None,
                  keep: bool = False, events: bool = True) -> list[tuple[Verdicts, Pack, object]]:
    """A scenario file checked under each treaty it is checked under (``treaties``, else those
    its ``treaty:`` names): one (verdicts, pack, control) per treaty, in that order; the file
    is read and validated once."""
    start = time.perf_counter()
    views = load_histories(path, rules_root=rules_root, treaties=treaties, as_of=as_of, readings=readings,
                           parameters=parameters)
    return [_check_loaded(scenario, pack, start, timeout, keep, events) for scenario, pack in views]


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
    """Check a scenario already loaded (e.g. edited in memory by `whatif` or `sweep`)."""
    start = time.perf_counter()
    if scenario.uncertain:
        return _check_worlds(scenario, pack, start, start, timeout)
    solution = solve(scenario, pack, timeout=timeout)
    decoded_start = time.perf_counter()
    stats = dict(solution.timings)
    verdicts = decode(solution.shown, scenario, pack, stats)
    stats["decode"] = time.perf_counter() - decoded_start
    return verdicts
