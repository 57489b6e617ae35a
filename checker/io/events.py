"""The events of a scenario checked against the pack's vocabulary: the long part of a history.

Part of the one scenario validator (checker.io.scenario), kept apart because a history may
hold a hundred thousand events: each event is looked at once, its checks are lookups in sets
and dicts made once per file, equal values (dates, names, lists of names) are shared
between events, and nothing is raised per field: a problem is noted and checking goes on.
Problems are named by their path in the document; the caller finds their lines.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Callable

from checker.errors import did_you_mean
from checker.io.document import shown, written
from checker.io.pack import Pack
from checker.model import Event, certain_event, day_of

EVENT_ID = re.compile(r"[A-Za-z0-9_-]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BASICS = frozenset(("id", "date", "type", "occurred"))  # every event's keys, not fields
_MISSING = object()
_NO_OPTIONS: dict = {}  # shared by every certain event (Event.options is read-only)


def parse_date(text: Any) -> _dt.date | None:
    """An ISO date (YYYY-MM-DD) or None when ``text`` is not one."""
    if not isinstance(text, str) or not ISO_DATE.fullmatch(text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


class _FieldPlan:
    """How one field of one event type is checked."""

    __slots__ = ("kind", "is_list", "allowed", "to", "spec")

    def __init__(self, spec, allowed):
        self.kind, self.is_list, self.to, self.spec = spec.type, spec.is_list, spec.to, spec
        self.allowed = allowed  # the names it takes (party, region, enum), or None


class EventChecker:
    """Checks the ``events:`` list of one document against one pack."""

    def __init__(self, add: Callable[[tuple, str], None], found: list, pack: Pack, known_parties: frozenset[str]):
        """``add(path, message)`` notes a problem; ``found`` is the list it adds to."""
        self.add, self.found, self.pack, self.known_parties = add, found, pack, known_parties
        self.ids: dict[str, Any] = {}   # every event id written -> its type, even on a bad event
        self.refs: list[tuple[tuple, str, str]] = []  # (path, target id, wanted type)

    def _plans(self) -> dict[str, tuple[str, dict[str, _FieldPlan], tuple[str, ...]]]:
        """Per event type: its name, how each field is checked, the fields it requires."""
        pack = self.pack
        parties = self.known_parties
        with_unknown = parties | {pack.unknown_word} if pack.unknown_word else parties
        regions = frozenset(pack.regions)
        plans = {}
        for name, spec in pack.event_types.items():
            fields = {}
            for fname, f in spec.fields.items():
                if fname in BASICS:
                    continue  # never read as a field (see check)
                allowed = {"party": with_unknown if f.unknown else parties, "region": regions,
                           "enum": frozenset(f.values)}.get(f.type)
                fields[fname] = _FieldPlan(f, allowed)
            required = tuple(fname for fname, f in spec.fields.items() if f.required)
            plans[name] = (name, fields, required)
        return plans

    def check(self, raw) -> list[Event]:
        """The valid events of ``raw``, the value of ``events:`` (problems noted)."""
        add = self.add
        if not isinstance(raw, list):
            add(("events",), "must be a list of events")
            return []
        lines = getattr(raw, "item_lines", None) or []
        count, default_line = len(lines), getattr(raw, "line", 1)
        plans, names, event_types = self._plans(), {}, self.pack.event_types
        for name in plans:
            names[name] = name
        found = self.found
        first_line: dict[str, int] = {}
        types, refs = self.ids, self.refs
        days: dict[str, int] = {}
        ones: dict[Any, tuple] = {}      # a value -> the one-tuple of it, shared
        tuples: dict[tuple, tuple] = {}  # a list of values -> its tuple, shared
        value_of = self._value
        events: list[Event] = []
        for i, item in enumerate(raw):
            line = lines[i] if i < count else default_line
            if not isinstance(item, dict):
                add(("events", i), "an event is a mapping with id, date and type")
                continue
            mark = len(found)
            eid = item.get("id", _MISSING)
            if type(eid) is str:
                if eid in first_line:
                    add(("events", i, "id"), f"duplicate id {eid!r} (first used on line {first_line[eid]})")
                else:
                    first_line[eid] = line
                    etype = item.get("type")
                    types[eid] = names.get(etype, etype) if type(etype) is str else etype
                if not EVENT_ID.fullmatch(eid):
                    add(("events", i, "id"), f"{eid!r} is not an id (letters, digits, '-' and '_')")
            elif eid is _MISSING:
                add(("events", i, "id"), "is required")
            else:
                add(("events", i, "id"), f"{shown(eid)} is not an id (letters, digits, '-' and '_')")

            day = date_range = None
            date = item.get("date", _MISSING)
            if type(date) is str:
                day = days.get(date)
                if day is None:
                    value = parse_date(date)
                    if value is None:
                        add(("events", i, "date"), f"{date!r} is not a valid date")
                    else:
                        day = days[date] = day_of(value)
            elif date is _MISSING:
                add(("events", i, "date"), "is required")
            elif isinstance(date, dict):
                date_range = self._between(date, ("events", i, "date"))
                if date_range is not None:
                    day = date_range[0]
                    if date_range[0] == date_range[1]:
                        date_range = None
            else:
                add(("events", i, "date"), f"{shown(date)} is not a valid date")

            maybe = False
            p_occurred = None
            if "occurred" in item:
                occurred = item["occurred"]
                if occurred == "maybe":
                    maybe = True
                elif isinstance(occurred, dict):
                    p_occurred = self._p_occurred(occurred, ("events", i, "occurred"))
                    maybe = p_occurred is not None
                elif occurred is not True:
                    add(("events", i, "occurred"),
                        f"{shown(occurred)}: say `occurred: maybe` for an event that may not have happened")

            etype = item.get("type", _MISSING)
            plan = plans.get(etype) if type(etype) is str else None
            if plan is None:
                if etype is _MISSING:
                    add(("events", i, "type"), "is required")
                else:
                    add(("events", i, "type"),
                        f"unknown event type {shown(etype)}{did_you_mean(written(etype), plans)}")
                continue
            name, field_plans, required = plan
            fields: dict[str, tuple] = {}
            options: dict[str, tuple] | None = None
            weights: dict[str, tuple] | None = None
            for key, value in item.items():
                fp = field_plans.get(key)
                if fp is None:
                    if key not in BASICS:
                        known = event_types[name].fields
                        add(("events", i, key), f"not a field of {name}"
                            f"{did_you_mean(key, list(known) + ['id', 'date', 'type'])}"
                            f" (fields: {', '.join(known) or 'none'})")
                    continue
                if isinstance(value, dict):
                    alternatives, chances = self._one_of(value, fp, ("events", i, key))
                    if alternatives is None:
                        pass
                    elif len(alternatives) == 1:
                        fields[key] = alternatives
                    else:
                        if options is None:
                            options = {}
                        options[key] = alternatives
                        if chances is not None:
                            weights = weights or {}
                            weights[key] = chances
                elif fp.is_list:
                    if not isinstance(value, list) or not value:
                        add(("events", i, key), "must be a non-empty list")
                        continue
                    out = []
                    for j, v in enumerate(value):
                        checked = value_of(v, ("events", i, key, j), fp)
                        if checked is None:
                            continue
                        if fp.kind != "text" and checked in out:
                            add(("events", i, key, j), f"{checked!r} is listed twice")
                            continue
                        out.append(checked)
                    t = tuple(out)
                    fields[key] = tuples.setdefault(t, t)
                elif isinstance(value, list):
                    add(("events", i, key), "takes a single value, not a list")
                else:
                    checked = value_of(value, ("events", i, key), fp)
                    if checked is not None:
                        t = ones.get(checked)
                        if t is None:
                            t = ones[checked] = (checked,)
                        fields[key] = t
            for fname in required:
                if fname not in item:
                    add(("events", i, fname), f"is required for {name}")
            if len(found) != mark or day is None:
                continue
            if date_range is None and options is None and not maybe:
                events.append(certain_event(eid, name, day, i, line, fields, _NO_OPTIONS))
            else:
                events.append(Event(id=eid, type=name, day=day, seq=i, line=line, fields=fields,
                                    date_range=date_range, options=options or {}, maybe=maybe,
                                    weights=weights or {}, p_occurred=p_occurred))
        for path, target, wanted in refs:
            if target not in types:
                add(path, f"no event with id {target!r}{did_you_mean(target, types)}")
            elif types[target] not in wanted:
                add(path, f"{target!r} is {_a(types[target])}, not {_any_of(wanted)}")
        return events

    def _value(self, v, path: tuple, fp: _FieldPlan) -> str | None:
        """One value of a field as the event keeps it, or None (problem noted); a reference
        to another event is noted, to be checked once every event is known."""
        if type(v) is str:
            allowed = fp.allowed
            if allowed is not None:
                if v in allowed:
                    return v
            elif fp.kind == "text":
                if "\x00" not in v:
                    return v
            elif fp.kind == "event" and EVENT_ID.fullmatch(v):
                self.refs.append((path, v, fp.to))
                return v
        return self._bad_value(v, path, fp)

    def _bad_value(self, v, path: tuple, fp: _FieldPlan) -> str | None:
        """What _value says of a value outside the common case."""
        add, kind = self.add, fp.kind
        if kind == "bool":
            return _bool_value(v, path, add)
        if kind == "text":
            if isinstance(v, str):
                add(path, "contains a NUL character")
                return None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return written(v)  # a number as text, as it was written (0x10 stays 0x10)
            add(path, "must be text" + (" (quote it)" if isinstance(v, bool) or v is None else ""))
            return None
        if not isinstance(v, str):
            add(path, f"{shown(v)} is not a name")
            return None
        if kind == "party":
            hint = did_you_mean(v, fp.allowed)
            extra = "" if hint else " (add it under parties: others: to name a non-party state)"
            add(path, f"unknown party {v!r}{hint}{extra}")
        elif kind == "region":
            add(path, f"unknown region {v!r}{did_you_mean(v, self.pack.regions)}")
        elif kind == "enum":
            values = fp.spec.values
            add(path, f"{v!r} is not one of {', '.join(values)}{did_you_mean(v, values)}")
        else:  # an event reference that is no id
            add(path, f"{v!r} is not an event id")
        return None

    # --- uncertain facts (scenario format, "Uncertain facts") --------------------------------
    def _between(self, node: dict, path: tuple) -> tuple[int, int] | None:
        """``{between: [a, b]}`` as the first and last possible day, or None (problem noted)."""
        bounds = node.get("between")
        if set(node) != {"between"} or not isinstance(bounds, list) or len(bounds) != 2:
            self.add(path, "an uncertain date is written {between: [FIRST, LAST]}")
            return None
        days = []
        for j, text in enumerate(bounds):
            value = parse_date(text)
            if value is None:
                self.add(path + ("between", j), f"{shown(text)} is not a valid date")
                return None
            days.append(day_of(value))
        if days[0] > days[1]:
            self.add(path + ("between",), f"{bounds[0]} is after {bounds[1]}")
            return None
        return days[0], days[1]

    def _one_of(self, node: dict, fp: _FieldPlan, path: tuple) -> tuple[tuple[str, ...] | None, tuple | None]:
        """``{one_of: [...]}`` (with ``p: [...]``, a chance per value) as its validated
        alternatives and their chances (None when not given), or (None, None) (problem noted)."""
        choices = node.get("one_of")
        if set(node) - {"p"} != {"one_of"} or not isinstance(choices, list) or not choices:
            self.add(path, "an uncertain value is written {one_of: [A, B, ...]}")
            return None, None
        if fp.is_list:
            self.add(path, "one_of is for single-valued fields; this field takes a list")
            return None, None
        out: list[str] = []
        for j, v in enumerate(choices):
            where = path + ("one_of", j)
            if isinstance(v, (list, dict)):
                self.add(where, "must be a single value")
                return None, None
            checked = self._value(v, where, fp)
            if checked is None:
                return None, None
            if checked in out:
                self.add(where, f"{checked!r} is listed twice")
                return None, None
            out.append(checked)
        if "p" not in node:
            return tuple(out), None
        chances = self._chances(node["p"], len(out), path + ("p",))
        return (tuple(out), chances) if chances is not None else (None, None)

    # --- the chances of uncertain facts (scenario format, "Chances") ------------------------
    def _chances(self, value, count: int, path: tuple) -> tuple[float, ...] | None:
        """``p: [...]`` of a one_of: a chance above 0 per value, adding up to 1; None (problem noted)."""
        if not isinstance(value, list) or len(value) != count:
            self.add(path, f"must be a list of {count} chances, one per value of one_of")
            return None
        out = []
        for j, p in enumerate(value):
            chance = _chance(p)
            if chance is None or chance <= 0:
                self.add(path + (j,), f"{shown(p)} is not a chance above 0 and at most 1 "
                         "(a value with no chance is no possible value: leave it out)")
                return None
            out.append(chance)
        total = math.fsum(out)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            self.add(path, f"the chances add up to {total:g}, not 1")
            return None
        return tuple(out)

    def _p_occurred(self, node: dict, path: tuple) -> float | None:
        """``occurred: {p: 0.3}``: the chance that an event happened, above 0 and below 1."""
        if set(node) != {"p"}:
            self.add(path, "an event that may not have happened is written `occurred: maybe` or "
                     "`occurred: {p: CHANCE}`")
            return None
        chance = _chance(node["p"])
        if chance is None or not 0 < chance < 1:
            self.add(path + ("p",), f"{shown(node['p'])} is not a chance above 0 and below 1 "
                     "(an event that surely happened has no occurred: key)")
            return None
        return chance


def _chance(value) -> float | None:
    """A number from 0 to 1 as a float (a bool is no number), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    chance = float(value)
    return chance if 0 <= chance <= 1 else None


def _a(word: Any) -> str:
    """The word with its indefinite article."""
    return ("an " if str(word)[:1] in "aeiou" else "a ") + str(word)


def _any_of(words: tuple) -> str:
    """``a x``, ``a x or a y``, ``a x, a y or a z``."""
    named = [_a(w) for w in words]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


def _bool_value(v, path: tuple, add) -> str | None:
    """A bool field's value as the constant the rules read (``true`` or ``false``)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    add(path, f"{shown(v)} is not true or false")
    return None
