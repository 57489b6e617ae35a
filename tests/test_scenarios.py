"""Every bundled scenario's ``expect:`` block holds (one test per expectation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.check import check_file
from checker.expect import evaluate
from checker.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "facts").rglob("*.yaml"))


def _cases():
    for path in SCENARIOS:
        scenario, _ = load_scenario(path)
        for e in scenario.expectations:
            yield pytest.param(path, e.name, id=f"{path.relative_to(ROOT)}::{e.name}")


_RESULTS: dict[Path, dict] = {}


def _outcomes(path: Path) -> dict:
    if path not in _RESULTS:
        verdicts, _ = check_file(path)
        _RESULTS[path] = {o.name: o for o in evaluate(verdicts)}
    return _RESULTS[path]


@pytest.mark.parametrize("path,name", list(_cases()))
def test_expectation(path: Path, name: str) -> None:
    outcome = _outcomes(path)[name]
    assert outcome.passed, f"{name}: expected {outcome.expected}, got {outcome.actual}"


def test_every_scenario_has_expectations() -> None:
    assert len(SCENARIOS) >= 12
    for path in SCENARIOS:
        scenario, _ = load_scenario(path)
        assert scenario.expectations, f"{path} has no expect: block"
