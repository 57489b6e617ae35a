"""Coverage: the outcomes a provision can reach come from the rules; the corpus says which it did."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io import pack as packs
from checker.io.files import scenario_files
from checker.io.pack import load_pack
from checker.maintain import testing
from checker.maintain.coverage import compute_coverage, reachable_outcomes
from checker.render.markdown import coverage_markdown
from tests.test_testing import SCENARIO, write

ROOT = Path(__file__).resolve().parent.parent
PACK = "istanbul-2022"
NOT_BOUND = "not fired: art7.not_bound"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    tracked = subprocess.run(["git", "ls-files", "rules"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.split()
    for name in tracked:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    packs._CACHE.clear()
    return tmp_path / "rules"


def test_reachable_outcomes_follow_the_rules() -> None:
    reach = reachable_outcomes(load_pack(PACK, ROOT / "rules"))
    # consultations are never ended early, and only scope and binding block them
    assert reach["art4.consult"] == ["fired", "fulfilled", "late", "breached", "pending",
                                     "not fired: art2.excluded_territory", NOT_BOUND]
    # assistance can be discharged by the Security Council, and blocked by every condition
    assert reach["art4.assist"] == ["fired", "fulfilled", "late", "breached", "pending", "discharged",
                                    "not fired: art2.excluded_territory", "not fired: art5.unsc_measures",
                                    "not fired: art6.provocation", NOT_BOUND]
    # the per-means duties of the as_requested reading get the same, through means_provision/2
    assert reach["art4.assist.armaments"] == reach["art4.assist"]
    assert reach["art1.non_nuclear"] == ["fired", "complied", "breached", NOT_BOUND]
    assert reach["art6.provocation"] == ["blocks"]
    assert reach["art3.eu_membership"] == []  # set aside


def test_a_new_rule_makes_a_new_outcome_reachable(rules_copy: Path) -> None:
    consult = rules_copy / PACK / "art4_consult.lp"
    consult.write_text(consult.read_text() + '\n% the Security Council ends consultations too\n'
                       'ends(ob("art4.consult", G, A), M, T) :- would_fire(ob("art4.consult", G, A), _), '
                       'occurred(M, unsc_measures, T).\n')
    reach = reachable_outcomes(load_pack(PACK, rules_copy))
    assert "discharged" in reach["art4.consult"]


def test_status_and_rule_coverage_of_a_small_corpus(tmp_path: Path) -> None:
    write(tmp_path, "s.yaml", SCENARIO)
    run = testing.run_corpus(scenario_files([tmp_path]), jobs=1)
    report = compute_coverage(run, jobs=1)
    consult = next(p for p in report.provisions if p.id == "art4.consult")
    assert consult.reached["fulfilled"] == [str(tmp_path / "s.yaml")]
    assert consult.reached["breached"] and consult.reached["not fired: art2.excluded_territory"]
    assert consult.missing == ["late", "pending", NOT_BOUND]
    hit, total = report.status_cells
    assert 0 < hit < total and report.status_percent == pytest.approx(100 * hit / total)
    never = {(r.file, r.line) for r in report.rules if not r.fired_in}
    fired = {(r.file, r.line) for r in report.rules if r.fired_in}
    bound = (ROOT / "rules" / PACK / "art7_bound.lp").read_text().splitlines()
    in_force = next(i + 1 for i, t in enumerate(bound) if t.startswith("_bound_via(P, D) :- in_force_from(D)"))
    signed = next(i + 1 for i, t in enumerate(bound) if t.startswith("signed(P, S) :-"))
    assert (f"rules/{PACK}/art7_bound.lp", in_force) in fired     # the scenario uses in_force_from
    assert (f"rules/{PACK}/art7_bound.lp", signed) in never        # and has no signature at all
    assert 0 < report.rule_percent < 100
    md = coverage_markdown(report)
    assert "| `art4.consult` | achievement | fired, fulfilled, breached, not fired: art2.excluded_territory | " \
           "late, pending, not fired: art7.not_bound |" in md


def test_a_dead_rule_is_listed_with_its_file_and_line(rules_copy: Path, tmp_path: Path) -> None:
    scope = rules_copy / PACK / "art2_scope.lp"
    scope.write_text(scope.read_text() + "\n% never: no day is before day 0\n_dead(D) :- as_of(D), D < 0.\n")
    line = len(scope.read_text().splitlines())
    path = write(tmp_path, "facts/s.yaml", SCENARIO)
    run = testing.run_corpus([path], rules_root=rules_copy, jobs=1)
    report = compute_coverage(run, jobs=1)
    dead = [r for r in report.rules if r.file == f"rules/{PACK}/art2_scope.lp" and r.line == line]
    assert len(dead) == 1 and dead[0].fired_in == 0 and dead[0].text == "_dead(D) :- as_of(D), D < 0."


def test_cli_threshold(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SCENARIO)
    low = invoke("test", str(path), "--coverage", "--threshold", "100")
    assert low.exit_code == 1  # every expectation held, but coverage is below the threshold
    assert "3 passed, 0 failed" in low.stdout
    assert "BELOW the threshold of 100%" in low.stdout
    assert "✗ late" in low.stdout and "never fired  " in low.stdout
    ok = invoke("test", str(path), "--coverage", "--threshold", "1")
    assert ok.exit_code == 0 and "meets the threshold of 1%" in ok.stdout
    doc = json.loads(invoke("test", str(path), "--coverage", "--format", "json").stdout)
    consult = next(p for p in doc["coverage"]["provisions"] if p["id"] == "art4.consult")
    assert consult["missing"] == ["late", "pending", NOT_BOUND]
    assert doc["coverage"]["rules"]["total"] > 100


def test_threshold_needs_coverage() -> None:
    result = invoke("test", str(ROOT / "facts"), "--threshold", "50")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--threshold: needs --coverage"


def test_junit_with_coverage_keeps_stdout_xml(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SCENARIO)
    result = invoke("test", str(path), "--coverage", "--format", "junit")
    assert result.stdout.startswith("<?xml") and result.stdout.rstrip().endswith("</testsuites>")
    assert "Status coverage:" in result.stderr


def _gaps() -> list[str]:
    run = testing.run_corpus(scenario_files([ROOT / "facts"]), jobs=1)
    report = compute_coverage(run, rules=False)
    return [f"{p.id}: {o}" for p in report.provisions for o in p.missing]


def test_bundled_corpus_reaches_every_reachable_outcome() -> None:
    assert _gaps() == []
