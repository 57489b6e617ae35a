"""art8.no_force_crimea (rules/istanbul-2022/art8_crimea.lp): no military solution for fifteen years.

Contract: Ukraine and Russia, each from the day it is bound up to, not including, the same
calendar date crimea_years later (29 February maps to 28 February); breached by an `attack` of
any kind but `incident`, `by` the holder, whose regions name crimea or sevastopol (`ukraine`
does not; scope exclusion does not apply).
"""

from __future__ import annotations

import pytest

from tests.helpers import attack, blocked, iso, listed, ob, run, status

UA, RU = "art8.no_force_crimea/ukraine", "art8.no_force_crimea/russia"
PARTIES = {"guarantors": ["russia", "uk"]}
START = "2027-03-01"


def _run(tmp_path, events, start=START, **top):
    top.setdefault("as_of", "2045-01-01")
    return run(tmp_path, events, in_force_from=start, parties=top.pop("parties", PARTIES), **top)


def test_both_holders_comply_in_a_quiet_history(tmp_path):
    v = _run(tmp_path, [])
    for duty in (UA, RU):
        o = ob(v, duty)
        assert (o.status, o.kind, iso(o.fired_on)) == ("complied", "maintenance", START)


@pytest.mark.parametrize("by,duty", [("ukraine", UA), ("russia", RU)])
@pytest.mark.parametrize("region", ["crimea", "sevastopol"])
def test_force_over_crimea_or_sevastopol_breaches(tmp_path, by, duty, region):
    v = _run(tmp_path, [attack("a", "2030-05-05", by=by, regions=[region])])
    o = ob(v, duty)
    assert (o.status, o.breached_by, iso(o.breached_on)) == ("breached", "a", "2030-05-05")


@pytest.mark.parametrize("kind", ["aggression", "armed_attack", "military_operation", "disguised_war",
                                  "hybrid_war"])
def test_every_kind_but_incident_breaches(tmp_path, kind):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="ukraine", kind=kind, regions=["crimea"])])
    assert status(v, UA) == "breached"


def test_an_incident_does_not_breach(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="ukraine", kind="incident", regions=["crimea"])])
    assert status(v, UA) == "complied"


@pytest.mark.parametrize("regions", [["ukraine"], ["kherson", "black_sea"], ["donetsk_occupied"]])
def test_other_regions_do_not_name_crimea(tmp_path, regions):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="ukraine", regions=regions)])
    assert status(v, UA) == "complied"


def test_a_mixed_attack_by_russia_breaches_art8_and_the_guarantee(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="russia", regions=["sevastopol", "kherson"])])
    assert status(v, RU) == "breached"
    assert status(v, "art1.guarantee/russia") == "breached"


def test_an_attack_only_on_crimea_by_russia_breaches_art8_not_the_guarantee(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="russia", regions=["crimea"])])
    assert status(v, RU) == "breached"
    assert status(v, "art1.guarantee/russia") == "complied"


def test_scope_exclusion_does_not_apply(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="ukraine", regions=["crimea"])], excluded_regions=[])
    assert status(v, UA) == "breached"


def test_attacks_by_others_are_no_concern_of_this_duty(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="uk", regions=["crimea"]),
                        attack("b", "2030-05-06", by="unknown", regions=["crimea"])])
    assert status(v, UA) == "complied" and status(v, RU) == "complied"
    assert not listed(v, "art8.no_force_crimea/uk")


@pytest.mark.parametrize("day,expected", [("2027-02-28", "complied"), ("2027-03-01", "breached"),
                                          ("2042-02-28", "breached"), ("2042-03-01", "complied")])
def test_the_fifteen_year_period(tmp_path, day, expected):
    v = _run(tmp_path, [attack("a", day, by="ukraine", regions=["crimea"])])
    assert status(v, UA) == expected


@pytest.mark.parametrize("day,expected", [("2043-02-27", "breached"), ("2043-02-28", "complied"),
                                          ("2043-03-01", "complied")])
def test_a_period_from_29_february_ends_on_28_february(tmp_path, day, expected):
    v = _run(tmp_path, [attack("a", day, by="ukraine", regions=["crimea"])], start="2028-02-29")
    assert status(v, UA) == expected


@pytest.mark.parametrize("day,expected", [("2032-02-28", "breached"), ("2032-02-29", "complied")])
def test_a_period_from_29_february_to_a_leap_year_keeps_the_29th(tmp_path, day, expected):
    v = _run(tmp_path, [attack("a", day, by="ukraine", regions=["crimea"])], start="2028-02-29",
             parameters={"crimea_years": 4})
    assert status(v, UA) == expected


@pytest.mark.parametrize("where", ["file", "override"])
def test_crimea_years_parameter(tmp_path, where):
    events = [attack("a", "2028-03-01", by="ukraine", regions=["crimea"]),
              attack("b", "2028-02-29", by="russia", regions=["crimea"])]
    if where == "file":
        v = _run(tmp_path, events, parameters={"crimea_years": 1})
    else:
        v = _run(tmp_path, events, check={"parameters": {"crimea_years": 1}})
    assert status(v, UA) == "complied"
    assert status(v, RU) == "breached"


def test_each_holder_s_period_runs_from_its_own_bound_day(tmp_path):
    # entry into force binds Ukraine on 2027-03-01; Russia ratifies in 2029
    events = [{"id": "ref", "date": START, "type": "referendum", "result": "approved"},
              {"id": "am", "date": START, "type": "constitutional_amendment"},
              {"id": "rat", "date": START, "type": "ratification", "party": "ukraine"},
              {"id": "rat-ru", "date": "2029-06-01", "type": "ratification", "party": "russia"},
              attack("a", "2029-05-01", by="russia", regions=["crimea"]),
              attack("b", "2044-05-01", by="russia", regions=["crimea"]),
              attack("c", "2042-03-01", by="ukraine", regions=["crimea"])]
    v = _run(tmp_path, events, start=None)
    assert iso(ob(v, RU).fired_on) == "2029-06-01"
    assert ob(v, RU).breached_by == "b"
    assert status(v, UA) == "complied"


def test_russia_left_off_the_list_holds_no_duty(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="russia", regions=["crimea"])],
             parties={"guarantors": ["uk"]})
    assert not listed(v, RU)
    assert status(v, UA) == "complied"


def test_not_bound_by_as_of_is_not_fired(tmp_path):
    v = _run(tmp_path, [], start="2050-01-01")
    assert blocked(v, UA) == ("art7.not_bound",)
    assert blocked(v, RU) == ("art7.not_bound",)


def test_after_as_of_is_ignored(tmp_path):
    v = _run(tmp_path, [attack("a", "2030-05-05", by="ukraine", regions=["crimea"])], as_of="2030-05-04")
    assert status(v, UA) == "complied"
