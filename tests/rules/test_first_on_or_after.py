"""rules/common/first_on_or_after.lp: the earliest candidate day on or after each event day.

Reads candidate_day(Key, Day) and next_day(D1, D2) (the chain of event days); writes
first_on_or_after(Key, D, Day): for each event day D, the earliest candidate day >= D.
Compared with a brute-force answer on random inputs.
"""

from __future__ import annotations

import random

import clingo
import pytest

from tests.helpers import solve_rules

F, N = clingo.Function, clingo.Number


def solve(days: list[int], candidates: dict[str, set[int]]) -> dict[tuple[str, int], list[int]]:
    facts = [F("next_day", [N(a), N(b)]) for a, b in zip(days, days[1:])]
    facts += [F("candidate_day", [F(key), N(day)]) for key, ds in candidates.items() for day in ds]
    out: dict[tuple[str, int], list[int]] = {}
    for sym in solve_rules(["inputs.lp", "first_on_or_after.lp"], facts):
        if sym.name == "first_on_or_after":
            key, day, first = sym.arguments
            out.setdefault((key.name, day.number), []).append(first.number)
    return out


def brute(days, candidates):
    out = {}
    for key, ds in candidates.items():
        for day in days:
            later = [c for c in ds if c >= day]
            if later:
                out[(key, day)] = [min(later)]
    return out


def test_simple_chain():
    days = [1, 4, 6, 9, 12]
    got = solve(days, {"k": {4, 9}})
    assert got == {("k", 1): [4], ("k", 4): [4], ("k", 6): [9], ("k", 9): [9]}


def test_a_candidate_on_the_day_itself_is_first():
    assert solve([1, 2], {"k": {1, 2}}) == {("k", 1): [1], ("k", 2): [2]}


def test_no_candidate_after_the_day_gives_nothing():
    assert solve([1, 2, 3], {"k": {1}}) == {("k", 1): [1]}


def test_keys_are_independent():
    got = solve([1, 2, 3], {"a": {3}, "b": {2}})
    assert got == {("a", 1): [3], ("a", 2): [3], ("a", 3): [3], ("b", 1): [2], ("b", 2): [2]}


@pytest.mark.parametrize("seed", range(5))
def test_matches_brute_force(seed):
    rng = random.Random(seed)
    days = sorted(rng.sample(range(700000, 701000), 60))
    candidates = {f"k{i}": set(rng.sample(days, rng.randint(0, 15))) for i in range(6)}
    assert solve(days, candidates) == brute(days, candidates)
