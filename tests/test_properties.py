"""Invariants a lawyer would state, on random histories (hypothesis):

- moving every date of a scenario by the same number of days changes no verdict;
- the order of the events in the file changes no status (it only breaks ties between events
  of one day, so which event is *named* may change, never what happened when).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run

BASE = dt.date(2027, 3, 1)
PARTIES = ["russia", "uk", "usa", "belarus"]
GUARANTORS = ["russia", "uk", "usa"]
REGIONS = ["kyiv", "crimea", "kharkiv", "donetsk_occupied", "ukraine"]
MEANS = ["armaments", "airspace_closure", "armed_force"]
KINDS = ["armed_attack", "hybrid_war", "incident"]


@st.composite
def histories(draw):
    """A small random history: attacks first (so references can be drawn), then the rest."""
    n_attacks = draw(st.integers(1, 3))
    events = []
    for i in range(n_attacks):
        events.append({"id": f"a{i}", "day": draw(st.integers(0, 12)), "type": "attack",
                       "kind": draw(st.sampled_from(KINDS)), "by": draw(st.sampled_from(PARTIES + ["unknown", "ukraine"])),
                       "regions": draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique=True))})
    attacks = [e["id"] for e in events]
    about = st.one_of(st.none(), st.sampled_from(attacks))
    for i in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["appeal", "consultation", "assistance", "unsc_report", "unsc_measures",
                                     "finding", "nuclear_weapons", "military_exercise", "foreign_troops"]))
        e = {"id": f"e{i}", "day": draw(st.integers(0, 20)), "type": kind}
        if kind == "appeal":
            e["about"] = draw(about)
        elif kind == "consultation":
            e["parties"] = draw(st.lists(st.sampled_from(PARTIES + ["ukraine"]), min_size=1, max_size=4, unique=True))
            e["about"] = draw(about)
        elif kind == "assistance":
            e.update(by=draw(st.sampled_from(PARTIES)), means=draw(st.sampled_from(MEANS)), about=draw(about))
        elif kind == "unsc_report":
            e.update(by=draw(st.sampled_from(PARTIES)))
        elif kind == "unsc_measures":
            e["about"] = draw(about)
        elif kind == "finding":
            e.update(about=draw(st.sampled_from(attacks)), result=draw(st.sampled_from(["provocation", "aggression"])))
        elif kind == "military_exercise":
            e["participants"] = ["usa", "ukraine"]
        elif kind == "foreign_troops":
            e.update(by=draw(st.sampled_from(PARTIES)), purpose="assistance", about=draw(st.sampled_from(attacks)))
        events.append({k: v for k, v in e.items() if v is not None})
    for i, e in enumerate(list(events)):
        if e["type"] == "military_exercise":
            for g in draw(st.lists(st.sampled_from(GUARANTORS), max_size=3, unique=True)):
                events.append({"id": f"c{i}{g}", "day": draw(st.integers(0, e["day"] + 2)), "type": "consent",
                               "by": g, "about": e["id"]})
    return {"events": events, "in_force": draw(st.integers(-3, 6)), "as_of": draw(st.integers(8, 24)),
            "permutation": draw(st.permutations(range(len(events))))}


def _scenario(tmp_path, history, shift=0, order=None):
    def day(n):
        return (BASE + dt.timedelta(days=n + shift)).isoformat()

    events = [history["events"][i] for i in (order or range(len(history["events"])))]
    out = [{"id": e["id"], "date": day(e["day"]), **{k: v for k, v in e.items() if k not in ("id", "day")}}
           for e in events]
    return run(tmp_path, out, in_force_from=day(history["in_force"]), as_of=day(history["as_of"]),
               parties={"guarantors": GUARANTORS, "others": ["belarus"]})


def _verdicts(v, shift=0, named=True):
    def back(day):
        return None if day is None else day - shift

    obligations = sorted((o.id, o.status, back(o.fired_on), back(o.deadline), back(o.breached_on),
                          back(o.discharged_on), *((o.met_by, o.breached_by, o.discharged_by) if named else ()))
                         for o in v.obligations)
    return obligations, sorted((n.id, n.blocked_by) for n in v.not_fired)


SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(history=histories(), shift=st.sampled_from([-400, -1, 1, 2, 30, 365, 3000]))
def test_moving_every_date_by_the_same_amount_changes_no_verdict(tmp_path, history, shift):
    before = _scenario(tmp_path, history)
    after = _scenario(tmp_path, history, shift=shift)
    assert _verdicts(after, shift=shift) == _verdicts(before)


@SETTINGS
@given(history=histories())
def test_the_order_of_events_changes_no_status(tmp_path, history):
    before = _scenario(tmp_path, history)
    after = _scenario(tmp_path, history, order=history["permutation"])
    assert _verdicts(after, named=False) == _verdicts(before, named=False)
