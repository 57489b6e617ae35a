"""rules/common/lifecycle.lp: the life of an obligation, shared by every pack.

First on its own (a pack's would_fire/blocked/deadline/meets/ends/violates written by hand),
then through whole scenarios for the timing rules every provision shares: as_of, ignored
events, ordering of the report.
"""

from __future__ import annotations

from collections import defaultdict

import clingo
import pytest

from tests.helpers import assist, attack, consult, d, ev, iso, ob, run, solve_rules

HEAD = """
provision("p.ach", achievement). provision("p.mnt", maintenance).
"""


def lifecycle(program: str, as_of: int = 100) -> dict[str, dict[str, list]]:
    """predicate -> obligation (as text) -> sorted values, for the output predicates."""
    atoms = solve_rules(["inputs.lp", "lifecycle.lp"], program=HEAD + f"as_of({as_of}).\n" + program)
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for sym in atoms:
        if sym.name in ("fired", "status", "met_by", "met_on", "breached_on", "breached_by", "discharged_by",
                        "discharged_on", "not_fired") and len(sym.arguments) == 2:
            o, value = sym.arguments
            out[sym.name][str(o)].append(value.string if value.type == clingo.SymbolType.String
                                         else value.number if value.type == clingo.SymbolType.Number else str(value))
    return {k: {o: sorted(vs, key=str) for o, vs in d.items()} for k, d in out.items()}


A = 'ob("p.ach",h,t)'
M = 'ob("p.mnt",h,none)'


def achievement(extra: str, deadline: int = 10, as_of: int = 100):
    return lifecycle(f"would_fire({A}, 5). deadline({A}, {deadline}).\n" + extra, as_of)


# --- firing ---------------------------------------------------------------------------------
def test_a_duty_fires_on_its_day_unless_blocked():
    got = achievement("")
    assert got["fired"] == {A: [5]}
    assert "not_fired" not in got


def test_every_blocking_provision_is_listed_and_nothing_fires():
    got = achievement('blocked(%s, "q.one"). blocked(%s, "q.two").' % (A, A))
    assert "fired" not in got and "status" not in got
    assert got["not_fired"] == {A: ["q.one", "q.two"]}


# --- achievement ------------------------------------------------------------------------------
@pytest.mark.parametrize("day,expected", [(5, "fulfilled"), (10, "fulfilled"), (11, "late")])
def test_met_on_or_before_the_deadline_is_fulfilled_after_it_late(day, expected):
    got = achievement(f'event("e", x, {day}). seq("e", 0). meets({A}, "e", {day}).')
    assert got["status"] == {A: [expected]}
    assert got["met_by"] == {A: ["e"]}
    assert got.get("breached_on", {}) == ({A: [11]} if expected == "late" else {})


@pytest.mark.parametrize("as_of,expected", [(9, "pending"), (10, "pending"), (11, "breached")])
def test_unmet_is_pending_until_as_of_passes_the_deadline(as_of, expected):
    got = achievement("", as_of=as_of)
    assert got["status"] == {A: [expected]}
    assert got.get("breached_on", {}) == ({A: [11]} if expected == "breached" else {})


def test_the_earliest_meeting_event_counts():
    got = achievement(f'seq("late", 0). seq("early", 1). meets({A}, "late", 12). meets({A}, "early", 7).')
    assert (got["met_by"], got["status"]) == ({A: ["early"]}, {A: ["fulfilled"]})


@pytest.mark.parametrize("first", ["x", "y"])
def test_ties_go_to_the_lowest_file_position(first):
    second = "y" if first == "x" else "x"
    got = achievement(f'seq("{first}", 1). seq("{second}", 2). meets({A}, "{second}", 7). meets({A}, "{first}", 7).')
    assert got["met_by"] == {A: [first]}


def test_the_earliest_day_wins_before_the_file_position_among_several_meetings():
    # the first in the file is on a later day; of the two on the earliest day, the one first
    # in the file counts
    got = achievement(f'seq("c", 0). seq("b", 1). seq("a", 2). seq("d", 3). '
                      f'meets({A}, "c", 9). meets({A}, "a", 7). meets({A}, "b", 7). meets({A}, "d", 8).')
    assert (got["met_by"], got["status"]) == ({A: ["b"]}, {A: ["fulfilled"]})


def test_ended_before_being_met_is_discharged():
    got = achievement(f'seq("m", 3). ends({A}, "m", 8).')
    assert got["status"] == {A: ["discharged"]}
    assert (got["discharged_by"], got["discharged_on"]) == ({A: ["m"]}, {A: [8]})
    assert "breached_on" not in got


def test_met_on_the_ending_day_wins():
    got = achievement(f'seq("e", 4). seq("m", 3). meets({A}, "e", 8). ends({A}, "m", 8).')
    assert got["status"] == {A: ["fulfilled"]}
    assert "discharged_by" not in got


def test_met_after_the_ending_day_stays_discharged():
    got = achievement(f'seq("e", 1). seq("m", 3). meets({A}, "e", 12). ends({A}, "m", 8).')
    assert got["status"] == {A: ["discharged"]}
    assert "breached_on" not in got


def test_the_first_ending_counts_ties_by_file_order():
    got = achievement(f'seq("m1", 3). seq("m2", 2). seq("m0", 1). ends({A}, "m1", 8). ends({A}, "m2", 8).'
                      f'ends({A}, "m0", 9).')
    assert (got["discharged_by"], got["discharged_on"]) == ({A: ["m2"]}, {A: [8]})


def test_exactly_one_status_per_duty():
    got = achievement(f'seq("e", 1). meets({A}, "e", 12). seq("m", 2). ends({A}, "m", 12).')
    assert len(got["status"][A]) == 1


# --- maintenance ------------------------------------------------------------------------------
def maintenance(extra: str):
    return lifecycle(f"would_fire({M}, 5).\n" + extra)


def test_maintenance_without_violation_is_complied():
    got = maintenance("")
    assert got["status"] == {M: ["complied"]}
    assert "breached_by" not in got


def test_maintenance_breached_by_the_first_violation():
    got = maintenance(f'seq("v1", 1). seq("v2", 0). violates({M}, "v1", 9). violates({M}, "v2", 7).')
    assert got["status"] == {M: ["breached"]}
    assert (got["breached_by"], got["breached_on"]) == ({M: ["v2"]}, {M: [7]})


def test_maintenance_ties_by_file_order():
    got = maintenance(f'seq("v1", 1). seq("v2", 0). violates({M}, "v1", 7). violates({M}, "v2", 7).')
    assert got["breached_by"] == {M: ["v2"]}


@pytest.mark.parametrize("day,expected", [(4, "complied"), (5, "breached")])
def test_violations_before_the_duty_fired_do_not_count(day, expected):
    got = maintenance(f'seq("v", 0). violates({M}, "v", {day}).')
    assert got["status"] == {M: [expected]}


def test_blocked_maintenance_is_not_fired():
    got = maintenance(f'blocked({M}, "q.bound").')
    assert got["not_fired"] == {M: ["q.bound"]} and "status" not in got


# --- through whole scenarios: the timing rules every provision shares ------------------------
def test_default_as_of_is_the_last_event_and_nothing_is_ignored(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(2), ["uk"], about="a")], parties={"guarantors": ["uk"]})
    assert iso(v.scenario.as_of) == d(2)
    assert v.scenario.ignored_events == 0
    assert ob(v, "art4.consult/uk/a").status == "fulfilled"


def test_events_after_as_of_are_ignored_and_counted(tmp_path):
    events = [attack("a", d(0)), consult("c", d(5), ["uk"], about="a"), assist("h", d(6), "uk"),
              ev("n", d(7), "nuclear_weapons")]
    v = run(tmp_path, events, as_of=d(4), parties={"guarantors": ["uk"]})
    assert v.scenario.ignored_events == 3
    assert ob(v, "art4.consult/uk/a").status == "breached"
    assert ob(v, "art1.non_nuclear/ukraine").status == "complied"
    assert v.obligation("art5.report/uk/h") is None
    # --as-of moves the verdict day and the count with it
    v = run(tmp_path, events, as_of=d(4), parties={"guarantors": ["uk"]}, check={"as_of": d(6)})
    assert (iso(v.scenario.as_of), v.scenario.ignored_events) == (d(6), 1)
    assert ob(v, "art4.consult/uk/a").status == "late"


def test_an_event_on_as_of_has_happened(tmp_path):
    v = run(tmp_path, [attack("a", d(0)), consult("c", d(3), ["uk"], about="a")], as_of=d(3),
            parties={"guarantors": ["uk"]})
    assert (ob(v, "art4.consult/uk/a").status, v.scenario.ignored_events) == ("fulfilled", 0)


def test_obligations_sorted_by_fired_date_then_id_and_not_fired_by_id(tmp_path):
    v = run(tmp_path, [attack("z", d(0)), attack("b", d(0), regions=["crimea"]), attack("a", d(2)),
                       attack("c", d(-30))], in_force_from=d(-10), as_of=d(10))
    keys = [(o.fired_on, o.id) for o in v.obligations]
    assert keys == sorted(keys)
    assert [n.id for n in v.not_fired] == sorted(n.id for n in v.not_fired)
    assert all(list(n.blocked_by) == sorted(n.blocked_by) for n in v.not_fired)


def test_the_same_scenario_gives_the_same_ids_in_the_same_order(tmp_path):
    events = [attack("a", d(0)), attack("b", d(1), regions=["crimea"]), consult("c", d(2), ["uk", "usa"])]
    first = run(tmp_path, events, as_of=d(10))
    second = run(tmp_path, events, as_of=d(10))
    assert [(o.id, o.status) for o in first.obligations] == [(o.id, o.status) for o in second.obligations]
    assert [n.id for n in first.not_fired] == [n.id for n in second.not_fired]
