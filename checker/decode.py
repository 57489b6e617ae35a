"""From the model's atoms to verdicts: the only module that knows the output predicates."""

from __future__ import annotations

from collections import defaultdict

from .model import NotFired, Obligation, Scenario, Verdicts, obligation_id
from .pack import Pack

try:
    from clingo import SymbolType as _SymbolType

    _STRING, _NUMBER = _SymbolType.String, _SymbolType.Number
except ImportError:  # pragma: no cover - clingo is a dependency
    _STRING = _NUMBER = None


def _term(sym) -> str:
    """A clingo symbol as the plain text of a report (strings unquoted, constants by name)."""
    return sym.string if sym.type == _STRING else str(sym)


def _ob_key(sym) -> tuple[str, str, str | None]:
    provision, holder, trigger = sym.arguments
    trig = None if trigger.type != _STRING and trigger.name == "none" else _term(trigger)
    return provision.string, _term(holder), trig


def decode(symbols, scenario: Scenario, pack: Pack, stats: dict | None = None) -> Verdicts:
    """Build the verdicts of one scenario from the shown atoms of its model."""
    fired: dict = {}
    attrs: dict = defaultdict(dict)
    blocked: dict = defaultdict(list)
    for sym in symbols:
        name = sym.name
        args = sym.arguments
        if name == "fired":
            fired[_ob_key(args[0])] = args[1].number
        elif name == "not_fired":
            blocked[_ob_key(args[0])].append(args[1].string)
        else:
            value = args[1]
            attrs[_ob_key(args[0])][name] = value.number if value.type == _NUMBER else _term(value)

    obligations = []
    for key, fired_on in fired.items():
        provision, holder, trigger = key
        a = attrs.get(key, {})
        kind = pack.provisions[provision].kind
        obligations.append(Obligation(
            id=obligation_id(provision, holder, trigger), provision=provision, kind=kind,
            holder=holder, trigger=trigger, fired_on=fired_on,
            deadline=a.get("deadline"), status=a.get("status", "unknown"),
            met_by=a.get("met_by"), breached_on=a.get("breached_on"),
            breached_by=a.get("breached_by"), discharged_by=a.get("discharged_by"),
            discharged_on=a.get("discharged_on"),
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
