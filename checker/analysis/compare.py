"""One history under several treaties, side by side: the duties each treaty put on each party
and how they ended, and the verdicts that differ in kind between the treaties.

Acts are matched across treaties by event id: a duty is set off by its trigger (the event in
its id), a breach is done by the event that breached it (``breached_by``). Two treaties differ
in kind on an event when one of them puts a duty on a party because of it and the other puts
none on that party, or when the event breaches a duty of a party under one and no duty of
that party under the other. The renderers (checker.render.compare) only lay this out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from checker.errors import UsageError
from checker.model import BREACH_STATUSES, Verdicts, iso

STATUS_ORDER = ("fulfilled", "late", "breached", "pending", "discharged", "complied")


@dataclass(frozen=True)
class Cell:
    """What one treaty asked of one party: its duties, how many ended in each status, and the
    ids of those breached (or late). ``party``: whether the treaty holds it as a party."""

    party: bool
    duties: tuple[str, ...] = ()
    statuses: Mapping[str, int] = field(default_factory=dict)
    breached: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventVerdicts:
    """One event, as each treaty took it: whether it reads it, and the duties it set off
    (``triggered``) or breached (``breached``), by holder."""

    id: str
    date: str
    type: str
    reads: Mapping[str, bool]
    triggered: Mapping[str, Mapping[str, tuple[str, ...]]]   # treaty -> holder -> duty ids
    breached: Mapping[str, Mapping[str, tuple[str, ...]]]    # treaty -> holder -> duty ids
    # treaty -> the duties it did not fire on this event (not-fired ids) -> what blocked them
    blocked: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Difference:
    """A verdict that differs in kind: ``kind`` is ``duty`` (the event puts a duty on the party
    under the treaties in ``present`` and none under those in ``absent``) or ``breach`` (the
    event breaches a duty of the party under ``present``, none under ``absent``). ``notes``:
    why a treaty in ``absent`` shows nothing (it does not read the event; the party is none of
    its parties; its duty had been breached before, by another event)."""

    kind: str
    event: str
    party: str
    present: Mapping[str, tuple[str, ...]]   # treaty -> duty ids
    absent: tuple[str, ...]
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    """A history checked under several treaties: ``verdicts`` in the order of ``treaties``."""

    file: str
    title: str
    as_of: str
    treaties: tuple[str, ...]
    verdicts: tuple[Verdicts, ...]
    parties: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]          # (party, treaty) -> Cell
    events: tuple[EventVerdicts, ...]
    differences: tuple[Difference, ...]

    @property
    def breached(self) -> bool:
        return any(v.breached for v in self.verdicts)


def default_treaties(path: str | Path, rules_root: Path | None = None) -> tuple[str, ...]:
    """The treaties a history is compared under when none is given: those its ``treaty:``
    names; else every pack (of the rules folder nearest the file) that reads at least one of
    its event types."""
    from checker.io.pack import default_rules_root, known_packs, load_pack
    from checker.io.scenario import read_document

    doc = read_document(Path(path))
    if isinstance(doc, dict) and "treaty" in doc:
        return ()   # the loader reads (and checks) `treaty:` itself
    root = rules_root or next((p / "rules" for p in Path(path).resolve().parents if (p / "rules").is_dir()),
                              None) or default_rules_root()
    events = doc.get("events") if isinstance(doc, dict) else None
    types = {e.get("type") for e in events if isinstance(e, dict)} if isinstance(events, list) else set()
    found = tuple(name for name in known_packs(root) if types & set(load_pack(name, root).event_types))
    if not found:
        raise UsageError(f"{path}: names no treaty, and no pack in {root} reads any of its event types: "
                         "give --treaty PACK")
    return found


def compare_history(path: str | Path, *, treaties: Sequence[str] = (), rules_root: Path | None = None,
                    as_of: str | None = None, readings: Mapping[str, str] | None = None,
                    parameters: Mapping[str, int] | None = None, timeout: float | None = None) -> Comparison:
    """Check ``path`` under each of ``treaties`` (default: see default_treaties) and compare."""
    from checker.engine.check import check_history

    chosen = tuple(treaties) or default_treaties(path, rules_root)
    checked = check_history(path, treaties=chosen, rules_root=rules_root, as_of=as_of, readings=readings,
                            parameters=parameters, timeout=timeout)
    return compare_verdicts([v for v, _, _ in checked], [p for _, p, _ in checked])


def compare_verdicts(verdicts: Sequence[Verdicts], packs: Sequence) -> Comparison:
    """The comparison of one history's verdicts under several treaties (one each, in order)."""
    names = tuple(v.scenario.treaty for v in verdicts)
    members = {v.scenario.treaty: _parties_of(v, p) for v, p in zip(verdicts, packs)}
    holders = {h for v in verdicts for h in (o.holder for o in v.obligations)}
    parties = tuple(sorted(holders | {n for m in members.values() for n in m}))
    cells: dict[tuple[str, str], Cell] = {}
    for v in verdicts:
        treaty = v.scenario.treaty
        by_holder: dict[str, list] = {}
        for o in v.obligations:
            by_holder.setdefault(o.holder, []).append(o)
        for party in parties:
            duties = by_holder.get(party, [])
            counts = {s: n for s in STATUS_ORDER if (n := sum(1 for o in duties if o.status == s))}
            cells[(party, treaty)] = Cell(
                party=party in members[treaty] or bool(duties), duties=tuple(o.id for o in duties),
                statuses=counts, breached=tuple(o.id for o in duties if o.status in BREACH_STATUSES))
    events = _events(verdicts)
    return Comparison(
        file=verdicts[0].scenario.path, title=verdicts[0].scenario.title, as_of=iso(verdicts[0].scenario.as_of),
        treaties=names, verdicts=tuple(verdicts), parties=parties, cells=cells, events=events,
        differences=tuple(_differences(events, verdicts, cells)))


def _parties_of(verdicts: Verdicts, pack) -> set[str]:
    """The names a treaty holds as its parties in this history (its non-party lists aside)."""
    return {n for key, names in verdicts.scenario.roles.items() if key not in pack.non_party for n in names}


def _events(verdicts: Sequence[Verdicts]) -> tuple[EventVerdicts, ...]:
    """Every event of the history that sets off or breaches a duty under some treaty, in date
    order, with what each treaty made of it."""
    seen: dict[str, object] = {}
    for v in verdicts:
        for e in v.scenario.events:
            seen.setdefault(e.id, e)
    out = []
    for eid, e in seen.items():
        reads = {v.scenario.treaty: v.scenario.event(eid) is not None for v in verdicts}
        triggered: dict[str, dict[str, tuple[str, ...]]] = {}
        breached: dict[str, dict[str, tuple[str, ...]]] = {}
        for v in verdicts:
            t = v.scenario.treaty
            for o in v.obligations:
                if o.trigger == eid:
                    triggered.setdefault(t, {}).setdefault(o.holder, ())
                    triggered[t][o.holder] += (o.id,)
                if o.breached_by == eid:
                    breached.setdefault(t, {}).setdefault(o.holder, ())
                    breached[t][o.holder] += (o.id,)
        blocked = {v.scenario.treaty: {n.id: tuple(n.blocked_by) for n in v.not_fired if n.trigger == eid}
                   for v in verdicts}
        blocked = {t: b for t, b in blocked.items() if b}
        if triggered or breached:
            out.append(EventVerdicts(eid, iso(e.day), e.type, reads, triggered, breached, blocked))
    return tuple(sorted(out, key=lambda ev: (ev.date, ev.id)))


def _differences(events, verdicts: Sequence[Verdicts], cells) -> list[Difference]:
    treaties = [v.scenario.treaty for v in verdicts]
    earlier: dict[str, dict[str, list]] = {}   # treaty -> holder -> its breaches (to say "before")
    for v in verdicts:
        for o in v.obligations:
            if o.status in BREACH_STATUSES and o.breached_by is not None:
                earlier.setdefault(v.scenario.treaty, {}).setdefault(o.holder, []).append(o)
    out = []
    for ev in events:
        for kind, found in (("duty", ev.triggered), ("breach", ev.breached)):
            holders = sorted({h for by_holder in found.values() for h in by_holder})
            for party in holders:
                present = {t: found[t][party] for t in treaties if party in found.get(t, {})}
                absent = tuple(t for t in treaties if t not in present)
                if not absent:
                    continue
                notes = {}
                for t in absent:
                    if not ev.reads[t]:
                        notes[t] = "does not read this event"
                    elif not cells[(party, t)].party:
                        notes[t] = f"{party} is none of its parties"
                    elif kind == "breach":
                        # a standing duty breached once, by an earlier act of the same kind
                        v = verdicts[treaties.index(t)]
                        before = [o for o in earlier.get(t, {}).get(party, [])
                                  if o.breached_by != ev.id and iso(o.breached_on) <= ev.date
                                  and getattr(v.scenario.event(o.breached_by), "type", None) == ev.type]
                        if before:
                            first = min(before, key=lambda o: o.breached_on or 0)
                            notes[t] = f"{first.id} breached before, by {first.breached_by} ({iso(first.breached_on)})"
                out.append(Difference(kind, ev.id, party, present, absent, notes))
    return out
