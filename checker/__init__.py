"""treaty-checker: compliance of event histories with treaties written as answer-set programs.

The public API: ``check_file`` (a scenario file in, verdicts out), ``load_scenario``,
``load_pack``, the domain objects, and the error types. Everything else is private.
Names are imported on first use, so that ``checker --help`` does not load clingo.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "check_file": "engine.check", "load_scenario": "io.scenario", "load_pack": "io.pack",
    "Pack": "io.pack", "Scenario": "model", "Event": "model", "Expectation": "model",
    "Obligation": "model", "NotFired": "model", "Verdicts": "model", "CheckerError": "errors",
    "PackError": "errors", "ScenarioError": "errors", "UsageError": "errors", "Problem": "errors",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
