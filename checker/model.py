"""Domain objects: a validated scenario, and the verdicts on it. No YAML, clingo or I/O here."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Mapping

ACHIEVEMENT_STATUSES = ("fulfilled", "late", "breached", "pending", "discharged")
MAINTENANCE_STATUSES = ("complied", "breached")
STATUSES = ("fulfilled", "late", "breached", "pending", "discharged", "complied")
# statuses that make `check` exit 1: a late duty is a breach, cured
BREACH_STATUSES = ("breached", "late")
# the pseudo-status of a duty that fires in some possible worlds only
NOT_FIRED = "not_fired"
# the order in which the statuses of an uncertain duty are listed: the worst first
SEVERITY = ("breached", "late", "pending", "discharged", "fulfilled", "complied", NOT_FIRED)


_LAST_DAY = _dt.date.max.toordinal()


def day_of(value: _dt.date) -> int:
    """A date as the integer day the rules compute with."""
    return value.toordinal()


@lru_cache(maxsize=1 << 16)  # a report prints the same few thousand days again and again
def iso(day: int | None) -> str | None:
    """An integer day back as an ISO date (None stays None); a day past 9999-12-31 (a deadline
    computed from a late date) has no ISO form and reads as that date plus the days beyond."""
    if day is None:
        return None
    if day > _LAST_DAY:
        return f"9999-12-31+{day - _LAST_DAY}d"
    return _dt.date.fromordinal(day).isoformat()


@dataclass(frozen=True, slots=True)  # a history holds 100 000 of them: no __dict__ each
class Event:
    """One dated event of a scenario; ``fields`` maps a field to its value(s) as strings.
    ``fields`` and ``options`` are read-only: the loader shares equal values between events."""

    id: str
    type: str
    day: int
    seq: int
    line: int
    fields: Mapping[str, tuple[str, ...]]
    # uncertain facts (hypothetical reasoning); a certain event leaves all three empty.
    # ``day`` is then the earliest possible day.
    date_range: tuple[int, int] | None = None      # `date: {between: [a, b]}`, as days
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # `f: {one_of: [...]}`
    maybe: bool = False                              # `occurred: maybe`
    # the chances a scenario gives its uncertain facts (`p:`), for drawing possible worlds:
    # per field of ``options``, a probability per alternative; that a ``maybe`` event happened
    weights: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    p_occurred: float | None = None

    @property
    def uncertain(self) -> bool:
        return self.date_range is not None or bool(self.options) or self.maybe

    @property
    def days(self) -> tuple[int, ...]:
        """Every day the event may have happened on."""
        if self.date_range is None:
            return (self.day,)
        return tuple(range(self.date_range[0], self.date_range[1] + 1))


_new = object.__new__
(_set_id, _set_type, _set_day, _set_seq, _set_line, _set_fields, _set_date_range, _set_options, _set_maybe,
 _set_weights, _set_p_occurred) = (
    Event.__dict__[name].__set__ for name in ("id", "type", "day", "seq", "line", "fields", "date_range",
                                              "options", "maybe", "weights", "p_occurred"))
_NO_WEIGHTS: Mapping = {}


def certain_event(id: str, type: str, day: int, seq: int, line: int,  # noqa: A002 - Event's names
                  fields: Mapping[str, tuple[str, ...]], options: Mapping[str, tuple[str, ...]]) -> Event:
    """``Event(id=id, type=type, ..., options=options)``, certain (no date range, not maybe),
    built through its slots: a frozen dataclass's __init__ sets each field with a call to
    object.__setattr__, which doubles the cost of loading 100 000 events."""
    event = _new(Event)
    _set_id(event, id)
    _set_type(event, type)
    _set_day(event, day)
    _set_seq(event, seq)
    _set_line(event, line)
    _set_fields(event, fields)
    _set_date_range(event, None)
    _set_options(event, options)
    _set_maybe(event, False)
    _set_weights(event, _NO_WEIGHTS)
    _set_p_occurred(event, None)
    return event


@dataclass(frozen=True, slots=True)
class Expectation:
    """One item of a scenario's ``expect:`` block."""

    obligation: str
    line: int
    status: str | None = None
    certainty: str | None = None
    not_fired: bool = False
    reason: str | None = None

    @property
    def name(self) -> str:
        return ("not_fired:" if self.not_fired else "") + self.obligation


@dataclass(frozen=True)
class Scenario:
    """A scenario that passed validation, with every setting in effect resolved."""

    path: str
    title: str
    description: str
    treaty: str
    as_of: int
    in_force_from: int | None
    roles: Mapping[str, tuple[str, ...]]
    excluded_regions: tuple[str, ...]
    readings: Mapping[str, str]
    parameters: Mapping[str, int | None]   # None: left unset (no param/2 fact)
    events: tuple[Event, ...]
    expectations: tuple[Expectation, ...] = ()
    ignored_events: int = 0

    def event(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    @cached_property  # asked once per reported duty: a scan of every event each time was quadratic
    def uncertain(self) -> bool:
        """True when some fact is uncertain: the verdicts then range over possible worlds."""
        return any(e.uncertain for e in self.events)

    @cached_property
    def world_count(self) -> int:
        """How many possible worlds the uncertain facts allow (1 when everything is certain)."""
        count = 1
        for e in self.events:
            if e.uncertain:
                ways = len(e.days)
                for alternatives in e.options.values():
                    ways *= len(alternatives)
                count *= ways + (1 if e.maybe else 0)
        return count

    @property
    def _by_id(self) -> dict[str, Event]:
        cache = self.__dict__.get("_index")
        if cache is None:
            cache = {e.id: e for e in self.events}
            object.__setattr__(self, "_index", cache)
        return cache


@dataclass(frozen=True)
class Obligation:
    """The verdict on one duty that fired."""

    id: str
    provision: str
    kind: str
    holder: str
    trigger: str | None
    fired_on: int
    deadline: int | None
    status: str
    certainty: str = "certain"
    # every status the duty takes in some possible world (``not_fired``: in some world it did
    # not fire); empty means just ``status``
    possible_statuses: tuple[str, ...] = ()
    met_by: str | None = None
    breached_on: int | None = None
    breached_by: str | None = None
    discharged_by: str | None = None
    discharged_on: int | None = None

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status this duty takes in some possible world."""
        return self.possible_statuses or (self.status,)


@dataclass(frozen=True)
class NotFired:
    """A duty that would have fired but for the provisions in ``blocked_by``."""

    id: str
    provision: str
    holder: str
    trigger: str | None
    blocked_by: tuple[str, ...]
    certainty: str = "certain"


@dataclass(frozen=True)
class Verdicts:
    """Everything the checker concluded about one scenario."""

    scenario: Scenario
    obligations: tuple[Obligation, ...]
    not_fired: tuple[NotFired, ...]
    stats: Mapping[str, float] = field(default_factory=dict)
    worlds: int = 1   # how many possible worlds the verdicts range over

    def obligation(self, ob_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == ob_id), None)

    def summary(self) -> dict[str, int]:
        from collections import Counter

        by_status = Counter(o.status for o in self.obligations)  # one pass, not one per status
        counts = {"fired": len(self.obligations)}
        for status in ("fulfilled", "late", "breached", "pending", "discharged", "complied"):
            counts[status] = by_status[status]
        counts["not_fired"] = len(self.not_fired)
        return counts

    @property
    def breached(self) -> bool:
        return any(o.status in BREACH_STATUSES for o in self.obligations)


def obligation_id(provision: str, holder: str, trigger: str | None) -> str:
    return f"{provision}/{holder}" + (f"/{trigger}" if trigger is not None else "")
