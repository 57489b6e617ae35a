"""From the model's atoms to verdicts: the only module that knows the output predicates."""

from __future__ import annotations

import re
from collections import defaultdict

from .model import NotFired, Obligation, Scenario, Verdicts, obligation_id
from .pack import Pack

try:
    from clingo import SymbolType as _SymbolType

    _STRING, _NUMBER, _FUNCTION = _SymbolType.String, _SymbolType.Number, _SymbolType.Function
except ImportError:  # pragma: no cover - clingo is a dependency
    _STRING = _NUMBER = _FUNCTION = None


def _term(sym) -> str:
    """A clingo symbol as the plain text of a report (strings unquoted, constants by name)."""
    return sym.string if sym.type == _STRING else str(sym)


def _ob_key(sym) -> tuple[str, str, str | None]:
    provision, holder, trigger = sym.arguments
    trig = None if trigger.type != _STRING and trigger.name == "none" else _term(trigger)
    return provision.string, _term(holder), trig


# A shown atom name(ob(Provision, Holder, Trigger), Value) whose terms are all plain: the
# provision a string, holder and trigger strings or constants, the value a string, an integer
# or a constant. A string with no quote or backslash prints verbatim, so its text is its value.
# Reading the atom's text takes one call into clingo where the symbol API takes six or more
# (about 8 us instead of 35 us an atom: 25 s at 100 000 events); anything else (an escaped
# string, a nested term, #inf) is read through the symbol API, exactly as before.
_PLAIN = re.compile(
    r'([a-z_]\w*)\(ob\("([^"\\]*)",(?:"([^"\\]*)"|([a-z_]\w*)),(?:"([^"\\]*)"|([a-z_]\w*))\),'
    r'(?:"([^"\\]*)"|(-?\d+)|([a-z_]\w*))\)', re.ASCII)


def _plain_groups(symbols) -> list | None:
    """The _PLAIN groups of every symbol, in order; None when some symbol is not plain.

    The symbols are printed as one tuple, in one call into clingo, and the text is scanned
    atom by atom: a per-symbol str() costs two calls and two buffers each, and at 100 000
    events this halved decoding. A symbol the pattern does not match stops the scan (its
    text is then unknown territory: a string with a quote could mimic a separator)."""
    if not symbols:
        return []
    try:
        from clingo import Tuple_
    except ImportError:  # pragma: no cover - clingo is a dependency
        return None
    text = str(Tuple_(symbols))
    match = _PLAIN.match
    groups = []
    pos = 1
    for _ in range(len(symbols)):
        m = match(text, pos)
        if m is None:
            return None
        groups.append(m.groups())
        pos = m.end()
        if text.startswith(",", pos):
            pos += 1
    return groups if text[pos:] == ")" else None


def _read(symbols, fired: dict, attrs: dict, blocked: dict) -> None:
    """Sort the shown atoms into fired days, attributes and blocking provisions."""
    groups = _plain_groups(symbols)
    match = _PLAIN.fullmatch
    # (symbols may be a lazy sequence: each item read from it is a new call into clingo)
    for i, g in enumerate(groups if groups is not None else symbols):
        if groups is None:
            m = match(str(g))
            g = m.groups() if m is not None else None
        if g is not None:
            name, provision, h_str, h_const, t_str, t_const, v_str, v_num, v_const = g
            key = (provision, h_const if h_str is None else h_str,
                   t_str if t_const is None else (None if t_const == "none" else t_const))
            if name == "fired":
                if v_num is not None:
                    fired[key] = int(v_num)
                    continue
            elif name == "not_fired":
                if v_str is not None:
                    blocked[key].append(v_str)
                    continue
            else:
                attrs[key][name] = (int(v_num) if v_num is not None
                                    else v_str if v_str is not None else v_const)
                continue
        sym = symbols[i]
        if sym.type != _FUNCTION or len(sym.arguments) != 2 or not sym.arguments[0].match("ob", 3):
            continue  # an atom a pack shows for its own use: no part of the report
        name = sym.name
        args = sym.arguments
        if name == "fired":
            fired[_ob_key(args[0])] = args[1].number
        elif name == "not_fired":
            blocked[_ob_key(args[0])].append(args[1].string)
        else:
            value = args[1]
            attrs[_ob_key(args[0])][name] = value.number if value.type == _NUMBER else _term(value)


# what met, broke or ended a duty: read the same way for one world and for many
_OUTCOME_FIELDS = ("met_by", "breached_on", "breached_by", "discharged_by", "discharged_on")


def _outcome(attrs: dict) -> dict:
    return {name: attrs.get(name) for name in _OUTCOME_FIELDS}


def decode(symbols, scenario: Scenario, pack: Pack, stats: dict | None = None) -> Verdicts:
    """Build the verdicts of one scenario from the shown atoms of its model."""
    fired: dict = {}
    attrs: dict = defaultdict(dict)
    blocked: dict = defaultdict(list)
    _read(symbols, fired, attrs, blocked)

    obligations = []
    for key, fired_on in fired.items():
        provision, holder, trigger = key
        a = attrs.get(key, {})
        kind = pack.provisions[provision].kind
        obligations.append(Obligation(
            id=obligation_id(provision, holder, trigger), provision=provision, kind=kind,
            holder=holder, trigger=trigger, fired_on=fired_on,
            deadline=a.get("deadline"), status=a.get("status", "unknown"),
            **_outcome(a),
        ))
    obligations.sort(key=lambda o: (o.fired_on, o.id))
    not_fired = sorted(
        (NotFired(id=obligation_id(*key), provision=key[0], holder=key[1], trigger=key[2],
                  blocked_by=tuple(sorted(set(reasons))))
         for key, reasons in blocked.items() if key not in fired),
        key=lambda n: n.id,
    )
    return Verdicts(scenario=scenario, obligations=tuple(obligations), not_fired=tuple(not_fired),
                    stats=stats or {})


def decode_worlds(brave, cautious, scenario: Scenario, pack: Pack, stats: dict | None = None,
                  worlds: int = 1) -> Verdicts:
    """Verdicts over every possible world: what holds in some world (``brave``) and in all
    (``cautious``). A duty is ``certain`` when it fires with the same status in every world;
    otherwise ``possible``, with every status it takes (``not_fired`` when in some world it
    does not fire) and, as its status, the worst of them. Its other attributes are given
    where they are the same in every world."""
    from .model import NOT_FIRED, SEVERITY

    fired_some: dict = defaultdict(set)
    statuses_some: dict = defaultdict(set)
    blocked_some: dict = defaultdict(set)
    deadlines_some: dict = defaultdict(set)
    for sym in brave:
        name, args = sym.name, sym.arguments
        if name == "fired":
            fired_some[_ob_key(args[0])].add(args[1].number)
        elif name == "status":
            statuses_some[_ob_key(args[0])].add(_term(args[1]))
        elif name == "not_fired":
            blocked_some[_ob_key(args[0])].add(args[1].string)
        elif name == "deadline":
            deadlines_some[_ob_key(args[0])].add(args[1].number)
    fired_all: dict = {}
    status_all: dict = {}
    attrs: dict = defaultdict(dict)
    blocked_all: set = set()
    fires_all: set = set()
    for sym in cautious:
        name, args = sym.name, sym.arguments
        if name == "fired":
            fired_all[_ob_key(args[0])] = args[1].number
        elif name == "fires":
            fires_all.add(_ob_key(args[0]))
        elif name == "status":
            status_all[_ob_key(args[0])] = _term(args[1])
        elif name == "not_fired":
            blocked_all.add(_ob_key(args[0]))
        else:
            value = args[1]
            attrs[_ob_key(args[0])][name] = value.number if value.type == _NUMBER else _term(value)

    obligations = []
    for key, days in fired_some.items():
        provision, holder, trigger = key
        possible = set(statuses_some.get(key, ()))
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
            status=ordered[0] if certain else next(s for s in ordered if s != NOT_FIRED),
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
