"""art4.assist (rules/istanbul-2022/art4_assist.lp): who owes help, which appeal sets it off, what meets it.

What an `expect:` block cannot see: a state that accedes after the appeal holds no duty at
all, two appeals on one day give the duties of the first in the file only (as_requested),
and the help named as meeting a duty is one by the means it asks for.
"""

from __future__ import annotations

from tests.helpers import appeal, assist, attack, d, ev, ids, iso, listed, ob, run

TWO = {"guarantors": ["uk", "usa"], "others": ["japan"]}
AS_REQUESTED = {"readings": {"assistance_means": "as_requested"}}


def test_a_state_acceding_after_the_appeal_owes_no_help(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a"), ev("j", d(2), "accession", party="japan")]
    v = run(tmp_path, events, as_of=d(10), parties=TWO)
    assert not listed(v, "art4.assist/japan/a")
    assert listed(v, "art4.assist/uk/a")


def test_two_appeals_on_one_day_the_first_in_the_file_sets_the_duties(tmp_path):
    events = [attack("a", d(0)), appeal("p1", d(1), about="a", requests=["armaments"]),
              appeal("p2", d(1), about="a", requests=["airspace_closure"])]
    v = run(tmp_path, events, as_of=d(10), parties=TWO, **AS_REQUESTED)
    assert ids(v, "art4.assist") == {"art4.assist.armaments/uk/a", "art4.assist.armaments/usa/a"}


def test_general_help_by_another_means_on_the_same_day_does_not_meet(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a", requests=["armaments"]),
              assist("skies", d(4), "uk", means="airspace_closure"), assist("arms", d(4), "uk")]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO, **AS_REQUESTED), "art4.assist.armaments/uk/a")
    assert (o.status, o.met_by) == ("fulfilled", "arms")


def test_an_early_appeal_gives_one_deadline_after_the_consultation_window(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a"), assist("h", d(5), "uk", about="a")]
    for uncertain in (False, True):
        extra = [{**ev("x", d(2), "foreign_base", by="usa"), "occurred": "maybe"}] if uncertain else []
        o = ob(run(tmp_path, events + extra, as_of=d(20), parties=TWO), "art4.assist/uk/a")
        assert (o.status, o.certainty, iso(o.deadline)) == ("fulfilled", "certain", d(6))
