"""Scenario files: read as data, validate against the pack's manifest, resolve every setting.

A file is accepted or rejected as a whole: every problem found is collected and reported
together, each as ``FILE:LINE: FIELD: message`` (see errors.Problem).
"""

from __future__ import annotations

import datetime as _dt
import re
import stat
from pathlib import Path
from typing import Any, Iterable, Mapping

from checker.errors import CheckerError, PackError, Problem, ScenarioError, UsageError, did_you_mean
from checker.io import yamlsrc
from checker.io.pack import WORD, Pack, find_rules_root, load_pack
from checker.model import NOT_FIRED, STATUSES, Event, Expectation, Scenario, certain_event, day_of

TOP_KEYS = ("scenario", "description", "treaty", "as_of", "in_force_from", "parties",
            "excluded_regions", "readings", "parameters", "events", "expect")
REQUIRED_TOP = ("scenario", "treaty", "events")
EVENT_ID = re.compile(r"^[A-Za-z0-9_-]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_BYTES = 32 * 1024 * 1024
CERTAINTIES = ("certain", "possible")


def parse_date(text: Any) -> _dt.date | None:
    """An ISO date (YYYY-MM-DD) or None when ``text`` is not one."""
    if not isinstance(text, str) or not ISO_DATE.match(text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


class _Collector:
    """Collects the problems of one file, keyed by where they are."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []

    def add(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.shown, line, field, message))


def _line(node: Any, key: str | int) -> int:
    if isinstance(node, yamlsrc.LDict):
        return node.key_lines.get(key, node.line)  # type: ignore[arg-type]
    if isinstance(node, yamlsrc.LList) and isinstance(key, int) and key < len(node.item_lines):
        return node.item_lines[key]
    return getattr(node, "line", 1)


def _has_nul(value: Any) -> bool:
    return isinstance(value, str) and "\x00" in value


def read_document(path: Path, shown: str, with_lines: bool = True):
    """The parsed YAML of a scenario file, or ScenarioError with the line of the problem."""
    return _parse(path, shown, _read_text(path, shown), with_lines)


def _read_text(path: Path, shown: str) -> str:
    """The text of a scenario file, or ScenarioError: not a regular file, too big, not UTF-8,
    binary."""
    too_big = Problem(shown, 1, "file", f"is over {MAX_BYTES // (1024 * 1024)} MiB; scenarios are "
                      f"limited to {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # a device or a pipe has no size, and may never end (/dev/zero) or never begin (a FIFO)
            raise ScenarioError([Problem(shown, 1, "file", "is not a regular file")])
        size = info.st_size
        if size > MAX_BYTES:
            raise ScenarioError([Problem(shown, 1, "file", f"is {size // (1024 * 1024)} MiB; scenarios are "
                                         f"limited to {MAX_BYTES // (1024 * 1024)} MiB")])
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)  # a file that grows while it is read stops at the limit
        if len(raw) > MAX_BYTES:
            raise ScenarioError([too_big])
    except OSError as exc:
        raise ScenarioError([Problem(shown, 1, "file", f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([Problem(shown, line, "file", "is not UTF-8 text")]) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise ScenarioError([Problem(shown, text.count("\n", 0, nul) + 1, "file",
                                     "contains a NUL byte: not a text file")])
    return text


def _parse(path: Path, shown: str, text: str, with_lines: bool):
    if path.suffix.lower() == ".json" and not with_lines:
        from checker.io import jsonsrc  # machine-made histories: json is much faster than YAML

        try:
            return jsonsrc.parse(text)
        except jsonsrc.JsonProblem as exc:
            raise ScenarioError([Problem(shown, exc.line, "json", exc.message)]) from None
    try:
        return yamlsrc.parse(text)
    except yamlsrc.YamlProblem as exc:
        raise ScenarioError([Problem(shown, exc.line, "yaml", exc.message)]) from None


def load_scenario(path: str | Path, *, rules_root: Path | None = None, as_of: str | None = None,
                  readings: Mapping[str, str] | None = None,
                  parameters: Mapping[str, int] | None = None) -> tuple[Scenario, Pack]:
    """Read and validate one scenario file; the keyword arguments override the file's settings."""
    path = Path(path)
    shown = str(path)
    settings = (rules_root, as_of, readings, parameters)
    text = _read_text(path, shown)
    if path.suffix.lower() != ".json":
        return _load_yaml(path, shown, text, settings)
    try:
        return _load_json(path, shown, text, settings)
    except ScenarioError as exc:
        if any(p.field == "json" and "not valid JSON" in p.message for p in exc.problems):
            raise
    # JSON is parsed without positions for speed; a rejected file is read again, as YAML
    # (JSON is YAML), so that every problem names its line
    del text
    return _load(path, read_document(path, shown), *settings)


def _load_json(path: Path, shown: str, text: str, settings) -> tuple[Scenario, Pack]:
    # As _load_yaml, but the events are checked while the text is read, before the keys after
    # them are known: only a history whose treaty and parties (what checking an event needs)
    # come before its events is read so; any other reads the text whole, as before, which
    # then decides. Problems are not located in JSON: a rejected file is read again as YAML.
    from checker.io import jsonsrc

    doc = jsonsrc.stream(text)
    if doc is not None and isinstance(doc.get("treaty"), str):
        try:
            checked = _check_json_events(path, doc, settings[0])
        except (jsonsrc.Fallback, PackError):
            checked = None
        if checked is not None:
            return _load(path, checked, *settings)
    del doc
    return _load(path, _parse(path, shown, text, False), *settings)


def _check_json_events(path: Path, head, rules_root):
    """The document of ``head`` with its events read and checked (a _Checked), and the keys
    after them; None when they must be read whole."""

    items = head["events"]
    pack = load_pack(head["treaty"], rules_root or find_rules_root(head["treaty"], path))
    v = _Validator(_Collector(str(path)), head, pack, path)
    v._parties()
    events = v.check_events(items, _as_is)
    if any(key in ("treaty", "parties") for key, _ in items.rest):
        return None
    doc = yamlsrc.LDict(head)
    doc.line, doc.key_lines = 1, {}
    doc["events"] = _Checked(events, v.ids, v.c.problems)
    doc.update(items.rest)
    del items
    return doc


def _load_yaml(path: Path, shown: str, text: str, settings) -> tuple[Scenario, Pack]:
    # A long history is read one event at a time, each checked as it is read (yamlsrc.stream):
    # the whole document never exists at once. Whatever the reader cannot take (an item
    # outside the plain subset) and whatever is found wrong before every item was read (the
    # treaty: the old order read the whole document first, and a YAML error there would win)
    # makes it read the document whole, as before, which then decides.
    doc = yamlsrc.stream(text)
    if doc is not None:
        items = doc["events"]
        try:
            return _load(path, doc, *settings)
        except yamlsrc.NotPlain:
            pass
        except CheckerError:
            if items.read:
                raise
        del doc, items
    return _load(path, _parse(path, shown, text, True), *settings)


def _load(path: Path, doc, rules_root, as_of, readings, parameters) -> tuple[Scenario, Pack]:
    shown = str(path)
    c = _Collector(shown)
    if doc is None:
        raise ScenarioError([Problem(shown, 1, "file", "is empty: a scenario is a mapping with "
                                     "scenario, treaty and events")])
    if not isinstance(doc, yamlsrc.LDict):
        raise ScenarioError([Problem(shown, getattr(doc, "line", 1), "file",
                                     "the top level must be a mapping (scenario, treaty, events...)")])
    for key in doc:
        if key not in TOP_KEYS:
            c.add(_line(doc, key), key, f"unknown key{did_you_mean(key, TOP_KEYS)}")
    for key in REQUIRED_TOP:
        if key not in doc:
            c.add(1, key, "is required")

    title = _text(c, doc, "scenario", required=True)
    description = _text(c, doc, "description") or ""
    pack = None
    treaty = doc.get("treaty")
    if "treaty" in doc:
        if not isinstance(treaty, str):
            c.add(_line(doc, "treaty"), "treaty", "must be the name of a rule pack")
        else:
            try:
                root = rules_root or find_rules_root(treaty, path)
                pack = load_pack(treaty, root)
            except PackError as exc:
                if exc.problems:  # the pack itself is broken: that is not this file's fault
                    raise
                c.add(_line(doc, "treaty"), "treaty", exc.text.split(": ", 1)[-1])
    if pack is None:
        raise ScenarioError(c.problems)
    return _Validator(c, doc, pack, path).run(title, description, as_of, readings or {}, parameters or {}), pack


def _text(c: _Collector, node, key: str, required: bool = False) -> str | None:
    if key not in node:
        return None
    value = node[key]
    if not isinstance(value, str) or (required and not value.strip()):
        c.add(_line(node, key), key, "must be text")
        return None
    if _has_nul(value):
        c.add(_line(node, key), key, "contains a NUL character")
        return None
    return value


class _Validator:
    def __init__(self, c: _Collector, doc, pack: Pack, path: Path):
        self.c, self.doc, self.pack, self.path = c, doc, pack, path

    def run(self, title, description, as_of_override, reading_overrides, parameter_overrides) -> Scenario:
        c, doc, pack = self.c, self.doc, self.pack
        roles = self._parties()
        excluded = self._excluded()
        readings = self._readings()
        parameters = self._parameters()
        in_force = self._date(doc, "in_force_from", "in_force_from")
        if in_force is not None and not pack.in_force_from_allowed:
            c.add(_line(doc, "in_force_from"), "in_force_from",
                  f"{pack.name} takes no in_force_from: who is bound from when is its manifest's (dated parties)")
            in_force = None
        as_of = self._date(doc, "as_of", "as_of")
        events = self._events()
        expectations = self._expectations()
        if c.problems:
            raise ScenarioError(c.problems)

        readings.update(_apply_readings(pack, reading_overrides))
        parameters.update(_apply_parameters(pack, parameter_overrides))
        if as_of_override is not None:
            override = parse_date(as_of_override)
            if override is None:
                raise UsageError(f"--as-of: {as_of_override!r} is not a valid date (YYYY-MM-DD)")
            as_of = day_of(override)
        if as_of is None:
            if not events:
                raise ScenarioError([Problem(c.shown, 1, "as_of", "is required when there are no events")])
            as_of = max(e.date_range[1] if e.date_range else e.day for e in events)
        return Scenario(
            path=c.shown, title=title or "", description=description, treaty=pack.name,
            as_of=as_of, in_force_from=in_force, roles=roles, excluded_regions=excluded,
            readings=readings, parameters=parameters, events=tuple(events),
            expectations=tuple(expectations),
            ignored_events=sum(1 for e in events if e.day > as_of),
        )

    # --- settings --------------------------------------------------------------------------
    def _parties(self) -> dict[str, tuple[str, ...]]:
        """The roles, and every name known as a party (``known_parties``)."""
        roles = self._roles()
        known_parties = set(self.pack.default_party_names)
        for members in roles.values():
            known_parties.update(members)
        self.known_parties = known_parties
        return roles

    def _roles(self) -> dict[str, tuple[str, ...]]:
        pack, doc, c = self.pack, self.doc, self.c
        roles = {k: tuple(v) for k, v in pack.fixed_roles.items()}
        lists = {k: tuple(v) for k, v in pack.lists.items()}
        given = doc.get("parties")
        if given is not None:
            if not isinstance(given, dict):
                c.add(_line(doc, "parties"), "parties", f"must map {', '.join(pack.scenario_may_set)} to lists of names")
                given = {}
            for key, value in given.items():
                where = f"parties.{key}"
                refused = _party_list_refused(pack, key)
                if refused:
                    c.add(_line(given, key), where, refused)
                    continue
                names = self._word_list(given, key, where)
                if names is not None:
                    lists[key] = names
        # default members left out of an overriding list are known names but no parties
        listed = {n for members in lists.values() for n in members}
        dropped = sorted(n for members in pack.lists.values() for n in members if n not in listed)
        non_party = next(iter(sorted(pack.non_party)), None)
        if non_party is not None and dropped:
            lists[non_party] = tuple(lists.get(non_party, ())) + tuple(dropped)
        fixed_names = {n for m in roles.values() for n in m}
        for key, members in lists.items():
            for name in members:
                if name in fixed_names:
                    c.add(_line(doc, "parties"), f"parties.{key}", f"{name!r} cannot be put on a list")
        roles.update(lists)
        return roles

    def _word_list(self, node, key, where) -> tuple[str, ...] | None:
        value = node[key]
        line = _line(node, key)
        if not isinstance(value, list) or not value:
            self.c.add(line, where, "must be a non-empty list of names")
            return None
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not WORD.match(item):
                self.c.add(_line(value, i), f"{where}[{i}]", f"{item!r} is not a lower-case name")
            elif item in out:
                self.c.add(_line(value, i), f"{where}[{i}]", f"{item!r} is listed twice")
            else:
                out.append(item)
        return tuple(out)

    def _excluded(self) -> tuple[str, ...]:
        pack, doc, c = self.pack, self.doc, self.c
        if "excluded_regions" not in doc:
            return pack.excluded_regions
        if not pack.excluded_regions_allowed:
            c.add(_line(doc, "excluded_regions"), "excluded_regions",
                  f"{pack.name} does not let a scenario exclude regions: its scope is its manifest's")
            return pack.excluded_regions
        value = doc["excluded_regions"]
        if not isinstance(value, list):
            c.add(_line(doc, "excluded_regions"), "excluded_regions", "must be a list of regions")
            return ()
        out = []
        for i, r in enumerate(value):
            where = f"excluded_regions[{i}]"
            if not isinstance(r, str) or r not in pack.regions:
                c.add(_line(value, i), where, f"unknown region {r!r}{did_you_mean(str(r), pack.regions)}")
            elif r in pack.never_excluded:
                c.add(_line(value, i), where, f"{r!r} can never be excluded")
            else:
                out.append(r)
        return tuple(out)

    def _readings(self) -> dict[str, str]:
        pack, doc, c = self.pack, self.doc, self.c
        readings = {name: r.default for name, r in pack.readings.items()}
        given = doc.get("readings")
        if given is None:
            return readings
        if not isinstance(given, dict):
            c.add(_line(doc, "readings"), "readings", "must map readings to choices")
            return readings
        for key, value in given.items():
            where = f"readings.{key}"
            if key not in pack.readings:
                c.add(_line(given, key), where, f"unknown reading{did_you_mean(key, pack.readings)}")
            elif value not in pack.readings[key].choices:
                c.add(_line(given, key), where, f"{value!r} is not a choice (choices: "
                      f"{', '.join(pack.readings[key].choices)}){did_you_mean(str(value), pack.readings[key].choices)}")
            else:
                readings[key] = value
        return readings

    def _parameters(self) -> dict[str, int]:
        pack, doc, c = self.pack, self.doc, self.c
        params = {name: p.default for name, p in pack.parameters.items()}
        given = doc.get("parameters")
        if given is None:
            return params
        if not isinstance(given, dict):
            c.add(_line(doc, "parameters"), "parameters", "must map parameters to whole numbers")
            return params
        for key, value in given.items():
            where = f"parameters.{key}"
            if key not in pack.parameters:
                c.add(_line(given, key), where, f"unknown parameter{did_you_mean(key, pack.parameters)}")
            elif value is None:
                refused = _unset_refused(pack, key)
                if refused:
                    c.add(_line(given, key), where, refused)
                else:
                    params[key] = None
            elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
                c.add(_line(given, key), where, f"{value!r} is not a whole number from 0 to 100000")
            else:
                params[key] = value
        return params

    def _date(self, node, key, where) -> int | None:
        if key not in node:
            return None
        value = parse_date(node[key])
        if value is None:
            self.c.add(_line(node, key), where, f"{node[key]!r} is not a valid date (YYYY-MM-DD)")
            return None
        return day_of(value)

    # --- events ----------------------------------------------------------------------------
    def _events(self) -> list[Event]:
        doc, c = self.doc, self.c
        raw = doc.get("events")
        if isinstance(raw, _Checked):  # read and checked as the file was read (a JSON history)
            c.problems.extend(raw.problems)
            self.ids = raw.ids
            return raw.events
        if raw is None:
            if "events" in doc:
                c.add(_line(doc, "events"), "events", "must be a list of events")
            return []
        if isinstance(raw, yamlsrc.Items):  # the items are read one at a time, as they are checked
            return self.check_events(raw, raw.detailed)
        if not isinstance(raw, list):
            c.add(_line(doc, "events"), "events", "must be a list of events")
            return []
        return self.check_events(((_line(raw, i), item) for i, item in enumerate(raw)), _as_is)

    def check_events(self, items: Iterable[tuple[int, Any]], detailed) -> list[Event]:
        """The valid events among ``items`` ((line, item) pairs, each dropped once checked);
        ``detailed(line, item)`` gives an item with the line of each of its parts."""
        c = self.c
        events: list[Event] = []
        first_line: dict[str, int] = {}
        types: dict[str, Any] = {}  # every id written, even on an event with other problems
        self.ids = types
        refs: list[tuple[str, int, str, str]] = []  # (where, line, target id, wanted type)
        quick = _Quick(self.pack, self.known_parties, types)
        names = quick.type_names
        for i, (line, item) in enumerate(items):
            eid = item.get("id") if isinstance(item, dict) else None
            duplicate = isinstance(eid, str) and eid in first_line
            if not duplicate and isinstance(eid, str):
                first_line[eid] = line
                etype = item.get("type")
                types[eid] = names.get(etype, etype) if type(etype) is str else etype
                event = quick.event(item, i, line)
                if quick.later:
                    if event is not None:
                        self._refer(refs, quick.later, i, detailed(line, item))
                    quick.later.clear()
                if event is not None:  # the common case: a valid event, checked quickly
                    events.append(event)
                    continue
            item = detailed(line, item)
            if duplicate:
                c.add(_line(item, "id"), f"events[{i}].id",
                      f"duplicate id {eid!r} (first used on line {first_line[eid]})")
            event = self._event(line, i, item, refs)
            if event is not None and not duplicate:
                events.append(event)
        for where, line, target, wanted in refs:
            if target not in types:
                c.add(line, where, f"no event with id {target!r}{did_you_mean(target, types)}")
            elif types[target] not in wanted:
                c.add(line, where, f"{target!r} is {_a(types[target])}, not {_any_of(wanted)}")
        return events

    @staticmethod
    def _refer(refs, later, i, item) -> None:
        """Note the references of a quickly checked event as _field and _value note them."""
        for key, j, target, wanted in later:
            if j is None:
                refs.append((f"events[{i}].{key}", _line(item, key), target, wanted))
            else:
                refs.append((f"events[{i}].{key}[{j}]", _line(item[key], j), target, wanted))

    def _event(self, line, i, item, refs) -> Event | None:
        c, pack = self.c, self.pack
        here = f"events[{i}]"
        if not isinstance(item, dict):
            c.add(line, here, "an event is a mapping with id, date and type")
            return None
        ok = True
        eid = item.get("id")
        if "id" not in item:
            c.add(line, f"{here}.id", "is required")
            ok = False
        elif not isinstance(eid, str) or not EVENT_ID.match(eid):
            c.add(_line(item, "id"), f"{here}.id", f"{eid!r} is not an id (letters, digits, '-' and '_')")
            ok = False
        day = None
        date_range = None
        if "date" not in item:
            c.add(line, f"{here}.date", "is required")
            ok = False
        elif isinstance(item["date"], dict):
            date_range = self._between(item, f"{here}.date")
            if date_range is None:
                ok = False
            else:
                day = date_range[0]
                if date_range[0] == date_range[1]:
                    date_range = None
        else:
            value = parse_date(item["date"])
            if value is None:
                c.add(_line(item, "date"), f"{here}.date", f"{item['date']!r} is not a valid date")
                ok = False
            else:
                day = day_of(value)
        maybe = False
        if "occurred" in item:
            if item["occurred"] == "maybe":
                maybe = True
            elif item["occurred"] is not True:
                c.add(_line(item, "occurred"), f"{here}.occurred",
                      f"{item['occurred']!r}: say `occurred: maybe` for an event that may not have happened")
                ok = False
        etype = item.get("type")
        spec = None
        if "type" not in item:
            c.add(line, f"{here}.type", "is required")
            return None
        if not isinstance(etype, str) or etype not in pack.event_types:
            c.add(_line(item, "type"), f"{here}.type",
                  f"unknown event type {etype!r}{did_you_mean(str(etype), pack.event_types)}")
            return None
        spec = pack.event_types[etype]
        fields: dict[str, tuple[str, ...]] = {}
        options: dict[str, tuple[str, ...]] = {}
        for key in item:
            if key in ("id", "date", "type", "occurred"):
                continue
            if key not in spec.fields:
                c.add(_line(item, key), f"{here}.{key}", f"not a field of {etype}"
                      f"{did_you_mean(key, list(spec.fields) + ['id', 'date', 'type'])}"
                      f" (fields: {', '.join(spec.fields) or 'none'})")
                ok = False
                continue
            if isinstance(item[key], dict):
                alternatives = self._one_of(item, key, spec.fields[key], f"{here}.{key}", refs)
                if alternatives is None:
                    ok = False
                elif len(alternatives) == 1:
                    fields[key] = alternatives
                else:
                    options[key] = alternatives
                continue
            values = self._field(item, key, spec.fields[key], f"{here}.{key}", refs)
            if values is None:
                ok = False
            else:
                fields[key] = values
        for name, f in spec.fields.items():
            if f.required and name not in item:
                c.add(line, f"{here}.{name}", f"is required for {etype}")
                ok = False
        if not ok or day is None:
            return None
        return Event(id=eid, type=etype, day=day, seq=i, line=line, fields=fields,
                     date_range=date_range, options=options, maybe=maybe)

    # --- uncertain facts (scenario-format.md, "Uncertain facts") ----------------------------
    def _between(self, item, where) -> tuple[int, int] | None:
        """``{between: [a, b]}`` as the first and last possible day, or None (problem noted)."""
        node = item["date"]
        line = _line(item, "date")
        bounds = node.get("between")
        if set(node) != {"between"} or not isinstance(bounds, list) or len(bounds) != 2:
            self.c.add(line, where, "an uncertain date is written {between: [FIRST, LAST]}")
            return None
        days = []
        for j, text in enumerate(bounds):
            value = parse_date(text)
            if value is None:
                self.c.add(_line(bounds, j), f"{where}.between[{j}]", f"{text!r} is not a valid date")
                return None
            days.append(day_of(value))
        if days[0] > days[1]:
            self.c.add(line, f"{where}.between", f"{bounds[0]} is after {bounds[1]}")
            return None
        return days[0], days[1]

    def _one_of(self, item, key, f, where, refs) -> tuple[str, ...] | None:
        """``{one_of: [...]}`` as its validated alternatives, or None (problem noted)."""
        node = item[key]
        line = _line(item, key)
        choices = node.get("one_of")
        if set(node) != {"one_of"} or not isinstance(choices, list) or not choices:
            self.c.add(line, where, "an uncertain value is written {one_of: [A, B, ...]}")
            return None
        if f.is_list:
            self.c.add(line, where, "one_of is for single-valued fields; this field takes a list")
            return None
        out: list[str] = []
        for j, v in enumerate(choices):
            if isinstance(v, (list, dict)):
                self.c.add(_line(choices, j), f"{where}.one_of[{j}]", "must be a single value")
                return None
            checked = self._value(v, _line(choices, j), f"{where}.one_of[{j}]", f, refs)
            if checked is None:
                return None
            if checked in out:
                self.c.add(_line(choices, j), f"{where}.one_of[{j}]", f"{checked!r} is listed twice")
                return None
            out.append(checked)
        return tuple(out)

    def _field(self, item, key, f, where, refs) -> tuple[str, ...] | None:
        value = item[key]
        line = _line(item, key)
        if f.is_list:
            if not isinstance(value, list) or not value:
                self.c.add(line, where, "must be a non-empty list")
                return None
            items = [(value[j], _line(value, j), f"{where}[{j}]") for j in range(len(value))]
        else:
            if isinstance(value, list):
                self.c.add(line, where, "takes a single value, not a list")
                return None
            items = [(value, line, where)]
        out: list[str] = []
        ok = True
        for v, vline, vwhere in items:
            checked = self._value(v, vline, vwhere, f, refs)
            if checked is None:
                ok = False
            elif checked in out and f.type != "text":
                self.c.add(vline, vwhere, f"{checked!r} is listed twice")
                ok = False
            else:
                out.append(checked)
        return tuple(out) if ok else None

    def _value(self, v, line, where, f, refs) -> str | None:
        c, pack = self.c, self.pack
        if f.type == "text":
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            if not isinstance(v, str):
                c.add(line, where, "must be text")
                return None
            if _has_nul(v):
                c.add(line, where, "contains a NUL character")
                return None
            return v
        if f.type == "bool":
            return _bool_value(v, line, where, c)
        if not isinstance(v, str):
            c.add(line, where, f"{v!r} is not a name")
            return None
        if f.type == "party":
            allowed = set(self.known_parties)
            if f.unknown and pack.unknown_word:
                allowed.add(pack.unknown_word)
            if v not in allowed:
                hint = did_you_mean(v, allowed)
                extra = "" if hint else " (add it under parties: others: to name a non-party state)"
                c.add(line, where, f"unknown party {v!r}{hint}{extra}")
                return None
        elif f.type == "region":
            if v not in pack.regions:
                c.add(line, where, f"unknown region {v!r}{did_you_mean(v, pack.regions)}")
                return None
        elif f.type == "enum":
            if v not in f.values:
                c.add(line, where, f"{v!r} is not one of {', '.join(f.values)}{did_you_mean(v, f.values)}")
                return None
        elif f.type == "event":
            if not EVENT_ID.match(v):
                c.add(line, where, f"{v!r} is not an event id")
                return None
            refs.append((where, line, v, f.to))
        return v

    # --- expectations ----------------------------------------------------------------------
    def _expectations(self) -> list[Expectation]:
        doc, c, pack = self.doc, self.c, self.pack
        raw = doc.get("expect")
        if raw is None:
            return []
        if not isinstance(raw, list):
            c.add(_line(doc, "expect"), "expect", "must be a list of expectations")
            return []
        out = []
        for i, item in enumerate(raw):
            where = f"expect[{i}]"
            line = _line(raw, i)
            if not isinstance(item, dict):
                c.add(line, where, "must be a mapping (obligation and status, or not_fired)")
                continue
            allowed = ("not_fired", "reason") if "not_fired" in item else ("obligation", "status", "certainty")
            bad = [k for k in item if k not in allowed]
            for k in bad:
                c.add(_line(item, k), f"{where}.{k}", f"unknown key{did_you_mean(k, allowed)}")
            key = "not_fired" if "not_fired" in item else "obligation"
            ob = item.get(key)
            if not isinstance(ob, str) or not self._known_obligation(ob):
                c.add(_line(item, key) if key in item else line, f"{where}.{key}",
                      f"{ob!r} is not an obligation id of {pack.name}"
                      + (did_you_mean(ob.split("/")[0], pack.provisions) if isinstance(ob, str) else ""))
                continue
            wrong = self._wrong_part(ob)
            if wrong:
                c.add(_line(item, key), f"{where}.{key}", wrong)
                continue
            if key == "not_fired":
                reason = item.get("reason")
                if reason is not None and reason not in pack.provisions:
                    c.add(_line(item, "reason"), f"{where}.reason",
                          f"unknown provision {reason!r}{did_you_mean(str(reason), pack.provisions)}")
                    continue
                out.append(Expectation(obligation=ob, line=line, not_fired=True, reason=reason))
                continue
            status = item.get("status")
            if status == NOT_FIRED and item.get("certainty") == "possible":
                pass  # "in some worlds this duty does not fire"
            elif status not in STATUSES:
                c.add(_line(item, "status") if "status" in item else line, f"{where}.status",
                      f"must be one of {', '.join(STATUSES)}{did_you_mean(str(status), STATUSES)}")
                continue
            certainty = item.get("certainty")
            if certainty is not None and certainty not in CERTAINTIES:
                c.add(_line(item, "certainty"), f"{where}.certainty", "must be certain or possible")
                continue
            out.append(Expectation(obligation=ob, line=line, status=status, certainty=certainty))
        return out

    def _wrong_part(self, ob: str) -> str | None:
        """Why an id's holder or trigger cannot name anything in this file (None if it can)."""
        parts = ob.split("/")
        if parts[1] not in self.known_parties:
            return f"holder {parts[1]!r} is not a party of this file{did_you_mean(parts[1], self.known_parties)}"
        ids = getattr(self, "ids", {})
        if len(parts) == 3 and parts[2] not in ids:
            return f"trigger {parts[2]!r} is not an event of this file{did_you_mean(parts[2], ids)}"
        return None

    def _known_obligation(self, ob: str) -> bool:
        parts = ob.split("/")
        return 2 <= len(parts) <= 3 and parts[0] in self.pack.provisions and all(parts)


_MISSING = object()
_NO_OPTIONS: dict = {}  # shared by every certain event (Event.options is read-only)


class _Checked:
    """Events read and checked while their file was read (see _load_json)."""

    def __init__(self, events: list[Event], ids: dict, problems: list[Problem]):
        self.events, self.ids, self.problems = events, ids, problems


def _as_is(_line: int, item):
    return item


class _Quick:
    """The common event checked fast: a certain event whose every field is valid and whose
    references name events already read. For anything else it returns None, and
    _Validator._event (which says what is wrong) decides: the two accept the same events and
    build equal Events. Equal values are shared between events (a 100 000-event history names
    the same parties, types and dates again and again)."""

    def __init__(self, pack: Pack, known_parties, types: dict):
        self.types = types
        # references to ids not read yet, of the last event: (key, index in a list or None,
        # id, wanted type); they are checked at the end, as _value's are
        self.later: list[tuple[str, int | None, str, str]] = []
        self.type_names = {name: name for name in pack.event_types}
        self.days: dict[str, int] = {}
        self.ones: dict[str, tuple[str]] = {}
        self.tuples: dict[tuple, tuple] = {}
        self.plans = {}
        parties = frozenset(known_parties)
        with_unknown = parties | {pack.unknown_word} if pack.unknown_word else parties
        regions = frozenset(pack.regions)
        for name, spec in pack.event_types.items():
            fields: dict[str, tuple | None] = {"id": None, "date": None, "type": None}  # not fields
            for fname, f in spec.fields.items():
                if fname in ("id", "date", "type", "occurred"):
                    continue  # never read as a field (see _event); `occurred` takes _event
                allowed = {"party": with_unknown if f.unknown else parties, "region": regions,
                           "enum": frozenset(f.values)}.get(f.type)
                fields[fname] = (fname, f.type, f.is_list, allowed, f.to, f.required)
            required = sum(1 for fname in spec.fields if fields.get(fname) and spec.fields[fname].required)
            also = tuple(fname for fname, f in spec.fields.items() if f.required and not fields.get(fname))
            self.plans[name] = (name, fields, required, also)

    def event(self, item: dict, i: int, line: int) -> Event | None:
        try:  # a key missing where the common case has one (KeyError) takes _event
            eid, date, etype = item["id"], item["date"], item["type"]
            if type(date) is not str or type(etype) is not str:
                return None
            name, plans, required, also = self.plans[etype]
            if not EVENT_ID.match(eid):
                return None
            day = self.days.get(date)
            if day is None:
                value = parse_date(date)
                if value is None:
                    return None
                day = self.days[date] = day_of(value)
            ones, valid = self.ones, self._valid
            fields: dict[str, tuple[str, ...]] = {}
            for key, value in item.items():
                p = plans[key]  # KeyError: not a field of the type, or `occurred`
                if p is None:
                    continue  # id, date, type
                fname, kind, is_list, allowed, to, needed = p
                if is_list:
                    if not isinstance(value, list) or not value:
                        return None
                    for j, v in enumerate(value):
                        if not valid(key, j, v, kind, allowed, to):
                            return None
                    t = tuple(value)
                    if kind != "text" and len(set(t)) != len(t):
                        return None
                    t = self.tuples.setdefault(t, t)
                else:
                    if not valid(key, None, value, kind, allowed, to):
                        return None
                    t = ones.get(value)
                    if t is None:
                        t = ones[value] = (value,)
                fields[fname] = t
                if needed:
                    required -= 1
        except (KeyError, TypeError):  # TypeError: an unhashable type or field name
            return None
        if required:
            return None
        for fname in also:
            if fname not in item:
                return None
        return certain_event(eid, name, day, i, line, fields, _NO_OPTIONS)

    def _valid(self, key: str, index: int | None, v, kind: str, allowed, to) -> bool:
        """One value of a field, checked the quick way; a reference to an event not read yet
        is noted, to be checked at the end."""
        if type(v) is not str:
            return False
        if allowed is not None:
            return v in allowed
        if kind == "text":
            return "\x00" not in v
        if kind != "event" or not EVENT_ID.match(v):
            return False
        target = self.types.get(v, _MISSING)
        if target is _MISSING:  # an event further on, maybe: see at the end
            self.later.append((key, index, v, to))
            return True
        return target in to


def _a(word: str) -> str:
    """The word with its indefinite article."""
    return ("an " if str(word)[:1] in "aeiou" else "a ") + str(word)


def _any_of(words: tuple[str, ...]) -> str:
    """``a x``, ``a x or a y``, ``a x, a y or a z``."""
    named = [_a(w) for w in words]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


def _apply_readings(pack: Pack, overrides: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for key, value in overrides.items():
        if key not in pack.readings:
            raise UsageError(f"--reading: {pack.name} has no reading {key!r}{did_you_mean(key, pack.readings)}"
                             f" (readings: {', '.join(pack.readings) or 'none'})")
        if value not in pack.readings[key].choices:
            raise UsageError(f"--reading: {value!r} is not a choice of {key} "
                             f"(choices: {', '.join(pack.readings[key].choices)})")
        out[key] = value
    return out


def _apply_parameters(pack: Pack, overrides: Mapping[str, int | None]) -> dict[str, int | None]:
    out = {}
    for key, value in overrides.items():
        if key not in pack.parameters:
            raise UsageError(f"--param: {pack.name} has no parameter {key!r}{did_you_mean(key, pack.parameters)}"
                             f" (parameters: {', '.join(pack.parameters) or 'none'})")
        if value is None and _unset_refused(pack, key):
            raise UsageError(f"--param: {key}=unset: {_unset_refused(pack, key)}")
        out[key] = value
    return out


# --- the shapes a manifest allows (docs/packs.md) ---------------------------------------------

def _bool_value(v, line: int, where: str, c: _Collector) -> str | None:
    """A bool field's value as the constant the rules read (``true`` or ``false``)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    c.add(line, where, f"{v!r} is not true or false")
    return None


def _unset_refused(pack: Pack, key: str) -> str | None:
    """Why parameter ``key`` cannot be left unset (None: it can, its default is unset)."""
    if pack.parameters[key].may_be_unset:
        return None
    return (f"{pack.name} needs a value for {key} (default {pack.parameters[key].default}); only a "
            "parameter whose default is null may be left unset")


def _party_list_refused(pack: Pack, key: str) -> str | None:
    """Why a scenario may not give party list ``key`` (None: it may)."""
    allowed = ", ".join(pack.scenario_may_set) or "none"
    if key in pack.scenario_may_set:
        return None
    if key in pack.fixed_roles or key in pack.lists:
        return f"{pack.name} fixes this list: a scenario may not replace it (lists a scenario may give: {allowed})"
    return f"unknown list{did_you_mean(key, pack.scenario_may_set)} (allowed: {allowed})"
