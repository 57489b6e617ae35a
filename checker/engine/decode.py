"""From the model's atoms to verdicts: the only module that knows the output predicates."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import MISSING, fields
from operator import itemgetter

from checker.errors import PackError, did_you_mean
from checker.io.pack import Pack
from checker.model import NotFired, Obligation, Scenario, Verdicts, iso, obligation_id

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


# the predicates a verdict is read from (rules/common/lifecycle.lp, "Writes"): each gives a
# duty ob(Provision, Holder, Trigger) one value
OUTPUTS = (("fired", 2), ("status", 2), ("deadline", 2), ("met_by", 2), ("breached_on", 2),
           ("breached_by", 2), ("discharged_by", 2), ("discharged_on", 2), ("not_fired", 2))

# An atom name(ob(Provision, Holder, Trigger), Value) whose terms are all plain: the provision
# a string, holder and trigger strings or constants, the value a string, an integer or a
# constant. A string with no quote or backslash prints verbatim, so its text is its value.
# The atoms of one predicate arrive printed as one tuple; one re.split reads them all in C,
# and its gaps must be exactly "(", ",", ..., ")" (so no atom was skipped or cut). Anything
# else (an escaped string, a nested term, #inf) is read through the symbol API.
_OB = r'ob\("[^"\\]*",(?:"[^"\\]*"|[a-z_]\w*),(?:"[^"\\]*"|[a-z_]\w*)\)'
_VALUE = r'"[^"\\]*"|-?\d+|[a-z_]\w*'
_ATOMS = {name: re.compile(re.escape(name) + r"\((" + _OB + r"),(" + _VALUE + r")\)", re.ASCII)
          for name, _ in OUTPUTS}
_OB_PARTS = re.compile(r'ob\("([^"\\]*)",(?:"([^"\\]*)"|([a-z_]\w*)),(?:"([^"\\]*)"|([a-z_]\w*))\)',
                       re.ASCII)


def _value(text: str):
    """A plain value's text as a Python value: an int, a string's contents, a constant's name."""
    first = text[0]
    if first == '"':
        return text[1:-1]
    if first == "-" or first.isdigit():
        return int(text)
    return text


def _values(texts: list[str]) -> list:
    """_value of each text; all at once when they are of one kind, as an output predicate's
    values are (numbers, strings or constants), one by one otherwise."""
    firsts = set(map(itemgetter(0), texts))
    if firsts == {'"'}:
        return [t[1:-1] for t in texts]
    if not firsts & _NOT_A_NAME:
        return texts  # constants: their text is their value
    if firsts <= _NUMBER_START:
        return list(map(int, texts))
    return list(map(_value, texts))


_NUMBER_START = set("-0123456789")
_NOT_A_NAME = _NUMBER_START | {'"'}


def _pairs(name: str, atoms) -> list[tuple[str, object]]:
    """(duty, value) for every atom of the output predicate ``name`` (a clingo_io.Atoms): the
    duty as the text of its ob/3 term, the value as an int or a str."""
    if not atoms.count:
        return []
    parts = _ATOMS[name].split(atoms.text)
    gaps = parts[0::3]
    # (a tuple of one atom prints as "(a,)")
    if (len(gaps) == atoms.count + 1 and gaps[0] == "(" and gaps[-1] == (",)" if atoms.count == 1 else ")")
            and set(gaps[1:-1]) <= {","}):
        return list(zip(parts[1::3], _values(parts[2::3])))
    return _pairs_of_symbols(atoms.symbols())
def _pairs_of_symbols(symbols) -> list[tuple[str, object]]:
    """_pairs, read through the symbol API."""
    pairs = []
    for sym in symbols:
        args = sym.arguments
        if sym.type != _FUNCTION or len(args) != 2 or not args[0].match("ob", 3):
            continue  # an atom of the same name a pack uses for its own ends: no part of the report
        value = args[1]
        pairs.append((str(args[0]), value.number if value.type == _NUMBER else _term(value)))
    return pairs


def _duty(ob: str) -> tuple[str, str, str | None]:
    """(provision, holder, trigger) of a duty's ob/3 term, from its text."""
    if "\\" not in ob:  # no escape, so no quote inside a string: commas split it, unless in a string
        parts = ob[3:-1].split(",")
        if len(parts) == 3:
            provision, holder, trigger = parts
            if provision[0] == '"':
                return (provision[1:-1], holder[1:-1] if holder[0] == '"' else holder,
                        trigger[1:-1] if trigger[0] == '"' else None if trigger == "none" else trigger)
    m = _OB_PARTS.fullmatch(ob)
    if m is None:  # not plain: clingo reads it
        from clingo import parse_term

        return _ob_key(parse_term(ob))
    provision, h_str, h_const, t_str, t_const = m.groups()
    return (provision, h_const if h_str is None else h_str,
            t_str if t_const is None else (None if t_const == "none" else t_const))


def append_obligation(into: list):
    """A function that appends an Obligation made of a dict of fields and its keyword
    arguments to ``into``.

    It fills the instance's __dict__ directly: the frozen dataclass's __init__ sets each of
    its 15 fields through object.__setattr__, 0.7 s for the 161 000 duties of a 100 000-event
    history (0.2 s this way). Fields not given take their defaults."""
    new, defaults = object.__new__, _OBLIGATION_DEFAULTS

    def append(more: dict, **fields):
        o = new(Obligation)
        o.__dict__.update(defaults, **more, **fields)
        into.append(o)

    return append


_OBLIGATION_DEFAULTS = {f.name: f.default for f in fields(Obligation) if f.default is not MISSING}


# what met, broke or ended a duty: read the same way for one world and for many
_OUTCOME_FIELDS = ("met_by", "breached_on", "breached_by", "discharged_by", "discharged_on")


def _outcome(attrs: dict) -> dict:
    return {name: attrs.get(name) for name in _OUTCOME_FIELDS}


def decode(atoms, scenario: Scenario, pack: Pack, stats: dict | None = None) -> Verdicts:
    """Build the verdicts of one scenario from the atoms of its model: one clingo_io.Atoms
    per predicate of OUTPUTS, in that order."""
    tables = {name: _pairs(name, block) for (name, _), block in zip(OUTPUTS, atoms)}
    fired = dict(tables.pop("fired"))
    blocked: dict = defaultdict(list)
    for ob, provision in tables.pop("not_fired"):
        if ob not in fired:
            blocked[ob].append(provision)
    status = dict(tables.pop("status"))
    deadline_pairs = tables.pop("deadline")
    deadline = dict(deadline_pairs)
    met_by = dict(tables.pop("met_by"))
    if len(deadline) != len(deadline_pairs) or any(p.deadline == "none" for p in pack.provisions.values()):
        _check_shapes(pack, scenario, fired, deadline_pairs)
    # the outcomes few duties have, gathered per duty: one look-up per duty instead of four
    rare: dict = defaultdict(dict)
    for name, pairs in tables.items():
        for ob, value in pairs:
            rare[ob][name] = value

    obligations = []
    append = append_obligation(obligations)
    kinds = {p.id: p.kind for p in pack.provisions.values()}
    get_status, get_deadline, get_met_by, get_rare = status.get, deadline.get, met_by.get, rare.get
    nothing: dict = {}
    for ob, fired_on in fired.items():
        provision, holder, trigger = _duty(ob)
        st = get_status(ob)
        if st is None or provision not in kinds:  # the pack's rules are broken: say how
            _check_provisions(pack, scenario, [provision], [])
            _check_shapes(pack, scenario, {ob: fired_on}, deadline_pairs)
            raise _broken(pack, scenario, f"{obligation_id(provision, holder, trigger)} fired but has no status")
        append(get_rare(ob, nothing), id=obligation_id(provision, holder, trigger), provision=provision,
               kind=kinds[provision], holder=holder, trigger=trigger,
               fired_on=fired_on, deadline=get_deadline(ob), status=st,
               # ended before it was met: a later meeting is no part of its verdict
               met_by=None if st == "discharged" else get_met_by(ob))
    obligations.sort(key=lambda o: (o.fired_on, o.id))
    not_fired = []
    for ob, reasons in blocked.items():
        provision, holder, trigger = _duty(ob)
        if provision not in kinds or not all(r in kinds for r in reasons):
            _check_provisions(pack, scenario, [], [(provision, reasons)])
        not_fired.append(NotFired(id=obligation_id(provision, holder, trigger), provision=provision,
                                  holder=holder, trigger=trigger, blocked_by=tuple(sorted(set(reasons)))))
    not_fired.sort(key=lambda n: n.id)
    return Verdicts(scenario=scenario, obligations=tuple(obligations), not_fired=tuple(not_fired),
                    stats=stats or {})


def _broken(pack: Pack, scenario: Scenario, what: str) -> PackError:
    return PackError(f"rules: {pack.name}: {what} (in {scenario.path}; `checker lint` says which rule)")


def _check_provisions(pack: Pack, scenario: Scenario, fired, blocked) -> None:
    """PackError when a duty that fired, or did not, names a provision the manifest does not
    declare (a typo in a rule), or one that is no duty; or when a provision the manifest does
    not declare blocks a duty."""
    for provision in dict.fromkeys(fired):
        declared = pack.provisions.get(provision)
        if declared is None:
            raise _broken(pack, scenario, f"a duty of provision {provision!r} fired, but the manifest declares "
                          f"no such provision{did_you_mean(provision, pack.provisions)}")
        if declared.kind not in ("achievement", "maintenance"):
            raise _broken(pack, scenario, f"a duty of provision {provision!r} fired, but the manifest says it is "
                          f"a {declared.kind}, not a duty (achievement or maintenance)")
    for provision, reasons in blocked:
        if provision not in pack.provisions:
            raise _broken(pack, scenario, f"a duty of provision {provision!r} would have fired, but the manifest "
                          f"declares no such provision{did_you_mean(provision, pack.provisions)}")
        for reason in reasons:
            if reason not in pack.provisions:
                raise _broken(pack, scenario, f"provision {reason!r} blocks a duty of {provision}, but the manifest "
                              f"declares no such provision{did_you_mean(reason, pack.provisions)}")


def _check_shapes(pack: Pack, scenario: Scenario, fired: dict, deadline_pairs) -> None:
    """PackError when a duty has two deadlines, or an achievement duty has none while its
    provision requires one, or one while its provision says it has none."""
    days: dict = defaultdict(list)
    for ob, day in deadline_pairs:
        days[ob].append(day)
    for ob in fired:
        provision, holder, trigger = _duty(ob)
        declared = pack.provisions.get(provision)
        if declared is None or declared.kind != "achievement":
            continue  # _check_provisions says what is wrong
        duty = obligation_id(provision, holder, trigger)
        given = sorted(set(days.get(ob, ())))
        if len(given) > 1:
            raise _broken(pack, scenario, f"{duty} has {len(given)} deadlines ({', '.join(map(str, map(iso, given)))}); "
                          "a duty has at most one")
        if not given and declared.deadline == "required":
            raise _broken(pack, scenario, f"{duty} fired with no deadline, but the manifest does not say that "
                          f"{provision} has none (`deadline: none`, or `optional` when a parameter sets it)")
        if given and declared.deadline == "none":
            raise _broken(pack, scenario, f"{duty} has a deadline ({iso(given[0])}), but the manifest says that "
                          f"{provision} has none (`deadline: none`; `optional` when a parameter sets it)")


def decode_worlds(brave, cautious, scenario: Scenario, pack: Pack, stats: dict | None = None,
                  worlds: int = 1) -> Verdicts:
    """Verdicts over every possible world: what holds in some world (``brave``) and in all
    (``cautious``). A duty is ``certain`` when it fires with the same status in every world;
    otherwise ``possible``, with every status it takes (``not_fired`` when in some world it
    does not fire) and, as its status, the worst of them. Its other attributes are given
    where they are the same in every world."""
    from checker.model import NOT_FIRED, SEVERITY

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

    _check_provisions(pack, scenario, [key[0] for key in fired_some],
                      [(key[0], reasons) for key, reasons in blocked_some.items()])
    obligations = []
    for key, days in fired_some.items():
        provision, holder, trigger = key
        possible = set(statuses_some.get(key, ()))
        if not possible:
            duty = obligation_id(provision, holder, trigger)
            if pack.provisions[provision].kind == "achievement" and key not in deadlines_some \
                    and pack.provisions[provision].deadline == "required":
                raise _broken(pack, scenario, f"{duty} fired with no deadline, but the manifest does not say that "
                              f"{provision} has none (`deadline: none`, or `optional` when a parameter sets it)")
            raise _broken(pack, scenario, f"{duty} fired but has no status")
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
