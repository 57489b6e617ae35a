"""nato-1949, Articles 5 and 6 (rules/nato-1949/art5_*.lp, art6_territory.lp): what is no trigger.

Contract: an attack on no member, an attack of a kind that does not qualify under the reading
in force, or an attack by a member on itself is an absent trigger: *nothing* is listed, under
either reading. A scenario's `expect:` can say what is listed, not what is absent; these
tests say it.
"""

from __future__ import annotations

import pytest

from tests.helpers import blocked, ev, ids, iso, not_fired_ids, ob, run, status

PACK = "nato-1949"
ALLIES_2027 = 32


def nato(tmp_path, events, **top):
    """Check a nato-1949 scenario (no in_force_from: this pack refuses it)."""
    top.setdefault("parties", {"others": ["russia", "ukraine"]})
    return run(tmp_path, events, treaty=PACK, in_force_from=None, **top)


def attack(id, date, regions, by="russia", kind="armed_attack"):
    return ev(id, date, "attack", kind=kind, by=by, regions=list(regions))


def invocation(id, date, about, stage="confirmed"):
    return ev(id, date, "invocation", about=about, stage=stage)


READINGS = [{"invocation": "council"}, {"invocation": "automatic"}]


@pytest.mark.parametrize("readings", READINGS)
@pytest.mark.parametrize("regions,by,kind", [
    (["ukraine"], "russia", "aggression"),          # no member
    (["poland"], "russia", "incident"),             # no armed attack
    (["latvia"], "russia", "hybrid_war"),           # not under hybrid: excluded (the default)
    (["estonia"], "unknown", "disguised_war"),
    (["usa"], "usa", "armed_attack"),               # a member on itself
    (["usa", "canada"], "usa", "military_operation"),   # "not by a member it is against"
])
def test_no_trigger_lists_nothing(tmp_path, readings, regions, by, kind):
    v = nato(tmp_path, [attack("a", "2027-05-01", regions, by, kind), invocation("i", "2027-05-02", "a"),
                        ev("h", "2027-05-03", "assistance", by="uk", means="armaments", about="a")],
             readings=readings, as_of="2027-05-10")
    assert ids(v, "art5.") == set() and not_fired_ids(v, "art5.") == set()


@pytest.mark.parametrize("kind", ["hybrid_war", "disguised_war"])
def test_hybrid_included_makes_hybrid_warfare_an_armed_attack(tmp_path, kind):
    v = nato(tmp_path, [attack("a", "2027-05-01", ["latvia"], kind=kind), invocation("i", "2027-05-02", "a")],
             readings={"hybrid": "included"}, as_of="2027-05-10")
    assert len(ids(v, "art5.assist/")) == ALLIES_2027 - 1
    assert status(v, "art5.assist/latvia/a") is None


def test_outside_the_area_without_an_invocation_lists_nothing_under_council(tmp_path):
    events = [attack("a", "2027-05-01", ["hawaii"])]
    v = nato(tmp_path, events, as_of="2027-05-10")
    assert ids(v, "art5.") == set() and not_fired_ids(v, "art5.") == set()
    # under automatic the attack itself would fire: each duty is blocked by Article 6
    v = nato(tmp_path, events, readings={"invocation": "automatic"}, as_of="2027-05-10")
    assert ids(v, "art5.") == set()
    assert len(not_fired_ids(v, "art5.assist/")) == ALLIES_2027 - 1
    assert blocked(v, "art5.assist/canada/a") == ("art6.territory",)
    assert status(v, "art5.assist/usa/a") is None


def test_the_attacker_and_the_attacked_hold_no_duty_to_assist(tmp_path):
    v = nato(tmp_path, [attack("a", "2027-05-01", ["greece", "turkey"], by="turkey")], as_of="2027-05-10")
    assert ids(v, "art5.") == set()   # Turkey attacks a region of its own: no trigger
    v = nato(tmp_path, [attack("a", "2027-05-01", ["greece", "hawaii"], by="turkey"),
                        invocation("i", "2027-05-01", "a")], as_of="2027-05-10")
    assert status(v, "art5.assist/turkey/a") is None       # the attacker
    assert status(v, "art5.assist/greece/a") is None       # attacked, in the area
    assert status(v, "art5.assist/usa/a") is None          # attacked, outside it (choice 6)
    assert status(v, "art5.assist/italy/a") == "pending"
    assert len(ids(v, "art5.assist/")) == ALLIES_2027 - 3


def test_an_invocation_before_its_attack_or_only_conditional_fires_nothing(tmp_path):
    v = nato(tmp_path, [invocation("early", "2027-04-30", "a"), attack("a", "2027-05-01", ["norway"]),
                        invocation("cond", "2027-05-02", "a", stage="conditional")], as_of="2027-05-10")
    assert ids(v, "art5.") == set() and not_fired_ids(v, "art5.") == set()
    v = nato(tmp_path, [invocation("early", "2027-04-30", "a"), attack("a", "2027-05-01", ["norway"]),
                        invocation("late", "2027-05-04", "a")], as_of="2027-05-10")
    o = ob(v, "art5.assist/uk/a")
    assert (iso(o.fired_on), iso(o.deadline)) == ("2027-05-04", "2027-06-03")


def test_the_invasion_of_ukraine_fires_no_article_5_duty_under_any_reading(tmp_path):
    """Ground truth of the contract (facts/nato-1949/real-2022-02-24.yaml)."""
    from pathlib import Path

    from checker.engine.check import check_file
    from tests.helpers import RULES

    path = Path(__file__).resolve().parents[3] / "facts" / PACK / "real-2022-02-24.yaml"
    for invocation_reading in ("council", "automatic"):
        for hybrid in ("excluded", "included"):
            v, _ = check_file(path, rules_root=RULES,
                              readings={"invocation": invocation_reading, "hybrid": hybrid})
            assert ids(v, "art5.") == set() and not_fired_ids(v, "art5.") == set()
            assert len(ids(v, "art4.consult/")) == 30
