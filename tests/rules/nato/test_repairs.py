"""nato-1949 repair windows (rules/nato-1949/repairs.lp): on which days an added action meets a duty.

Contract: only in repair mode (`checker repair` adds `repair_mode`; a check derives no
window), and only for a duty that fired. A Council meeting counts from the request's day to
the deadline when `consultation_days` is set, else up to the verdict day; assistance counts
from the attack's day (not the invocation's) to the deadline, under either reading; a report
counts from the day of the assistance to its deadline. The windows are read from the pack's
rules as `checker repair` reads them, and one repair is run end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.analysis.repair import repair
from checker.engine.check import check_file
from checker.engine.solve import solve
from checker.io.scenario import load_scenario
from tests.helpers import RULES, ev, iso, scenario_text, status, write
from tests.rules.nato.test_membership import request
from tests.rules.nato.test_triggers import PACK, attack, invocation

OTHERS = {"others": ["russia", "ukraine"]}


def windows(tmp_path: Path, events, *, mode: bool = True, **top) -> dict[str, set[tuple[str, str]]]:
    """{duty: {(first day, last day), ...}} of every repair_window the rules derive."""
    top.setdefault("parties", OTHERS)
    path = write(tmp_path, scenario_text(events, treaty=PACK, in_force_from=None, **top))
    scenario, pack = load_scenario(path, rules_root=RULES)
    extra = tmp_path / "mode.lp"
    extra.write_text(("repair_mode.\n" if mode else "") + "#show repair_window/3.\n", encoding="utf-8")
    out: dict[str, set[tuple[str, str]]] = {}
    for sym in solve(scenario, pack, extra_files=[extra]).shown:
        if sym.name == "repair_window":
            o, first, last = sym.arguments
            duty = "/".join([o.arguments[0].string, str(o.arguments[1]), str(o.arguments[2]).strip('"')])
            out.setdefault(duty, set()).add((iso(first.number), iso(last.number)))
    return out


@pytest.mark.parametrize("parameters", [{}, {"consultation_days": 3}])
def test_a_check_derives_no_window(tmp_path, parameters):
    events = [request("q", "2027-05-01", ["poland"]), attack("a", "2027-05-01", ["estonia"]),
              invocation("i", "2027-05-02", "a"),
              ev("h", "2027-05-03", "assistance", by="uk", means="armaments", about="a")]
    w = windows(tmp_path, events, as_of="2027-05-10", parameters=parameters)
    assert {duty.split("/")[0] for duty in w} == {"art4.consult", "art5.assist", "art5.report"}
    assert windows(tmp_path, events, mode=False, as_of="2027-05-10", parameters=parameters) == {}


def test_a_meeting_counts_from_the_request_to_the_deadline_or_the_verdict_day(tmp_path):
    events = [request("q", "2027-05-01", ["poland"])]
    w = windows(tmp_path, events, as_of="2027-05-20", parameters={"consultation_days": 3})
    assert w["art4.consult/usa/q"] == {("2027-05-01", "2027-05-04")}
    w = windows(tmp_path, events, as_of="2027-05-20")      # no time limit: up to the verdict
    assert w["art4.consult/usa/q"] == {("2027-05-01", "2027-05-20")}
    assert len(w) == 32                                    # every member bound on the request day


def test_help_counts_from_the_attack_not_the_invocation_to_the_deadline(tmp_path):
    events = [attack("a", "2027-05-01", ["estonia"]), invocation("i", "2027-05-04", "a")]
    w = windows(tmp_path, events, as_of="2027-06-20")
    assert w["art5.assist/usa/a"] == {("2027-05-01", "2027-06-03")}   # fired 05-04, + 30 days
    assert "art5.assist/estonia/a" not in w                         # the Party attacked owes none
    w = windows(tmp_path, events[:1], as_of="2027-06-20", readings={"invocation": "automatic"})
    assert w["art5.assist/usa/a"] == {("2027-05-01", "2027-05-31")}


def test_a_report_counts_from_the_day_of_the_help_to_its_deadline(tmp_path):
    events = [attack("a", "2027-05-01", ["estonia"]), ev("h", "2027-05-03", "assistance", by="uk",
                                                          means="armaments", about="a")]
    w = windows(tmp_path, events, as_of="2027-05-20", readings={"invocation": "automatic"})
    assert w["art5.report/uk/h"] == {("2027-05-03", "2027-05-04")}
    assert "art5.report/usa/h" not in w                             # only the helper reports


def test_a_duty_that_did_not_fire_has_no_window(tmp_path):
    events = [attack("a", "2027-05-01", ["hawaii"])]     # outside the area: blocked by Article 6
    w = windows(tmp_path, events, as_of="2027-05-20", readings={"invocation": "automatic"})
    assert w == {}


def test_a_repair_adds_a_council_meeting_that_meets_the_breached_duty(tmp_path):
    top = {"treaty": PACK, "in_force_from": None, "parties": OTHERS, "as_of": "2027-05-20",
           "parameters": {"consultation_days": 3}}
    events = [request("q", "2027-05-01", ["poland"])]
    path = write(tmp_path, scenario_text(events, **top))
    assert status(check_file(path, rules_root=RULES)[0], "art4.consult/usa/q") == "breached"
    result = repair(path, rules_root=RULES, only=["art4.consult/usa/q"])
    assert result.repairs, result
    added = [e for e in result.repairs[0].events if e["type"] == "council_meeting"]
    assert added and all("2027-05-01" <= str(e["date"]) <= "2027-05-04" for e in added)
    fixed = write(tmp_path, scenario_text(events + [dict(e) for e in result.repairs[0].events], **top))
    assert status(check_file(fixed, rules_root=RULES)[0], "art4.consult/usa/q") == "fulfilled"
