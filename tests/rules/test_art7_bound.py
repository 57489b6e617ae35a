"""art7.not_bound (rules/istanbul-2022/art7_bound.lp): who is bound, and from when.

Contract (point 7): provisional application from the first day on which Ukraine and more than
half (reading provisional_threshold: majority) or all of the listed guarantors have signed,
counting only from Ukraine's signature; from then every party that has signed is bound.
Entry into force on the latest of the earliest approving referendum, the earliest amendment and
Ukraine's earliest ratification; from then Ukraine and every guarantor that has ratified are
bound. `in_force_from` overrides all this. An acceding guarantor is bound from the later of
its accession and the day the treaty first applied. Once bound, always bound. Nothing fires
for a party on a day it is not bound: not fired, blocked by art7.not_bound.
"""

from __future__ import annotations

import pytest

from tests.helpers import GUARANTORS, attack, blocked, d, ev, ids, iso, listed, ob, run, sign, status

FOUR = {"guarantors": ["uk", "usa", "france", "italy"]}
THREE = {"guarantors": ["uk", "usa", "france"], "others": ["belarus"]}


def bound_day(v, party):
    """The day ``party`` is bound, read from its maintenance duty (None: not bound by as_of)."""
    duty = "art3.no_alliance/ukraine" if party == "ukraine" else f"art1.guarantee/{party}"
    o = v.obligation(duty)
    if o is None:
        assert blocked(v, duty) == ("art7.not_bound",), f"{duty} neither fired nor blocked by art7.not_bound"
        return None
    return iso(o.fired_on)


def eif(day, ratifiers=()):
    """Referendum, amendment and Ukraine's ratification on d(day), and the guarantors' ratifications."""
    return [ev("ref", d(day), "referendum", result="approved"), ev("amend", d(day), "constitutional_amendment"),
            ev("rat-ukraine", d(day), "ratification", party="ukraine"),
            *(ev(f"rat-{g}", d(day), "ratification", party=g) for g in ratifiers)]


def _run(tmp_path, events, **top):
    top.setdefault("as_of", d(40))
    return run(tmp_path, events, in_force_from=None, **top)


# --- nothing binds ------------------------------------------------------------------------------
def test_without_signatures_nobody_is_bound(tmp_path):
    v = _run(tmp_path, [attack("a", d(0))])
    assert not ids(v)
    assert blocked(v, "art3.no_alliance/ukraine") == ("art7.not_bound",)
    assert blocked(v, "art8.no_force_crimea/russia") == ("art7.not_bound",)
    for g in GUARANTORS:
        assert blocked(v, f"art4.consult/{g}/a") == ("art7.not_bound",)
        assert blocked(v, f"art1.guarantee/{g}") == ("art7.not_bound",)


# --- provisional application ------------------------------------------------------------------
def _signatures(ukraine_day, guarantor_days):
    return [sign("s-ukraine", d(ukraine_day), "ukraine"),
            *(sign(f"s-{g}", d(day), g) for g, day in guarantor_days.items())]


def test_majority_of_eleven_is_six(tmp_path):
    days = dict(zip(GUARANTORS[:6], [1, 2, 3, 4, 5, 6]))
    v = _run(tmp_path, _signatures(0, days))
    assert bound_day(v, "ukraine") == d(6)
    assert bound_day(v, "russia") == d(6)        # signed on d(1), bound from d(6)
    assert bound_day(v, GUARANTORS[5]) == d(6)
    assert bound_day(v, GUARANTORS[6]) is None   # never signed


def test_five_of_eleven_bind_nobody(tmp_path):
    v = _run(tmp_path, _signatures(0, dict.fromkeys(GUARANTORS[:5], 1)))
    assert bound_day(v, "ukraine") is None
    assert bound_day(v, "russia") is None


def test_counting_starts_with_ukraine_s_signature(tmp_path):
    v = _run(tmp_path, _signatures(10, dict.fromkeys(GUARANTORS[:6], 1)))
    assert bound_day(v, "ukraine") == d(10)
    assert bound_day(v, "russia") == d(10)


def test_without_ukraine_s_signature_nothing_applies(tmp_path):
    v = _run(tmp_path, [sign(f"s-{g}", d(1), g) for g in GUARANTORS])
    assert bound_day(v, "uk") is None


def test_a_later_signer_is_bound_from_its_own_signature(tmp_path):
    v = _run(tmp_path, _signatures(0, {"uk": 1, "usa": 2, "france": 3, "italy": 20}), parties=FOUR)
    assert bound_day(v, "uk") == d(3)
    assert bound_day(v, "italy") == d(20)


@pytest.mark.parametrize("signers,bound", [(["uk"], False), (["uk", "usa"], False), (["uk", "usa", "france"], True)])
def test_more_than_half_of_four_is_three(tmp_path, signers, bound):
    v = _run(tmp_path, _signatures(0, dict.fromkeys(signers, 1)), parties=FOUR)
    assert (bound_day(v, "ukraine") is not None) is bound


@pytest.mark.parametrize("signers,bound", [(["uk"], False), (["uk", "usa"], True)])
def test_more_than_half_of_three_is_two(tmp_path, signers, bound):
    v = _run(tmp_path, _signatures(0, dict.fromkeys(signers, 1)), parties=THREE)
    assert (bound_day(v, "ukraine") is not None) is bound


@pytest.mark.parametrize("where", ["file", "override"])
def test_all_reading_needs_every_listed_guarantor(tmp_path, where):
    events = _signatures(0, {"uk": 1, "usa": 2, "france": 3})
    kwargs = ({"readings": {"provisional_threshold": "all"}} if where == "file"
              else {"check": {"readings": {"provisional_threshold": "all"}}})
    v = _run(tmp_path, events, parties=FOUR, **kwargs)
    assert bound_day(v, "uk") is None
    v = _run(tmp_path, events + [sign("s-italy", d(7), "italy")], parties=FOUR, **kwargs)
    assert bound_day(v, "uk") == d(7)
    assert bound_day(v, "ukraine") == d(7)


def test_signatures_of_states_left_off_the_list_do_not_count(tmp_path):
    # russia and china are default guarantors, but not on this scenario's list
    v = _run(tmp_path, _signatures(0, {"uk": 1, "russia": 1, "china": 1}), parties=FOUR)
    assert bound_day(v, "uk") is None
    assert not listed(v, "art1.guarantee/russia")


def test_a_signature_after_as_of_is_ignored(tmp_path):
    v = _run(tmp_path, _signatures(0, {"uk": 1, "usa": 2, "france": 30}), parties=FOUR,
             check={"as_of": d(20)})
    assert bound_day(v, "uk") is None
    assert v.scenario.ignored_events == 1


def test_an_attack_before_provisional_application_binds_nobody(tmp_path):
    v = _run(tmp_path, [*_signatures(0, {"uk": 1, "usa": 5}), attack("a", d(4)), attack("b", d(5))],
             parties=THREE)
    assert blocked(v, "art4.consult/uk/a") == ("art7.not_bound",)
    assert status(v, "art4.consult/uk/b") == "breached"
    assert blocked(v, "art4.consult/france/b") == ("art7.not_bound",)


# --- entry into force ----------------------------------------------------------------------------
def test_entry_into_force_on_the_latest_of_three(tmp_path):
    v = _run(tmp_path, [ev("ref", d(3), "referendum", result="approved"), ev("amend", d(9), "constitutional_amendment"),
                        ev("rat", d(5), "ratification", party="ukraine"), ev("rat-uk", d(1), "ratification", party="uk"),
                        ev("rat-usa", d(12), "ratification", party="usa")], parties=THREE)
    assert bound_day(v, "ukraine") == d(9)
    assert bound_day(v, "uk") == d(9)       # ratified before entry into force
    assert bound_day(v, "usa") == d(12)     # ratified after
    assert bound_day(v, "france") is None   # never ratified


@pytest.mark.parametrize("missing", ["ref", "amend", "rat-ukraine"])
def test_no_entry_into_force_without_all_three(tmp_path, missing):
    v = _run(tmp_path, [e for e in eif(3, ["uk"]) if e["id"] != missing], parties=THREE)
    assert bound_day(v, "ukraine") is None
    assert bound_day(v, "uk") is None


def test_a_rejected_referendum_does_not_count(tmp_path):
    events = [e for e in eif(3) if e["id"] != "ref"] + [ev("no", d(1), "referendum", result="rejected")]
    v = _run(tmp_path, events, parties=THREE)
    assert bound_day(v, "ukraine") is None
    v = _run(tmp_path, events + [ev("yes", d(8), "referendum", result="approved")], parties=THREE)
    assert bound_day(v, "ukraine") == d(8)


def test_the_earliest_of_each_condition_counts(tmp_path):
    v = _run(tmp_path, eif(3) + [ev("ref2", d(10), "referendum", result="approved"),
                                 ev("amend2", d(11), "constitutional_amendment"),
                                 ev("rat2", d(12), "ratification", party="ukraine")], parties=THREE)
    assert bound_day(v, "ukraine") == d(3)


def test_bound_by_provisional_application_stays_bound_without_ratifying(tmp_path):
    v = _run(tmp_path, _signatures(0, {"uk": 1, "usa": 2}) + eif(10, ["france"]), parties=THREE)
    assert bound_day(v, "uk") == d(2)
    assert bound_day(v, "ukraine") == d(2)
    assert bound_day(v, "france") == d(10)


def test_ratification_by_a_non_listed_state_does_not_bind_it(tmp_path):
    v = _run(tmp_path, eif(3, ["belarus"]), parties=THREE)
    assert not listed(v, "art1.guarantee/belarus")


# --- in_force_from -----------------------------------------------------------------------------
def test_in_force_from_binds_every_listed_party(tmp_path):
    v = run(tmp_path, [attack("a", d(-1)), attack("b", d(0))], in_force_from=d(0), as_of=d(10))
    for g in GUARANTORS:
        assert bound_day(v, g) == d(0)
        assert blocked(v, f"art4.consult/{g}/a") == ("art7.not_bound",)
        assert status(v, f"art4.consult/{g}/b") == "breached"
    assert bound_day(v, "ukraine") == d(0)


def test_in_force_from_overrides_earlier_signatures(tmp_path):
    v = run(tmp_path, _signatures(0, {"uk": 0, "usa": 0, "france": 0}), in_force_from=d(5), as_of=d(10),
            parties=THREE)
    assert bound_day(v, "uk") == d(5)
    assert bound_day(v, "ukraine") == d(5)


def test_in_force_from_after_as_of_binds_nobody_yet(tmp_path):
    v = run(tmp_path, [attack("a", d(0))], in_force_from=d(20), as_of=d(10), parties=THREE)
    assert bound_day(v, "uk") is None
    assert blocked(v, "art4.consult/uk/a") == ("art7.not_bound",)


# --- accession ---------------------------------------------------------------------------------
def accede(day, party="belarus"):
    return ev(f"acc-{party}", d(day), "accession", party=party)


def test_accession_after_in_force_from_binds_from_accession(tmp_path):
    v = run(tmp_path, [accede(5), attack("a", d(4)), attack("b", d(5))], in_force_from=d(0), as_of=d(10),
            parties=THREE)
    assert bound_day(v, "belarus") == d(5)
    assert not listed(v, "art4.consult/belarus/a")      # not a guarantor on d(4): no candidate holder
    assert status(v, "art4.consult/belarus/b") == "breached"


def test_accession_before_in_force_from_binds_from_in_force_from(tmp_path):
    v = run(tmp_path, [accede(1), attack("a", d(2)), attack("b", d(5))], in_force_from=d(5), as_of=d(10),
            parties=THREE)
    assert bound_day(v, "belarus") == d(5)
    assert blocked(v, "art4.consult/belarus/a") == ("art7.not_bound",)


def test_accession_before_provisional_application_binds_from_it(tmp_path):
    v = _run(tmp_path, [accede(1), *_signatures(2, {"uk": 3, "usa": 6})], parties=THREE)
    assert bound_day(v, "belarus") == d(6)


def test_accession_before_entry_into_force_binds_from_it(tmp_path):
    v = _run(tmp_path, [accede(1), *eif(8)], parties=THREE)
    assert bound_day(v, "belarus") == d(8)


def test_accession_with_the_treaty_not_applied_binds_nobody(tmp_path):
    v = _run(tmp_path, [accede(1), attack("a", d(2))], parties=THREE)
    assert bound_day(v, "belarus") is None
    assert blocked(v, "art4.consult/belarus/a") == ("art7.not_bound",)


def test_accession_after_as_of_makes_no_guarantor(tmp_path):
    v = run(tmp_path, [accede(15)], in_force_from=d(0), parties=THREE, check={"as_of": d(10)})
    assert not listed(v, "art1.guarantee/belarus")


def test_maintenance_duty_fires_on_the_bound_day(tmp_path):
    v = _run(tmp_path, _signatures(4, {"uk": 1, "usa": 2}), parties=THREE)
    o = ob(v, "art1.guarantee/uk")
    assert (iso(o.fired_on), o.status) == (d(4), "complied")
