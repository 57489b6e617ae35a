"""A scenario is data, never code (issue 2, point 3; scenario contract, first paragraph).

Names (event ids, parties, regions, readings...) are validated and anything else is refused;
free text (titles, descriptions, the `alliance` of an `alliance_membership`) is carried as a
clingo String through the symbol API and comes back unchanged, without touching a verdict.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import clingo
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.engine.facts import fact_symbols
from checker.errors import ScenarioError, UsageError
from checker.io.scenario import load_scenario
from tests.helpers import ROOT, RULES, d, ev, run, scenario_text, write

PAYLOAD = "x). #script (python) import os #end. y("
INCLUDE = '#include "x".'
TEXTS = [PAYLOAD, INCLUDE, 'a"). b :- c. #show. %* "', "x\\\" . #const n=1. \n#program base.", "ä ∀ 😀 \t end"]
runner = CliRunner()


def _marker_payload(tmp_path: Path) -> str:
    """A payload that, if clingo ever ran it as a script, would leave a file behind."""
    return f"x). #script (python) open({str(tmp_path / 'pwned')!r}, 'w') #end. y("


def _rejected(tmp_path, text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, text), rules_root=RULES)
    return info.value.lines()


# --- names are refused ------------------------------------------------------------------------
@pytest.mark.parametrize("payload", [PAYLOAD, INCLUDE, "a(b)", "x y", "a.b", 'a"b'])
def test_an_event_id_that_is_not_a_name_is_rejected(tmp_path, payload):
    lines = _rejected(tmp_path, scenario_text([ev(payload, d(0), "nuclear_weapons")]))
    assert len(lines) == 1 and f"events[0].id: {payload!r} is not an id" in lines[0]


@pytest.mark.parametrize("payload", [PAYLOAD, INCLUDE])
def test_a_party_that_is_not_a_name_is_rejected(tmp_path, payload):
    lines = _rejected(tmp_path, scenario_text([ev("a", d(0), "attack", kind="armed_attack", by=payload,
                                                  regions=["kyiv"]),
                                               ev("c", d(0), "consultation", parties=["uk", payload])]))
    assert [line.split(": ", 1)[1] for line in lines] == [
        f"events[0].by: unknown party {payload!r} (add it under parties: others: to name a non-party state)",
        f"events[1].parties[1]: unknown party {payload!r} (add it under parties: others: to name a non-party state)"]


@pytest.mark.parametrize("list_name", ["guarantors", "others"])
def test_a_party_list_entry_that_is_not_a_name_is_rejected(tmp_path, list_name):
    lines = _rejected(tmp_path, scenario_text([ev("n", d(0), "nuclear_weapons")], parties={list_name: ["uk", PAYLOAD]}))
    assert any(f"parties.{list_name}[1]: {PAYLOAD!r} is not a lower-case name" in line for line in lines)


@pytest.mark.parametrize("field,event", [
    ("regions[0]", ev("a", d(0), "attack", kind="armed_attack", by="russia", regions=[PAYLOAD])),
    ("kind", ev("a", d(0), "attack", kind=PAYLOAD, by="russia", regions=["kyiv"])),
    ("about", ev("p", d(0), "appeal", about=PAYLOAD)),
    ("type", ev("p", d(0), PAYLOAD)),
])
def test_other_names_are_rejected(tmp_path, field, event):
    lines = _rejected(tmp_path, scenario_text([event]))
    assert len(lines) == 1 and f"events[0].{field}: " in lines[0] and repr(PAYLOAD) in lines[0]


@pytest.mark.parametrize("top", [
    {"readings": {"assistance_means": PAYLOAD}}, {"readings": {PAYLOAD: "menu"}},
    {"parameters": {PAYLOAD: 3}}, {"excluded_regions": [PAYLOAD]}, {"treaty": PAYLOAD},
    {"expect": [{"obligation": PAYLOAD, "status": "fulfilled"}]},
    {"expect": [{"not_fired": "art4.consult/uk/a", "reason": PAYLOAD}]},
])
def test_settings_that_are_not_names_are_rejected(tmp_path, top):
    text = scenario_text([ev("n", d(0), "nuclear_weapons")], **top)
    lines = _rejected(tmp_path, text)
    assert lines


@pytest.mark.parametrize("kwargs", [{"readings": {"assistance_means": PAYLOAD}}, {"readings": {PAYLOAD: "menu"}},
                                    {"parameters": {PAYLOAD: 3}}])
def test_overrides_that_are_not_names_are_usage_errors(tmp_path, kwargs):
    with pytest.raises(UsageError):
        load_scenario(write(tmp_path, scenario_text([ev("n", d(0), "nuclear_weapons")])), rules_root=RULES, **kwargs)


@pytest.mark.parametrize("option", ["--reading", "--param"])
def test_cli_overrides_that_are_not_names_exit_2(tmp_path, option):
    path = write(tmp_path, scenario_text([ev("n", d(0), "nuclear_weapons")]))
    result = runner.invoke(app, ["check", str(path), option, f"{PAYLOAD}=1"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "pwned").exists()


# --- free text stays inert data ---------------------------------------------------------------
def _alliance(tmp_path, alliance: str, **top):
    return run(tmp_path, [ev("join", d(2), "alliance_membership", alliance=alliance),
                          ev("n", d(3), "nuclear_weapons")], as_of=d(5), **top)


def _verdicts(v):
    return ([(o.id, o.status, o.met_by, o.breached_on, o.breached_by) for o in v.obligations],
            [(n.id, n.blocked_by) for n in v.not_fired])


@pytest.mark.parametrize("text", TEXTS)
def test_alliance_text_is_inert_and_comes_back_unchanged(tmp_path, text):
    plain = _alliance(tmp_path, "NATO")
    v = _alliance(tmp_path, text)
    assert _verdicts(v) == _verdicts(plain)
    assert v.obligation("art3.no_alliance/ukraine").breached_by == "join"
    assert v.scenario.event("join").fields["alliance"] == (text,)


def test_a_script_in_free_text_is_never_run(tmp_path):
    payload = _marker_payload(tmp_path)
    v = run(tmp_path, [ev("join", d(2), "alliance_membership", alliance=payload)], as_of=d(5), scenario=payload,
            description=payload)
    assert v.obligation("art3.no_alliance/ukraine").status == "breached"
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("text", TEXTS)
def test_title_and_description_come_back_unchanged_in_the_json_report(tmp_path, text):
    path = write(tmp_path, scenario_text([ev("join", d(2), "alliance_membership", alliance=text)], scenario=text,
                                         description=text, as_of=d(5)))
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    (s,) = json.loads(result.stdout)["scenarios"]
    assert s["scenario"] == text
    assert next(o for o in s["obligations"] if o["id"] == "art3.no_alliance/ukraine")["breached_by"] == "join"


def test_alliance_text_comes_back_unchanged_in_an_explanation(tmp_path):
    text = TEXTS[0] + " " + TEXTS[2]
    path = write(tmp_path, scenario_text([ev("join", d(2), "alliance_membership", alliance=text)], as_of=d(5)))
    result = runner.invoke(app, ["explain", str(path), "art3.no_alliance/ukraine", "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr

    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    assert any(text in s for s in strings(json.loads(result.stdout)))


# --- facts are clingo symbols -----------------------------------------------------------------
def test_facts_are_clingo_symbols_and_free_text_round_trips(tmp_path):
    texts = TEXTS + [_marker_payload(tmp_path)]
    events = [ev(f"join{i}", d(i), "alliance_membership", alliance=t) for i, t in enumerate(texts)]
    scenario, pack = load_scenario(write(tmp_path, scenario_text(events, as_of=d(10))), rules_root=RULES)
    symbols = list(fact_symbols(scenario, pack, clingo))
    assert symbols and all(isinstance(s, clingo.Symbol) for s in symbols)
    alliance = {s.arguments[0].string: s.arguments[2] for s in symbols
                if s.name == "arg" and s.arguments[1] == clingo.Function("alliance")}
    assert {k: v.type for k, v in alliance.items()} == {f"join{i}": clingo.SymbolType.String for i in range(len(texts))}
    assert [alliance[f"join{i}"].string for i in range(len(texts))] == texts
    # the event ids are strings too, and names are constants of the manifest's vocabulary
    events_facts = [s for s in symbols if s.name == "event"]
    assert {s.arguments[0].type for s in events_facts} == {clingo.SymbolType.String}
    assert {str(s.arguments[1]) for s in events_facts} == {"alliance_membership"}
    assert not (tmp_path / "pwned").exists()


def _module_constants(tree: ast.Module) -> set[str]:
    return {t.id for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str) for t in node.targets if isinstance(t, ast.Name)}


def _is_control_add(node: ast.Call) -> bool:
    """Control.add(name, parameters, program), or ctl.add(program) on something named like a control."""
    if not (isinstance(node.func, ast.Attribute) and node.func.attr == "add"):
        return False
    if len(node.args) == 3 and isinstance(node.args[1], (ast.List, ast.Tuple)):
        return True
    receiver = ast.unparse(node.func.value).lower()
    return "ctl" in receiver or "control" in receiver


def _is_constant_text(node, constants: set[str]) -> bool:
    return ((isinstance(node, ast.Constant) and isinstance(node.value, str))
            or (isinstance(node, ast.Name) and node.id in constants))


def _call_sites_pass_constants(tree: ast.Module, function: ast.FunctionDef, param: str, constants: set[str]) -> bool:
    """Every call of ``function`` in the module passes a constant for ``param`` (and there is one)."""
    params = [a.arg for a in function.args.args]
    index = params.index(param)
    method = bool(params) and params[0] in ("self", "cls")
    sites = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if called != function.name:
            continue
        sites += 1
        position = index - 1 if method and isinstance(node.func, ast.Attribute) else index
        given = next((k.value for k in node.keywords if k.arg == param), None)
        if given is None and position < len(node.args):
            given = node.args[position]
        if given is None or not _is_constant_text(given, constants):
            return False
    return sites > 0


def test_no_program_text_is_built_from_data_in_checker():
    """Program text given to clingo is a literal or a module-level constant, directly or through
    a parameter that every caller in the module fills with one."""
    offenders = []
    for path in sorted((ROOT / "checker").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        constants = _module_constants(tree)
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_control_add(node)):
                continue
            text = node.args[-1] if node.args else next((k.value for k in node.keywords if k.arg == "program"), None)
            if _is_constant_text(text, constants):
                continue
            owner = next((f for f in functions if f.lineno <= node.lineno <= f.end_lineno
                          and any(n is node for n in ast.walk(f))), None)
            if (isinstance(text, ast.Name) and owner is not None and text.id in [a.arg for a in owner.args.args]
                    and _call_sites_pass_constants(tree, owner, text.id, constants)):
                continue
            offenders.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not offenders, f"program text built at run time: {offenders}"


def test_the_program_text_check_catches_what_it_should(tmp_path, monkeypatch):
    import tests.test_injection as me

    bad = tmp_path / "checker"
    bad.mkdir()
    (bad / "m.py").write_text(
        'OK = "a."\n'
        'def good(ctl):\n    ctl.add("base", [], OK)\n'
        'def via(ctl, program):\n    ctl.add("base", [], program)\n'
        'def caller(ctl):\n    via(ctl, OK)\n'
        'def bad(ctl, name):\n    ctl.add("base", [], f"p({name}).")\n'
        'def bad2(ctl, program):\n    ctl.add("base", [], program)\n'
        'def caller2(ctl, text):\n    bad2(ctl, text)\n')
    monkeypatch.setattr(me, "ROOT", tmp_path)
    with pytest.raises(AssertionError) as info:
        test_no_program_text_is_built_from_data_in_checker()
    assert "m.py:9" in str(info.value) and "m.py:11" in str(info.value)
    assert "m.py:3" not in str(info.value) and "m.py:5" not in str(info.value)
