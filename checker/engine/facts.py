"""A validated scenario as clingo facts, built through the symbol API only.

No scenario text is ever pasted into a program: every value becomes a clingo symbol (an
event id or free text a String, a validated lower-case name a constant, a day a Number;
see terms.py). A check gives them to the grounder through the functions it calls
(InputFacts, with solve.INPUT_PROGRAM); other callers add them as facts through the
backend (add_facts). The predicates are those declared in rules/common/inputs.lp.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from checker.engine.terms import Encoder, Name
from checker.io.pack import Pack
from checker.model import Scenario

# every predicate fact_tuples gives facts of (rules/common/inputs.lp, "Facts")
INPUTS = (("event", 3), ("seq", 2), ("arg", 3), ("role", 2), ("role_since", 3), ("pack_date", 2),
          ("region", 1), ("region_state", 2), ("region_attr", 2), ("excluded", 1), ("reading", 2),
          ("param", 2), ("provision", 2), ("provision_deadline", 2), ("as_of", 1), ("in_force_from", 1),
          ("next_day", 2))


# the input predicates whose facts the pack's manifest alone gives: no scenario, reading,
# sweep or analysis changes them (checker.maintain.derivable reads them as fixed)
PACK_ONLY = (("provision", 2), ("provision_deadline", 2))


def pack_fact_tuples(pack: Pack, name=None) -> Iterator[tuple]:
    """The facts of the PACK_ONLY predicates, as fact_tuples gives them: the pack's provisions
    and the deadline each may or must have."""
    name = name or _names()
    for provision in pack.provisions.values():
        yield ("provision", provision.id, name(provision.kind))
        if provision.deadline is not None:
            yield ("provision_deadline", provision.id, name(provision.deadline))


def fact_tuples(scenario: Scenario, pack: Pack) -> Iterator[tuple]:
    """Yield every input fact of ``scenario`` as ``(predicate, value, ...)``: a value is a
    ``str`` (a clingo string: ids, free text), a ``Name`` (a constant) or an ``int``."""
    name = _names()
    yield from _settings(scenario, pack, name)
    as_string = _as_string(pack)
    days = set()
    for event in scenario.events:
        eid = event.id
        yield ("event", eid, name(event.type), event.day)
        yield ("seq", eid, event.seq)
        days.add(event.day)
        for field, values in event.fields.items():
            fname = name(field)
            if as_string[(event.type, field)]:
                for value in values:
                    yield ("arg", eid, fname, value)
            else:
                for value in values:
                    yield ("arg", eid, fname, name(value))
    yield from _next_days(days, scenario.as_of)


def _names():
    """A function from a text to its Name, the same object for the same text."""
    const: dict[str, Name] = {}

    def name(text: str) -> Name:
        value = const.get(text)
        if value is None:
            value = const[text] = Name(text)
        return value

    return name


def _settings(scenario: Scenario, pack: Pack, name) -> Iterator[tuple]:
    """The facts of a scenario that are not about its events: its parties (and the days the
    manifest's dated ones start), the pack's own dates, the regions (with the state each
    belongs to and their attributes), readings and parameters in effect (none for a
    parameter left unset), the pack's provisions, the verdict day."""
    since = pack.role_since
    for role, members in scenario.roles.items():
        for member in members:
            yield ("role", name(member), name(role))
            day = since.get((role, member))
            if day is not None:
                yield ("role_since", name(member), name(role), day)
    for key, day in pack.dates.items():
        yield ("pack_date", name(key), day)
    for region in pack.regions:
        yield ("region", name(region))
        state = pack.region_states.get(region)
        if state is not None:
            yield ("region_state", name(region), name(state))
    for attribute, regions in pack.region_attributes.items():
        for region in regions:
            yield ("region_attr", name(region), name(attribute))
    for region in scenario.excluded_regions:
        yield ("excluded", name(region))
    for key, value in scenario.readings.items():
        yield ("reading", name(key), name(value))
    for key, number in scenario.parameters.items():
        if number is not None:  # a parameter left unset has no fact at all
            yield ("param", name(key), number)
    yield from pack_fact_tuples(pack, name)
    yield ("as_of", scenario.as_of)
    if scenario.in_force_from is not None:
        yield ("in_force_from", scenario.in_force_from)


def _as_string(pack: Pack) -> dict:
    """(event type, field) -> whether its values are strings (event ids, free text) rather
    than names (or the constants true and false)."""
    return {(etype.name, f.name): f.type in ("event", "text")
            for etype in pack.event_types.values() for f in etype.fields.values()}


def _next_days(days: set, as_of: int) -> Iterator[tuple]:
    """next_day(D1, D2) for each two event days in a row, up to the verdict day."""
    return _chain(day for day in days if day <= as_of)


def _chain(days: Iterable[int]) -> Iterator[tuple]:
    """next_day(D1, D2) for each two of ``days`` in a row."""
    ordered = sorted(set(days))
    for first, second in zip(ordered, ordered[1:]):
        yield ("next_day", first, second)


def fact_symbols(scenario: Scenario, pack: Pack, clingo=None) -> Iterator:
    """Yield every input fact of ``scenario`` as a clingo symbol (the facts of fact_tuples).
    (``clingo``, the module, is accepted for the callers that hold it; it is imported anyway.)"""
    encode = Encoder()
    for name, *args in fact_tuples(scenario, pack):
        yield encode.atom(name, args)


def add_facts(ctl, facts: Iterable[tuple]) -> None:
    """Add each ``(predicate, value, ...)`` of ``facts`` to the control ``ctl`` as a fact,
    through its backend."""
    encode = Encoder()
    atom = encode.atom
    with ctl.backend() as backend:
        add_atom, add_rule = backend.add_atom, backend.add_rule
        for name, *args in facts:
            add_rule([add_atom(atom(name, args))])


def add_symbols(ctl, symbols: Iterable) -> None:
    """Add each symbol of ``symbols`` to the control ``ctl`` as a fact, through its backend."""
    with ctl.backend() as backend:
        add_atom, add_rule = backend.add_atom, backend.add_rule
        for symbol in symbols:
            add_rule([add_atom(symbol)])


# --- the facts of a check, given to the grounder ---------------------------------------------

class InputFacts:
    """The context of a grounding with solve.INPUT_PROGRAM: its methods are the functions
    the program calls, each giving the values of one input predicate of ``scenario`` as
    symbols. ``chained_days``: the days next_day/2 chains, if not the event days up to the
    verdict day (a repair chains the days its added events may fall on too)."""

    def __init__(self, scenario: Scenario, pack: Pack, chained_days: Iterable[int] | None = None):
        encode = Encoder()
        settings: dict[str, list] = {}
        for fact in _settings(scenario, pack, _names()):
            settings.setdefault(fact[0], []).append(encode.tuple(fact[1:]))
        # the events: the hot loop of a long history, where a symbol costs a call into clingo
        # that takes longer than the rest of the loop. Each value becomes a symbol once; an
        # event is one tuple, and a field's value is one tuple with the events that have it.
        make, string, number, name = encode.tuple_of_symbols, encode.string, encode.number, encode.name
        as_string = _as_string(pack)
        events = []
        having: dict = {}   # (field, value, whether a string) -> the events that have it
        days = set()
        for event in scenario.events:
            eid = string(event.id)
            events.append(make([eid, name(event.type), number(event.day), number(event.seq)]))
            days.add(event.day)
            for field, values in event.fields.items():
                stringly = as_string[(event.type, field)]
                for value in values:
                    holders = having.get((field, value, stringly))
                    if holders is None:
                        holders = having[(field, value, stringly)] = []
                    holders.append(eid)
        self._settings = settings
        self._events = events
        self._values = [make([name(field), string(value) if stringly else name(value), number(n)])
                        for n, (field, value, stringly) in enumerate(having)]
        self._holders = list(having.values())
        chain = _next_days(days, scenario.as_of) if chained_days is None else _chain(chained_days)
        self._next_days = [encode.tuple(fact[1:]) for fact in chain]

    def event(self) -> list:
        """(E, Type, Day, Seq) for each event."""
        return self._events

    def arg_value(self) -> list:
        """(Field, Value, N) for each value some event's field holds; events_with(N) are those events."""
        return self._values

    def events_with(self, n) -> list:
        """The events whose field holds the value numbered ``n`` by arg_value."""
        return self._holders[n.number]

    def next_day(self) -> list:
        return self._next_days

    def __getattr__(self, predicate: str):
        # the settings (role/2, region/1...): a function per predicate, the same for each
        tuples = self.__dict__["_settings"].get(predicate, [])
        return lambda: tuples


# --- uncertain facts: one answer set per possible world -------------------------------------

# The choices over these facts are the engine's WORLDS_PROGRAM (solve.py).

def uncertain_fact_tuples(scenario: Scenario, pack: Pack) -> Iterator[tuple]:
    """Yield the input facts of a scenario with uncertain facts (see solve.WORLDS_PROGRAM),
    as fact_tuples does.

    Certain events become facts as in ``fact_tuples``; an uncertain event's possible days
    and values become candidate facts. ``next_day`` chains every day some event may fall on,
    which is what first_on_or_after.lp needs whatever the world.
    """
    from dataclasses import replace

    certain = replace(scenario, events=tuple(e for e in scenario.events if not e.uncertain))
    for fact in fact_tuples(certain, pack):
        if fact[0] != "next_day":
            yield fact

    as_string = _as_string(pack)

    def value(event, field, text):
        return text if as_string[(event.type, field)] else Name(text)

    days = {e.day for e in certain.events}
    for event in scenario.events:
        if not event.uncertain:
            continue
        eid = event.id
        yield ("uncertain_event", eid)
        yield ("seq", eid, event.seq)
        if event.maybe:
            yield ("maybe", eid)
        for d in event.days:
            yield ("candidate_day", eid, Name(event.type), d)
        days.update(event.days)
        for field, values in event.fields.items():
            for text in values:
                yield ("arg", eid, Name(field), value(event, field, text))
        for field, alternatives in event.options.items():
            for text in alternatives:
                yield ("candidate_arg", eid, Name(field), value(event, field, text))
    yield from _next_days(days, scenario.as_of)


def uncertain_fact_symbols(scenario: Scenario, pack: Pack, clingo=None) -> Iterator:
    """Yield the facts of uncertain_fact_tuples as clingo symbols. (``clingo``: as in
    fact_symbols.)"""
    encode = Encoder()
    for name, *args in uncertain_fact_tuples(scenario, pack):
        yield encode.atom(name, args)
