"""The lifecycle (rules/common/lifecycle.lp) over possible worlds: what a complied duty carries.

What an `expect:` block cannot see: a maintenance duty nothing broke has no day of breach,
in a scenario with uncertain facts as in one with none.
"""

from __future__ import annotations

from tests.helpers import d, ev, ob, run


def test_a_complied_duty_has_no_breach_day_in_any_world(tmp_path):
    v = run(tmp_path, [{**ev("b", d(0), "foreign_base", by="usa"), "occurred": "maybe"}], as_of=d(10))
    o = ob(v, "art1.non_nuclear/ukraine")
    assert (o.status, o.certainty, o.breached_on, o.breached_by) == ("complied", "certain", None, None)
    assert ob(v, "art3.no_foreign_bases/ukraine").certainty == "possible"
