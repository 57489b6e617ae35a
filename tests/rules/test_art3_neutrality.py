"""art3.no_alliance, art3.no_foreign_bases, art3.no_foreign_troops (rules/istanbul-2022/art3_neutrality.lp).

Contract: maintenance duties of Ukraine while bound, breached by an `alliance_membership`, a
`foreign_base` or a `foreign_troops` event; troops with `purpose: assistance`, `about` a
qualifying attack, `by` a guarantor bound that day are the guarantee itself, no breach (no
separate `assistance` event required).
"""

from __future__ import annotations

import pytest

from tests.helpers import attack, blocked, d, ev, ids, iso, ob, run, status

PARTIES = {"guarantors": ["uk", "usa"], "others": ["belarus"]}
ALLIANCE, BASES, TROOPS = "art3.no_alliance/ukraine", "art3.no_foreign_bases/ukraine", "art3.no_foreign_troops/ukraine"


def troops(id, date, by, purpose=None, about=None):
    fields = {"by": by}
    if purpose is not None:
        fields["purpose"] = purpose
    if about is not None:
        fields["about"] = about
    return ev(id, date, "foreign_troops", **fields)


def test_all_three_complied_in_a_quiet_history(tmp_path):
    v = run(tmp_path, [], in_force_from=d(0), as_of=d(10), parties=PARTIES)
    for duty in (ALLIANCE, BASES, TROOPS):
        o = ob(v, duty)
        assert (o.status, o.kind, iso(o.fired_on)) == ("complied", "maintenance", d(0))


@pytest.mark.parametrize("event,duty", [
    (ev("e", d(2), "alliance_membership", alliance="NATO"), ALLIANCE),
    (ev("e", d(2), "foreign_base", by="usa"), BASES),
    (ev("e", d(2), "foreign_base", by="belarus"), BASES),
    (troops("e", d(2), "uk"), TROOPS),
    (troops("e", d(2), "belarus"), TROOPS),
])
def test_each_event_breaches_its_own_duty_only(tmp_path, event, duty):
    v = run(tmp_path, [event], as_of=d(10), parties=PARTIES)
    o = ob(v, duty)
    assert (o.status, o.breached_by, iso(o.breached_on)) == ("breached", "e", d(2))
    for other in {ALLIANCE, BASES, TROOPS} - {duty}:
        assert status(v, other) == "complied"


@pytest.mark.parametrize("day,expected", [(-1, "complied"), (0, "breached")])
def test_only_while_bound(tmp_path, day, expected):
    v = run(tmp_path, [ev("e", d(day), "alliance_membership", alliance="NATO")], in_force_from=d(0), as_of=d(10),
            parties=PARTIES)
    assert status(v, ALLIANCE) == expected


def test_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [ev("e", d(5), "foreign_base", by="usa")], parties=PARTIES, check={"as_of": d(4)})
    assert status(v, BASES) == "complied"


def test_first_violation_named_ties_by_file_order(tmp_path):
    v = run(tmp_path, [ev("b3", d(5), "foreign_base", by="usa"), ev("b2", d(3), "foreign_base", by="uk"),
                       ev("b1", d(3), "foreign_base", by="usa")], as_of=d(10), parties=PARTIES)
    assert ob(v, BASES).breached_by == "b2"


def test_not_bound_by_as_of_is_not_fired(tmp_path):
    v = run(tmp_path, [], in_force_from=None, as_of=d(10), parties=PARTIES)
    for duty in (ALLIANCE, BASES, TROOPS):
        assert blocked(v, duty) == ("art7.not_bound",)


# --- the guarantee itself is no breach of neutrality --------------------------------------------
@pytest.mark.parametrize("day", [0, 1, 30])
def test_guarantee_troops_are_no_breach(tmp_path, day):
    v = run(tmp_path, [attack("a", d(0)), troops("t", d(day), "uk", purpose="assistance", about="a")],
            as_of=d(40), parties=PARTIES)
    assert status(v, TROOPS) == "complied"


def test_guarantee_troops_need_no_assistance_event_and_owe_no_report(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), troops("t", d(1), "uk", purpose="assistance", about="a")],
            as_of=d(10), parties=PARTIES)
    assert status(v, TROOPS) == "complied"
    assert not ids(v, "art5.report")


def test_troops_without_purpose_breach(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), troops("t", d(1), "uk", about="a")], as_of=d(10), parties=PARTIES)
    assert ob(v, TROOPS).breached_by == "t"


def test_troops_for_assistance_about_nothing_breach(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), troops("t", d(1), "uk", purpose="assistance")], as_of=d(10),
            parties=PARTIES)
    assert status(v, TROOPS) == "breached"


@pytest.mark.parametrize("attack_event", [
    attack("a", d(0), regions=["crimea"]),          # only excluded territory
    attack("a", d(0), kind="incident"),             # an incident
    attack("a", d(0), by="ukraine"),                # Ukraine itself
])
def test_troops_about_a_non_qualifying_attack_breach(tmp_path, attack_event):
    v = run(tmp_path, [attack_event, troops("t", d(1), "uk", purpose="assistance", about="a")], as_of=d(10),
            parties=PARTIES)
    assert status(v, TROOPS) == "breached"


def test_troops_from_a_non_party_breach(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), troops("t", d(1), "belarus", purpose="assistance", about="a")],
            as_of=d(10), parties=PARTIES)
    assert status(v, TROOPS) == "breached"


def test_troops_from_a_guarantor_not_bound_that_day_breach(tmp_path):
    # France accedes on d(5): on d(1) it is no guarantor, let alone a bound one
    v = run(tmp_path, [attack("a", d(0)), troops("t", d(1), "belarus", purpose="assistance", about="a"),
                       ev("acc", d(5), "accession", party="belarus")], as_of=d(10), parties=PARTIES)
    assert status(v, TROOPS) == "breached"


def test_troops_from_an_acceded_bound_guarantor_are_no_breach(tmp_path):
    v = run(tmp_path, [ev("acc", d(0), "accession", party="belarus"), attack("a", d(1)),
                       troops("t", d(2), "belarus", purpose="assistance", about="a")], as_of=d(10),
            parties=PARTIES)
    assert status(v, TROOPS) == "complied"


def test_signed_but_unbound_guarantor_troops_breach(tmp_path):
    # provisional application needs Ukraine and both guarantors' majority (2 of 2): uk alone does not bind
    v = run(tmp_path, [ev("su", d(0), "signature", party="ukraine"), ev("sa", d(0), "signature", party="usa"),
                       ev("ref", d(0), "referendum", result="approved"),
                       ev("am", d(0), "constitutional_amendment"), ev("ra", d(0), "ratification", party="ukraine"),
                       attack("a", d(1)), troops("t", d(2), "uk", purpose="assistance", about="a")],
            in_force_from=None, as_of=d(10), parties=PARTIES)
    # Ukraine is bound by entry into force; the UK never signed nor ratified
    assert status(v, TROOPS) == "breached"
