"""Who is bound, and from when (rules/budapest-1994/parties.lp): the four signatories, from the
day of signature in the manifest, or from a scenario's `in_force_from`."""

from __future__ import annotations

import datetime as dt

from tests.helpers import attack, blocked, d, ev, ids, iso, not_fired_ids, ob, status
from tests.rules.budapest._scenario import ASSURERS, check, request

SIGNATURE = dt.date(1994, 12, 5)


def test_commitments_run_from_the_day_of_signature(tmp_path):
    v = check(tmp_path, [attack("a", d(0))])
    for g in ASSURERS:
        for p in ("bm1.respect_borders", "bm2.no_force", "bm3.no_coercion", "bm5.no_nuclear_use"):
            o = ob(v, f"{p}/{g}")
            assert (o.kind, o.trigger, iso(o.fired_on)) == ("maintenance", None, SIGNATURE.isoformat())
    # Ukraine and the states under `others` keep none of the assurers' commitments
    assert ids(v, "bm1.respect_borders") == {f"bm1.respect_borders/{g}" for g in ASSURERS}


def test_others_hold_no_duty_and_their_acts_break_nothing(tmp_path):
    v = check(tmp_path, [attack("a", d(0), by="belarus"), ev("t", d(1), "threat_of_force", by="belarus"),
                         ev("x", d(2), "annexation", by="belarus", regions=["crimea"])],
              parties={"others": ["belarus"]})
    assert not {o.id for o in v.obligations if o.holder == "belarus"}
    assert {o.status for o in v.obligations} == {"complied"}


def test_in_force_from_replaces_the_day_of_signature(tmp_path):
    v = check(tmp_path, [request("r0", d(-1)), request("r1", d(0))], in_force_from=d(0))
    assert iso(ob(v, "bm2.no_force/uk").fired_on) == d(0)
    assert blocked(v, "bm6.consult/uk/r0") == ("bm.not_bound",)
    assert status(v, "bm6.consult/uk/r1") == "pending"


def test_a_verdict_before_the_binding_day_lists_every_commitment_as_not_fired(tmp_path):
    v = check(tmp_path, [], as_of=d(-1), in_force_from=d(0))
    assert not v.obligations
    assert not_fired_ids(v, "bm2.no_force") == {f"bm2.no_force/{g}" for g in ASSURERS}
    assert blocked(v, "bm2.no_force/usa") == ("bm.not_bound",)
