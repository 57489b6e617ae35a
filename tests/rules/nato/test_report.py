"""nato-1949, art5.report (rules/nato-1949/art5_report.lp): which measures open a duty to report.

Contract: a member's own `assistance` about a qualifying armed attack opens the duty;
collective measures (the Council's) and the attacked state's own help do not; nor does help
about an attack outside the treaty area, or help dated before its attack (choice 8).
"""

from __future__ import annotations

from tests.helpers import ev, ids, status
from tests.rules.nato.test_triggers import attack, nato


def help_(id, date, by, about):
    return ev(id, date, "assistance", by=by, means="armaments", about=about)


def test_only_a_member_s_own_help_against_a_qualifying_attack_is_reported(tmp_path):
    events = [attack("a", "2027-05-01", ["estonia"]), attack("h", "2027-05-01", ["hawaii"]),
              help_("early", "2027-04-30", "uk", "a"),              # before the attack
              help_("own", "2027-05-01", "estonia", "a"),           # the Party attacked
              help_("outside", "2027-05-02", "uk", "h"),            # outside the area
              ev("cm", "2027-05-02", "collective_measures", about="a"),
              help_("ok", "2027-05-03", "uk", "a")]
    v = nato(tmp_path, events, as_of="2027-05-10")
    assert ids(v, "art5.report/") == {"art5.report/uk/ok"}
    assert status(v, "art5.report/uk/ok") == "breached"


def test_help_needs_no_invocation_to_be_reported_and_follows_the_hybrid_reading(tmp_path):
    events = [attack("a", "2027-05-01", ["latvia"], kind="hybrid_war"), help_("x", "2027-05-01", "uk", "a"),
              ev("r", "2027-05-02", "unsc_report", by="uk", about="a")]
    assert ids(nato(tmp_path, events, as_of="2027-05-10"), "art5.report/") == set()
    v = nato(tmp_path, events, as_of="2027-05-10", readings={"hybrid": "included"})
    assert status(v, "art5.report/uk/x") == "fulfilled"
