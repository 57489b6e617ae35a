"""The shared lifecycle (rules/common/lifecycle.lp) on its own: a duty ended before it fell due
is discharged and nothing else, with a deadline or without one (as bm6.consult may be), met,
refused or missed after the ending.

budapest-1994 loads these rules, but no duty of it can be ended (no ends/3): the limbs that
keep a discharged duty from also being fulfilled, pending, late or breached, which this
pack's duties with no deadline and refusals go through, are pinned here on a duty written
by hand (duty A fires on day 5, due by day 10, and is ended on day 6).
"""

from __future__ import annotations

import pytest

from tests.rules.test_lifecycle import A, achievement, lifecycle

U = 'ob("p.und",h,t)'


def undated(extra: str, as_of: int = 100):
    """Duty U, of a provision that may lack a deadline, fires on day 5 and has none."""
    return lifecycle(f'provision("p.und", achievement). provision_deadline("p.und", none). '
                     f'would_fire({U}, 5).\n' + extra, as_of)


@pytest.mark.parametrize("extra,as_of", [
    (f'seq("e", 1). meets({A}, "e", 8).', 100),                                  # met on time, after the ending
    ("", 8),                                                                      # not met, not due yet
    (f'seq("x", 1). refuses({A}, "x", 9).', 100),                                # refused after the ending
    (f'seq("x", 1). refuses({A}, "x", 9). seq("e", 3). meets({A}, "e", 12).', 100),  # ...then met late
    (f'seq("x", 1). refuses({A}, "x", 12).', 100),                               # refused after the deadline
])
def test_a_duty_ended_before_it_fell_due_is_discharged_and_nothing_else(extra, as_of):
    got = achievement(f'seq("m", 2). ends({A}, "m", 6). ' + extra, as_of=as_of)
    assert got["status"] == {A: ["discharged"]}
    assert "breached_on" not in got and "breached_by" not in got


@pytest.mark.parametrize("extra", [f'seq("e", 1). meets({U}, "e", 8).', ""])
def test_a_duty_with_no_deadline_ended_is_discharged_and_nothing_else(extra):
    got = undated(f'seq("m", 2). ends({U}, "m", 6). ' + extra)
    assert got["status"] == {U: ["discharged"]}


@pytest.mark.parametrize("extra,expected", [(f'seq("e", 1). meets({U}, "e", 8).', "fulfilled"), ("", "pending")])
def test_a_duty_with_no_deadline_not_ended_is_fulfilled_or_pending(extra, expected):
    assert undated(extra)["status"] == {U: [expected]}
