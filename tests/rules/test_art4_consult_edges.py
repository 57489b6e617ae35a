"""art4.consult (rules/istanbul-2022/art4_consult.lp): which consultation meets the duty, and who owes it.

What an `expect:` block cannot see: a state that accedes after the attack holds no duty at
all (not even one blocked as not bound), and the consultation named as meeting the duty is
the holder's own, about no attack in particular, held on the day the duty looks at.
"""

from __future__ import annotations

from tests.helpers import attack, consult, d, ev, listed, ob, run

TWO = {"guarantors": ["uk", "usa"], "others": ["japan"]}


def test_a_state_acceding_after_the_attack_owes_no_consultation_about_it(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), ev("j", d(1), "accession", party="japan")], as_of=d(10), parties=TWO)
    assert not listed(v, "art4.consult/japan/a")
    assert listed(v, "art4.consult/uk/a")


def test_the_general_consultation_that_meets_is_the_first_on_or_after_the_attack(tmp_path):
    events = [consult("before", d(-2), ["ukraine", "uk"]), attack("a", d(0)),
              consult("after", d(2), ["ukraine", "uk"])]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO), "art4.consult/uk/a")
    assert (o.status, o.met_by) == ("fulfilled", "after")


def test_on_that_day_a_consultation_about_another_attack_or_without_the_holder_does_not_meet(tmp_path):
    events = [attack("a", d(0)), attack("b", d(0), regions=["lviv"]),
              consult("about-b", d(1), ["ukraine", "uk"], about="b"),
              consult("without-uk", d(1), ["ukraine", "usa"]),
              consult("general", d(1), ["ukraine", "uk"])]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO), "art4.consult/uk/a")
    assert (o.status, o.met_by) == ("fulfilled", "general")
