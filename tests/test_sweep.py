"""Sweeps (`checker sweep`): a grid of varied inputs, each point checked on its own."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.sweep import sweep
from checker.analysis.whatif import make_edits, what_if
from checker.cli.main import app
from checker.engine.check import check_file

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
GRID = FACTS / "hybrid-grid.yaml"


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_every_point_agrees_with_a_whatif_of_the_same_edit() -> None:
    result = sweep(GRID, ["consult-1.date=-1..+2", "arms-uk.date=0,2"], jobs=2)
    assert result.points == [(a, b) for a in (-1, 0, 1, 2) for b in (0, 2)]
    for (shift_consult, shift_arms), verdicts in zip(result.points, result.verdicts):
        expected = what_if(GRID, make_edits(shift=[f"consult-1={shift_consult:+d}d",
                                                   f"arms-uk={shift_arms:+d}d"])).after
        assert verdicts["art4.consult/uk/grid-attack"] == expected.obligation("art4.consult/uk/grid-attack").status
        assert verdicts["art5.report/uk/arms-uk"] == expected.obligation("art5.report/uk/arms-uk").status
    assert "art4.consult/uk/grid-attack" in result.changing()
    assert "art4.consult/china/grid-attack" not in result.changing()


def test_readings_and_parameters_are_dimensions_too() -> None:
    result = sweep(FACTS / "as-requested.yaml", ["reading.assistance_means=*", "param.assistance_days=2..3"],
                   jobs=1)
    assert len(result.points) == 4
    for (means, days), verdicts in zip(result.points, result.verdicts):
        plain, _ = check_file(FACTS / "as-requested.yaml", readings={"assistance_means": means},
                              parameters={"assistance_days": days})
        assert verdicts == {o.id: o.status for o in plain.obligations} | {
            n.id: "not fired: " + ", ".join(n.blocked_by) for n in plain.not_fired}


def test_text_groups_obligations_that_change_together() -> None:
    result = _run("sweep", GRID, "--vary", "consult-1.date=-1..+2", "-j", "2")
    assert result.exit_code == 1
    assert "consult-1.date (4) = 4 runs on 2 worker(s)" in result.stdout
    assert "[1] art4.consult/canada/grid-attack, art4.consult/france/grid-attack" in result.stdout
    assert "  +2d             late" in result.stdout


def test_csv_and_json() -> None:
    rows = list(csv.reader(io.StringIO(_run("sweep", GRID, "--vary", "param.consultation_days=1,3",
                                            "-f", "csv").stdout)))
    assert rows[0] == ["param.consultation_days", "obligation", "verdict"]
    assert ["1", "art4.consult/uk/grid-attack", "late"] in rows
    assert ["3", "art4.consult/uk/grid-attack", "fulfilled"] in rows
    doc = json.loads(_run("sweep", GRID, "--vary", "param.consultation_days=1,3", "-f", "json").stdout)
    assert doc["format"] == "treaty-checker/sweep@1"
    assert doc["dimensions"] == [{"name": "param.consultation_days", "values": ["1", "3"]}]
    assert "art4.consult/uk/grid-attack" in doc["changing"]


@pytest.mark.parametrize("vary,line", [
    ("consult-2.date=-1..1", "--vary: no event 'consult-2' (did you mean 'consult-1'?)"),
    ("reading.assistance=*", "--vary: istanbul-2022 has no reading 'assistance' (did you mean 'assistance_means'?)"),
    ("param.consultation_days=5..2", "--vary: '5..2' is not a range LOW..HIGH"),
    ("grid-attack.by=russia,rusia",
     f"{GRID}:15: events[0].by: unknown party 'rusia' (did you mean 'russia' or 'usa'?) (at grid-attack.by=rusia)"),
])
def test_bad_dimensions_are_one_line_and_exit_2(vary, line) -> None:
    result = _run("sweep", GRID, "--vary", vary)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"
