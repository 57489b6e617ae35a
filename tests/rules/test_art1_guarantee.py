"""art1.guarantee (rules/istanbul-2022/art1_guarantee.lp): the guarantors respect the guarantee.

Contract: a maintenance duty of each bound guarantor, fired on the day it is bound, breached
by a qualifying attack carried out `by` the holder.
"""

from __future__ import annotations

import pytest

from tests.helpers import GUARANTORS, attack, blocked, d, finding, ids, iso, listed, ob, run, status

TWO = {"guarantors": ["russia", "uk"]}


def test_every_bound_guarantor_holds_the_duty_from_its_bound_day(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="unknown")], in_force_from=d(-5), as_of=d(10))
    assert ids(v, "art1.guarantee/") == {f"art1.guarantee/{g}" for g in GUARANTORS}
    for g in GUARANTORS:
        o = ob(v, f"art1.guarantee/{g}")
        assert (o.kind, o.holder, o.trigger, o.deadline, o.status) == ("maintenance", g, None, None, "complied")
        assert iso(o.fired_on) == d(-5)
    assert not listed(v, "art1.guarantee/ukraine")


def test_a_qualifying_attack_by_the_holder_breaches(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia", kind="hybrid_war")], as_of=d(10), parties=TWO)
    o = ob(v, "art1.guarantee/russia")
    assert (o.status, o.breached_by, iso(o.breached_on), o.met_by) == ("breached", "a", d(0), None)
    assert status(v, "art1.guarantee/uk") == "complied"


@pytest.mark.parametrize("kind", ["aggression", "armed_attack", "military_operation", "disguised_war",
                                  "hybrid_war"])
def test_every_qualifying_kind_breaches(tmp_path, kind):
    v = run(tmp_path, [attack("a", d(0), by="uk", kind=kind)], as_of=d(10), parties=TWO)
    assert status(v, "art1.guarantee/uk") == "breached"


def test_an_incident_does_not_breach(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="uk", kind="incident")], as_of=d(10), parties=TWO)
    assert status(v, "art1.guarantee/uk") == "complied"


def test_an_attack_only_in_excluded_regions_does_not_breach(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia", regions=["crimea", "luhansk_occupied"])], as_of=d(10),
            parties=TWO)
    assert status(v, "art1.guarantee/russia") == "complied"


def test_an_attack_touching_a_covered_region_breaches(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia", regions=["crimea", "kherson"])], as_of=d(10), parties=TWO)
    assert status(v, "art1.guarantee/russia") == "breached"


def test_an_attack_by_unknown_breaches_nobody(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="unknown")], as_of=d(10), parties=TWO)
    assert {o.status for o in v.obligations if o.provision == "art1.guarantee"} == {"complied"}


def test_an_attack_before_the_holder_is_bound_does_not_breach(tmp_path):
    v = run(tmp_path, [attack("a", d(-1), by="russia")], in_force_from=d(0), as_of=d(10), parties=TWO)
    assert status(v, "art1.guarantee/russia") == "complied"


def test_an_attack_on_the_bound_day_breaches(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia")], in_force_from=d(0), as_of=d(10), parties=TWO)
    assert status(v, "art1.guarantee/russia") == "breached"


def test_an_attack_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [attack("a", d(5), by="russia")], parties=TWO, check={"as_of": d(4)})
    assert status(v, "art1.guarantee/russia") == "complied"
    assert v.scenario.ignored_events == 1


def test_the_first_violation_is_named(tmp_path):
    v = run(tmp_path, [attack("late", d(5), by="russia"), attack("early", d(2), by="russia", regions=["sumy"])],
            as_of=d(10), parties=TWO)
    o = ob(v, "art1.guarantee/russia")
    assert (o.breached_by, iso(o.breached_on)) == ("early", d(2))


@pytest.mark.parametrize("order", [("x", "y"), ("y", "x")])
def test_ties_go_to_the_first_in_the_file(tmp_path, order):
    first, second = order
    v = run(tmp_path, [attack(first, d(2), by="russia"), attack(second, d(2), by="russia", regions=["sumy"])],
            as_of=d(10), parties=TWO)
    assert ob(v, "art1.guarantee/russia").breached_by == first


def test_a_provocation_finding_does_not_excuse_the_attacker(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="russia"), finding("f", d(1), "a")], as_of=d(10), parties=TWO)
    assert status(v, "art1.guarantee/russia") == "breached"


def test_a_guarantor_not_bound_by_as_of_is_not_fired(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="unknown")], in_force_from=None, as_of=d(10), parties=TWO)
    assert blocked(v, "art1.guarantee/uk") == ("art7.not_bound",)
    assert not ids(v)


def test_a_non_party_attacker_holds_no_duty(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="belarus")], as_of=d(10),
            parties={"guarantors": ["uk"], "others": ["belarus"]})
    assert not listed(v, "art1.guarantee/belarus")
    assert status(v, "art4.consult/uk/a") == "breached"
