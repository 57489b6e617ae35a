"""Possible worlds of a scenario with uncertain facts: witnesses and reading dimensions.

A *witness* of a possible verdict is one world in which it holds: the value the solver chose
for every uncertain fact (an event's day, a ``one_of`` field, whether a ``maybe`` event
happened). It is found by an assumption-driven solve on the grounding of every world, so
that no fact is guessed in Python. ``all_readings`` checks a scenario under every
combination of the pack's readings and says which verdicts depend on which reading.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from checker.errors import UsageError
from checker.io.pack import Pack, find_rules_root, load_pack
from checker.model import NOT_FIRED, Scenario, Verdicts, day_of, iso


def _parse_obligation_id(ob_id: str) -> tuple[str, str, str | None]:
    parts = ob_id.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise UsageError(f"{ob_id!r} is not an obligation id (PROVISION/HOLDER[/TRIGGER])")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def obligation_term(ob_id: str, clingo):
    """The lifecycle's term ob(Provision, Holder, Trigger) for an obligation id, as a symbol."""
    provision, holder, trigger = _parse_obligation_id(ob_id)
    return clingo.Function("ob", [clingo.String(provision), clingo.Function(holder),
                                  clingo.String(trigger) if trigger is not None
                                  else clingo.Function("none")])


def _pack_of(scenario: Scenario, pack: Pack | None) -> Pack:
    if pack is not None:
        return pack
    root = find_rules_root(scenario.treaty, Path(scenario.path))
    return load_pack(scenario.treaty, root)


def _world(model, scenario: Scenario, pack: Pack, clingo) -> dict:
    """The values ``model`` chose for every uncertain fact: event id -> field -> value."""
    Function, Number, String = clingo.Function, clingo.Number, clingo.String
    out: dict = {}
    for event in scenario.events:
        if not event.uncertain:
            continue
        eid = String(event.id)
        day = next((d for d in event.days
                    if model.contains(Function("event", [eid, Function(event.type), Number(d)]))), None)
        chosen: dict = {}
        if event.maybe:
            chosen["occurred"] = day is not None
        if day is not None:
            if event.date_range is not None:
                chosen["date"] = iso(day)
            for field, alternatives in event.options.items():
                stringly = pack.event_types[event.type].fields[field].type in ("event", "text")
                for text in alternatives:
                    value = String(text) if stringly else Function(text)
                    if model.contains(Function("arg", [eid, Function(field), value])):
                        chosen[field] = text
        out[event.id] = chosen
    return out


class WorldFinder:
    """One grounding of every world of a scenario, asked for witnesses one verdict at a time."""

    def __init__(self, scenario: Scenario, pack: Pack | None = None):
        import clingo

        from checker.engine.solve import ground_worlds

        self.clingo = clingo
        self.scenario = scenario
        self.pack = _pack_of(scenario, pack)
        self.ctl = ground_worlds(scenario, self.pack)
        self.ctl.configuration.solve.enum_mode = "auto"
        self.ctl.configuration.solve.models = 1

    def witness(self, obligation_id: str, status: str) -> dict | None:
        """A world in which ``obligation_id`` has ``status`` (``not_fired``: does not fire),
        or None when no world gives it."""
        clingo = self.clingo
        term = obligation_term(obligation_id, clingo)
        atoms = self.ctl.symbolic_atoms
        if status == NOT_FIRED:
            assumptions = [(a.symbol, False) for a in atoms.by_signature("fired", 2)
                           if a.symbol.arguments[0] == term]
        else:
            wanted = clingo.Function("status", [term, clingo.Function(status)])
            if atoms[wanted] is None:
                return None
            assumptions = [(wanted, True)]
        found: list = []

        def on_model(model):
            found.append(_world(model, self.scenario, self.pack, clingo))
            return False

        self.ctl.solve(assumptions=assumptions, on_model=on_model)
        return found[0] if found else None


def witness(subject: Verdicts | Scenario, obligation_id: str, status: str, *,
            pack: Pack | None = None) -> dict | None:
    """One world in which ``obligation_id`` has ``status``: for each uncertain event, the
    values chosen (``date`` as ISO, ``occurred`` for a ``maybe`` event, each ``one_of``
    field). ``{}`` for a scenario with no uncertain facts whose verdict is ``status``; None
    when no world gives that status."""
    if isinstance(subject, Verdicts) and not subject.scenario.uncertain:
        o = subject.obligation(obligation_id)  # one world: the verdicts already say it
        return {} if o is not None and o.status == status else None
    scenario = subject.scenario if isinstance(subject, Verdicts) else subject
    return WorldFinder(scenario, pack).witness(obligation_id, status)


def witnesses(verdicts: Verdicts, *, pack: Pack | None = None) -> dict[str, dict[str, dict]]:
    """For every uncertain duty, a witness world for each status it can take:
    obligation id -> status -> world. One grounding for all of them."""
    uncertain = [o for o in verdicts.obligations if o.certainty != "certain"]
    if not uncertain:
        return {}
    finder = WorldFinder(verdicts.scenario, pack)
    out: dict[str, dict[str, dict]] = {}
    for o in uncertain:
        out[o.id] = {}
        for status in o.statuses:
            world = finder.witness(o.id, status)
            if world is not None:
                out[o.id][status] = world
    return out


def concrete(scenario: Scenario, world: Mapping[str, Mapping]) -> Scenario:
    """The scenario with every uncertain fact fixed as ``world`` chose it (a certain scenario)."""
    events = []
    for e in scenario.events:
        chosen = world.get(e.id)
        if not e.uncertain:
            events.append(e)
            continue
        chosen = chosen or {}
        if chosen.get("occurred") is False:
            continue
        day = day_of(_dt.date.fromisoformat(chosen["date"])) if "date" in chosen else e.day
        fields = {**e.fields, **{f: (chosen[f],) for f in e.options if f in chosen}}
        events.append(replace(e, day=day, fields=fields, date_range=None, options={}, maybe=False))
    return replace(scenario, events=tuple(events))


def describe_world(world: Mapping[str, Mapping]) -> str:
    """A world in one line: `EVENT.FIELD=VALUE, OTHER.date=2027-04-03, THIRD did not happen`."""
    parts = []
    for eid, chosen in world.items():
        for key, value in chosen.items():
            if key == "occurred":
                parts.append(f"{eid} {'happened' if value else 'did not happen'}")
            else:
                parts.append(f"{eid}.{key}={value}")
    return ", ".join(parts) or "(every fact is certain)"


# --- readings as a dimension ------------------------------------------------------------------

@dataclass(frozen=True)
class ReadingsGrid:
    """A scenario checked under every combination of the pack's readings."""

    scenario: Scenario
    combos: tuple[Mapping[str, str], ...]           # the readings of each column
    verdicts: tuple[Verdicts, ...]                   # one per combination
    fixed: Mapping[str, str]                         # readings held fixed by --reading

    def rows(self) -> list[dict]:
        """Per obligation (fired or blocked in some combination): its verdict in each
        combination, whether it is the same in all, and the readings it depends on."""
        verdict_maps = [_verdict_map(v) for v in self.verdicts]
        ids: dict[str, tuple] = {}
        for v in self.verdicts:
            for o in v.obligations:
                ids.setdefault(o.id, (o.fired_on, o.id))
            for n in v.not_fired:
                ids.setdefault(n.id, (10 ** 9, n.id))
        names = [k for k in self.combos[0] if k not in self.fixed] if self.combos else []
        rows = []
        for ob_id in sorted(ids, key=lambda i: ids[i]):
            cells = [m.get(ob_id, "does not arise") for m in verdict_maps]
            depends = [name for name in names if _depends(self.combos, cells, name)]
            rows.append({"id": ob_id, "verdicts": cells, "invariant": len(set(cells)) == 1,
                         "depends_on": depends})
        return rows


def _verdict_map(v: Verdicts) -> dict[str, str]:
    out = {}
    for o in v.obligations:
        out[o.id] = o.status if o.certainty == "certain" else "possibly " + "|".join(o.statuses)
    for n in v.not_fired:
        out.setdefault(n.id, "not fired (" + ", ".join(n.blocked_by) + ")")
    return out


def _depends(combos, cells, name) -> bool:
    """True when changing reading ``name`` alone, the others held, changes the verdict."""
    groups: dict = {}
    for combo, cell in zip(combos, cells):
        key = tuple((k, v) for k, v in combo.items() if k != name)
        groups.setdefault(key, set()).add(cell)
    return any(len(cells_) > 1 for cells_ in groups.values())


def reading_combinations(pack: Pack, fixed: Mapping[str, str]) -> list[dict[str, str]]:
    """Every combination of the pack's readings, the ``fixed`` ones held (pack order)."""
    names = list(pack.readings)
    choices = [(fixed[n],) if n in fixed else pack.readings[n].choices for n in names]
    return [dict(zip(names, combo)) for combo in itertools.product(*choices)]


def all_readings(path, *, rules_root: Path | None = None, as_of: str | None = None,
                 readings: Mapping[str, str] | None = None,
                 parameters: Mapping[str, int] | None = None,
                 timeout: float | None = None, max_uncertain_days: int | None = None,
                 treaty: str | None = None) -> ReadingsGrid:
    """Check ``path`` under every combination of readings (``readings`` hold some fixed; of a
    history checked under several treaties, those of ``treaty``, the one it is read under)."""
    from checker.engine.check import check_file
    from checker.io.scenario import load_scenario

    scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                   parameters=parameters, max_uncertain_days=max_uncertain_days, treaty=treaty)
    fixed = {k: v for k, v in (readings or {}).items() if k in pack.readings}
    combos = reading_combinations(pack, fixed)
    results = []
    for combo in combos:
        verdicts, _ = check_file(path, rules_root=rules_root, as_of=as_of, readings=combo,
                                 parameters=parameters, timeout=timeout, max_uncertain_days=max_uncertain_days,
                                 treaty=treaty)
        results.append(verdicts)
    return ReadingsGrid(scenario=replace(scenario), combos=tuple(combos), verdicts=tuple(results),
                        fixed=fixed)


def all_readings_of_history(path, *, treaties: Sequence[str] = (), rules_root: Path | None = None,
                            as_of: str | None = None, readings: Mapping[str, str] | None = None,
                            parameters: Mapping[str, int] | None = None, timeout: float | None = None,
                            max_uncertain_days: int | None = None) -> list[ReadingsGrid]:
    """all_readings under each treaty ``path`` is checked under (``treaties``, else those its
    ``treaty:`` names), each holding fixed the given ``readings`` (and ``parameters``) it declares."""
    from checker.io.scenario import load_histories

    views = load_histories(path, rules_root=rules_root, treaties=treaties, as_of=as_of, readings=readings,
                           parameters=parameters, max_uncertain_days=max_uncertain_days)
    return [all_readings(path, rules_root=rules_root, as_of=as_of, timeout=timeout, treaty=pack.name,
                         max_uncertain_days=max_uncertain_days, **declared_by(pack, readings, parameters))
            for _, pack in views]


def declared_by(pack: Pack, readings: Mapping[str, str] | None,
                parameters: Mapping[str, int | None] | None) -> dict[str, dict]:
    """Of the ``readings`` and ``parameters`` given for a history of several treaties, those
    ``pack`` declares (the others are the other treaties'), as keyword arguments."""
    return {"readings": {k: v for k, v in (readings or {}).items() if k in pack.readings},
            "parameters": {k: v for k, v in (parameters or {}).items() if k in pack.parameters}}
