"""Uncertain facts: every possible world in one grounding, certain versus possible verdicts,
witnesses, and the loader's forms `between`, `one_of` and `occurred: maybe`."""

from __future__ import annotations

import itertools
import json
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.worlds import WorldFinder, witness, witnesses
from checker.cli.main import app
from checker.engine.check import check_file
from checker.engine.decode import decode
from checker.engine.solve import solve
from checker.errors import ScenarioError
from checker.io.scenario import load_scenario
from checker.model import NOT_FIRED, Scenario, iso

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
ATTRIBUTION = FACTS / "uncertain-attribution.yaml"
MAYBE = FACTS / "uncertain-maybe.yaml"


def _write(tmp_path: Path, body: str, name: str = "s.yaml") -> Path:
    folder = tmp_path / "facts"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(body))
    return path


HEAD = """\
scenario: test
treaty: istanbul-2022
in_force_from: 2026-06-01
parties:
  guarantors: [russia, uk, usa]
as_of: 2027-04-20
events:
"""


def _every_world(scenario: Scenario):
    """Each possible world of ``scenario`` as a scenario with certain facts only."""
    per_event = []
    for e in scenario.events:
        if not e.uncertain:
            per_event.append([e])
            continue
        variants = [None] if e.maybe else []
        fields = list(e.options)
        for day in e.days:
            for values in itertools.product(*(e.options[f] for f in fields)):
                chosen = {**e.fields, **{f: (v,) for f, v in zip(fields, values)}}
                variants.append(replace(e, day=day, fields=chosen, date_range=None,
                                        options={}, maybe=False))
        per_event.append(variants)
    for combo in itertools.product(*per_event):
        yield replace(scenario, events=tuple(e for e in combo if e is not None))


def _brute_force(path: Path) -> dict[str, set[str]]:
    """Obligation id -> every status it takes in some world, by checking each world alone."""
    scenario, pack = load_scenario(path)
    worlds = list(_every_world(scenario))
    assert len(worlds) == scenario.world_count
    seen: dict[str, list[str]] = {}
    for world in worlds:
        verdicts = decode(solve(world, pack).shown, world, pack)
        for o in verdicts.obligations:
            seen.setdefault(o.id, []).append(o.status)
    out = {}
    for ob_id, statuses in seen.items():
        out[ob_id] = set(statuses) | ({NOT_FIRED} if len(statuses) < len(worlds) else set())
    return out


def _shifted(tmp_path: Path) -> Path:
    # the consultation may fall on the attack's own day: every candidate day meets the duty
    path = tmp_path / "shifted.yaml"
    path.write_text(ATTRIBUTION.read_text().replace("between: [2027-04-03, 2027-04-06]",
                                                    "between: [2027-04-01, 2027-04-04]"))
    return path


@pytest.mark.parametrize("which", ["attribution", "maybe", "shifted"])
def test_possible_statuses_are_exactly_those_of_the_worlds_one_by_one(which, tmp_path) -> None:
    path = {"attribution": ATTRIBUTION, "maybe": MAYBE}.get(which) or _shifted(tmp_path)
    expected = _brute_force(path)
    verdicts, _ = check_file(path)
    got = {o.id: set(o.statuses) for o in verdicts.obligations}
    assert got == expected
    for o in verdicts.obligations:
        assert (o.certainty == "certain") == (len(expected[o.id]) == 1), o.id


def test_unattributed_attack_possibly_breaches_the_guarantee_with_a_witness() -> None:
    verdicts, pack = check_file(ATTRIBUTION)
    o = verdicts.obligation("art1.guarantee/russia")
    assert (o.status, o.certainty, o.statuses) == ("breached", "possible", ("breached", "complied"))
    assert verdicts.obligation("art1.guarantee/uk").certainty == "certain"
    world = witness(verdicts, "art1.guarantee/russia", "breached", pack=pack)
    assert world["kharkiv-strike"]["by"] == "russia"
    world = witness(verdicts, "art1.guarantee/russia", "complied", pack=pack)
    assert world["kharkiv-strike"]["by"] == "unknown"
    assert witness(verdicts, "art1.guarantee/uk", "breached", pack=pack) is None


def test_a_consultation_between_d2_and_d5_is_possibly_fulfilled_and_possibly_late() -> None:
    verdicts, pack = check_file(ATTRIBUTION)
    o = verdicts.obligation("art4.consult/uk/kharkiv-strike")
    assert o.certainty == "possible" and o.statuses == ("late", "fulfilled")
    assert iso(o.deadline) == "2027-04-04"
    finder = WorldFinder(verdicts.scenario, pack)
    late = finder.witness(o.id, "late")["consult-1"]["date"]
    on_time = finder.witness(o.id, "fulfilled")["consult-1"]["date"]
    assert late in ("2027-04-05", "2027-04-06") and on_time in ("2027-04-03", "2027-04-04")


def test_witnesses_cover_every_possible_verdict_and_hold_when_replayed() -> None:
    verdicts, pack = check_file(MAYBE)
    found = witnesses(verdicts, pack=pack)
    scenario = verdicts.scenario
    for o in verdicts.obligations:
        if o.certainty == "certain":
            assert o.id not in found
            continue
        assert set(found[o.id]) == set(o.statuses), o.id
        for status, world in found[o.id].items():
            # replay the witness as a scenario with certain facts: the verdict holds there
            events = []
            for e in scenario.events:
                chosen = world.get(e.id)
                if chosen is None:
                    events.append(e)
                    continue
                if chosen.get("occurred") is False:
                    continue
                day = e.day if "date" not in chosen else _day(chosen["date"])
                fields = {**e.fields, **{f: (chosen[f],) for f in e.options}}
                events.append(replace(e, day=day, fields=fields, date_range=None, options={},
                                      maybe=False))
            concrete = replace(scenario, events=tuple(events))
            replayed = decode(solve(concrete, pack).shown, concrete, pack).obligation(o.id)
            assert (replayed.status if replayed else NOT_FIRED) == status, (o.id, status, world)


def _day(text: str) -> int:
    import datetime

    return datetime.date.fromisoformat(text).toordinal()


def test_a_maybe_event_gives_not_fired_in_some_worlds() -> None:
    verdicts, _ = check_file(MAYBE)
    o = verdicts.obligation("art4.consult/uk/odesa-raid")
    assert o.statuses == ("fulfilled", NOT_FIRED) and o.status == "fulfilled"
    assert verdicts.worlds == 2 * 7  # the raid happened or not; the resolution on one of 7 days
    assert verdicts.obligation("art5.report/uk/arms-uk").certainty == "certain"


def test_certain_scenarios_keep_one_world_and_say_certain() -> None:
    verdicts, _ = check_file(FACTS / "hybrid-grid.yaml")
    assert verdicts.worlds == 1
    assert all(o.certainty == "certain" and o.statuses == (o.status,) for o in verdicts.obligations)


def test_json_reports_certainty_possible_statuses_and_worlds() -> None:
    result = CliRunner().invoke(app, ["check", str(ATTRIBUTION), "--format", "json"])
    assert result.exit_code == 1  # possibly breached counts as breached
    doc = json.loads(result.stdout)["scenarios"][0]
    assert doc["worlds"] == 8
    ob = {o["id"]: o for o in doc["obligations"]}
    assert ob["art1.guarantee/russia"]["certainty"] == "possible"
    assert ob["art1.guarantee/russia"]["possible_statuses"] == ["breached", "complied"]
    assert ob["art1.guarantee/uk"]["possible_statuses"] == ["complied"]


def test_text_shows_possible_statuses() -> None:
    result = CliRunner().invoke(app, ["check", str(ATTRIBUTION)])
    assert "possibly breached|complied" in result.stdout
    assert "8 possible world(s)" in result.stdout


def test_uncertainty_that_never_matters_is_certain(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent("""\
        scenario: test
        treaty: istanbul-2022
        in_force_from: 2026-06-01
        parties: {guarantors: [uk], others: [belarus]}
        as_of: 2027-04-20
        events:
          - id: strike
            date: {between: [2027-04-01, 2027-04-02]}
            type: attack
            kind: armed_attack
            by: {one_of: [unknown, belarus]}
            regions: [lviv]
        """))
    verdicts, _ = check_file(path)
    assert verdicts.worlds == 4
    o = verdicts.obligation("art4.consult/uk/strike")
    # breached in every world; only its deadline moves with the day of the strike
    assert (o.status, o.certainty, o.deadline) == ("breached", "certain", None)
    assert verdicts.obligation("art1.guarantee/uk").certainty == "certain"


@pytest.mark.parametrize("event,message", [
    ("date: {between: [2027-04-05, 2027-04-01]}", "events[0].date.between: 2027-04-05 is after 2027-04-01"),
    ("date: {between: [2027-04-01, 2027-02-30]}", "events[0].date.between[1]: '2027-02-30' is not a valid date"),
    ("date: {after: 2027-04-01}", "events[0].date: an uncertain date is written {between: [FIRST, LAST]}"),
    ("date: 2027-04-01\n    by: {one_of: [russia, rusia]}",
     "events[0].by.one_of[1]: unknown party 'rusia' (did you mean 'russia' or 'usa'?)"),
    ("date: 2027-04-01\n    regions: {one_of: [lviv, kyiv]}",
     "events[0].regions: one_of is for single-valued fields; this field takes a list"),
    ("date: 2027-04-01\n    occurred: perhaps",
     "events[0].occurred: 'perhaps': say `occurred: maybe` for an event that may not have happened"),
])
def test_bad_uncertain_forms_are_one_line_and_exit_2(tmp_path: Path, event: str, message: str) -> None:
    body = HEAD + "  - id: strike\n    type: attack\n    kind: armed_attack\n    by: russia\n" \
                  "    regions: [lviv]\n    " + event + "\n"
    lines = body.split("\n")
    # a field given twice would be a YAML error: drop the default line the case overrides
    for key in ("by:", "regions:"):
        if f"    {key} {{" in body:
            lines.remove(next(line for line in lines if line.startswith(f"    {key} ") and "{" not in line))
    path = _write(tmp_path, "\n".join(lines))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [p.field + ": " + p.message for p in info.value.problems] == [message]
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(message) and result.stderr.count("\n") == 1
