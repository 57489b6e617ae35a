"""`checker compare` as text (a table per history), JSON (treaty-checker/compare@1, described
by docs/schema/compare.schema.json) and Markdown; the HTML page is checker.render.html's, one
timeline per treaty on a shared axis."""

from __future__ import annotations

from typing import Sequence

from checker.analysis.compare import STATUS_ORDER, Comparison
from checker.render.json import FORMAT_COMPARE
from checker.render.style import Style

NOT_PARTY = "not a party"
NO_DUTY = "no duty"


def cell_text(cell) -> str:
    """A cell of the table: how many duties, and how they ended."""
    if not cell.duties:
        return NO_DUTY if cell.party else NOT_PARTY
    counts = ", ".join(f"{n} {s}" for s, n in cell.statuses.items())
    return f"{len(cell.duties)}: {counts}" if counts else str(len(cell.duties))


def _holders(names: Sequence[str]) -> str:
    names = sorted(names)
    return ", ".join(names) if len(names) <= 6 else f"{len(names)} parties"


def treaty_line(c: Comparison, event, treaty: str) -> str:
    """What one treaty made of one event: the duties it set off (by provision, on whom), the
    duties it breached, or why nothing (it does not read the event; a duty breached before)."""
    if not event.reads[treaty]:
        return "does not read it"
    parts = []
    triggered = event.triggered.get(treaty, {})
    if triggered:
        by_provision: dict[str, list[str]] = {}
        for holder, ids in triggered.items():
            for i in ids:
                by_provision.setdefault(i.split("/")[0], []).append(holder)
        parts.append("duties: " + "; ".join(f"{p} on {_holders(h)}" for p, h in by_provision.items()))
    breached = [i for ids in event.breached.get(treaty, {}).values() for i in ids]
    if breached:
        parts.append("breaches " + ", ".join(breached))
    blocked: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for nid, by in event.blocked.get(treaty, {}).items():
        blocked.setdefault((nid.split("/")[0], by), []).append(nid.split("/")[1])
    if blocked:
        parts.append("not fired: " + "; ".join(f"{p} on {_holders(h)} (blocked by {', '.join(by)})"
                                               for (p, by), h in blocked.items()))
    if not parts:
        notes = sorted({d.notes[treaty] for d in c.differences
                        if d.event == event.id and treaty in d.notes and "none of its parties" not in d.notes[treaty]})
        parts.append("no duty, no breach" + (f" ({'; '.join(notes)})" if notes else ""))
    return "; ".join(parts)


def differing_events(c: Comparison) -> list:
    """The events on which the treaties differ in kind, in date order."""
    ids = {d.event for d in c.differences}
    return [e for e in c.events if e.id in ids]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i])
              for i in range(len(header))]
    out = ["  " + "  ".join(h.ljust(widths[i]) for i, h in enumerate(header)).rstrip()]
    out.extend("  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows)
    return out


def render_text(comparisons: Sequence[Comparison], style: Style) -> str:
    """Each history: the table (a row per party, a column per treaty), the breached duties by
    id, the events each treaty did not read, and the verdicts that differ in kind."""
    return "\n\n".join(_text_one(c, style) for c in comparisons) + "\n"


def _text_one(c: Comparison, style: Style) -> str:
    out = [style(c.file, "bold") + f" — {c.title}",
           style(f"as of {c.as_of} · under {', '.join(c.treaties)}", "dim"), ""]
    rows = [(party, *(cell_text(c.cells[(party, t)]) for t in c.treaties)) for party in c.parties]
    out.extend(_table(("PARTY", *c.treaties), rows))
    unread = [f"{v.scenario.treaty} {v.scenario.unread_events}" for v in c.verdicts if v.scenario.unread_events]
    if unread:
        out.append(style(f"  events a treaty does not read: {', '.join(unread)}", "dim"))
    breached = [(party, t, c.cells[(party, t)].breached) for party in c.parties for t in c.treaties
                if c.cells[(party, t)].breached]
    out += ["", style("Breached (or late):", "bold")]
    out += [f"  {party} under {t}: {', '.join(ids)}" for party, t, ids in breached] or ["  none"]
    out += ["", style("Verdicts that differ in kind (by event):", "bold")]
    events = differing_events(c)
    width = max(len(t) for t in c.treaties)
    for e in events:
        out.append(f"  {e.id} ({e.date}, {e.type})")
        out.extend(f"    {t.ljust(width)}  {treaty_line(c, e, t)}" for t in c.treaties)
    if not events:
        out.append("  none: every event has the same effect under each treaty")
    return "\n".join(out)


def comparison_json(c: Comparison) -> dict:
    """One history's part of the document."""
    return {
        "file": c.file, "scenario": c.title, "as_of": c.as_of,
        "treaties": [{"treaty": v.scenario.treaty, "readings": dict(v.scenario.readings),
                      "unread_events": v.scenario.unread_events, "summary": v.summary()} for v in c.verdicts],
        "parties": [{"party": party, "cells": {t: _cell_json(c.cells[(party, t)]) for t in c.treaties}}
                    for party in c.parties],
        "events": [{"id": e.id, "date": e.date, "type": e.type, "reads": dict(e.reads),
                    "triggered": {t: {h: list(ids) for h, ids in by.items()} for t, by in e.triggered.items()},
                    "breached": {t: {h: list(ids) for h, ids in by.items()} for t, by in e.breached.items()},
                    "not_fired": {t: {i: list(by) for i, by in b.items()} for t, b in e.blocked.items()}}
                   for e in c.events],
        "differences": [{"kind": d.kind, "event": d.event, "party": d.party,
                         "present": {t: list(ids) for t, ids in d.present.items()}, "absent": list(d.absent),
                         "notes": dict(d.notes)} for d in c.differences],
    }


def _cell_json(cell) -> dict:
    return {"party": cell.party, "duties": list(cell.duties),
            "statuses": {s: cell.statuses.get(s, 0) for s in STATUS_ORDER}, "breached": list(cell.breached)}


def compare_document(comparisons: Sequence[Comparison]) -> dict:
    return {"format": FORMAT_COMPARE, "histories": [comparison_json(c) for c in comparisons]}


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(comparisons: Sequence[Comparison]) -> str:
    """Each history as a Markdown section: the table, the breached duties, the differences."""
    out = []
    for c in comparisons:
        out += [f"## {_md(c.title)}", "", f"`{c.file}`, as of {c.as_of}", "",
                "| Party | " + " | ".join(f"`{t}`" for t in c.treaties) + " |",
                "|---|" + "---|" * len(c.treaties)]
        out += [f"| {party} | " + " | ".join(_md(cell_text(c.cells[(party, t)])) for t in c.treaties) + " |"
                for party in c.parties]
        unread = [f"`{v.scenario.treaty}` {v.scenario.unread_events}" for v in c.verdicts if v.scenario.unread_events]
        if unread:
            out += ["", f"Events a treaty does not read: {', '.join(unread)}."]
        out += ["", "**Breached (or late)**", ""]
        breached = [f"- {party} under `{t}`: " + ", ".join(f"`{i}`" for i in c.cells[(party, t)].breached)
                    for party in c.parties for t in c.treaties if c.cells[(party, t)].breached]
        out += breached or ["- none"]
        out += ["", "**Verdicts that differ in kind (by event)**", ""]
        events = differing_events(c)
        if events:
            out += ["| Event | " + " | ".join(f"`{t}`" for t in c.treaties) + " |", "|---|" + "---|" * len(c.treaties)]
            out += [f"| `{e.id}` ({e.date}, {e.type}) | " + " | ".join(_md(treaty_line(c, e, t)) for t in c.treaties)
                    + " |" for e in events]
        else:
            out.append("None: every event has the same effect under each treaty.")
        out.append("")
    return "\n".join(out)
