"""bm4.seek_unsc (rules/budapest-1994/bm4_unsc.lp): which action is named as meeting the duty.

What an `expect:` block cannot see: of several actions on the day the duty is met, the one
named is the holder's own request for Security Council action, about this act or about none,
not another state's, not one about another act, and not another event of the holder's.
"""

from __future__ import annotations

from tests.helpers import d, ev, ob
from tests.rules.budapest._scenario import check, seek


def test_the_action_named_is_the_holders_own_about_no_act(tmp_path):
    v = check(tmp_path, [ev("n", d(0), "nuclear_use", by="russia"), seek("usa-s", d(1), "usa"),
                         seek("ru-s", d(1), "russia")])
    o = ob(v, "bm4.seek_unsc/russia/n")
    assert (o.status, o.met_by) == ("fulfilled", "ru-s")  # not the act itself, nor the USA's action


def test_an_action_about_another_act_the_same_day_is_not_named(tmp_path):
    v = check(tmp_path, [ev("n", d(0), "nuclear_threat", by="unknown"), ev("m", d(0), "nuclear_threat", by="unknown"),
                         seek("uk-m", d(2), "uk", about="m"), seek("uk-any", d(2), "uk")])
    assert ob(v, "bm4.seek_unsc/uk/n").met_by == "uk-any"
    assert ob(v, "bm4.seek_unsc/uk/m").met_by == "uk-m"


def test_an_action_before_the_act_is_not_named(tmp_path):
    v = check(tmp_path, [seek("uk-early", d(-2), "uk"), ev("n", d(0), "nuclear_threat", by="unknown"),
                         seek("uk-any", d(3), "uk")])
    o = ob(v, "bm4.seek_unsc/uk/n")
    assert (o.status, o.met_by) == ("fulfilled", "uk-any")
