"""art1.non_nuclear (rules/istanbul-2022/art1_non_nuclear.lp): Ukraine stays non-nuclear.

Contract: a maintenance duty of Ukraine while bound, breached by a `nuclear_weapons` event.
"""

from __future__ import annotations

from tests.helpers import blocked, d, ev, ids, iso, ob, run, status

ID = "art1.non_nuclear/ukraine"


def nukes(id, date):
    return ev(id, date, "nuclear_weapons")


def test_complied_without_nuclear_weapons(tmp_path):
    v = run(tmp_path, [], in_force_from=d(0), as_of=d(10))
    o = ob(v, ID)
    assert (o.status, o.kind, o.holder, o.trigger, iso(o.fired_on)) == ("complied", "maintenance", "ukraine",
                                                                       None, d(0))


def test_nuclear_weapons_breach(tmp_path):
    v = run(tmp_path, [nukes("n", d(3))], as_of=d(10))
    o = ob(v, ID)
    assert (o.status, o.breached_by, iso(o.breached_on)) == ("breached", "n", d(3))


def test_before_ukraine_is_bound_is_no_breach(tmp_path):
    v = run(tmp_path, [nukes("n", d(-1))], in_force_from=d(0), as_of=d(10))
    assert status(v, ID) == "complied"


def test_on_the_bound_day_is_a_breach(tmp_path):
    v = run(tmp_path, [nukes("n", d(0))], in_force_from=d(0), as_of=d(10))
    assert status(v, ID) == "breached"


def test_after_as_of_is_ignored(tmp_path):
    v = run(tmp_path, [nukes("n", d(3))], check={"as_of": d(2)})
    assert status(v, ID) == "complied"
    assert v.scenario.ignored_events == 1


def test_first_of_several_and_ties_by_file_order(tmp_path):
    v = run(tmp_path, [nukes("n3", d(4)), nukes("n2", d(3)), nukes("n1", d(3))], as_of=d(10))
    assert ob(v, ID).breached_by == "n2"


def test_not_bound_by_as_of_is_not_fired(tmp_path):
    v = run(tmp_path, [nukes("n", d(3))], in_force_from=d(11), as_of=d(10))
    assert blocked(v, ID) == ("art7.not_bound",)
    assert not ids(v)
