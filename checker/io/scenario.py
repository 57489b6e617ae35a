"""Scenario files: read as data, validated against the pack's manifest, every setting resolved.

One way in: ``read_document`` reads the file (YAML, or JSON for a ``.json`` file: see
checker.io.yamltext and checker.io.jsontext) and one validator checks the document against
the pack's vocabulary (the events in checker.io.events) and builds the Scenario. A file is
accepted or rejected as a whole: every problem found is collected and reported together,
each as ``FILE:LINE: FIELD: message`` (errors.Problem).
The validator names each problem by its path in the document; lines are looked up once,
for the problems only (document.locate).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from checker.errors import PackError, Problem, ScenarioError, UsageError, did_you_mean
from checker.io.document import SourceProblem, locate, shown, written
from checker.io.events import EventChecker, parse_date
from checker.io.files import read_text
from checker.io.jsontext import read_json
from checker.io.pack import WORD, Pack, find_rules_root, load_pack
from checker.io.yamltext import read_yaml
from checker.model import NOT_FIRED, STATUSES, Event, Expectation, Scenario, day_of

TOP_KEYS = ("scenario", "description", "treaty", "as_of", "in_force_from", "parties",
            "excluded_regions", "readings", "parameters", "events", "expect")
REQUIRED_TOP = ("scenario", "treaty", "events")
CERTAINTIES = ("certain", "possible")


# --- reading ------------------------------------------------------------------------------------
def read_document(path: str | Path, shown_as: str | None = None):
    """The parsed document of a scenario file (YAML, or JSON when it ends in ``.json``), its
    parts carrying their lines; ScenarioError with the line when it cannot be read."""
    path = Path(path)
    shown_as = str(path) if shown_as is None else shown_as
    return parse_document(read_text(path, shown_as), path.suffix, shown_as)


def parse_document(text: str, suffix: str, shown_as: str):
    """``text`` parsed as the file ``shown_as`` would be (JSON for ``.json``, else YAML)."""
    if not text.strip():
        return None
    try:
        if suffix.lower() == ".json":
            return read_json(text)
        return read_yaml(text)
    except SourceProblem as exc:
        raise ScenarioError([Problem(shown_as, exc.line, exc.kind, exc.message)]) from None


def load_scenario(path: str | Path, *, rules_root: Path | None = None, as_of: str | None = None,
                  readings: Mapping[str, str] | None = None,
                  parameters: Mapping[str, int] | None = None,
                  max_uncertain_days: int | None = None) -> tuple[Scenario, Pack]:
    """Read and validate one scenario file; the keyword arguments override the file's settings
    (``max_uncertain_days``: see events.MAX_UNCERTAIN_DAYS)."""
    path = Path(path)
    return _load(path, read_document(path), rules_root, as_of, readings, parameters, max_uncertain_days)


def load_document(path: str | Path, doc, *, rules_root: Path | None = None, as_of: str | None = None,
                  readings: Mapping[str, str] | None = None,
                  parameters: Mapping[str, int] | None = None,
                  max_uncertain_days: int | None = None) -> tuple[Scenario, Pack]:
    """Validate ``doc``, a document as read_document gives it (maybe edited), as the file
    ``path``: the same checks and messages as load_scenario."""
    return _load(Path(path), doc, rules_root, as_of, readings, parameters, max_uncertain_days)


# --- validating ---------------------------------------------------------------------------------
def _field(path: tuple) -> str:
    """A path as the FIELD of a message: ``events[2].date``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = part if part.isprintable() else part.encode("unicode_escape").decode("ascii")
            out += "." + text if out else text
    return out


class _Problems:
    """The problems of one file, each named by its path in the document until it is reported."""

    def __init__(self, shown_as: str, doc):
        self.shown, self.doc = shown_as, doc
        self.found: list[tuple[tuple, str]] = []

    def add(self, path: tuple, message: str) -> None:
        """A problem with the part of the document ``path`` names (maybe missing: then it is
        located at the deepest part that is there)."""
        self.found.append((path, message))

    def error(self) -> ScenarioError:
        return ScenarioError([Problem(self.shown, locate(self.doc, path), _field(path), message)
                              for path, message in self.found])


def _load(path: Path, doc, rules_root, as_of, readings, parameters,
          max_uncertain_days: int | None = None) -> tuple[Scenario, Pack]:
    shown_as = str(path)
    if doc is None:
        raise ScenarioError([Problem(shown_as, 1, "file", "is empty: a scenario is a mapping with "
                                     "scenario, treaty and events")])
    if not isinstance(doc, dict):
        raise ScenarioError([Problem(shown_as, getattr(doc, "line", 1), "file",
                                     "the top level must be a mapping (scenario, treaty, events...)")])
    problems = _Problems(shown_as, doc)
    for key in doc:
        if key not in TOP_KEYS:
            problems.add((key,), f"unknown key{did_you_mean(key, TOP_KEYS)}")
    for key in REQUIRED_TOP:
        if key not in doc:
            problems.add((key,), "is required")
    title = _text(problems, doc, "scenario", required=True)
    description = _text(problems, doc, "description") or ""
    pack = None
    if "treaty" in doc:
        treaty = doc["treaty"]
        if not isinstance(treaty, str):
            problems.add(("treaty",), "must be the name of a rule pack")
        else:
            try:
                pack = load_pack(treaty, rules_root or find_rules_root(treaty, path))
            except PackError as exc:
                if exc.problems:  # the pack itself is broken: that is not this file's fault
                    raise
                problems.add(("treaty",), exc.text.split(": ", 1)[-1])
    if pack is None:
        raise problems.error()
    validator = _Validator(problems, doc, pack, max_uncertain_days)
    return validator.run(title, description, as_of, readings or {}, parameters or {}), pack


def _text(problems: _Problems, node, key: str, required: bool = False) -> str | None:
    if key not in node:
        return None
    value = node[key]
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add((key,), "must be text")
        return None
    if "\x00" in value:
        problems.add((key,), "contains a NUL character")
        return None
    return value


class _Validator:
    """Checks one document against one pack and builds its Scenario: the settings and the
    expectations here, the events by checker.io.events."""

    def __init__(self, problems: _Problems, doc, pack: Pack, max_uncertain_days: int | None = None):
        self.problems, self.add, self.doc, self.pack = problems, problems.add, doc, pack
        self.max_uncertain_days = max_uncertain_days
        self.ids: dict[str, Any] = {}   # every event id written -> its type (EventChecker.ids)

    def run(self, title, description, as_of_override, reading_overrides, parameter_overrides) -> Scenario:
        pack = self.pack
        roles = self._parties()
        excluded = self._excluded()
        readings = self._readings()
        parameters = self._parameters()
        in_force = self._in_force_from()
        as_of = self._date("as_of")
        events = self._events()
        expectations = self._expectations()
        if self.problems.found:
            raise self.problems.error()

        readings.update(_apply_readings(pack, reading_overrides))
        parameters.update(_apply_parameters(pack, parameter_overrides))
        if as_of_override is not None:
            override = parse_date(as_of_override)
            if override is None:
                raise UsageError(f"--as-of: {as_of_override!r} is not a valid date (YYYY-MM-DD)")
            as_of = day_of(override)
        if as_of is None:
            if not events:
                raise ScenarioError([Problem(self.problems.shown, 1, "as_of", "is required when there are no events")])
            as_of = max(e.date_range[1] if e.date_range else e.day for e in events)
        return Scenario(
            path=self.problems.shown, title=title or "", description=description, treaty=pack.name,
            as_of=as_of, in_force_from=in_force, roles=roles, excluded_regions=excluded,
            readings=readings, parameters=parameters, events=tuple(events),
            expectations=tuple(expectations),
            ignored_events=sum(1 for e in events if e.day > as_of),
        )

    # --- settings --------------------------------------------------------------------------
    def _parties(self) -> dict[str, tuple[str, ...]]:
        """The roles; sets ``known_parties``, every name known as a party."""
        pack, doc, add = self.pack, self.doc, self.add
        roles = {k: tuple(v) for k, v in pack.fixed_roles.items()}
        lists = {k: tuple(v) for k, v in pack.lists.items()}
        given = doc.get("parties")
        if given is not None:
            if not isinstance(given, dict):
                add(("parties",), f"must map {', '.join(pack.scenario_may_set)} to lists of names")
                given = {}
            for key, value in given.items():
                refused = _party_list_refused(pack, key)
                if refused:
                    add(("parties", key), refused)
                    continue
                names = self._names(value, ("parties", key))
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
                    add(("parties", key), f"{name!r} cannot be put on a list")
        roles.update(lists)
        known = set(pack.default_party_names)
        for members in roles.values():
            known.update(members)
        self.known_parties = frozenset(known)
        return roles

    def _names(self, value, path: tuple) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.add(path, "must be a non-empty list of names")
            return None
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not WORD.fullmatch(item):
                self.add(path + (i,), f"{shown(item)} is not a lower-case name")
            elif item in out:
                self.add(path + (i,), f"{item!r} is listed twice")
            else:
                out.append(item)
        return tuple(out)

    def _excluded(self) -> tuple[str, ...]:
        pack, doc = self.pack, self.doc
        if "excluded_regions" not in doc:
            return pack.excluded_regions
        if not pack.excluded_regions_allowed:
            self.add(("excluded_regions",),
                     f"{pack.name} does not let a scenario exclude regions: its scope is its manifest's")
            return pack.excluded_regions
        value = doc["excluded_regions"]
        if not isinstance(value, list):
            self.add(("excluded_regions",), "must be a list of regions")
            return ()
        out = []
        for i, r in enumerate(value):
            if not isinstance(r, str) or r not in pack.regions:
                self.add(("excluded_regions", i), f"unknown region {shown(r)}{did_you_mean(written(r), pack.regions)}")
            elif r in pack.never_excluded:
                self.add(("excluded_regions", i), f"{r!r} can never be excluded")
            else:
                out.append(r)
        return tuple(out)

    def _readings(self) -> dict[str, str]:
        pack = self.pack
        readings = {name: r.default for name, r in pack.readings.items()}
        given = self.doc.get("readings")
        if given is None:
            return readings
        if not isinstance(given, dict):
            self.add(("readings",), "must map readings to choices")
            return readings
        for key, value in given.items():
            if key not in pack.readings:
                self.add(("readings", key), f"unknown reading{did_you_mean(key, pack.readings)}")
                continue
            choices = pack.readings[key].choices
            if isinstance(value, str) and value in choices:
                readings[key] = value
            else:
                self.add(("readings", key), f"{shown(value)} is not a choice (choices: {', '.join(choices)})"
                         f"{did_you_mean(written(value), choices)}")
        return readings

    def _parameters(self) -> dict[str, int | None]:
        pack = self.pack
        params = {name: p.default for name, p in pack.parameters.items()}
        given = self.doc.get("parameters")
        if given is None:
            return params
        if not isinstance(given, dict):
            self.add(("parameters",), "must map parameters to whole numbers")
            return params
        for key, value in given.items():
            if key not in pack.parameters:
                self.add(("parameters", key), f"unknown parameter{did_you_mean(key, pack.parameters)}")
            elif value is None:  # left unset: only a parameter whose default is unset may be
                refused = _unset_refused(pack, key)
                if refused:
                    self.add(("parameters", key), f"null is not a whole number from 0 to 100000 ({refused})")
                else:
                    params[key] = None
            elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
                self.add(("parameters", key), f"{shown(value)} is not a whole number from 0 to 100000")
            else:
                params[key] = int(value)
        return params

    def _events(self) -> list[Event]:
        if "events" not in self.doc:
            return []
        checker = EventChecker(self.add, self.problems.found, self.pack, self.known_parties, self.max_uncertain_days)
        events = checker.check(self.doc["events"])
        self.ids = checker.ids
        return events

    def _in_force_from(self) -> int | None:
        """in_force_from, where the pack lets a scenario set it."""
        if "in_force_from" in self.doc and not self.pack.in_force_from_allowed:
            self.add(("in_force_from",), f"{self.pack.name} takes no in_force_from: who is bound from when is "
                     "its manifest's (dated parties)")
            return None
        return self._date("in_force_from")

    def _date(self, key: str) -> int | None:
        if key not in self.doc:
            return None
        value = parse_date(self.doc[key])
        if value is None:
            self.add((key,), f"{shown(self.doc[key])} is not a valid date (YYYY-MM-DD)")
            return None
        return day_of(value)

    # --- expectations ----------------------------------------------------------------------
    def _expectations(self) -> list[Expectation]:
        doc, add, pack = self.doc, self.add, self.pack
        raw = doc.get("expect")
        if raw is None:
            return []
        if not isinstance(raw, list):
            add(("expect",), "must be a list of expectations")
            return []
        out = []
        for i, item in enumerate(raw):
            line = locate(doc, ("expect", i))
            if not isinstance(item, dict):
                add(("expect", i), "must be a mapping (obligation and status, or not_fired)")
                continue
            allowed = ("not_fired", "reason") if "not_fired" in item else ("obligation", "status", "certainty")
            for k in item:
                if k not in allowed:
                    add(("expect", i, k), f"unknown key{did_you_mean(k, allowed)}")
            key = "not_fired" if "not_fired" in item else "obligation"
            ob = item.get(key)
            if not isinstance(ob, str) or not self._known_obligation(ob):
                add(("expect", i, key), f"{shown(ob)} is not an obligation id of {pack.name}"
                    + (did_you_mean(ob.split("/")[0], pack.provisions) if isinstance(ob, str) else ""))
                continue
            wrong = self._wrong_part(ob)
            if wrong:
                add(("expect", i, key), wrong)
                continue
            if key == "not_fired":
                reason = item.get("reason")
                if reason is not None and reason not in pack.provisions:
                    add(("expect", i, "reason"),
                        f"unknown provision {shown(reason)}{did_you_mean(written(reason), pack.provisions)}")
                    continue
                out.append(Expectation(obligation=ob, line=line, not_fired=True, reason=reason))
                continue
            status = item.get("status")
            if status == NOT_FIRED and item.get("certainty") == "possible":
                pass  # "in some worlds this duty does not fire"
            elif status not in STATUSES:
                add(("expect", i, "status"),
                    f"must be one of {', '.join(STATUSES)}{did_you_mean(written(status), STATUSES)}")
                continue
            certainty = item.get("certainty")
            if certainty is not None and certainty not in CERTAINTIES:
                add(("expect", i, "certainty"), "must be certain or possible")
                continue
            out.append(Expectation(obligation=ob, line=line, status=status, certainty=certainty))
        return out

    def _wrong_part(self, ob: str) -> str | None:
        """Why an id's holder or trigger cannot name anything in this file (None if it can)."""
        parts = ob.split("/")
        if parts[1] not in self.known_parties:
            return f"holder {parts[1]!r} is not a party of this file{did_you_mean(parts[1], self.known_parties)}"
        if len(parts) == 3 and parts[2] not in self.ids:
            return f"trigger {parts[2]!r} is not an event of this file{did_you_mean(parts[2], self.ids)}"
        return None

    def _known_obligation(self, ob: str) -> bool:
        parts = ob.split("/")
        return 2 <= len(parts) <= 3 and parts[0] in self.pack.provisions and all(parts)


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


# --- what a manifest lets a scenario do (docs/packs.md) ---------------------------------------

def _unset_refused(pack: Pack, key: str) -> str | None:
    """Why parameter ``key`` cannot be left unset (None: it can, its default is unset)."""
    if pack.parameters[key].may_be_unset:
        return None
    return (f"{pack.name} needs a value for {key} (default {pack.parameters[key].default}); only a "
            "parameter whose default is null may be left unset")


def _party_list_refused(pack: Pack, key) -> str | None:
    """Why a scenario may not give party list ``key`` (None: it may)."""
    allowed = ", ".join(pack.scenario_may_set) or "none"
    if key in pack.scenario_may_set:
        return None
    if key in pack.fixed_roles or key in pack.lists:
        return f"{pack.name} fixes this list: a scenario may not replace it (lists a scenario may give: {allowed})"
    return f"unknown list{did_you_mean(str(key), pack.scenario_may_set)} (allowed: {allowed})"

