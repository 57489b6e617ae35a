"""Domain objects: a validated scenario, and the verdicts on it. No YAML, clingo or I/O here."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Mapping

ACHIEVEMENT_STATUSES = ("fulfilled", "late", "breached", "pending", "discharged")
MAINTENANCE_STATUSES = ("complied", "breached")
STATUSES = ("fulfilled", "late", "breached", "pending", "discharged", "complied")
# statuses that make `check` exit 1: a late duty is a breach, cured
BREACH_STATUSES = ("breached", "late")


def day_of(value: _dt.date) -> int:
    """A date as the integer day the rules compute with."""
    return value.toordinal()


def iso(day: int | None) -> str | None:
    """An integer day back as an ISO date (None stays None)."""
    return None if day is None else _dt.date.fromordinal(day).isoformat()


@dataclass(frozen=True)
class Event:
    """One dated event of a scenario; ``fields`` maps a field to its value(s) as strings."""

    id: str
    type: str
    day: int
    seq: int
    line: int
    fields: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
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
    parameters: Mapping[str, int]
    events: tuple[Event, ...]
    expectations: tuple[Expectation, ...] = ()
    ignored_events: int = 0

    def event(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

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
    met_by: str | None = None
    breached_on: int | None = None
    breached_by: str | None = None
    discharged_by: str | None = None
    discharged_on: int | None = None


@dataclass(frozen=True)
class NotFired:
    """A duty that would have fired but for the provisions in ``blocked_by``."""

    id: str
    provision: str
    holder: str
    trigger: str | None
    blocked_by: tuple[str, ...]


@dataclass(frozen=True)
class Verdicts:
    """Everything the checker concluded about one scenario."""

    scenario: Scenario
    obligations: tuple[Obligation, ...]
    not_fired: tuple[NotFired, ...]
    stats: Mapping[str, float] = field(default_factory=dict)

    def obligation(self, ob_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == ob_id), None)

    def summary(self) -> dict[str, int]:
        counts = {"fired": len(self.obligations)}
        for status in ("fulfilled", "late", "breached", "pending", "discharged", "complied"):
            counts[status] = sum(1 for o in self.obligations if o.status == status)
        counts["not_fired"] = len(self.not_fired)
        return counts

    @property
    def breached(self) -> bool:
        return any(o.status in BREACH_STATUSES for o in self.obligations)


def obligation_id(provision: str, holder: str, trigger: str | None) -> str:
    return f"{provision}/{holder}" + (f"/{trigger}" if trigger is not None else "")
