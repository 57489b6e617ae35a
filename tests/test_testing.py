"""`checker test`, its runner (checker/testing.py) and the pytest plugin, on small scenarios."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io.files import scenario_files
from checker.io.scenario import load_histories
from checker.maintain import testing

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"

# One attack in scope (the UK consults, the USA does not) and one only in Crimea.
SCENARIO = """\
# A small scenario for the test tooling's own tests.
scenario: Test tooling fixture
treaty: istanbul-2022
in_force_from: 2026-01-01
parties:
  guarantors: [uk, usa]
as_of: 2027-04-20
events:
  - id: strike
    date: 2027-04-10
    type: attack
    kind: armed_attack
    by: unknown
    regions: [lviv]
  - id: crimea-raid
    date: 2027-04-11
    type: attack
    kind: armed_attack
    by: unknown
    regions: [crimea]
  - id: talks
    date: 2027-04-12
    type: consultation
    about: strike
    parties: [ukraine, uk]
expect:
  # the UK consults on D+2
  - obligation: art4.consult/uk/strike
    status: fulfilled
  - obligation: art4.consult/usa/strike
    status: breached   # nobody from the USA came
  - not_fired: art4.consult/uk/crimea-raid
    reason: art2.excluded_territory
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def failing(text: str = SCENARIO) -> str:
    """The fixture with its first expectation wrong (fulfilled -> late)."""
    return text.replace("status: fulfilled", "status: late", 1)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


# --- the command -------------------------------------------------------------------------------

def test_bundled_corpus_passes_and_counts_every_expectation() -> None:
    files = sorted(p for p in FACTS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    # a history of several treaties has expectations under each
    expected = sum(len(s.expectations) for p in files for s, _ in load_histories(p))
    result = invoke("test", str(FACTS))
    assert result.exit_code == 0, result.output
    assert f"{expected} passed, 0 failed" in result.output


def test_every_bundled_scenario_has_expectations() -> None:
    files = sorted(FACTS.rglob("*.yaml"))
    assert len(files) >= 12
    for path in files:
        assert all(s.expectations for s, _ in load_histories(path)), f"{path} has no expect: block"


def test_passing_file_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SCENARIO)
    result = invoke("test", str(path), "-v")
    assert result.exit_code == 0
    assert f"PASS {path}::art4.consult/uk/strike" in result.output
    assert f"PASS {path}::not_fired:art4.consult/uk/crimea-raid" in result.output
    assert "3 passed, 0 failed in 1 scenario file(s)" in result.output


def test_failure_shows_expected_actual_and_derivation(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", failing())
    result = invoke("test", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # the expectation's own line: the "- obligation:" item on line 28
    assert lines[0] == f"FAIL {path}:28  art4.consult/uk/strike"
    assert lines[1] == "     expected  late"
    assert lines[2] == "     actual    fulfilled (certain)"
    # the derivation of the actual verdict: checker.explain's tree, rule and file per node
    assert lines[3].startswith("     because   art4.consult/uk/strike is fulfilled  (rule rules/common/lifecycle.lp:")
    assert any("── talks on 2027-04-12 meets art4.consult/uk/strike" in line for line in lines[4:])
    assert any("is due by 2027-04-13" in line for line in lines[4:])
    assert result.output.rstrip().endswith("2 passed, 1 failed in 1 scenario file(s), "
                                           + result.output.rstrip().split("scenario file(s), ")[1])


def test_missing_obligation_lists_what_the_provision_did_give(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SCENARIO.replace("art4.consult/usa/strike", "art4.consult/usa/crimea-raid"))
    result = invoke("test", str(path))
    assert result.exit_code == 1
    assert "actual    not fired, blocked by art2.excluded_territory" in result.output
    path = write(tmp_path, "s.yaml", SCENARIO.replace("art4.consult/usa/strike", "art4.consult/usa/talks"))
    result = invoke("test", str(path))
    assert "actual    no such obligation (it neither fired nor was blocked)" in result.output
    assert "under art4.consult this scenario has: art4.consult/uk/strike (fulfilled)" in result.output


def test_rejected_file_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    good = write(tmp_path, "a.yaml", SCENARIO)
    bad = write(tmp_path, "b.yaml", SCENARIO.replace("date: 2027-04-12", "date: 2027-02-30"))
    result = CliRunner().invoke(app, ["test", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{bad}:22: events[2].date: '2027-02-30' is not a valid date"]
    assert "3 passed, 0 failed" in result.stdout and "1 file(s) rejected" in result.stdout
    assert good.exists()


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("test", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'nope'}: no such file or folder"


def test_k_selects_by_name(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", failing())
    result = invoke("test", str(path), "-k", "usa", "-v")
    assert result.exit_code == 0  # the failing UK expectation is not selected
    assert "1 passed, 0 failed" in result.output
    result = invoke("test", str(path), "-k", "*consult/u?/strike")
    assert result.exit_code == 1 and "0 passed, 1 failed" in result.output
    result = invoke("test", str(path), "-k", "nothing-like-this")
    assert result.exit_code == 2
    assert "-k: no expectation matches 'nothing-like-this'" in result.stderr


def test_json_format(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", failing())
    result = invoke("test", str(path), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["format"] == "treaty-checker/test@1"
    assert doc["summary"]["passed"] == 2 and doc["summary"]["failed"] == 1
    failed = [c for c in doc["cases"] if not c["passed"]]
    assert failed == [{
        "name": f"{path}::art4.consult/uk/strike", "file": str(path), "line": 28,
        "expectation": "art4.consult/uk/strike", "obligation": "art4.consult/uk/strike",
        "passed": False, "expected": "late", "actual": "fulfilled (certain)",
        "derivation": failed[0]["derivation"],
    }]
    assert any("talks on 2027-04-12 meets art4.consult/uk/strike" in d for d in failed[0]["derivation"])


def test_github_annotations_point_at_the_expectation(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", failing())
    result = invoke("test", str(path), "--format", "github")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error file={path},line=28,title=expectation failed%3A art4.consult/uk/strike::"
                            "expected late, got fulfilled (certain)%0A")
    assert "\n" not in first and "talks on 2027-04-12 meets" in first
    assert result.stdout.splitlines()[-1] == "2 passed, 1 failed"


def test_github_annotation_for_a_rejected_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "b.yaml", SCENARIO.replace("kind: armed_attack\n    by: unknown\n    regions: [lviv]",
                                                      "kind: armed_atack\n    by: unknown\n    regions: [lviv]"))
    result = invoke("test", str(bad), "--format", "github")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0].startswith(f"::error file={bad},line=12,title=scenario rejected::events[0].kind")


# --- the runner --------------------------------------------------------------------------------

def test_parallel_run_gives_the_same_results_in_the_same_order(tmp_path: Path, monkeypatch) -> None:
    for i in range(4):
        write(tmp_path, f"s{i}.yaml", SCENARIO if i % 2 else failing())
    write(tmp_path, "no-expect.yaml", SCENARIO.split("expect:")[0])
    files = scenario_files([tmp_path])
    serial = testing.run_corpus(files, jobs=1)
    monkeypatch.setattr(testing, "POOL_MIN_FILES", 2)
    seen = []
    parallel = testing.run_corpus(files, jobs=2, progress=lambda done, total, r: seen.append((done, total)))
    assert parallel.jobs == 2 and serial.jobs == 1
    assert [c.name for c in parallel.cases] == [c.name for c in serial.cases]
    assert [c.passed for c in parallel.cases] == [c.passed for c in serial.cases] == [False, True, True, True, True, True] * 2
    # every file is read by a worker, the skipped one too: progress counts all five
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    light = testing.run_corpus(files, jobs=2, keep_verdicts=False)
    assert [c for c in light.cases] == [c for c in serial.cases]
    assert all(f.verdicts is None for f in light.files) and all(f.verdicts for f in parallel.files)
    assert parallel.skipped == [str(tmp_path / "no-expect.yaml")]


def test_progress_bar_only_on_a_terminal(capsys) -> None:
    from checker.render.progress import Progress

    quiet = Progress("checker test", enabled=False)
    quiet(1, 2)
    quiet.close()
    assert capsys.readouterr().err == ""
    loud = Progress("checker test", enabled=True)
    loud(1, 2)
    loud(2, 2)
    loud.close()
    err = capsys.readouterr().err
    assert "\rchecker test " in err and " 1/2 files" in err and " 2/2 files" in err
    assert err.endswith("\r\x1b[2K")  # the bar is wiped before the report is printed


# --- --update ----------------------------------------------------------------------------------

def test_update_rewrites_only_the_failing_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", failing())
    result = invoke("test", str(path), "--update")
    assert result.exit_code == 0, result.output
    assert "art4.consult/uk/strike: status late -> fulfilled" in result.output
    assert path.read_text() == SCENARIO  # every comment, the layout and the other items unchanged
    assert invoke("test", str(path)).exit_code == 0


def test_update_keeps_an_inline_comment_and_flow_style(tmp_path: Path) -> None:
    text = SCENARIO.replace("status: breached   # nobody from the USA came",
                            "status: pending   # nobody from the USA came")
    text = text.replace("  - obligation: art4.consult/uk/strike\n    status: fulfilled",
                        "  - {obligation: art4.consult/uk/strike, status: late}")
    path = write(tmp_path, "s.yaml", text)
    assert invoke("test", str(path), "--update").exit_code == 0
    updated = path.read_text()
    assert "    status: breached   # nobody from the USA came\n" in updated
    assert "  - {obligation: art4.consult/uk/strike, status: fulfilled}\n" in updated
    assert invoke("test", str(path)).exit_code == 0


def test_update_changes_kind_and_marks_what_no_longer_arises(tmp_path: Path) -> None:
    text = SCENARIO.replace("  - not_fired: art4.consult/uk/crimea-raid\n    reason: art2.excluded_territory\n",
                            "  - obligation: art4.consult/uk/crimea-raid\n    status: breached\n"
                            "  - not_fired: art4.consult/usa/strike\n"
                            "  # gone\n  - obligation: art4.assist/uk/strike\n    status: breached\n")
    path = write(tmp_path, "s.yaml", text)
    result = invoke("test", str(path), "--update")
    assert result.exit_code == 0, result.output
    tail = path.read_text().split("expect:\n")[1]
    assert tail == (
        "  # the UK consults on D+2\n"
        "  - obligation: art4.consult/uk/strike\n    status: fulfilled\n"
        "  - obligation: art4.consult/usa/strike\n    status: breached   # nobody from the USA came\n"
        "  - not_fired: art4.consult/uk/crimea-raid\n    reason: art2.excluded_territory\n"
        "  - obligation: art4.consult/usa/strike\n    status: breached\n"
        "  # gone\n"
        "  # removed by `checker test --update`: art4.assist/uk/strike no longer arises\n"
    )
    assert invoke("test", str(path)).exit_code == 0


def test_update_fills_an_empty_block(tmp_path: Path) -> None:
    head = SCENARIO.split("expect:")[0]
    path = write(tmp_path, "s.yaml", head + "expect: []   # fill me\n")
    result = invoke("test", str(path), "--update")
    assert result.exit_code == 0
    text = path.read_text()
    assert text.startswith(head + "expect:  # fill me\n  - obligation: art1.guarantee/uk\n    status: complied\n")
    assert text.endswith("  - not_fired: art4.consult/usa/crimea-raid\n    reason: art2.excluded_territory\n")
    assert "12 passed, 0 failed" in invoke("test", str(path)).output


def test_update_leaves_passing_files_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SCENARIO)
    before = path.stat().st_mtime_ns
    result = invoke("test", str(path), "--update")
    assert result.exit_code == 0 and "0 file(s) updated" in result.output
    assert path.stat().st_mtime_ns == before


# --- the pytest plugin -------------------------------------------------------------------------

def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_plugin_is_registered(pytestconfig) -> None:
    # without the entry point `pytest facts/` would silently collect nothing
    assert pytestconfig.pluginmanager.hasplugin("treaty_checker")


def test_plugin_collects_each_expectation_as_an_item(tmp_path: Path) -> None:
    write(tmp_path, "facts/s.yaml", SCENARIO)
    write(tmp_path, "facts/notes.yaml", "just: some yaml\nexpect: nothing\n")  # no treaty: not a scenario
    proc = run_pytest(tmp_path, "--collect-only", "-q", "facts")
    assert proc.stdout.splitlines()[:3] == [
        "facts/s.yaml::art4.consult/uk/strike",
        "facts/s.yaml::art4.consult/usa/strike",
        "facts/s.yaml::not_fired:art4.consult/uk/crimea-raid",
    ]
    assert "3 tests collected" in proc.stdout


def test_plugin_reports_failures_with_expected_and_actual(tmp_path: Path) -> None:
    write(tmp_path, "facts/s.yaml", failing())
    proc = run_pytest(tmp_path, "facts", "-q")
    assert proc.returncode == 1
    assert "facts/s.yaml:28: art4.consult/uk/strike\n  expected: late\n  actual:   fulfilled (certain)\n  because:\n" \
        in proc.stdout
    assert "1 failed, 2 passed" in proc.stdout
    proc = run_pytest(tmp_path, "facts", "-q", "-k", "usa")
    assert proc.returncode == 0 and "1 passed, 2 deselected" in proc.stdout


def test_plugin_junit_and_x(tmp_path: Path) -> None:
    write(tmp_path, "facts/a.yaml", failing())
    write(tmp_path, "facts/b.yaml", SCENARIO)
    proc = run_pytest(tmp_path, "facts", "-q", "-x", "--junitxml", "out.xml")
    assert proc.returncode == 1 and "1 failed" in proc.stdout and "stopping after 1 failures" in proc.stdout
    assert 'name="art4.consult/uk/strike"' in (tmp_path / "out.xml").read_text()


def test_plugin_rejected_file_is_one_failing_item(tmp_path: Path) -> None:
    write(tmp_path, "facts/bad.yaml", SCENARIO.replace("regions: [lviv]", "regions: [lvov]"))
    proc = run_pytest(tmp_path, "facts", "-q")
    assert proc.returncode == 1
    assert "facts/bad.yaml:14: events[0].regions[0]: unknown region 'lvov'" in proc.stdout
    assert "1 failed" in proc.stdout


def test_project_suite_runs_every_bundled_expectation_exactly_once() -> None:
    proc = run_pytest(ROOT, "--collect-only", "-q")
    ids = [line for line in proc.stdout.splitlines() if line.startswith("facts/")]
    expected = sorted(f"{p.relative_to(ROOT)}::{name}" for p in sorted(FACTS.rglob("*.yaml"))
                      for name in _case_names(p))
    assert sorted(ids) == expected
    assert len(set(ids)) == len(ids)


def _case_names(path: Path) -> list[str]:
    """The case names of a file: TREATY::ID in a history of several treaties."""
    views = load_histories(path)
    return [f"{pack.name}::{name}" if len(views) > 1 else name
            for scenario, pack in views for name in testing.case_names(scenario.expectations)]


def test_case_names_are_unique_in_a_file() -> None:
    from checker.model import Expectation

    es = [Expectation("art1.guarantee/russia", 3, status="breached", certainty="possible"),
          Expectation("art1.guarantee/russia", 6, status="complied", certainty="possible"),
          Expectation("art1.guarantee/uk", 9, status="complied"),
          Expectation("art4.consult/uk/a", 11, not_fired=True),
          Expectation("art4.consult/uk/a", 13, not_fired=True)]
    assert testing.case_names(es) == [
        "art1.guarantee/russia[breached,possible]", "art1.guarantee/russia[complied,possible]",
        "art1.guarantee/uk", "not_fired:art4.consult/uk/a[line 11]", "not_fired:art4.consult/uk/a[line 13]"]


# --- the CI examples in docs/ci ----------------------------------------------------------------

def _checker_commands(text: str) -> list[list[str]]:
    import shlex

    commands = []
    for raw in text.replace("\\\n", " ").splitlines():
        line = raw.strip().removeprefix("- ").removeprefix("run:").removeprefix("entry:").strip()
        if line.startswith("checker "):
            words = shlex.split(line.split(" > ")[0].split(" #")[0])
            commands.append([w for w in words if "${{" not in w])
    return commands


def test_ci_examples_use_real_commands_and_options() -> None:
    import typer.main
    import yaml

    docs = ROOT / "docs" / "ci"
    workflow = yaml.safe_load((docs / "github-actions.yml").read_text())
    assert workflow["jobs"]["rules"]["steps"]
    yaml.safe_load((docs / "pre-commit-config.yaml").read_text())
    assert subprocess.run(["bash", "-n", str(docs / "pre-commit")]).returncode == 0
    group = typer.main.get_command(app)
    seen = set()
    for name in ("github-actions.yml", "pre-commit", "pre-commit-config.yaml"):
        for words in _checker_commands((docs / name).read_text()):
            sub = group.get_command(None, words[1])  # type: ignore[arg-type]
            assert sub is not None, words
            args = [w if w != "origin/" else "origin/main" for w in words[2:]]
            sub.make_context(words[1], args)  # raises on an unknown option or a bad value
            seen.add(words[1])
    assert seen == {"lint", "test", "diff"}


def test_brief_derivation_for_verdicts_without_a_single_tree(tmp_path: Path) -> None:
    # used for scenarios with uncertain facts, where a verdict spans possible worlds
    from checker.engine.check import check_file

    path = write(tmp_path, "s.yaml", SCENARIO)
    verdicts, pack = check_file(path)
    assert testing.derivation(verdicts, pack, "art4.consult/uk/strike") == [
        "art4.consult (Consultations within three days of an attack): achievement duty of uk, fired on "
        f"2027-04-10, triggered by strike (attack on 2027-04-10, {path}:9)",
        "deadline 2027-04-13; verdict as of 2027-04-20",
        f"met by talks (consultation on 2027-04-12, {path}:21)",
    ]
    assert testing.derivation(verdicts, pack, "art4.consult/usa/crimea-raid") == [
        "art4.consult (Consultations within three days of an attack) would have fired for usa on crimea-raid "
        f"(attack on 2027-04-11, {path}:15)",
        "blocked by art2.excluded_territory (The guarantees do not cover the temporarily occupied territories)",
    ]


# --- which files hold tests: found by parsing, never by the look of the text --------------------

def _spellings() -> dict[str, tuple[str, str]]:
    """The failing fixture with its expect: key written every way YAML and JSON allow."""
    import json

    import yaml

    doc = yaml.safe_load(failing())
    doc["in_force_from"], doc["as_of"] = str(doc["in_force_from"]), str(doc["as_of"])
    for event in doc["events"]:
        event["date"] = str(event["date"])
    return {
        "quoted key": ("s.yaml", failing().replace("\nexpect:\n", '\n"expect":\n')),
        "explicit key": ("s.yaml", failing().replace("\nexpect:\n", "\n? expect\n:\n")),
        "flow style": ("s.yaml", yaml.safe_dump(doc, default_flow_style=True, sort_keys=False, width=80)),
        "byte-order mark": ("s.yaml", "\ufeff" + failing()),
        "key after a comment and a space": ("s.yaml", failing().replace("\nexpect:\n", "\n# expectations\nexpect :\n")),
        "JSON": ("s.json", json.dumps(doc, indent=1)),
        "JSON with a byte-order mark": ("s.json", "\ufeff" + json.dumps(doc)),
    }


SPELLINGS = _spellings()


def test_the_spellings_are_the_same_scenario() -> None:
    from checker.io.scenario import parse_document

    for name, (file, text) in SPELLINGS.items():
        doc = parse_document(text, Path(file).suffix, file)
        assert [e.get("obligation") or e.get("not_fired") for e in doc["expect"]] == [
            "art4.consult/uk/strike", "art4.consult/usa/strike", "art4.consult/uk/crimea-raid"], name


@pytest.mark.parametrize("name", SPELLINGS)
def test_a_failing_expectation_is_found_however_the_key_is_written(tmp_path: Path, name: str) -> None:
    file, text = SPELLINGS[name]
    path = write(tmp_path, file, text)
    result = invoke("test", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "2 passed, 1 failed" in result.output and "skipped" not in result.output
    assert f"FAIL {path}:" in result.output


@pytest.mark.parametrize("name", SPELLINGS)
def test_the_plugin_collects_however_the_key_is_written(tmp_path: Path, name: str) -> None:
    file, text = SPELLINGS[name]
    write(tmp_path, f"facts/{file}", text)
    proc = run_pytest(tmp_path, "facts", "-q")
    assert proc.returncode == 1, proc.stdout
    assert "1 failed, 2 passed" in proc.stdout


def test_a_scenario_that_does_not_validate_is_rejected_with_or_without_expectations(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", SCENARIO.split("expect:")[0].replace("regions: [lviv]", "regions: [lvov]"))
    write(tmp_path, "good.yaml", SCENARIO)
    result = CliRunner().invoke(app, ["test", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{bad}:14: events[0].regions[0]: unknown region 'lvov' (did you mean 'lviv'?)"]
    assert "1 file(s) rejected" in result.stdout and "skipped" not in result.stdout


def test_a_file_that_cannot_be_read_as_a_scenario_is_rejected(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "scenario: [unclosed\n")
    result = CliRunner().invoke(app, ["test", str(bad)], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"{bad}:2: yaml: not valid YAML")


def test_the_plugin_fails_a_scenario_that_does_not_validate_and_has_no_expectations(tmp_path: Path) -> None:
    write(tmp_path, "facts/bad.yaml", SCENARIO.split("expect:")[0].replace("regions: [lviv]", "regions: [lvov]"))
    write(tmp_path, "facts/notes.yaml", "just: some yaml\n")  # no scenario at all: not collected
    proc = run_pytest(tmp_path, "facts", "-q")
    assert proc.returncode == 1
    assert "facts/bad.yaml:14: events[0].regions[0]: unknown region 'lvov'" in proc.stdout
    assert "1 failed" in proc.stdout


def test_only_valid_scenarios_without_expectations_and_files_that_are_no_scenario_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, "plain.yaml", SCENARIO.split("expect:")[0])
    write(tmp_path, "notes.yaml", "just: some yaml\n")
    write(tmp_path, "list.yaml", "- a\n- b\n")
    write(tmp_path, "s.yaml", SCENARIO)
    run = testing.run_corpus(scenario_files([tmp_path]), jobs=1)
    assert sorted(Path(p).name for p in run.skipped) == ["list.yaml", "notes.yaml", "plain.yaml"]
    assert [f.file for f in run.files] == [str(tmp_path / "s.yaml")] and not run.rejected


@pytest.mark.parametrize("options", [(), ("--coverage", "--threshold", "100")], ids=["plain", "threshold"])
def test_a_run_that_tests_nothing_fails(tmp_path: Path, options) -> None:
    write(tmp_path, "plain.yaml", SCENARIO.split("expect:")[0])
    write(tmp_path, "notes.yaml", "just: some yaml\n")
    result = CliRunner().invoke(app, ["test", str(tmp_path), *options], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("no expectations found: nothing was tested (2 file(s) skipped: "
                                              "no expect: block, or no scenario)")
