"""One grounding per sweep gives what a fresh check of each edited file gives, at every point.

The reference is the slow way (checker.analysis.sweep.reference_cells): the file edited as a
what-if would edit it, validated and checked from scratch. Every bundled scenario is swept
over a grid made from its own events, readings and parameters; hypothesis draws more grids.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.analysis.sweep import plan_sweep, reference_cells, run
from checker.io.scenario import load_histories, load_scenario

ROOT = Path(__file__).resolve().parent.parent
# a sweep varies a scenario under one treaty: the histories checked under several are compared
# with `checker compare`, not swept
SCENARIOS = [p for p in sorted((ROOT / "facts").rglob("*.yaml")) if len(load_histories(p)) == 1]


def _referenced(scenario, pack) -> set[str]:
    """The events another event names (dropping one would leave a dangling reference)."""
    out = set()
    for e in scenario.events:
        for field, values in e.fields.items():
            if pack.event_types[e.type].fields[field].type == "event":
                out.update(values)
    return out


def _grid(path: Path) -> list[str]:
    """A small grid over the scenario's own inputs: an event's date, whether another happened,
    a reading or a parameter."""
    scenario, pack = load_scenario(path)
    varies = []
    events = list(scenario.events)
    if events:
        middle = events[len(events) // 2]
        varies.append(f"{middle.id}.date=-2,3")
        referenced = _referenced(scenario, pack)
        others = [e for e in events if e.id != middle.id and e.id not in referenced]
        if others:
            varies.append(f"{others[-1].id}.occurred=true,false")
    if pack.readings:
        name, reading = next(iter(pack.readings.items()))
        varies.append(f"reading.{name}={','.join(reading.choices[:2])}")
    elif pack.parameters:
        name, parameter = next(iter(pack.parameters.items()))
        base = parameter.default or 0
        varies.append(f"param.{name}={base},{base + 2}")
    return varies


def _same_at_every_point(path: Path, varies: list[str]) -> None:
    plan = plan_sweep(path, varies)
    result = run(plan, jobs=1)
    for i, point in enumerate(result.points):
        assert result.verdicts[i] == reference_cells(path, plan.dims, point), (path, plan.labels(i))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bundled_scenario_at_every_point_of_a_grid(path: Path) -> None:
    _same_at_every_point(path, _grid(path))


# --- grids drawn by hypothesis ------------------------------------------------------------------

DRAWN_FROM = [ROOT / "facts" / "istanbul-2022" / name for name in
              ("hybrid-grid.yaml", "uncertain-maybe.yaml", "as-requested.yaml", "unsc-discharge.yaml")] + \
             [ROOT / "facts" / "nato-1949" / "consult-deadline.yaml", ROOT / "facts" / "budapest-1994" / "coercion.yaml"]


@st.composite
def grids(draw):
    path = draw(st.sampled_from(DRAWN_FROM))
    scenario, pack = load_scenario(path)
    referenced = _referenced(scenario, pack)
    options = []
    for e in scenario.events:
        options.append(("date", e))
        if e.id not in referenced:
            options.append(("occurred", e))
        for field, spec in pack.event_types[e.type].fields.items():
            if not spec.is_list and spec.type in ("enum", "party") and field in e.fields:
                options.append(("field", (e, field, spec)))
    options += [("reading", name) for name in pack.readings] + [("param", name) for name in pack.parameters]
    chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique_by=lambda o: (o[0], str(o[1]))))
    varies, points = [], 1
    for kind, what in chosen:
        if kind == "date":
            values = draw(st.lists(st.integers(-15, 15), min_size=1, max_size=3, unique=True))
            text = f"{what.id}.date=" + ",".join(str(v) for v in values)
        elif kind == "occurred":
            values = draw(st.lists(st.sampled_from(["true", "false", "maybe"]), min_size=1, max_size=2, unique=True))
            text = f"{what.id}.occurred=" + ",".join(values)
        elif kind == "field":
            event, field, spec = what
            allowed = list(spec.values) if spec.type == "enum" else sorted(n for m in scenario.roles.values() for n in m)
            values = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=2, unique=True))
            text = f"{event.id}.{field}=" + ",".join(values)
        elif kind == "reading":
            values = draw(st.lists(st.sampled_from(pack.readings[what].choices), min_size=1, max_size=2, unique=True))
            text = f"reading.{what}=" + ",".join(values)
        else:
            values = draw(st.lists(st.integers(0, 12), min_size=1, max_size=2, unique=True))
            text = f"param.{what}=" + ",".join(str(v) for v in values)
        varies.append(text)
        points *= len(values)
    return path, varies


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_drawn_grids_give_the_reference_verdicts(grid) -> None:
    path, varies = grid
    # two field dimensions on one event, or a date moved under another event's dropped reference,
    # are the same grid to both paths; a value the file rejects is rejected by both
    from checker.errors import CheckerError

    try:
        plan = plan_sweep(path, varies)
    except CheckerError:
        return
    result = run(plan, jobs=1)
    for i, point in enumerate(result.points):
        assert result.verdicts[i] == reference_cells(path, plan.dims, point), (path, varies, plan.labels(i))


@pytest.mark.parametrize("vary", ["consult-1.occurred=true,maybe", "consult-1.occurred=maybe,true",
                                  "arms-uk.occurred=maybe,true,false"])
def test_an_event_certain_at_one_point_and_uncertain_at_another(vary) -> None:
    # one grounding of the possible worlds serves both: the event's certain facts must still be
    # switchable where the worlds' choice rules could also make them true
    _same_at_every_point(ROOT / "facts" / "istanbul-2022" / "uncertain-maybe.yaml", [vary])
