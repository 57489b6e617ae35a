"""Sweeps: a scenario checked at every point of a grid of varied inputs.

A dimension varies one input: an event's date (by offsets in days), one of its fields (by
values), whether it happened (``occurred``: true, false, maybe), a reading (by choices) or a
parameter (by numbers, or ``unset``). A point of the grid is the scenario with one value per
dimension, as a what-if of those edits would make it.

The grid is checked as one family of scenarios (checker.engine.multishot): every value of
every dimension is validated once, the rules are grounded once, and each point is one solve
with its facts switched on. The points are cut into chunks, run in order on this process, on
a pool of processes (each grounds once), or on a Dask cluster (checker.analysis.cluster: each
worker grounds once per chunk), and come back in order as they finish. ``reference_cells``
checks a point the slow way, editing the file and checking it from scratch; the tests hold
the two to the same verdicts.

The grid is bounded before it is built (``max_points``); its results are kept as one small
integer per point (the point's *profile*: the tuple of its verdicts, each distinct one kept
once), so a sweep of a million points holds a few megabytes.

One module, though long: the grid (parsed from --vary and bounded before it is built), its
plan and its run share the Dimension and plan records.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import os
import re
import threading
import time
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from checker.analysis.whatif import Edits, apply_edits, verdict_cells
from checker.errors import CheckerError, UsageError, did_you_mean

RANGE = re.compile(r"^([+-]?\d{1,7})\.\.([+-]?\d{1,7})$")
UNSET = "unset"   # the value of a parameter left unset (one whose default is null)
OCCURRED = ("true", "false", "maybe")
MAX_RANGE = 10_000          # values in one LOW..HIGH range
MAX_POINTS = 100_000        # points in a grid (or worlds), unless --max-points says more
_FIRST_DAY, _LAST_DAY = 1, _dt.date.max.toordinal()


@dataclass(frozen=True)
class Dimension:
    """One varied input: ``kind`` is date (offsets in days), field, occurred, reading or param."""

    name: str                 # as shown: `consult-1.date`, `reading.assistance_means`...
    kind: str
    target: str               # the event id, reading or parameter
    field: str | None
    values: tuple             # offsets, field values (YAML text), occurred words, choices or numbers

    def label(self, value) -> str:
        if self.kind == "param" and value is None:
            return UNSET
        if self.kind == "date":
            return f"{value:+d}d"
        if self.kind == "field" and value == "":
            return "(none)"
        return str(value)


# --- parsing --vary ----------------------------------------------------------------------------

def _numbers(text: str, option: str, signed: bool) -> tuple[int, ...]:
    match = RANGE.match(text)
    if match:
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo > hi:
            raise UsageError(f"{option}: {text!r} is not a range LOW..HIGH (LOW is above HIGH)")
        if hi - lo >= MAX_RANGE:
            raise UsageError(f"{option}: {text!r} holds {hi - lo + 1} values; a range holds at most {MAX_RANGE}")
        return tuple(range(lo, hi + 1))
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise UsageError(f"{option}: {text!r}: give LOW..HIGH or a list of whole numbers") from None
    if not signed and any(v < 0 for v in values):
        raise UsageError(f"{option}: {text!r}: a parameter is a whole number from 0")
    return tuple(dict.fromkeys(values))


def _param_values(text: str, option: str, parameter) -> tuple:
    """A parameter's values: numbers (LOW..HIGH or a list), where the pack lets it be unset
    also the word `unset` (None), as in `unset,0,3`."""
    parts = [p.strip() for p in text.split(",")]
    if UNSET not in parts:
        values = _numbers(text, option, False)
    else:
        if not parameter.may_be_unset:
            raise UsageError(f"{option}: {parameter.name} cannot be {UNSET}: its default is {parameter.default}; "
                             "only a parameter whose default is null may be left unset")
        out: list = []
        for part in parts:
            numbers = (None,) if part == UNSET else _numbers(part, option, False)
            out.extend(v for v in numbers if v not in out)
        values = tuple(out)
    big = [v for v in values if v is not None and v > 100_000]
    if big:
        raise UsageError(f"{option}: {parameter.name}={big[0]} is not from 0 to 100000")
    return values


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
            chosen = choices if values in ("*", "all") else tuple(dict.fromkeys(v.strip() for v in values.split(",")))
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
        raise UsageError(f"{option}: expected EVENT.date=LOW..HIGH, EVENT.FIELD=A,B, EVENT.occurred=true,false, "
                         f"reading.NAME=A,B or param.NAME=LOW..HIGH, got {text!r}")
    if rest == "date":
        return [Dimension(target, "date", head, "date", _numbers(values, option, True))]
    if rest == "occurred":
        words = tuple(dict.fromkeys(v.strip() for v in values.split(",")))
        bad = [w for w in words if w not in OCCURRED]
        if bad:
            raise UsageError(f"{option}: {target}={bad[0]!r}: an event occurred true, false or maybe")
        return [Dimension(target, "occurred", head, "occurred", words)]
    if rest in ("id", "type"):
        raise UsageError(f"{option}: an event's {rest} cannot be varied (vary {head}.occurred and add another event)")
    return [Dimension(target, "field", head, rest, tuple(dict.fromkeys(v.strip() for v in values.split(","))))]


def grid_size(dims: Sequence[Dimension]) -> int:
    """How many points the dimensions span."""
    return math.prod(len(d.values) for d in dims)


def check_bound(count: int, limit: int, what: str, unit: str = "points") -> None:
    """UsageError when ``count`` points (or worlds) exceed ``limit``, naming the option that
    raises it."""
    if count > limit:
        raise UsageError(f"{what} has {count} {unit}, more than the {limit} allowed; "
                         f"--max-points N raises the limit")


# --- the plan: a grid as a family of scenarios ---------------------------------------------------

@dataclass(frozen=True)
class GridPlan:
    """A sweep ready to run anywhere: the validated base scenario, its pack, the family its
    grid makes (checker.engine.multishot.Variation) and how a point maps onto it. Picklable:
    it is what a worker process or a cluster's worker receives."""

    path: str
    title: str
    dims: tuple[Dimension, ...]
    scenario: object                     # the base Scenario
    pack: object                         # its Pack
    variation: object                    # checker.engine.multishot.Variation
    # per dimension: (axis of the family, the dimension's weight within that axis' variants)
    axes: tuple[tuple[int, int], ...]
    timeout: float | None = None
    token: str = ""                      # names the plan in a worker's cache

    @property
    def size(self) -> int:
        return grid_size(self.dims)

    @property
    def columns(self) -> list[str]:
        return [d.name for d in self.dims]

    def indices(self, i: int) -> tuple[int, ...]:
        """The index of each dimension's value at point ``i`` (the last dimension fastest)."""
        out = []
        for d in reversed(self.dims):
            i, k = divmod(i, len(d.values))
            out.append(k)
        return tuple(reversed(out))

    def values(self, i: int) -> tuple:
        return tuple(d.values[k] for d, k in zip(self.dims, self.indices(i)))

    def labels(self, i: int) -> tuple[str, ...]:
        return tuple(d.label(d.values[k]) for d, k in zip(self.dims, self.indices(i)))

    def choice(self, i: int) -> tuple[int, ...]:
        """The family's choice for point ``i``: a variant per varied event, a value per reading
        and parameter."""
        out = [0] * self.variation.axes
        for (axis, weight), k in zip(self.axes, self.indices(i)):
            out[axis] += k * weight
        return tuple(out)

    def weight(self, i: int) -> float:
        return 1.0

    worlds = False

    def dimension_values(self) -> list[tuple[str, list[str]]]:
        """Each dimension's name and the labels of its values."""
        return [(d.name, [d.label(v) for v in d.values]) for d in self.dims]


def _shift(event, days: int, dim: Dimension, label: str):
    day = event.day + days
    last = (event.date_range[1] if event.date_range else event.day) + days
    if day < _FIRST_DAY or last > _LAST_DAY:
        raise UsageError(f"--vary: {dim.name}={label} moves {event.id} outside the calendar "
                         "(0001-01-01 to 9999-12-31)")
    if event.date_range is None:
        return replace(event, day=day)
    return replace(event, day=day, date_range=(event.date_range[0] + days, event.date_range[1] + days))


def _field_value(doc, path: Path, dim: Dimension, value: str, load_args: dict):
    """The event ``dim`` edits, validated with ``value`` set as a what-if would set it."""
    from checker.io.scenario import load_document

    try:
        # (the event keeps its place, so a problem is said at the line of the field it replaces)
        scenario, _ = load_document(path, apply_edits(doc, Edits(set=((dim.target, dim.field, value),))),
                                    **load_args)
    except CheckerError as exc:
        raise CheckerError("\n".join(f"{line} (at {dim.name}={dim.label(value)})" for line in exc.lines())) from None
    return scenario.event(dim.target)


def plan_sweep(path: str | Path, varies: Sequence[str], *, rules_root: Path | None = None,
               as_of: str | None = None, readings: Mapping[str, str] | None = None,
               parameters: Mapping[str, int | None] | None = None, timeout: float | None = None,
               max_points: int = MAX_POINTS, treaty: str | None = None) -> GridPlan:
    """The grid the ``varies`` span over ``path``, validated and bounded, as a family of
    scenarios (nothing is checked yet); ``treaty``: the one to read a history of several under."""
    from checker.engine.multishot import Variation
    from checker.io.scenario import load_document, read_document

    path = Path(path)
    doc = read_document(path, str(path))
    load_args = dict(rules_root=rules_root, as_of=as_of, readings=readings, parameters=parameters, treaty=treaty)
    scenario, pack = load_document(path, doc, **load_args)
    if not varies:
        raise UsageError("sweep: give at least one --vary (or --worlds)")
    dims = [d for text in varies for d in parse_vary(text, pack)]
    seen: set = set()
    for d in dims:
        if d.name in seen:
            raise UsageError(f"--vary: {d.name} is varied twice")
        seen.add(d.name)
        if d.kind in ("date", "field", "occurred") and scenario.event(d.target) is None:
            raise UsageError(f"--vary: no event {d.target!r}"
                             f"{did_you_mean(d.target, [e.id for e in scenario.events])}")
    check_bound(grid_size(dims), max_points, "--vary: the grid")

    # each varied event's variants: every combination of its dimensions' values
    event_dims: dict[str, list[int]] = {}
    for n, d in enumerate(dims):
        if d.kind in ("date", "field", "occurred"):
            event_dims.setdefault(d.target, []).append(n)
    events, axes = [], [None] * len(dims)
    for axis, (eid, members) in enumerate(event_dims.items()):
        base = scenario.event(eid)
        options = []
        for n in members:
            d = dims[n]
            if d.kind == "field":
                options.append([_field_value(doc, path, d, v, load_args) for v in d.values])
            else:
                options.append(list(d.values))
        weight = 1
        for n in reversed(members):
            axes[n] = (axis, weight)
            weight *= len(dims[n].values)
        variants = []
        for combo in itertools.product(*options):
            variants.append(_variant(base, [dims[n] for n in members], combo))
        events.append((eid, tuple(variants)))
    reading_dims = [n for n, d in enumerate(dims) if d.kind == "reading"]
    param_dims = [n for n, d in enumerate(dims) if d.kind == "param"]
    for k, n in enumerate(reading_dims):
        axes[n] = (len(events) + k, 1)
    for k, n in enumerate(param_dims):
        axes[n] = (len(events) + len(reading_dims) + k, 1)
    variation = Variation(
        events=tuple(events),
        readings=tuple((dims[n].target, dims[n].values) for n in reading_dims),
        parameters=tuple((dims[n].target, dims[n].values) for n in param_dims),
        derive_as_of=as_of is None and not (isinstance(doc, dict) and "as_of" in doc),
    )
    return GridPlan(str(path), scenario.title, tuple(dims), scenario, pack, variation, tuple(axes),
                    timeout=timeout, token=_token())


def _variant(base, dims: Sequence[Dimension], values: Sequence):
    """The event ``base`` with one value of each of its dimensions applied (as a what-if of
    those edits would make it: fields set, then the date shifted, the event dropped last)."""
    event = base
    for d, value in zip(dims, values):
        if d.kind == "field":  # a validated event with that value: take the field from it
            fields = dict(event.fields)
            options = dict(event.options)
            fields.pop(d.field, None)
            options.pop(d.field, None)
            if d.field in value.fields:
                fields[d.field] = value.fields[d.field]
            if d.field in value.options:
                options[d.field] = value.options[d.field]
            event = replace(event, fields=fields, options=options)
    for d, value in zip(dims, values):
        if d.kind == "date":
            event = _shift(event, value, d, d.label(value))
    for d, value in zip(dims, values):
        if d.kind == "occurred":
            if value == "false":
                return None
            event = replace(event, maybe=value == "maybe")
    return event


_COUNTER = itertools.count()


def _token() -> str:
    return f"{os.getpid()}-{time.time_ns()}-{next(_COUNTER)}"


# --- running: chunks of points -------------------------------------------------------------------

@dataclass
class Chunk:
    """The verdicts of points ``start`` .. ``start + len(points) - 1``, compactly: the
    obligation ids they name, each distinct tuple of verdicts (aligned with ``ids``, None
    where a duty does not arise) once, and per point the index of its tuple."""

    start: int
    ids: tuple[str, ...]
    profiles: list[tuple]
    points: list[int]
    seconds: float = 0.0
    groundings: int = 0


_LOCAL = threading.local()  # a worker's family, grounded once, for the plan it last ran


def _family(plan):
    from checker.engine.multishot import Family

    cached = getattr(_LOCAL, "family", None)
    if cached is not None and cached[0] == plan.token:
        return cached[1]
    family = Family(plan.scenario, plan.pack, plan.variation)
    _LOCAL.family = (plan.token, family)
    return family


def run_chunk(plan, start: int, stop: int) -> Chunk:
    """Check points ``start`` .. ``stop - 1`` of ``plan`` (in a worker, or here): one grounding
    per worker and plan, one solve per point. A CheckerError names the point it arose at."""
    began = time.perf_counter()
    family = _family(plan)
    groundings = family.groundings
    ids: dict[str, int] = {}
    profiles: dict[tuple, int] = {}
    points = []
    for i in range(start, stop):
        try:
            cells = verdict_cells(family.verdicts(plan.choice(i), timeout=plan.timeout))
        except CheckerError as exc:
            where = ", ".join(f"{c}={v}" for c, v in zip(plan.columns, plan.labels(i)))
            raise type(exc)("\n".join(f"{line} (at {where})" for line in exc.lines())) from None
        for ob_id in cells:
            if ob_id not in ids:
                ids[ob_id] = len(ids)
        row = [None] * len(ids)
        for ob_id, cell in cells.items():
            row[ids[ob_id]] = cell
        key = tuple(row)
        k = profiles.get(key)
        if k is None:
            k = profiles[key] = len(profiles)
        points.append(k)
    width = len(ids)
    rows = [p + (None,) * (width - len(p)) for p in profiles]
    return Chunk(start, tuple(ids), rows, points, time.perf_counter() - began, family.groundings - groundings)


def chunk_ranges(size: int, workers: int, least: int = 1) -> list[tuple[int, int]]:
    """``size`` points cut into chunks: enough per worker to keep every one busy and to show
    progress, few enough that a chunk's start-up (a grounding, on a cluster) stays small."""
    per = max(least, min(2_000, size // max(1, workers * 16) or 1))
    return [(s, min(size, s + per)) for s in range(0, size, per)]


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# a worker process is worth its start (an interpreter, clingo, a grounding) from this many points
POINTS_PER_PROCESS = 400

_PLAN = None


def _init_worker(plan) -> None:
    global _PLAN
    _PLAN = plan


def _run_local_chunk(start: int, stop: int) -> Chunk:
    return run_chunk(_PLAN, start, stop)


def run_plan(plan, *, jobs: int | None = None, cluster: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> Iterator[Chunk]:
    """The chunks of ``plan``'s points, in order, as they finish: on this process, a pool of
    ``jobs`` processes, or the Dask cluster whose scheduler is at ``cluster``."""
    size = plan.size
    if cluster is not None:
        from checker.analysis.cluster import Cluster

        with Cluster(cluster) as c:
            yield from _reporting(c.map_chunks(plan, chunk_ranges(size, c.workers, least=64), run_chunk),
                                  size, progress)
        return
    workers = workers_for(size, jobs)
    if workers == 1:
        def local():
            for start, stop in chunk_ranges(size, 1):
                yield run_chunk(plan, start, stop)
        yield from _reporting(local(), size, progress)
        return
    from checker.engine.pool import worker_pool

    with worker_pool(workers, _init_worker, (plan,)) as pool:
        yield from _reporting(_ordered(pool, chunk_ranges(size, workers), workers), size, progress)


def workers_for(size: int, jobs: int | None) -> int:
    """How many processes a sweep of ``size`` points runs on, given ``--jobs``."""
    if jobs is not None:
        return max(1, min(jobs, size))
    return max(1, min(default_jobs(), size // POINTS_PER_PROCESS))


def _ordered(pool, ranges, workers: int) -> Iterator[Chunk]:
    """The chunks of ``ranges`` from ``pool``, in order, at most a few in flight per worker
    (a million points never wait in memory at once)."""
    from collections import deque

    pending: deque = deque()
    todo = iter(ranges)
    for start, stop in itertools.islice(todo, workers * 3):
        pending.append(pool.submit(_run_local_chunk, start, stop))
    while pending:
        chunk = pending.popleft().result()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(pool.submit(_run_local_chunk, *nxt))
        yield chunk


def _reporting(chunks: Iterator[Chunk], size: int, progress) -> Iterator[Chunk]:
    done = 0
    for chunk in chunks:
        done += len(chunk.points)
        if progress is not None:
            progress(done, size)
        yield chunk


# --- the results: one profile per point ------------------------------------------------------------

class Table:
    """Every point's verdicts, as the index of its profile (a tuple of verdicts, aligned with
    ``ids``, kept once however many points give it)."""

    def __init__(self):
        self.ids: list[str] = []
        self._id_index: dict[str, int] = {}
        self.profiles: list[tuple] = []
        self._profile_index: dict[tuple, int] = {}
        self.points = array("I")
        self.groundings = 0

    def add(self, chunk: Chunk) -> list[int]:
        """Take in ``chunk`` (the next points, in order); the profile of each of its points."""
        if chunk.start != len(self.points):
            raise ValueError(f"chunk at {chunk.start} after {len(self.points)} points")
        columns = []
        for ob_id in chunk.ids:
            k = self._id_index.get(ob_id)
            if k is None:
                k = self._id_index[ob_id] = len(self.ids)
                self.ids.append(ob_id)
            columns.append(k)
        mapped = []
        for row in chunk.profiles:
            full = [None] * len(self.ids)
            for k, cell in zip(columns, row):
                full[k] = cell
            mapped.append(self._intern(full))
        out = [mapped[p] for p in chunk.points]
        self.points.extend(out)
        self.groundings += chunk.groundings
        return out

    def _intern(self, row: list) -> int:
        while row and row[-1] is None:
            row.pop()
        key = tuple(row)
        k = self._profile_index.get(key)
        if k is None:
            k = self._profile_index[key] = len(self.profiles)
            self.profiles.append(key)
        return k

    def cells(self, profile: int) -> dict[str, str]:
        """The verdicts of a profile: obligation id -> verdict."""
        return {self.ids[k]: cell for k, cell in enumerate(self.profiles[profile]) if cell is not None}

    def cell(self, profile: int, column: int) -> str | None:
        row = self.profiles[profile]
        return row[column] if column < len(row) else None

    def used(self) -> list[int]:
        """The profiles some point gives, in order of first appearance."""
        return list(dict.fromkeys(self.points))

    def changing(self) -> list[str]:
        """Obligations whose verdict is not the same at every point, in first-seen order."""
        used = self.used()
        return [ob_id for k, ob_id in enumerate(self.ids) if len({self.cell(p, k) for p in used}) > 1]

    def groups(self) -> list[list[str]]:
        """The changing obligations whose verdicts change in step, together (first seen first)."""
        used = self.used()
        groups: dict[tuple, list[str]] = {}
        for k, ob_id in enumerate(self.ids):
            column = tuple(self.cell(p, k) for p in used)
            if len(set(column)) > 1:
                groups.setdefault(column, []).append(ob_id)
        return list(groups.values())

    def breached(self) -> bool:
        """Whether some point has a duty breached or late (possibly so, in an uncertain one)."""
        return any(cell is not None and (cell in ("breached", "late")
                                         or cell.startswith(("possibly breached", "possibly late")))
                   for p in set(self.points) for cell in self.profiles[p])


@dataclass
class SweepResult:
    """A sweep, run: the plan, every point's profile, how it ran."""

    plan: GridPlan
    table: Table
    workers: int
    seconds: float
    where: str = "local"      # local, or the scheduler's address
    extra: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.plan.path

    @property
    def title(self) -> str:
        return self.plan.title

    @property
    def dims(self) -> list[Dimension]:
        return list(self.plan.dims)

    @property
    def points(self) -> list[tuple]:
        """Every point's values, in order (the last dimension fastest)."""
        return [self.plan.values(i) for i in range(self.plan.size)]

    @property
    def verdicts(self) -> list[dict]:
        """Every point's verdicts (obligation id -> verdict), in order."""
        cache: dict[int, dict] = {}
        return [cache.setdefault(p, self.table.cells(p)) for p in self.table.points]

    def changing(self) -> list[str]:
        return self.table.changing()

    def steady(self) -> int:
        return len(self.table.ids) - len(self.changing())

    def breached(self) -> bool:
        return self.table.breached()


def sweep(path: str | Path, varies: Sequence[str], *, rules_root: Path | None = None,
          as_of: str | None = None, readings: Mapping[str, str] | None = None,
          parameters: Mapping[str, int] | None = None, timeout: float | None = None,
          jobs: int | None = None, cluster: str | None = None, max_points: int = MAX_POINTS,
          progress: Callable[[int, int], None] | None = None,
          on_points: Callable[[Table, int, list[int]], None] | None = None,
          treaty: str | None = None) -> SweepResult:
    """Check ``path`` at every point of the grid the ``varies`` span; ``on_points(table,
    first, profiles)`` is called with each chunk's points as they come back, in order."""
    plan = plan_sweep(path, varies, rules_root=rules_root, as_of=as_of, readings=readings,
                      parameters=parameters, timeout=timeout, max_points=max_points, treaty=treaty)
    return run(plan, jobs=jobs, cluster=cluster, progress=progress, on_points=on_points)


def run(plan, *, jobs: int | None = None, cluster: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        on_points: Callable[[Table, int, list[int]], None] | None = None) -> SweepResult:
    """Run ``plan`` (a grid, or worlds) and keep every point's profile."""
    table = Table()
    start = time.perf_counter()
    for chunk in run_plan(plan, jobs=jobs, cluster=cluster, progress=progress):
        profiles = table.add(chunk)
        if on_points is not None:
            on_points(table, chunk.start, profiles)
    workers = workers_for(plan.size, jobs) if cluster is None else 0
    return SweepResult(plan, table, workers, time.perf_counter() - start, where=cluster or "local")


# --- the reference: a point edited in the file and checked from scratch --------------------------

def point_edits(dims: Sequence[Dimension], point: Sequence) -> tuple[Edits, tuple[str, ...], dict, dict]:
    """The what-if edits that make a point (the events it drops apart: they go last), and its
    readings and parameters."""
    shift, sets, drop, readings, params = [], [], [], {}, {}
    for dim, value in zip(dims, point):
        if dim.kind == "date":
            shift.append((dim.target, value))
        elif dim.kind == "field":
            sets.append((dim.target, dim.field, value))
        elif dim.kind == "occurred":
            if value == "false":
                drop.append(dim.target)
            else:
                sets.append((dim.target, "occurred", value))
        elif dim.kind == "reading":
            readings[dim.target] = value
        else:
            params[dim.target] = value
    return Edits(shift=tuple(shift), set=tuple(sets)), tuple(drop), readings, params


def reference_cells(path: str | Path, dims: Sequence[Dimension], point: Sequence, *,
                    rules_root: Path | None = None, as_of: str | None = None,
                    readings: Mapping[str, str] | None = None, parameters: Mapping | None = None,
                    timeout: float | None = None) -> dict[str, str]:
    """A point's verdicts the slow way: the file edited as a what-if would edit it, validated
    and checked from scratch (a fresh grounding)."""
    from checker.engine.check import check_scenario
    from checker.io.scenario import load_document, read_document

    path = Path(path)
    doc = read_document(path, str(path))
    edits, drop, point_readings, point_params = point_edits(dims, point)
    edited = apply_edits(doc, edits)
    if drop:
        edited = apply_edits(edited, Edits(drop=drop))
    scenario, pack = load_document(path, edited, rules_root=rules_root, as_of=as_of,
                                   readings={**(readings or {}), **point_readings},
                                   parameters={**(parameters or {}), **point_params})
    return verdict_cells(check_scenario(scenario, pack, timeout=timeout))
