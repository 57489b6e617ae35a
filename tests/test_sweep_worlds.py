"""`checker sweep --worlds`: every possible world, or a sample, and each duty's share of them."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.montecarlo import parse_worlds, plan_worlds, shares, wilson, worlds_of
from checker.analysis.sweep import run
from checker.analysis.whatif import verdict_cells
from checker.analysis.worlds import concrete
from checker.cli.main import app
from checker.engine.check import check_scenario
from checker.io.scenario import load_histories, load_scenario
from checker.model import iso

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
MAYBE = FACTS / "uncertain-maybe.yaml"
ATTRIBUTION = FACTS / "uncertain-attribution.yaml"
UNCERTAIN = [p for p in sorted((ROOT / "facts").rglob("*.yaml"))
             if len(views := load_histories(p)) == 1 and views[0][0].uncertain]


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _world(plan, i) -> dict:
    """World ``i`` of ``plan`` as checker.analysis.worlds names a world."""
    world = {}
    for (eid, variants), k in zip(plan.variation.events, plan.choice(i)):
        event, chosen = plan.scenario.event(eid), variants[k]
        fixed: dict = {}
        if event.maybe:
            fixed["occurred"] = chosen is not None
        if chosen is not None:
            if event.date_range is not None:
                fixed["date"] = iso(chosen.day)
            fixed.update({f: chosen.fields[f][0] for f in event.options})
        world[eid] = fixed
    return world


@pytest.mark.parametrize("path", UNCERTAIN, ids=lambda p: p.name)
def test_every_world_is_checked_as_the_certain_scenario_it_is(path) -> None:
    plan = plan_worlds(path, "all")
    scenario = plan.scenario
    assert plan.count == scenario.world_count
    result = run(plan, jobs=1)
    assert result.table.groundings == 1
    for i in range(plan.count):
        assert result.verdicts[i] == verdict_cells(check_scenario(concrete(scenario, _world(plan, i)), plan.pack))


def test_the_worlds_verdicts_agree_with_the_possible_statuses() -> None:
    scenario, pack = load_scenario(MAYBE)
    plan = plan_worlds(MAYBE, "all")
    table = run(plan, jobs=1).table
    together = check_scenario(scenario, pack)
    for o in together.obligations:
        # "not_fired" over possible worlds: in some world the duty does not fire, blocked or not
        seen = set(shares(plan, table)[o.id])
        absent = {"not fired", "does not arise"}
        assert seen - absent == set(o.statuses) - {"not_fired"}
        assert bool(seen & absent) == ("not_fired" in o.statuses)


def test_all_worlds_shares_are_exact_and_weighed_by_p(tmp_path) -> None:
    text = ATTRIBUTION.read_text(encoding="utf-8")
    assert "by: {one_of: [russia, unknown]}" in text
    weighted = tmp_path / "weighted.yaml"
    weighted.write_text(text.replace("by: {one_of: [russia, unknown]}",
                                     "by: {one_of: [russia, unknown], p: [0.8, 0.2]}"), encoding="utf-8")
    plain = shares(plan := plan_worlds(ATTRIBUTION, "all"), run(plan, jobs=1).table)
    heavy = shares(plan := plan_worlds(weighted, "all"), run(plan, jobs=1).table)
    assert plain["art1.guarantee/russia"]["breached"].share == pytest.approx(0.5)
    assert heavy["art1.guarantee/russia"]["breached"].share == pytest.approx(0.8)
    assert heavy["art1.guarantee/russia"]["breached"].low == heavy["art1.guarantee/russia"]["breached"].high


def test_a_sample_is_the_same_for_the_same_seed_however_it_is_cut() -> None:
    one = run(plan_worlds(ATTRIBUTION, "sample:200", seed=11), jobs=1)
    two = run(plan_worlds(ATTRIBUTION, "sample:200", seed=11), jobs=2)
    other = run(plan_worlds(ATTRIBUTION, "sample:200", seed=12), jobs=1)
    assert one.verdicts == two.verdicts
    assert one.verdicts != other.verdicts


def test_a_sample_follows_the_chances_and_its_interval_covers_them(tmp_path) -> None:
    weighted = tmp_path / "weighted.yaml"
    weighted.write_text(ATTRIBUTION.read_text(encoding="utf-8").replace(
        "by: {one_of: [russia, unknown]}", "by: {one_of: [russia, unknown], p: [0.9, 0.1]}"), encoding="utf-8")
    plan = plan_worlds(weighted, "sample:2000", seed=5)
    share = shares(plan, run(plan, jobs=1).table, 0.99)["art1.guarantee/russia"]["breached"]
    assert share.low < 0.9 < share.high and share.high - share.low < 0.05


def test_wilson_score_interval() -> None:
    # Wilson (1927): 8 of 10, 95 %: 0.490 .. 0.943
    low, high = wilson(8, 10, 0.95)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert wilson(0, 50, 0.95)[0] == 0 and wilson(50, 50, 0.95)[1] == 1


def test_a_maybe_event_happens_as_often_as_its_worlds_say() -> None:
    scenario, _ = load_scenario(MAYBE)
    event = next(e for e in scenario.events if e.maybe)
    variants, chances = worlds_of(event)
    assert math.isclose(sum(chances), 1) and variants[-1] is None
    assert chances[-1] == pytest.approx(1 / len(variants))   # every world of the event as likely


def test_the_command_line_prints_shares_with_intervals() -> None:
    result = _run("sweep", ATTRIBUTION, "--worlds", "sample:400", "--seed", "2")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1].startswith("worlds: 400 worlds drawn (seed 2) of 8 possible; 1 grounding, 1 process")
    assert "95% Wilson score intervals" in result.stdout
    row = next(line for line in lines if line.strip().startswith("art1.guarantee/russia"))
    assert "%" in row and "–" in row
    doc = json.loads(_run("sweep", ATTRIBUTION, "--worlds", "all", "-f", "json").stdout)
    assert doc["worlds"]["mode"] == "all" and doc["worlds"]["interval"] == "exact"
    assert doc["worlds"]["shares"]["art1.guarantee/russia"]["breached"]["share"] == 0.5
    assert {p["weight"] for p in doc["points"]} == {0.125}


@pytest.mark.parametrize("args,line", [
    (["--worlds", "some"], "--worlds: expected all or sample:N (N worlds drawn, N from 1), got 'some'"),
    (["--worlds", "sample:0"], "--worlds: expected all or sample:N (N worlds drawn, N from 1), got 'sample:0'"),
    (["--worlds", "sample:500000"], "--worlds sample:500000: the sample has 500000 worlds, more than the 100000 "
                                    "allowed; --max-points N raises the limit"),
    (["--worlds", "all", "--vary", "kharkiv-strike.date=0,1"], "--worlds: give --vary or --worlds, not both"),
])
def test_bad_worlds_options(args, line) -> None:
    result = _run("sweep", ATTRIBUTION, *args)
    assert result.exit_code == 2 and result.stderr == line + "\n"


def test_all_worlds_are_bounded_before_they_are_built(tmp_path) -> None:
    wide = tmp_path / "wide.yaml"
    wide.write_text(ATTRIBUTION.read_text(encoding="utf-8").replace(
        "by: {one_of: [russia, unknown]}", "by: {one_of: [russia, unknown]}\n    occurred: maybe"), encoding="utf-8")
    scenario, _ = load_scenario(wide)
    result = _run("sweep", wide, "--worlds", "all", "--max-points", "5")
    assert result.exit_code == 2
    assert result.stderr == (f"--worlds all: the scenario has {scenario.world_count} possible worlds, more than the 5 "
                             "allowed; --max-points N raises the limit\n")


def test_parse_worlds() -> None:
    assert parse_worlds("all") == ("all", None) and parse_worlds("sample:7") == ("sample", 7)


# --- p: in the scenario format --------------------------------------------------------------------

BASE = """scenario: chances
treaty: istanbul-2022
in_force_from: 2026-06-01
events:
  - id: strike
    date: 2027-03-01
    type: attack
    kind: armed_attack
    regions: [kharkiv]
"""


def _error(tmp_path, extra: str) -> str:
    path = tmp_path / "chances.yaml"
    path.write_text(BASE + extra, encoding="utf-8")
    result = _run("check", path)
    assert result.exit_code == 2, result.output
    return result.stderr.strip().split(":", 1)[1]


@pytest.mark.parametrize("extra,message", [
    ("    by: {one_of: [russia, unknown], p: [0.5]}\n",
     "10: events[0].by.p: must be a list of 2 chances, one per value of one_of"),
    ("    by: {one_of: [russia, unknown], p: [0.7, 0.7]}\n", "10: events[0].by.p: the chances add up to 1.4, not 1"),
    ("    by: {one_of: [russia, unknown], p: [1, 0]}\n",
     "10: events[0].by.p[1]: 0 is not a chance above 0 and at most 1 (a value with no chance is no possible "
     "value: leave it out)"),
    ("    by: {one_of: [russia, unknown], p: [0.5, yes]}\n",
     "10: events[0].by.p[1]: 'yes' is not a chance above 0 and at most 1 (a value with no chance is no possible "
     "value: leave it out)"),
    ("    by: russia\n    occurred: {p: 1}\n",
     "11: events[0].occurred.p: 1 is not a chance above 0 and below 1 (an event that surely happened has no "
     "occurred: key)"),
    ("    by: russia\n    occurred: {maybe: 0.3}\n",
     "11: events[0].occurred: an event that may not have happened is written `occurred: maybe` or "
     "`occurred: {p: CHANCE}`"),
])
def test_chances_that_are_wrong(tmp_path, extra, message) -> None:
    assert _error(tmp_path, extra) == message


def test_chances_that_are_right(tmp_path) -> None:
    path = tmp_path / "chances.yaml"
    path.write_text(BASE + "    by: {one_of: [russia, unknown], p: [0.25, 0.75]}\n    occurred: {p: 0.4}\n",
                    encoding="utf-8")
    scenario, _ = load_scenario(path)
    event = scenario.event("strike")
    assert event.maybe and event.p_occurred == 0.4 and event.weights == {"by": (0.25, 0.75)}
    variants, chances = worlds_of(event)
    assert chances == pytest.approx([0.4 * 0.25, 0.4 * 0.75, 0.6])
    # a check reads the possible worlds as it would without chances
    assert _run("check", path).exit_code in (0, 1)


def test_a_certain_scenario_has_one_world() -> None:
    result = _run("sweep", FACTS / "guarantee-kept.yaml", "--worlds", "all")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].startswith("worlds: the only possible world (no fact of the scenario is uncertain); ")
    assert "are the same in every world; 0 are not" in result.stdout
