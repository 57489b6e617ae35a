"""checker mutate: the mutants each operator makes, how each is judged, the report, exit codes.

The runs use the small pack in tests/packs/mutate-harbour (a curfew rule, a short copy of the
lifecycle, two scenarios and a unit test file named in its manifest), so that every mutant
of it is judged in seconds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.errors import PackError, UsageError
from checker.maintain import mutate
from checker.render.github import mutate_github
from checker.render.json import mutate_document
from checker.render.style import Style
from checker.render.text import mutate_text

ROOT = Path(__file__).resolve().parents[1]
HARBOUR = ROOT / "tests" / "packs" / "mutate-harbour"
PACK = HARBOUR / "rules" / "harbour"
CURFEW = "tests/packs/mutate-harbour/rules/harbour/curfew.lp"
SCHEMA = json.loads((ROOT / "docs" / "schema" / "mutate.schema.json").read_text(encoding="utf-8"))


def rule_file(tmp_path: Path, text: str) -> mutate.RuleFile:
    path = tmp_path / "r.lp"
    path.write_text(text, encoding="utf-8")
    return mutate.parse_rule_file(path, "p/r.lp", "r.lp", ("p",))


def mutations(tmp_path: Path, text: str, operator: str) -> list[str]:
    made, _ = mutate.mutants_of(rule_file(tmp_path, text), [operator], set())
    return [m.mutation for m in made]


RULE = "v(X, D) :- e(X, D), p(X, N), D <= N + 1, not q(X).\n"


# --- the operators ----------------------------------------------------------------------------------

@pytest.mark.parametrize("operator,expected", [
    ("comparison", ["comparison: D <= (N+1) -> D < (N+1)"]),
    ("constant", ["constant: 1 -> 2", "constant: 1 -> 0"]),
    ("delete", ["delete: e(X,D)", "delete: p(X,N)", "delete: D <= (N+1)", "delete: not q(X)"]),
    ("negate", ["negate: e(X,D) -> not e(X,D)", "negate: p(X,N) -> not p(X,N)", "negate: not q(X) -> q(X)"]),
    ("swap", ["swap: v(X,D) -> v(D,X)", "swap: e(X,D) -> e(D,X)", "swap: p(X,N) -> p(N,X)"]),
])
def test_each_operator_changes_one_point_of_the_syntax_tree(tmp_path, operator, expected):
    assert mutations(tmp_path, RULE, operator) == expected


def test_every_flip_of_a_comparison(tmp_path):
    text = "a(X) :- b(X, Y), X < Y, X > Y, X >= Y, X = Y, X != Y.\n"
    assert mutations(tmp_path, text, "comparison") == [
        "comparison: X < Y -> X <= Y", "comparison: X > Y -> X >= Y", "comparison: X >= Y -> X > Y",
        "comparison: X = Y -> X != Y", "comparison: X != Y -> X = Y"]


def test_literals_inside_an_aggregate_and_nested_terms_are_reached(tmp_path):
    text = "n(K) :- K = #count { G : g(G, D), D <= 3 }.\nw(ob(P, G, A)) :- x(P, G, A).\n"
    assert "delete: D <= 3" in mutations(tmp_path, text, "delete")
    assert "negate: g(G,D) -> not g(G,D)" in mutations(tmp_path, text, "negate")
    assert "swap: ob(P,G,A) -> ob(P,A,G)" in mutations(tmp_path, text, "swap")


def test_a_mutant_is_the_file_printed_back_with_one_statement_changed(tmp_path):
    from clingo import ast

    text = "% a comment\nx(1).\n" + RULE
    made, texts = mutate.mutants_of(rule_file(tmp_path, text), ["comparison"], set())
    assert [m.line for m in made] == [3] and made[0].rule_line == 3
    printed = [line for line in texts[0].splitlines() if not line.startswith(("#program", "%"))]
    assert printed == ["x(1).", "v(X,D) :- e(X,D); p(X,N); D < (N+1); not q(X)."]
    ast.parse_string(texts[0], lambda _s: None)  # a mutant is clingo text, never a text substitution


def test_show_statements_and_facts_without_variables_make_no_swaps(tmp_path):
    assert mutations(tmp_path, "#show a/1.\nm(1, 2).\n", "swap") == []


# --- equivalence marks ----------------------------------------------------------------------------------

def test_a_mark_above_a_rule_or_on_it_excuses_its_survivors(tmp_path):
    text = ("% why it holds\n% mutate: equivalent constant: 1 -> 0 - day 0 is before every event too\n"
            "a(1) :- b.\n"
            "c(X) :- d(X, Y), Y > 2.  % mutate: equivalent - nothing reads c/1\n")
    marks = rule_file(tmp_path, text).marks
    assert [(m.rule_line, m.selector, m.reason) for m in marks] == [
        (3, "constant: 1 -> 0", "day 0 is before every event too"), (4, "", "nothing reads c/1")]
    made, _ = mutate.mutants_of(rule_file(tmp_path, text), ["constant"], set())
    covered = {m.mutation: any(mark.covers(m) for mark in marks) for m in made}
    assert covered == {"constant: 1 -> 2": False, "constant: 1 -> 0": True, "constant: 2 -> 3": True,
                       "constant: 2 -> 1": True}


def test_a_mark_that_stands_on_no_rule_is_refused_with_its_line(tmp_path):
    with pytest.raises(PackError) as info:
        rule_file(tmp_path, "a.\n\n% mutate: equivalent - stray\n\nb.\n")
    assert info.value.lines() == ["r.lp:3: mutate: an equivalence mark must stand on a rule or in the comments "
                                  "right above it"]


# --- a run on the harbour pack -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report():
    return mutate.mutate([PACK], operators=["comparison", "constant", "delete"], jobs=2)


def by_mutation(report) -> dict[str, mutate.Result]:
    return {f"{r.mutant.file}:{r.mutant.line}: {r.mutant.mutation}": r for r in report.results}


def test_each_mutant_is_judged_and_the_judge_is_named(report):
    found = by_mutation(report)
    killed = found[f"{CURFEW}:24: comparison: (X+G) <= D -> (X+G) < D"]
    assert (killed.status, killed.by) == ("killed", "tests/packs/mutate-harbour/facts/curfew.yaml::p1.curfew/ahab")
    assert killed.detail == "expected breached, got complied (certain)"
    by_test = found[f"{CURFEW}:19: comparison: LD <= D -> LD < D"]
    assert (by_test.status, by_test.by) == (
        "killed", "tests/test_mutate_harbour_curfew.py::test_a_lifting_on_the_day_of_the_sailing_comes_in_time")
    unsafe = found[f"{CURFEW}:23: delete: param(grace_days,G)"]
    assert (unsafe.status, unsafe.detail) == ("invalid", "unsafe variable G")
    survivor = found[f"{CURFEW}:19: comparison: X <= LD -> X < LD"]
    assert (survivor.status, survivor.nearest) == ("survived", "tests/packs/mutate-harbour/facts/curfew.yaml")
    equivalent = [r for r in report.results if r.status == "equivalent"]
    assert {r.mutant.mutation for r in equivalent} == {"constant: 1 -> 2", "constant: 1 -> 0"}
    assert {r.reason for r in equivalent} == {"the duty runs from a day before every event, and days 0 and 2 are too"}


def test_the_score_leaves_out_equivalent_invalid_and_timeout(report):
    c = report.counts()
    assert c["killed"] and c["survived"] and c["invalid"] and c["equivalent"] == 2
    assert report.score == pytest.approx(100 * c["killed"] / (c["killed"] + c["survived"]))
    assert sum(c.values()) == len(report.results) == report.generated


def test_the_text_report_lists_survivors_by_line_and_the_reasons_of_equivalence(report):
    text = mutate_text(report, Style(False), threshold=99)
    assert f"  {CURFEW}:19: comparison: X <= LD -> X < LD  (nearest scenario: " \
           "tests/packs/mutate-harbour/facts/curfew.yaml)" in text
    assert f"  {CURFEW}:16: 2 mutants: the duty runs from a day before every event, and days 0 and 2 are too" in text
    assert "p1.curfew" in text and "common/lifecycle.lp" in text  # per provision
    assert "BELOW the threshold of 99%" in text


def test_the_json_report_follows_its_schema(report):
    doc = mutate_document(report)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert doc["summary"]["mutants"] == len(doc["mutants"]) and doc["tests"] == {"harbour": ["tests"]}
    assert {r["line"] for r in doc["rules"] if r["file"] == CURFEW} == {13, 16, 19, 22}
    broken = json.loads(json.dumps(doc))
    broken["mutants"][0]["status"] = "wounded"
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(broken)


def test_github_annotations_put_each_survivor_on_its_line(report):
    lines = mutate_github(report, below=True).splitlines()
    assert f"::error file={CURFEW},line=19,title=mutant survived::comparison%3A X <= LD -> X < LD" not in lines
    assert any(line.startswith(f"::error file={CURFEW},line=19,title=mutant survived::comparison: X <= LD -> X < LD")
               for line in lines)
    assert lines[-1].startswith("mutation score ")


# --- the command ----------------------------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(app, ["mutate", *args], env={"NO_COLOR": "1"})


def test_the_threshold_decides_the_exit_code():
    ok = invoke(str(PACK), "--operators", "comparison", "-j", "1", "--threshold", "10")
    assert ok.exit_code == 0, ok.output
    assert "meets the threshold of 10%" in ok.stdout
    below = invoke(str(PACK), "--operators", "comparison", "-j", "1", "--threshold", "99.5")
    assert below.exit_code == 1 and "BELOW the threshold of 99.5%" in below.stdout


def test_a_weakened_corpus_fails_the_threshold_the_whole_one_meets(tmp_path):
    copy = tmp_path / "harbour"
    shutil.copytree(HARBOUR, copy)
    args = [str(copy / "rules" / "harbour"), "--operators", "comparison", "--threshold", "50", "-j", "2"]
    whole = invoke(*args)
    assert whole.exit_code == 0 and "Mutation score: 60.0% (3 killed of 5;" in whole.stdout
    (copy / "facts" / "as-of.yaml").unlink()  # the scenario that pins the verdict day
    weak = invoke(*args)
    assert weak.exit_code == 1 and "Mutation score: 40.0% (2 killed of 5;" in weak.stdout
    assert "lifecycle.lp:12: comparison: D <= N -> D < N" in weak.stdout


@pytest.mark.parametrize("args,message", [
    (["nowhere/pack"], "nowhere/pack: no such file or folder"),
    ([str(PACK), "--operators", "shuffle"], "--operators: unknown operator 'shuffle'"),
    ([str(PACK), "--corpus", "nowhere"], "--corpus: nowhere: no such file or folder"),
    ([str(ROOT / "facts")], "neither a rule pack"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_a_corpus_that_fails_on_the_unmutated_rules_is_refused(tmp_path):
    copy = tmp_path / "harbour"
    shutil.copytree(HARBOUR, copy)
    scenario = copy / "facts" / "grace.yaml"
    scenario.write_text(scenario.read_text().replace("status: complied", "status: breached"))
    result = invoke(str(copy / "rules" / "harbour"), "--operators", "comparison", "-j", "1")
    assert result.exit_code == 2
    assert result.stderr.endswith("grace.yaml:9: expect: p1.curfew/nemo: expected breached, got complied (certain) "
                                  "on the unmutated rules; a mutation check needs a corpus that passes\n")


def test_unit_tests_that_fail_on_the_unmutated_rules_are_refused(tmp_path):
    copy = tmp_path / "harbour"
    shutil.copytree(HARBOUR, copy)
    test = copy / "tests" / "test_mutate_harbour_curfew.py"
    test.write_text(test.read_text().replace('== "complied"', '== "breached"', 1))
    result = invoke(str(copy / "rules" / "harbour"), "--operators", "comparison", "-j", "1")
    assert result.exit_code == 2
    assert result.stderr == ("tests/test_mutate_harbour_curfew.py::test_a_lifting_on_the_day_of_the_sailing_comes_in_time: "
                             "unit test failed on the unmutated rules; a mutation check needs unit tests that pass\n")


def test_tests_outside_the_project_are_refused(tmp_path):
    copy = tmp_path / "harbour"
    shutil.copytree(HARBOUR, copy)
    manifest = copy / "rules" / "harbour" / "treaty.yaml"
    manifest.write_text(manifest.read_text().replace("tests: [tests]", "tests: [../elsewhere]"))
    result = invoke(str(copy / "rules" / "harbour"), "--operators", "comparison")
    assert result.exit_code == 2 and "treaty.yaml:6: tests: '../elsewhere' is outside" in result.stderr


def test_a_sample_is_the_same_for_the_same_seed():
    def ids(seed):
        return [m.id for m in mutate.plan([PACK], sample=10, seed=seed).mutants]

    assert ids(1) == ids(1) and len(ids(1)) == 10 and ids(1) != ids(2)


def test_packs_of_two_rules_folders_are_refused():
    with pytest.raises(UsageError, match="one rules folder"):
        mutate.find_packs([PACK, ROOT / "rules" / "istanbul-2022"])


def test_the_unit_tests_of_a_rule_file_are_those_named_after_it():
    stages = mutate.test_stages(["tests/rules"], ROOT, "istanbul-2022/art7_bound.lp")
    assert stages == [["tests/rules/test_art7_bound.py"]]
    assert mutate.test_stages(["tests/rules"], ROOT, "common/inputs.lp") == [["tests/rules"]]
    assert mutate.test_stages([], ROOT, "common/inputs.lp") == []
