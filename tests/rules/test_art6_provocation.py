"""art6.provocation (rules/istanbul-2022/art6_provocation.lp): guarding against provocations.

Contract: for art4.assist only, an attack about which a `finding` with `result: provocation`
is dated on or before the assist deadline does not qualify: the assistance duties are not
fired, blocked by art6.provocation.
"""

from __future__ import annotations

import pytest

from tests.helpers import appeal, assist, attack, blocked, d, finding, ids, listed, run, status

TWO = {"guarantors": ["uk", "usa"]}


def _war(*more):
    """An attack on d(0) and an appeal on d(1): assistance deadline d(6)."""
    return [attack("a", d(0)), appeal("p", d(1), about="a"), *more]


@pytest.mark.parametrize("day", [0, 1, 3, 6])
def test_provocation_found_by_the_deadline_blocks_assistance(tmp_path, day):
    v = run(tmp_path, _war(finding("f", d(day), "a")), as_of=d(20), parties=TWO)
    assert blocked(v, "art4.assist/uk/a") == ("art6.provocation",)
    assert blocked(v, "art4.assist/usa/a") == ("art6.provocation",)
    assert not ids(v, "art4.assist")


def test_provocation_found_after_the_deadline_blocks_nothing(tmp_path):
    v = run(tmp_path, _war(finding("f", d(7), "a")), as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"


def test_provocation_found_after_the_deadline_with_assistance_on_time(tmp_path):
    v = run(tmp_path, _war(assist("h", d(2), "uk"), finding("f", d(8), "a")), as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "fulfilled"


def test_a_finding_of_aggression_blocks_nothing(tmp_path):
    v = run(tmp_path, _war(finding("f", d(2), "a", result="aggression")), as_of=d(20), parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"


def test_a_finding_about_another_attack_blocks_nothing(tmp_path):
    v = run(tmp_path, _war(attack("b", d(0), regions=["odesa"]), finding("f", d(2), "b")), as_of=d(20),
            parties=TWO)
    assert status(v, "art4.assist/uk/a") == "breached"


def test_a_finding_after_as_of_has_not_been_made(tmp_path):
    v = run(tmp_path, _war(finding("f", d(3), "a")), parties=TWO, check={"as_of": d(2)})
    assert status(v, "art4.assist/uk/a") == "pending"
    assert v.scenario.ignored_events == 1


def test_consultations_still_fire(tmp_path):
    v = run(tmp_path, _war(finding("f", d(1), "a")), as_of=d(20), parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"


def test_the_deadline_follows_the_parameters(tmp_path):
    v = run(tmp_path, _war(finding("f", d(8), "a")), as_of=d(20), parties=TWO, parameters={"assistance_days": 5})
    assert blocked(v, "art4.assist/uk/a") == ("art6.provocation",)


def test_every_requested_means_is_blocked(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a", requests=["armaments", "armed_force"]),
                       finding("f", d(2), "a")], as_of=d(20), parties=TWO,
            readings={"assistance_means": "as_requested"})
    for means in ("armaments", "armed_force"):
        assert blocked(v, f"art4.assist.{means}/uk/a") == ("art6.provocation",)


def test_without_an_appeal_nothing_is_listed(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), finding("f", d(1), "a")], as_of=d(20), parties=TWO)
    assert not listed(v, "art4.assist/uk/a")


def test_provocation_by_a_guarantor_still_breaks_the_guarantee(tmp_path):
    # the provocation limb is for art4.assist only
    v = run(tmp_path, _war(finding("f", d(1), "a")), as_of=d(20), parties={"guarantors": ["russia", "uk"]})
    assert status(v, "art1.guarantee/russia") == "breached"


def test_excluded_and_provoked_lists_both(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["crimea"]), appeal("p", d(1), about="a"),
                       finding("f", d(1), "a")], as_of=d(20), parties=TWO)
    assert blocked(v, "art4.assist/uk/a") == ("art2.excluded_territory", "art6.provocation")
