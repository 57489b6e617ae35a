"""bm4.seek_unsc (rules/budapest-1994/bm4_unsc.lp): which acts set paragraph 4 off, under
each reading of "in which nuclear weapons are used"; what meets the duty, and when."""

from __future__ import annotations

import pytest

from tests.helpers import attack, d, ev, ids, iso, ob, status
from tests.rules.budapest._scenario import ASSURERS, check, seek

AGGRESSION_ANY = {"nuclear_qualifier": "aggression_any"}


@pytest.mark.parametrize("kind", ["nuclear_use", "nuclear_threat"])
def test_a_nuclear_act_by_anyone_fires_for_every_assurer(tmp_path, kind):
    v = check(tmp_path, [ev("n", d(0), kind, by="unknown")])
    for g in ASSURERS:
        o = ob(v, f"bm4.seek_unsc/{g}/n")
        assert (o.kind, o.holder, o.trigger, iso(o.fired_on), iso(o.deadline)) == \
            ("achievement", g, "n", d(0), d(7))
    # Ukraine gives no assurance: it owes no Security Council action
    assert status(v, "bm4.seek_unsc/ukraine/n") is None


def test_the_author_of_the_act_keeps_the_duty(tmp_path):
    v = check(tmp_path, [ev("n", d(0), "nuclear_use", by="russia")])
    assert status(v, "bm4.seek_unsc/russia/n") == "breached"
    assert status(v, "bm5.no_nuclear_use/russia") == "breached"


def test_an_act_by_ukraine_itself_sets_nothing_off(tmp_path):
    v = check(tmp_path, [ev("n", d(0), "nuclear_threat", by="ukraine"),
                         attack("a", d(1), by="ukraine", kind="aggression")], readings=AGGRESSION_ANY)
    assert ids(v, "bm4.seek_unsc") == set()


@pytest.mark.parametrize("kind", ["aggression", "armed_attack", "military_operation", "disguised_war",
                                  "hybrid_war", "incident"])
def test_an_attack_without_nuclear_weapons_fires_nothing_on_the_literal_reading(tmp_path, kind):
    v = check(tmp_path, [attack("a", d(0), kind=kind)])
    assert ids(v, "bm4.seek_unsc") == set()


@pytest.mark.parametrize("kind,fires", [("aggression", True), ("armed_attack", True), ("military_operation", True),
                                        ("disguised_war", False), ("hybrid_war", False), ("incident", False)])
def test_aggression_any_adds_the_attacks_that_are_acts_of_aggression(tmp_path, kind, fires):
    v = check(tmp_path, [attack("a", d(0), kind=kind, by="unknown")], readings=AGGRESSION_ANY)
    assert ids(v, "bm4.seek_unsc") == ({f"bm4.seek_unsc/{g}/a" for g in ASSURERS} if fires else set())


@pytest.mark.parametrize("day,expected", [(0, "fulfilled"), (7, "fulfilled"), (8, "late"), (20, "late")])
def test_immediate_means_within_unsc_days(tmp_path, day, expected):
    v = check(tmp_path, [ev("n", d(0), "nuclear_threat", by="unknown"), seek("s", d(day), "uk", about="n")])
    o = ob(v, "bm4.seek_unsc/uk/n")
    assert (o.status, o.met_by) == (expected, "s")
    assert iso(o.breached_on) == (d(8) if expected == "late" else None)


def test_unsc_days_sets_the_deadline(tmp_path):
    v = check(tmp_path, [ev("n", d(0), "nuclear_threat", by="unknown"), seek("s", d(3), "uk")],
              parameters={"unsc_days": 2})
    o = ob(v, "bm4.seek_unsc/uk/n")
    assert (iso(o.deadline), o.status, iso(o.breached_on)) == (d(2), "late", d(3))


@pytest.mark.parametrize("as_of,expected", [(d(7), "pending"), (d(8), "breached")])
def test_pending_up_to_the_deadline_then_breached(tmp_path, as_of, expected):
    v = check(tmp_path, [ev("n", d(0), "nuclear_use", by="unknown")], as_of=as_of)
    assert status(v, "bm4.seek_unsc/usa/n") == expected


def test_action_about_another_act_or_before_the_act_does_not_count(tmp_path):
    v = check(tmp_path, [seek("early", d(-1), "uk"), ev("n", d(0), "nuclear_threat", by="unknown"),
                         ev("m", d(0), "nuclear_use", by="unknown"), seek("s", d(1), "uk", about="m"),
                         seek("other", d(2), "usa", about="m")])
    assert status(v, "bm4.seek_unsc/uk/n") == "breached"
    assert ob(v, "bm4.seek_unsc/uk/m").met_by == "s"
    # only the holder's own action counts
    assert status(v, "bm4.seek_unsc/russia/m") == "breached"


def test_action_about_no_act_meets_every_open_duty_of_its_author(tmp_path):
    v = check(tmp_path, [ev("n", d(0), "nuclear_threat", by="unknown"), ev("m", d(2), "nuclear_use", by="unknown"),
                         seek("s", d(3), "usa")])
    assert ob(v, "bm4.seek_unsc/usa/n").met_by == "s"
    assert ob(v, "bm4.seek_unsc/usa/m").met_by == "s"
