"""art4.assist (rules/istanbul-2022/art4_assist.lp): who owes help, which appeal sets it off, what meets it.

What an `expect:` block cannot see: a state that accedes after the appeal holds no duty at
all, two appeals on one day give the duties of the first in the file only (as_requested),
and the help named as meeting a duty is one by the means it asks for. And the edges of what
an appeal or help is about: dated before the attack, about another attack, about none.
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


def test_a_state_acceding_on_the_day_of_the_appeal_owes_help(tmp_path):
    events = [attack("a", d(0)), ev("j", d(1), "accession", party="japan"), appeal("p", d(1), about="a")]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO), "art4.assist/japan/a")
    assert iso(o.fired_on) == d(1)


def test_an_appeal_about_an_attack_dated_before_it_sets_nothing_off(tmp_path):
    events = [appeal("early", d(0), about="a"), attack("a", d(1))]
    assert not ids(run(tmp_path, events, as_of=d(10), parties=TWO), "art4.assist")


def test_an_appeal_about_another_attack_does_not_hide_a_later_general_one(tmp_path):
    events = [attack("a", d(0)), attack("b", d(0), regions=["odesa"]), appeal("pb", d(1), about="b"),
              appeal("general", d(3))]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO), "art4.assist/uk/a")
    assert (o.trigger, iso(o.fired_on)) == ("a", d(3))


def test_on_one_day_an_appeal_about_another_attack_is_no_general_appeal(tmp_path):
    events = [attack("a", d(0)), attack("b", d(0), regions=["odesa"]),
              appeal("pb", d(1), about="b", requests=["airspace_closure"]), appeal("general", d(1), requests=["armaments"])]
    v = run(tmp_path, events, as_of=d(10), parties=TWO, **AS_REQUESTED)
    assert {i for i in ids(v, "art4.assist") if i.endswith("/a")} == {"art4.assist.armaments/uk/a",
                                                                      "art4.assist.armaments/usa/a"}


def test_help_about_the_attack_dated_before_it_does_not_meet(tmp_path):
    events = [assist("early", d(0), "uk", about="a"), attack("a", d(1)), appeal("p", d(1), about="a")]
    assert ob(run(tmp_path, events, as_of=d(20), parties=TWO), "art4.assist/uk/a").status == "breached"


def test_general_help_by_another_means_first_does_not_hide_help_by_the_means_asked(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a", requests=["armaments"]),
              assist("troops", d(2), "uk", means="armed_force"), assist("arms", d(3), "uk")]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO, **AS_REQUESTED), "art4.assist.armaments/uk/a")
    assert (o.status, o.met_by) == ("fulfilled", "arms")
