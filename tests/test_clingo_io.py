"""checker/clingo_io.py: the bulk transfers into and out of clingo.

The fast path calls clingo's C functions through the binding's cffi module; the public API
does the same work where that module is missing. Both must give the same program and read
the same atoms, strings with quotes, backslashes and non-ASCII text included, and a check
must give the same verdicts either way.
"""

from __future__ import annotations

from pathlib import Path

import clingo
import pytest

from checker.engine.check import check_file
from checker.engine.clingo_io import Name, add_facts, read_facts
from checker.engine.solve import solve
from checker.io.scenario import load_scenario
from checker.render.json import render_json

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "facts" / "istanbul-2022").glob("*.yaml"))

FACTS = [
    ("event", "e-1", Name("attack"), 738000),
    ("arg", "e-1", Name("note"), 'a "quoted" back\\slash\nnewline, and ünïcödé ✓'),
    ("arg", "e-1", Name("note"), ""),
    ("seq", "e-1", 0),
    ("seq", "e-2", -5),
    ("flag",),
    ("pair", Name("a"), Name("b_c")),
]


@pytest.fixture(params=["fast", "public"])
def path(request, monkeypatch):
    if request.param == "public":
        monkeypatch.setenv("TREATY_CHECKER_PUBLIC_API", "1")
    return request.param


def _grounded(facts, program: str = "") -> clingo.Control:
    ctl = clingo.Control(["--warn=none"])
    add_facts(ctl, facts)
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    return ctl


def _expected_symbols() -> list[clingo.Symbol]:
    def term(v):
        return clingo.Number(v) if type(v) is int else clingo.Function(v) if type(v) is Name else clingo.String(v)

    return [clingo.Function(name, [term(a) for a in args]) for name, *args in FACTS]


def test_facts_arrive_as_the_symbols_they_describe(path):
    ctl = _grounded(FACTS)
    got = sorted(a.symbol for a in ctl.symbolic_atoms if a.is_fact)
    assert got == sorted(_expected_symbols())


def test_atoms_read_back_text_and_symbols_alike(path):
    ctl = _grounded(FACTS, "copy(X) :- arg(_, note, X).")
    blocks = read_facts(ctl, [("arg", 3), ("copy", 1), ("flag", 0), ("absent", 2)])
    assert [b.count for b in blocks] == [2, 2, 1, 0]
    for block in blocks:
        symbols = block.symbols()
        assert len(symbols) == block.count
        assert block.text == (str(clingo.Tuple_(symbols)) if symbols else "()")
    assert {s.arguments[0].string for s in blocks[1].symbols()} == {
        'a "quoted" back\\slash\nnewline, and ünïcödé ✓', ""}
    assert blocks[2].symbols() == [clingo.Function("flag")]


def test_both_paths_read_the_same_text(monkeypatch):
    ctl = _grounded(FACTS, "copy(X) :- arg(_, note, X).")
    signatures = [("arg", 3), ("copy", 1), ("seq", 2)]
    fast = [b.text for b in read_facts(ctl, signatures)]
    monkeypatch.setenv("TREATY_CHECKER_PUBLIC_API", "1")
    assert [b.text for b in read_facts(ctl, signatures)] == fast


def test_an_atom_that_is_no_fact_leaves_it_to_the_model(path):
    ctl = _grounded(FACTS, "{ maybe(1) }. :- not maybe(1).")
    assert read_facts(ctl, [("seq", 2), ("maybe", 1)]) is None
    assert read_facts(ctl, [("seq", 2)])[0].count == 2


def test_a_check_reads_a_model_when_the_rules_leave_an_atom_undecided(tmp_path):
    # a choice forced true by a constraint: one model, but fired/2 is no fact of the grounding
    extra = tmp_path / "undecided.lp"
    extra.write_text('{ fired(ob("art4.consult", uk, "x"), 1) }. :- not fired(ob("art4.consult", uk, "x"), 1).\n')
    scenario, pack = load_scenario(ROOT / "facts" / "istanbul-2022" / "guarantee-kept.yaml")
    solution = solve(scenario, pack, read=[("fired", 2)], extra_files=[extra])
    assert clingo.parse_term('fired(ob("art4.consult",uk,"x"),1)') in solution.symbols[0].symbols()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_a_check_gives_the_same_report_by_either_path(scenario, monkeypatch):
    fast, _ = check_file(scenario)
    monkeypatch.setenv("TREATY_CHECKER_PUBLIC_API", "1")
    public, _ = check_file(scenario)
    assert render_json([fast]) == render_json([public])
