"""JSON Schemas (draft 2020-12) for scenario files, made from the packs' manifests.

An editor that knows the schema (the YAML language server, VS Code) checks a scenario as it
is typed, completes the names it may use and shows on hover what they mean: the event types
and their fields (the manifest's `says`), the party and region names, the readings and their
meanings, the parameters, the obligation ids of `expect:` by provision (its title). The
schema rejects what the loader rejects where a schema can say it (unknown keys, event types,
fields, enum values, party and region names, malformed uncertain values and expectations);
what needs the whole file (a reference to an event of the right type, a duplicate id, an
obligation whose holder is no party) is left to `checker check`.

Several packs make one schema whose `treaty:` selects the pack's branch (if/then) when it
names one; a history under several treaties (a list) may use the vocabulary of any of them
(an event type none of them knows is refused), gives its expectations per treaty and may
date `in_force_from` per treaty; a file without `treaty:` (checked with --treaty) is held
to the vocabulary of every pack. A pack's event types are its own and the shared ones it
reads, whole: a field it does not read is accepted. A party name is checked against the
pack's names unless the file gives its own lists under `parties:` (which may add names), or
names several treaties; then only its form is.
"""

from __future__ import annotations

import json
import re
from typing import Sequence

from checker.io.events import BASICS
from checker.io.pack import TREATY_FIELD, WORD, EventType, FieldSpec, Pack, vocabulary_of
from checker.io.scenario import CERTAINTIES, REQUIRED_TOP
from checker.model import NOT_FIRED, STATUSES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://treaty-checker.example/schema/scenario/"
ALL = "all"                      # the name of the schema for every pack
# the `$defs` key of what a history under several treaties (or none named) may say: no pack
# name starts with "_"
TOGETHER = "_together"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
EVENT_ID = r"^[A-Za-z0-9_-]+$"
NAME = WORD.pattern
PARAMETER_MAX = 100_000
STATUS_WORDS = {
    "fulfilled": "met by its deadline", "late": "met after its deadline", "breached": "broken, or never met",
    "pending": "not met yet, its deadline still ahead", "discharged": "ended before it was met",
    "complied": "kept (a duty to refrain)", NOT_FIRED: "did not fire (with certainty: possible only)",
}


def schema_id(name: str) -> str:
    """The `$id` of the schema of pack ``name`` (or of every pack: ``all``)."""
    return f"{BASE_ID}{name}.schema.json"


def scenario_schema(packs: Sequence[Pack], name: str | None = None) -> dict:
    """The JSON Schema of a scenario file checked under one of ``packs`` (sorted by name);
    ``name`` gives its `$id` (default: the one pack's name, else ``all``)."""
    packs = sorted(packs, key=lambda p: p.name)
    if not packs:
        raise ValueError("a scenario schema needs at least one pack")
    name = name or (packs[0].name if len(packs) == 1 else ALL)
    titles = {p.name: p.title for p in packs}
    which = packs[0].name if len(packs) == 1 else ", ".join(titles)
    defs: dict = {
        "date": {"type": "string", "pattern": DATE, "description": "an ISO date: YYYY-MM-DD"},
        "name": {"type": "string", "pattern": NAME, "description": "a lower-case word: letters, digits and _"},
        "event_id": {"type": "string", "pattern": EVENT_ID,
                     "description": "an event id: letters, digits, - and _"},
        "uncertain_date": {
            "type": "object", "additionalProperties": False, "required": ["between"],
            "description": "an uncertain date: the event happened on one of the days from FIRST to LAST",
            "properties": {"between": {"type": "array", "minItems": 2, "maxItems": 2,
                                       "items": {"$ref": "#/$defs/date"}}}},
    }
    names = [p.name for p in packs]
    treaty_name = _enum(names, [titles[n] for n in names], "a rule pack: a folder name under rules/")
    allowing = [p.name for p in packs if p.in_force_from_allowed]
    defs["treaty_name"] = treaty_name
    top = {
        "scenario": {"type": "string", "minLength": 1, "description": "a one-line title"},
        "description": {"type": "string", "description": "free text, shown in reports"},
        "treaty": {"anyOf": [{"$ref": "#/$defs/treaty_name"},
                             {"type": "array", "minItems": 1, "uniqueItems": True,
                              "items": {"$ref": "#/$defs/treaty_name"}}],
                   "description": "the rule pack the history is checked under, or a list of them (its events "
                                  "may use the vocabulary of any); left out, --treaty names it"},
        "as_of": {"$ref": "#/$defs/date", "description": "the day the verdict is given (default: the day of "
                  "the last event); events after it are ignored"},
        # one keyword per form (a pattern applies to a string, properties to a mapping): an
        # editor then flags the wrong part, not the whole value
        "in_force_from": {
            "type": ["string", "object"], "pattern": DATE, "minProperties": 1, "additionalProperties": False,
            "properties": {n: {"$ref": "#/$defs/date"} for n in allowing},
            "description": "counterfactual: the treaty binds every listed party from this day, whatever the "
                           "signatures and ratifications say: YYYY-MM-DD, or {TREATY: DATE} for each its own"},
        "parties": {"type": "object", "description": "party lists that replace the pack's (a list may add "
                    "names of its own)"},
        "excluded_regions": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/name"},
                             "description": "replaces the pack's regions outside the treaty's scope ([]: none)"},
        "readings": {"type": "object", "description": "choices between the interpretations the pack declares"},
        "parameters": {"type": "object", "description": "numeric settings the pack declares"},
        "events": {"type": "array", "description": "the dated events, in any order",
                   "items": {"type": "object", "required": ["id", "date", "type"]}},
        "expect": {
            "type": ["array", "object"], "additionalProperties": False,
            "properties": {n: {"type": "array", "items": {"$ref": f"#/$defs/{n}/expectation"}} for n in names},
            "description": "the verdicts `checker test` expects: a list (one treaty), or {TREATY: [...]}"},
    }
    branches = []
    for pack in packs:
        defs[pack.name] = _pack_defs(pack)
        branches.append({"if": {"required": ["treaty"], "properties": {"treaty": _names_only(pack.name)}},
                         "then": {"$ref": f"#/$defs/{pack.name}/scenario"}})
    defs[TOGETHER] = _together_defs(packs)
    branches.append({"if": {"not": {"required": ["treaty"], "properties": {"treaty": {
                         "anyOf": [{"type": "string"}, {"type": "array", "maxItems": 1}]}}}},
                     "then": {"$ref": f"#/$defs/{TOGETHER}/scenario"}})
    for n in names:  # a setting for a treaty the history is not checked under
        branches.append({"if": _naming_none([n]),
                         "then": {"properties": {key: {"not": {"type": "object", "required": [n]},
                                                       "description": f"{n} is not a treaty of this history"}
                                                 for key in ("expect", "in_force_from")}}})
    readers: dict[str, list[str]] = {}
    for pack in packs:
        for t in pack.event_types:
            readers.setdefault(t, []).append(pack.name)
    for t, knowing in readers.items():  # an event type no treaty of the history knows
        if len(knowing) < len(packs):
            branches.append({"if": _naming_none(knowing),
                             "then": {"properties": {"events": {"items": {
                                 "not": {"required": ["type"], "properties": {"type": {"const": t}}},
                                 "description": f"{t}: an event type of {', '.join(knowing)} only"}}}}})
    return {
        "$schema": DRAFT,
        "$id": schema_id(name),
        "title": f"treaty-checker scenario ({which})",
        "description": "A scenario file: one history, checked under the rule packs its `treaty:` names "
                       "(docs/scenario-format.md). Made by `checker schema` from the packs' manifests.",
        "type": "object",
        "required": [k for k in REQUIRED_TOP if k != "treaty"],
        "additionalProperties": False,
        "properties": top,
        "allOf": branches,
        "$defs": defs,
    }


def dumps(schema: dict) -> str:
    """The schema as written to a file: indented, keys in the order made, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


# --- one pack -------------------------------------------------------------------------------------

def _ref(pack: Pack, key: str) -> dict:
    return {"$ref": f"#/$defs/{pack.name}/{key}"}


def _pack_defs(pack: Pack) -> dict:
    """The definitions of one pack's branch (under `$defs/<pack>`)."""
    named = _names(pack)
    return {
        "scenario": _scenario(pack),
        "party": _enum(named, None, f"a party name {pack.name} knows"),
        "region": _enum(list(pack.regions), [_region_word(pack, r) for r in pack.regions],
                        f"a region of {pack.name}'s gazetteer"),
        "event": _event(pack, strict=False),
        "event_parties": _event(pack, strict=True),
        "expectation": _expectation(pack),
    }


def _names_only(name: str) -> dict:
    """`treaty:` naming ``name`` alone (as a name or a list of one)."""
    return {"anyOf": [{"const": name}, {"const": [name]}]}


def _naming_none(names: list[str]) -> dict:
    """A history whose `treaty:` names none of ``names`` (one left out names none)."""
    return {"required": ["treaty"], "properties": {"treaty": {"not": {"anyOf": [
        {"enum": list(names)}, {"type": "array", "contains": {"enum": list(names)}}]}}}}


def _together_defs(packs: Sequence[Pack]) -> dict:
    """What a history under several treaties (or one --treaty names) may say: the vocabulary
    of any of them (which of them knows an event type, the top level checks); its settings
    by name, each as some treaty declares it; expectations per treaty."""
    vocabulary, _ = vocabulary_of(packs)
    regions = list(vocabulary.regions)
    excluded = list(dict.fromkeys(r for p in packs if p.excluded_regions_allowed
                                  for r in p.regions if r not in p.never_excluded))
    lists = {key: {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": "#/$defs/name"},
                   "description": f"replaces the list `{key}` of the treaties that have it"}
             for p in packs for key in p.scenario_may_set}
    choices: dict[str, dict] = {}
    for p in packs:
        for r in p.readings.values():
            choices.setdefault(r.name, {})
            choices[r.name].update(dict.fromkeys(r.choices))
    readings = {n: _enum(list(c), None, "a reading of " + ", ".join(p.name for p in packs if n in p.readings))
                for n, c in choices.items()}
    parameters: dict[str, dict] = {}
    for p in packs:
        for par in p.parameters.values():
            number = parameters.setdefault(par.name, {"type": "integer", "minimum": 0, "maximum": PARAMETER_MAX})
            if par.may_be_unset:
                number["type"] = ["integer", "null"]
    props: dict = {
        "parties": {"additionalProperties": False, "properties": lists},
        "readings": {"additionalProperties": False, "properties": readings},
        "parameters": {"additionalProperties": False, "properties": parameters},
        "excluded_regions": {"items": {"enum": excluded}} if excluded else False,
        "expect": {"type": "object", "description": "a history under several treaties says which treaty each "
                   "expectation is for: {TREATY: [...]}"},
        "events": {"items": {"$ref": f"#/$defs/{TOGETHER}/event"}},
    }
    if not any(p.in_force_from_allowed for p in packs):
        props["in_force_from"] = False
    return {
        "scenario": {"description": "a history under several treaties, or under the one --treaty names",
                     "properties": props},
        "region": _enum(regions, None, "a region of one of the treaties' maps"),
        "event": _events(TOGETHER, vocabulary.event_types, vocabulary.treaties,
                         next((p.unknown_word for p in packs if p.unknown_word), None), False,
                         "an event type of one of the treaties"),
    }


def _names(pack: Pack) -> list[str]:
    """Every party name a file may use without listing it (the unknown word included)."""
    names = set(pack.default_party_names)
    if pack.unknown_word:
        names.add(pack.unknown_word)
    return sorted(names)


def _region_word(pack: Pack, region: str) -> str:
    state = pack.region_states.get(region)
    words = [f"in {state}"] if state and state != region else []
    if region in pack.excluded_regions:
        words.append("excluded by default")
    words += [a for a, regions in pack.region_attributes.items() if region in regions]
    return region + (f" ({', '.join(words)})" if words else "")


def _scenario(pack: Pack) -> dict:
    """What `treaty: <pack>` adds to the top level: its lists, readings, parameters, events
    and expectations; a party name checked against the pack's when the file adds none."""
    fixed = sorted({n for members in pack.fixed_roles.values() for n in members})
    lists = {}
    for key in pack.scenario_may_set:
        default = ", ".join(pack.lists.get(key, ())) or "none"
        item = {"$ref": "#/$defs/name"}
        if fixed:
            item = {"allOf": [item, {"not": {"enum": fixed}}]}
        lists[key] = {"type": "array", "minItems": 1, "uniqueItems": True, "items": item,
                      "description": f"replaces the list `{key}` (default: {default})"}
    readings = {r.name: _enum(list(r.choices), None, f"{r.meaning.strip()} (default: {r.default})".strip())
                for r in pack.readings.values()}
    parameters = {}
    for p in pack.parameters.values():
        number = {"type": "integer", "minimum": 0, "maximum": PARAMETER_MAX}
        if p.may_be_unset:
            number = {"type": ["integer", "null"], "minimum": 0, "maximum": PARAMETER_MAX}
        default = "unset" if p.default is None else p.default
        parameters[p.name] = dict(number, description=f"{p.meaning.strip()} (default: {default})".strip())
    excluded = [r for r in pack.regions if r not in pack.never_excluded]
    props: dict = {
        "parties": {"additionalProperties": False, "properties": lists},
        "readings": {"additionalProperties": False, "properties": readings},
        "parameters": {"additionalProperties": False, "properties": parameters},
        "excluded_regions": {"items": _enum(excluded, [_region_word(pack, r) for r in excluded],
                                            "a region that may be left outside the scope")},
        "expect": {"items": _ref(pack, "expectation")},
    }
    if not pack.excluded_regions_allowed:
        props["excluded_regions"] = False
    if not pack.in_force_from_allowed:
        props["in_force_from"] = False
    return {
        "description": pack.title,
        "properties": props,
        "if": {"required": ["parties"]},
        "then": {"properties": {"events": {"items": _ref(pack, "event")}}},
        "else": {"properties": {"events": {"items": {"allOf": [_ref(pack, "event"), _ref(pack, "event_parties")]}}}},
    }


def _event(pack: Pack, strict: bool) -> dict:
    """An event under ``pack`` alone: its own types and the shared ones it reads, each whole
    (a field the pack does not read is still accepted, and ignored)."""
    vocabulary, _ = vocabulary_of([pack])
    return _events(pack.name, vocabulary.event_types, vocabulary.treaties, pack.unknown_word,
                   strict, f"one of the event types of {pack.name}")


def _events(key: str, event_types: dict[str, EventType], treaties: Sequence[str], unknown_word: str | None,
            strict: bool, what: str) -> dict:
    """An event of ``event_types``: its type selects its fields (``strict``: only the party
    names of its fields are checked, the rest by the non-strict schema); ``key``: the
    `$defs` entry of its party and region names."""
    types = list(event_types)
    branches = []
    for etype in event_types.values():
        fields = {f.name: f for f in etype.fields.values() if f.name not in BASICS}
        if strict:
            parties = {n: _field(key, f, True, treaties, unknown_word) for n, f in fields.items()
                       if f.type == "party"}
            if parties:
                branches.append({"if": {"properties": {"type": {"const": etype.name}}},
                                 "then": {"properties": parties}})
            continue
        props = {"id": {}, "date": {}, "type": {}, "occurred": {}}
        props.update((n, _field(key, f, False, treaties, unknown_word)) for n, f in fields.items())
        branches.append({"if": {"properties": {"type": {"const": etype.name}}},
                         "then": {"description": _says(etype.says), "additionalProperties": False,
                                  "required": [n for n, f in fields.items() if f.required],
                                  "properties": props}})
    if strict:
        return {"allOf": branches} if branches else {}
    return {
        "type": "object",
        "required": ["id", "date", "type"],
        "properties": {
            "id": {"$ref": "#/$defs/event_id", "description": "unique in the file"},
            "date": {"anyOf": [{"$ref": "#/$defs/date"}, {"$ref": "#/$defs/uncertain_date"}],
                     "description": "the day it happened: YYYY-MM-DD, or {between: [FIRST, LAST]}"},
            "type": _enum(types, [_says(event_types[t].says) for t in types], what),
            "occurred": {"anyOf": [{"enum": [True, "maybe"]},
                                   {"type": "object", "additionalProperties": False, "required": ["p"],
                                    "properties": {"p": {"type": "number", "exclusiveMinimum": 0,
                                                         "exclusiveMaximum": 1}}}],
                         "description": "maybe: the event may not have happened; {p: CHANCE}: with that chance "
                                        "(true: it did, as when left out)"},
        },
        "allOf": branches,
    }


def _says(text: str) -> str:
    """A type's `says` with its placeholders written as field names."""
    return re.sub(r"\{(\w+)\}", r"<\1>", text)


def _field(key: str, f: FieldSpec, strict: bool, treaties: Sequence[str], unknown_word: str | None) -> dict:
    """The schema of one field: one value (or {one_of: [...]}), a non-empty list, or either
    (`list: either`)."""
    if f.type == "party":
        one = {"$ref": f"#/$defs/{key}/party"} if strict else {"$ref": "#/$defs/name"}
        if strict and not f.unknown and unknown_word:
            one = {"allOf": [one, {"not": {"const": unknown_word}}]}
        what = "a party" + (f" (or {unknown_word})" if f.unknown and unknown_word else "")
    elif f.type == "region":
        one, what = {"$ref": f"#/$defs/{key}/region"}, "a region"
    elif f.type == "enum":
        one, what = {"enum": list(f.values)}, "one of " + ", ".join(f.values)
    elif f.type == "bool":
        one, what = {"type": "boolean"}, "true or false"
    elif f.type == "event":
        one, what = {"$ref": "#/$defs/event_id"}, "the id of " + " or ".join(_a(t) for t in f.to) + " of this file"
    elif f.type == TREATY_FIELD:
        one, what = {"enum": list(treaties)}, "the treaty the act is under: " + ", ".join(treaties)
    else:  # text
        one, what = {"type": ["string", "number"]}, "free text"
    if f.is_list:
        described = f"a list of: {what}"
        out = {"type": "array", "minItems": 1, "items": one}
        if f.type != "text":
            out["uniqueItems"] = True
        if f.either:
            described = f"{what}, or a list of them"
            out = {"anyOf": [one, out]}
    elif f.type == TREATY_FIELD:
        described, out = what, dict(one)
    else:
        described = f"{what}; uncertain: {{one_of: [...]}} (p: [...], a chance of each)"
        # that the chances are one per value and add up to 1 is left to the checker
        alternatives = {"type": "object", "additionalProperties": False, "required": ["one_of"],
                        "properties": {"one_of": {"type": "array", "minItems": 1, "uniqueItems": True,
                                                  "items": one},
                                       "p": {"type": "array", "minItems": 1,
                                             "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}}}}
        out = {"anyOf": [one, alternatives]}
    if strict:
        return out
    out["description"] = f"{f.name}: {described}" + ("; required" if f.required else "")
    return out


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


# --- expectations ---------------------------------------------------------------------------------

def _expectation(pack: Pack) -> dict:
    """An `expect:` item: `obligation` with `status` (and `certainty`), or `not_fired`."""
    provisions = [p for p in pack.provisions.values() if p.kind != "set_aside"]
    ids = "|".join(re.escape(p.id) for p in provisions) or "(?!)"
    pattern = rf"^(?:{ids})/[a-z][a-z0-9_]*(?:/[A-Za-z0-9_-]+)?$"
    titles = "; ".join(f"{p.id}: {p.title}" for p in provisions)
    obligation = {"type": "string", "pattern": pattern,
                  "description": f"an obligation id PROVISION/HOLDER[/TRIGGER] of {pack.name} ({titles})",
                  "examples": [f"{p.id}/HOLDER" + ("/TRIGGER" if p.kind == "achievement" else "")
                               for p in provisions]}
    statuses = list(STATUSES) + [NOT_FIRED]
    reasons = [p.id for p in pack.provisions.values()]
    return {
        "oneOf": [
            {"type": "object", "additionalProperties": False, "required": ["obligation", "status"],
             "description": "the duty ended with this status",
             "properties": {
                 "obligation": obligation,
                 "status": _enum(statuses, [STATUS_WORDS[s] for s in statuses], "the status expected"),
                 "certainty": _enum(list(CERTAINTIES), ["in every possible world", "in some possible world"],
                                    "certain (default) or possible")},
             "if": {"properties": {"status": {"const": NOT_FIRED}}, "required": ["status"]},
             "then": {"required": ["certainty"], "properties": {"certainty": {"const": "possible"}}}},
            {"type": "object", "additionalProperties": False, "required": ["not_fired"],
             "description": "the duty did not fire",
             "properties": {
                 "not_fired": obligation,
                 "reason": _enum(reasons, [pack.provisions[r].title for r in reasons],
                                 "a provision among those that kept it from firing")}},
        ],
    }


def _enum(values: list, words: list[str] | None, description: str) -> dict:
    """An enum whose values an editor describes one by one (``words``, by value)."""
    out: dict = {"enum": list(values), "description": description}
    if words is not None:
        out["enumDescriptions"] = list(words)
        out["markdownEnumDescriptions"] = list(words)
    return out
