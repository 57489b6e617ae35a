"""art3.exercise_consent (rules/istanbul-2022/art3_exercise_consent.lp).

Contract: a `military_exercise` on day X breaches Ukraine's duty unless it has a `consent`
about it, dated on or before X, from every guarantor bound on X (reading exercise_consent:
all, default) or from more than half of them (majority); a consent given before the guarantor
was bound counts; when no guarantor is bound on X nothing is required.
"""

from __future__ import annotations

import pytest

from tests.helpers import blocked, d, ev, iso, ob, run, status

ID = "art3.exercise_consent/ukraine"
THREE = {"guarantors": ["uk", "usa", "france"], "others": ["belarus"]}
FOUR = {"guarantors": ["uk", "usa", "france", "italy"]}


def exercise(id, date, participants=("usa", "ukraine")):
    return ev(id, date, "military_exercise", participants=list(participants))


def consent(id, date, by, about="x"):
    return ev(id, date, "consent", by=by, about=about)


def _run(tmp_path, consenters, parties=THREE, day=1, reading=None, **top):
    events = [exercise("x", d(5))] + [consent(f"c-{g}", d(day), g) for g in consenters]
    if reading:
        top["readings"] = {"exercise_consent": reading}
    return run(tmp_path, events, as_of=d(10), parties=parties, **top)


def test_no_exercise_complied(tmp_path):
    v = run(tmp_path, [], as_of=d(10), parties=THREE)
    assert status(v, ID) == "complied"


def test_all_consent_complied(tmp_path):
    assert status(_run(tmp_path, ["uk", "usa", "france"]), ID) == "complied"


def test_one_missing_breaches_under_all(tmp_path):
    v = _run(tmp_path, ["uk", "usa"])
    o = ob(v, ID)
    assert (o.status, o.breached_by, iso(o.breached_on)) == ("breached", "x", d(5))


def test_no_consent_at_all_breaches(tmp_path):
    assert status(_run(tmp_path, []), ID) == "breached"


@pytest.mark.parametrize("consenters,parties,expected", [
    (["uk", "usa"], THREE, "complied"),
    (["uk"], THREE, "breached"),
    (["uk", "usa"], FOUR, "breached"),            # half is not more than half
    (["uk", "usa", "france"], FOUR, "complied"),
])
def test_majority_reading(tmp_path, consenters, parties, expected):
    assert status(_run(tmp_path, consenters, parties=parties, reading="majority"), ID) == expected


def test_majority_reading_by_override(tmp_path):
    v = run(tmp_path, [exercise("x", d(5)), consent("c1", d(1), "uk"), consent("c2", d(1), "usa")], as_of=d(10),
            parties=THREE, check={"readings": {"exercise_consent": "majority"}})
    assert status(v, ID) == "complied"


@pytest.mark.parametrize("day,expected", [(5, "complied"), (6, "breached")])
def test_consent_on_the_exercise_day_counts_after_it_does_not(tmp_path, day, expected):
    v = run(tmp_path, [exercise("x", d(5)), consent("c1", d(1), "uk"), consent("c2", d(1), "usa"),
                       consent("c3", d(day), "france")], as_of=d(10), parties=THREE)
    assert status(v, ID) == expected


def test_consent_given_before_the_guarantor_was_bound_counts(tmp_path):
    v = run(tmp_path, [consent("c1", d(-30), "uk"), consent("c2", d(-30), "usa"), consent("c3", d(-30), "france"),
                       exercise("x", d(5))], in_force_from=d(0), as_of=d(10), parties=THREE)
    assert status(v, ID) == "complied"


def test_consent_from_a_non_party_does_not_count(tmp_path):
    assert status(_run(tmp_path, ["uk", "usa", "belarus"]), ID) == "breached"


def test_the_same_guarantor_twice_counts_once(tmp_path):
    v = run(tmp_path, [exercise("x", d(5)), consent("c1", d(1), "uk"), consent("c2", d(2), "uk")], as_of=d(10),
            parties=THREE, readings={"exercise_consent": "majority"})
    assert status(v, ID) == "breached"


def test_consent_about_another_exercise_does_not_count(tmp_path):
    v = run(tmp_path, [exercise("x", d(5)), exercise("y", d(1)), consent("c1", d(1), "uk", about="y"),
                       consent("c2", d(1), "usa", about="y"), consent("c3", d(1), "france", about="y")],
            as_of=d(10), parties=THREE)
    assert ob(v, ID).breached_by == "x"


def test_only_guarantors_bound_on_the_day_are_asked(tmp_path):
    # Belarus accedes on d(6): the exercise of d(5) needs only the three listed guarantors
    v = run(tmp_path, [exercise("x", d(5)), consent("c1", d(1), "uk"), consent("c2", d(1), "usa"),
                       consent("c3", d(1), "france"), ev("acc", d(6), "accession", party="belarus"),
                       exercise("y", d(8)), consent("d1", d(7), "uk", about="y"),
                       consent("d2", d(7), "usa", about="y"), consent("d3", d(7), "france", about="y")],
            as_of=d(10), parties=THREE)
    # ...but the exercise of d(8) also needs Belarus, bound since its accession
    assert ob(v, ID).breached_by == "y"


@pytest.mark.parametrize("reading", ["all", "majority"])
def test_no_guarantor_bound_means_nothing_required(tmp_path, reading):
    # Ukraine is bound by entry into force; no guarantor has signed or ratified
    events = [ev("ref", d(0), "referendum", result="approved"), ev("am", d(0), "constitutional_amendment"),
              ev("ra", d(0), "ratification", party="ukraine"), exercise("x", d(5))]
    v = run(tmp_path, events, in_force_from=None, as_of=d(10), parties=THREE,
            readings={"exercise_consent": reading})
    assert status(v, ID) == "complied"
    assert blocked(v, "art1.guarantee/uk") == ("art7.not_bound",)


def test_an_exercise_before_ukraine_is_bound_is_no_breach(tmp_path):
    v = run(tmp_path, [exercise("x", d(-1))], in_force_from=d(0), as_of=d(10), parties=THREE)
    assert status(v, ID) == "complied"


def test_first_of_two_unconsented_exercises_named(tmp_path):
    v = run(tmp_path, [exercise("x2", d(5)), exercise("x1", d(5)), exercise("x0", d(7))], as_of=d(10),
            parties=THREE)
    assert ob(v, ID).breached_by == "x2"
