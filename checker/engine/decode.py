"""From a model's shown terms to verdicts: the only module that knows the rules' outputs.

A check reads the terms of the part `report` of rules/common/lifecycle.lp: one flat tuple
per duty ob(P, H, T), ``(Status(P, H), T, Fired, Deadline, Event, Day)``, trailing places
left out, ``none`` where a status has no value. Verdicts over possible worlds read the atoms
of the part `shown` (fired/2, status/2...), as brave and cautious consequences.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import MISSING, fields
from pathlib import Path

from checker.engine.terms import Decoder, text
from checker.errors import PackError, did_you_mean
from checker.io.pack import Pack
from checker.model import NotFired, Obligation, Scenario, Verdicts, iso, obligation_id

# the program part whose shown terms a check reads, and the one brave and cautious
# consequences range over (rules/common/lifecycle.lp)
REPORT_PART = "report"
SHOWN_PART = "shown"

# the status a line's head names ("fired": the rules gave the duty none)
_STATUS = {"fulfilled": "fulfilled", "late": "late", "pending": "pending", "breached": "breached",
           "complied": "complied", "discharged": "discharged", "fired": "unknown"}
# what the event and the day of a line are, by status (its deadline is always the deadline)
_EVENT = {"fulfilled": "met_by", "late": "met_by", "breached": "breached_by"}
_DAY = {"late": "breached_on", "breached": "breached_on"}
# the attributes given apart, for a duty whose status does not bind them (breached_by: the
# refusal that breached an achievement duty met afterwards)
_APART = ("deadline", "met_by", "breached_by", "discharged_by", "discharged_on")
_NOT_FIRED = "not_fired"

_OBLIGATION_DEFAULTS = {f.name: f.default for f in fields(Obligation) if f.default is not MISSING}


def decode(shown, scenario: Scenario, pack: Pack, stats: dict | None = None) -> Verdicts:
    """The verdicts of one scenario, from the shown terms of its one model (the part
    `report`). Terms of any other shape (a pack may show terms of its own) are no part of
    the report."""
    kinds = {p.id: p.kind for p in pack.provisions.values()}
    undated = {p.id for p in pack.provisions.values() if p.deadline == "none"}

    def head(sym):
        # what a line's head says: its tag, provision and holder, the start of its duty's id,
        # and (for a duty that fired) the fields it gives every Obligation of that head
        got = _head(sym)
        if got is None:
            return None
        tag, provision, holder = got
        if provision not in kinds:  # a typo in a rule: the pack is broken, say where to look
            _check_provisions(pack, scenario, [provision] if tag != _NOT_FIRED else [], [])
            _check_provisions(pack, scenario, [], [(provision, ())])
        status = _STATUS.get(tag)
        fields = None if status is None else {
            **_OBLIGATION_DEFAULTS, "provision": provision, "kind": kinds[provision], "holder": holder,
            "status": status, "deadline": None}
        return tag, provision, holder, fields, f"{provision}/{holder}"

    heads, trigger, place = Decoder(head), Decoder(_trigger), Decoder(_place)
    # An Obligation is made by filling its __dict__: the frozen dataclass's __init__ sets
    # each of its 15 fields through object.__setattr__, three times as slow
    new = object.__new__
    fired: dict = {}                   # (provision, holder, trigger) -> its Obligation
    apart: dict = defaultdict(dict)    # (provision, holder, trigger) -> {attribute: value}
    blocked: dict = defaultdict(set)   # (provision, holder, trigger) -> provisions
    for sym in shown:
        try:
            args = sym.arguments
        except RuntimeError:  # a number or a string
            continue
        count = len(args)
        if count < 3:
            continue
        line = heads[args[0]]
        if line is None:
            continue
        tag, provision, holder, fields, prefix = line
        trigger_ = trigger[args[1]]
        if fields is not None:
            if tag == "fired":  # the rules gave the duty no status: say why
                _no_status(pack, scenario, provision, holder, trigger_)
            o = new(Obligation)
            attributes = o.__dict__
            attributes.update(fields)
            attributes["id"] = prefix if trigger_ is None else f"{prefix}/{trigger_}"
            attributes["trigger"] = trigger_
            attributes["fired_on"] = place[args[2]]
            if count > 3:
                attributes["deadline"] = place[args[3]]
                if count > 4:
                    event = place[args[4]]
                    if event is not None:
                        attributes[_EVENT[tag]] = event
                    if count > 5:
                        attributes[_DAY[tag]] = place[args[5]]
            key = (provision, holder, trigger_)
            if key in fired or (provision in undated and attributes["deadline"] is not None):
                _two_verdicts(pack, scenario, key, fired.get(key), o)
            fired[key] = o
        elif tag == _NOT_FIRED:
            reason = place[args[2]]
            if reason not in kinds:
                _check_provisions(pack, scenario, [], [(provision, (reason,))])
            blocked[(provision, holder, trigger_)].add(reason)
        else:
            apart[(provision, holder, trigger_)][tag] = place[args[2]]
    for key, attributes in apart.items():
        o = fired.get(key)
        if o is not None:
            o.__dict__.update(attributes)

    obligations = sorted(fired.values(), key=lambda o: (o.fired_on, o.id))
    not_fired = sorted(
        (NotFired(id=obligation_id(*key), provision=key[0], holder=key[1], trigger=key[2],
                  blocked_by=tuple(sorted(reasons)))
         for key, reasons in blocked.items() if key not in fired),
        key=lambda n: n.id,
    )
    return Verdicts(scenario=scenario, obligations=tuple(obligations), not_fired=tuple(not_fired),
                    stats=stats or {})


def _broken(pack: Pack, scenario: Scenario, what: str, *written: str) -> PackError:
    """The pack error ``what``, at the first place in the pack's rule files that holds one of
    ``written`` (the text a rule writes it with, e.g. ``"p1.consul"``), where one does."""
    from checker.errors import Problem

    for needle in written:
        for path in pack.rule_files:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            at = text.find(needle)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                try:  # as the user would write it, from where they are
                    shown = str(path.relative_to(Path.cwd()))
                except ValueError:
                    shown = str(path)
                return PackError([Problem(shown, line, "rules", f"{pack.name}: {what} (in {scenario.path})")])
    return PackError(f"rules: {pack.name}: {what} (in {scenario.path}; `checker lint` says which rule)")


def _check_provisions(pack: Pack, scenario: Scenario, fired, blocked) -> None:
    """PackError when a duty that fired, or did not, names a provision the manifest does not
    declare (a typo in a rule), or one that is no duty; or when a provision the manifest does
    not declare blocks a duty."""
    for provision in dict.fromkeys(fired):
        declared = pack.provisions.get(provision)
        if declared is None:
            raise _broken(pack, scenario, f"a duty of provision {provision!r} fired, but the manifest declares "
                          f"no such provision{did_you_mean(provision, pack.provisions)}", f'"{provision}"')
        if declared.kind not in ("achievement", "maintenance"):
            raise _broken(pack, scenario, f"a duty of provision {provision!r} fired, but the manifest says it is "
                          f"a {declared.kind}, not a duty (achievement or maintenance)",
                          f'would_fire(ob("{provision}"', f'"{provision}"')
    for provision, reasons in blocked:
        if provision not in pack.provisions:
            raise _broken(pack, scenario, f"a duty of provision {provision!r} would have fired, but the manifest "
                          f"declares no such provision{did_you_mean(provision, pack.provisions)}", f'"{provision}"')
        for reason in reasons:
            if reason not in pack.provisions:
                raise _broken(pack, scenario, f"provision {reason!r} blocks a duty of {provision}, but the manifest "
                              f"declares no such provision{did_you_mean(str(reason), pack.provisions)}", f'"{reason}"')


def _no_status(pack: Pack, scenario: Scenario, provision: str, holder: str, trigger: str | None):
    """PackError for a duty the rules gave no status (the lifecycle gives one to every duty
    of the shapes a manifest declares)."""
    _check_provisions(pack, scenario, [provision], [])
    duty = obligation_id(provision, holder, trigger)
    if pack.provisions[provision].kind == "achievement" and pack.provisions[provision].deadline == "required":
        raise _broken(pack, scenario, f"{duty} fired with no deadline, but the manifest does not say that "
                      f"{provision} has none (`deadline: none`, or `optional` when a parameter sets it)",
                      f'deadline(ob("{provision}"', f'would_fire(ob("{provision}"')
    raise _broken(pack, scenario, f"{duty} fired but has no status", f'would_fire(ob("{provision}"')


def _two_verdicts(pack: Pack, scenario: Scenario, key, first, second) -> None:
    """PackError for a duty with two deadlines (or two verdicts), or with one where its
    provision says it has none."""
    duty = obligation_id(*key)
    provision = key[0]
    days = sorted({o.deadline for o in (first, second) if o is not None and o.deadline is not None})
    if first is None:
        raise _broken(pack, scenario, f"{duty} has a deadline ({iso(days[0])}), but the manifest says that "
                      f"{provision} has none (`deadline: none`; `optional` when a parameter sets it)",
                      f'deadline(ob("{provision}"')
    if len(days) > 1:
        raise _broken(pack, scenario, f"{duty} has {len(days)} deadlines ({', '.join(iso(d) for d in days)}); "
                      "a duty has at most one", f'deadline(ob("{provision}"')
    raise _broken(pack, scenario, f"{duty} has two verdicts ({first.status} and {second.status}, fired on "
                  f"{iso(first.fired_on)} and {iso(second.fired_on)}): a duty fires once, with one deadline")


def _head(sym):
    """(tag, provision, holder) of the head Tag(P, H) of a line of the report, or None when
    the term is no such head."""
    from clingo import SymbolType

    if sym.type != SymbolType.Function:
        return None
    tag = sym.name
    if tag not in _STATUS and tag not in _APART and tag != _NOT_FIRED:
        return None
    args = sym.arguments
    if len(args) != 2:
        return None
    return tag, text(args[0]), text(args[1])


def _trigger(sym) -> str | None:
    """A duty's trigger as a report names it: None for the constant ``none`` (no event set
    it off), text otherwise."""
    from clingo import SymbolType

    if sym.type == SymbolType.String:
        return sym.string
    return None if sym.match("none", 0) else str(sym)


def _place(sym):
    """A value of a line of the report: a day as an int, None for the constant ``none``
    (nothing there), anything else as text."""
    from clingo import SymbolType

    kind = sym.type
    if kind == SymbolType.Number:
        return sym.number
    if kind == SymbolType.String:
        return sym.string
    return None if sym.match("none", 0) else str(sym)


def duty_key(sym) -> tuple[str, str, str | None]:
    """(provision, holder, trigger) of a duty's term ob(P, H, T)."""
    provision, holder, trigger = sym.arguments
    return text(provision), text(holder), _trigger(trigger)


# what met, broke or ended a duty: read the same way for one world and for many
_OUTCOME_FIELDS = ("met_by", "breached_on", "breached_by", "discharged_by", "discharged_on")


def _outcome(attrs: dict) -> dict:
    return {name: attrs.get(name) for name in _OUTCOME_FIELDS}


def _attribute(sym):
    """A verdict's value: a day as an int, anything else as the text of the report."""
    from clingo import SymbolType

    return sym.number if sym.type == SymbolType.Number else text(sym)


def decode_worlds(brave, cautious, scenario: Scenario, pack: Pack, stats: dict | None = None,
                  worlds: int = 1) -> Verdicts:
    """Verdicts over every possible world: what holds in some world (``brave``) and in all
    (``cautious``), as atoms of the part `shown`. A duty is ``certain`` when it fires with
    the same status in every world; otherwise ``possible``, with every status it takes
    (``not_fired`` when in some world it does not fire) and, as its status, the worst of
    them. Its other attributes are given where they are the same in every world."""
    from checker.model import NOT_FIRED, SEVERITY

    fired_some: dict = defaultdict(set)
    statuses_some: dict = defaultdict(set)
    blocked_some: dict = defaultdict(set)
    deadlines_some: dict = defaultdict(set)
    for sym in brave:
        name, args = sym.name, sym.arguments
        if name == "fired":
            fired_some[duty_key(args[0])].add(args[1].number)
        elif name == "status":
            statuses_some[duty_key(args[0])].add(text(args[1]))
        elif name == "not_fired":
            blocked_some[duty_key(args[0])].add(text(args[1]))
        elif name == "deadline":
            deadlines_some[duty_key(args[0])].add(args[1].number)
    fired_all: dict = {}
    status_all: dict = {}
    attrs: dict = defaultdict(dict)
    blocked_all: set = set()
    fires_all: set = set()
    for sym in cautious:
        name, args = sym.name, sym.arguments
        if name == "fired":
            fired_all[duty_key(args[0])] = args[1].number
        elif name == "fires":
            fires_all.add(duty_key(args[0]))
        elif name == "status":
            status_all[duty_key(args[0])] = text(args[1])
        elif name == "not_fired":
            blocked_all.add(duty_key(args[0]))
        else:
            attrs[duty_key(args[0])][name] = _attribute(args[1])

    _check_provisions(pack, scenario, [key[0] for key in fired_some],
                      [(key[0], reasons) for key, reasons in blocked_some.items()])
    obligations = []
    for key, days in fired_some.items():
        provision, holder, trigger = key
        possible = set(statuses_some.get(key, ()))
        if not possible and key in fires_all:   # fires in every world, a status in none
            _no_status(pack, scenario, provision, holder, trigger)
        if key not in fires_all:
            possible.add(NOT_FIRED)
        ordered = tuple(s for s in SEVERITY if s in possible)
        certain = key in fires_all and key in status_all and len(ordered) == 1
        a = attrs.get(key, {})
        deadlines = deadlines_some.get(key, ())
        if "deadline" not in a and len(deadlines) == 1:  # the same in every world it fires in
            a = {**a, "deadline": next(iter(deadlines))}
        obligations.append(Obligation(
            id=obligation_id(provision, holder, trigger), provision=provision,
            kind=pack.provisions[provision].kind, holder=holder, trigger=trigger,
            fired_on=fired_all.get(key, min(days)), deadline=a.get("deadline"),
            # (a duty the rules gave no status in any world is "unknown", as in one world)
            status=ordered[0] if certain else next((s for s in ordered if s != NOT_FIRED), "unknown"),
            certainty="certain" if certain else "possible",
            possible_statuses=ordered,
            **_outcome(a),
        ))
    obligations.sort(key=lambda o: (o.fired_on, o.id))
    not_fired = sorted(
        (NotFired(id=obligation_id(*key), provision=key[0], holder=key[1], trigger=key[2],
                  blocked_by=tuple(sorted(reasons)),
                  certainty="certain" if key in blocked_all else "possible")
         for key, reasons in blocked_some.items() if key not in fired_some),
        key=lambda n: n.id,
    )
    return Verdicts(scenario=scenario, obligations=tuple(obligations), not_fired=tuple(not_fired),
                    stats=stats or {}, worlds=worlds)
