"""art4.assist (rules/istanbul-2022/art4_assist.lp): military help on Ukraine's appeal.

Contract: a qualifying attack on D and the earliest `appeal` on A >= D (about it or about none)
fire, on A, a duty of each guarantor bound on A; deadline max(A, D+consultation_days) +
assistance_days; met by an `assistance` by the holder, about the attack or none, dated
D .. deadline, whose `means` counts under the reading `assistance_means`.
"""

from __future__ import annotations

import pytest

from tests.helpers import (
    GUARANTORS,
    appeal,
    assist,
    attack,
    blocked,
    d,
    ids,
    iso,
    listed,
    not_fired_ids,
    ob,
    run,
    status,
)

TWO = {"guarantors": ["uk", "usa"]}
MEANS = ("armaments", "airspace_closure", "armed_force")


def test_fires_on_the_appeal_day_for_every_bound_guarantor(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(1), about="a")], as_of=d(20))
    for g in GUARANTORS:
        o = ob(v, f"art4.assist/{g}/a")
        assert (o.trigger, iso(o.fired_on), iso(o.deadline)) == ("a", d(1), d(6))
    assert not listed(v, "art4.assist/ukraine/a")


@pytest.mark.parametrize("appeal_day,deadline", [(0, 6), (2, 6), (3, 6), (4, 7), (5, 8), (12, 15)])
def test_deadline_is_max_of_appeal_and_consultation_end_plus_assistance_days(tmp_path, appeal_day, deadline):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(appeal_day), about="a")], as_of=d(30), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (iso(o.fired_on), iso(o.deadline)) == (d(appeal_day), d(deadline))


def test_deadline_follows_both_parameters(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a")]
    v = run(tmp_path, events, as_of=d(30), parties=TWO, parameters={"consultation_days": 5, "assistance_days": 7})
    assert iso(ob(v, "art4.assist/uk/a").deadline) == d(12)
    v = run(tmp_path, events, as_of=d(30), parties=TWO,
            check={"parameters": {"consultation_days": 0, "assistance_days": 1}})
    assert iso(ob(v, "art4.assist/uk/a").deadline) == d(2)


@pytest.mark.parametrize("day,expected", [(0, "fulfilled"), (1, "fulfilled"), (6, "fulfilled"), (7, "late")])
def test_assistance_window_is_attack_day_to_deadline(tmp_path, day, expected):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(1), about="a"), assist("h", d(day), "uk", about="a")],
            as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.met_by) == (expected, "h")
    assert iso(o.breached_on) == (d(7) if expected == "late" else None)


def test_assistance_before_the_attack_does_not_count(tmp_path):
    v = run(tmp_path, [assist("h", d(-1), "uk"), attack("a", d(0)), appeal("p", d(0), about="a")],
            as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.met_by, iso(o.breached_on)) == ("breached", None, d(7))


@pytest.mark.parametrize("as_of,expected", [(d(5), "pending"), (d(6), "pending"), (d(7), "breached")])
def test_as_of_on_the_deadline_is_pending(tmp_path, as_of, expected):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a")], as_of=as_of, parties=TWO)
    assert status(v, "art4.assist/uk/a") == expected


def test_assistance_by_another_party_does_not_count(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), assist("h", d(1), "usa", about="a")],
            as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"
    assert status(v, "art4.assist/usa/a") == "fulfilled"


def test_assistance_about_another_attack_does_not_count(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(0), regions=["odesa"]), appeal("p", d(0), about="a"),
                       assist("h", d(1), "uk", about="b")], as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"


def test_assistance_about_none_counts(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), assist("h", d(2), "uk")],
            as_of=d(20), parties=TWO)
    assert ob(v, "art4.assist/uk/a").met_by == "h"


def test_assistance_about_none_late(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), assist("h", d(9), "uk")],
            as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.met_by, iso(o.breached_on)) == ("late", "h", d(7))


def test_appeal_about_none_fires(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(2))], as_of=d(20), parties=TWO)
    assert iso(ob(v, "art4.assist/uk/a").fired_on) == d(2)


def test_appeal_about_none_before_the_attack_fires_nothing(tmp_path):
    v = run(tmp_path, [appeal("p", d(-1)), attack("a", d(0))], as_of=d(20), parties=TWO)
    assert not ids(v, "art4.assist") and not not_fired_ids(v, "art4.assist")


def test_appeal_about_another_attack_fires_nothing_for_this_one(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(0), regions=["odesa"]), appeal("p", d(0), about="b")],
            as_of=d(20), parties=TWO)
    assert not listed(v, "art4.assist/uk/a")
    assert listed(v, "art4.assist/uk/b")


def test_no_appeal_is_an_absent_trigger_not_a_blocked_duty(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), assist("h", d(1), "uk", about="a")], as_of=d(20), parties=TWO)
    assert not ids(v, "art4.assist") and not not_fired_ids(v, "art4.assist")


def test_the_earliest_appeal_fires_later_ones_add_nothing(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p2", d(5), about="a"), appeal("p1", d(4)),
                       appeal("p3", d(9), about="a")], as_of=d(20), parties=TWO)
    assert ids(v, "art4.assist") == {"art4.assist/uk/a", "art4.assist/usa/a"}
    o = ob(v, "art4.assist/uk/a")
    assert (iso(o.fired_on), iso(o.deadline)) == (d(4), d(7))


def test_the_earliest_appeal_may_be_before_an_earlier_attack_s_consultation_end(tmp_path):
    # one appeal about none answers both attacks; each keeps its own deadline
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(1), regions=["odesa"]), appeal("p", d(1))],
            as_of=d(20), parties=TWO)
    assert iso(ob(v, "art4.assist/uk/a").deadline) == d(6)
    assert iso(ob(v, "art4.assist/uk/b").deadline) == d(7)


@pytest.mark.parametrize("order", [("x", "y"), ("y", "x")])
def test_ties_on_one_day_go_to_the_first_in_the_file(tmp_path, order):
    first, second = order
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), assist(first, d(2), "uk"),
                       assist(second, d(2), "uk", about="a", means="armed_force")], as_of=d(20), parties=TWO)
    assert ob(v, "art4.assist/uk/a").met_by == first


def test_the_earliest_assistance_counts(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), assist("later", d(4), "uk", about="a"),
                       assist("earlier", d(3), "uk")], as_of=d(20), parties=TWO)
    assert ob(v, "art4.assist/uk/a").met_by == "earlier"


@pytest.mark.parametrize("means", MEANS)
def test_menu_reading_any_means_meets_the_duty(tmp_path, means):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a", requests=["armaments"]),
                       assist("h", d(1), "uk", means=means, about="a")], as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "fulfilled"
    assert not ids(v, "art4.assist.")


@pytest.mark.parametrize("where", ["file", "override"])
def test_as_requested_one_duty_per_requested_means(tmp_path, where):
    events = [attack("a", d(0)), appeal("p", d(0), about="a", requests=["armaments", "airspace_closure"]),
              assist("h", d(1), "uk", means="armaments", about="a"),
              assist("f", d(1), "usa", means="armed_force", about="a")]
    if where == "file":
        v = run(tmp_path, events, as_of=d(20), parties=TWO, readings={"assistance_means": "as_requested"})
    else:
        v = run(tmp_path, events, as_of=d(20), parties=TWO,
                check={"readings": {"assistance_means": "as_requested"}})
    assert v.scenario.readings["assistance_means"] == "as_requested"
    assert ids(v, "art4.assist") == {f"art4.assist.{m}/{g}/a" for m in ("armaments", "airspace_closure")
                                     for g in ("uk", "usa")}
    assert status(v, "art4.assist.armaments/uk/a") == "fulfilled"
    assert status(v, "art4.assist.airspace_closure/uk/a") == "breached"
    # armed force was not asked for: it meets neither duty
    assert status(v, "art4.assist.armaments/usa/a") == "breached"
    assert status(v, "art4.assist.airspace_closure/usa/a") == "breached"
    o = ob(v, "art4.assist.airspace_closure/uk/a")
    assert (iso(o.fired_on), iso(o.deadline), o.provision) == (d(0), d(6), "art4.assist.airspace_closure")


def test_as_requested_appeal_without_requests_is_one_duty_met_by_any_means(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"),
                       assist("h", d(1), "uk", means="armed_force", about="a")], as_of=d(20), parties=TWO,
            readings={"assistance_means": "as_requested"})
    assert ids(v, "art4.assist") == {"art4.assist/uk/a", "art4.assist/usa/a"}
    assert status(v, "art4.assist/uk/a") == "fulfilled"


def test_as_requested_late_means(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a", requests=["armed_force"]),
                       assist("h", d(7), "uk", means="armed_force")], as_of=d(20), parties=TWO,
            readings={"assistance_means": "as_requested"})
    o = ob(v, "art4.assist.armed_force/uk/a")
    assert (o.status, o.met_by, iso(o.breached_on)) == ("late", "h", d(7))


def test_the_attacker_keeps_its_duty_to_assist(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="uk"), appeal("p", d(0), about="a")], as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"
    assert status(v, "art1.guarantee/uk") == "breached"


def test_assistance_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), assist("h", d(5), "uk", about="a")],
            parties=TWO, check={"as_of": d(4)})
    assert status(v, "art4.assist/uk/a") == "pending"
    assert v.scenario.ignored_events == 1


def test_appeal_after_as_of_fires_nothing(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(5), about="a")], parties=TWO, check={"as_of": d(4)})
    assert not listed(v, "art4.assist/uk/a")
    assert v.scenario.ignored_events == 1


def test_excluded_attack_with_an_appeal_is_not_fired(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["donetsk_occupied"]), appeal("p", d(0), about="a")],
            as_of=d(20), parties=TWO)
    assert blocked(v, "art4.assist/uk/a") == ("art2.excluded_territory",)


def test_guarantor_not_bound_on_the_appeal_day_is_not_fired(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(1), about="a")], in_force_from=d(2), as_of=d(20),
            parties=TWO)
    assert blocked(v, "art4.assist/uk/a") == ("art7.not_bound",)


def test_guarantor_bound_on_the_appeal_day_but_not_on_the_attack_day(tmp_path):
    # bound from d(1): no consultation duty for the attack of d(0), but the appeal of d(2) binds
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(2), about="a")], in_force_from=d(1), as_of=d(20),
            parties=TWO)
    assert blocked(v, "art4.consult/uk/a") == ("art7.not_bound",)
    assert status(v, "art4.assist/uk/a") == "breached"
