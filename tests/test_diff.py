"""`checker diff` on a temporary git repository holding a copy of the packs and the corpus.

The acceptance test of the rules CI: changing ``consultation_days`` from 3 to 2 in the
istanbul-2022 manifest makes ``checker diff`` list exactly the verdicts that flip (computed
here another way: with the parameter overridden on the unchanged rules for the scenarios of
that pack, no git involved; the other packs' scenarios do not read that manifest), makes
``checker test`` fail with readable diffs, and reverting restores green.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli.main import app
from checker.engine.check import check_file
from checker.io import pack
from checker.io.scenario import load_scenario
from checker.maintain.testing import case_names

ROOT = Path(__file__).resolve().parent.parent
PACK = "istanbul-2022"
MANIFEST = Path(f"rules/{PACK}/treaty.yaml")
THREE = "consultation_days: {default: 3,"
TWO = "consultation_days: {default: 2,"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch) -> Path:
    repo = tmp_path / "rules-repo"
    shutil.copytree(ROOT / "rules", repo / "rules")
    shutil.copytree(ROOT / "facts", repo / "facts")
    git(repo, "init", "-q")
    git(repo, "add", "rules", "facts")
    git(repo, "commit", "-q", "-m", "the pack as it is")
    monkeypatch.chdir(repo)
    return repo


def forget_packs() -> None:
    # checker.pack caches manifests by folder for the life of the process; the CLI is a new
    # process per run, but these tests run it in-process around edits of the same folder
    pack._CACHE.clear()


def set_consultation_days(repo: Path, old: str, new: str) -> None:
    text = (repo / MANIFEST).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (repo / MANIFEST).write_text(text.replace(old, new), encoding="utf-8")
    forget_packs()


def expected_flips(repo: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(file, obligation) -> (status before, status after), computed without git or diff."""
    flips = {}
    for path in sorted((repo / "facts").rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        if doc.get("treaty") != PACK:
            continue  # another pack's scenario: the edited manifest is not its own
        if "consultation_days" in (doc.get("parameters") or {}):
            continue  # the file sets its own value: the pack's default does not reach it
        before, _ = check_file(path, rules_root=ROOT / "rules")
        after, _ = check_file(path, rules_root=ROOT / "rules", parameters={"consultation_days": 2})
        states = []
        for v in (before, after):
            state = {o.id: "|".join(o.statuses) for o in v.obligations}
            state.update({n.id: "not fired" for n in v.not_fired})
            states.append(state)
        for ob in set(states[0]) | set(states[1]):
            if states[0].get(ob) != states[1].get(ob):
                flips[(str(path.relative_to(repo)), ob)] = (states[0].get(ob), states[1].get(ob))
    return flips


def test_consultation_days_3_to_2_lists_exactly_the_flips_and_reverting_restores_green(repo: Path) -> None:
    clean = invoke("test")
    assert clean.exit_code == 0, clean.output

    set_consultation_days(repo, THREE, TWO)
    flips = expected_flips(repo)
    assert len(flips) >= 5  # the corpus has boundary cases on the consultation window

    result = invoke("diff", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["base"], doc["head"]) == ("HEAD", "working tree")
    listed = {(c["file"], c["obligation"]) for c in doc["changes"] if c["flip"]}
    assert listed == set(flips)
    for c in doc["changes"]:
        if c["flip"]:
            assert c["before"].split(",")[0] == flips[(c["file"], c["obligation"])][0]
            assert c["after"].split(",")[0] == flips[(c["file"], c["obligation"])][1]
        else:  # the rest: the same status, a deadline one day earlier, only where the window is used
            assert c["kind"] == "deadline" and c["days_moved"] == -1
            assert c["provision"].startswith("art4.")

    text = invoke("diff").stdout
    assert "checker diff: HEAD → working tree" in text
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert "~ art4.consult/uk/missile-strike status fulfilled, due 2027-04-13 → late, due 2027-04-12" in rows
    moved = sum(1 for c in doc["changes"] if not c["flip"] and c["provision"] == "art4.consult")
    assert moved > 0
    assert f"{moved} deadlines moved by -1 day(s) with the status unchanged (--all lists them)" in rows
    assert invoke("diff", "--fail-on-change").exit_code == 1

    # checker test fails on exactly the expectations about a flipped verdict, readably
    broken = invoke("test")
    assert broken.exit_code == 1
    failing = {line.split()[1].rsplit(":", 1)[0] + "::" + line.split()[2]
               for line in broken.stdout.splitlines() if line.startswith("FAIL ")}
    expected_failing = set()
    for path in sorted((repo / "facts").rglob("*.yaml")):
        if not isinstance(yaml.safe_load(path.read_text()).get("treaty"), str):
            continue  # a history of several treaties (facts/history/): expected_flips leaves it out too
        scenario, _ = load_scenario(path)
        rel = str(path.relative_to(repo))
        for name, e in zip(case_names(scenario.expectations), scenario.expectations):
            if (rel, e.obligation) in flips:
                expected_failing.add(f"{rel}::{name}")
    assert failing == expected_failing and failing
    boundary = Path("facts/istanbul-2022/consult-boundary.yaml")
    line = next(e.line for e in load_scenario(boundary)[0].expectations
                if e.obligation == "art4.consult/uk/missile-strike")
    assert (f"FAIL {boundary}:{line}  art4.consult/uk/missile-strike\n"
            "     expected  fulfilled\n     actual    late (certain)\n") in broken.stdout

    # revert: nothing differs, everything passes
    git(repo, "checkout", "--", str(MANIFEST))
    forget_packs()
    again = invoke("diff", "--fail-on-change")
    assert again.exit_code == 0
    assert "0 verdicts flipped, 0 deadlines moved" in again.stdout
    assert invoke("test").exit_code == 0


def test_between_two_revisions_and_as_a_pull_request_comment(repo: Path) -> None:
    set_consultation_days(repo, THREE, TWO)
    git(repo, "commit", "-q", "-am", "two days")
    set_consultation_days(repo, TWO, THREE)  # the working tree no longer matters with --head
    flips = invoke("diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
    doc = json.loads(flips.stdout)
    assert doc["summary"]["flipped"] >= 5 and doc["head"] == "HEAD"
    md = invoke("diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown").stdout
    assert md.startswith("### Verdicts changed by this rule change\n\n`HEAD~1` → `HEAD`: ")
    assert "| `facts/istanbul-2022/consult-boundary.yaml` | `art4.consult/uk/missile-strike` | status | " \
           "fulfilled, due 2027-04-13 | **late, due 2027-04-12** |" in md
    assert "<details><summary>" in md  # moved deadlines folded away
    # the reverse direction flips back
    back = json.loads(invoke("diff", "--base", "HEAD", "--format", "json").stdout)
    assert back["summary"]["flipped"] == doc["summary"]["flipped"]


def test_a_pack_change_that_rejects_a_scenario_is_reported_not_hidden(repo: Path) -> None:
    text = (repo / MANIFEST).read_text(encoding="utf-8")
    (repo / MANIFEST).write_text(text.replace("  nuclear_weapons:\n", "  nuclear_weapon:\n"), encoding="utf-8")
    forget_packs()
    result = invoke("diff")
    assert result.exit_code == 0
    assert "facts/istanbul-2022/nuclear.yaml: not checked under head" in result.stdout
    assert "unknown event type 'nuclear_weapons'" in result.stdout


def test_bad_revision_and_no_repository_are_one_line_exit_2(repo: Path, tmp_path: Path, monkeypatch) -> None:
    result = invoke("diff", "--base", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--base/--head: 'no-such-branch' is not a revision of {repo}"
    elsewhere = tmp_path / "plain"
    shutil.copytree(ROOT / "rules", elsewhere / "rules")
    (elsewhere / "facts").mkdir()
    shutil.copy(ROOT / "facts/istanbul-2022/nuclear.yaml", elsewhere / "facts")
    monkeypatch.chdir(elsewhere)
    result = invoke("diff")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"diff: {(elsewhere / 'rules').resolve()} is not inside a git repository"
