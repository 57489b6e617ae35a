"""checker/engine: the term codec (terms.py), the facts a scenario becomes, the report read back.

Every value a scenario carries goes into clingo as a symbol and comes back equal; the facts
the engine grounds are exactly the scenario's facts, whichever way they go in; and the terms
a check reads (the part `report` of lifecycle.lp) say what the lifecycle's own atoms say.
"""

from __future__ import annotations

from pathlib import Path

import clingo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.decode import REPORT_PART, SHOWN_PART, decode, decode_worlds
from checker.engine.facts import InputFacts, add_facts, fact_symbols, fact_tuples
from checker.engine.solve import INPUT_PROGRAM, control, ground, solve
from checker.engine.terms import Decoder, Encoder, Name, Term, symbol, text, value
from checker.errors import PackError
from checker.io.scenario import load_scenario
from tests.helpers import d, ev, scenario_text, write

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "facts" / "istanbul-2022").glob("*.yaml"))

TEXTS = ['a "quoted" back\\slash', "new\nline", "tab\tand\r\nreturn", "ünïcödé ✓ 😀 ∀", "", " ",
         "x). #script (python) import os #end. y(", '#include "x".', "%* comment", "none", "\\", '"',
         "\\n", "\x7f\x01"]
VALUES = [*TEXTS, Name("none"), Name("uk"), Name("a_b1"), Name("x'"), 0, 1, -1, 738_000, -5,
          2**31 - 1, -(2**31), Term("ob", ["art4.consult", Name("uk"), Name("none")]),
          Term("", [1, "x,y"]), Term("act", ["p\"q", Name("joint"), Term("", []), -3])]


@pytest.mark.parametrize("v", VALUES, ids=repr)
def test_a_value_goes_in_as_a_symbol_and_comes_back_equal(v):
    sym = symbol(v)
    back = value(sym)
    assert back == v and type(back) is type(v)
    assert Encoder()(v) == sym
    assert Decoder()[sym] == v


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_text_comes_back_as_the_same_string(s):
    sym = symbol(s)
    assert sym.type == clingo.SymbolType.String
    assert value(sym) == s and type(value(sym)) is str and text(sym) == s


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(-(2**31), 2**31 - 1))
def test_any_number_comes_back_as_the_same_int(n):
    assert value(symbol(n)) == n and type(value(symbol(n))) is int


def test_a_name_and_a_string_of_the_same_text_stay_apart():
    assert symbol(Name("uk")) != symbol("uk")
    encode = Encoder()
    assert encode(Name("uk")) == clingo.Function("uk") and encode("uk") == clingo.String("uk")
    assert type(value(clingo.Function("uk"))) is Name and type(value(clingo.String("uk"))) is str


def test_values_the_codec_has_no_term_for_are_refused():
    for bad in (1.5, None, True, b"x", ["a"]):
        with pytest.raises(TypeError):
            symbol(bad)
    # (clingo's strings end at a NUL: "a\x00b" would come back as "a"; the loader refuses
    # such text with a line number, and the codec refuses it too rather than cut it short)
    for encode in (symbol, Encoder()):
        with pytest.raises(ValueError):
            encode("a\x00b")
    for sym in (clingo.Infimum, clingo.Supremum, clingo.Function("p", [], False)):
        with pytest.raises(ValueError):
            value(sym)


def test_text_is_how_a_report_names_a_term():
    assert text(clingo.String('a "b"')) == 'a "b"'
    assert text(clingo.Function("uk")) == "uk"
    assert text(clingo.Number(-3)) == "-3"
    assert text(clingo.Function("act", [clingo.String("x"), clingo.Number(1)])) == 'act("x",1)'


# --- the facts of a scenario -----------------------------------------------------------------
def _hostile_scenario(tmp_path) -> Path:
    events = [ev(f"join{i}", d(i), "alliance_membership", alliance=t) for i, t in enumerate(TEXTS)]
    return write(tmp_path, scenario_text(events, as_of=d(30), scenario=TEXTS[0], description=TEXTS[2]))


def _expected(scenario, pack) -> set:
    encode = Encoder()
    return {encode.atom(name, args) for name, *args in fact_tuples(scenario, pack)}


def _grounded_facts(ctl) -> set:
    return {a.symbol for a in ctl.symbolic_atoms if a.is_fact}


def _scenarios(tmp_path):
    return [*SCENARIOS, _hostile_scenario(tmp_path)]


def test_facts_added_through_the_backend_are_exactly_the_scenarios(tmp_path):
    for path in _scenarios(tmp_path):
        scenario, pack = load_scenario(path)
        if scenario.uncertain:
            continue
        ctl = clingo.Control(["--warn=none"])
        add_facts(ctl, fact_tuples(scenario, pack))
        ctl.ground([("base", [])])
        assert _grounded_facts(ctl) == _expected(scenario, pack), path.name
        assert set(fact_symbols(scenario, pack)) == _expected(scenario, pack)


def test_facts_given_to_the_grounder_are_exactly_the_scenarios(tmp_path):
    # a check's path: INPUT_PROGRAM calls the methods of InputFacts while grounding
    for path in _scenarios(tmp_path):
        scenario, pack = load_scenario(path)
        if scenario.uncertain:
            continue
        ctl = clingo.Control(["--warn=none"])
        ctl.add("base", [], INPUT_PROGRAM)
        ctl.ground([("base", [])], context=InputFacts(scenario, pack))
        assert _grounded_facts(ctl) == _expected(scenario, pack), path.name


def test_the_hostile_texts_arrive_as_strings_and_nothing_else(tmp_path):
    scenario, pack = load_scenario(_hostile_scenario(tmp_path))
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], INPUT_PROGRAM)
    ctl.ground([("base", [])], context=InputFacts(scenario, pack))
    alliances = {a.symbol.arguments[2].string for a in ctl.symbolic_atoms.by_signature("arg", 3)
                 if a.symbol.arguments[1] == clingo.Function("alliance")}
    assert alliances == set(TEXTS)
    names = {a.symbol.name for a in ctl.symbolic_atoms}
    assert names <= {"event", "seq", "arg", "next_day", "role", "role_since", "pack_date", "region", "region_state",
                     "region_attr", "excluded", "reading", "param", "provision", "provision_deadline", "as_of",
                     "in_force_from"}


# --- the report a check reads ----------------------------------------------------------------
_COMPARED = ("id", "status", "fired_on", "deadline", "met_by", "breached_on", "breached_by",
             "discharged_by", "discharged_on")


def _both_readings(scenario, pack, extra_files=()):
    """The verdicts read from the part `report` and from the atoms of the part `shown`."""
    ctl, messages = control(pack, ["--warn=none", "--models=2"], list(extra_files))
    ctl.add("base", [], INPUT_PROGRAM)
    ground(ctl, messages, (("base", []), (REPORT_PART, []), (SHOWN_PART, [])), InputFacts(scenario, pack))
    models = []
    ctl.solve(on_model=lambda m: models.append(list(m.symbols(shown=True))))
    (shown,) = models
    report = decode(shown, scenario, pack)
    atoms = [s for s in shown if s.name]   # the part `shown` shows atoms, the part `report` tuples
    lifecycle = decode_worlds(atoms, atoms + [clingo.Function("fires", [s.arguments[0]])
                                              for s in atoms if s.name == "fired"], scenario, pack)
    return report, lifecycle


def _same(report, lifecycle):
    assert [tuple(getattr(o, f) for f in _COMPARED) for o in report.obligations] == \
        [tuple(getattr(o, f) for f in _COMPARED) for o in lifecycle.obligations]
    assert [(n.id, n.blocked_by) for n in report.not_fired] == [(n.id, n.blocked_by) for n in lifecycle.not_fired]


@pytest.mark.parametrize("path", [p for p in SCENARIOS if "uncertain" not in p.name], ids=lambda p: p.stem)
def test_the_report_says_what_the_lifecycles_atoms_say(path):
    scenario, pack = load_scenario(path)
    report, lifecycle = _both_readings(scenario, pack)
    assert report.obligations or report.not_fired
    _same(report, lifecycle)


def test_the_report_holds_what_a_pack_gives_beyond_its_status(tmp_path):
    # a deadline on a maintenance duty, a discharge that names no event of the history
    extra = tmp_path / "odd.lp"
    extra.write_text('deadline(ob("art1.non_nuclear", ukraine, none), 740000).\n'
                     'would_fire(ob("art4.assist", uk, "odd"), D) :- as_of(D).\n'
                     'deadline(ob("art4.assist", uk, "odd"), D + 3) :- as_of(D).\n'
                     'ends(ob("art4.assist", uk, "odd"), "no-such-event", D) :- as_of(D).\n')
    path = write(tmp_path, scenario_text([ev("n", d(0), "nuclear_weapons")], as_of=d(5)))
    scenario, pack = load_scenario(path)
    report, lifecycle = _both_readings(scenario, pack, [extra])
    _same(report, lifecycle)
    got = {o.id: o for o in report.obligations}
    assert got["art1.non_nuclear/ukraine"].deadline == 740000
    assert got["art1.non_nuclear/ukraine"].status == "breached"
    odd = got["art4.assist/uk/odd"]
    assert (odd.status, odd.discharged_by, odd.discharged_on) == ("discharged", None, scenario.as_of)


def test_an_achievement_duty_with_no_deadline_its_provision_requires_is_a_pack_error(tmp_path):
    # no status: both readings say which provision, none reports it as a verdict
    extra = tmp_path / "odd.lp"
    extra.write_text('would_fire(ob("art4.assist", uk, "odd"), D) :- as_of(D).\n'
                     'meets(ob("art4.assist", uk, "odd"), "n", D) :- as_of(D).\n')
    path = write(tmp_path, scenario_text([ev("n", d(0), "nuclear_weapons")], as_of=d(5)))
    scenario, pack = load_scenario(path)
    with pytest.raises(PackError, match="art4.assist/uk/odd fired with no deadline, but the manifest does not "
                                        "say that art4.assist has none"):
        _both_readings(scenario, pack, [extra])


def test_terms_a_pack_shows_for_its_own_use_are_no_part_of_the_report(tmp_path):
    extra = tmp_path / "shows.lp"
    extra.write_text('#show 3. #show "x". #show debug. #show fired/2. #show (fulfilled, "p", uk, "t", 1, 2, "e").\n'
                     '#show (1, 2, 3). #show status(O, S) : status(O, S).\n')
    path = write(tmp_path, scenario_text([ev("n", d(0), "nuclear_weapons")], as_of=d(5)))
    scenario, pack = load_scenario(path)
    plain = decode(solve(scenario, pack).shown, scenario, pack)
    shown = solve(scenario, pack, extra_files=[extra]).shown
    assert len(shown) > len(solve(scenario, pack).shown)
    assert decode(shown, scenario, pack) == plain


def test_a_check_reads_the_model_when_the_rules_leave_an_atom_undecided(tmp_path):
    # a choice forced true by a constraint: one model, but fired/2 is no fact of the grounding
    extra = tmp_path / "undecided.lp"
    extra.write_text('{ fired(ob("art1.non_nuclear", uk, "x"), 1) }. :- not fired(ob("art1.non_nuclear", uk, "x"), 1).\n')
    scenario, pack = load_scenario(ROOT / "facts" / "istanbul-2022" / "guarantee-kept.yaml")
    verdicts = decode(solve(scenario, pack, extra_files=[extra]).shown, scenario, pack)
    duty = next(o for o in verdicts.obligations if o.id == "art1.non_nuclear/uk/x")
    assert (duty.fired_on, duty.status) == (1, "complied")
