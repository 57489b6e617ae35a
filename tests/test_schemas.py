"""Every JSON document a command prints validates against its schema in docs/schema/.

Each command runs with ``--format json`` on bundled scenarios (and on small broken copies,
so that failures, issues and changes are in the documents too), and its output is checked
against the schema of its ``format``. Each schema is also shown to refuse a document with a
required key missing and one with a value outside its vocabulary, so that a schema that
accepted anything would fail here.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io import pack
from checker.render import json as render_json

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schema"
FACTS = ROOT / "facts" / "istanbul-2022"
GRID = str(FACTS / "hybrid-grid.yaml")


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())


def run(*args: str, code: int) -> dict:
    """The JSON document a command prints, its exit code checked."""
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1"})
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)


def valid(name: str, doc: dict) -> dict:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(doc)]
    assert errors == [], errors[:5]
    return doc


def refused(name: str, doc: dict, path: tuple, value=None, delete: bool = False) -> None:
    """``doc`` with the key at ``path`` removed (or set to ``value``) is invalid."""
    broken = copy.deepcopy(doc)
    node = broken
    for step in path[:-1]:
        node = node[step]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    assert not validator(name).is_valid(broken), (name, path, value)


def first_key(mapping: dict) -> str:
    return next(iter(mapping))


# --- the schemas themselves --------------------------------------------------------------------

def test_every_document_a_command_prints_has_a_schema():
    formats = {value for key, value in vars(render_json).items() if key.startswith("FORMAT")}
    declared = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        s = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert s["$id"].endswith("/" + path.name)
        declared[s["properties"]["format"]["const"]] = path.name
    assert set(declared) == formats
    for fmt, file in declared.items():
        assert file == fmt.split("/")[1].split("@")[0] + ".schema.json"


def test_the_report_carries_the_explanation_node_of_the_explanation_schema():
    # every schema stands alone (one file validates a document); the copies stay the same
    report, explanation = schema("report")["$defs"], schema("explanation")["$defs"]
    for name in ("node", "location", "provision", "eventId"):
        assert report[name] == explanation[name], name


# --- report ------------------------------------------------------------------------------------

def test_the_report_of_every_bundled_scenario():
    doc = valid("report", run("check", str(FACTS), "--format", "json", code=1))
    assert len(doc["scenarios"]) == len(list(FACTS.glob("*.yaml")))
    assert any("worlds" in s for s in doc["scenarios"])  # the uncertain scenarios are among them
    refused("report", doc, ("scenarios", 0, "obligations", 0, "status"), delete=True)
    refused("report", doc, ("scenarios", 0, "obligations", 0, "status"), "ok")
    refused("report", doc, ("scenarios", 0, "summary", "fired"), delete=True)
    refused("report", doc, ("format",), "treaty-checker/report@2")


def test_a_report_with_explanations():
    doc = valid("report", run("check", GRID, "--explain", "--format", "json", code=1))
    explained = [o for o in doc["scenarios"][0]["obligations"] if "explanation" in o]
    assert explained and all(o["status"] in ("breached", "late") for o in explained)
    i = doc["scenarios"][0]["obligations"].index(explained[0])
    refused("report", doc, ("scenarios", 0, "obligations", i, "explanation", "claim"), delete=True)
    refused("report", doc, ("scenarios", 0, "obligations", i, "explanation", "because"), "hunch")


# --- explanation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args,code", [
    ([GRID], 1),
    ([str(FACTS / "excluded-override.yaml"), "--all"], 1),  # not-fired duties explained too
    ([str(FACTS / "uncertain-attribution.yaml"), "--witness", "--depth", "3"], 1),
])
def test_explanations(args, code):
    doc = valid("explanation", run("explain", *args, "--format", "json", code=code))
    assert doc["explanations"]
    refused("explanation", doc, ("explanations", 0, "tree"), delete=True)
    refused("explanation", doc, ("explanations", 0, "tree", "because"), "hunch")
    refused("explanation", doc, ("explanations", 0, "status"), "ok")


def test_a_witness_names_its_world():
    doc = valid("explanation", run("explain", str(FACTS / "uncertain-attribution.yaml"), "--witness",
                                   "--format", "json", code=1))
    assert all(e["witness"] and e["world"] for e in doc["explanations"])
    refused("explanation", doc, ("explanations", 0, "world"), delete=True)


# --- check --all-readings ----------------------------------------------------------------------------

def test_all_readings():
    doc = valid("readings", run("check", str(FACTS / "as-requested.yaml"), "--all-readings", "--format", "json", code=1))
    grid = doc["scenarios"][0]
    assert grid["combinations"] == 8 and grid["dependent"] and grid["invariant"]
    refused("readings", doc, ("scenarios", 0, "dependent", 0, "depends_on"), delete=True)
    refused("readings", doc, ("scenarios", 0, "dependent", 0, "verdicts", 0, "verdict"), "okay")


# --- whatif ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [[], ["--all"]])
def test_whatif(extra):
    doc = valid("whatif", run("whatif", GRID, "--shift", "consult-1=+2d", "--drop", "arms-uk", *extra,
                              "--format", "json", code=1))
    assert doc["differences"] and doc["breached_after"] is True
    assert any(d["after"] == "-" for d in doc["differences"])  # the report of the dropped help
    refused("whatif", doc, ("breached_after",), delete=True)
    refused("whatif", doc, ("differences", 0, "after"), "fine")


# --- repair ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--holder", "usa"], ["--all-optimal", "--limit", "2", "--holder", "uk"]])
def test_repair(args):
    doc = valid("repair", run("repair", GRID, *args, "--format", "json", code=0))
    assert doc["found"] and doc["repairs"][0]["events"]
    refused("repair", doc, ("found",), delete=True)
    refused("repair", doc, ("repairs", 0, "events", 0, "date"), delete=True)
    refused("repair", doc, ("format",), "treaty-checker/repair@2")


def test_a_repair_that_does_not_exist_and_one_not_needed():
    doc = valid("repair", run("repair", GRID, "--max-actions", "0", "--format", "json", code=1))
    assert doc["found"] is False and doc["repairs"] == []
    refused("repair", doc, ("repairs",), [{"actions": 0, "events": []}])  # nothing found, nothing listed
    doc = valid("repair", run("repair", str(FACTS / "guarantee-kept.yaml"), "--format", "json", code=0))
    assert doc["found"] is True and doc["targets"] == doc["repairs"] == []


# --- sweep ----------------------------------------------------------------------------------------------

def test_sweep():
    doc = valid("sweep", run("sweep", GRID, "--vary", "consult-1.date=-1..+2", "--vary", "param.consultation_days=2,3",
                             "--vary", "reading.assistance_means=*", "-j", "1", "--format", "json", code=1))
    assert len(doc["points"]) == 4 * 2 * 2 and doc["changing"]
    refused("sweep", doc, ("points", 0, "verdicts"), delete=True)
    refused("sweep", doc, ("points", 0, "verdicts", first_key(doc["points"][0]["verdicts"])), "fine")


# --- test (with coverage) -----------------------------------------------------------------------------------

def test_the_corpus_run_with_coverage():
    doc = valid("test", run("test", str(FACTS), "--coverage", "--format", "json", code=0))
    assert doc["cases"] and doc["coverage"]["rules"]["never_fired"]
    refused("test", doc, ("summary", "passed"), delete=True)
    refused("test", doc, ("coverage", "provisions", 0, "kind"), "duty")
    refused("test", doc, ("cases", 0, "passed"), "yes")


def test_a_run_with_a_failure_and_a_rejected_file(tmp_path):
    text = (FACTS / "hybrid-grid.yaml").read_text(encoding="utf-8")
    assert "    status: breached\n" in text
    (tmp_path / "wrong.yaml").write_text(text.replace("    status: breached\n", "    status: fulfilled\n", 1))
    (tmp_path / "broken.yaml").write_text("scenario: x\ntreaty: istanbul-2022\nevents: [{id: a}]\nexpect: []\n")
    doc = valid("test", run("test", str(tmp_path), "--format", "json", code=2))
    failed = [c for c in doc["cases"] if not c["passed"]]
    assert failed and failed[0]["derivation"] and doc["rejected"][0]["problems"]
    assert "coverage" not in doc
    refused("test", doc, ("rejected", 0, "problems"), delete=True)


# --- lint -------------------------------------------------------------------------------------------------

def test_lint_of_the_bundled_packs():
    from checker.io.pack import known_packs

    # every pack with every scenario (a pack's provisions are exercised by its own scenarios)
    doc = valid("lint", run("lint", str(ROOT / "rules"), str(ROOT / "facts"), "--format", "json", code=0))
    assert doc["issues"] == [] and doc["summary"]["packs"] == known_packs(ROOT / "rules")
    refused("lint", doc, ("summary", "by_check", "growth"), delete=True)


def test_lint_with_issues(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "istanbul-2022" / "stray.lp").write_text("stray(X) :- nowhere(X).\n")
    pack._CACHE.clear()
    doc = valid("lint", run("lint", str(rules), str(FACTS / "hybrid-grid.yaml"), "--format", "json", code=1))
    checks = {i["check"] for i in doc["issues"]}
    assert {"header", "clingo"} <= checks, checks
    refused("lint", doc, ("issues", 0, "check"), "style")
    refused("lint", doc, ("issues", 0, "line"), delete=True)


# --- diff -----------------------------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                   check=True, capture_output=True)


def test_diff_of_a_rule_change(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "rules", repo / "rules")
    (repo / "facts").mkdir()
    for name in ("hybrid-grid.yaml", "consult-boundary.yaml"):
        shutil.copy(FACTS / name, repo / "facts" / name)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "the pack")
    manifest = repo / "rules" / "istanbul-2022" / "treaty.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("consultation_days: {default: 3,", "consultation_days: {default: 2,"))
    pack._CACHE.clear()
    monkeypatch.chdir(repo)
    doc = valid("diff", run("diff", "--format", "json", "-j", "1", code=0))
    kinds = {c["kind"] for c in doc["changes"]}
    assert {"status", "deadline"} <= kinds, kinds
    refused("diff", doc, ("changes", 0, "kind"), delete=True)
    refused("diff", doc, ("changes", 0, "kind"), "moved")
    refused("diff", doc, ("summary", "by_kind", "status"), delete=True)


# --- mutate -----------------------------------------------------------------------------------------------------

def test_mutate_of_a_small_pack():
    pack_folder = ROOT / "tests" / "packs" / "mutate-harbour" / "rules" / "harbour"
    doc = valid("mutate", run("mutate", str(pack_folder), "--operators", "comparison,constant", "-j", "1",
                              "--format", "json", code=0))
    statuses = {m["status"] for m in doc["mutants"]}
    assert {"killed", "survived", "equivalent"} <= statuses, statuses
    refused("mutate", doc, ("mutants", 0, "status"), "wounded")
    refused("mutate", doc, ("summary", "score"), delete=True)
    refused("mutate", doc, ("rules", 0, "line"), 0)
