"""The shared lifecycle (rules/common/lifecycle.lp) where budapest-1994 reaches it: duties with
no deadline, and refusals, through bm6.consult; then the refusal rules on their own (a duty
written by hand), where they meet a deadline or an ending no duty of this pack has.

What an `expect:` block cannot see: which refusal is named and on which day the duty was
breached, when several refusals come, when a deadline was missed before the refusal, or on
the day before it; and that a duty met, refused or missed has that one status and no other
day of breach.
"""

from __future__ import annotations

import pytest

from tests.helpers import d, iso, ob
from tests.rules.budapest._scenario import check, consultation, refusal, request
from tests.rules.test_lifecycle import A, achievement

DAYS3 = {"consultation_days": 3}   # request on d(0): due by d(3), missed from d(4)


def test_the_first_refusal_is_named_and_dates_the_breach(tmp_path):
    v = check(tmp_path, [request("r", d(0)), refusal("x2", d(4), "uk", "r"), refusal("x1", d(2), "uk", "r"),
                         consultation("c", d(6), ["uk"])])
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, iso(o.breached_on), o.breached_by, o.met_by) == ("late", d(2), "x1", "c")


def test_of_two_refusals_on_one_day_the_first_in_the_file_is_named(tmp_path):
    v = check(tmp_path, [request("r", d(0)), refusal("x1", d(2), "uk", "r"), refusal("x2", d(2), "uk", "r")])
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, iso(o.breached_on), o.breached_by) == ("breached", d(2), "x1")


@pytest.mark.parametrize("day,breached_on,breached_by", [
    (3, 3, "x"),      # refused on the deadline day: the refusal breaches
    (4, 4, "x"),      # refused the day after: both breaches fall that day, the refusal is named
    (5, 4, None),     # refused later: the missed deadline came first, by no event
])
def test_a_deadline_missed_before_the_refusal_breaches_first(tmp_path, day, breached_on, breached_by):
    v = check(tmp_path, [request("r", d(0)), refusal("x", d(day), "uk", "r")], parameters=DAYS3)
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, iso(o.breached_on), o.breached_by) == ("breached", d(breached_on), breached_by)


def test_met_after_a_missed_deadline_and_a_later_refusal_is_late_from_the_deadline(tmp_path):
    v = check(tmp_path, [request("r", d(0)), refusal("x", d(6), "uk", "r"), consultation("c", d(8), ["uk"])],
              parameters=DAYS3)
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, o.met_by, iso(o.breached_on), o.breached_by) == ("late", "c", d(4), None)


def test_met_late_with_no_refusal_is_breached_the_day_after_the_deadline(tmp_path):
    v = check(tmp_path, [request("r", d(0)), consultation("c", d(5), ["uk"])], parameters=DAYS3)
    o = ob(v, "bm6.consult/uk/r")
    assert (o.status, o.met_by, iso(o.breached_on), o.breached_by) == ("late", "c", d(4), None)


def test_a_duty_with_no_deadline_has_one_status(tmp_path):
    v = check(tmp_path, [request("r", d(0)), consultation("c", d(1), ["uk"]), refusal("x", d(2), "russia", "r"),
                         refusal("y", d(3), "usa", "r"), consultation("c2", d(4), ["usa"])])
    got = {h: (o.status, o.deadline, o.met_by, iso(o.breached_on), o.breached_by)
           for h in ("ukraine", "uk", "russia", "usa") for o in [ob(v, f"bm6.consult/{h}/r")]}
    assert got == {"ukraine": ("pending", None, None, None, None),
                   "uk": ("fulfilled", None, "c", None, None),
                   "russia": ("breached", None, None, d(2), "x"),
                   "usa": ("late", None, "c2", d(3), "y")}


# --- the refusal rules on their own: duty A fires on day 5, due by day 10 -------------------
def test_refused_before_the_deadline_then_again_after_it_is_breached_by_the_first_refusal():
    got = achievement(f'seq("x1", 1). seq("x2", 2). refuses({A}, "x1", 6). refuses({A}, "x2", 12).')
    assert (got["status"], got["breached_on"], got["breached_by"]) == ({A: ["breached"]}, {A: [6]}, {A: ["x1"]})


def test_met_on_time_then_refused_after_the_deadline_has_no_day_of_breach():
    got = achievement(f'seq("e", 1). seq("x", 2). meets({A}, "e", 7). refuses({A}, "x", 12).')
    assert got["status"] == {A: ["fulfilled"]}
    assert "breached_on" not in got and "breached_by" not in got


@pytest.mark.parametrize("day,expected", [(7, "breached"), (8, "breached"), (9, "discharged")])
def test_a_refusal_on_or_before_the_ending_day_stands(day, expected):
    got = achievement(f'seq("x", 1). seq("m", 2). refuses({A}, "x", {day}). ends({A}, "m", 8).')
    assert got["status"] == {A: [expected]}
