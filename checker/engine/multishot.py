"""Many variants of one scenario, grounded once and solved once each (clingo multi-shot).

A *family* is a scenario (its base) and the ways it varies: some of its events each have a
list of variants (another day, other field values, made uncertain, or not there at all),
some readings and parameters a list of values, and the verdict day, when the file leaves it
to the last event, follows the events. The input facts that are the same in every member
are given to the grounder as facts; every fact some member has and another lacks is an
``#external`` atom. The rules are grounded once with all of them; a member is checked by
switching its externals on and the others off (``assign_external``), then solving. Only the
externals that differ from the member solved before are switched.

Two groundings at most, each made on first need: the part `report` for a member whose facts
are all certain, and the possible worlds (brave and cautious consequences over the part
`shown`) for a member with an uncertain fact, exactly as a check of that member would.

The externals are declared by the program (``#external _varied_event(E, T, D) : (E, T, D) =
@varied_event.``, copied into ``event/3`` by a rule), their values given by the functions it
calls, never through the backend: an external added through the backend before grounding
let the grounder drop rule instances (a model with ``meets/3`` and ``fired/2`` true but
``met/1`` false).

``next_day/2`` chains the event days of each member: the pairs of days that are consecutive
in some member and not in all are externals too (a day between two fixed event days splits
their pair). How many such pairs a family may have is bounded (MAX_CHAIN_PAIRS).

One module, though long: the grounding with the varied facts as externals and the solve of
each point share the tables that map a point's values to those externals.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from checker.engine.decode import REPORT_PART, SHOWN_PART, decode, decode_worlds
from checker.engine.facts import fact_tuples, uncertain_fact_tuples
from checker.engine.solve import add_worlds_program, control, ground
from checker.engine.terms import Encoder
from checker.errors import PackError, Problem, ScenarioError, SolveTimeout, UsageError
from checker.io.pack import Pack
from checker.model import Event, Scenario, Verdicts

# every input predicate a member's facts may hold (rules/common/inputs.lp, and the facts of
# possible worlds: solve.WORLDS_PROGRAM)
PREDICATES = (("event", 3), ("seq", 2), ("arg", 3), ("role", 2), ("role_since", 3), ("pack_date", 2),
              ("region", 1), ("region_state", 2), ("region_attr", 2), ("excluded", 1), ("reading", 2),
              ("param", 2), ("provision", 2), ("provision_deadline", 2), ("as_of", 1), ("in_force_from", 1),
              ("next_day", 2), ("uncertain_event", 1), ("maybe", 1), ("candidate_day", 3), ("candidate_arg", 3))

# A fact rule and an external declaration per predicate, their values from the context's
# functions (fact_NAME, varied_NAME): engine text, no scenario value in it. An external is an
# atom of its own that a rule copies into the input predicate, never the input atom itself:
# clingo stops treating an external as one when a rule has it in its head, and the possible
# worlds' choice rules (solve.WORLDS_PROGRAM) have event/3 and arg/3 there.
EXTERNAL_PREFIX = "_varied_"
FAMILY_PROGRAM = """
event(E, T, D) :- (E, T, D) = @fact_event.
#external _varied_event(E, T, D) : (E, T, D) = @varied_event.
event(E, T, D) :- _varied_event(E, T, D).
seq(E, S) :- (E, S) = @fact_seq.
#external _varied_seq(E, S) : (E, S) = @varied_seq.
seq(E, S) :- _varied_seq(E, S).
arg(E, F, V) :- (E, F, V) = @fact_arg.
#external _varied_arg(E, F, V) : (E, F, V) = @varied_arg.
arg(E, F, V) :- _varied_arg(E, F, V).
role(P, L) :- (P, L) = @fact_role.
role_since(P, L, D) :- (P, L, D) = @fact_role_since.
pack_date(K, D) :- (K, D) = @fact_pack_date.
region(R) :- (R,) = @fact_region.
region_state(R, S) :- (R, S) = @fact_region_state.
region_attr(R, A) :- (R, A) = @fact_region_attr.
excluded(R) :- (R,) = @fact_excluded.
reading(K, V) :- (K, V) = @fact_reading.
#external _varied_reading(K, V) : (K, V) = @varied_reading.
reading(K, V) :- _varied_reading(K, V).
param(K, N) :- (K, N) = @fact_param.
#external _varied_param(K, N) : (K, N) = @varied_param.
param(K, N) :- _varied_param(K, N).
provision(P, K) :- (P, K) = @fact_provision.
provision_deadline(P, M) :- (P, M) = @fact_provision_deadline.
as_of(D) :- (D,) = @fact_as_of.
#external _varied_as_of(D) : (D,) = @varied_as_of.
as_of(D) :- _varied_as_of(D).
in_force_from(D) :- (D,) = @fact_in_force_from.
next_day(D1, D2) :- (D1, D2) = @fact_next_day.
#external _varied_next_day(D1, D2) : (D1, D2) = @varied_next_day.
next_day(D1, D2) :- _varied_next_day(D1, D2).
uncertain_event(E) :- (E,) = @fact_uncertain_event.
#external _varied_uncertain_event(E) : (E,) = @varied_uncertain_event.
uncertain_event(E) :- _varied_uncertain_event(E).
maybe(E) :- (E,) = @fact_maybe.
#external _varied_maybe(E) : (E,) = @varied_maybe.
maybe(E) :- _varied_maybe(E).
candidate_day(E, T, D) :- (E, T, D) = @fact_candidate_day.
#external _varied_candidate_day(E, T, D) : (E, T, D) = @varied_candidate_day.
candidate_day(E, T, D) :- _varied_candidate_day(E, T, D).
candidate_arg(E, F, V) :- (E, F, V) = @fact_candidate_arg.
#external _varied_candidate_arg(E, F, V) : (E, F, V) = @varied_candidate_arg.
candidate_arg(E, F, V) :- _varied_candidate_arg(E, F, V).
"""

# the day pairs next_day/2 may have to switch, at most (a date varied over a wide range among
# other varied dates between the same two fixed event days grows them quadratically)
MAX_CHAIN_PAIRS = 200_000

CERTAIN, WORLDS = "certain", "worlds"
DECODED_KEPT = 256    # models whose verdicts a grounding keeps (the first kept goes first)


@dataclass(frozen=True)
class Variation:
    """How the members of a family differ from its base scenario: for some events, their
    variants (None: the event is not there); for some readings and parameters, their values
    (a parameter's None: left unset); whether the verdict day follows the events (a file that
    gives no ``as_of``: the last day an event may fall on)."""

    events: tuple[tuple[str, tuple[Event | None, ...]], ...] = ()
    readings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parameters: tuple[tuple[str, tuple[int | None, ...]], ...] = ()
    derive_as_of: bool = False

    @property
    def axes(self) -> int:
        """How many values a member's choice holds: one per varied event, reading, parameter."""
        return len(self.events) + len(self.readings) + len(self.parameters)


class _Context:
    """The functions FAMILY_PROGRAM calls: fact_NAME and varied_NAME give the argument tuples
    of predicate NAME as symbols."""

    def __init__(self, facts: dict, varied: dict):
        self._facts, self._varied = facts, varied

    def __getattr__(self, name: str):
        kind, _, predicate = name.partition("_")
        table = self.__dict__["_facts" if kind == "fact" else "_varied"]
        tuples = table.get(predicate, [])
        return lambda: tuples


def _predicate(fact: tuple) -> str:
    return fact[0]


class Family:
    """A scenario and its variants (``variation``) under ``pack``, ready to be checked member
    by member: ``verdicts(choice)`` is what a check of ``scenario_at(choice)`` says.

    A *choice* holds an index per axis of the variation: the variant of each varied event,
    then the value of each varied reading, then of each varied parameter."""

    def __init__(self, scenario: Scenario, pack: Pack, variation: Variation):
        self.base, self.pack, self.variation = scenario, pack, variation
        varied_ids = [eid for eid, _ in variation.events]
        if len(set(varied_ids)) != len(varied_ids):
            raise UsageError("an event is varied twice")
        index = {e.id: i for i, e in enumerate(scenario.events)}
        missing = [eid for eid in varied_ids if eid not in index]
        if missing:
            raise UsageError(f"no event {missing[0]!r} to vary")
        self._positions = [index[eid] for eid in varied_ids]
        self._variants = [variants for _, variants in variation.events]
        varied = set(varied_ids)
        self._fixed_events = tuple(e for e in scenario.events if e.id not in varied)
        self._fixed_uncertain = any(e.uncertain for e in self._fixed_events)
        self._uncertain_variant = [[v is not None and v.uncertain for v in variants] for variants in self._variants]
        self._readings = [(k, values) for k, values in variation.readings]
        self._parameters = [(k, values) for k, values in variation.parameters]
        self._fixed_last = max((_last_day(e) for e in self._fixed_events), default=None)
        self._groundings: dict[str, _Grounding] = {}
        self.groundings = 0  # how many times the rules were grounded (at most one per kind)

    # --- the members -----------------------------------------------------------------------
    def scenario_at(self, choice: Sequence[int]) -> Scenario:
        """The member ``choice`` names, as the validated scenario a check of it would read."""
        events, readings, parameters = self._parts(choice)
        as_of = self._as_of(events)
        return replace(self.base, events=events, readings=readings, parameters=parameters, as_of=as_of,
                       ignored_events=sum(1 for e in events if e.day > as_of))

    def _parts(self, choice: Sequence[int]):
        n = len(self._positions)
        if len(choice) != self.variation.axes:
            raise ValueError(f"a choice holds {self.variation.axes} values, not {len(choice)}")
        events = list(self.base.events)
        for position, variants, k in zip(self._positions, self._variants, choice):
            events[position] = variants[k]
        events_ = tuple(e for e in events if e is not None)
        readings = dict(self.base.readings)
        for (key, values), k in zip(self._readings, choice[n:]):
            readings[key] = values[k]
        parameters = dict(self.base.parameters)
        for (key, values), k in zip(self._parameters, choice[n + len(self._readings):]):
            parameters[key] = values[k]
        return events_, readings, parameters

    def _as_of(self, events: Sequence[Event]) -> int:
        if not self.variation.derive_as_of:
            return self.base.as_of
        if not events:
            raise ScenarioError([Problem(self.base.path, 1, "as_of", "is required when there are no events")])
        return max(_last_day(e) for e in events)

    def kind(self, choice: Sequence[int]) -> str:
        """Which grounding checks the member: ``worlds`` when one of its facts is uncertain."""
        if self._fixed_uncertain:
            return WORLDS
        for flags, k in zip(self._uncertain_variant, choice):
            if flags[k]:
                return WORLDS
        return CERTAIN

    def verdicts(self, choice: Sequence[int], *, timeout: float | None = None) -> Verdicts:
        """The verdicts on the member ``choice`` names (as check_scenario gives them)."""
        scenario = self.scenario_at(choice)
        kind = self.kind(choice)
        grounding = self._groundings.get(kind)
        if grounding is None:
            grounding = self._groundings[kind] = _Grounding(self, kind)
            self.groundings += 1
        return grounding.check(choice, scenario, timeout)


def _last_day(event: Event) -> int:
    """The last day an event may fall on (the verdict day a file without as_of takes)."""
    return event.date_range[1] if event.date_range else event.day


class _Grounding:
    """The rules grounded once for every member of one kind, and the externals now switched on."""

    def __init__(self, family: Family, kind: str):
        self.family, self.kind = family, kind
        base, pack = family.base, family.pack
        facts_of = uncertain_fact_tuples if kind == WORLDS else fact_tuples
        self._facts_of = facts_of
        settings = self._settings_facts(base)
        # the facts of each variant of each varied event, and of each varied setting
        self.event_facts: list[list[frozenset]] = []
        empty = replace(base, events=())
        for variants in family._variants:
            self.event_facts.append([frozenset() if v is None or (kind == CERTAIN and v.uncertain)
                                     else self._event_facts(empty, v) for v in variants])
        self.reading_facts = self._setting_variants(base, "readings", family._readings)
        self.parameter_facts = self._setting_variants(base, "parameters", family._parameters)
        varied_settings = {f for table in (self.reading_facts, self.parameter_facts)
                           for by_value in table for facts in by_value for f in facts}
        base_varied = set()
        for table, attribute in ((family._readings, "readings"), (family._parameters, "parameters")):
            for key, _ in table:
                base_varied |= self._setting_facts_of(base, attribute, key)
        fixed = [f for f in settings if f not in varied_settings and f not in base_varied
                 and _predicate(f) != "as_of"]
        # the verdict day: a fact, or an external per day it may take
        as_of_days = self._as_of_days()
        if len(as_of_days) == 1:
            fixed.append(("as_of", next(iter(as_of_days))))
            self.as_of_varies = False
        else:
            self.as_of_varies = True
        # the fixed events' facts (next_day apart: chained below)
        fixed_events = replace(base, events=family._fixed_events)
        fixed.extend(f for f in facts_of(fixed_events, pack) if _predicate(f) != "next_day"
                     and f not in settings)
        # the chain of event days
        self.fixed_days = sorted({d for e in family._fixed_events for d in self._days(e)
                                  if family.variation.derive_as_of or d <= base.as_of})
        chain_pairs = self._chain_candidates()
        fixed_chain = set(zip(self.fixed_days, self.fixed_days[1:]))
        self.splittable = {p for p in fixed_chain if p in chain_pairs}
        fixed.extend(("next_day",) + p for p in sorted(fixed_chain - self.splittable))
        externals = set(varied_settings)
        for by_variant in self.event_facts:
            for facts in by_variant:
                externals |= facts
        externals |= {("as_of", d) for d in as_of_days} if self.as_of_varies else set()
        externals |= {("next_day",) + p for p in chain_pairs}
        self._ground(fixed, externals)

    # --- facts -----------------------------------------------------------------------------
    def _settings_facts(self, scenario: Scenario) -> set:
        """The facts of a scenario that are about no event."""
        return {f for f in self._facts_of(replace(scenario, events=()), self.family.pack)
                if _predicate(f) != "next_day"}

    def _event_facts(self, empty: Scenario, event: Event) -> frozenset:
        """The facts one event adds to a scenario (its days chained apart)."""
        with_it = self._facts_of(replace(empty, events=(event,)), self.family.pack)
        settings = self._settings_facts(empty)
        return frozenset(f for f in with_it if f not in settings and _predicate(f) != "next_day")

    def _setting_facts_of(self, scenario: Scenario, attribute: str, key: str) -> set:
        """The facts that setting ``key`` (a reading or parameter) gives in ``scenario``."""
        values = dict(getattr(scenario, attribute))
        without = dict(values)
        without.pop(key, None)
        return self._settings_facts(scenario) - self._settings_facts(replace(scenario, **{attribute: without}))

    def _setting_variants(self, base: Scenario, attribute: str, table) -> list[list[frozenset]]:
        out = []
        for key, values in table:
            by_value = []
            for value in values:
                member = replace(base, **{attribute: {**getattr(base, attribute), key: value}})
                by_value.append(frozenset(self._setting_facts_of(member, attribute, key)))
            out.append(by_value)
        return out

    def _as_of_days(self) -> set:
        family = self.family
        if not family.variation.derive_as_of:
            return {family.base.as_of}
        last = family._fixed_last
        days = set()
        ends = [[_last_day(v) for v in variants if v is not None] for variants in family._variants]
        # the verdict day is the latest of the fixed events' and the chosen variants' last days
        options = {last} if last is not None else set()
        for variant_ends in ends:
            options |= set(variant_ends)
        floor = last if last is not None else min(options, default=0)
        for day in options:
            if day >= floor:
                days.add(day)
        return days or {family.base.as_of}

    def _days(self, event: Event) -> Iterable[int]:
        """The days ``event`` puts on the chain in this kind of grounding."""
        return event.days if self.kind == WORLDS else (event.day,)

    def _variant_days(self, variant: Event | None) -> tuple:
        if variant is None or (self.kind == CERTAIN and variant.uncertain):
            return ()
        return tuple(self._days(variant))

    def _chain_candidates(self) -> set:
        """Every pair of days that is consecutive on the chain of some member: days with no
        fixed event day between them, not two days of one event's different variants (those
        never meet), not two days of one variant's range that are not next to each other."""
        family = self.family
        fixed = self.fixed_days
        limit = None if family.variation.derive_as_of else family.base.as_of
        gaps: dict[int, list[tuple[int, int, int]]] = {}  # gap index -> (day, event axis, variant)
        for axis, variants in enumerate(family._variants):
            for k, v in enumerate(variants):
                for day in self._variant_days(v):
                    if limit is not None and day > limit:
                        continue
                    i = bisect.bisect_left(fixed, day)
                    if i < len(fixed) and fixed[i] == day:
                        continue  # already on the chain
                    gaps.setdefault(i, []).append((day, axis, k))
        pairs: set = set()
        for i, entries in gaps.items():
            left = fixed[i - 1] if i > 0 else None
            right = fixed[i] if i < len(fixed) else None
            days = sorted(set(d for d, _, _ in entries))
            owners: dict[int, set] = {}
            for d, axis, k in entries:
                owners.setdefault(d, set()).add((axis, k))
            if left is not None and right is not None:
                pairs.add((left, right))
            for d in days:
                if left is not None:
                    pairs.add((left, d))
                if right is not None:
                    pairs.add((d, right))
            for a_i, a in enumerate(days):
                for b in days[a_i + 1:]:
                    if _may_meet(owners[a], owners[b], a, b):
                        pairs.add((a, b))
                if len(pairs) > MAX_CHAIN_PAIRS:
                    raise UsageError(f"--vary: the varied dates fall on too many days between the same two "
                                     f"events: more than {MAX_CHAIN_PAIRS} pairs of days to chain; "
                                     "vary them over narrower ranges")
        return pairs

    # --- grounding -------------------------------------------------------------------------
    def _ground(self, fixed: list, externals: set) -> None:
        encode = Encoder()
        facts: dict[str, list] = {}
        for f in fixed:
            facts.setdefault(f[0], []).append(encode.tuple(f[1:]))
        varied: dict[str, list] = {}
        self.symbols: dict[tuple, object] = {}
        for f in sorted(externals, key=repr):
            symbol = encode.atom(EXTERNAL_PREFIX + f[0], f[1:])
            self.symbols[f] = symbol
            varied.setdefault(f[0], []).append(encode.tuple(f[1:]))
        options = ["--warn=none"] + (["--models=2"] if self.kind == CERTAIN else [])
        ctl, messages = control(self.family.pack, options)
        ctl.add("base", [], FAMILY_PROGRAM)
        if self.kind == WORLDS:
            add_worlds_program(ctl)
        part = SHOWN_PART if self.kind == WORLDS else REPORT_PART
        start, cpu = time.perf_counter(), time.process_time()
        ground(ctl, messages, (("base", []), (part, [])), _Context(facts, varied))
        self.ground_seconds = time.perf_counter() - start
        self.ground_cpu_seconds = time.process_time() - cpu
        atoms = ctl.symbolic_atoms
        self.literal: dict[tuple, int] = {}
        for f, symbol in self.symbols.items():
            atom = atoms[symbol]
            if atom is not None:
                self.literal[f] = atom.literal
        self.ctl = ctl
        self.on: set = set()   # the literals of the externals now true
        self._decoded: dict = {}

    # --- a member --------------------------------------------------------------------------
    def _true_facts(self, choice: Sequence[int], scenario: Scenario) -> set:
        family = self.family
        n = len(family._positions)
        true: set = set()
        chosen_days: list[int] = []
        limit = None if family.variation.derive_as_of else scenario.as_of
        for axis, k in enumerate(choice[:n]):
            true |= self.event_facts[axis][k]
            for day in self._variant_days(family._variants[axis][k]):
                if limit is None or day <= limit:
                    chosen_days.append(day)
        r = len(family._readings)
        for axis, k in enumerate(choice[n:n + r]):
            true |= self.reading_facts[axis][k]
        for axis, k in enumerate(choice[n + r:]):
            true |= self.parameter_facts[axis][k]
        if self.as_of_varies:
            true.add(("as_of", scenario.as_of))
        true |= self._chain(chosen_days)
        return true

    def _chain(self, days: list[int]) -> set:
        """The externals of next_day/2 true for a member whose varied events fall on ``days``."""
        fixed = self.fixed_days
        split: dict[int, set] = {}
        for day in days:
            i = bisect.bisect_left(fixed, day)
            if i < len(fixed) and fixed[i] == day:
                continue
            split.setdefault(i, set()).add(day)
        out = {("next_day",) + p for p in self.splittable}
        for i, between in split.items():
            left = fixed[i - 1] if i > 0 else None
            right = fixed[i] if i < len(fixed) else None
            if left is not None and right is not None:
                out.discard(("next_day", left, right))
            run = ([left] if left is not None else []) + sorted(between) + ([right] if right is not None else [])
            out.update(("next_day", a, b) for a, b in zip(run, run[1:]))
        return out

    def check(self, choice: Sequence[int], scenario: Scenario, timeout: float | None) -> Verdicts:
        true = self._true_facts(choice, scenario)
        literal = self.literal
        want = set()
        for f in true:
            lit = literal.get(f)
            if lit is None:
                if f not in self.symbols:  # a fact no external stands for: the family is wrong
                    raise RuntimeError(f"multishot: no external for {f!r}")
                continue  # grounded away: no rule reads it
            want.add(lit)
        ctl = self.ctl
        for lit in self.on - want:
            ctl.assign_external(lit, False)
        for lit in want - self.on:
            ctl.assign_external(lit, True)
        self.on = want
        pack = self.family.pack
        if self.kind == CERTAIN:
            models = self._solve(timeout, scenario.path)
            if len(models) != 1:
                raise PackError(f"rules: {pack.name} gave {len(models) or 'no'} answer set"
                                f"{'s' if len(models) != 1 else ''} for {scenario.path}; "
                                "the rules must be stratified and give exactly one")
            key = tuple(models[0])
            decoded = self._decoded.get(key)
            if decoded is None:
                decoded = decode(models[0], scenario, pack)
                self._remember(key, decoded)
            return replace(decoded, scenario=scenario)
        brave = self._consequences("brave", timeout, scenario.path)
        cautious = self._consequences("cautious", timeout, scenario.path)
        key = (tuple(brave), tuple(cautious), scenario.world_count)
        decoded = self._decoded.get(key)
        if decoded is None:
            decoded = decode_worlds(brave, cautious, scenario, pack, worlds=scenario.world_count)
            self._remember(key, decoded)
        return replace(decoded, scenario=scenario)

    def _remember(self, key, verdicts: Verdicts) -> None:
        """Keep the verdicts a model decodes to: neighbouring points mostly give the same
        model (decoding one costs about as much as solving it)."""
        if len(self._decoded) >= DECODED_KEPT:
            self._decoded.pop(next(iter(self._decoded)))
        self._decoded[key] = verdicts

    def _solve(self, timeout: float | None, path: str) -> list:
        models: list = []
        if timeout is None:  # (a solve in a thread of its own costs a thread a point)
            self.ctl.solve(on_model=lambda m: models.append(m.symbols(shown=True)))
            return models
        with self.ctl.solve(on_model=lambda m: models.append(m.symbols(shown=True)), async_=True) as handle:
            if not (handle.wait() if timeout is None else handle.wait(timeout)):
                handle.cancel()
                raise SolveTimeout(f"{path}:1: timeout: checking took longer than the time allowed "
                                   "(--timeout), while solving")
            handle.get()
        return models

    def _consequences(self, mode: str, timeout: float | None, path: str) -> list:
        ctl = self.ctl
        ctl.configuration.solve.enum_mode = mode
        ctl.configuration.solve.models = 0
        last: list = []

        def on_model(model):
            last[:] = model.symbols(shown=True)

        if timeout is None:
            result = ctl.solve(on_model=on_model)
        else:
            with ctl.solve(on_model=on_model, async_=True) as handle:
                if not handle.wait(timeout):
                    handle.cancel()
                    raise SolveTimeout(f"{path}:1: timeout: checking took longer than the time allowed "
                                       "(--timeout), while solving")
                result = handle.get()
        if not result.satisfiable:
            raise PackError(f"rules: no possible world for {path}: the uncertain facts exclude each other")
        return last

    def solve_only(self) -> float:
        """Solve the member whose externals are now switched on once more, and how long that
        took in seconds: the floor a member's check cannot go below (benchmarks)."""
        start = time.perf_counter()
        if self.kind == CERTAIN:
            self._solve(None, self.family.base.path)
        else:
            self._consequences("brave", None, self.family.base.path)
            self._consequences("cautious", None, self.family.base.path)
        return time.perf_counter() - start


def _may_meet(owners_a: set, owners_b: set, a: int, b: int) -> bool:
    """Whether days ``a`` < ``b`` may both be on one member's chain with nothing between:
    they come from different events, or from one variant whose days run on from ``a`` to ``b``."""
    for axis_a, k_a in owners_a:
        for axis_b, k_b in owners_b:
            if axis_a != axis_b:
                return True
            if k_a == k_b and b == a + 1:
                return True
    return False
