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
    equivalent = {r.mutant.mutation: r.reason for r in report.results if r.status == "equivalent"}
    marked = "the duty runs from a day before every event, and days 0 and 2 are too"
    assert equivalent == {"constant: 1 -> 2": marked, "constant: 1 -> 0": marked,
                          # the pack has no rule for blocked/2: shown without a mark
                          "delete: not blocked(O,_)": "in harbour nothing derives blocked/2: `not blocked(O,_)` always holds"}


def test_the_score_leaves_out_equivalent_invalid_and_timeout(report):
    c = report.counts()
    assert c["killed"] and c["survived"] and c["invalid"] and c["equivalent"] == 3
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


# --- versions of a treaty, and histories of several ---------------------------------------------------

RULES = ROOT / "rules"
DRAFT, MARCH = RULES / "istanbul-2022-04-15", RULES / "istanbul-2022"


def test_a_version_alone_is_judged_on_the_files_it_adds_or_replaces():
    files = {f.relative: f.packs for f in mutate.plan([DRAFT]).files}
    assert files == {"istanbul-2022-04-15/art4_assist.lp": ("istanbul-2022-04-15",),
                     "istanbul-2022-04-15/art4_joint_decision.lp": ("istanbul-2022-04-15",)}


def test_a_version_named_with_its_parent_adds_its_corpus_to_the_files_it_inherits():
    files = {f.relative: f.packs for f in mutate.plan([MARCH, DRAFT]).files}
    both = ("istanbul-2022", "istanbul-2022-04-15")
    assert files["istanbul-2022/art7_bound.lp"] == both          # inherited: both corpora judge it
    assert files["istanbul-2022/art4_assist.lp"] == ("istanbul-2022",)  # replaced by the draft's
    assert files["istanbul-2022-04-15/art4_assist.lp"] == ("istanbul-2022-04-15",)
    assert files["common/lifecycle.lp"] == both
    assert len(mutate.plan([RULES]).files) == len({f.path for f in mutate.plan([RULES]).files})


def test_a_history_of_several_treaties_judges_each_treaty_it_has_expectations_for():
    judges = {(s.path, s.pack) for s in mutate.plan([DRAFT, RULES / "nato-1949"]).scenarios}
    assert ("facts/history/2022-02-21.yaml", "istanbul-2022-04-15") in judges
    assert ("facts/history/2022-02-21.yaml", "nato-1949") in judges
    assert not any(pack == "istanbul-2022" for _, pack in judges)  # not named


def test_a_mutant_a_history_kills_is_named_by_treaty_and_case():
    # (a generous timeout: on a loaded machine a history of four treaties may take a while)
    report = mutate.mutate([DRAFT], corpus=[ROOT / "facts" / "history"], operators=["negate"], jobs=1, timeout=300)
    assert not [r for r in report.results if r.status == "timeout"]
    by_corpus = {r.by for r in report.results if r.status == "killed" and r.by.startswith("facts/")}
    assert by_corpus and all(by.startswith("facts/history/2022-02-21.yaml::istanbul-2022-04-15::") for by in by_corpus)


# --- shared rules a pack never reaches ---------------------------------------------------------------

def _rules(text: str) -> list:
    from clingo import ast

    out: list = []
    ast.parse_string(text, out.append)
    return [s for s in out if s.ast_type.name == "Rule"]


LIFE = """
done(O) :- duty(O), refuses(O, E), not met(O).
late(O) :- duty(O), not refused(O), not met(O).
refused(O) :- refuses(O, _).
duty(O) :- event(O, duty, _).
"""


def _mutants(text: str, operator: str, index: int) -> list:
    made = mutate._transformers()[operator]
    rule = _rules(text)[index]
    listing = mutate._Sites(None)
    made(listing)(rule)
    return [(listing.found[k], made(mutate._Sites(k))(rule)) for k in range(len(listing.found))]


def test_a_mutant_of_a_rule_no_fact_can_reach_changes_nothing():
    from checker.maintain.derivable import engine_inputs, program

    pack = program("p", _rules(LIFE), engine_inputs())
    rule = _rules(LIFE)[0]
    for (_, _, before, _), mutant in _mutants(LIFE, "delete", 0):
        if before == "refuses(O,E)":  # without it the rule would fire
            assert pack.same_as(rule, mutant) is None
        else:
            assert pack.same_as(rule, mutant) == "the rule never fires in p: nothing there derives refuses/2", before
    live = _rules(LIFE)[3]
    assert all(pack.same_as(live, m) is None for _, m in _mutants(LIFE, "delete", 3))


def test_a_literal_that_always_holds_may_go_but_may_not_turn():
    from checker.maintain.derivable import engine_inputs, program

    pack = program("p", _rules(LIFE), engine_inputs())
    rule = _rules(LIFE)[1]
    found = {before: pack.same_as(rule, m) for (_, _, before, _), m in _mutants(LIFE, "delete", 1)}
    assert found["not refused(O)"] == "in p nothing derives refused/1: `not refused(O)` always holds"
    assert found["not met(O)"] is None and found["duty(O)"] is None
    negated = {before: pack.same_as(rule, m) for (_, _, before, _), m in _mutants(LIFE, "negate", 1)}
    assert negated["not refused(O)"] is None  # refused(O) never holds: the rule would never fire


def test_a_pack_that_derives_the_predicate_sees_the_change():
    from checker.maintain.derivable import engine_inputs, program

    text = LIFE + "refuses(O, E) :- event(E, refusal, _), arg(E, of, O).\n"
    pack = program("p", _rules(text), engine_inputs())
    assert all(pack.same_as(_rules(text)[0], m) is None for _, m in _mutants(text, "delete", 0))


def test_a_shared_rule_dead_in_one_pack_is_judged_whole_where_another_reads_it():
    alone = [m for m in mutate.plan([MARCH]).mutants if m.static]
    assert alone and {m.file for m in alone} == {"rules/common/lifecycle.lp"}
    assert all("nothing" in m.static and "derives" in m.static for m in alone)
    together = mutate.plan([MARCH, RULES / "nato-1949", RULES / "budapest-1994"]).mutants
    assert not [m for m in together if m.static]


def test_every_program_the_engine_adds_to_a_pack_is_known_to_the_static_check():
    """derivable.ENGINE_PROGRAMS must name every program text the package adds to a pack's
    rules (`ctl.add(part, params, NAME)`): one it missed could make a live rule look dead."""
    import ast as python_ast

    from checker.maintain.derivable import ENGINE_PROGRAMS, engine_inputs

    added = set()
    for path in (ROOT / "checker").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in python_ast.walk(python_ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, python_ast.Call) and isinstance(node.func, python_ast.Attribute) \
                    and node.func.attr == "add" and len(node.args) == 3:
                text = node.args[2]
                assert isinstance(text, python_ast.Name), f"{path}:{node.lineno}: a program that is no constant"
                added.add((module, text.id))
    assert added == set(ENGINE_PROGRAMS)
    assert ("repair_mode", 0) in engine_inputs()


def test_marks_are_checked_for_staleness_only_where_every_pack_reading_them_is_named():
    beyond = mutate.plan([MARCH]).shared_beyond
    assert {"common/lifecycle.lp", "istanbul-2022/art7_bound.lp"} <= beyond   # read by others too
    assert "istanbul-2022/art4_assist.lp" not in beyond   # the draft replaces it
    assert mutate.plan([RULES]).shared_beyond == set()


def test_a_pack_that_does_not_load_beside_the_one_named_does_not_stop_the_run(tmp_path):
    copy = tmp_path / "harbour"
    shutil.copytree(HARBOUR, copy)
    (copy / "rules" / "draft").mkdir()
    (copy / "rules" / "draft" / "treaty.yaml").write_text("treaty: draft\nprovisions: [\n", encoding="utf-8")
    p = mutate.plan([copy / "rules" / "harbour"])
    assert p.mutants and p.shared_beyond == {"common/lifecycle.lp"}


def test_no_bundled_pack_is_judged_by_another_packs_unit_tests():
    from checker.io.pack import load_pack

    named = {name: mutate.pack_tests(load_pack(name, RULES), ROOT) for name in mutate.find_packs([RULES])[1]}
    for pack, paths in named.items():
        for other, theirs in named.items():
            for path in theirs:
                holding = [p for p in paths if (ROOT / p).is_dir() and (ROOT / path).is_relative_to(ROOT / p)]
                assert path in paths or not holding, f"{pack}'s tests {holding} hold {other}'s {path}"


def test_a_rule_that_needs_a_provision_the_manifest_never_gives_changes_nothing():
    from checker.io.pack import load_pack
    from checker.maintain.derivable import engine_inputs, fixed_facts, program

    text = ('undated(P) :- provision_deadline(P, optional).\n'
            'open(O) :- fired(O, _), O = ob(P, _, _), undated(P), not met(O).\n'
            'kept(O) :- fired(O, _), not provision(_, maintenance).\n')
    march = program("istanbul-2022", _rules(text), engine_inputs(), fixed_facts(load_pack("istanbul-2022", RULES)))
    nato = program("nato-1949", _rules(text), engine_inputs(), fixed_facts(load_pack("nato-1949", RULES)))
    budapest = program("budapest-1994", _rules(text), engine_inputs(), fixed_facts(load_pack("budapest-1994", RULES)))
    dead = [m for (_, _, before, _), m in _mutants(text, "delete", 1) if before == "not met(O)"][0]
    assert march.same_as(_rules(text)[1], dead) == "the rule never fires in istanbul-2022: nothing there derives undated/1"
    assert budapest.same_as(_rules(text)[1], dead) is None   # bm6.consult's deadline is optional
    swapped = _mutants(text, "negate", 2)[-1][1]   # not provision(_, maintenance) -> provision(...)
    assert nato.same_as(_rules(text)[2], swapped) is None    # the rule would stop firing
    gone = [m for (_, _, before, _), m in _mutants(text, "delete", 2) if before.startswith("not provision")][0]
    assert nato.same_as(_rules(text)[2], gone) == \
        "in nato-1949 its manifest gives no provision(_,maintenance): `not provision(_,maintenance)` always holds"


def test_the_facts_read_as_fixed_are_the_manifests_whatever_the_scenario():
    from checker.engine.facts import PACK_ONLY, fact_tuples, pack_fact_tuples
    from checker.io.scenario import load_scenario

    for path in sorted((ROOT / "facts" / "istanbul-2022").glob("*.yaml"))[:6]:
        scenario, pack = load_scenario(path)
        given = {t for t in fact_tuples(scenario, pack) if (t[0], len(t) - 1) in PACK_ONLY}
        assert given == set(pack_fact_tuples(pack)) and given
