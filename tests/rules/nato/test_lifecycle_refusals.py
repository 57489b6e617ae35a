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
