"""Scenario files: read as data, validated against the pack's manifest, every setting resolved.

One way in: ``read_document`` reads the file (YAML, or JSON for a ``.json`` file: see
checker.io.yamltext and checker.io.jsontext) and one validator checks the document against
the vocabulary of the treaties it is checked under (the events in checker.io.events) and
builds a Scenario for each of them: the history as that treaty reads it (``_view``). A file
is accepted or rejected as a whole: every problem found is collected and reported together,
each as ``FILE:LINE: FIELD: message`` (errors.Problem).
The validator names each problem by its path in the document; lines are looked up once,
for the problems only (document.locate).

One module, though long: it is the one validator of scenario files, and its settings,
expectations and treaty views are one pass over one document (events: checker.io.events).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from checker.errors import PackError, Problem, ScenarioError, UsageError, did_you_mean
from checker.io.document import SourceProblem, locate, shown, written
from checker.io.events import EventChecker, parse_date
from checker.io.files import read_text
from checker.io.jsontext import read_json
from checker.io.pack import TREATY_FIELD, WORD, Pack, find_rules_root, load_pack, vocabulary_of
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
                  max_uncertain_days: int | None = None, treaty: str | None = None) -> tuple[Scenario, Pack]:
    """Read and validate one scenario file; the keyword arguments override the file's settings
    (``max_uncertain_days``: see events.MAX_UNCERTAIN_DAYS). A history checked under several
    treaties gives the one ``treaty`` names (UsageError when it names none)."""
    path = Path(path)
    return _load(path, read_document(path), rules_root, as_of, readings, parameters, max_uncertain_days,
                 treaty=treaty)


def load_document(path: str | Path, doc, *, rules_root: Path | None = None, as_of: str | None = None,
                  readings: Mapping[str, str] | None = None,
                  parameters: Mapping[str, int] | None = None,
                  max_uncertain_days: int | None = None, treaty: str | None = None) -> tuple[Scenario, Pack]:
    """Validate ``doc``, a document as read_document gives it (maybe edited), as the file
    ``path``: the same checks and messages as load_scenario."""
    return _load(Path(path), doc, rules_root, as_of, readings, parameters, max_uncertain_days, treaty=treaty)


def load_histories(path: str | Path, *, rules_root: Path | None = None, treaties: Sequence[str] = (),
                   as_of: str | None = None, readings: Mapping[str, str] | None = None,
                   parameters: Mapping[str, int] | None = None,
                   max_uncertain_days: int | None = None) -> list[tuple[Scenario, Pack]]:
    """Read and validate one history, and give it as each treaty it is checked under reads
    it: ``treaties`` (``--treaty``) if any, else those its ``treaty:`` names, in that order."""
    path = Path(path)
    return _load_all(path, read_document(path), rules_root, as_of, readings, parameters, tuple(treaties),
                     max_uncertain_days)


def load_history_document(path: str | Path, doc, *, rules_root: Path | None = None, treaties: Sequence[str] = (),
                          as_of: str | None = None, readings: Mapping[str, str] | None = None,
                          parameters: Mapping[str, int] | None = None,
                          max_uncertain_days: int | None = None) -> list[tuple[Scenario, Pack]]:
    """load_histories of ``doc``, a document as read_document gives it, as the file ``path``."""
    return _load_all(Path(path), doc, rules_root, as_of, readings, parameters, tuple(treaties), max_uncertain_days)


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
        located at the deepest part that is there); the same problem twice is said once."""
        if (path, message) not in self.found[-8:]:
            self.found.append((path, message))

    def error(self) -> ScenarioError:
        return ScenarioError([Problem(self.shown, locate(self.doc, path), _field(path), message)
                              for path, message in self.found])


def _load(path: Path, doc, rules_root, as_of, readings, parameters, max_uncertain_days: int | None = None,
          treaty: str | None = None) -> tuple[Scenario, Pack]:
    """The one scenario of ``doc``: the view of ``treaty``, or of the one treaty it is checked under."""
    views = _load_all(path, doc, rules_root, as_of, readings, parameters, (treaty,) if treaty else (),
                      max_uncertain_days)
    if len(views) > 1:
        names = ", ".join(s.treaty for s, _ in views)
        raise UsageError(f"{path}: is checked under several treaties ({names}): this command takes one "
                         "(--treaty NAME)")
    return views[0]


def _load_all(path: Path, doc, rules_root, as_of, readings, parameters,
              treaties: tuple[str, ...], max_uncertain_days: int | None = None) -> list[tuple[Scenario, Pack]]:
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
        if key not in doc and not (key == "treaty" and treaties):
            problems.add((key,), "is required")
    title = _text(problems, doc, "scenario", required=True)
    description = _text(problems, doc, "description") or ""
    packs: dict[str, Pack] = {}
    named: list[str] = []
    for name, where in _named_treaties(problems, doc):
        try:
            pack = load_pack(name, rules_root or find_rules_root(name, path))
        except PackError as exc:
            if exc.problems:  # the pack itself is broken: that is not this file's fault
                raise
            problems.add(where, exc.text.split(": ", 1)[-1])
            continue
        named.append(name)
        packs.setdefault(name, pack)
    for name in treaties:
        if name not in packs:
            try:
                packs[name] = load_pack(name, rules_root or find_rules_root(name, path))
            except PackError as exc:
                if exc.problems:
                    raise
                raise UsageError(f"--treaty: {exc.text.split(': ', 1)[-1]}") from None
    if not packs or (problems.found and "treaty" in doc and len(named) < len(_named_treaties(None, doc))):
        raise problems.error()
    checked = list(dict.fromkeys(treaties or named))
    validator = _Validator(problems, doc, list(packs.values()), checked, named, max_uncertain_days)
    return validator.run(title, description, as_of, readings or {}, parameters or {})


def _named_treaties(problems: _Problems | None, doc) -> list[tuple[str, tuple]]:
    """The treaties ``treaty:`` names, each with its path in the document (problems noted)."""
    if "treaty" not in doc:
        return []
    value = doc["treaty"]
    if isinstance(value, str):
        return [(value, ("treaty",))]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        out = []
        for i, name in enumerate(value):
            if name in value[:i]:
                if problems is not None:
                    problems.add(("treaty", i), f"{name!r} is named twice")
                continue
            out.append((name, ("treaty", i)))
        return out
    if problems is not None:
        problems.add(("treaty",), "must be the name of a rule pack, or a list of them")
    return []


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
    """Checks one document against the treaties it is checked under and builds its Scenario
    for each: the settings and the expectations here, the events by checker.io.events.

    ``packs``: every treaty the history names or is checked under (its events may use the
    vocabulary of any of them); ``checked``: those it is checked under. With one treaty in
    all, every message is that treaty's; with several, a setting applies to the treaties that
    declare it, and is a problem only when none does."""

    def __init__(self, problems: _Problems, doc, packs: list[Pack], checked: list[str], named: list[str],
                 max_uncertain_days: int | None = None):
        self.problems, self.add, self.doc = problems, problems.add, doc
        self.max_uncertain_days = max_uncertain_days
        self.packs, self.checked, self.named = packs, checked, named
        self.by_name = {p.name: p for p in packs}
        self.single = len(packs) == 1
        self.ids: dict[str, Any] = {}   # every event id written -> its type (EventChecker.ids)

    def run(self, title, description, as_of_override, reading_overrides, parameter_overrides) \
            -> list[tuple[Scenario, Pack]]:
        vocabulary, conflicts = vocabulary_of(self.packs)
        for message in conflicts:
            self.add(("treaty",), f"{message}: a history cannot be checked under both")
        roles = self._parties()
        excluded = self._excluded()
        readings = self._readings()
        parameters = self._parameters()
        in_force = self._in_force_from()
        as_of = self._date("as_of")
        events = self._events(vocabulary)
        expectations = self._expectations()
        if self.problems.found:
            raise self.problems.error()

        checked = [self.by_name[name] for name in self.checked]
        for name, values in _apply_readings(checked, reading_overrides).items():
            readings[name].update(values)
        for name, values in _apply_parameters(checked, parameter_overrides).items():
            parameters[name].update(values)
        if as_of_override is not None:
            override = parse_date(as_of_override)
            if override is None:
                raise UsageError(f"--as-of: {as_of_override!r} is not a valid date (YYYY-MM-DD)")
            as_of = day_of(override)
        if as_of is None:
            if not events:
                raise ScenarioError([Problem(self.problems.shown, 1, "as_of", "is required when there are no events")])
            as_of = max(e.date_range[1] if e.date_range else e.day for e in events)
        treaties = tuple(self.checked) if len(self.packs) > 1 else ()
        out = []
        for pack in checked:
            seen, unread = _view(events, pack, vocabulary)
            out.append((Scenario(
                path=self.problems.shown, title=title or "", description=description, treaty=pack.name,
                as_of=as_of, in_force_from=in_force.get(pack.name), roles=roles[pack.name],
                excluded_regions=excluded[pack.name], readings=readings[pack.name],
                parameters=parameters[pack.name], events=tuple(seen),
                expectations=tuple(expectations.get(pack.name, ())),
                ignored_events=sum(1 for e in seen if e.day > as_of),
                treaties=treaties, unread_events=unread,
            ), pack))
        return out

    def _names_of(self, attribute: str) -> list[str]:
        """Every key of ``attribute`` (readings, parameters...) some treaty declares, in order."""
        return list(dict.fromkeys(k for p in self.packs for k in getattr(p, attribute)))

    def _all(self) -> str:
        return ", ".join(p.name for p in self.packs)

    # --- settings --------------------------------------------------------------------------
    def _parties(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """The roles of each treaty; sets ``known_parties`` (every name known as a party to
        any of them) and ``parties_of`` (per treaty)."""
        doc, add = self.doc, self.add
        given = doc.get("parties")
        lists: dict[str, tuple[str, ...]] = {}
        if given is not None:
            if not isinstance(given, dict):
                settable = self._names_of("scenario_may_set")
                add(("parties",), f"must map {', '.join(settable)} to lists of names")
                given = {}
            for key, value in given.items():
                refused = self._list_refused(key)
                if refused:
                    add(("parties", key), refused)
                    continue
                names = self._names(value, ("parties", key))
                if names is not None:
                    lists[key] = names
        roles = {p.name: self._roles(p, {k: v for k, v in lists.items() if k in p.scenario_may_set})
                 for p in self.packs}
        self.parties_of = {name: frozenset(self.by_name[name].default_party_names).union(
            *(members for members in r.values())) for name, r in roles.items()}
        self.known_parties = frozenset().union(*self.parties_of.values())
        return roles

    def _list_refused(self, key) -> str | None:
        """Why no treaty lets the history give party list ``key`` (None: some treaty does, and
        none fixes it)."""
        reasons = [_party_list_refused(p, key) for p in self.packs]
        if self.single:
            return reasons[0]
        fixing = next((r for p, r in zip(self.packs, reasons) if r and (key in p.fixed_roles or key in p.lists)), None)
        if fixing or not all(reasons):
            return fixing
        settable = self._names_of("scenario_may_set")
        return f"unknown list{did_you_mean(str(key), settable)} (allowed: {', '.join(settable) or 'none'})"

    def _roles(self, pack: Pack, given: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """The roles of one treaty with the lists the history gives it."""
        roles = {k: tuple(v) for k, v in pack.fixed_roles.items()}
        lists = {k: tuple(v) for k, v in pack.lists.items()}
        lists.update(given)
        fixed_names = {n for m in roles.values() for n in m}
        if not self.single:
            # a state the history names as no party (`others`) that this treaty holds as one of
            # its parties stays its party: the list speaks of the treaties it is not party to
            own = fixed_names | {n for k, m in lists.items() if k not in pack.non_party for n in m}
            lists = {k: (tuple(n for n in m if n not in own) if k in pack.non_party else m) for k, m in lists.items()}
        # default members left out of an overriding list are known names but no parties
        listed = {n for members in lists.values() for n in members}
        dropped = sorted(n for members in pack.lists.values() for n in members if n not in listed)
        non_party = next(iter(sorted(pack.non_party)), None)
        if non_party is not None and dropped:
            lists[non_party] = tuple(lists.get(non_party, ())) + tuple(dropped)
        for key, members in lists.items():
            for name in members:
                if name in fixed_names:
                    self.add(("parties", key), f"{name!r} cannot be put on a list"
                             + ("" if self.single else f" (a party {pack.name} fixes)"))
        roles.update(lists)
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

    def _excluded(self) -> dict[str, tuple[str, ...]]:
        doc = self.doc
        out = {p.name: p.excluded_regions for p in self.packs}
        if "excluded_regions" not in doc:
            return out
        allowing = [p for p in self.packs if p.excluded_regions_allowed]
        if not allowing:
            self.add(("excluded_regions",), f"{self.packs[0].name} does not let a scenario exclude regions: its "
                     "scope is its manifest's" if self.single else
                     f"none of {self._all()} lets a scenario exclude regions: their scope is their manifests'")
            return out
        value = doc["excluded_regions"]
        if not isinstance(value, list):
            self.add(("excluded_regions",), "must be a list of regions")
            return {**out, **{p.name: () for p in allowing}}
        regions = list(dict.fromkeys(r for p in allowing for r in p.regions))
        never = {r for p in allowing for r in p.never_excluded}
        given = []
        for i, r in enumerate(value):
            if not isinstance(r, str) or r not in regions:
                self.add(("excluded_regions", i), f"unknown region {shown(r)}{did_you_mean(written(r), regions)}")
            elif r in never:
                self.add(("excluded_regions", i), f"{r!r} can never be excluded")
            else:
                given.append(r)
        for p in allowing:
            out[p.name] = tuple(r for r in given if r in p.regions)
        return out

    def _readings(self) -> dict[str, dict[str, str]]:
        out = {p.name: {name: r.default for name, r in p.readings.items()} for p in self.packs}
        given = self.doc.get("readings")
        if given is None:
            return out
        if not isinstance(given, dict):
            self.add(("readings",), "must map readings to choices")
            return out
        known = self._names_of("readings")
        for key, value in given.items():
            declaring = [p for p in self.packs if key in p.readings]
            if not declaring:
                self.add(("readings", key), f"unknown reading{did_you_mean(key, known)}")
                continue
            for p in declaring:
                choices = p.readings[key].choices
                if isinstance(value, str) and value in choices:
                    out[p.name][key] = value
                else:
                    of = "" if self.single else f" of {p.name}"
                    self.add(("readings", key), f"{shown(value)} is not a choice{of} (choices: {', '.join(choices)})"
                             f"{did_you_mean(written(value), choices)}")
        return out

    def _parameters(self) -> dict[str, dict[str, int | None]]:
        out = {p.name: {name: q.default for name, q in p.parameters.items()} for p in self.packs}
        given = self.doc.get("parameters")
        if given is None:
            return out
        if not isinstance(given, dict):
            self.add(("parameters",), "must map parameters to whole numbers")
            return out
        known = self._names_of("parameters")
        for key, value in given.items():
            declaring = [p for p in self.packs if key in p.parameters]
            if not declaring:
                self.add(("parameters", key), f"unknown parameter{did_you_mean(key, known)}")
            elif value is None:  # left unset: only a parameter whose default is unset may be
                for p in declaring:
                    refused = _unset_refused(p, key)
                    if refused:
                        self.add(("parameters", key), f"null is not a whole number from 0 to 100000 ({refused})")
                    else:
                        out[p.name][key] = None
            elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
                self.add(("parameters", key), f"{shown(value)} is not a whole number from 0 to 100000")
            else:
                for p in declaring:
                    out[p.name][key] = int(value)
        return out

    def _events(self, vocabulary) -> list[Event]:
        if "events" not in self.doc:
            return []
        checker = EventChecker(self.add, self.problems.found, vocabulary, self.known_parties, self.max_uncertain_days)
        events = checker.check(self.doc["events"])
        self.ids = checker.ids
        return events

    def _in_force_from(self) -> dict[str, int | None]:
        """in_force_from of each treaty that lets a scenario set it: one date for all of them,
        or a date per treaty (``{TREATY: DATE}``)."""
        doc = self.doc
        if "in_force_from" not in doc:
            return {}
        value = doc["in_force_from"]
        if isinstance(value, dict):
            out = {}
            for key, date in value.items():
                pack = self._treaty_key("in_force_from", key)
                if pack is None:
                    continue
                if not pack.in_force_from_allowed:
                    self.add(("in_force_from", key), _no_in_force_from(pack))
                else:
                    day = self._date_of(date, ("in_force_from", key))
                    if day is not None:
                        out[key] = day
            return out
        allowing = [p for p in self.packs if p.in_force_from_allowed]
        if not allowing:
            self.add(("in_force_from",), _no_in_force_from(self.packs[0]) if self.single else
                     f"none of {self._all()} takes in_force_from: who is bound from when is their manifests'")
            return {}
        day = self._date("in_force_from")
        return {} if day is None else {p.name: day for p in allowing}

    def _treaty_key(self, field: str, key) -> Pack | None:
        """The treaty ``key`` names under ``field`` (a mapping by treaty); None, said, when it
        is none of this history's."""
        pack = self.by_name.get(key)
        if pack is None:
            self.add((field, key), f"{shown(key)} is not a treaty of this history "
                     f"(treaties: {self._all()}){did_you_mean(written(key), self.by_name)}")
        return pack

    def _date(self, key: str) -> int | None:
        if key not in self.doc:
            return None
        return self._date_of(self.doc[key], (key,))

    def _date_of(self, text, path: tuple) -> int | None:
        value = parse_date(text)
        if value is None:
            self.add(path, f"{shown(text)} is not a valid date (YYYY-MM-DD)")
            return None
        return day_of(value)

    # --- expectations ----------------------------------------------------------------------
    def _expectations(self) -> dict[str, list[Expectation]]:
        """The expectations of each treaty: a plain list belongs to the one treaty the file
        names; ``{TREATY: [...]}`` gives each treaty its own."""
        raw = self.doc.get("expect")
        if raw is None:
            return {}
        if isinstance(raw, list):
            if len(self.named) == 1:
                return {self.named[0]: self._expectation_list(self.by_name[self.named[0]], raw, ("expect",))}
            self.add(("expect",), "say which treaty each expectation is for: `expect: {TREATY: [...]}` "
                     f"(this history is read by {self._all()})")
            return {}
        if not isinstance(raw, dict):
            self.add(("expect",), "must be a list of expectations, or map treaties to lists of them")
            return {}
        out = {}
        for key, items in raw.items():
            pack = self._treaty_key("expect", key)
            if pack is None:
                continue
            if not isinstance(items, list):
                self.add(("expect", key), "must be a list of expectations")
                continue
            out[key] = self._expectation_list(pack, items, ("expect", key))
        return out

    def _expectation_list(self, pack: Pack, raw: list, at: tuple) -> list[Expectation]:
        doc, add = self.doc, self.add
        out = []
        for i, item in enumerate(raw):
            line = locate(doc, at + (i,))
            if not isinstance(item, dict):
                add(at + (i,), "must be a mapping (obligation and status, or not_fired)")
                continue
            allowed = ("not_fired", "reason") if "not_fired" in item else ("obligation", "status", "certainty")
            for k in item:
                if k not in allowed:
                    add(at + (i, k), f"unknown key{did_you_mean(k, allowed)}")
            key = "not_fired" if "not_fired" in item else "obligation"
            ob = item.get(key)
            if not isinstance(ob, str) or not _known_obligation(pack, ob):
                add(at + (i, key), f"{shown(ob)} is not an obligation id of {pack.name}"
                    + (did_you_mean(ob.split("/")[0], pack.provisions) if isinstance(ob, str) else ""))
                continue
            wrong = self._wrong_part(pack, ob)
            if wrong:
                add(at + (i, key), wrong)
                continue
            if key == "not_fired":
                reason = item.get("reason")
                if reason is not None and reason not in pack.provisions:
                    add(at + (i, "reason"),
                        f"unknown provision {shown(reason)}{did_you_mean(written(reason), pack.provisions)}")
                    continue
                out.append(Expectation(obligation=ob, line=line, not_fired=True, reason=reason))
                continue
            status = item.get("status")
            if status == NOT_FIRED and item.get("certainty") == "possible":
                pass  # "in some worlds this duty does not fire"
            elif status not in STATUSES:
                add(at + (i, "status"),
                    f"must be one of {', '.join(STATUSES)}{did_you_mean(written(status), STATUSES)}")
                continue
            certainty = item.get("certainty")
            if certainty is not None and certainty not in CERTAINTIES:
                add(at + (i, "certainty"), "must be certain or possible")
                continue
            out.append(Expectation(obligation=ob, line=line, status=status, certainty=certainty))
        return out

    def _wrong_part(self, pack: Pack, ob: str) -> str | None:
        """Why an id's holder or trigger cannot name anything in this file (None if it can)."""
        parts = ob.split("/")
        parties = self.parties_of[pack.name]
        if parts[1] not in parties:
            of = "this file" if self.single else f"{pack.name} in this file"
            return f"holder {parts[1]!r} is not a party of {of}{did_you_mean(parts[1], parties)}"
        if len(parts) == 3 and parts[2] not in self.ids:
            return f"trigger {parts[2]!r} is not an event of this file{did_you_mean(parts[2], self.ids)}"
        return None


def _known_obligation(pack: Pack, ob: str) -> bool:
    parts = ob.split("/")
    return 2 <= len(parts) <= 3 and parts[0] in pack.provisions and all(parts)


def _no_in_force_from(pack: Pack) -> str:
    return (f"{pack.name} takes no in_force_from: who is bound from when is its manifest's (dated parties)")


# --- what each treaty reads of a history --------------------------------------------------------

def _view(events: list[Event], pack: Pack, vocabulary) -> tuple[list[Event], int]:
    """The events of a history as ``pack`` reads them, and how many it does not read: an
    event of a type it does not read, an act under another treaty (its `treaty` field), or
    one whose regions are none of the pack's (outside its map). Of the others, it reads the
    fields it reads, and of a region field the regions it lists; a region it does not list is
    read as the state it belongs to (rules/common/regions.yaml) when the pack lists the state
    as a region of its own (an attack on a province is an attack on its state to a treaty
    whose map has the state, not its provinces)."""
    plans = _view_plans(pack, vocabulary)
    mapped = _region_map(pack) if any(p and p is not _UNREAD and p[2] for p in plans.values()) else {}
    out: list[Event] = []
    unread = 0
    for e in events:
        plan = plans.get(e.type, _UNREAD)
        if plan is None:   # read whole: the common case, the event itself
            out.append(e)
            continue
        if plan is _UNREAD:
            unread += 1
            continue
        treaty_fields, dropped, region_fields = plan
        if any(e.fields.get(f, (pack.name,))[0] != pack.name for f in treaty_fields):
            unread += 1
            continue
        fields, options = e.fields, e.options
        if dropped and not dropped.isdisjoint(fields):
            fields = {k: v for k, v in fields.items() if k not in dropped}
        if dropped and not dropped.isdisjoint(options):
            options = {k: v for k, v in options.items() if k not in dropped}
        if region_fields:
            fields, options, outside = _on_map(fields, options, region_fields, mapped)
            if outside:
                unread += 1
                continue
        out.append(e if fields is e.fields and options is e.options else replace(e, fields=fields, options=options))
    return out, unread


_UNREAD = object()


def _view_plans(pack: Pack, vocabulary) -> dict:
    """Per event type of the history: None when the pack reads its events as they are, else
    (its treaty fields, the fields it does not read, its region fields to keep on the map)."""
    plans: dict = {}
    regions = set(pack.regions)
    whole_map = regions.issuperset(vocabulary.regions)
    for name, whole in vocabulary.event_types.items():
        mine = pack.event_types.get(name)
        if mine is None:
            plans[name] = _UNREAD
            continue
        treaty_fields = tuple(f.name for f in whole.fields.values() if f.type == TREATY_FIELD)
        dropped = frozenset(whole.fields) - frozenset(mine.fields)
        region_fields = () if whole_map else tuple(f.name for f in mine.fields.values() if f.type == "region")
        plans[name] = (treaty_fields, dropped, region_fields) if treaty_fields or dropped or region_fields else None
    return plans


def _region_map(pack: Pack) -> dict[str, str]:
    """Every region of the gazetteer -> the region of ``pack``'s map it is read as: itself when
    the pack lists it, else its state when the pack lists the state as a region."""
    from checker.io.pack import load_gazetteer

    regions = set(pack.regions)
    out = {r: r for r in regions}
    for region, state in load_gazetteer(pack.folder.parent).items():
        if region not in regions and state in regions:
            out[region] = state
    return out


def _on_map(fields, options, region_fields, regions: Mapping[str, str]) -> tuple:
    """The fields and options with the regions as the pack reads them (``regions``: see
    _region_map), and whether the event named regions but none of them is on the pack's map."""
    named = kept = 0
    new_fields, new_options = dict(fields), dict(options)
    for f in region_fields:
        for source, target in ((fields, new_fields), (options, new_options)):
            if f in source:
                values = source[f]
                on_map = tuple(dict.fromkeys(regions[r] for r in values if r in regions))
                named += len(values)
                kept += len(on_map)
                if on_map != tuple(values):
                    if on_map:
                        target[f] = on_map
                    else:
                        del target[f]
    if new_fields == fields and new_options == options:
        return fields, options, False
    return new_fields, new_options, named > 0 and kept == 0


def _apply_readings(packs: list[Pack], overrides: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``--reading`` values, per treaty that declares each (an error when none does)."""
    def refused(pack: Pack, key: str, value: str) -> str | None:
        if value in pack.readings[key].choices:
            return None
        return f"{value!r} is not a choice of {key} (choices: {', '.join(pack.readings[key].choices)})"

    return _per_treaty(packs, overrides, "--reading", ("reading", "readings"), lambda p: p.readings, refused)


def _apply_parameters(packs: list[Pack], overrides: Mapping[str, int | None]) -> dict[str, dict[str, int | None]]:
    """``--param`` values, per treaty that declares each (an error when none does)."""
    def refused(pack: Pack, key: str, value: int | None) -> str | None:
        why = _unset_refused(pack, key) if value is None else None
        return f"{key}=unset: {why}" if why else None

    return _per_treaty(packs, overrides, "--param", ("parameter", "parameters"), lambda p: p.parameters, refused)


def _per_treaty(packs: list[Pack], overrides: Mapping, option: str, nouns: tuple[str, str],
                declared: Callable[[Pack], Mapping], refused: Callable[[Pack, str, object], str | None]) -> dict:
    """The values of ``option`` given for each treaty that declares the key (``declared``: its
    readings or parameters); UsageError when no treaty declares a key, or one refuses a value."""
    out: dict[str, dict] = {p.name: {} for p in packs}
    for key, value in overrides.items():
        declaring = [p for p in packs if key in declared(p)]
        if not declaring:
            known = list(dict.fromkeys(k for p in packs for k in declared(p)))
            who = packs[0].name if len(packs) == 1 else " nor ".join(p.name for p in packs)
            raise UsageError(f"{option}: {who} has no {nouns[0]} {key!r}{did_you_mean(key, known)}"
                             f" ({nouns[1]}: {', '.join(known) or 'none'})")
        for pack in declaring:
            problem = refused(pack, key, value)
            if problem:
                raise UsageError(f"{option}: {problem}")
            out[pack.name][key] = value
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

