"""art2.excluded_territory (rules/istanbul-2022/art2_scope.lp): which attacks qualify.

Contract: an `attack` qualifies when it is not by Ukraine, its kind is one of aggression,
armed_attack, military_operation, disguised_war, hybrid_war, and at least one of its regions
is not excluded (default: crimea, sevastopol, donetsk_occupied, luhansk_occupied; `ukraine`
never). An attack only in excluded regions fires nothing under art4: each duty it would have
created is not fired, blocked by art2.excluded_territory. By Ukraine or an incident: nothing.
"""

from __future__ import annotations

import pytest

from tests.helpers import appeal, attack, blocked, d, ids, not_fired_ids, run, status

TWO = {"guarantors": ["uk", "usa"]}
QUALIFYING = ("aggression", "armed_attack", "military_operation", "disguised_war", "hybrid_war")
DEFAULT_EXCLUDED = ("crimea", "sevastopol", "donetsk_occupied", "luhansk_occupied")


def _art4(v):
    return ids(v, "art4.") | not_fired_ids(v, "art4.")


@pytest.mark.parametrize("kind", QUALIFYING)
def test_every_qualifying_kind_fires(tmp_path, kind):
    v = run(tmp_path, [attack("a", d(0), kind=kind, by="unknown"), appeal("p", d(0))], as_of=d(10), parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"
    assert status(v, "art4.assist/uk/a") == "breached"


def test_an_incident_is_an_absent_trigger(tmp_path):
    v = run(tmp_path, [attack("a", d(0), kind="incident"), appeal("p", d(0), about="a")], as_of=d(10),
            parties=TWO)
    assert not _art4(v)


def test_an_attack_by_ukraine_is_an_absent_trigger(tmp_path):
    v = run(tmp_path, [attack("a", d(0), by="ukraine"), appeal("p", d(0), about="a")], as_of=d(10), parties=TWO)
    assert not _art4(v)


@pytest.mark.parametrize("by", ["unknown", "uk", "belarus"])
def test_attacks_by_anyone_else_qualify(tmp_path, by):
    v = run(tmp_path, [attack("a", d(0), by=by)], as_of=d(10), parties={**TWO, "others": ["belarus"]})
    assert status(v, "art4.consult/usa/a") == "breached"


@pytest.mark.parametrize("region", DEFAULT_EXCLUDED)
def test_an_attack_only_in_a_default_excluded_region_is_not_fired(tmp_path, region):
    v = run(tmp_path, [attack("a", d(0), regions=[region]), appeal("p", d(0), about="a")], as_of=d(10),
            parties=TWO)
    assert not ids(v, "art4.")
    for g in ("uk", "usa"):
        assert blocked(v, f"art4.consult/{g}/a") == ("art2.excluded_territory",)
        assert blocked(v, f"art4.assist/{g}/a") == ("art2.excluded_territory",)


def test_all_regions_excluded(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=list(DEFAULT_EXCLUDED))], as_of=d(10), parties=TWO)
    assert blocked(v, "art4.consult/uk/a") == ("art2.excluded_territory",)


@pytest.mark.parametrize("covered", ["kherson", "black_sea", "sea_of_azov", "kyiv", "donetsk", "ukraine"])
def test_one_covered_region_is_enough(tmp_path, covered):
    v = run(tmp_path, [attack("a", d(0), regions=["crimea", "donetsk_occupied", covered])], as_of=d(10),
            parties=TWO)
    assert status(v, "art4.consult/uk/a") == "breached"


def test_excluded_regions_override_replaces_the_default(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["kharkiv"]), attack("b", d(0), regions=["crimea"])],
            as_of=d(10), parties=TWO, excluded_regions=["kharkiv"])
    assert blocked(v, "art4.consult/uk/a") == ("art2.excluded_territory",)
    assert status(v, "art4.consult/uk/b") == "breached"
    assert v.scenario.excluded_regions == ("kharkiv",)


def test_an_empty_excluded_regions_list_excludes_nothing(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["sevastopol"])], as_of=d(10), parties=TWO, excluded_regions=[])
    assert status(v, "art4.consult/uk/a") == "breached"


def test_the_whole_country_is_never_excluded(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["ukraine"])], as_of=d(10), parties=TWO,
            excluded_regions=["kyiv", "crimea"])
    assert status(v, "art4.consult/uk/a") == "breached"


def test_excluded_and_not_bound_are_both_listed(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["crimea"])], in_force_from=d(1), as_of=d(10), parties=TWO)
    assert blocked(v, "art4.consult/uk/a") == ("art2.excluded_territory", "art7.not_bound")


def test_an_excluded_attack_still_fires_no_assistance_without_an_appeal(tmp_path):
    v = run(tmp_path, [attack("a", d(0), regions=["crimea"])], as_of=d(10), parties=TWO)
    assert not not_fired_ids(v, "art4.assist")
