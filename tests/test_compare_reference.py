"""Every bundled scenario keeps its report while the packs share a vocabulary.

tests/data/bundled-reports.json is the JSON report (treaty-checker/report@1) of every
scenario of the bundled packs and of the test packs, made once by the checker as it was
before the event types moved to rules/common/vocabulary.yaml, from the root of a checkout of
that revision::

    python -m checker check facts/ tests/packs/aggregates/facts tests/packs/shapes/facts \\
        --format json > tests/data/bundled-reports.json

A change that is meant to change a verdict regenerates it the same way, and says why in its
commit. A key the reference does not have (added to the report since) is not compared; every
key it has must keep its value, verdicts, explanations' sources and order included.
"""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from tests.helpers import ROOT

REFERENCE = ROOT / "tests" / "data" / "bundled-reports.json"


def _kept(reference, now):
    """``now`` with only the keys ``reference`` has (recursively), to compare the two."""
    if isinstance(reference, dict) and isinstance(now, dict):
        return {k: _kept(reference[k], now[k]) if k in now else now.get(k) for k in reference}
    if isinstance(reference, list) and isinstance(now, list) and len(reference) == len(now):
        return [_kept(r, n) for r, n in zip(reference, now)]
    return now


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    reference = json.loads(REFERENCE.read_text())
    files = [s["file"] for s in reference["scenarios"]]
    runner = CliRunner()
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(app, ["check", *files, "--format", "json"], env={"NO_COLOR": "1"})
    finally:
        os.chdir(here)
    assert result.exit_code in (0, 1), result.stderr
    return reference, json.loads(result.stdout)


def test_every_bundled_scenario_is_still_checked(reports):
    reference, now = reports
    assert [s["file"] for s in now["scenarios"]] == [s["file"] for s in reference["scenarios"]]
    assert len(reference["scenarios"]) >= 60   # facts/ of the three packs, and the test packs


def test_every_bundled_scenario_keeps_its_report(reports):
    reference, now = reports
    changed = [r["file"] for r, n in zip(reference["scenarios"], now["scenarios"]) if _kept(r, n) != r]
    assert not changed, f"reports changed: {changed}"
