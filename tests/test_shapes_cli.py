"""Every command on the test pack (tests/packs/shapes): the new shapes as a user meets them.

check, explain, test with coverage, lint, diff, whatif, sweep, --all-readings and repair, each
on a duty with no deadline, a refused duty, a parameter left unset, dated membership. Every
JSON document is checked against its schema in docs/schema/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io import pack as packs

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests" / "packs" / "shapes"
FACTS = PACKS / "facts"
NO_DEADLINE = str(FACTS / "consult-no-deadline.yaml")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False, env={"NO_COLOR": "1"})


def document(name: str, *args: str, code: int) -> dict:
    """The JSON a command prints, its exit code checked and its schema validated."""
    result = invoke(*args, "--format", "json")
    assert result.exit_code == code, result.output
    doc = json.loads(result.stdout)
    schema = json.loads((ROOT / "docs" / "schema" / f"{name}.schema.json").read_text())
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    assert errors == [], errors[:3]
    return doc


def test_check_text_and_json(monkeypatch):
    monkeypatch.chdir(PACKS)
    text = invoke("check", "facts/consult-no-deadline.yaml")
    assert text.exit_code == 1
    rows = {line.split()[0]: " ".join(line.split()) for line in text.stdout.splitlines() if line.startswith("  p1.")}
    assert rows["p1.consult/norway/r1"] == ("p1.consult/norway/r1 norway 2011-01-03 - late met late by m2; "
                                            "breached on 2011-01-05 by x1")
    assert rows["p1.consult/norway/r2"] == "p1.consult/norway/r2 norway 2011-02-01 - pending not met yet"
    assert rows["p1.consult/norway/r4"] == "p1.consult/norway/r4 norway 2011-04-01 - breached breached on 2011-04-02 by x5"
    assert "parameters: consultation_days=unset, assist_days=2" in text.stdout
    doc = document("report", "check", "facts/consult-no-deadline.yaml", code=1)["scenarios"][0]
    r1 = next(o for o in doc["obligations"] if o["id"] == "p1.consult/norway/r1")
    assert (r1["deadline"], r1["status"], r1["met_by"], r1["breached_on"], r1["breached_by"]) == \
        (None, "late", "m2", "2011-01-05", "x1")
    assert doc["parameters"]["consultation_days"] is None


def test_explain_says_the_refusal_and_the_missing_deadline(monkeypatch):
    monkeypatch.chdir(PACKS)
    result = invoke("explain", "facts/consult-no-deadline.yaml", "p1.consult/norway/r1", "p1.consult/norway/r2")
    assert result.exit_code == 1, result.output   # a duty explained is late
    text = result.stdout
    assert "p1.consult/norway/r1 is late" in text
    assert "p1.consult/norway/r1 was refused before it was met" in text
    assert "x1 on 2011-01-05 refuses p1.consult/norway/r1" in text
    assert "refusal x1: norway refuses consultation about r1 on 2011-01-05" in text
    assert "p1.consult/norway/r2 is pending (no deadline: it stays pending until it is met or refused)" in text
    assert "p1.consult/norway/r2 has no deadline" in text
    assert "the manifest says the deadline of p1.consult is optional" in text
    doc = document("explanation", "explain", "facts/consult-no-deadline.yaml", "p1.consult/norway/r4", code=1)
    assert doc["explanations"][0]["tree"]["claim"] == "p1.consult/norway/r4 is breached"


def test_test_with_full_status_coverage(monkeypatch):
    monkeypatch.chdir(PACKS)
    result = invoke("test", "facts", "--coverage", "--threshold", "100")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  p")}
    assert "✓ refused" in rows["p1.consult"] and "✓ late" in rows["p1.consult"]
    assert "late" not in rows["p2.report"] and "breached" not in rows["p2.report"]   # no deadline, not refusable
    doc = document("test", "test", "facts", "--coverage", code=0)
    report = next(p for p in doc["coverage"]["provisions"] if p["id"] == "p2.report")
    assert report["missing"] == []


def test_lint(monkeypatch):
    monkeypatch.chdir(PACKS)
    doc = document("lint", "lint", "rules", "facts", code=0)
    assert doc["issues"] == [] and doc["summary"]["packs"] == ["shapes-test"]


def test_whatif_and_sweep(monkeypatch):
    monkeypatch.chdir(PACKS)
    result = invoke("whatif", "facts/consult-no-deadline.yaml", "--drop", "x5", "--shift", "x1=+20d")
    rows = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "p1.consult/norway/r1 late fulfilled" in rows and "p1.consult/norway/r4 breached pending" in rows
    sweep = invoke("sweep", "facts/consult-no-deadline.yaml", "--vary", "param.consultation_days=unset,0,20", "-j", "1")
    assert sweep.exit_code == 1, sweep.output
    rows = [" ".join(line.split()) for line in sweep.stdout.splitlines()]
    assert "unset fulfilled pending" in rows and "0 late breached" in rows and "20 fulfilled breached" in rows
    doc = document("sweep", "sweep", "facts/consult-no-deadline.yaml", "--vary", "param.consultation_days=unset,3",
                   "-j", "1", code=1)
    assert doc["dimensions"] == [{"name": "param.consultation_days", "values": ["unset", "3"]}]
    bad = invoke("sweep", "facts/incidents.yaml", "--vary", "param.assist_days=unset,2")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == ("--vary: assist_days cannot be unset: its default is 2; only a parameter whose "
                                  "default is null may be left unset")


def test_all_readings(monkeypatch):
    monkeypatch.chdir(PACKS)
    doc = document("readings", "check", "facts/requests-by-anyone.yaml", "--all-readings", code=0)
    (s,) = doc["scenarios"]
    assert s["combinations"] == 2
    assert {d["id"] for d in s["dependent"]} == {"p1.consult/denmark/r1", "p1.consult/norway/r1"}


def test_repair_meets_a_refused_duty_late_and_says_so(monkeypatch):
    monkeypatch.chdir(PACKS)
    result = invoke("repair", "facts/consult-no-deadline.yaml")
    assert result.exit_code == 0, result.output
    assert ("p1.consult/norway/r4 (refused on 2011-04-02 by x5: the best a repair can do is meet it late)"
            in result.stdout)
    assert "date: 2011-04-02" in result.stdout and "parties: [norway]" in result.stdout
    assert ("p1.consult/norway/r1: refused on 2011-01-05 by x1: the best a repair can do is meet it late, and m2 "
            "met it") in result.stdout
    doc = document("repair", "repair", "facts/consult-no-deadline.yaml", code=0)
    assert doc["verified"] is True and doc["targets"] == ["p1.consult/norway/r4"]
    assert doc["refused"] == [{"id": "p1.consult/norway/r4", "why": "refused on 2011-04-02 by x5: the best a "
                                                                    "repair can do is meet it late"}]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "rules" / "common", repo / "rules" / "common")
    shutil.copytree(PACKS / "rules" / "shapes-test", repo / "rules" / "shapes-test")
    shutil.copytree(FACTS, repo / "facts")
    git(repo, "init", "-q")
    git(repo, "add", "rules", "facts")
    git(repo, "commit", "-q", "-m", "the test pack")
    monkeypatch.chdir(repo)
    packs._CACHE.clear()
    return repo


def test_diff_when_an_unset_parameter_gets_a_default(repo):
    manifest = repo / "rules" / "shapes-test" / "treaty.yaml"
    text = manifest.read_text()
    manifest.write_text(text.replace("consultation_days: {default: null,", "consultation_days: {default: 5,"))
    packs._CACHE.clear()
    doc = document("diff", "diff", code=0)
    flips = {(c["file"], c["obligation"]): (c["before"], c["after"]) for c in doc["changes"] if c["flip"]}
    assert flips[("facts/consult-no-deadline.yaml", "p1.consult/norway/r2")] == \
        ("pending, no deadline", "breached, due 2011-02-06")
    assert ("facts/consult-deadline.yaml", "p1.consult/norway/r1") not in flips   # the file sets its own
