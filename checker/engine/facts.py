"""Turning a validated scenario into clingo facts, through the symbol API only.

No scenario text is ever pasted into a program: every value becomes a clingo symbol (an
event id or free text a String, a validated lower-case name a constant) and reaches the
solver through the backend. The predicates are those declared in rules/common/inputs.lp.
"""

from __future__ import annotations

from typing import Iterator

from checker.engine.clingo_io import Name
from checker.io.pack import Pack
from checker.model import Scenario

# imported lazily by the engine: clingo's import is most of the CLI's start-up time

# every predicate fact_tuples gives facts of (rules/common/inputs.lp, "Facts")
INPUTS = (("event", 3), ("seq", 2), ("arg", 3), ("role", 2), ("role_since", 3), ("pack_date", 2),
          ("region", 1), ("region_state", 2), ("region_attr", 2), ("excluded", 1), ("reading", 2),
          ("param", 2), ("provision", 2), ("provision_deadline", 2), ("as_of", 1), ("in_force_from", 1),
          ("next_day", 2))


def fact_tuples(scenario: Scenario, pack: Pack) -> Iterator[tuple]:
    """Yield every input fact of ``scenario`` as ``(predicate, arg, ...)``: an argument is a
    ``str`` (a clingo string: ids, free text), a ``Name`` (a constant) or an ``int``.
    clingo_io.add_facts turns them into symbols."""
    const: dict[str, Name] = {}

    def name(text: str) -> Name:
        value = const.get(text)
        if value is None:
            value = const[text] = Name(text)
        return value

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
    for provision in pack.provisions.values():
        yield ("provision", provision.id, name(provision.kind))
        if provision.deadline is not None:
            yield ("provision_deadline", provision.id, name(provision.deadline))
    yield ("as_of", scenario.as_of)
    if scenario.in_force_from is not None:
        yield ("in_force_from", scenario.in_force_from)

    # a value is a constant when the manifest says it is a name (or true or false), a string
    # otherwise
    as_string = {
        (etype.name, f.name): f.type in ("event", "text")
        for etype in pack.event_types.values() for f in etype.fields.values()
    }
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
    ordered = sorted(day for day in days if day <= scenario.as_of)
    for first, second in zip(ordered, ordered[1:]):
        yield ("next_day", first, second)


def fact_symbols(scenario: Scenario, pack: Pack, clingo) -> Iterator:
    """Yield every input fact of ``scenario`` as a clingo symbol (the facts of fact_tuples)."""
    Function, Number, String = clingo.Function, clingo.Number, clingo.String
    constants: dict[str, object] = {}

    def term(value):
        if type(value) is int:
            return Number(value)
        if type(value) is Name:
            sym = constants.get(value)
            if sym is None:
                sym = constants[value] = Function(value)
            return sym
        return String(value)

    for predicate, *args in fact_tuples(scenario, pack):
        yield Function(predicate, [term(a) for a in args])


# --- uncertain facts: one answer set per possible world -------------------------------------

# The choices over these facts are the engine's WORLDS_PROGRAM (engine.py).

def uncertain_fact_symbols(scenario: Scenario, pack: Pack, clingo) -> Iterator:
    """Yield the input facts of a scenario with uncertain facts (see engine.WORLDS_PROGRAM).

    Certain events become facts as in ``fact_symbols``; an uncertain event's possible days
    and values become candidate facts. ``next_day`` chains every day some event may fall on,
    which is what first_on_or_after.lp needs whatever the world.
    """
    from dataclasses import replace

    Function, Number, String = clingo.Function, clingo.Number, clingo.String
    certain = replace(scenario, events=tuple(e for e in scenario.events if not e.uncertain))
    for symbol in fact_symbols(certain, pack, clingo):
        if symbol.name != "next_day":
            yield symbol

    as_string = {
        (etype.name, f.name): f.type in ("event", "text")
        for etype in pack.event_types.values() for f in etype.fields.values()
    }

    def value(event, field, text):
        return String(text) if as_string[(event.type, field)] else Function(text)

    days = {e.day for e in certain.events}
    for event in scenario.events:
        if not event.uncertain:
            continue
        eid = String(event.id)
        yield Function("uncertain_event", [eid])
        yield Function("seq", [eid, Number(event.seq)])
        if event.maybe:
            yield Function("maybe", [eid])
        for d in event.days:
            yield Function("candidate_day", [eid, Function(event.type), Number(d)])
        days.update(event.days)
        for field, values in event.fields.items():
            for text in values:
                yield Function("arg", [eid, Function(field), value(event, field, text)])
        for field, alternatives in event.options.items():
            for text in alternatives:
                yield Function("candidate_arg", [eid, Function(field), value(event, field, text)])
    ordered = sorted(day for day in days if day <= scenario.as_of)
    for first, second in zip(ordered, ordered[1:]):
        yield Function("next_day", [Number(first), Number(second)])
