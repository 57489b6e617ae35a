"""The real history of Crimea, 27 February - 1 April 2014 (facts/budapest-1994/real-2014-crimea.yaml),
against the ground truth the pack's reading quotes: what its `expect:` block cannot say (dates,
the events named, and a paragraph that does not fire)."""

from __future__ import annotations

from checker.engine.check import check_file
from tests.helpers import ROOT, RULES, ids, iso, ob

REAL = ROOT / "facts" / "budapest-1994" / "real-2014-crimea.yaml"


def verdicts(**overrides):
    v, _pack = check_file(REAL, rules_root=RULES, **overrides)
    return v


def test_russia_breached_paragraphs_1_and_2_from_the_seizure_of_the_crimean_parliament():
    v = verdicts()
    for p in ("bm1.respect_borders", "bm2.no_force"):
        o = ob(v, f"{p}/russia")
        assert (o.status, iso(o.breached_on), o.breached_by) == ("breached", "2014-02-27", "parliament-seizure")


def test_paragraph_4_is_not_triggered_on_its_literal_reading():
    v = verdicts()
    assert ids(v, "bm4.seek_unsc") == set()
    assert not [n for n in v.not_fired if n.provision == "bm4.seek_unsc"]


def test_under_aggression_any_paragraph_4_fires_on_each_attack():
    v = verdicts(readings={"nuclear_qualifier": "aggression_any"})
    assert {(o.id, o.status) for o in v.obligations if o.provision == "bm4.seek_unsc"} == {
        ("bm4.seek_unsc/russia/parliament-seizure", "breached"),
        ("bm4.seek_unsc/uk/parliament-seizure", "breached"),
        ("bm4.seek_unsc/usa/parliament-seizure", "late"),
        ("bm4.seek_unsc/russia/airports-seizure", "breached"),
        ("bm4.seek_unsc/uk/airports-seizure", "breached"),
        ("bm4.seek_unsc/usa/airports-seizure", "late"),
    }


def test_paris_consultations_and_russias_refusal():
    v = verdicts()
    for p in ("ukraine", "uk", "usa"):
        o = ob(v, f"bm6.consult/{p}/rada-address")
        assert (o.status, o.met_by, o.deadline) == ("fulfilled", "paris-ministerial", None)
    o = ob(v, "bm6.consult/russia/rada-address")
    assert (o.status, iso(o.breached_on), o.breached_by, o.deadline) == \
        ("breached", "2014-03-05", "russia-declines", None)
