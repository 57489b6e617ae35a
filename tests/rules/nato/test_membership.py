"""nato-1949 membership (rules/nato-1949/parties.lp) and Article 4 (art4_consult.lp): who is bound.

Contract: a state is bound from its day of membership (the manifest's table, or an
`accession` in the scenario); before it, it holds no duty and is not protected: nothing is
listed. A request by no member bound that day is no trigger.
"""

from __future__ import annotations

from tests.helpers import ev, ids, iso, not_fired_ids, ob, status
from tests.rules.nato.test_triggers import attack, invocation, nato


def request(id, date, by, about=None):
    return ev(id, date, "consultation_request", by=list(by), **({"about": about} if about else {}))


def test_a_member_is_bound_from_its_day_in_the_table(tmp_path):
    v = nato(tmp_path, [request("q0", "2023-04-03", ["estonia"]), request("q1", "2023-04-04", ["estonia"]),
                        request("q2", "2024-03-07", ["estonia"])], as_of="2024-03-08")
    assert status(v, "art4.consult/finland/q0") is None       # the day before Finland joined
    assert status(v, "art4.consult/finland/q1") == "pending"  # its first day
    assert status(v, "art4.consult/sweden/q1") is None
    assert status(v, "art4.consult/sweden/q2") == "pending"
    assert (len(ids(v, "art4.consult/")), not_fired_ids(v)) == (30 + 31 + 32, set())


def test_an_attack_on_a_state_before_it_joined_is_no_trigger(tmp_path):
    v = nato(tmp_path, [attack("a", "2023-04-03", ["finland"]), invocation("i", "2023-04-05", "a")],
             as_of="2023-05-01")
    assert ids(v, "art5.") == set() and not_fired_ids(v, "art5.") == set()


def test_a_request_by_no_member_is_no_trigger(tmp_path):
    v = nato(tmp_path, [request("q", "2027-05-01", ["ukraine", "russia"]),
                        request("q-fi", "2022-05-01", ["finland"])], as_of="2027-05-10")
    assert ids(v) == set() and not_fired_ids(v) == set()


def test_an_accession_binds_from_its_day_and_brings_the_state_s_territory(tmp_path):
    events = [ev("join", "2027-03-01", "accession", party="ukraine"),
              request("q-before", "2027-02-28", ["poland"]), request("q-after", "2027-03-01", ["ukraine"]),
              attack("a", "2027-03-02", ["ukraine"]), invocation("i", "2027-03-02", "a")]
    v = nato(tmp_path, events, as_of="2027-03-10")
    assert status(v, "art4.consult/ukraine/q-before") is None
    assert status(v, "art4.consult/ukraine/q-after") == "pending"
    assert len(ids(v, "art5.assist/")) == 32 and status(v, "art5.assist/ukraine/a") is None


def test_an_accession_moves_a_member_s_day_earlier_never_later(tmp_path):
    events = [ev("fi", "2022-05-18", "accession", party="finland"), ev("pl", "2001-01-01", "accession", party="poland"),
              request("q", "2022-06-01", ["estonia"])]
    v = nato(tmp_path, events, as_of="2022-06-02")
    assert status(v, "art4.consult/finland/q") == "pending"   # choice 1: joined earlier
    assert status(v, "art4.consult/poland/q") == "pending"    # a later accession changes nothing


def test_no_deadline_unless_consultation_days_is_set(tmp_path):
    events = [request("q", "2027-05-01", ["poland"])]
    o = ob(nato(tmp_path, events, as_of="2027-06-01"), "art4.consult/usa/q")
    assert (o.status, o.deadline) == ("pending", None)
    o = ob(nato(tmp_path, events, as_of="2027-06-01", parameters={"consultation_days": 5}), "art4.consult/usa/q")
    assert (o.status, iso(o.deadline), iso(o.breached_on)) == ("breached", "2027-05-06", "2027-05-07")


def test_a_refusal_before_its_request_refuses_nothing(tmp_path):
    events = [ev("no", "2027-04-30", "refusal", by="hungary", means="consultation", about="q"),
              request("q", "2027-05-01", ["poland"]), ev("nac", "2027-05-03", "council_meeting", about="q")]
    o = ob(nato(tmp_path, events, as_of="2027-05-10"), "art4.consult/hungary/q")
    assert (o.status, o.breached_by, o.met_by) == ("fulfilled", None, "nac")


def test_a_meeting_about_the_attack_a_request_names_does_not_meet_it(tmp_path):
    events = [attack("a", "2027-05-01", ["lithuania"], kind="incident"), request("q", "2027-05-01", ["lithuania"], "a"),
              ev("nac", "2027-05-02", "council_meeting", about="a")]
    assert status(nato(tmp_path, events, as_of="2027-05-10"), "art4.consult/usa/q") == "pending"


def test_an_accession_of_a_member_does_not_stretch_the_treaty_area(tmp_path):
    events = [ev("us", "2027-01-01", "accession", party="usa"), attack("a", "2027-05-01", ["hawaii"]),
              invocation("i", "2027-05-01", "a")]
    v = nato(tmp_path, events, as_of="2027-05-10")
    assert ids(v, "art5.") == set() and len(not_fired_ids(v, "art5.assist/")) == 31


def test_nobody_is_bound_before_entry_into_force(tmp_path):
    """facts/nato-1949/founding.yaml: an attack before 24 August 1949 is no trigger."""
    events = [ev("se", "1949-04-04", "accession", party="sweden"), attack("a", "1949-06-01", ["norway"]),
              invocation("i", "1949-06-02", "a"), request("q", "1949-08-24", ["norway"])]
    v = nato(tmp_path, events, as_of="1949-09-30")
    assert ids(v, "art5.") == set() and not_fired_ids(v) == set()
    assert len(ids(v, "art4.consult/")) == 13 and status(v, "art4.consult/sweden/q") == "pending"
