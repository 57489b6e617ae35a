"""bm6.consult (rules/budapest-1994/bm6_consult.lp): "will consult", with no deadline unless
`consultation_days` sets one; a refusal by the holder breaches the duty on its day."""

from __future__ import annotations

import pytest

from tests.helpers import d, ids, iso, ob, status
from tests.rules.budapest._scenario import SIGNATORIES, check, consultation, refusal, request


def test_a_request_fires_for_the_four_signatories_with_no_deadline(tmp_path):
    v = check(tmp_path, [request("r", d(0), by="uk")])
    assert ids(v, "bm6.consult") == {f"bm6.consult/{p}/r" for p in SIGNATORIES}
    for p in SIGNATORIES:
        o = ob(v, f"bm6.consult/{p}/r")
        assert (o.kind, iso(o.fired_on), o.deadline, o.status) == ("achievement", d(0), None, "pending")


def test_a_request_by_a_state_that_is_no_signatory_sets_nothing_off(tmp_path):
    v = check(tmp_path, [request("r", d(0), by="belarus")], parties={"others": ["belarus"]})
    assert ids(v, "bm6.consult") == set()
    assert not v.not_fired


def test_a_refusal_breaches_on_its_day_and_names_the_refusal(tmp_path):
    v = check(tmp_path, [request("r", d(0)), refusal("x", d(4), "russia", "r")])
    o = ob(v, "bm6.consult/russia/r")
    assert (o.status, iso(o.breached_on), o.breached_by, o.met_by, o.deadline) == ("breached", d(4), "x", None, None)


def test_consulting_after_a_refusal_is_late(tmp_path):
    v = check(tmp_path, [request("r", d(0)), refusal("x", d(4), "russia", "r"),
                         consultation("c", d(9), ["russia", "ukraine"], about="r")])
    o = ob(v, "bm6.consult/russia/r")
    assert (o.status, o.met_by, iso(o.breached_on), o.breached_by) == ("late", "c", d(4), "x")


def test_a_refusal_after_consulting_changes_nothing(tmp_path):
    v = check(tmp_path, [request("r", d(0)), consultation("c", d(1), ["uk"]), refusal("x", d(2), "uk", "r")])
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, o.met_by, o.breached_on, o.breached_by) == ("fulfilled", "c", None, None)


@pytest.mark.parametrize("first", ["refusal", "consultation"])
def test_same_day_goes_to_the_first_in_the_file(tmp_path, first):
    events = [refusal("x", d(1), "usa", "r"), consultation("c", d(1), ["usa"], about="r")]
    if first == "consultation":
        events.reverse()
    v = check(tmp_path, [request("r", d(0))] + events)
    assert status(v, "bm6.consult/usa/r") == ("late" if first == "refusal" else "fulfilled")


def test_only_the_holders_own_refusal_about_this_request_counts(tmp_path):
    v = check(tmp_path, [request("r", d(0)), request("q", d(0), by="uk"), refusal("x", d(1), "usa", "q"),
                         refusal("y", d(1), "russia", "r")])
    assert status(v, "bm6.consult/usa/r") == "pending"
    assert status(v, "bm6.consult/usa/q") == "breached"
    assert status(v, "bm6.consult/uk/r") == "pending"


@pytest.mark.parametrize("day,expected", [(0, "fulfilled"), (3, "fulfilled"), (4, "late")])
def test_consultation_days_gives_the_duty_a_deadline(tmp_path, day, expected):
    v = check(tmp_path, [request("r", d(0)), consultation("c", d(day), ["uk"], about="r")],
              parameters={"consultation_days": 3})
    o = ob(v, "bm6.consult/uk/r")
    assert (iso(o.deadline), o.status) == (d(3), expected)
    # the other signatories missed it: breached the day after the deadline, by no event
    m = ob(v, "bm6.consult/usa/r")
    assert (m.status, iso(m.breached_on), m.breached_by) == ("breached", d(4), None)


def test_with_a_deadline_a_refusal_still_breaches_first(tmp_path):
    v = check(tmp_path, [request("r", d(0)), refusal("x", d(1), "uk", "r"), consultation("c", d(2), ["uk"])],
              parameters={"consultation_days": 3})
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, iso(o.breached_on), o.breached_by, o.met_by) == ("late", d(1), "x", "c")


def test_consultation_days_zero_is_due_the_same_day(tmp_path):
    v = check(tmp_path, [request("r", d(0)), consultation("c", d(0), ["uk"]), consultation("c2", d(1), ["usa"])],
              parameters={"consultation_days": 0})
    assert status(v, "bm6.consult/uk/r") == "fulfilled"
    assert status(v, "bm6.consult/usa/r") == "late"
