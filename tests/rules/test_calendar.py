"""rules/common/calendar.lp: years_after(D, N, X), the same calendar date N years after day D.

Days are proleptic Gregorian ordinals (Python's date.toordinal); 29 February maps to 28
February in a year that is not a leap year. Compared with Python's datetime.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

import clingo
import pytest

from tests.helpers import solve_rules


def expected_years_after(day: int, years: int) -> int:
    start = dt.date.fromordinal(day)
    target_year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(target_year):
        return dt.date(target_year, 2, 28).toordinal()
    return start.replace(year=target_year).toordinal()


def computed(pairs) -> dict[tuple[int, int], list[int]]:
    facts = [clingo.Function("want_years_after", [clingo.Number(day), clingo.Number(n)]) for day, n in pairs]
    out: dict[tuple[int, int], list[int]] = {}
    for sym in solve_rules(["calendar.lp"], facts):
        if sym.name == "years_after":
            day, n, x = (a.number for a in sym.arguments)
            out.setdefault((day, n), []).append(x)
    return out


def _edge_dates():
    for year in (1, 4, 100, 1582, 1600, 1700, 1800, 1899, 1900, 1904, 1999, 2000, 2001, 2023, 2024, 2027, 2028,
                 2100, 2400, 8999):
        for month, day in ((1, 1), (2, 28), (3, 1), (12, 31), (6, 15)):
            yield dt.date(year, month, day)
        if calendar.isleap(year):
            yield dt.date(year, 2, 29)


def _cases():
    rng = random.Random(20220329)
    cases = {(date.toordinal(), n) for date in _edge_dates() for n in (0, 1, 3, 4, 15, 96, 100, 400, 1000)}
    lo, hi = dt.date(1, 1, 1).toordinal(), dt.date(8000, 12, 31).toordinal()
    cases |= {(rng.randint(lo, hi), rng.choice((1, 2, 4, 15, 15, 15, 25, 100, 399, 1999))) for _ in range(3000)}
    # every day of a few years, for the default fifteen years
    cases |= {(day, 15) for day in range(dt.date(2026, 1, 1).toordinal(), dt.date(2030, 1, 1).toordinal())}
    return sorted(cases)


CASES = _cases()


def test_years_after_matches_python_for_many_dates():
    result = computed(CASES)
    wrong = [(dt.date.fromordinal(day).isoformat(), n, [dt.date.fromordinal(x).isoformat() for x in result.get((day, n), [])],
              dt.date.fromordinal(expected_years_after(day, n)).isoformat())
             for day, n in CASES if result.get((day, n)) != [expected_years_after(day, n)]]
    assert not wrong, f"{len(wrong)} of {len(CASES)} wrong, e.g. (date, years, got, expected): {wrong[:5]}"


@pytest.mark.parametrize("start,years,end", [
    ("2028-02-29", 15, "2043-02-28"),
    ("2028-02-29", 4, "2032-02-29"),
    ("2028-02-29", 1, "2029-02-28"),
    ("2027-02-28", 1, "2028-02-28"),
    ("2027-03-01", 15, "2042-03-01"),
    ("2096-02-29", 4, "2100-02-28"),     # 2100 is no leap year
    ("1996-02-29", 4, "2000-02-29"),     # 2000 is
    ("2022-02-24", 15, "2037-02-24"),
    ("2027-12-31", 1, "2028-12-31"),
])
def test_named_boundaries(start, years, end):
    day = dt.date.fromisoformat(start).toordinal()
    assert computed([(day, years)]) == {(day, years): [dt.date.fromisoformat(end).toordinal()]}


def test_nothing_is_computed_unless_asked():
    assert not [s for s in solve_rules(["calendar.lp"]) if s.name == "years_after"]
