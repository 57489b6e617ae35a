"""art4.joint_decision (rules/istanbul-2022-04-15/art4_joint_decision.lp), and the day the draft's
assistance duties fire (art4_assist.lp), read `decision: unanimous`.

Contract: the decision about an attack A (day D) is taken on the first day X >= D on which
every guarantor that is a guarantor and bound on X has joined a `guarantor_decision` about A
dated D .. X. The duties fire on the later of X and Ukraine's request, and while no decision
is taken they are kept from firing by art4.joint_decision. Read `each`, decisions change
nothing. The edges a scenario's `expect:` block reads past: decisions on the attack's day or
before it, a guarantor acceding or bound on the very day of the decision, and a decision
taken in steps.
"""

from __future__ import annotations

from tests.helpers import appeal, attack, blocked, d, ev, iso, listed, ob, run

DRAFT = "istanbul-2022-04-15"
TWO = {"guarantors": ["uk", "usa"], "others": ["japan"]}


def decision(id, date, about, parties):
    return ev(id, date, "guarantor_decision", about=about, parties=list(parties))


def check(tmp_path, events, **top):
    top.setdefault("as_of", d(30))
    top.setdefault("parties", TWO)
    return run(tmp_path, events, treaty=DRAFT, **top)


def fired(v, ob_id):
    o = ob(v, ob_id)
    return iso(o.fired_on), iso(o.deadline)


def test_a_decision_on_the_day_of_the_attack_and_the_request_lets_the_duties_fire_that_day(tmp_path):
    v = check(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"), decision("j", d(0), "a", ["uk", "usa"])])
    assert fired(v, "art4.assist/uk/a") == (d(0), d(6))


def test_a_decision_before_the_request_lets_the_duties_fire_on_the_request(tmp_path):
    v = check(tmp_path, [attack("a", d(0)), decision("j", d(1), "a", ["uk", "usa"]), appeal("p", d(5), about="a")])
    assert fired(v, "art4.assist/uk/a") == (d(5), d(8))


def test_a_decision_taken_in_two_steps_is_taken_on_the_second(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(0), about="a"),
              decision("j1", d(1), "a", ["uk"]), decision("j2", d(5), "a", ["usa"])]
    assert fired(check(tmp_path, events), "art4.assist/uk/a") == (d(5), d(8))


def test_a_voice_given_before_the_attack_is_no_voice_about_it(tmp_path):
    events = [decision("early", d(0), "a", ["uk"]), attack("a", d(1)), appeal("p", d(1), about="a"),
              decision("j", d(2), "a", ["usa"])]
    assert blocked(check(tmp_path, events), "art4.assist/uk/a") == ("art4.joint_decision",)


def test_a_decision_before_the_attack_and_before_anyone_is_bound_decides_nothing(tmp_path):
    events = [decision("early", d(0), "a", ["uk", "usa"]), attack("a", d(2)), appeal("p", d(2), about="a")]
    v = check(tmp_path, events, in_force_from=d(1))
    assert blocked(v, "art4.assist/uk/a") == ("art4.joint_decision",)


def test_a_state_acceding_on_the_day_of_the_decision_has_a_voice_in_it(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(0), about="a"), ev("join", d(2), "accession", party="japan"),
              decision("j", d(2), "a", ["uk", "usa"])]
    assert blocked(check(tmp_path, events), "art4.assist/uk/a") == ("art4.joint_decision",)


def test_a_state_acceding_after_the_decision_has_no_voice_in_it(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(0), about="a"), decision("j", d(2), "a", ["uk", "usa"]),
              ev("join", d(3), "accession", party="japan")]
    assert fired(check(tmp_path, events), "art4.assist/uk/a") == (d(2), d(6))


def eif_with(ratifications):
    """Entry into force on d(0) (referendum, amendment, Ukraine's ratification), and the
    guarantors' ratifications on the days given."""
    return [ev("ref", d(0), "referendum", result="approved"), ev("amend", d(0), "constitutional_amendment"),
            ev("rat-ukraine", d(0), "ratification", party="ukraine"),
            *(ev(f"rat-{g}", d(day), "ratification", party=g) for g, day in ratifications.items())]


def test_a_guarantor_bound_on_the_day_of_the_decision_has_a_voice_in_it(tmp_path):
    events = [*eif_with({"uk": 0, "usa": 3}), attack("a", d(1)), appeal("p", d(1), about="a"),
              decision("j", d(3), "a", ["uk"])]
    assert blocked(check(tmp_path, events, in_force_from=None), "art4.assist/uk/a") == ("art4.joint_decision",)


def test_a_guarantor_bound_after_the_decision_has_no_voice_in_it(tmp_path):
    events = [*eif_with({"uk": 0, "usa": 3}), attack("a", d(1)), appeal("p", d(1), about="a"),
              decision("j", d(2), "a", ["uk"])]
    assert fired(check(tmp_path, events, in_force_from=None), "art4.assist/uk/a") == (d(2), d(7))


def test_read_each_a_later_decision_changes_nothing(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a"), decision("j", d(4), "a", ["uk", "usa"])]
    v = check(tmp_path, events, readings={"decision": "each"})
    assert fired(v, "art4.assist/uk/a") == (d(1), d(6))


def test_awaiting_the_decision_a_state_acceding_on_the_day_of_the_request_is_kept_from_owing(tmp_path):
    events = [attack("a", d(0)), ev("join", d(1), "accession", party="japan"), appeal("p", d(1), about="a")]
    assert blocked(check(tmp_path, events), "art4.assist/japan/a") == ("art4.joint_decision",)


def test_awaiting_the_decision_a_state_acceding_after_the_request_owes_nothing(tmp_path):
    events = [attack("a", d(0)), appeal("p", d(1), about="a"), ev("join", d(2), "accession", party="japan")]
    v = check(tmp_path, events)
    assert blocked(v, "art4.assist/uk/a") == ("art4.joint_decision",)
    assert not listed(v, "art4.assist/japan/a")
