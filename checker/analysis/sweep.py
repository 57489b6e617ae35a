"""Sweeps: a scenario checked over a grid of varied inputs, in parallel on every core.

A dimension varies one input: an event's date (by offsets), one of its fields (by values),
a reading (by choices) or a parameter (by numbers). Every point of the grid is the scenario
with one value per dimension, applied as what-if edits or overrides and checked from
scratch in a worker process (a fresh clingo control per point).
"""

from __future__ import annotations

import itertools
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from checker.analysis.whatif import Edits, verdict_cells
from checker.engine.pool import worker_pool
from checker.errors import CheckerError, UsageError, did_you_mean

RANGE = re.compile(r"^([+-]?\d{1,6})\.\.([+-]?\d{1,6})$")
UNSET = "unset"   # the value of a parameter left unset (one whose default is null)


@dataclass(frozen=True)
class Dimension:
    """One varied input: ``kind`` is date (offsets in days), field, reading or param."""

    name: str                 # as shown: `consult-1.date`, `reading.assistance_means`...
    kind: str
    target: str               # the event id, reading or parameter
    field: str | None
    values: tuple             # offsets, field values (YAML text), choices or numbers

    def label(self, value) -> str:
        if self.kind == "param" and value is None:
            return UNSET
        return f"{value:+d}d" if self.kind == "date" else str(value)


def _numbers(text: str, option: str, signed: bool) -> tuple[int, ...]:
    match = RANGE.match(text)
    if match:
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo > hi or hi - lo > 10_000:
            raise UsageError(f"{option}: {text!r} is not a range LOW..HIGH")
        return tuple(range(lo, hi + 1))
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise UsageError(f"{option}: {text!r}: give LOW..HIGH or a list of whole numbers") from None
    if not signed and any(v < 0 for v in values):
        raise UsageError(f"{option}: {text!r}: a parameter is a whole number from 0")
    return values


def _param_values(text: str, option: str, parameter) -> tuple:
    """A parameter's values: numbers (LOW..HIGH or a list), where the pack lets it be unset
    also the word `unset` (None), as in `unset,0,3`."""
    parts = [p.strip() for p in text.split(",")]
    if UNSET not in parts:
        return _numbers(text, option, False)
    if not parameter.may_be_unset:
        raise UsageError(f"{option}: {parameter.name} cannot be {UNSET}: its default is {parameter.default}; "
                         "only a parameter whose default is null may be left unset")
    out: list = []
    for part in parts:
        values = (None,) if part == UNSET else _numbers(part, option, False)
        out.extend(v for v in values if v not in out)
    return tuple(out)


def parse_vary(text: str, pack) -> list[Dimension]:
    """One `--vary` option as its dimension(s); `reading=*` gives one per reading."""
    option = "--vary"
    target, sep, values = text.partition("=")
    target, values = target.strip(), values.strip()
    if not sep or not target or not values:
        raise UsageError(f"{option}: expected NAME=VALUES, got {text!r}")
    head, dot, rest = target.partition(".")
    if head in ("reading", "readings"):
        names = [rest] if dot else list(pack.readings)
        dims = []
        for name in names:
            if name not in pack.readings:
                raise UsageError(f"{option}: {pack.name} has no reading {name!r}"
                                 f"{did_you_mean(name, pack.readings)}")
            choices = pack.readings[name].choices
            chosen = choices if values in ("*", "all") else tuple(v.strip() for v in values.split(","))
            bad = [c for c in chosen if c not in choices]
            if bad:
                raise UsageError(f"{option}: {bad[0]!r} is not a choice of {name} (choices: {', '.join(choices)})")
            dims.append(Dimension(f"reading.{name}", "reading", name, None, tuple(chosen)))
        return dims
    if head in ("param", "parameter"):
        if rest not in pack.parameters:
            raise UsageError(f"{option}: {pack.name} has no parameter {rest!r}"
                             f"{did_you_mean(rest, pack.parameters)}")
        return [Dimension(f"param.{rest}", "param", rest, None, _param_values(values, option, pack.parameters[rest]))]
    if not dot or not rest:
        raise UsageError(f"{option}: expected EVENT.date=LOW..HIGH, EVENT.FIELD=A,B, reading.NAME=A,B "
                         f"or param.NAME=LOW..HIGH, got {text!r}")
    if rest == "date":
        return [Dimension(target, "date", head, "date", _numbers(values, option, True))]
    return [Dimension(target, "field", head, rest, tuple(v.strip() for v in values.split(",")))]


def _point_edits(dims: Sequence[Dimension], point: Sequence) -> tuple[Edits, dict, dict]:
    shift, sets, readings, params = [], [], {}, {}
    for dim, value in zip(dims, point):
        if dim.kind == "date":
            shift.append((dim.target, value))
        elif dim.kind == "field":
            sets.append((dim.target, dim.field, value))
        elif dim.kind == "reading":
            readings[dim.target] = value
        else:
            params[dim.target] = value
    return Edits(shift=tuple(shift), set=tuple(sets)), readings, params


_DOCS: dict = {}


def _check_point(job) -> tuple[dict | None, list[str]]:
    """Worker: one point of the grid -> (obligation id -> verdict, error lines)."""
    from checker.analysis.whatif import apply_edits
    from checker.engine.check import check_scenario
    from checker.io.scenario import _load, read_document

    path, edits, readings, params, rules_root, as_of, timeout = job
    try:
        doc = _DOCS.get(path)
        if doc is None:
            doc = _DOCS[path] = read_document(Path(path), path)
        edited = apply_edits(doc, edits)
        scenario, pack = _load(Path(path), edited, rules_root, as_of, readings, params)
        return verdict_cells(check_scenario(scenario, pack, timeout=timeout)), []
    except CheckerError as exc:
        return None, exc.lines()


@dataclass
class SweepResult:
    path: str
    title: str
    dims: list[Dimension]
    points: list[tuple]
    verdicts: list[dict]
    workers: int
    seconds: float

    def changing(self) -> list[str]:
        """Obligations whose verdict is not the same at every point, in first-seen order."""
        ids = list(dict.fromkeys(i for v in self.verdicts for i in v))
        return [i for i in ids if len({v.get(i, "-") for v in self.verdicts}) > 1]

    def steady(self) -> int:
        ids = set(i for v in self.verdicts for i in v)
        return len(ids) - len(self.changing())

    def breached(self) -> bool:
        """Whether some point has a duty breached or late (possibly so, in an uncertain one)."""
        return any(cell in ("breached", "late") or cell.startswith(("possibly breached", "possibly late"))
                   for v in self.verdicts for cell in v.values())


def sweep(path: str | Path, varies: Sequence[str], *, rules_root: Path | None = None,
          as_of: str | None = None, readings: Mapping[str, str] | None = None,
          parameters: Mapping[str, int] | None = None, timeout: float | None = None,
          jobs: int | None = None) -> SweepResult:
    """Check ``path`` at every point of the grid the ``varies`` span, on ``jobs`` processes."""
    from checker.io.scenario import load_scenario

    scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                   parameters=parameters)
    if not varies:
        raise UsageError("sweep: give at least one --vary")
    dims = [d for text in varies for d in parse_vary(text, pack)]
    for d in dims:
        if d.kind in ("date", "field") and scenario.event(d.target) is None:
            raise UsageError(f"--vary: no event {d.target!r}"
                             f"{did_you_mean(d.target, [e.id for e in scenario.events])}")
    points = list(itertools.product(*(d.values for d in dims)))
    if len(points) > 100_000:
        raise UsageError(f"--vary: the grid has {len(points)} points; at most 100000")
    jobs_list = []
    for point in points:
        edits, point_readings, point_params = _point_edits(dims, point)
        jobs_list.append((str(path), edits, {**(readings or {}), **point_readings},
                          {**(parameters or {}), **point_params}, rules_root, as_of, timeout))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(points)))
    start = time.perf_counter()
    if workers == 1:
        results = [_check_point(j) for j in jobs_list]
    else:
        with worker_pool(workers) as pool:
            results = list(pool.map(_check_point, jobs_list, chunksize=max(1, len(points) // (workers * 4))))
    seconds = time.perf_counter() - start
    for point, (verdicts, errors) in zip(points, results):
        if errors:
            where = ", ".join(f"{d.name}={d.label(v)}" for d, v in zip(dims, point))
            raise CheckerError("\n".join(f"{line} (at {where})" for line in errors))
    return SweepResult(str(path), scenario.title, dims, points, [v for v, _ in results], workers, seconds)
