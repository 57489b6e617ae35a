"""treaty-checker: compliance of event histories with treaties written as answer-set programs.

The public API: ``check_file`` (a scenario file in, verdicts out), ``load_scenario``,
``load_pack``, the domain objects, and the error types. Everything else is private.
"""

from .check import check_file
from .errors import CheckerError, PackError, Problem, ScenarioError, UsageError
from .loader import load_scenario
from .model import Event, Expectation, NotFired, Obligation, Scenario, Verdicts
from .pack import Pack, load_pack

__all__ = [
    "check_file", "load_scenario", "load_pack", "Pack", "Scenario", "Event", "Expectation",
    "Obligation", "NotFired", "Verdicts", "CheckerError", "PackError", "ScenarioError",
    "UsageError", "Problem",
]
