"""Rendering verdicts: the JSON report of shared/spec/report-format.md, and a terminal table."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Iterable

from .model import Verdicts, iso

FORMAT = "treaty-checker/report@1"


def obligation_json(o) -> dict:
    return {
        "id": o.id, "provision": o.provision, "kind": o.kind, "holder": o.holder,
        "trigger": o.trigger, "fired_on": iso(o.fired_on), "deadline": iso(o.deadline),
        "status": o.status, "certainty": o.certainty,
        "possible_statuses": list(o.statuses), "met_by": o.met_by,
        "breached_on": iso(o.breached_on), "breached_by": o.breached_by,
        "discharged_by": o.discharged_by, "discharged_on": iso(o.discharged_on),
    }


def scenario_json(v: Verdicts, explanations: dict | None = None, lines: bool = False) -> dict:
    """One scenario's part of the report. With ``lines`` (for iter_json), the obligations and
    the not-fired duties are lazy iterators, and an item with no explanation is given as its
    JSON text already."""
    s = v.scenario
    uncertain = s.uncertain
    obligations = _obligation_items(v, explanations, lines)
    not_fired = ((_not_fired_line if lines else _not_fired_json)(n, uncertain) for n in v.not_fired)
    return {
        "file": s.path, "scenario": s.title, "treaty": s.treaty, "as_of": iso(s.as_of),
        "readings": dict(s.readings), "obligations": obligations if lines else list(obligations),
        "not_fired": not_fired if lines else list(not_fired),
        "parameters": dict(s.parameters), "ignored_events": s.ignored_events,
        "summary": v.summary(),
        **({"worlds": v.worlds} if uncertain else {}),
    }


def _obligation_items(v: Verdicts, explanations: dict | None, lines: bool):
    for o in v.obligations:
        if explanations and o.id in explanations:
            item = obligation_json(o)
            item["explanation"] = explanations[o.id]
            yield item
        else:
            yield _obligation_line(o) if lines else obligation_json(o)


def _not_fired_json(n, uncertain: bool) -> dict:
    item = {"id": n.id, "provision": n.provision, "holder": n.holder, "trigger": n.trigger,
            "blocked_by": list(n.blocked_by)}
    if uncertain:  # only a scenario with uncertain facts can block a duty in some worlds only
        item["certainty"] = n.certainty
    return item


def _not_fired_line(n, uncertain: bool) -> str:
    """_compact(_not_fired_json(n, uncertain)), written directly (see _obligation_line)."""
    q = _string
    line = (f'{{"id": {q(n.id)}, "provision": {q(n.provision)}, "holder": {q(n.holder)}, '
            f'"trigger": {_text(n.trigger)}, "blocked_by": [{", ".join(map(q, n.blocked_by))}]')
    return line + (f', "certainty": {q(n.certainty)}}}' if uncertain else "}")


def render_json(results: Iterable[Verdicts], explanations: dict | None = None) -> str:
    """The whole run as one JSON document (explanations: file -> obligation id -> tree)."""
    return "".join(iter_json(results, explanations))


# json.dumps(indent=2) runs CPython's pure-Python encoder (the C one takes no indent): the
# report of a 100 000-event history took 6 s to print that way. The lists of duties are
# written one compact object a line by the C encoder instead (0.1 s at 10 000 events instead
# of 0.5 s), which also reads and greps well; an object carrying an explanation tree, which
# no one reads on one line, keeps the indented layout.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_LISTS_BY_LINE = ("obligations", "not_fired")


def iter_json(results: Iterable[Verdicts], explanations: dict | None = None):
    """render_json's text in pieces, for writing a large report without joining it first."""
    explanations = explanations or {}
    yield f'{{\n  "format": {_compact(FORMAT)},\n  "scenarios": ['
    for n, v in enumerate(results):
        doc = scenario_json(v, explanations.get(v.scenario.path), lines=True)
        yield ("," if n else "") + "\n    {"
        for i, (key, value) in enumerate(doc.items()):
            yield ("," if i else "") + f"\n      {_compact(key)}: "
            if key in _LISTS_BY_LINE:
                yield from _lines(value)
            else:
                yield _indented(value, 6)
        yield "\n    }"
    yield "\n  ]\n}"


def _lines(items) -> Iterable[str]:
    """A list written one item a line, in pieces of a thousand lines: the report of a long
    history is never held whole (at 100 000 events, 74 MB)."""
    first = next(items, None)
    if first is None:
        yield "[]"
        return
    yield "[\n        " + _item(first)
    chunk: list[str] = []
    for item in items:
        chunk.append(_item(item))
        if len(chunk) == 1000:
            yield ",\n        " + ",\n        ".join(chunk)
            chunk.clear()
    if chunk:
        yield ",\n        " + ",\n        ".join(chunk)
    yield "\n      ]"


def _item(item) -> str:
    if type(item) is str:
        return item
    return _indented(item, 8) if "explanation" in item else _compact(item)


# An obligation with no explanation, written as _compact(obligation_json(o)) would write it:
# the encoder's set-up per call was most of the report's time (100 000 events: 1.9 s). The
# strings go through the encoder's own escaping; tests/test_report.py holds both to the same text.
_string = json.encoder.encode_basestring  # a str as JSON, as ensure_ascii=False writes it


def _text(value: str | None) -> str:
    return "null" if value is None else _string(value)


@lru_cache(maxsize=1 << 16)
def _date(day: int | None) -> str:
    return "null" if day is None else _string(iso(day))


def _obligation_line(o) -> str:
    q = _string
    return (f'{{"id": {q(o.id)}, "provision": {q(o.provision)}, "kind": {q(o.kind)}, '
            f'"holder": {q(o.holder)}, "trigger": {_text(o.trigger)}, "fired_on": {_date(o.fired_on)}, '
            f'"deadline": {_date(o.deadline)}, "status": {q(o.status)}, "certainty": {q(o.certainty)}, '
            f'"possible_statuses": [{", ".join(map(q, o.statuses))}], "met_by": {_text(o.met_by)}, '
            f'"breached_on": {_date(o.breached_on)}, "breached_by": {_text(o.breached_by)}, '
            f'"discharged_by": {_text(o.discharged_by)}, "discharged_on": {_date(o.discharged_on)}}}')


def _indented(value, pad: int) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * pad) if "\n" in text else text


class Style:
    """ANSI colours, or nothing when the output is not a terminal (or NO_COLOR is set)."""

    CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
             "magenta": "35", "cyan": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(self.CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


STATUS_STYLE = {"fulfilled": ("green",), "complied": ("green",), "pending": ("yellow",),
                "late": ("magenta",), "breached": ("red", "bold"), "discharged": ("cyan",)}


def _status_cell(o) -> str:
    """The status, or for an uncertain duty every status it can take: `possibly late|fulfilled`."""
    if o.certainty == "certain":
        return o.status
    return "possibly " + "|".join(o.statuses)


def _outcome(o) -> str:
    if o.certainty != "certain":
        return _possible_outcome(o)
    if o.status in ("fulfilled",):
        return f"met by {o.met_by}"
    if o.status == "late":
        return f"met late by {o.met_by}; breached on {iso(o.breached_on)}"
    if o.status == "breached" and o.breached_by:
        return f"breached on {iso(o.breached_on)} by {o.breached_by}"
    if o.status == "breached":
        return f"breached on {iso(o.breached_on)}"
    if o.status == "discharged":
        return f"discharged on {iso(o.discharged_on)} by {o.discharged_by}"
    if o.status == "pending":
        return "not met yet"
    return ""


def _possible_outcome(o) -> str:
    """What is known of an uncertain duty in every world (the rest depends on the world)."""
    known = []
    if o.met_by:
        known.append(f"met by {o.met_by}")
    if o.breached_by:
        known.append(f"breached by {o.breached_by}")
    if o.breached_on:
        known.append(f"breached on {iso(o.breached_on)}")
    if o.discharged_by:
        known.append(f"discharged by {o.discharged_by}")
    known.append("depends on the world")
    return "; ".join(known)


def render_text(v: Verdicts, style: Style, explanations: dict | None = None,
                explain_renderer=None) -> str:
    """One scenario as a table of obligations, the not-fired list and a summary line."""
    s = v.scenario
    out = [style(f"{s.path}", "bold") + f" — {s.title}"]
    settings = ", ".join(f"{k}={val}" for k, val in s.readings.items())
    params = ", ".join(f"{k}={val}" for k, val in s.parameters.items())
    out.append(style(f"treaty {s.treaty} · as of {iso(s.as_of)} · readings: {settings or 'none'}"
                     f" · parameters: {params or 'none'}", "dim"))
    if s.ignored_events:
        out.append(style(f"{s.ignored_events} event(s) dated after as_of ignored", "yellow"))
    if s.uncertain:
        facts = sum(1 for e in s.events if e.uncertain)
        out.append(style(f"{facts} uncertain event(s), {v.worlds} possible world(s): "
                         "`possibly` verdicts hold in some worlds, the others in every world", "yellow"))
    out.append("")
    header = ("OBLIGATION", "HOLDER", "FIRED", "DEADLINE", "STATUS", "MET BY / BREACHED ON")
    rows = [(o.id, o.holder, iso(o.fired_on), iso(o.deadline) or "-", _status_cell(o), _outcome(o))
            for o in v.obligations]
    if rows:
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(5)]
        out.append("  " + "  ".join(h.ljust(widths[i]) if i < 5 else h for i, h in enumerate(header)))
        for o, row in zip(v.obligations, rows):
            cells = [row[i].ljust(widths[i]) for i in range(5)]
            cells[4] = style(cells[4], *STATUS_STYLE.get(o.status, ()))
            out.append("  " + "  ".join(cells + [row[5]]).rstrip())
            if explanations and o.id in explanations and explain_renderer:
                out.extend("      " + line for line in explain_renderer(explanations[o.id]).splitlines())
    else:
        out.append("  no obligation fired")
    if v.not_fired:
        out.append("")
        out.append(style("  not fired:", "bold"))
        width = max(len(n.id) for n in v.not_fired)
        for n in v.not_fired:
            maybe = " (in some worlds)" if n.certainty != "certain" else ""
            out.append(f"  {n.id.ljust(width)}  blocked by {', '.join(n.blocked_by)}{maybe}")
    out.append("")
    out.append(summary_line(v, style))
    return "\n".join(out)


def summary_line(v: Verdicts, style: Style) -> str:
    c = v.summary()
    parts = [f"{c['fired']} fired", style(f"{c['fulfilled']} fulfilled", "green"),
             style(f"{c['late']} late", "magenta") if c["late"] else "0 late",
             style(f"{c['breached']} breached", "red", "bold") if c["breached"] else "0 breached",
             f"{c['pending']} pending", f"{c['discharged']} discharged",
             f"{c['complied']} complied", f"{c['not_fired']} not fired"]
    possible = sum(1 for o in v.obligations if o.certainty != "certain")
    if possible:
        parts.append(style(f"{possible} uncertain (counted by their worst status)", "yellow"))
    return "  " + ", ".join(parts)
