"""One self-contained HTML page: the verdicts on a timeline, filters, and each duty's explanation.

The page is the template, stylesheet and script in ``checker/render/assets/`` (written for this
project; no library, no network: a Content-Security-Policy forbids any request) and the page's
data as one JSON document in a ``<script type="application/json">`` element. The script draws
only what is visible, so the page stays fast on long histories.

A page holds one or more *sections*, each a timeline of one scenario under one pack, with one
or more *variants* (the verdicts under one combination of readings). Sections may share one
date axis (several treaties on one history), or each have its own (several scenarios).

The data is the JSON report, packed (docs/html-report.md, "The embedded data"): days are
whole numbers counted from 1970-01-01, the repeated words (provisions, holders, statuses) are
indices into the section's ``words``, event ids are indices into its ``events``, and an
explanation tree leaves out a provision's text where it is the text the section's
``provisions`` give.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from importlib import resources
from typing import Mapping, Sequence

from checker.analysis.pages import Section, Variant
from checker.io.pack import Pack
from checker.model import NOT_FIRED, STATUSES, iso, obligation_id

FORMAT = "treaty-checker/html@1"
EPOCH = _dt.date(1970, 1, 1).toordinal()   # day 0 of the page's day numbers
# the columns of the packed rows, in order (docs/html-report.md); a last column ``id`` only
# where the id is not PROVISION/HOLDER[/TRIGGER]
OBLIGATION_COLUMNS = ("provision", "holder", "trigger", "kind", "fired_on", "deadline", "status",
                      "certainty", "possible_statuses", "met_by", "breached_on", "breached_by",
                      "discharged_by", "discharged_on", "id")
NOT_FIRED_COLUMNS = ("provision", "holder", "trigger", "blocked_by", "certainty", "id")
EVENT_COLUMNS = ("id", "type", "day", "last_day", "line", "lanes", "flags", "says")
EVENT_EXCLUDED, EVENT_MAYBE, EVENT_OPTIONS = 1, 2, 4   # bits of an event's ``flags``
NO_PARTY = ""          # the lane of events that name no party


def render_html(sections: Sequence[Section], *, title: str | None = None, shared_axis: bool = False) -> str:
    """The whole page as one HTML document (no external resource)."""
    if not sections:
        raise ValueError("render_html: no section to show")
    data = page_data(sections, title=title, shared_axis=shared_axis)
    template = _asset("report.html")
    parts = {
        "TITLE": html.escape(data["title"]),
        "CSS": _asset("report.css"),
        "JS": _asset("report.js"),
        "DATA": embed_json(data),
        "NOSCRIPT": _noscript(sections),
    }
    # one pass, so that a marker inside an inserted part is never replaced in its turn
    pieces = template.split("@@")
    for i in range(1, len(pieces), 2):
        pieces[i] = parts[pieces[i]]
    return "".join(pieces)


def embed_json(data) -> str:
    """``data`` as JSON text that can stand inside a ``<script>`` element: no ``</script>``,
    no ``<!--``, and no U+2028/U+2029 (line ends to older JavaScript), escaped as ``\\uXXXX``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def page_data(sections: Sequence[Section], *, title: str | None = None, shared_axis: bool = False) -> dict:
    """The document the page's script reads (see the module's docstring for its packing)."""
    first = sections[0].variants[sections[0].selected].verdicts.scenario
    return {
        "format": FORMAT,
        "title": title or (sections[0].title if len(sections) == 1 else f"{first.title} and {len(sections) - 1} more"),
        "shared_axis": shared_axis,
        "epoch": "1970-01-01",
        "columns": {"obligations": list(OBLIGATION_COLUMNS), "not_fired": list(NOT_FIRED_COLUMNS),
                    "events": list(EVENT_COLUMNS)},
        "sections": [_section(s) for s in sections],
    }


def day_number(day: int | None) -> int | None:
    """A checker day (a proleptic ordinal) as the page counts it: days since 1970-01-01."""
    return None if day is None else day - EPOCH


def _asset(name: str) -> str:
    return resources.files("checker.render").joinpath("assets", name).read_text(encoding="utf-8")


class _Words:
    """The repeated words of a section, each stored once and referred to by its index."""

    def __init__(self):
        self.words: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        i = self.index.get(word)
        if i is None:
            i = self.index[word] = len(self.words)
            self.words.append(word)
        return i


def _section(s: Section) -> dict:
    if not s.variants:
        raise ValueError(f"render_html: section {s.title!r} has no verdicts")
    if not 0 <= s.selected < len(s.variants):
        raise ValueError(f"render_html: section {s.title!r}: no variant {s.selected}")
    pack = s.pack
    scenario = s.variants[s.selected].verdicts.scenario
    words = _Words()
    for status in (*STATUSES, NOT_FIRED):   # statuses first: indices the script may rely on
        words(status)
    lanes, events, event_index = _events(scenario, pack)
    texts = {p.id: p.text for p in pack.provisions.values()}
    return {
        "title": s.title,
        "file": scenario.path,
        "scenario": scenario.title,
        "description": scenario.description,
        "treaty": scenario.treaty,
        "treaty_title": pack.title,
        "treaty_source": pack.source,
        "in_force_from": day_number(scenario.in_force_from),
        "excluded_regions": list(scenario.excluded_regions),
        "provisions": {p.id: {"title": p.title, "kind": p.kind, "text": p.text, "source": p.source}
                       for p in pack.provisions.values()},
        "reading_choices": {r.name: {"choices": list(r.choices), "default": r.default, "meaning": r.meaning}
                            for r in pack.readings.values()},
        "parameter_meanings": {p.name: p.meaning for p in pack.parameters.values()},
        "event_types": [{"name": t.name, "says": t.says} for t in pack.event_types.values()],
        "lanes": lanes,
        "events": events,
        "sources": {f: {str(n): text for n, text in sorted(lines.items())} for f, lines in s.sources.items()},
        "depends_on": {k: list(v) for k, v in s.depends_on.items()},
        "explained_of": s.explained_of,
        "selected": s.selected,
        "variants": [_variant(v, words, event_index, texts) for v in s.variants],
        "words": words.words,
    }


def _events(scenario, pack: Pack) -> tuple[list[str], list[list], dict[str, int]]:
    """The lanes (one per party, in the order the scenario's roles list them, then any other
    party an event names, then one for events that name none) and the packed events."""
    lanes: dict[str, int] = {}
    for members in scenario.roles.values():
        for member in members:
            lanes.setdefault(member, len(lanes))
    party_fields: dict[str, tuple[str, ...]] = {}
    region_fields: dict[str, tuple[str, ...]] = {}
    for t in pack.event_types.values():
        party_fields[t.name] = tuple(f.name for f in t.fields.values() if f.type == "party")
        region_fields[t.name] = tuple(f.name for f in t.fields.values() if f.type == "region")
    excluded = set(scenario.excluded_regions)
    type_index = {name: i for i, name in enumerate(pack.event_types)}
    rows: list[list] = []
    index: dict[str, int] = {}
    for e in scenario.events:
        names = [n for f in party_fields.get(e.type, ()) for n in (*e.fields.get(f, ()), *e.options.get(f, ()))]
        for n in names:
            lanes.setdefault(n, len(lanes))
        regions = [r for f in region_fields.get(e.type, ()) for r in (*e.fields.get(f, ()), *e.options.get(f, ()))]
        flags = ((EVENT_EXCLUDED if excluded.intersection(regions) else 0) | (EVENT_MAYBE if e.maybe else 0)
                 | (EVENT_OPTIONS if e.options else 0))
        last = day_number(e.date_range[1]) if e.date_range is not None else None
        index[e.id] = len(rows)
        rows.append([e.id, type_index.get(e.type, -1), day_number(e.day), last, e.line, names, flags,
                     _says(e, pack)])
    for row in rows:   # after every party's lane: the lane of events that name none comes last
        row[5] = sorted({lanes[n] for n in row[5]}) or [lanes.setdefault(NO_PARTY, len(lanes))]
    return list(lanes), rows, index


def _says(event, pack: Pack) -> str:
    """How the pack says the event reads, its fields filled in (uncertain ones as `a or b?`)."""
    spec = pack.event_types.get(event.type)
    if spec is None:
        return event.type
    values = {}
    for name in spec.fields:
        if name in event.options:
            values[name] = " or ".join(event.options[name]) + "?"
        else:
            values[name] = ", ".join(event.fields.get(name, ())) or "none"
    try:
        return spec.says.format(**values)
    except (KeyError, IndexError, ValueError):
        return spec.says


def _variant(v: Variant, words: _Words, event_index: Mapping[str, int], texts: Mapping[str, str]) -> dict:
    s = v.verdicts.scenario

    def ev(event_id: str | None):
        if event_id is None:
            return None
        return event_index.get(event_id, event_id)

    obligations = []
    for o in v.verdicts.obligations:
        possible = 0 if o.statuses == (o.status,) else [words(x) for x in o.statuses]
        row = [words(o.provision), words(o.holder), ev(o.trigger), words(o.kind),
               day_number(o.fired_on), day_number(o.deadline), words(o.status), words(o.certainty), possible,
               ev(o.met_by), day_number(o.breached_on), ev(o.breached_by), ev(o.discharged_by),
               day_number(o.discharged_on)]
        if o.id != obligation_id(o.provision, o.holder, o.trigger):   # never, for the engine's ids
            row.append(o.id)
        obligations.append(row)
    not_fired = []
    for n in v.verdicts.not_fired:
        row = [words(n.provision), words(n.holder), ev(n.trigger), [words(b) for b in n.blocked_by], words(n.certainty)]
        if n.id != obligation_id(n.provision, n.holder, n.trigger):
            row.append(n.id)
        not_fired.append(row)
    return {
        "readings": dict(s.readings),
        "parameters": dict(s.parameters),
        "as_of": day_number(s.as_of),
        "ignored_events": s.ignored_events,
        "unread_events": s.unread_events,
        "treaties": list(s.treaties),
        "uncertain": s.uncertain,
        "worlds": v.verdicts.worlds,
        "summary": v.verdicts.summary(),
        "obligations": obligations,
        "not_fired": not_fired,
        "explanations": {k: _lean(tree, texts) for k, tree in v.explanations.items()},
        "witnesses": {k: [{"status": w["status"], "world": w.get("world", ""), "witness": w.get("witness", {}),
                           "tree": _lean(w["tree"], texts)} for w in entries]
                      for k, entries in v.witnesses.items()},
    }


def _lean(tree: dict, texts: Mapping[str, str]) -> dict:
    """The tree without the provision texts the page already holds (the script puts them back)."""
    out = {}
    for key, value in tree.items():
        if key == "text" and texts.get(tree.get("provision")) == value:
            continue
        if key == "children":
            value = [_lean(c, texts) for c in value]
        out[key] = value
    return out


def _noscript(sections: Sequence[Section]) -> str:
    """What the page says where scripts do not run (some mail readers): each section's summary."""
    out = []
    for s in sections:
        v = s.variants[s.selected].verdicts
        sc = v.scenario
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in v.summary().items())
        out.append(f"<section><h2>{html.escape(s.title)}</h2><p>{html.escape(sc.path)}: treaty "
                   f"{html.escape(sc.treaty)}, as of {html.escape(iso(sc.as_of) or '')}: {html.escape(counts)}.</p>"
                   "</section>")
    return "".join(out)
