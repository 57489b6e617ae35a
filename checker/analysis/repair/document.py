"""The repaired document: a repair as events in scenario-file shape, and the scenario's
document with them appended (for the check of a repair, and for `checker repair --save`)."""

from __future__ import annotations

from pathlib import Path

from checker.analysis.repair.candidates import Candidates
from checker.analysis.repair.result import Repair
from checker.engine.terms import text
from checker.model import iso


def as_events(cands: Candidates, atoms) -> Repair:
    """A repair's shown atoms (see rules.shown_atoms) as events ready to paste into the
    scenario: numbered repair-1, repair-2... (skipping the ids it has) by day, type and term."""
    used = [a[1] for a in atoms if a[0] == "use"]
    served: dict = {}
    picked: dict = {}
    for a in atoms:
        if a[0] == "serves":
            served.setdefault(a[1], set()).add(a[2])
        elif a[0] == "picked":
            picked.setdefault(a[1], []).append((a[2], a[3]))
    actions = sorted((cands.by_key[k] for k in used), key=lambda c: (c.day, c.etype, str(c.key)))
    taken = {e.id for e in cands.scenario.events}
    ids: dict = {}
    n = 0
    for c in actions:
        n += 1
        while f"repair-{n}" in taken:
            n += 1
        ids[c.key] = f"repair-{n}"
    events = []
    for c in actions:
        spec = cands.pack.event_types[c.etype]
        given: dict = {}
        for f, v in c.args + picked.get(c.key, []):
            given.setdefault(f, []).append(v)
        for duty, f, h in c.joint:
            if duty in served.get(c.key, ()):
                given.setdefault(f, []).append(h)
        event = {"id": ids[c.key], "date": iso(c.day), "type": c.etype}
        for fname, f in spec.fields.items():  # in the manifest's order
            if fname in given:
                texts = sorted(dict.fromkeys(ids.get(v) or text(v) for v in given[fname]))
                event[fname] = texts if f.is_list else texts[0]
        events.append(event)
    return Repair(tuple(events))


def repaired_document(path: str | Path, repair_: Repair, doc=None):
    """The scenario's document with the repair's events appended (for checking or saving):
    read from ``path``, or a copy of ``doc`` (as read from it) that shares all but its top
    mapping and its list of events."""
    from checker.io.scenario import read_document

    path = Path(path)
    if doc is None:
        doc = read_document(path, str(path))
    else:
        doc = _copy_node(doc)
        doc["events"] = _copy_node(doc["events"])
    events = doc["events"]
    for event in repair_.events:
        events.append(dict(event))
    return doc


def _copy_node(node):
    """A shallow copy of a mapping or list of a read document, with its lines."""
    copy = type(node)(node)
    for name in ("line", "key_lines", "item_lines"):
        if name in node.__dict__:
            value = node.__dict__[name]
            setattr(copy, name, value.copy() if isinstance(value, (dict, list)) else value)
    return copy
