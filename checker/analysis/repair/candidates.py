"""The candidate actions of a repair, and what the probes found out about each.

A candidate is an event the pack's `repairs:` lets a repair add for a duty, on one day of
the duty's repair window (repair_window/3, the pack's repairs.lp). Its key, the term
act(Provision, Holder, Trigger, Day), is also its event's id for the pack's rules: Holder
is the duty's holder when a field of the event names it, `joint` when a list field names
every holder the one event serves (`holders`), and `none` when no field names a holder;
Trigger is the duty's trigger when a field names it, else `none`. So one report on a day is
one candidate whichever help it reports, one consultation on a day serves every holder it
may name, and one event that names no holder (a Council meeting) is one candidate that
serves every duty it may meet. Candidates that differ only in their day make a class
(``Candidate.cls``).

Terms are clingo symbols throughout (compared and hashed by clingo); they cross to another
process as their text (``wired``, ``unwired``: see processes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from checker.analysis.repair.declaration import SPECIAL, RepairSpec
from checker.analysis.repair.processes import Texts
from checker.engine.terms import Encoder
from checker.io.pack import Pack
from checker.model import BREACH_STATUSES, Scenario


@dataclass
class Candidate:
    """One action a repair may add: an event of ``etype`` on ``day`` with ``args``."""

    key: object                      # the symbol act(Provision, Holder | joint, Trigger | none, Day)
    etype: str
    day: int
    args: list                       # (field, value): the value a symbol
    joint: list = field(default_factory=list)   # (duty, list field, holder)
    options: list = field(default_factory=list)  # (field, value, rank): one is picked
    cls: tuple = ()                  # the key's terms without its day: candidates of a class differ in day


class Candidates:
    """The candidate actions found so far (``by_key``), the duties each may meet, and what the
    probes found out about them; then the ones worth trying (reduce.py)."""

    def __init__(self, scenario: Scenario, pack: Pack, specs: Mapping[str, RepairSpec]):
        import clingo

        self.scenario, self.pack, self.specs = scenario, pack, specs
        self._function, self._encode = clingo.Function, Encoder()
        self._joint, self._none = clingo.Function("joint"), clingo.Function("none")
        self.by_key: dict = {}       # key -> its candidate, in the order they were found
        self.days: set = set()       # the days of the candidates
        self._index: dict = {}       # class -> {day: its candidate} (add)
        self._classes: dict = {}     # class -> the one tuple of its candidates' cls
        self.serving: dict = {}      # duty -> the keys of the candidates that may meet it
        self.windows: dict = {}      # duty -> [(first, last)]: its repair windows
        self.late: set = set()       # target duties that were refused: met, they are late
        self.opens: dict = {}        # candidate key -> the duties it opens (probed)
        self.free: dict = {}         # candidate key -> True: what it opens needs no action,
        #                              False: it needs one, None: the probe cannot tell
        self.settled: dict = {}      # opened duty -> True: it needs no action, False: it
        #                              needs one, None: the probe cannot tell
        self.unattributed = False    # some duty was opened by no single candidate
        self.kept: set = set()       # the candidates worth trying (see reduce.py)
        self.needed: set = set()     # the duties the kept candidates must meet or open
        self.openers: dict = {}      # opened duty -> the kept candidates that open it
        self.split = False           # whether the last optimisation solved groups apart
        self.texts = Texts()         # the texts of terms sent to the helper process

    def add(self, windows: Mapping, open_duties) -> int:
        """Candidate actions for each open duty, on every day of its window (as_of at most);
        how many are new."""
        added = 0
        shapes: dict = {}   # provision -> what its candidates carry besides holder and trigger
        encode = self._encode
        for duty in open_duties:
            provision, holder, trigger = duty.arguments
            spec = self.specs[provision.string]
            shape = shapes.get(spec.provision)
            if shape is None:
                etype = self.pack.event_types[spec.event]

                def value(fname, text, etype=etype):
                    stringly = etype.fields[fname].type in ("event", "text")
                    return encode.string(text) if stringly else encode.name(text)

                hows = {h for h in spec.fields.values() if isinstance(h, str)}
                fixed, options = [], []
                for fname, how in spec.fields.items():
                    if isinstance(how, tuple):
                        options.extend((fname, value(fname, v), rank) for rank, v in enumerate(how))
                    elif how not in SPECIAL:
                        fixed.append((fname, value(fname, how)))
                shape = shapes[spec.provision] = (
                    "holders" in hows, "holder" in hows or "holders" in hows, "trigger" in hows, fixed, options,
                    [f for f, how in spec.fields.items() if how == "holder"],
                    [f for f, how in spec.fields.items() if how == "trigger"],
                    [f for f, how in spec.fields.items() if how == "holders"])
            joint, by_holder, by_trigger, fixed, options, holder_fields, trigger_fields, holders_fields = shape
            about = trigger if by_trigger else self._none
            serving = self.serving.setdefault(duty, set())
            # (one tuple per class: reduce tells the classes apart by it)
            named = (provision, self._joint if joint else holder if by_holder else self._none, about)
            cls = self._classes.setdefault(named, named)
            by_day = self._index.setdefault(cls, {})
            with_about = about != self._none
            for first, last in windows.get(duty, ()):
                for day in range(first, min(last, self.scenario.as_of) + 1):
                    c = by_day.get(day)
                    if c is None:
                        key = self._function("act", [*cls, encode.number(day)])
                        args = [(f, holder) for f in holder_fields]
                        if with_about:
                            args += [(f, about) for f in trigger_fields]
                        c = self.by_key[key] = Candidate(key, spec.event, day, args + fixed,
                                                         options=list(options), cls=cls)
                        by_day[day] = c
                        self.days.add(day)
                        added += 1
                    serving.add(c.key)
                    for fname in holders_fields:
                        if (duty, fname, holder) not in c.joint:
                            c.joint.append((duty, fname, holder))
        return added

    def learn(self, probed, opened: Mapping, attribute: bool = True) -> None:
        """What the ``probed`` candidates open (``opened``: {duty: (status, met_by)} from a
        probe), and whether each is free: every duty it opens is fine with no further action."""
        keys = {c.key for c in probed}
        for duty in opened if attribute else ():
            named: list = []
            _named(duty, keys, named)
            if not named:   # opened by the added events together: no day can be left out
                self.unattributed = True
            for key in named:
                self.opens.setdefault(key, []).append(duty)
        for duty, (status, met_by) in opened.items():
            if status in BREACH_STATUSES:
                self.settled[duty] = False
            elif met_by is not None and met_by in self.by_key:
                self.settled[duty] = None   # met by another candidate: maybe not without it
            else:
                self.settled[duty] = True
        for c in probed:
            free = True
            for duty in self.opens.get(c.key, ()):
                if self.settled[duty] is False:
                    free = False
                    break
                if self.settled[duty] is None:
                    free = None
            self.free[c.key] = free


def _named(term, keys, out) -> None:
    """The candidate keys among ``keys`` that ``term`` names, into ``out``."""
    from clingo import SymbolType

    if term in keys:
        out.append(term)
    elif term.type == SymbolType.Function:
        for arg in term.arguments:
            _named(arg, keys, out)


def wired(c: Candidate, texts) -> tuple:
    """Candidate ``c`` as plain values that pickle, its terms as their texts (``texts``: see
    processes.Texts)."""
    return (texts[c.key], c.etype, c.day, [(f, texts[v]) for f, v in c.args],
            [(texts[duty], f, texts[h]) for duty, f, h in c.joint],
            [(f, texts[v], rank) for f, v, rank in c.options])


def unwired(values: tuple, parsed) -> Candidate:
    """The candidate ``wired`` made ``values`` of (``parsed``: see processes.Parsed)."""
    key, etype, day, args, joint, options = values
    return Candidate(parsed[key], etype, day, [(f, parsed[v]) for f, v in args],
                     [(parsed[duty], f, parsed[h]) for duty, f, h in joint],
                     [(f, parsed[v], rank) for f, v, rank in options])
