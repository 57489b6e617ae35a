"""nato-1949: which event meets or ends a duty, and who is bound on a day (art4_consult.lp,
art5_assist.lp, parties.lp), where an `expect:` block sees no difference in status.

Contract: a Council meeting about nothing in particular meets a request's duty for the
members it does not name absent, the first such meeting on or after the request's day;
Security Council measures about no attack in particular end the duty to assist (and are
named as ending it) on the first day of such measures on or after the firing day; a state
that accedes before the treaty's entry into force is bound from that day, not before; a
state that joins after the firing day holds no duty to assist.
"""

from __future__ import annotations

from tests.helpers import ev, ids, not_fired_ids, ob
from tests.rules.nato.test_membership import request
from tests.rules.nato.test_triggers import ALLIES_2027, attack, invocation, nato


def meeting(id, date, about=None, absent=()):
    return ev(id, date, "council_meeting", **({"about": about} if about else {}),
              **({"absent": list(absent)} if absent else {}))


def test_the_general_meeting_the_holder_attends_meets_it_not_one_it_missed_that_day(tmp_path):
    events = [request("q", "2027-05-01", ["poland"]), meeting("without-uk", "2027-05-03", absent=["uk"]),
              meeting("with-uk", "2027-05-03")]
    v = nato(tmp_path, events, as_of="2027-05-10")
    assert (ob(v, "art4.consult/uk/q").status, ob(v, "art4.consult/uk/q").met_by) == ("fulfilled", "with-uk")
    assert ob(v, "art4.consult/usa/q").met_by == "without-uk"


def test_a_general_meeting_before_the_request_is_not_named_as_meeting_it(tmp_path):
    events = [meeting("before", "2027-04-30"), request("q", "2027-05-01", ["poland"]),
              meeting("after", "2027-05-04")]
    o = ob(nato(tmp_path, events, as_of="2027-05-10"), "art4.consult/usa/q")
    assert (o.status, o.met_by) == ("fulfilled", "after")


def test_general_measures_end_the_duty_not_measures_about_another_attack_that_day(tmp_path):
    events = [attack("a", "2027-05-01", ["estonia"]), attack("b", "2027-05-01", ["hawaii"]),
              invocation("i", "2027-05-02", "a"),
              ev("about-b", "2027-05-05", "unsc_measures", about="b"), ev("general", "2027-05-05", "unsc_measures")]
    o = ob(nato(tmp_path, events, as_of="2027-05-10"), "art5.assist/usa/a")
    assert (o.status, o.discharged_by) == ("discharged", "general")


def test_a_state_acceding_before_entry_into_force_asks_nothing_of_anyone_until_then(tmp_path):
    events = [ev("se", "1949-04-04", "accession", party="sweden"), request("q", "1949-08-23", ["sweden"])]
    v = nato(tmp_path, events, as_of="1949-09-30")
    assert ids(v) == set() and not_fired_ids(v) == set()


def test_a_state_that_joins_after_the_invocation_holds_no_duty_to_assist(tmp_path):
    v = nato(tmp_path, [attack("a", "2022-05-01", ["poland"]), invocation("i", "2022-05-02", "a")],
             as_of="2022-05-10")
    assert len(ids(v, "art5.assist/")) == ALLIES_2027 - 2 - 1       # not Finland, Sweden, Poland
    assert "art5.assist/finland/a" not in ids(v)


def test_a_general_report_meets_it_not_one_about_another_attack_that_day(tmp_path):
    events = [attack("a", "2027-05-01", ["estonia"]), attack("b", "2027-05-01", ["latvia"]),
              ev("h", "2027-05-02", "assistance", by="uk", means="armaments", about="a"),
              ev("about-b", "2027-05-03", "unsc_report", by="uk", about="b"),
              ev("general", "2027-05-03", "unsc_report", by="uk")]
    o = ob(nato(tmp_path, events, as_of="2027-05-10"), "art5.report/uk/h")
    assert (o.status, o.met_by) == ("fulfilled", "general")


def test_help_given_before_the_helper_joined_is_not_reported(tmp_path):
    events = [attack("a", "2027-05-01", ["estonia"]),
              ev("h", "2027-05-02", "assistance", by="ukraine", means="armaments", about="a"),
              ev("join", "2027-05-04", "accession", party="ukraine")]
    assert ids(nato(tmp_path, events, as_of="2027-05-10"), "art5.report/") == set()


def test_an_attack_by_a_state_on_itself_on_its_first_day_as_a_member_is_no_trigger(tmp_path):
    events = [ev("join", "2027-05-01", "accession", party="ukraine"),
              attack("a", "2027-05-01", ["ukraine", "poland"], by="ukraine"), invocation("i", "2027-05-01", "a")]
    v = nato(tmp_path, events, readings={"invocation": "automatic"}, as_of="2027-05-10")
    assert ids(v, "art5.") == set() and not_fired_ids(v, "art5.") == set()
