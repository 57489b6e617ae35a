"""Grounding and solving: the rule files of a pack plus a scenario's facts, one model out.

The rules are stratified, so there is exactly one answer set; a second model, or none,
means the pack is broken and is reported as such. A check grounds the rules with the part
`report` of rules/common/lifecycle.lp and reads its model's shown terms, one per duty
(decode.py). Scenarios with uncertain facts ground the part `shown` instead: brave and
cautious consequences range over its shown atoms.
"""

from __future__ import annotations

import time
from pathlib import Path

from checker.engine.decode import REPORT_PART, SHOWN_PART
from checker.engine.facts import InputFacts, add_symbols
from checker.errors import PackError, SolveTimeout
from checker.io.pack import Pack, rule_files
from checker.model import Scenario

# A check's facts reach the grounder through functions it calls while grounding
# (facts.InputFacts), which give the values of the input predicates as symbols: no scenario
# value is ever program text, no fact costs the backend's two calls, and few cost a symbol of
# their own. An event is one tuple, its position in the file included (seq/2); a field's value
# is one tuple, and the events that have it are the ids already made for event/3 (at 10 000
# events, 34 000 arg/3 facts from 1 000 values).
INPUT_PROGRAM = """
event(E, T, D) :- (E, T, D, _) = @event.
seq(E, S) :- (E, _, _, S) = @event.
arg(E, F, V) :- (F, V, N) = @arg_value, E = @events_with(N).
next_day(D1, D2) :- (D1, D2) = @next_day.
role(P, L) :- (P, L) = @role.
role_since(P, L, D) :- (P, L, D) = @role_since.
pack_date(K, D) :- (K, D) = @pack_date.
region(R) :- (R,) = @region.
region_state(R, S) :- (R, S) = @region_state.
region_attr(R, A) :- (R, A) = @region_attr.
excluded(R) :- (R,) = @excluded.
reading(K, V) :- (K, V) = @reading.
param(K, N) :- (K, N) = @param.
provision(P, K) :- (P, K) = @provision.
provision_deadline(P, M) :- (P, M) = @provision_deadline.
as_of(D) :- (D,) = @as_of.
in_force_from(D) :- (D,) = @in_force_from.
"""


class Solution:
    """The shown terms of the one model (``shown``), how long each phase took (seconds),
    and the grounded control when it was kept for explanations (further steps)."""

    __slots__ = ("shown", "timings", "control")

    def __init__(self, shown: list, timings: dict[str, float], control=None):
        self.shown, self.timings, self.control = shown, timings, control


class Problem:
    """A pack's rules with a scenario's facts, not yet grounded (see prepare)."""

    __slots__ = ("ctl", "inputs", "messages", "path", "pack", "began", "timings")

    def __init__(self, ctl, inputs, messages: list[str], path: str, pack: str, began: float):
        self.ctl, self.inputs, self.messages = ctl, inputs, messages
        self.path, self.pack, self.began = path, pack, began
        self.timings: dict[str, float] = {}


def prepare(scenario: Scenario, pack: Pack, *, extra_files: list[Path] | None = None,
            on_phase=None) -> Problem:
    """A control with the rules of ``pack`` and the facts of ``scenario``: the first half of
    solve. Once it returns the scenario's events are no longer needed: a caller that reports
    verdicts only can let them go before the long part."""
    began = time.perf_counter()
    ctl, messages = control(pack, ["--warn=none", "--models=2"], extra_files)
    problem = Problem(ctl, give_inputs(ctl, scenario, pack), messages, scenario.path, pack.name, began)
    problem.timings["facts"] = time.perf_counter() - began
    if on_phase is not None:
        on_phase("facts", ctl)
    return problem


def solve(scenario: Scenario, pack: Pack, *, timeout: float | None = None,
          extra_files: list[Path] | None = None, keep_control: bool = False,
          on_phase=None) -> Solution:
    """Ground and solve ``scenario`` under ``pack`` and take the shown terms of its one model
    (the part `report`: decode.decode reads them); PackError if the rules misbehave.

    ``on_phase(name, control)`` is called as each phase ends ("facts", "ground", "solve"):
    the benchmark reads clingo's statistics there.
    """
    problem = prepare(scenario, pack, extra_files=extra_files, on_phase=on_phase)
    return solve_prepared(problem, timeout=timeout, keep_control=keep_control, on_phase=on_phase)


def solve_prepared(problem: Problem, *, timeout: float | None = None, keep_control: bool = False,
                   on_phase=None) -> Solution:
    """The second half of solve: ground, solve, take the shown terms. Unless
    ``keep_control``, the control is let go of before returning."""
    ctl, messages, timings = problem.ctl, problem.messages, problem.timings
    inputs, problem.ctl, problem.inputs = problem.inputs, None, None
    start = time.perf_counter()
    ground(ctl, messages, (("base", []), (REPORT_PART, [])), inputs)
    del inputs
    timings["ground"] = time.perf_counter() - start
    if on_phase is not None:
        on_phase("ground", ctl)
    if timeout is not None:
        # grounding cannot be interrupted from Python: the budget is checked as soon as it
        # returns, and solving gets what is left. (Grounding in a daemon thread does give
        # control back on time, since the binding releases the GIL, but the abandoned
        # grounding then crashed the process at exit, SIGSEGV in 7 of 10 runs measured: an
        # exit code 139 instead of 2. Only a child process could stop it for sure.)
        timeout -= time.perf_counter() - problem.began
        if timeout <= 0:
            raise SolveTimeout(f"{problem.path}:1: timeout: checking took longer than the time allowed "
                               "(--timeout), while grounding")

    start = time.perf_counter()
    models = _models(ctl, timeout, problem.path)
    if len(models) != 1:
        raise PackError(f"rules: {problem.pack} gave {len(models) or 'no'} answer set"
                        f"{'s' if len(models) != 1 else ''} for {problem.path}; "
                        "the rules must be stratified and give exactly one")
    timings["solve"] = time.perf_counter() - start
    if on_phase is not None:
        on_phase("solve", ctl)
    return Solution(models[0], timings, ctl if keep_control else None)


def _models(ctl, timeout: float | None, path: str) -> list:
    """The shown symbols of each model, up to the control's limit (two: one is expected)."""
    models: list = []
    with ctl.solve(on_model=lambda model: models.append(model.symbols(shown=True)), async_=True) as handle:
        if not (handle.wait() if timeout is None else handle.wait(timeout)):
            handle.cancel()
            raise SolveTimeout(f"{path}:1: timeout: checking took longer than the time allowed "
                               "(--timeout), while solving")
        handle.get()
    return models


def give_inputs(ctl, scenario: Scenario, pack: Pack, chained_days=None) -> InputFacts:
    """Add INPUT_PROGRAM to ``ctl``; the facts of ``scenario`` arrive when it is grounded with
    the context returned (see InputFacts for ``chained_days``)."""
    ctl.add("base", [], INPUT_PROGRAM)
    return InputFacts(scenario, pack, chained_days)


def control(pack: Pack, options: list[str], extra_files=None):
    """A control with the pack's rule files loaded; also the list its logger fills with errors."""
    import clingo  # lazily: keeps `checker --help` fast

    messages: list[str] = []

    def logger(code, message):
        if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
            messages.append(message.strip())

    ctl = clingo.Control(options, logger=logger, message_limit=50)
    try:
        for path in rule_files(pack) + list(extra_files or []):
            ctl.load(str(path))
    except RuntimeError:
        raise PackError("rules: " + ("; ".join(messages) or "the rule files of "
                                     f"{pack.name} do not parse")) from None
    return ctl, messages


def ground(ctl, messages: list[str], parts=(("base", []),), context=None) -> None:
    """Ground ``parts`` of ``ctl`` (``context``: the object whose methods its @-functions
    call); a grounding error is the pack's (PackError)."""
    try:
        ctl.ground(list(parts), context=context)
    except RuntimeError:
        raise PackError("rules: grounding failed: " + "; ".join(messages)) from None


def facts_of(ctl, signatures) -> list[list] | None:
    """The atoms of each of ``signatures`` ((name, arity) pairs) in ``ctl``'s grounding, a
    list of symbols each, or None if one of them is not a fact (then only a model can say
    whether it holds)."""
    atoms = ctl.symbolic_atoms
    out = []
    for name, arity in signatures:
        found = []
        for atom in atoms.by_signature(name, arity):
            if not atom.is_fact:
                return None
            found.append(atom.symbol)
        out.append(found)
    return out


def atoms_of(symbols, signatures) -> list[list]:
    """The symbols of ``symbols`` (a model's atoms) of each of ``signatures``, in order."""
    from clingo import SymbolType

    groups: dict = {sig: [] for sig in signatures}
    for sym in symbols:
        if sym.type == SymbolType.Function:
            group = groups.get((sym.name, len(sym.arguments)))
            if group is not None:
                group.append(sym)
    return list(groups.values())


# --- scenarios with uncertain facts: every possible world in one grounding ------------------

class WorldsSolution:
    """What holds in some world (brave) and in every world (cautious), as shown atoms."""

    __slots__ = ("brave", "cautious", "timings")

    def __init__(self, brave: list, cautious: list, timings: dict[str, float]):
        self.brave, self.cautious, self.timings = brave, cautious, timings


# The choices themselves are rules of the engine (no scenario data in them); the scenario's
# uncertain values reach them as facts. An uncertain event E of type T:
#   uncertain_event(E)              E's facts are chosen per world
#   maybe(E)                        E may not have happened at all
#   candidate_day(E, T, D)          E may have happened on day D
#   candidate_arg(E, F, V)          single-valued field F of E may be V (when E happened)
# Grounding the choices from facts (rather than adding choice rules through the backend)
# lets the grounder see every value an aggregate (the first ending day of a duty...) can take.
WORLDS_PROGRAM = """
1 { event(E, T, D) : candidate_day(E, T, D) } 1 :- uncertain_event(E), not maybe(E).
{ event(E, T, D) : candidate_day(E, T, D) } 1 :- uncertain_event(E), maybe(E).
_happened(E) :- uncertain_event(E), event(E, _, _).
_uncertain_field(E, F) :- candidate_arg(E, F, _).
1 { arg(E, F, V) : candidate_arg(E, F, V) } 1 :- _uncertain_field(E, F), _happened(E).
#defined maybe/1. #defined candidate_arg/3.
"""

# engine-side output, no scenario data: whether a duty fires at all, whatever its day
WORLDS_SHOW = "#show fires(O) : fired(O, _)."


def ground_worlds(scenario: Scenario, pack: Pack, *, extra_files: list[Path] | None = None):
    """A grounded control whose answer sets are the possible worlds of ``scenario``."""
    from checker.engine.facts import uncertain_fact_symbols

    ctl, messages = control(pack, ["--warn=none"], extra_files)
    add_symbols(ctl, uncertain_fact_symbols(scenario, pack))
    add_worlds_program(ctl)
    ground(ctl, messages, (("base", []), (SHOWN_PART, [])))
    return ctl


def add_worlds_program(ctl) -> None:
    """Give ``ctl`` the engine's program of possible worlds and its output."""
    ctl.add("base", [], WORLDS_PROGRAM)
    # a duty may fire on different days in different worlds: "it fires" is its own output
    ctl.add("base", [], WORLDS_SHOW)


def _consequences(ctl, mode: str, timeout: float | None, path: str) -> list:
    ctl.configuration.solve.enum_mode = mode
    ctl.configuration.solve.models = 0
    last: list = []

    def on_model(model):
        last[:] = model.symbols(shown=True)

    with ctl.solve(on_model=on_model, async_=True) as handle:
        if not (handle.wait() if timeout is None else handle.wait(timeout)):
            handle.cancel()
            raise SolveTimeout(f"solving {path} took longer than {timeout:g} s")
        result = handle.get()
    if not result.satisfiable:
        raise PackError(f"rules: no possible world for {path}: the uncertain facts exclude each other")
    return last


def solve_worlds(scenario: Scenario, pack: Pack, *, timeout: float | None = None) -> WorldsSolution:
    """Brave and cautious consequences over every possible world of ``scenario``."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    ctl = ground_worlds(scenario, pack)
    timings["ground"] = time.perf_counter() - start
    start = time.perf_counter()
    brave = _consequences(ctl, "brave", timeout, scenario.path)
    cautious = _consequences(ctl, "cautious", timeout, scenario.path)
    timings["solve"] = time.perf_counter() - start
    return WorldsSolution(brave, cautious, timings)
