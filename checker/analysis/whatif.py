"""What-if edits: change a scenario in memory, check it again, and say which verdicts moved.

Edits work on the scenario's parsed YAML document, before validation, so that an edited
scenario is validated exactly like a file (a `--set` naming an unknown party is the same
error as in the file) and can be written back with `--save`. The file itself is never
touched. Edits apply in a fixed order: drop, shift, set, add, then as_of.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from checker.errors import CheckerError, Problem, UsageError, did_you_mean
from checker.io.document import LList, SourceProblem
from checker.io.scenario import load_document, parse_date, read_document
from checker.io.yamltext import comment, dump_yaml, read_yaml
from checker.model import Verdicts

SHIFT = re.compile(r"^([+-]?)(\d{1,6})d?$")


@dataclass(frozen=True)
class Edits:
    """The edits of one what-if, as given on the command line."""

    shift: tuple[tuple[str, int], ...] = ()        # event id, days (+ later, - earlier)
    drop: tuple[str, ...] = ()                      # event ids
    add: tuple[str, ...] = ()                       # YAML texts: one event or a list of them
    set: tuple[tuple[str, str, str], ...] = ()     # event id, field, YAML value ('' removes)
    as_of: str | None = None                        # a new verdict day

    @property
    def empty(self) -> bool:
        return not (self.shift or self.drop or self.add or self.set or self.as_of)

    def describe(self) -> list[str]:
        """The edits as the options that make them, one per line (a value that holds a line
        break or another character that is not printable is quoted, with escapes)."""
        out = [f"--drop {_arg(e)}" for e in self.drop]
        out += [f"--shift {_arg(e)}={d:+d}d" for e, d in self.shift]
        out += [f"--set {_arg(f'{e}.{f}={v}')}" for e, f, v in self.set]
        out += [f"--add {text!r}" for text in self.add]
        if self.as_of:
            out.append(f"--as-of {_arg(self.as_of)}")
        return out


def _arg(text: str) -> str:
    """An option's value as it is shown: as given, or quoted when it is not all printable."""
    return text if text.isprintable() else repr(text)


def parse_shift(text: str, option: str = "--shift") -> tuple[str, int]:
    """``EVENT=+2d`` as (event id, days)."""
    eid, sep, amount = text.partition("=")
    match = SHIFT.match(amount.strip())
    if not sep or not eid.strip() or match is None:
        raise UsageError(f"{option}: expected EVENT=+Nd or EVENT=-Nd, got {text!r}")
    days = int(match.group(2))
    return eid.strip(), -days if match.group(1) == "-" else days


def parse_set(text: str) -> tuple[str, str, str]:
    """``EVENT.field=value`` as (event id, field, value text)."""
    target, sep, value = text.partition("=")
    eid, dot, fname = target.partition(".")
    if not sep or not dot or not eid.strip() or not fname.strip():
        raise UsageError(f"--set: expected EVENT.FIELD=VALUE, got {text!r}")
    return eid.strip(), fname.strip(), value.strip()


def make_edits(*, shift=(), drop=(), add=(), set=(), as_of=None) -> Edits:  # noqa: A002
    """Edits from command-line strings; UsageError names a malformed one."""
    return Edits(shift=tuple(parse_shift(s) for s in shift), drop=tuple(drop), add=tuple(add),
                 set=tuple(parse_set(s) for s in set), as_of=as_of)


def _events(doc) -> list:
    events = doc.get("events") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        raise UsageError("the scenario has no list of events to edit")
    return events


def _find(events: list, eid: str, option: str) -> int:
    ids = [e.get("id") for e in events if isinstance(e, dict)]
    for i, e in enumerate(events):
        if isinstance(e, dict) and e.get("id") == eid:
            return i
    raise UsageError(f"{option}: no event {eid!r}{did_you_mean(eid, [i for i in ids if isinstance(i, str)])}")


def _shift_date(value, days: int, eid: str):
    def moved(text):
        date = parse_date(text)
        if date is None:
            raise UsageError(f"--shift: {eid}: its date {text!r} is not a valid date")
        try:
            return (date + _dt.timedelta(days=days)).isoformat()
        except OverflowError:
            raise UsageError(f"--shift: {eid}: {text} moved by {days:+d} days is not a date from "
                             "0001-01-01 to 9999-12-31") from None

    if isinstance(value, dict) and isinstance(value.get("between"), list):
        out = copy.copy(value)
        out["between"] = copy.copy(value["between"])  # keeps the lines of a read list
        out["between"][:] = [moved(t) for t in value["between"]]
        return out
    return moved(value)


def _parse_value(text: str, option: str):
    try:
        return read_yaml(text)
    except SourceProblem as exc:
        raise UsageError(f"{option}: {text!r}: {exc.message}") from None


def apply_edits(doc, edits: Edits):
    """A copy of the parsed document ``doc`` with ``edits`` applied (``doc`` is unchanged)."""
    doc = copy.deepcopy(doc)
    # the expectations were written for the scenario before the edits (and may name an
    # event an edit drops): an edited scenario has none
    doc.pop("expect", None)
    events = _events(doc)
    for eid in edits.drop:
        i = _find(events, eid, "--drop")
        if isinstance(events, LList):
            events.drop(i)
        else:
            del events[i]
    for eid, days in edits.shift:
        event = events[_find(events, eid, "--shift")]
        if "date" not in event:
            raise UsageError(f"--shift: event {eid!r} has no date")
        event["date"] = _shift_date(event["date"], days, eid)
    for eid, fname, text in edits.set:
        event = events[_find(events, eid, "--set")]
        if fname == "id":
            raise UsageError("--set: an event's id cannot be set (drop it and add another)")
        if text == "":
            event.pop(fname, None)
        else:
            event[fname] = _parse_value(text, "--set")
    for text in edits.add:
        value = _parse_value(text, "--add")
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, dict):
                raise UsageError(f"--add: {text!r} is not an event (a mapping with id, date, type...)")
            events.append(item)  # (its lines are those of the option's text: none in the file)
    if edits.as_of is not None:
        if parse_date(edits.as_of) is None:
            raise UsageError(f"--as-of: {edits.as_of!r} is not a valid date (YYYY-MM-DD)")
        doc["as_of"] = edits.as_of
    return doc


_EVENT_FIELD = re.compile(r"^events\[(\d+)\](?:\.(.*))?$")


def edited_origins(doc, edits: Edits) -> dict[int, tuple[str, str, str | None]]:
    """Index of each event an edit wrote, in the edited document ``doc``, -> (option, event
    label, field it set or None for a whole event)."""
    events = doc.get("events") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        return {}
    out: dict = {}
    added = [item for text in edits.add for item in (lambda v: v if isinstance(v, list) else [v])(
        _parse_value(text, "--add"))]
    first_added = len(events) - len(added)
    for k, item in enumerate(added, 1):
        label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else f"#{k}"
        out[first_added + k - 1] = ("--add", label, None)
    for eid, fname, _ in edits.set:
        for i, e in enumerate(events[:first_added]):
            if isinstance(e, dict) and e.get("id") == eid:
                out[i] = ("--set", eid, fname)
    return out


def locate_problems(exc: CheckerError, doc, edits: Edits, original=None) -> CheckerError:
    """``exc`` with each problem in a value an edit wrote said as that option's
    (``--set consult-b.parties[2]: unknown party 'frnace'``) rather than as a line of the
    file, where it is not; any other problem keeps its line, its event numbered as in the
    file (``original``, the document before the edits) rather than as after a --drop."""
    if not exc.problems:
        return exc
    origins = edited_origins(doc, edits)
    in_file = _indices_in(original, doc)
    lines, changed = [], False
    for problem in exc.problems:
        match = _EVENT_FIELD.match(problem.field)
        index = int(match.group(1)) if match else None
        rest = (match.group(2) or "") if match else ""
        origin = origins.get(index)
        if origin is not None:
            option, label, fname = origin
            if fname is None or rest == fname or rest.startswith((f"{fname}[", f"{fname}.")):
                lines.append(f"{option} {label}{'.' + rest if rest else ''}: {problem.message}")
                changed = True
                continue
        if index is not None and in_file.get(index, index) != index:
            field_path = f"events[{in_file[index]}]" + (f".{rest}" if rest else "")
            problem = Problem(problem.file, problem.line, field_path, problem.message)
            changed = True
        lines.append(str(problem))
    return UsageError("\n".join(lines)) if changed else exc


def _indices_in(original, doc) -> dict[int, int]:
    """Index of an event in the edited ``doc`` -> its index in the ``original`` file."""
    before = original.get("events") if isinstance(original, dict) else None
    after = doc.get("events") if isinstance(doc, dict) else None
    if not isinstance(before, list) or not isinstance(after, list):
        return {}
    where = {e.get("id"): j for j, e in enumerate(before) if isinstance(e, dict) and isinstance(e.get("id"), str)}
    return {i: where[e["id"]] for i, e in enumerate(after)
            if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"] in where}


def dump(doc, edits: Edits | None = None, source: str | None = None,
         done: str = "edited by `checker whatif`") -> str:
    """The edited document as YAML text, without an `expect:` block (see apply_edits), under
    a comment that says where it came from (``source``, ``done``) and by which ``edits``.
    The document is written by a YAML emitter, the comment one escaped line per edit, so
    that nothing in an edit can become part of the document."""
    data = {key: value for key, value in doc.items() if key != "expect"}
    head = [comment(f"{source or 'a scenario'}, {done}:")]
    if edits is not None:
        head += [comment(f"  {line}") for line in edits.describe()]
    return "\n".join(head) + "\n" + dump_yaml(data)


def verdict_cells(v: Verdicts) -> dict[str, str]:
    """Obligation id -> its verdict in a word or two (the same id may be fired or blocked)."""
    out = {}
    for o in v.obligations:
        out[o.id] = o.status if o.certainty == "certain" else "possibly " + "|".join(o.statuses)
    for n in v.not_fired:
        out.setdefault(n.id, "not fired: " + ", ".join(n.blocked_by))
    return out


@dataclass(frozen=True)
class Difference:
    id: str
    before: str     # "-" when the duty did not exist before
    after: str


@dataclass(frozen=True)
class WhatIf:
    """The verdicts on a scenario before and after some edits, and those that differ."""

    before: Verdicts
    after: Verdicts
    edits: Edits
    differences: tuple[Difference, ...] = field(default=())
    edited_doc: object = None

    def all_rows(self) -> tuple[Difference, ...]:
        """Every verdict before and after, changed or not (the edited report's order first)."""
        a, b = verdict_cells(self.before), verdict_cells(self.after)
        return tuple(Difference(i, a.get(i, "-"), b.get(i, "-")) for i in dict.fromkeys([*b, *a]))


def diff(before: Verdicts, after: Verdicts) -> tuple[Difference, ...]:
    """The verdicts that differ, in the order of the edited report (then the vanished ones)."""
    a, b = verdict_cells(before), verdict_cells(after)
    order = [o.id for o in after.obligations] + [n.id for n in after.not_fired]
    order += [o.id for o in before.obligations] + [n.id for n in before.not_fired]
    seen: set = set()
    out = []
    for ob_id in order:
        if ob_id in seen:
            continue
        seen.add(ob_id)
        if a.get(ob_id) != b.get(ob_id):
            out.append(Difference(ob_id, a.get(ob_id, "-"), b.get(ob_id, "-")))
    return tuple(out)


def what_if(path: str | Path, edits: Edits, *, rules_root: Path | None = None,
            as_of: str | None = None, readings: Mapping[str, str] | None = None,
            parameters: Mapping[str, int] | None = None, timeout: float | None = None,
            max_uncertain_days: int | None = None, treaty: str | None = None) -> WhatIf:
    """Check ``path`` as it is and with ``edits``; ``as_of`` etc. apply to both (``treaty``:
    the one to read a history of several under)."""
    from checker.engine.check import check_scenario
    from checker.io.scenario import load_scenario

    scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                   parameters=parameters, max_uncertain_days=max_uncertain_days, treaty=treaty)
    before = check_scenario(scenario, pack, timeout=timeout)
    path = Path(path)
    doc = read_document(path, str(path))
    edited = apply_edits(doc, edits)
    try:
        scenario2, pack2 = load_document(path, edited, rules_root=rules_root,
                                         as_of=None if edits.as_of else as_of, readings=readings,
                                         parameters=parameters, max_uncertain_days=max_uncertain_days,
                                         treaty=treaty)
    except CheckerError as exc:
        raise locate_problems(exc, edited, edits, doc) from None
    after = check_scenario(scenario2, pack2, timeout=timeout)
    return WhatIf(before, after, edits, diff(before, after), edited)
