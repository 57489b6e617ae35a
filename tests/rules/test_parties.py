"""Parties (rules/istanbul-2022/parties.lp): who the guarantors are; accession.

Contract: Ukraine, and the guarantors of the written list unless the scenario replaces it
(`parties: guarantors: [...]`); default-list names stay known, but a state left out is not a
party. States under `others` are not parties (never bound, never holders of a duty) but can
attack, take part in exercises, or be consulted. A state that accedes is a guarantor from its
accession day.
"""

from __future__ import annotations

from checker.errors import ScenarioError
from tests.helpers import (
    GUARANTORS,
    appeal,
    assist,
    attack,
    blocked,
    consult,
    d,
    ev,
    ids,
    listed,
    not_fired_ids,
    ob,
    run,
    status,
)


def holders(v):
    return {o.holder for o in v.obligations} | {n.holder for n in v.not_fired}


def test_default_list_is_the_eleven_of_point_1(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="unknown")], as_of=d(10))
    assert v.scenario.roles["guarantors"] == GUARANTORS
    assert holders(v) == set(GUARANTORS) | {"ukraine"}
    assert ids(v, "art4.consult") == {f"art4.consult/{g}/a" for g in GUARANTORS}


def test_override_list_replaces_the_default(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="unknown")], as_of=d(10), parties={"guarantors": ["uk", "usa"]})
    assert holders(v) == {"uk", "usa", "ukraine"}
    assert not listed(v, "art1.guarantee/russia")
    assert not listed(v, "art8.no_force_crimea/russia")
    assert not listed(v, "art4.consult/china/a")


def test_a_default_guarantor_left_out_stays_a_known_name_without_duties(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia"), appeal("p", d(0), about="a"),
                       consult("c", d(1), ["uk", "russia", "china"], about="a"),
                       assist("h", d(1), "china", about="a"), ev("sig", d(0), "signature", party="china")],
            as_of=d(10), parties={"guarantors": ["uk", "usa"]})
    # russia's attack still qualifies and sets the listed guarantors' duties off
    assert status(v, "art4.consult/uk/a") == "fulfilled"
    assert status(v, "art4.assist/uk/a") == "breached"
    assert not {h for h in holders(v)} & {"russia", "china"}
    assert not listed(v, "art5.report/china/h")


def test_others_never_hold_duties(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="belarus"), appeal("p", d(0), about="a"),
                       consult("c", d(1), ["uk", "belarus"], about="a"), assist("h", d(1), "belarus", about="a"),
                       ev("x", d(2), "military_exercise", participants=["belarus", "ukraine"]),
                       ev("s", d(0), "signature", party="belarus"), ev("r", d(0), "ratification", party="belarus")],
            as_of=d(10), parties={"guarantors": ["uk"], "others": ["belarus"]})
    assert "belarus" not in holders(v)
    assert status(v, "art4.consult/uk/a") == "fulfilled"
    assert ob(v, "art3.exercise_consent/ukraine").breached_by == "x"


def test_others_alongside_the_default_list(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="belarus")], as_of=d(10), parties={"others": ["belarus"]})
    assert v.scenario.roles["guarantors"] == GUARANTORS
    assert holders(v) == set(GUARANTORS) | {"ukraine"}


def test_an_other_that_accedes_becomes_a_guarantor_from_its_accession_day(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), ev("acc", d(2), "accession", party="belarus"), attack("b", d(3)),
                       ev("acc2", d(5), "accession", party="belarus")],
            as_of=d(10), parties={"guarantors": ["uk"], "others": ["belarus"]})
    assert not listed(v, "art4.consult/belarus/a")
    assert status(v, "art4.consult/belarus/b") == "breached"
    assert status(v, "art1.guarantee/belarus") == "complied"


def test_a_default_guarantor_left_out_may_accede(tmp_path):
    v = run(tmp_path, [ev("acc", d(2), "accession", party="china"), attack("b", d(3))], as_of=d(10),
            parties={"guarantors": ["uk"]})
    assert status(v, "art4.consult/china/b") == "breached"


def test_accession_of_a_listed_guarantor_changes_nothing(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), ev("acc", d(2), "accession", party="uk")], as_of=d(10),
            parties={"guarantors": ["uk"]})
    assert status(v, "art4.consult/uk/a") == "breached"


def test_ukraine_holds_no_guarantor_duty(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0)), assist("h", d(1), "ukraine")], as_of=d(10),
            parties={"guarantors": ["uk"]})
    assert {o.provision for o in v.obligations if o.holder == "ukraine"} == {
        "art1.non_nuclear", "art3.no_alliance", "art3.no_foreign_bases", "art3.no_foreign_troops",
        "art3.exercise_consent", "art8.no_force_crimea"}
    assert not not_fired_ids(v)
    assert blocked(v, "art5.report/ukraine/h") is None


def test_ukraine_cannot_accede_as_its_own_guarantor(tmp_path):
    try:
        v = run(tmp_path, [ev("acc", d(0), "accession", party="ukraine"), attack("a", d(1))], as_of=d(10),
                parties={"guarantors": ["uk"]})
    except ScenarioError:
        return  # rejecting the file is as good
    assert not listed(v, "art4.consult/ukraine/a")
    assert not listed(v, "art1.guarantee/ukraine")


def test_a_new_name_on_the_guarantors_list_is_a_guarantor(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="japan")], as_of=d(10), parties={"guarantors": ["uk", "japan"]})
    assert status(v, "art4.consult/japan/a") == "breached"
    assert status(v, "art1.guarantee/japan") == "breached"
