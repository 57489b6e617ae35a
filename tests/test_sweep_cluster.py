"""Sweeps and corpora on a Dask cluster: the same verdicts as on this machine.

The cluster is a LocalCluster of two workers inside this process (no network beyond the
process itself). dask.distributed is an optional extra: without it these tests are skipped
(.ci/run installs it and runs them).
"""

from __future__ import annotations

import importlib.util
import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.sweep import plan_sweep, run
from checker.cli.main import app

# skipped, not imported, when absent: dask is imported by the tests that run (a suite that only
# collects this file keeps its memory, which tests of a child's peak memory inherit on a fork)
pytestmark = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="dask.distributed is not installed (pip install 'treaty-checker[cluster]')")

ROOT = Path(__file__).resolve().parent.parent
GRID = ROOT / "facts" / "istanbul-2022" / "hybrid-grid.yaml"


@pytest.fixture(scope="module")
def scheduler():
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_sweep_on_the_cluster_gives_the_local_verdicts_in_order(scheduler) -> None:
    plan = plan_sweep(GRID, ["consult-1.date=-10..+10", "arms-uk.date=0..9", "reading.assistance_means=*"])
    there = run(plan, cluster=scheduler)
    here = run(plan, jobs=1)
    assert there.where == scheduler and there.verdicts == here.verdicts
    # a worker grounds once per chunk at most, not once per point
    from checker.analysis.sweep import chunk_ranges

    assert 1 <= there.table.groundings <= len(chunk_ranges(plan.size, 2, least=64)) < plan.size


def test_possible_worlds_on_the_cluster(scheduler) -> None:
    from checker.analysis.montecarlo import plan_worlds

    plan = plan_worlds(ROOT / "facts" / "istanbul-2022" / "uncertain-attribution.yaml", "sample:300", seed=3)
    assert run(plan, cluster=scheduler).verdicts == run(plan, jobs=1).verdicts


def test_the_plan_travels_with_its_rules() -> None:
    from checker.analysis.cluster import run_shipped_chunk, shipped_plan
    from checker.analysis.sweep import run_chunk

    plan = plan_sweep(GRID, ["consult-1.date=-2..+2"])
    travelled = pickle.loads(pickle.dumps(shipped_plan(plan)))
    remote = run_shipped_chunk(run_chunk, travelled, 0, 5)
    assert remote.profiles == run_chunk(plan, 0, 5).profiles
    # the worker read the rules it was sent, not the client's folder
    from checker.analysis.cluster import worker_plan

    assert ROOT not in Path(worker_plan(travelled).pack.folder).parents


def test_the_command_line(scheduler) -> None:
    runner = CliRunner()
    here = runner.invoke(app, ["sweep", str(GRID), "--vary", "consult-1.date=-3..+3", "-f", "json"])
    there = runner.invoke(app, ["sweep", str(GRID), "--vary", "consult-1.date=-3..+3", "-f", "json",
                                "--cluster", scheduler])
    assert there.exit_code == here.exit_code == 1
    assert json.loads(there.stdout)["points"] == json.loads(here.stdout)["points"]
    assert json.loads(there.stdout)["where"] == scheduler


def test_a_corpus_on_the_cluster(scheduler) -> None:
    runner = CliRunner()
    here = json.loads(runner.invoke(app, ["test", str(ROOT / "facts"), "-f", "json", "--coverage"]).stdout)
    result = runner.invoke(app, ["test", str(ROOT / "facts"), "-f", "json", "--coverage", "--cluster", scheduler])
    assert result.exit_code == 0, result.output
    there = json.loads(result.stdout)
    assert there["cases"] == here["cases"] and there["coverage"] == here["coverage"]
    assert {k: v for k, v in there["summary"].items() if k not in ("seconds", "jobs")} == \
        {k: v for k, v in here["summary"].items() if k not in ("seconds", "jobs")}


def test_a_failing_case_is_named_as_on_this_machine(scheduler, tmp_path) -> None:
    text = GRID.read_text(encoding="utf-8").replace("status: late", "status: fulfilled")
    path = tmp_path / "wrong.yaml"
    path.write_text(text, encoding="utf-8")
    here = CliRunner().invoke(app, ["test", str(path), "-f", "json"])
    there = CliRunner().invoke(app, ["test", str(path), "-f", "json", "--cluster", scheduler])
    assert there.exit_code == here.exit_code == 1
    assert json.loads(there.stdout)["cases"] == json.loads(here.stdout)["cases"]


def test_an_address_that_is_none() -> None:
    result = CliRunner().invoke(app, ["sweep", str(GRID), "--vary", "consult-1.date=0,1", "--cluster", "8786"])
    assert result.exit_code == 2
    assert result.stderr == "--cluster: '8786' is no scheduler address (tcp://HOST:PORT)\n"


@pytest.mark.parametrize("args", [
    ["facts/history/2022-02-21.yaml", "--treaty", "nato-1949", "--treaty", "budapest-1994"],
    ["facts/istanbul-2022/uncertain-attribution.yaml", "--max-uncertain-days", "2"],
], ids=["--treaty", "--max-uncertain-days"])
def test_a_corpus_on_the_cluster_takes_the_options_of_this_machine(scheduler, args) -> None:
    runner = CliRunner()
    args = [str(ROOT / args[0]), *args[1:], "-f", "json"]
    here = runner.invoke(app, ["test", *args])
    there = runner.invoke(app, ["test", *args, "--cluster", scheduler])
    assert there.exit_code == here.exit_code, there.output
    if "--max-uncertain-days" in args:   # the bound refuses the file there as here, in the same words
        rejected = json.loads(here.stdout)["rejected"]
        assert json.loads(there.stdout)["rejected"] == rejected
        assert "may span 2 days in all (--max-uncertain-days N raises the limit)" in rejected[0]["problems"][0]
    else:
        assert json.loads(there.stdout)["cases"] == json.loads(here.stdout)["cases"]
        assert {c["name"].split("::")[1] for c in json.loads(here.stdout)["cases"]} == {"nato-1949", "budapest-1994"}
