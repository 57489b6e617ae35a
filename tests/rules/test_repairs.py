"""The repair windows (rules/istanbul-2022/repairs.lp): on which days an added action meets a duty.

Contract: only in repair mode (`checker repair` adds `repair_mode`; a check derives no
window). A consultation counts from the attack's day to the consultation deadline; help
counts from the attack's day (not the appeal's) to the assistance deadline, under either
reading; a report counts from the assistance's day to its deadline. Only a fired duty has a
window. The windows are read from the pack's rules as `checker repair` reads them, and one
repair is run end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.analysis.repair import repair
from checker.engine.solve import solve
from checker.io.scenario import load_scenario
from tests.helpers import RULES, appeal, assist, attack, d, iso, scenario_text, write

TWO = {"guarantors": ["uk", "usa"]}


def windows(tmp_path: Path, events, *, mode: bool = True, **top) -> dict[str, tuple[str, str]]:
    """{duty: (first day, last day)} of every repair_window the rules derive for the scenario."""
    path = write(tmp_path, scenario_text(events, **top))
    scenario, pack = load_scenario(path, rules_root=RULES)
    extra = tmp_path / "mode.lp"
    extra.write_text(("repair_mode.\n" if mode else "") + "#show repair_window/3.\n", encoding="utf-8")
    shown = solve(scenario, pack, extra_files=[extra]).shown
    out = {}
    for sym in shown:
        if sym.name == "repair_window":
            o, first, last = sym.arguments
            duty = "/".join([o.arguments[0].string, str(o.arguments[1]), str(o.arguments[2]).strip('"')])
            out[duty] = (iso(first.number), iso(last.number))
    return out


def test_a_check_derives_no_window(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a"), assist("h", d(2), "uk", about="a")]
    assert windows(tmp_path, events, as_of=d(20), parties=TWO)  # (in repair mode there are some)
    assert windows(tmp_path, events, mode=False, as_of=d(20), parties=TWO) == {}


def test_consultations_count_from_the_attack_to_the_deadline(tmp_path):
    w = windows(tmp_path, [attack("a", d(0))], as_of=d(20), parties=TWO)
    assert w["art4.consult/uk/a"] == (d(0), d(3))
    assert w["art4.consult/usa/a"] == (d(0), d(3))


@pytest.mark.parametrize("reading,duty", [("menu", "art4.assist/uk/a"),
                                          ("as_requested", "art4.assist.armaments/uk/a")])
def test_help_counts_from_the_attack_not_the_appeal_to_the_deadline(tmp_path, reading, duty):
    w = windows(tmp_path, [attack("a", d(0)), appeal("p", d(5), about="a", requests=["armaments"])],
                as_of=d(20), parties=TWO, readings={"assistance_means": reading})
    assert w[duty] == (d(0), d(8))  # appeal on day 5, after the consultations: 5 + 3


def test_a_report_counts_from_the_day_of_the_help_to_its_deadline(tmp_path):
    w = windows(tmp_path, [attack("a", d(0)), assist("h", d(2), "uk", about="a")], as_of=d(20), parties=TWO)
    assert w["art5.report/uk/h"] == (d(2), d(3))
    assert "art5.report/usa/h" not in w  # only the helper owes a report


def test_a_duty_that_did_not_fire_has_no_window(tmp_path):
    w = windows(tmp_path, [attack("a", d(0), regions=["crimea"]), appeal("p", d(1), about="a")],
                as_of=d(20), parties=TWO)
    assert w == {}  # neither the consultations nor the help were owed (art2.excluded_territory)


def test_a_repair_adds_the_missing_consultation_inside_its_window(tmp_path):
    path = write(tmp_path, scenario_text([attack("a", d(0))], as_of=d(20), parties=TWO))
    result = repair(path, rules_root=RULES, only=["art4.consult/uk/a"])
    assert result.repairs, result
    events = result.repairs[0].events
    assert [(e["type"], e["date"]) for e in events] == [("consultation", d(0))]
