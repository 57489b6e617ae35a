"""What the pack lets a repair add: the `repairs:` section of its manifest, read and checked.

Per provision, the event a repair may add and how each of its fields is filled: `holder`
(the duty's holder), `holders` (a list field: one joint event names every holder it
serves), `trigger` (the duty's trigger event), a fixed value, or a list of values (one is
picked, the first preferred). An event with neither a `holder` nor a `holders` field (a
Council meeting, which meets the duty of every member present) is one action that serves
every duty it meets. When an added event counts is the pack's repairs.lp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from checker.errors import PackError, Problem, did_you_mean
from checker.io.document import LDict
from checker.io.pack import MANIFEST, WORD, Pack, read_manifest

SPECIAL = ("holder", "holders", "trigger")


@dataclass(frozen=True)
class RepairSpec:
    """What the pack lets a repair add for one provision."""

    provision: str
    event: str
    fields: Mapping[str, object]   # field -> "holder" | "holders" | "trigger" | value | tuple


def read_repairs(pack: Pack) -> dict[str, RepairSpec]:
    """The `repairs:` section of the pack's manifest (merged with those of the packs it
    extends), checked against its vocabulary."""
    path = pack.folder / MANIFEST
    shown = str(path)
    data = pack.document if pack.document is not None else read_manifest(path, shown)
    section = data.get("repairs") if isinstance(data, dict) else None
    if section is None:
        return {}
    problems: list[Problem] = []

    def bad(node, key, message, where=None):
        line = node.key_lines.get(key, node.line) if isinstance(node, LDict) else getattr(node, "line", 1)
        sources = getattr(node, "key_sources", None) or {}  # a version's repairs hold its parent's
        problems.append(Problem(sources.get(key) or getattr(node, "source", None) or shown, line,
                                f"repairs.{where or key}", message))

    if not isinstance(section, dict):
        raise PackError([Problem(shown, getattr(section, "line", 1), "repairs",
                                 "must map provisions to {event, fields}")])
    out: dict[str, RepairSpec] = {}
    for pid, spec in section.items():
        if pid not in pack.provisions:
            bad(section, pid, f"unknown provision{did_you_mean(pid, pack.provisions)}")
            continue
        if pack.provisions[pid].kind != "achievement":
            bad(section, pid, "only an achievement duty can be met by adding an event")
            continue
        if not isinstance(spec, dict) or spec.get("event") not in pack.event_types:
            bad(section, pid, "needs `event:`, one of the pack's event types")
            continue
        etype = pack.event_types[spec["event"]]
        fields = spec.get("fields") or {}
        if not isinstance(fields, dict):
            bad(spec, "fields", "must map fields to how they are filled")
            continue
        resolved: dict[str, object] = {}
        for fname, how in fields.items():
            f = etype.fields.get(fname)
            where = f"{pid}.fields.{fname}"
            if f is None:
                bad(fields, fname, f"not a field of {etype.name}", where)
                continue
            resolved[fname] = None  # a field with a problem is not also reported missing
            if how == "holders" and not (f.is_list and f.type == "party"):
                bad(fields, fname, "`holders` needs a list of parties", where)
            elif how == "holder" and (f.is_list or f.type != "party"):
                bad(fields, fname, "`holder` needs a single party", where)
            elif how == "trigger" and f.type != "event":
                bad(fields, fname, "`trigger` needs a field that names an event", where)
            elif how in SPECIAL:
                resolved[fname] = how
            elif isinstance(how, list) and how and all(isinstance(v, str) and WORD.match(v) for v in how):
                if f.type == "enum" and any(v not in f.values for v in how):
                    bad(fields, fname, f"values must be among {', '.join(f.values)}", where)
                else:
                    resolved[fname] = tuple(how)
            elif isinstance(how, str) and WORD.match(how) and not f.is_list:
                if f.type == "enum" and how not in f.values:
                    bad(fields, fname, f"{how!r} is not among {', '.join(f.values)}", where)
                else:
                    resolved[fname] = how
            else:
                bad(fields, fname, "give holder, holders, trigger, a value or a list of values", where)
        missing = [n for n, f in etype.fields.items() if f.required and n not in resolved]
        if missing:
            bad(section, pid, f"the added {etype.name} would lack {', '.join(missing)}")
            continue
        if any(v is None for v in resolved.values()):
            continue
        out[pid] = RepairSpec(pid, etype.name, resolved)
    if problems:
        raise PackError(problems)
    return out
