"""What-if edits (`checker whatif`) and every reading at once (`checker check --all-readings`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.whatif import Edits, apply_edits, make_edits, what_if
from checker.cli.main import app
from checker.engine.check import check_file
from checker.io.scenario import read_document

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
GRID = FACTS / "hybrid-grid.yaml"
REQUESTED = FACTS / "as-requested.yaml"


def _run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_shifting_the_consultation_two_days_makes_every_consultation_late() -> None:
    result = what_if(GRID, make_edits(shift=["consult-1=+2d"]))
    changed = {d.id: (d.before, d.after) for d in result.differences}
    assert changed["art4.consult/uk/grid-attack"] == ("fulfilled", "late")
    assert changed["art4.consult/usa/grid-attack"] == ("fulfilled", "late")
    # China was never there: its verdict does not move and is not listed
    assert "art4.consult/china/grid-attack" not in changed
    assert all(before != after for before, after in changed.values())


def test_dropping_the_arms_removes_their_report_duty_and_breaches_the_uk() -> None:
    result = what_if(GRID, make_edits(drop=["arms-uk"]))
    changed = {d.id: (d.before, d.after) for d in result.differences}
    assert changed == {"art4.assist/uk/grid-attack": ("fulfilled", "breached"),
                       "art5.report/uk/arms-uk": ("late", "-")}


def test_adding_a_consultation_and_an_uncertain_attacker() -> None:
    edits = make_edits(add=["{id: consult-cn, date: 2027-03-02, type: consultation, "
                            "about: grid-attack, parties: [china]}"],
                       set=["grid-attack.by={one_of: [russia, unknown]}"])
    result = what_if(GRID, edits)
    changed = {d.id: (d.before, d.after) for d in result.differences}
    assert changed == {"art4.consult/china/grid-attack": ("breached", "fulfilled"),
                       "art1.guarantee/russia": ("breached", "possibly breached|complied")}


def test_the_verdict_day_can_move() -> None:
    result = what_if(GRID, make_edits(as_of="2027-03-04"))
    changed = {d.id: (d.before, d.after) for d in result.differences}
    assert changed["art4.consult/china/grid-attack"] == ("breached", "pending")
    assert result.after.scenario.as_of < result.before.scenario.as_of


def test_edits_do_not_touch_the_document_or_the_file() -> None:
    text = GRID.read_text()
    doc = read_document(GRID, str(GRID))
    edited = apply_edits(doc, make_edits(drop=["arms-uk"], shift=["consult-1=-1d"]))
    assert [e["id"] for e in doc["events"]].count("arms-uk") == 1
    assert "arms-uk" not in [e["id"] for e in edited["events"]]
    assert GRID.read_text() == text


def test_a_shift_of_an_uncertain_date_moves_both_ends(tmp_path: Path) -> None:
    source = FACTS / "uncertain-attribution.yaml"
    doc = read_document(source, str(source))
    edited = apply_edits(doc, Edits(shift=(("consult-1", -2),)))
    assert edited["events"][1]["date"]["between"] == ["2027-04-01", "2027-04-04"]
    result = what_if(source, Edits(shift=(("consult-1", -2),)))
    assert result.after.obligation("art4.consult/uk/kharkiv-strike").status == "fulfilled"
    assert result.after.obligation("art4.consult/uk/kharkiv-strike").certainty == "certain"


def test_save_writes_a_scenario_that_checks_like_the_edit(tmp_path: Path) -> None:
    target = tmp_path / "facts" / "edited.yaml"
    target.parent.mkdir()
    result = _run("whatif", GRID, "--drop", "arms-uk", "--shift", "consult-1=+1d", "--save", target,
                  "--rules", ROOT / "rules")
    assert result.exit_code == 1, result.output
    saved = target.read_text()
    assert saved.startswith(f"# {GRID}, edited by `checker whatif`:")
    assert "expect:" not in saved
    verdicts, _ = check_file(target, rules_root=ROOT / "rules")
    expected = what_if(GRID, make_edits(drop=["arms-uk"], shift=["consult-1=+1d"])).after
    assert [(o.id, o.status) for o in verdicts.obligations] == \
        [(o.id, o.status) for o in expected.obligations]


def test_whatif_text_and_json() -> None:
    result = _run("whatif", GRID, "--shift", "consult-1=+2d")
    assert result.exit_code == 1
    assert "art4.consult/uk/grid-attack       fulfilled  late" in result.stdout
    assert "9 verdict(s) differ" in result.stdout
    doc = json.loads(_run("whatif", GRID, "--drop", "arms-uk", "-f", "json").stdout)
    assert doc["format"] == "treaty-checker/whatif@1"
    assert {"id": "art5.report/uk/arms-uk", "before": "late", "after": "-"} in doc["differences"]


@pytest.mark.parametrize("args,line", [
    (["--shift", "consult-2=+2d"], "--shift: no event 'consult-2' (did you mean 'consult-1'?)"),
    (["--shift", "consult-1=soon"], "--shift: expected EVENT=+Nd or EVENT=-Nd, got 'consult-1=soon'"),
    (["--set", "grid-attack=russia"], "--set: expected EVENT.FIELD=VALUE, got 'grid-attack=russia'"),
    (["--add", "[1, 2]"], "--add: '[1, 2]' is not an event (a mapping with id, date, type...)"),
    ([], "whatif: give at least one edit (--shift, --drop, --add, --set, --as-of)"),
    (["--drop", "arms-uk", "--save", GRID], "--save: give a new file name; whatif never overwrites the scenario"),
])
def test_bad_edits_are_one_line_and_exit_2(args, line) -> None:
    result = _run("whatif", GRID, *args)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"


def test_an_edit_that_breaks_the_scenario_is_reported_as_the_edit() -> None:
    result = _run("whatif", GRID, "--set", "arms-uk.by=frnace")
    assert result.exit_code == 2
    # the value came from the command line, not from a line of the file
    assert result.stderr.splitlines() == ["--set arms-uk.by: unknown party 'frnace' (did you mean 'france'?)"]
    assert "Traceback" not in result.output


# --- every reading at once --------------------------------------------------------------------

def test_all_readings_separates_what_depends_on_the_reading() -> None:
    result = _run("check", REQUESTED, "--all-readings", "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["format"] == "treaty-checker/readings@1"
    s = doc["scenarios"][0]
    assert s["combinations"] == 8
    dependent = {d["id"]: d for d in s["dependent"]}
    assert dependent["art4.assist/uk/kyiv-offensive"]["depends_on"] == ["assistance_means"]
    by_means = {v["readings"]["assistance_means"]: v["verdict"]
                for v in dependent["art4.assist.armaments/usa/kyiv-offensive"]["verdicts"]}
    assert by_means == {"menu": "does not arise", "as_requested": "breached"}
    invariant = {i["id"]: i["verdict"] for i in s["invariant"]}
    assert all(i not in invariant for i in dependent)
    # each verdict agrees with a plain check under the same readings
    for combo_index, combo in enumerate(dependent["art4.assist/uk/kyiv-offensive"]["verdicts"]):
        verdicts, _ = check_file(REQUESTED, readings=combo["readings"])
        o = verdicts.obligation("art4.assist/uk/kyiv-offensive")
        assert (o.status if o else "does not arise") == combo["verdict"]


def test_a_fixed_reading_is_held_and_the_others_vary() -> None:
    result = _run("check", REQUESTED, "--all-readings", "--reading", "assistance_means=menu", "-f", "json")
    s = json.loads(result.stdout)["scenarios"][0]
    assert s["combinations"] == 4
    assert s["readings_fixed"] == {"assistance_means": "menu"}
    assert s["dependent"] == []


def test_all_readings_text() -> None:
    result = _run("check", REQUESTED, "--all-readings")
    assert "every reading of istanbul-2022 at once: 8 combinations" in result.stdout
    assert "depend on the reading" in result.stdout
    assert "when assistance_means=as_requested" in result.stdout


# --- --save writes what was checked, and nothing else ------------------------------------------

def _alliance_scenario(tmp_path: Path) -> Path:
    from tests.helpers import d, ev, scenario_text

    path = tmp_path / "s.yaml"
    path.write_text(scenario_text([ev("a", d(0), "attack", kind="armed_attack", by="russia", regions=["kyiv"]),
                                   ev("c", d(1), "consultation", parties=["uk"], about="a"),
                                   ev("join", d(2), "alliance_membership", alliance="nato")]), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [
    "'nato\nparameters: {consultation_days: 0}\n'",          # a line break in a quoted value
    "\"nato\\nparameters: {consultation_days: 0}\"",          # an escaped one
    "'nato\u2028parameters: {consultation_days: 0}'",         # a line separator: a break to YAML 1.1
    "'nato\r# x\rparameters: {consultation_days: 0}'",        # carriage returns
])
def test_a_value_holding_a_line_break_never_escapes_the_saved_comment(tmp_path: Path, value: str) -> None:
    source = _alliance_scenario(tmp_path)
    target = tmp_path / "saved.yaml"
    result = _run("whatif", source, "--set", f"join.alliance={value}", "--save", target, "-f", "json")
    assert result.exit_code == 1, result.output
    printed = json.loads(result.stdout)
    saved = target.read_text(encoding="utf-8")
    head = saved.split("\nscenario:")[0]
    assert all(line.startswith("#") for line in head.split("\n")), head
    assert len(head.split("\n")) == 2  # the source, and the one edit
    # the saved file checks as the edited scenario was checked, nothing more
    verdicts, _ = check_file(target)
    expected = what_if(source, make_edits(set=[f"join.alliance={value}"])).after
    assert [(o.id, o.status) for o in verdicts.obligations] == [(o.id, o.status) for o in expected.obligations]
    assert verdicts.scenario.parameters == expected.scenario.parameters
    assert verdicts.scenario.parameters["consultation_days"] != 0
    assert printed["breached_after"] == verdicts.breached


def test_save_keeps_values_as_they_were_written(tmp_path: Path) -> None:
    # `0x10` is the number 16 to every YAML reader (as free text the checker keeps it as
    # written) and `yes` is text to the checker: the saved file says so to a YAML 1.1 reader too
    source = _alliance_scenario(tmp_path)
    text = source.read_text()
    source.write_text(text.replace("alliance: nato", "alliance: 0x10") + "parameters:\n  consultation_days: 0x3\n",
                      encoding="utf-8")
    target = tmp_path / "saved.yaml"
    result = _run("whatif", source, "--add", "{id: j2, date: 2027-03-05, type: alliance_membership, alliance: yes}",
                  "--save", target)
    assert result.exit_code == 1, result.output
    import yaml

    from checker.io.scenario import load_scenario

    saved, _ = load_scenario(target)
    assert [e.fields.get("alliance") for e in saved.events if e.type == "alliance_membership"] == [("0x10",), ("yes",)]
    assert saved.parameters["consultation_days"] == 3
    as_yaml_1_1 = yaml.safe_load(target.read_text())  # another reader, YAML 1.1: the same values
    assert [e.get("alliance") for e in as_yaml_1_1["events"] if e["type"] == "alliance_membership"] == [16, "yes"]
