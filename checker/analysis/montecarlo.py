"""Possible worlds one by one: every one of them (``--worlds all``), or N drawn at random
(``--worlds sample:N``), each checked as the certain scenario it is, and for each duty the
share of the worlds in which it has each status.

A world fixes every uncertain fact of a scenario: the day of an event with a range of dates,
the value of each ``one_of`` field, whether a ``maybe`` event happened. The worlds of a
scenario are a family (checker.engine.multishot): each uncertain event is an axis whose
variants are its concrete alternatives, so all of them are checked on one grounding.

Chances: the days of a range are equally likely; the values of a ``one_of`` are, unless the
scenario gives ``p:`` (a chance per value); a ``maybe`` event happened with the chance its
``occurred: {p: ...}`` gives, and otherwise with the chance that makes every world of the
event equally likely (n/(n+1) for an event with n alternatives when it happened). With no
``p:`` at all every possible world is equally likely.

``all`` gives each status's exact share (the sum of the chances of the worlds that give
it). ``sample:N`` draws N worlds, each independently (world i from a generator seeded with
the seed and i, so a world does not depend on how the points were cut into chunks), and
gives each status's share of the N with a Wilson score interval (at ``confidence``).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import NormalDist
from typing import Mapping

from checker.errors import UsageError
from checker.model import SEVERITY, iso

NOT_FIRED_WORD = "not fired"
ABSENT = "does not arise"
STATUS_ORDER = tuple(s for s in SEVERITY if s != "not_fired") + (NOT_FIRED_WORD, ABSENT)


def parse_worlds(text: str) -> tuple[str, int | None]:
    """``all`` or ``sample:N`` as (mode, N)."""
    if text == "all":
        return "all", None
    mode, sep, count = text.partition(":")
    if mode == "sample" and sep:
        try:
            n = int(count)
        except ValueError:
            n = 0
        if n >= 1:
            return "sample", n
    raise UsageError(f"--worlds: expected all or sample:N (N worlds drawn, N from 1), got {text!r}")


@dataclass(frozen=True)
class WorldsPlan:
    """The worlds of an uncertain scenario to check (all, or a sample), ready to run anywhere
    (see checker.analysis.sweep.GridPlan, whose interface it shares)."""

    path: str
    title: str
    scenario: object
    pack: object
    variation: object
    chances: tuple[tuple[float, ...], ...]    # per uncertain event: the chance of each variant
    facts: tuple[tuple[str, str], ...]        # the columns: (event id, date | occurred | FIELD)
    mode: str                                 # all | sample
    count: int                                # worlds to check
    possible: int                             # worlds there are
    seed: int = 0
    timeout: float | None = None
    token: str = ""
    worlds = True

    @property
    def size(self) -> int:
        return self.count

    @property
    def columns(self) -> list[str]:
        return [f"{eid}.{what}" for eid, what in self.facts]

    @property
    def dims(self) -> tuple:
        return ()

    def choice(self, i: int) -> tuple[int, ...]:
        """The variant of each uncertain event in world ``i``."""
        if self.mode == "all":
            out = []
            for variants in reversed(self.variation.events):
                i, k = divmod(i, len(variants[1]))
                out.append(k)
            return tuple(reversed(out))
        draw = random.Random(f"{self.seed}/{i}").random
        return tuple(min(bisect.bisect_right(cumulative, draw() * cumulative[-1]), len(cumulative) - 1)
                     for cumulative in self._cumulative)

    @property
    def _cumulative(self) -> list[list[float]]:
        cached = self.__dict__.get("_cum")
        if cached is None:
            cached = [list(itertools.accumulate(c)) for c in self.chances]
            object.__setattr__(self, "_cum", cached)
        return cached

    def weight(self, i: int) -> float:
        """The chance of world ``i`` (enumerated); 1 for a world drawn (the draw weighs it)."""
        if self.mode != "all":
            return 1.0
        return math.prod(c[k] for c, k in zip(self.chances, self.choice(i)))

    def labels(self, i: int) -> tuple[str, ...]:
        chosen = {eid: variants[k] for (eid, variants), k in zip(self.variation.events, self.choice(i))}
        return tuple(_fact_label(chosen[eid], what) for eid, what in self.facts)

    def dimension_values(self) -> list[tuple[str, list[str]]]:
        out = []
        by_id = dict(self.variation.events)
        for (eid, what), name in zip(self.facts, self.columns):
            out.append((name, list(dict.fromkeys(_fact_label(v, what) for v in by_id[eid]))))
        return out


def _fact_label(event, what: str) -> str:
    if what == "occurred":
        return "true" if event is not None else "false"
    if event is None:
        return "-"
    if what == "date":
        return iso(event.day)
    return event.fields[what][0]


def worlds_of(event) -> tuple[list, list[float]]:
    """An uncertain event's alternatives (concrete events; None: it did not happen) and the
    chance of each (see the module's docstring)."""
    fields = list(event.options)
    combos = list(itertools.product(*(event.options[f] for f in fields)))
    combo_chances = []
    for combo in combos:
        chance = 1.0
        for f, value in zip(fields, combo):
            alternatives = event.options[f]
            weights = event.weights.get(f)
            chance *= weights[alternatives.index(value)] if weights else 1 / len(alternatives)
        combo_chances.append(chance)
    days = event.days
    variants, chances = [], []
    for day in days:
        for combo, chance in zip(combos, combo_chances):
            variants.append(replace(event, day=day, fields={**event.fields, **{f: (v,) for f, v in zip(fields, combo)}},
                                    date_range=None, options={}, maybe=False, weights={}, p_occurred=None))
            chances.append(chance / len(days))
    if event.maybe:
        happened = event.p_occurred if event.p_occurred is not None else len(variants) / (len(variants) + 1)
        chances = [c * happened for c in chances]
        variants.append(None)
        chances.append(1 - happened)
    return variants, chances


def plan_worlds(path: str | Path, worlds: str, *, seed: int = 0, rules_root: Path | None = None,
                as_of: str | None = None, readings: Mapping[str, str] | None = None,
                parameters: Mapping[str, int | None] | None = None, timeout: float | None = None,
                max_points: int = 100_000, treaty: str | None = None) -> WorldsPlan:
    """The worlds of ``path`` to check (``worlds``: all or sample:N), bounded before any is built
    (``treaty``: the one to read a history of several under)."""
    from checker.analysis.sweep import _token, check_bound
    from checker.engine.multishot import Variation
    from checker.io.scenario import load_scenario

    mode, count = parse_worlds(worlds)
    scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                   parameters=parameters, treaty=treaty)
    uncertain = [e for e in scenario.events if e.uncertain]
    possible = scenario.world_count
    if mode == "all":
        check_bound(possible, max_points, "--worlds all: the scenario", "possible worlds")
        count = possible
    else:
        check_bound(count, max_points, f"--worlds sample:{count}: the sample", "worlds")
    events, chances, facts = [], [], []
    for e in uncertain:
        variants, weights = worlds_of(e)
        events.append((e.id, tuple(variants)))
        chances.append(tuple(weights))
        if e.maybe:
            facts.append((e.id, "occurred"))
        if e.date_range is not None:
            facts.append((e.id, "date"))
        facts.extend((e.id, f) for f in e.options)
    variation = Variation(events=tuple(events))
    return WorldsPlan(str(path), scenario.title, scenario, pack, variation, tuple(chances), tuple(facts),
                      mode, count, possible, seed=seed, timeout=timeout, token=_token())


# --- shares -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """The share of the worlds in which a duty has a status, with its interval (the share
    itself at both ends for an exact one)."""

    share: float
    low: float
    high: float
    worlds: int


def wilson(successes: int, n: int, confidence: float) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes``/``n`` at ``confidence``."""
    if n == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def status_of(cell: str | None) -> str:
    """A verdict cell as a status of the share table."""
    if cell is None:
        return ABSENT
    if cell.startswith("not fired"):
        return NOT_FIRED_WORD
    return cell


def shares(plan: WorldsPlan, table, confidence: float = 0.95) -> dict[str, dict[str, Share]]:
    """For each duty that arises in some world: the share of the worlds in each status it takes."""
    mass: dict[int, float] = {}
    counts: dict[int, int] = {}
    exact = plan.mode == "all"
    for i, p in enumerate(table.points):
        counts[p] = counts.get(p, 0) + 1
        if exact:
            mass[p] = mass.get(p, 0.0) + plan.weight(i)
    total = math.fsum(mass.values()) if exact else len(table.points)
    out: dict[str, dict[str, Share]] = {}
    for column, ob_id in enumerate(table.ids):
        by_status: dict[str, list] = {}
        for p, n in counts.items():
            entry = by_status.setdefault(status_of(table.cell(p, column)), [0.0, 0])
            entry[0] += mass[p] if exact else n
            entry[1] += n
        row = {}
        for status in sorted(by_status, key=STATUS_ORDER.index):
            weight, worlds = by_status[status]
            share = weight / total if total else 0.0
            low, high = (share, share) if exact else wilson(worlds, len(table.points), confidence)
            row[status] = Share(share, low, high, worlds)
        out[ob_id] = row
    return out


def shares_document(plan: WorldsPlan, table, confidence: float) -> dict:
    """The shares as JSON: the mode, the sample, and per duty per status its share."""
    return {
        "mode": plan.mode, "worlds": plan.count, "possible": plan.possible,
        "seed": plan.seed if plan.mode == "sample" else None,
        "interval": "exact" if plan.mode == "all" else "wilson",
        "confidence": None if plan.mode == "all" else confidence,
        "shares": {ob_id: {status: {"share": round(s.share, 6), "low": round(s.low, 6), "high": round(s.high, 6),
                                    "worlds": s.worlds} for status, s in row.items()}
                   for ob_id, row in shares(plan, table, confidence).items()},
    }
