"""art4.consult (rules/istanbul-2022/art4_consult.lp): consultations within three days.

Contract: each guarantor bound on day D owes, for a qualifying attack on D, a `consultation`
on D .. D+consultation_days whose `parties` include it, `about` the attack or about none.
"""

from __future__ import annotations

import pytest

from tests.helpers import GUARANTORS, appeal, attack, blocked, consult, d, iso, ob, run, status

TWO = {"guarantors": ["uk", "usa"]}


def test_fires_for_every_bound_guarantor_with_the_attack_as_trigger(tmp_path):
    v = run(tmp_path, [attack("a", d(0))], as_of=d(10))
    for g in GUARANTORS:
        o = ob(v, f"art4.consult/{g}/a")
        assert (o.holder, o.trigger, o.kind) == (g, "a", "achievement")
        assert iso(o.fired_on) == d(0)
        assert iso(o.deadline) == d(3)
    # Ukraine is no guarantor: it owes no consultations
    assert status(v, "art4.consult/ukraine/a") is None


@pytest.mark.parametrize("day,expected", [(0, "fulfilled"), (1, "fulfilled"), (3, "fulfilled"), (4, "late"),
                                          (9, "late")])
def test_window_is_d_to_d_plus_3(tmp_path, day, expected):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(day), ["uk"], about="a")], as_of=d(10), parties=TWO)
    o = ob(v, "art4.consult/uk/a")
    assert o.status == expected
    assert o.met_by == "c"
    assert iso(o.breached_on) == (d(4) if expected == "late" else None)


def test_no_consultation_is_a_breach_the_day_after_the_deadline(tmp_path):
    v = run(tmp_path, [attack("a", d(0))], as_of=d(10), parties=TWO)
    o = ob(v, "art4.consult/uk/a")
    assert (o.status, o.met_by, iso(o.breached_on)) == ("breached", None, d(4))


@pytest.mark.parametrize("as_of,expected", [(d(2), "pending"), (d(3), "pending"), (d(4), "breached")])
def test_as_of_on_the_deadline_is_pending(tmp_path, as_of, expected):
    v = run(tmp_path, [attack("a", d(0))], as_of=as_of, parties=TWO)
    assert status(v, "art4.consult/uk/a") == expected


def test_consultation_before_the_attack_does_not_count(tmp_path):
    v = run(tmp_path, [consult("c0", d(-1), ["uk"]), attack("a", d(0))], as_of=d(10), parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"


def test_holder_must_be_among_the_parties(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(1), ["ukraine", "usa"], about="a")], as_of=d(10),
            parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"
    assert status(v, "art4.consult/usa/a") == "fulfilled"


def test_consultation_about_another_attack_does_not_count(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(0), regions=["odesa"]),
                       consult("c", d(1), ["uk"], about="b")], as_of=d(10), parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"
    assert status(v, "art4.consult/uk/b") == "fulfilled"


def test_consultation_about_none_counts_for_every_attack(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(1), regions=["odesa"]),
                       consult("c", d(2), ["uk"])], as_of=d(10), parties=TWO)
    assert ob(v, "art4.consult/uk/a").met_by == "c"
    assert ob(v, "art4.consult/uk/b").met_by == "c"


def test_consultation_about_none_late(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(5), ["uk"])], as_of=d(10), parties=TWO)
    o = ob(v, "art4.consult/uk/a")
    assert (o.status, o.met_by, iso(o.breached_on)) == ("late", "c", d(4))


def test_the_earliest_consultation_counts_whatever_the_file_order(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("late-one", d(5), ["uk"], about="a"),
                       consult("second", d(2), ["uk"]), consult("first", d(1), ["uk"], about="a")],
            as_of=d(10), parties=TWO)
    assert ob(v, "art4.consult/uk/a").met_by == "first"


@pytest.mark.parametrize("order", [("x", "y"), ("y", "x")])
def test_ties_on_one_day_go_to_the_first_in_the_file(tmp_path, order):
    first, second = order
    v = run(tmp_path, [attack("a", d(0)), consult(first, d(2), ["uk"], about="a"),
                       consult(second, d(2), ["uk"])], as_of=d(10), parties=TWO)
    assert ob(v, "art4.consult/uk/a").met_by == first


def test_the_attacker_keeps_its_duty_to_consult(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia"), consult("c", d(1), ["russia", "uk"], about="a")],
            as_of=d(10))
    assert status(v, "art4.consult/russia/a") == "fulfilled"
    assert status(v, "art1.guarantee/russia") == "breached"


def test_consultation_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(3), ["uk"], about="a")], as_of=d(2), parties=TWO)
    assert status(v, "art4.consult/uk/a") == "pending"
    assert v.scenario.ignored_events == 1


def test_late_consultation_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(6), ["uk"], about="a")], as_of=d(5), parties=TWO)
    o = ob(v, "art4.consult/uk/a")
    assert (o.status, o.met_by) == ("breached", None)


@pytest.mark.parametrize("where", ["file", "override"])
def test_consultation_days_parameter(tmp_path, where):
    events = [attack("a", d(0)), consult("c", d(5), ["uk"], about="a")]
    if where == "file":
        v = run(tmp_path, events, as_of=d(10), parties=TWO, parameters={"consultation_days": 5})
    else:
        v = run(tmp_path, events, as_of=d(10), parties=TWO, check={"parameters": {"consultation_days": 5}})
    o = ob(v, "art4.consult/uk/a")
    assert (o.status, iso(o.deadline)) == ("fulfilled", d(5))
    assert v.scenario.parameters["consultation_days"] == 5


def test_zero_consultation_days_means_the_same_day(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(1), ["uk"], about="a")], as_of=d(10), parties=TWO,
            parameters={"consultation_days": 0})
    assert (status(v, "art4.consult/uk/a"), iso(ob(v, "art4.consult/uk/a").deadline)) == ("late", d(0))


def test_guarantor_not_bound_on_the_day_is_not_fired(tmp_path):
    # bound from d(1): an attack on d(0) binds nobody yet
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(1))], in_force_from=d(1), as_of=d(10), parties=TWO)
    assert blocked(v, "art4.consult/uk/a") == ("art7.not_bound",)
    assert status(v, "art4.consult/uk/b") == "breached"


def test_excluded_attack_is_not_fired(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["crimea"])], as_of=d(10), parties=TWO)
    assert blocked(v, "art4.consult/uk/a") == ("art2.excluded_territory",)


def test_an_appeal_is_not_needed_for_consultations(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(1), about="a")], as_of=d(10), parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"
