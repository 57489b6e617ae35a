"""art5.report and art5.unsc_measures (rules/istanbul-2022/art5_unsc.lp).

Contract: a guarantor bound on day T that gives an `assistance` on T reports it to the
Security Council on T .. T+report_days (`about` not compared). `unsc_measures` about the
attack (or about none), dated on or after the attack's day, discharge an assistance duty
when appeal day <= T <= deadline and the duty is not met by T; assistance on T wins;
assistance after T does not make it late; an appeal strictly after the measures fires
nothing (not fired, art5.unsc_measures).
"""

from __future__ import annotations

import pytest

from tests.helpers import (
    appeal,
    assist,
    attack,
    blocked,
    d,
    ids,
    iso,
    listed,
    measures,
    not_fired_ids,
    ob,
    report,
    run,
    status,
)

TWO = {"guarantors": ["uk", "usa"]}
WITH_OTHERS = {"guarantors": ["uk", "usa"], "others": ["belarus"]}


# --- art5.report ------------------------------------------------------------------------------
@pytest.mark.parametrize("day,expected", [(0, "fulfilled"), (1, "fulfilled"), (2, "late"), (5, "late")])
def test_report_window_is_t_to_t_plus_1(tmp_path, day, expected):
    v = run(tmp_path, [assist("h", d(0), "uk"), report("r", d(day), "uk")], as_of=d(10), parties=TWO)
    o = ob(v, "art5.report/uk/h")
    assert (o.status, o.met_by, o.trigger) == (expected, "r", "h")
    assert (iso(o.fired_on), iso(o.deadline)) == (d(0), d(1))
    assert iso(o.breached_on) == (d(2) if expected == "late" else None)


def test_no_report_is_a_breach(tmp_path):
    v = run(tmp_path, [assist("h", d(0), "uk")], as_of=d(10), parties=TWO)
    o = ob(v, "art5.report/uk/h")
    assert (o.status, iso(o.breached_on)) == ("breached", d(2))


@pytest.mark.parametrize("as_of,expected", [(d(0), "pending"), (d(1), "pending"), (d(2), "breached")])
def test_report_as_of_on_the_deadline_is_pending(tmp_path, as_of, expected):
    v = run(tmp_path, [assist("h", d(0), "uk")], as_of=as_of, parties=TWO)
    assert status(v, "art5.report/uk/h") == expected


def test_report_before_the_assistance_does_not_count(tmp_path):
    v = run(tmp_path, [report("r", d(-1), "uk"), assist("h", d(0), "uk")], as_of=d(10), parties=TWO)
    assert status(v, "art5.report/uk/h") == "breached"


def test_report_by_another_party_does_not_count(tmp_path):
    v = run(tmp_path, [assist("h", d(0), "uk"), report("r", d(0), "usa")], as_of=d(10), parties=TWO)
    assert status(v, "art5.report/uk/h") == "breached"


def test_report_about_is_not_compared(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), attack("b", d(0), regions=["odesa"]), assist("h", d(1), "uk", about="a"),
                       report("r", d(1), "uk", about="b")], as_of=d(10), parties=TWO)
    assert ob(v, "art5.report/uk/h").met_by == "r"


def test_every_assistance_is_reported_whether_or_not_a_duty_asked_for_it(tmp_path):
    # no attack, no appeal: the assistance still owes a report
    v = run(tmp_path, [assist("h1", d(0), "uk"), assist("h2", d(0), "uk", means="armed_force")], as_of=d(10),
            parties=TWO)
    assert ids(v, "art5.report") == {"art5.report/uk/h1", "art5.report/uk/h2"}
    assert not ids(v, "art4.assist")


def test_one_report_meets_every_assistance_it_follows(tmp_path):
    v = run(tmp_path, [assist("h1", d(0), "uk"), assist("h2", d(1), "uk"), report("r", d(1), "uk")],
            as_of=d(10), parties=TWO)
    assert ob(v, "art5.report/uk/h1").met_by == "r"
    assert ob(v, "art5.report/uk/h2").met_by == "r"


@pytest.mark.parametrize("order", [("x", "y"), ("y", "x")])
def test_report_ties_go_to_the_first_in_the_file(tmp_path, order):
    first, second = order
    v = run(tmp_path, [assist("h", d(0), "uk"), report(first, d(1), "uk"), report(second, d(1), "uk")],
            as_of=d(10), parties=TWO)
    assert ob(v, "art5.report/uk/h").met_by == first


def test_report_days_parameter(tmp_path):
    v = run(tmp_path, [assist("h", d(0), "uk"), report("r", d(3), "uk")], as_of=d(10), parties=TWO,
            parameters={"report_days": 3})
    o = ob(v, "art5.report/uk/h")
    assert (o.status, iso(o.deadline)) == ("fulfilled", d(3))
    v = run(tmp_path, [assist("h", d(0), "uk"), report("r", d(1), "uk")], as_of=d(10), parties=TWO,
            check={"parameters": {"report_days": 0}})
    assert status(v, "art5.report/uk/h") == "late"


def test_assistance_by_a_non_party_owes_no_report(tmp_path):
    v = run(tmp_path, [assist("h", d(0), "belarus")], as_of=d(10), parties=WITH_OTHERS)
    assert not listed(v, "art5.report/belarus/h")


def test_assistance_by_a_guarantor_not_bound_is_not_fired(tmp_path):
    v = run(tmp_path, [assist("h", d(0), "uk")], in_force_from=d(1), as_of=d(10), parties=TWO)
    assert blocked(v, "art5.report/uk/h") == ("art7.not_bound",)


def test_report_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [assist("h", d(0), "uk"), report("r", d(1), "uk")], parties=TWO, check={"as_of": d(0)})
    assert status(v, "art5.report/uk/h") == "pending"
    assert v.scenario.ignored_events == 1


# --- art5.unsc_measures -------------------------------------------------------------------------
def _war(*more, appeal_day=1):
    """An attack on d(0), an appeal on d(appeal_day): assistance deadline d(6) for appeal_day <= 3."""
    return [attack("a", d(0)), appeal("p", d(appeal_day), about="a"), *more]


@pytest.mark.parametrize("about", ["a", None])
def test_measures_discharge_an_unmet_duty(tmp_path, about):
    v = run(tmp_path, _war(measures("m", d(2), about=about)), as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.discharged_by, iso(o.discharged_on)) == ("discharged", "m", d(2))
    assert (o.met_by, o.breached_on) == (None, None)


def test_measures_about_another_attack_do_not_discharge(tmp_path):
    v = run(tmp_path, _war(attack("b", d(0), regions=["odesa"]), measures("m", d(2), about="b")), as_of=d(20),
            parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"


@pytest.mark.parametrize("order", ["assistance first", "measures first"])
def test_assistance_on_the_day_of_the_measures_wins(tmp_path, order):
    pair = [assist("h", d(3), "uk", about="a"), measures("m", d(3), about="a")]
    if order == "measures first":
        pair.reverse()
    v = run(tmp_path, _war(*pair), as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.met_by, o.discharged_by) == ("fulfilled", "h", None)
    assert status(v, "art4.assist/usa/a") == "discharged"


def test_assistance_before_the_measures_is_fulfilled(tmp_path):
    v = run(tmp_path, _war(assist("h", d(2), "uk"), measures("m", d(3))), as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "fulfilled"


@pytest.mark.parametrize("day", [4, 6, 9])
def test_assistance_after_the_measures_does_not_make_it_late(tmp_path, day):
    v = run(tmp_path, _war(measures("m", d(3), about="a"), assist("h", d(day), "uk", about="a")), as_of=d(20),
            parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.breached_on, o.discharged_by, iso(o.discharged_on)) == ("discharged", None, "m", d(3))


def test_assistance_after_the_measures_is_not_named_as_meeting_the_duty(tmp_path):
    v = run(tmp_path, _war(measures("m", d(3), about="a"), assist("h", d(4), "uk", about="a")), as_of=d(20),
            parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.met_by) == ("discharged", None)


def test_measures_on_the_appeal_day_fire_then_discharge(tmp_path):
    v = run(tmp_path, _war(measures("m", d(1), about="a")), as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, iso(o.fired_on), iso(o.discharged_on)) == ("discharged", d(1), d(1))


@pytest.mark.parametrize("about", ["a", None])
def test_appeal_strictly_after_the_measures_fires_nothing(tmp_path, about):
    v = run(tmp_path, [attack("a", d(0)), measures("m", d(1), about=about), appeal("p", d(2), about="a")],
            as_of=d(20), parties=TWO)
    assert blocked(v, "art4.assist/uk/a") == ("art5.unsc_measures",)
    assert blocked(v, "art4.assist/usa/a") == ("art5.unsc_measures",)
    # the consultations are still owed
    assert status(v, "art4.consult/uk/a") == "breached"


@pytest.mark.parametrize("about", ["a", None])
def test_measures_before_the_attack_day_do_not_count(tmp_path, about):
    v = run(tmp_path, [measures("m", d(-1)) if about is None else attack("a", d(0)),
                       attack("a", d(0)) if about is None else measures("m", d(-1), about="a"),
                       appeal("p", d(1), about="a")], as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.status, o.discharged_by) == ("breached", None)


def test_measures_on_the_attack_day_before_the_appeal_block_it(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), measures("m", d(0)), appeal("p", d(1))], as_of=d(20), parties=TWO)
    assert blocked(v, "art4.assist/uk/a") == ("art5.unsc_measures",)


@pytest.mark.parametrize("day,expected", [(6, "discharged"), (7, "breached")])
def test_measures_on_and_after_the_deadline(tmp_path, day, expected):
    v = run(tmp_path, _war(measures("m", d(day), about="a")), as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert iso(o.deadline) == d(6)
    assert o.status == expected


def test_late_assistance_before_late_measures_stays_late(tmp_path):
    v = run(tmp_path, _war(assist("h", d(7), "uk", about="a"), measures("m", d(8), about="a")), as_of=d(20),
            parties=TWO)
    assert status(v, "art4.assist/uk/a") == "late"


def test_the_first_measures_discharge(tmp_path):
    v = run(tmp_path, _war(measures("m2", d(4)), measures("m1", d(3), about="a"), measures("m0", d(3))),
            as_of=d(20), parties=TWO)
    o = ob(v, "art4.assist/uk/a")
    assert (o.discharged_by, iso(o.discharged_on)) == ("m1", d(3))


def test_measures_after_as_of_are_ignored(tmp_path):
    v = run(tmp_path, _war(measures("m", d(3), about="a")), parties=TWO, check={"as_of": d(2)})
    assert status(v, "art4.assist/uk/a") == "pending"


def test_measures_discharge_each_requested_means(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a", requests=["armaments", "armed_force"]),
                       assist("h", d(2), "uk", means="armaments"), measures("m", d(2), about="a")],
            as_of=d(20), parties=TWO, readings={"assistance_means": "as_requested"})
    assert status(v, "art4.assist.armaments/uk/a") == "fulfilled"
    assert status(v, "art4.assist.armed_force/uk/a") == "discharged"


def test_measures_leave_reports_and_consultations_alone(tmp_path):
    v = run(tmp_path, _war(measures("m", d(1), about="a"), assist("h", d(2), "uk", about="a")), as_of=d(20),
            parties=TWO)
    assert status(v, "art5.report/uk/h") == "breached"
    assert status(v, "art4.consult/uk/a") == "breached"
    assert not not_fired_ids(v)
