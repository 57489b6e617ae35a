"""bm6.consult (rules/budapest-1994/bm6_consult.lp): which consultation is named as meeting the
duty.

What an `expect:` block cannot see: of several consultations on the day the duty is met, the
one named includes the holder and is about this request or about none, and one held before
the request is never named.
"""

from __future__ import annotations

from tests.helpers import d, ob
from tests.rules.budapest._scenario import check, consultation, request


def test_the_consultation_named_includes_the_holder(tmp_path):
    v = check(tmp_path, [request("r", d(0)), consultation("c-uk", d(1), ["uk"]),
                         consultation("c-ru", d(1), ["russia"])])
    o = ob(v, "bm6.consult/russia/r")
    assert (o.status, o.met_by) == ("fulfilled", "c-ru")


def test_a_consultation_about_another_request_the_same_day_is_not_named(tmp_path):
    v = check(tmp_path, [request("r", d(0)), request("q", d(0), by="uk"),
                         consultation("c-q", d(2), ["russia"], about="q"), consultation("c-any", d(2), ["russia"])])
    assert ob(v, "bm6.consult/russia/r").met_by == "c-any"
    assert ob(v, "bm6.consult/russia/q").met_by == "c-q"


def test_a_consultation_before_the_request_is_not_named(tmp_path):
    v = check(tmp_path, [consultation("c-early", d(-1), ["russia"]), request("r", d(0)),
                         consultation("c-any", d(3), ["russia"])])
    o = ob(v, "bm6.consult/russia/r")
    assert (o.status, o.met_by) == ("fulfilled", "c-any")
