"""The repair windows of budapest-1994 (rules/budapest-1994/repairs.lp): on which days an added
action meets a duty.

Contract: only in repair mode (`checker repair` adds `repair_mode`; a check derives no
window). A request for Security Council action counts from the day of the nuclear act to
its deadline (D + unsc_days); a consultation from the day of the request to its deadline
when consultation_days sets one, else to the verdict day. Only a fired duty has a window,
and each duty has one. The windows are read from the pack's rules as `checker repair`
reads them, and a repair is run end to end.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from checker.analysis.repair import repair
from checker.engine.solve import solve
from checker.io.scenario import load_scenario
from tests.helpers import RULES, d, ev, iso, scenario_text, write
from tests.rules.budapest._scenario import ASSURERS, PACK, SIGNATORIES, refusal, request


def windows(tmp_path: Path, events, *, mode: bool = True, **top) -> dict[str, set[tuple[str, str]]]:
    """{duty: {(first day, last day), ...}} of every repair_window the rules derive."""
    top.setdefault("as_of", d(30))
    path = write(tmp_path, scenario_text(events, treaty=PACK, in_force_from=top.pop("in_force_from", None), **top))
    scenario, pack = load_scenario(path, rules_root=RULES)
    extra = tmp_path / "mode.lp"
    extra.write_text(("repair_mode.\n" if mode else "") + "#show repair_window/3.\n", encoding="utf-8")
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for sym in solve(scenario, pack, extra_files=[extra]).shown:
        if sym.name == "repair_window":
            o, first, last = sym.arguments
            duty = "/".join([o.arguments[0].string, str(o.arguments[1]), str(o.arguments[2]).strip('"')])
            out[duty].add((iso(first.number), iso(last.number)))
    return dict(out)


def test_a_check_derives_no_window(tmp_path):
    events = [ev("n", d(0), "nuclear_threat", by="unknown"), request("r", d(1)), request("q", d(2))]
    assert windows(tmp_path, events)  # (in repair mode there are some, of both provisions)
    assert windows(tmp_path, events, mode=False) == {}
    assert windows(tmp_path, events, mode=False, parameters={"consultation_days": 3}) == {}


def test_security_council_action_counts_from_the_act_to_its_deadline(tmp_path):
    w = windows(tmp_path, [ev("n", d(2), "nuclear_use", by="russia")], parameters={"unsc_days": 4})
    assert {k: v for k, v in w.items() if k.startswith("bm4.")} == \
        {f"bm4.seek_unsc/{g}/n": {(d(2), d(6))} for g in ASSURERS}


def test_consultations_with_no_deadline_count_from_the_request_to_the_verdict_day(tmp_path):
    w = windows(tmp_path, [request("r", d(3), by="uk")], as_of=d(20))
    assert w == {f"bm6.consult/{p}/r": {(d(3), d(20))} for p in SIGNATORIES}


def test_consultations_with_a_deadline_count_from_the_request_to_the_deadline_only(tmp_path):
    w = windows(tmp_path, [request("r", d(3))], as_of=d(20), parameters={"consultation_days": 2})
    assert w == {f"bm6.consult/{p}/r": {(d(3), d(5))} for p in SIGNATORIES}


def test_a_duty_that_did_not_fire_has_no_window(tmp_path):
    # a request and a nuclear act before the Memorandum binds (bm.not_bound)
    w = windows(tmp_path, [request("r", d(0)), ev("n", d(0), "nuclear_threat", by="unknown")],
                in_force_from=d(1))
    assert w == {}


def test_a_repair_adds_the_missing_consultation_inside_its_window(tmp_path):
    path = write(tmp_path, scenario_text([request("r", d(0)), refusal("x", d(2), "usa", "r")],
                                         treaty=PACK, in_force_from=None, as_of=d(20)))
    result = repair(path, rules_root=RULES, only=["bm6.consult/usa/r"])
    assert result.repairs, result
    events = result.repairs[0].events
    # the earliest day a consultation can still count: the refusal's day, after it (late)
    assert [(e["type"], e["date"], e["parties"], e.get("about")) for e in events] == \
        [("consultation", d(2), ["usa"], "r")]


def test_a_repair_seeks_security_council_action_within_its_window(tmp_path):
    path = write(tmp_path, scenario_text([ev("n", d(0), "nuclear_threat", by="unknown")],
                                         treaty=PACK, in_force_from=None, as_of=d(20)))
    result = repair(path, rules_root=RULES, only=["bm4.seek_unsc/uk/n"])
    assert result.repairs, result
    events = result.repairs[0].events
    assert [(e["type"], e["date"], e["by"], e.get("about")) for e in events] == \
        [("unsc_action_sought", d(0), "uk", "n")]
