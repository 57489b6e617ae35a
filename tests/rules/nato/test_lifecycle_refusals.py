"""Refusals in the shared lifecycle (rules/common/lifecycle.lp), through nato-1949's Article 4.

What an `expect:` block cannot see: the day of a breach and the event named as breaching.
Contract: a refusal breaches a duty on its own day and is named; a refusal that comes after
the deadline had already passed (later than the day after it) leaves the earlier breach,
on the deadline + 1, by no event; a refusal on the day after the deadline is that breach.
"""

from __future__ import annotations

from tests.helpers import ev, iso, ob
from tests.rules.nato.test_membership import request
from tests.rules.nato.test_triggers import nato


def refusal(id, date, by, about="q"):
    return ev(id, date, "refusal", by=by, means="consultation", about=about)


def test_the_breach_day_and_event_of_a_refusal_before_and_after_the_deadline(tmp_path):
    events = [request("q", "2027-05-01", ["poland"]),                   # due 2027-05-04
              refusal("within", "2027-05-03", "turkey"), ev("nac", "2027-05-04", "council_meeting", about="q",
                                                            absent=["hungary", "greece"]),
              refusal("day-after", "2027-05-05", "greece"), refusal("later", "2027-05-06", "hungary")]
    v = nato(tmp_path, events, as_of="2027-05-20", parameters={"consultation_days": 3})

    def seen(holder):
        o = ob(v, f"art4.consult/{holder}/q")
        return o.status, iso(o.breached_on), o.breached_by

    assert seen("turkey") == ("late", "2027-05-03", "within")     # refused, then met
    assert seen("greece") == ("breached", "2027-05-05", "day-after")
    assert seen("hungary") == ("breached", "2027-05-05", None)     # the missed deadline came first
    assert seen("usa") == ("fulfilled", None, None)


def test_of_two_refusals_the_first_breaches_and_is_named(tmp_path):
    events = [request("q", "2027-05-01", ["poland"]), refusal("first", "2027-05-02", "turkey"),
              refusal("again", "2027-05-05", "turkey"), refusal("same-day-1", "2027-05-03", "greece"),
              refusal("same-day-2", "2027-05-03", "greece"), ev("nac", "2027-05-04", "council_meeting", about="q",
                                                                absent=["greece"])]
    v = nato(tmp_path, events, as_of="2027-05-20")

    def seen(holder):
        o = ob(v, f"art4.consult/{holder}/q")
        return o.status, iso(o.breached_on), o.breached_by

    assert seen("turkey") == ("late", "2027-05-02", "first")       # refused, met, refused again
    assert seen("greece") == ("breached", "2027-05-03", "same-day-1")


def test_a_late_second_refusal_does_not_move_the_breach_of_the_first(tmp_path):
    events = [request("q", "2027-05-01", ["poland"]), refusal("first", "2027-05-02", "greece"),
              refusal("after-the-time", "2027-05-08", "greece")]                 # due 2027-05-04
    o = ob(nato(tmp_path, events, as_of="2027-05-20", parameters={"consultation_days": 3}), "art4.consult/greece/q")
    assert (o.status, iso(o.breached_on), o.breached_by) == ("breached", "2027-05-02", "first")


def test_a_refusal_after_the_duty_was_met_leaves_no_breach_in_any_world(tmp_path):
    events = [{**request("maybe", "2027-04-01", ["norway"]), "occurred": "maybe"},
              request("q", "2027-05-01", ["poland"]), ev("nac", "2027-05-02", "council_meeting", about="q"),
              refusal("soon", "2027-05-03", "turkey"), refusal("long-after", "2027-05-08", "greece")]
    v = nato(tmp_path, events, as_of="2027-05-20", parameters={"consultation_days": 3})
    for holder in ("turkey", "greece"):
        o = ob(v, f"art4.consult/{holder}/q")
        assert (o.status, o.certainty, o.breached_on, o.breached_by) == ("fulfilled", "certain", None, None)
