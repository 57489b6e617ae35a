"""The pack's rules over the history, with the events a repair may add: a control for a probe or
an optimisation, grounded, solved within the time allowed, and its shown atoms read.

Added events and everything a repair tells the rules reach the grounder as symbols through
clingo's backend (engine.facts.add_symbols); the history's facts are the engine's own
(engine.solve.give_inputs).
"""

from __future__ import annotations

from checker.engine.facts import add_symbols
from checker.engine.solve import control, give_inputs, ground
from checker.io.pack import Pack
from checker.model import Scenario


class Rules:
    """The pack's rules and the history of ``scenario``, for controls with added symbols;
    ``timeout``: how long each solve may take (None: no limit)."""

    def __init__(self, scenario: Scenario, pack: Pack, timeout: float | None):
        self.scenario, self.pack, self.timeout = scenario, pack, timeout
        self.history_days = {e.day for e in scenario.events if e.day <= scenario.as_of}

    def control(self, args: list[str]) -> tuple:
        """A control with the pack's rules loaded (and the list its logger fills with errors):
        the caller adds its program, then grounds it (``ground``)."""
        return control(self.pack, ["--warn=none"] + args)

    def ground(self, ctl, messages: list[str], symbols=(), days=(), parts=(("base", []),)) -> None:
        """Ground ``parts`` of ``ctl`` over the history's facts and the ``symbols``; ``days``:
        the days added events may fall on."""
        # every day an event may fall on is chained, so that "the first X on or after D"
        # (first_on_or_after.lp) sees added events too
        inputs = give_inputs(ctl, self.scenario, self.pack, chained_days=sorted(self.history_days.union(days)))
        if symbols:
            add_symbols(ctl, symbols)
        ground(ctl, messages, parts, inputs)

    def wait(self, ctl, on_model):
        """Solve ``ctl`` (models to ``on_model``): its result, or None when out of time."""
        with ctl.solve(on_model=on_model, async_=True) as handle:
            if not (handle.wait() if self.timeout is None else handle.wait(self.timeout)):
                handle.cancel()
                return None
            return handle.get()


def shown_atoms(symbols, names=None) -> list[tuple]:
    """Atoms of an optimisation's model as tuples (name, its arguments...), a field named by
    ``picked(K, Field, Value)`` as its name (those named ``names`` only, if given)."""
    out = []
    for sym in symbols:
        name = sym.name
        if names is None or name in names:
            args = sym.arguments
            if name == "picked":
                args[1] = args[1].name
            out.append((name, *args))
    return out
