"""Grounding and solving: the rule files of a pack plus a scenario's facts, one model out.

The rules are stratified, so there is exactly one answer set; a second model, or none,
means the pack is broken and is reported as such. Every atom of a stratified program is a
fact of its grounding: a check reads the predicates it reports straight off the grounder
(clingo_io.read_facts) and solves only to make sure there is one model. Scenarios with
uncertain facts also ground the rules' ``shown`` part: brave and cautious consequences range
over shown atoms.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from checker.engine.clingo_io import add_facts, atoms_of, read_facts
from checker.engine.facts import fact_tuples
from checker.errors import PackError, SolveTimeout
from checker.io.pack import Pack, rule_files
from checker.model import Scenario

# the program part of the rules that holds their #show statements (rules/common/lifecycle.lp)
SHOWN_PART = "shown"


@dataclass
class Solution:
    """The atoms of the one model that were asked for (one clingo_io.Atoms per signature),
    and how long each phase took (seconds)."""

    symbols: list
    timings: dict[str, float] = field(default_factory=dict)
    control: object | None = None   # kept (keep_control=True) for explanations: further steps


@dataclass
class Problem:
    """A pack's rules with a scenario's facts, not yet grounded (see prepare)."""

    ctl: object
    messages: list[str]
    path: str
    pack: str
    began: float
    timings: dict[str, float] = field(default_factory=dict)


def prepare(scenario: Scenario, pack: Pack, *, extra_files: list[Path] | None = None,
            on_phase=None) -> Problem:
    """A control with the rules of ``pack`` and the facts of ``scenario``: the first half of
    solve. Once it returns the scenario's events are no longer needed: a caller that reports
    verdicts only can let them go before the long part (at 100 000 events, 100 MB)."""
    import clingo  # lazily: keeps `checker --help` fast

    began = time.perf_counter()
    ctl, messages = _control(pack, ["--warn=none", "--models=2"], extra_files, clingo)
    add_facts(ctl, fact_tuples(scenario, pack))
    problem = Problem(ctl, messages, scenario.path, pack.name, began)
    problem.timings["facts"] = time.perf_counter() - began
    if on_phase is not None:
        on_phase("facts", ctl)
    return problem


def solve(scenario: Scenario, pack: Pack, *, read=(), timeout: float | None = None,
          extra_files: list[Path] | None = None, keep_control: bool = False,
          on_phase=None) -> Solution:
    """Ground and solve ``scenario`` under ``pack``, and read the atoms of the signatures
    ``read`` ((name, arity) pairs) in its one model; PackError if the rules misbehave.

    ``on_phase(name, control)`` is called as each phase ends ("facts", "ground", "solve"):
    the benchmark reads peak memory and clingo's statistics there.
    """
    problem = prepare(scenario, pack, extra_files=extra_files, on_phase=on_phase)
    return solve_prepared(problem, read=read, timeout=timeout, keep_control=keep_control,
                          on_phase=on_phase)


def solve_prepared(problem: Problem, *, read=(), timeout: float | None = None,
                   keep_control: bool = False, on_phase=None) -> Solution:
    """The second half of solve: ground, solve, read. Unless ``keep_control``, the control
    is let go of before returning, and its memory given back to the system."""
    ctl, messages, timings = problem.ctl, problem.messages, problem.timings
    problem.ctl = None
    start = time.perf_counter()
    _ground(ctl, messages)
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
    read = tuple(read)
    models = _models(ctl, timeout, problem.path, lambda model: None)
    if len(models) != 1:
        raise PackError(f"rules: {problem.pack} gave {len(models) or 'no'} answer set"
                        f"{'s' if len(models) != 1 else ''} for {problem.path}; "
                        "the rules must be stratified and give exactly one")
    atoms = read_facts(ctl, read)
    if atoms is None:  # some atom is no fact (a pack that is not stratified): the model says
        atoms = _models(ctl, timeout, problem.path, lambda model: atoms_of(model.symbols(atoms=True), read))[0]
    timings["solve"] = time.perf_counter() - start
    if on_phase is not None:
        on_phase("solve", ctl)
    if keep_control:
        return Solution(atoms, timings, ctl)
    del ctl
    _give_back_memory()
    return Solution(atoms, timings, None)


def _models(ctl, timeout: float | None, path: str, take) -> list:
    """``take(model)`` of each model, up to the control's limit (two: one is expected)."""
    models: list = []
    with ctl.solve(on_model=lambda model: models.append(take(model)), async_=True) as handle:
        if not (handle.wait() if timeout is None else handle.wait(timeout)):
            handle.cancel()
            raise SolveTimeout(f"{path}:1: timeout: checking took longer than the time allowed "
                               "(--timeout), while solving")
        handle.get()
    return models


def _give_back_memory() -> None:
    """Return the heap pages freed by a control to the system (glibc keeps them otherwise:
    at 100 000 events, 400 MB that the report would sit on top of)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _control(pack: Pack, options: list[str], extra_files, clingo):
    """A control with the pack's rule files loaded; also the list its logger fills with errors."""
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


def _control_with_facts(pack: Pack, options: list[str], extra_files, symbols, clingo):
    """A control with the pack's rule files loaded and ``symbols`` added as facts through
    the backend (never as program text); also the list its logger fills with errors."""
    ctl, messages = _control(pack, options, extra_files, clingo)
    with ctl.backend() as backend:
        add_atom, add_rule = backend.add_atom, backend.add_rule
        for symbol in symbols:
            add_rule([add_atom(symbol)])
    return ctl, messages


def _ground(ctl, messages: list[str], parts=(("base", []),)) -> None:
    try:
        ctl.ground(list(parts))
    except RuntimeError:
        raise PackError("rules: grounding failed: " + "; ".join(messages)) from None


# --- scenarios with uncertain facts: every possible world in one grounding ------------------

@dataclass
class WorldsSolution:
    """What holds in some world (brave) and in every world (cautious), as shown atoms."""

    brave: list
    cautious: list
    timings: dict[str, float] = field(default_factory=dict)


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
    import clingo

    from checker.engine.facts import uncertain_fact_symbols

    ctl, messages = _control_with_facts(pack, ["--warn=none"], extra_files,
                                        uncertain_fact_symbols(scenario, pack, clingo), clingo)
    ctl.add("base", [], WORLDS_PROGRAM)
    # a duty may fire on different days in different worlds: "it fires" is its own output
    ctl.add("base", [], WORLDS_SHOW)
    _ground(ctl, messages, (("base", []), (SHOWN_PART, [])))
    return ctl


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
