"""`checker lint`'s growth check: a rule whose ground size grows faster than the history fails.

A small pack is written for each test (tests only), with linear rules and one rule that joins
every incident with every later notice; lint must name exactly that rule's file and line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import clingo
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.engine.facts import fact_symbols
from checker.io import pack as packs
from checker.io.pack import load_pack, rule_files
from checker.io.scenario import load_scenario
from checker.maintain.growth import COPIES, measure, scaled
from checker.maintain.lint import lint

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = """\
treaty: mini
title: A test treaty with one join too many
parties:
  fixed: {}
  lists: {members: [alpha, beta]}
regions: [iceland]
event_types:
  incident:
    fields: {by: {type: party, required: true}}
    says: "incident caused by {by}"
  notice:
    fields: {by: {type: party, required: true}, about: {type: event, to: incident}}
    says: "{by} gives notice of {about}"
provisions:
  - {id: p1.notify, kind: achievement, title: Notify, text: "Each member gives notice.", source: test}
"""
# linear: one duty per incident and member, met by a notice about it, or by the first notice
# of the member on or after the incident (keys x event days, with a fixed set of keys)
RULES = """\
%* # Notice
Encodes : p1.notify
Reads   : occurred/3, arg/3, role/2, has_field/2, first_on_or_after/3
Writes  : would_fire/2, deadline/2, meets/3, candidate_day/2
*%
would_fire(ob("p1.notify", M, I), D) :- occurred(I, incident, D), role(M, members).
deadline(ob("p1.notify", M, I), D + 2) :- would_fire(ob("p1.notify", M, I), D).
meets(ob("p1.notify", M, I), N, Day) :- would_fire(ob("p1.notify", M, I), D),
    occurred(N, notice, Day), arg(N, about, I), arg(N, by, M), Day >= D.
candidate_day(notice_by(M), Day) :- occurred(N, notice, Day), not has_field(N, about), arg(N, by, M).
meets(ob("p1.notify", M, I), N, Day) :- would_fire(ob("p1.notify", M, I), D),
    first_on_or_after(notice_by(M), D, Day), occurred(N, notice, Day), arg(N, by, M),
    not has_field(N, about).
"""
SCENARIO = """\
scenario: mini
treaty: mini
as_of: 2030-01-30
events:
  - {id: spill, date: 2030-01-01, type: incident, by: alpha}
  - {id: notice-a, date: 2030-01-02, type: notice, by: alpha, about: spill}
  - {id: notice-b, date: 2030-01-05, type: notice, by: beta}
  - {id: spill2, date: 2030-01-07, type: incident, by: beta}
  - {id: notice-c, date: 2030-01-09, type: notice, by: beta, about: spill2}
  - {id: notice-d, date: 2030-01-12, type: notice, by: alpha}
"""
QUADRATIC = "late(A, C) :- occurred(A, incident, D), occurred(C, notice, X), X > D.\n"
FLAGGED = re.compile(r"^rules/mini/p1_notify\.lp:(\d+): growth: rule grounds (\d+) -> (\d+) instances for "
                     r"events x 4 \(exponent (\d\.\d\d) > 1\.2\) over the scenarios of mini$")


@pytest.fixture()
def mini(tmp_path: Path, monkeypatch) -> Path:
    """rules/ (common and the mini pack) and facts/ in a folder of their own, as the cwd."""
    shutil.copytree(ROOT / "rules" / "common", tmp_path / "rules" / "common")
    (tmp_path / "rules" / "mini").mkdir()
    (tmp_path / "rules" / "mini" / "treaty.yaml").write_text(MANIFEST)
    (tmp_path / "rules" / "mini" / "p1_notify.lp").write_text(RULES)
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "mini.yaml").write_text(SCENARIO)
    monkeypatch.chdir(tmp_path)
    packs._CACHE.clear()
    return tmp_path


def add_rules(root: Path, text: str) -> int:
    """Append ``text`` to the pack's rule file; the line it starts on."""
    path = root / "rules" / "mini" / "p1_notify.lp"
    before = path.read_text()
    path.write_text(before + text)
    return before.count("\n") + 1


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def growth_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": growth: " in line]


def test_linear_rules_pass(mini: Path) -> None:
    result = invoke("lint", "rules", "facts")
    assert result.exit_code == 0, result.output
    # ...and were measured: every statement with a body, common's included, at 1, 2 and 4 copies
    found = lint(Path("rules"), [Path("facts/mini.yaml")]).growth["mini"]
    where = {(Path(g.statement.file).name, g.statement.line): g for g in found}
    chain = where[("first_on_or_after.lp", 17)]   # keys x event days: linear with fixed keys
    assert chain.sizes[-1] >= 4 * chain.sizes[0] > 0 and chain.exponent == pytest.approx(1.0, abs=0.05)
    meets = where[("p1_notify.lp", 8)]
    assert meets.sizes == [2, 4, 8] and meets.exponent == pytest.approx(1.0)


def test_a_quadratic_join_is_flagged_at_its_file_and_line(mini: Path) -> None:
    line = add_rules(mini, "% every incident with every later notice\n" + QUADRATIC) + 1
    result = invoke("lint", "rules", "facts")
    assert result.exit_code == 1, result.output
    (flagged,) = growth_lines(result)
    match = FLAGGED.match(flagged)
    assert match, flagged
    assert int(match.group(1)) == line
    n1, n4, exponent = int(match.group(2)), int(match.group(3)), float(match.group(4))
    assert n4 > 8 * n1 and 1.6 < exponent < 2.1
    assert result.stdout.splitlines()[-1].startswith("1 issue(s) in ")


@pytest.mark.parametrize("kind, text", [
    ("aggregate elements", "n_later(A, N) :- occurred(A, incident, D), "
                           "N = #count { C : occurred(C, notice, X), X > D }.\n"),
    ("choice rule", "{ pick(A, C) : occurred(C, notice, X), X > D } :- occurred(A, incident, D).\n"),
    ("constraint", ":- occurred(A, incident, D), occurred(C, notice, X), X > D, X < D - 100000.\n"
                   ":- occurred(A, incident, D), occurred(C, notice, X), X > D, not seen(A, C).\n"
                   "seen(A, C) :- occurred(A, incident, _), occurred(C, notice, _), A = C.\n"),
    ("show", "#show pair(A, C) : occurred(A, incident, D), occurred(C, notice, X), X > D.\n"),
    ("conditional literal", "ok(A) :- occurred(A, incident, D), seen(A, C) : occurred(C, notice, X), X > D.\n"
                            "seen(A, C) :- occurred(A, incident, _), occurred(C, notice, _), A = C.\n"),
])
def test_every_kind_of_statement_is_counted(mini: Path, kind: str, text: str) -> None:
    first = add_rules(mini, text)
    pack = load_pack("mini", Path("rules"))
    scenario, _ = load_scenario("facts/mini.yaml", rules_root=Path("rules"))
    measured = measure(pack, rule_files(pack), [scenario])
    flagged = [(Path(g.statement.file).name, g.statement.line) for g in measured if g.superlinear()]
    # the one statement that joins (for constraints: the one whose body holds; a constraint
    # whose comparison nothing satisfies grounds to nothing)
    expected = {"constraint": first + 1}.get(kind, first)
    assert flagged == [("p1_notify.lp", expected)], (kind, flagged)


def test_a_pack_the_scenarios_cannot_run_on_is_still_measured(mini: Path) -> None:
    """A choice rule gives several answer sets: the scenario fails, its history still counts."""
    line = add_rules(mini, "{ pick(A, C) : occurred(C, notice, X), X > D } :- occurred(A, incident, D).\n")
    result = invoke("lint", "rules", "facts")
    assert "answer sets" in result.stdout
    assert [int(FLAGGED.match(g).group(1)) for g in growth_lines(result)] == [line]


def test_counts_are_the_ground_instances(mini: Path) -> None:
    """The count of a rule whose head differs per instance is the number of heads it derives."""
    add_rules(mini, QUADRATIC)
    pack = load_pack("mini", Path("rules"))
    scenario, _ = load_scenario("facts/mini.yaml", rules_root=Path("rules"))
    (late,) = [g for g in measure(pack, rule_files(pack), [scenario]) if g.statement.text.startswith("late(")]
    for k, counted in zip(COPIES, late.sizes):
        ctl = clingo.Control(["--warn=none"])
        for path in rule_files(pack):
            ctl.load(str(path))
        with ctl.backend() as backend:
            for symbol in fact_symbols(scaled(scenario, pack, k), pack, clingo):
                backend.add_rule([backend.add_atom(symbol)])
        ctl.ground([("base", [])])
        assert counted == len(list(ctl.symbolic_atoms.by_signature("late", 2))), k
    # within a copy 4 notices follow the first incident and 2 the second; between copies every
    # incident of an earlier copy pairs with all 4 notices of a later one
    assert late.sizes == [6, 6 * 2 + 8, 6 * 4 + 8 * 6]


def test_copies_are_disjoint_and_refer_to_themselves(mini: Path) -> None:
    pack = load_pack("mini", Path("rules"))
    scenario, _ = load_scenario("facts/mini.yaml", rules_root=Path("rules"))
    longer = scaled(scenario, pack, 3)
    assert len(longer.events) == 3 * len(scenario.events)
    ids = [e.id for e in longer.events]
    assert len(set(ids)) == len(ids)
    by_id = {e.id: e for e in longer.events}
    for e in longer.events:
        for about in e.fields.get("about", ()):
            # a reference names an event of the same copy, with the same suffix
            assert about in by_id and about.partition("~")[2] == e.id.partition("~")[2]
    span = scenario.as_of - min(e.day for e in scenario.events)
    copies = [[e for e in longer.events if e.id.partition("~")[2] == tag] for tag in ("", "1", "2")]
    for earlier, later in zip(copies, copies[1:]):
        assert min(e.day for e in later) > max(e.day for e in earlier) + span
    assert longer.as_of >= max(e.day for e in longer.events)
    assert len({e.seq for e in longer.events}) == len(longer.events)


def test_growth_input_replaces_the_corpus(mini: Path) -> None:
    add_rules(mini, QUADRATIC)
    quiet = mini / "quiet.yaml"   # incidents only: nothing for the join to pair
    quiet.write_text("\n".join(line for line in SCENARIO.splitlines() if "notice" not in line) + "\n")
    result = invoke("lint", "rules", "facts", "--growth-input", str(quiet))
    assert growth_lines(result) == [], result.output
    result = invoke("lint", "rules", "facts", "--growth-input", "missing.yaml")
    assert result.exit_code == 2


def test_the_bundled_rules_grow_linearly(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = lint(Path("rules"), sorted(Path("facts").rglob("*.yaml")))
    assert not [i for i in result.issues if i.check == "growth"]
    measured = result.growth["istanbul-2022"]
    files = {Path(g.statement.file).name for g in measured}
    assert {p.name for p in Path("rules/istanbul-2022").glob("*.lp")} <= files
    assert {p.name for p in Path("rules/common").glob("*.lp")} - {"inputs.lp"} <= files | {"inputs.lp"}
    assert max(g.exponent or 0 for g in measured if g.sizes[-1] >= 50) < 1.2


def test_a_scenario_that_timed_out_is_not_made_longer(mini: Path) -> None:
    add_rules(mini, QUADRATIC)
    result = invoke("lint", "rules", "facts", "--timeout", "0.001")
    assert "timeout" in result.stdout
    assert growth_lines(result) == []
