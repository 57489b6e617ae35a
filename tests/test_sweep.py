"""Sweeps (`checker sweep`): a grid of varied inputs, grounded once, each point solved on its own."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.gridsummary import summarize
from checker.analysis.sweep import Chunk, GridPlan, SweepResult, Table, parse_vary, plan_sweep, reference_cells, run, sweep
from checker.analysis.whatif import make_edits, what_if
from checker.cli.main import app
from checker.engine.check import check_file
from checker.io.pack import load_pack
from checker.render.text import sweep_text

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
GRID = FACTS / "hybrid-grid.yaml"


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_every_point_agrees_with_a_whatif_of_the_same_edit() -> None:
    result = sweep(GRID, ["consult-1.date=-1..+2", "arms-uk.date=0,2"], jobs=1)
    assert result.points == [(a, b) for a in (-1, 0, 1, 2) for b in (0, 2)]
    for (shift_consult, shift_arms), verdicts in zip(result.points, result.verdicts):
        expected = what_if(GRID, make_edits(shift=[f"consult-1={shift_consult:+d}d",
                                                   f"arms-uk={shift_arms:+d}d"])).after
        assert verdicts["art4.consult/uk/grid-attack"] == expected.obligation("art4.consult/uk/grid-attack").status
        assert verdicts["art5.report/uk/arms-uk"] == expected.obligation("art5.report/uk/arms-uk").status
    assert "art4.consult/uk/grid-attack" in result.changing()
    assert "art4.consult/china/grid-attack" not in result.changing()
    assert result.table.groundings == 1   # one grounding for the eight points


def test_readings_and_parameters_are_dimensions_too() -> None:
    result = sweep(FACTS / "as-requested.yaml", ["reading.assistance_means=*", "param.assistance_days=2..3"],
                   jobs=1)
    assert len(result.points) == 4
    for (means, days), verdicts in zip(result.points, result.verdicts):
        plain, _ = check_file(FACTS / "as-requested.yaml", readings={"assistance_means": means},
                              parameters={"assistance_days": days})
        assert verdicts == {o.id: o.status for o in plain.obligations} | {
            n.id: "not fired: " + ", ".join(n.blocked_by) for n in plain.not_fired}
    assert result.table.groundings == 1


def test_an_event_switched_off_and_on_and_made_uncertain() -> None:
    # arms-uk dropped: the UK's assistance duty is breached and its report duty does not arise;
    # maybe: both become uncertain (two groundings: one for certain points, one for possible worlds)
    plan = plan_sweep(GRID, ["arms-uk.occurred=true,false,maybe", "consult-1.date=0,3"])
    result = run(plan, jobs=1)
    by_point = dict(zip(result.points, result.verdicts))
    assert by_point[("true", 0)]["art4.assist/uk/grid-attack"] == "fulfilled"
    assert by_point[("false", 0)]["art4.assist/uk/grid-attack"] == "breached"
    assert "art5.report/uk/arms-uk" not in by_point[("false", 0)]
    assert by_point[("maybe", 0)]["art4.assist/uk/grid-attack"] == "possibly breached|fulfilled"
    assert result.table.groundings == 2
    for i, point in enumerate(result.points):
        assert result.verdicts[i] == reference_cells(GRID, plan.dims, point)


def test_fields_take_each_value_as_the_file_would() -> None:
    plan = plan_sweep(GRID, ["arms-uk.means=armaments,armed_force", "arms-uk.by=uk,usa"])
    result = run(plan, jobs=1)
    for i, point in enumerate(result.points):
        assert result.verdicts[i] == reference_cells(GRID, plan.dims, point)
    assert dict(zip(result.points, result.verdicts))[("armaments", "usa")]["art4.assist/usa/grid-attack"] == "fulfilled"


def test_a_file_without_as_of_takes_it_from_the_moved_events(tmp_path) -> None:
    text = GRID.read_text(encoding="utf-8").replace("as_of: 2027-03-20\n", "")
    path = tmp_path / "no-as-of.yaml"
    path.write_text(text, encoding="utf-8")
    plan = plan_sweep(path, ["report-uk.date=-3..+40", "arms-uk.occurred=true,false"])
    assert plan.variation.derive_as_of
    result = run(plan, jobs=1)
    for i in (0, 5, 44, 87):
        assert result.verdicts[i] == reference_cells(path, plan.dims, plan.values(i))


def test_processes_give_the_points_in_order() -> None:
    one = sweep(GRID, ["consult-1.date=-4..+4", "param.assistance_days=1..3"], jobs=1)
    two = sweep(GRID, ["consult-1.date=-4..+4", "param.assistance_days=1..3"], jobs=2)
    assert two.workers == 2 and one.verdicts == two.verdicts


def test_text_groups_the_points_that_give_the_same_verdicts() -> None:
    result = _run("sweep", GRID, "--vary", "consult-1.date=-10..+10", "--vary", "arms-uk.date=0..9",
                  "--vary", "reading.assistance_means=*", "-j", "1")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1].startswith("sweep: consult-1.date (21) × arms-uk.date (10) × reading.assistance_means (2) "
                               "= 420 points; 1 grounding, 1 process")
    assert "  30 verdicts are the same at every point; 11 change, in 3 groups." in lines
    assert "  changes nothing: reading.assistance_means" in lines
    rows = [" ".join(line.split()) for line in lines]
    assert "-10d..-3d +0d fulfilled breached late" in rows
    assert "+2d..+10d +3d..+9d late late breached" in rows
    assert "[3] art5.report/uk/arms-uk (on arms-uk.date)" in rows
    assert len(lines) < 25


def test_a_ten_thousand_point_grid_fits_on_one_screen() -> None:
    # a grid whose verdicts change along every dimension, in a pattern of its own
    pack = load_pack("istanbul-2022", ROOT / "rules")
    dims = [d for text in ("a.date=0..24", "b.date=0..19", "reading.assistance_means=*", "c.date=0..9")
            for d in parse_vary(text, pack)]
    plan = GridPlan("grid.yaml", "a grid", tuple(dims), None, pack, None, ())
    table = Table()
    ids = tuple(f"p{k}.duty/holder" for k in range(40))
    profiles, points = [], []
    for i in range(plan.size):
        a, b, r, c = plan.indices(i)
        row = tuple("late" if (k % 5 == 0 and a > k % 20) or (k % 5 == 1 and b * r > 7) or (k % 7 == 2 and c == 3)
                    else "fulfilled" for k in range(len(ids)))
        if row not in profiles:
            profiles.append(row)
        points.append(profiles.index(row))
    table.add(Chunk(0, ids, profiles, points))
    assert plan.size == 10_000
    text = sweep_text("grid.yaml", SweepResult(plan, table, 1, 1.0), summarize(plan, table))
    lines = text.splitlines()
    assert len(lines) <= 50 and max(len(line) for line in lines) <= 160
    assert "... " in text   # the rows that do not fit are counted, not printed


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
    assert doc["groundings"] == 1 and len(doc["points"]) == 2


def test_output_is_written_whole_and_never_over_a_file_unasked(tmp_path) -> None:
    out = tmp_path / "grid.csv"
    first = _run("sweep", GRID, "--vary", "consult-1.date=-1..+1", "-f", "csv", "-o", out)
    assert first.exit_code == 1 and first.stdout == ""   # (points with a breach)
    assert out.read_text(encoding="utf-8").startswith("consult-1.date,obligation,verdict\n")
    again = _run("sweep", GRID, "--vary", "consult-1.date=-1..+1", "-f", "csv", "-o", out)
    assert again.exit_code == 2 and again.stderr == f"--output: {out} exists; give --force to replace it\n"
    # a point that fails leaves no file behind
    bad = _run("sweep", GRID, "--vary", "grid-attack.by=russia,rusia", "-f", "csv", "-o", tmp_path / "x.csv")
    assert bad.exit_code == 2 and not (tmp_path / "x.csv").exists()
    assert list(tmp_path.iterdir()) == [out]


def test_parquet_streams_a_row_per_point_and_duty(tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed "
                                                       "(pip install 'treaty-checker[parquet]')")
    out = tmp_path / "grid.parquet"
    result = _run("sweep", GRID, "--vary", "consult-1.date=-2..+2", "--vary", "arms-uk.date=0..3",
                  "-f", "parquet", "-o", out)
    assert result.exit_code == 1, result.output
    table = pq.read_table(out)
    assert table.column_names == ["consult-1.date", "arms-uk.date", "point", "obligation", "verdict"]
    assert table.num_rows == 20 * 41
    rows = table.to_pylist()
    assert {"consult-1.date": "+2d", "arms-uk.date": "+3d", "point": 19, "obligation": "art5.report/uk/arms-uk",
            "verdict": "breached"} in rows
    refused = _run("sweep", GRID, "--vary", "consult-1.date=-2..+2", "-f", "parquet")
    assert refused.exit_code == 0 or refused.stdout_bytes.startswith(b"PAR1")


@pytest.mark.parametrize("vary,line", [
    ("consult-2.date=-1..1", "--vary: no event 'consult-2' (did you mean 'consult-1'?)"),
    ("reading.assistance=*", "--vary: istanbul-2022 has no reading 'assistance' (did you mean 'assistance_means'?)"),
    ("param.consultation_days=5..2", "--vary: '5..2' is not a range LOW..HIGH (LOW is above HIGH)"),
    ("param.consultation_days=0..20000", "--vary: '0..20000' holds 20001 values; a range holds at most 10000"),
    ("consult-1.date=+3652000..+3652001",
     "--vary: consult-1.date=+3652000d moves consult-1 outside the calendar (0001-01-01 to 9999-12-31)"),
    ("consult-1.occurred=yes", "--vary: consult-1.occurred='yes': an event occurred true, false or maybe"),
    ("consult-1.type=appeal", "--vary: an event's type cannot be varied (vary consult-1.occurred and add another event)"),
    ("grid-attack.by=russia,rusia",
     f"{GRID}:15: events[0].by: unknown party 'rusia' (did you mean 'russia' or 'usa'?) (at grid-attack.by=rusia)"),
])
def test_bad_dimensions_are_one_line_and_exit_2(vary, line) -> None:
    result = _run("sweep", GRID, "--vary", vary)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"


def test_the_grid_is_bounded_before_it_is_built() -> None:
    result = _run("sweep", GRID, "--vary", "consult-1.date=-300..+300", "--vary", "arms-uk.date=-200..+200")
    assert result.exit_code == 2
    assert result.stderr == ("--vary: the grid has 241001 points, more than the 100000 allowed; "
                             "--max-points N raises the limit\n")
    small = _run("sweep", GRID, "--vary", "consult-1.date=-3..+3", "--max-points", "5")
    assert small.stderr == "--vary: the grid has 7 points, more than the 5 allowed; --max-points N raises the limit\n"


def test_the_same_dimension_twice_is_refused() -> None:
    result = _run("sweep", GRID, "--vary", "consult-1.date=1", "--vary", "consult-1.date=2")
    assert result.exit_code == 2 and result.stderr == "--vary: consult-1.date is varied twice\n"


def test_the_progress_bar_draws_on_a_terminal_only() -> None:
    from rich.console import Console

    from checker.render.meter import Meter

    screen = io.StringIO()
    meter = Meter("sweep", console=Console(file=screen, force_terminal=True, width=120))
    for done in (100, 500, 1000):
        meter(done, 1000)
    meter.close()
    drawn = screen.getvalue()
    assert "1000/1000" in drawn and "points" in drawn and "left" in drawn
    assert Meter("sweep").enabled is False   # stderr is no terminal under pytest
