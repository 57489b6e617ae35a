"""What a new user reads when something is off: where a bad edit value came from, which
party was meant, under which reading a provision would fire, a path that is not there, and
what each command's --help promises (plural usage, exit codes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(app, list(args), catch_exceptions=False, **kwargs)


# --- whatif: a bad value given on the command line is the option's, not a line of the file -----
def test_a_bad_set_value_is_reported_as_the_option() -> None:
    result = invoke("whatif", str(FACTS / "hybrid-grid.yaml"), "--set", "consult-1.parties=[ukraine, usa, frnace]")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "--set consult-1.parties[2]: unknown party 'frnace' (did you mean 'france'?)"]


def test_a_bad_added_event_is_reported_as_the_option() -> None:
    result = invoke("whatif", str(FACTS / "hybrid-grid.yaml"),
                    "--add", "{id: c2, date: 2027-03-03, type: consultation, about: grid-attack, parties: [frnace]}",
                    "--add", "{id: c3, date: 2027-02-30, type: consultation, about: grid-attack, parties: [uk]}")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "--add c2.parties[0]: unknown party 'frnace' (did you mean 'france'?)",
        "--add c3.date: '2027-02-30' is not a valid date"]


def test_a_problem_an_edit_causes_elsewhere_keeps_its_line_and_number() -> None:
    path = FACTS / "hybrid-grid.yaml"
    lines = path.read_text().splitlines()
    appeal = next(i for i, t in enumerate(lines, 1) if "id: appeal-1" in t) + 3  # its `about:`
    result = invoke("whatif", str(path), "--drop", "grid-attack", "--set", "consult-1.parties=[ukraine, frnace]")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors[0] == "--set consult-1.parties[1]: unknown party 'frnace' (did you mean 'france'?)"
    # the appeal is events[1] of the file (events[0] once grid-attack is dropped)
    assert f"{path}:{appeal}: events[1].about: no event with id 'grid-attack'" in errors


# --- repair: a holder is suggested among the scenario's own parties ---------------------------
def test_holder_suggestions_come_from_the_scenarios_parties() -> None:
    # exercise-consent.yaml lists its guarantors (uk, usa, france): russia is no party of it
    result = invoke("repair", str(FACTS / "exercise-consent.yaml"), "--holder", "usaa")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"--holder: 'usaa' is not a party of {FACTS / 'exercise-consent.yaml'} "
                                     "(did you mean 'usa'?)")


# --- lint: a provision that fires only under another reading says which -----------------------
def test_lint_names_the_reading_under_which_a_provision_fires(tmp_path: Path, monkeypatch) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (FACTS / "as-requested.yaml").read_text()
    text = text.replace("readings:\n  assistance_means: as_requested\n", "").split("\nexpect:")[0] + "\n"
    assert "as_requested\n" not in text.split("events:")[0]
    (mine / "armaments.yaml").write_text(text)
    monkeypatch.chdir(ROOT)
    result = invoke("lint", "rules", str(mine))
    assert result.exit_code == 1
    (line,) = [t for t in result.stdout.splitlines()
               if "provision: art4.assist.armaments:" in t and t.startswith("rules/istanbul-2022/")]
    assert line.endswith("art4.assist.armaments: no scenario fires it or is blocked by it under the readings "
                         f"they use; under assistance_means=as_requested, {mine / 'armaments.yaml'} fires it "
                         "(`readings: {assistance_means: as_requested}` in a scenario)")
    # a provision no reading makes fire says just that
    assert any(t.endswith("art6.provocation: no scenario fires it or is blocked by it")
               for t in result.stdout.splitlines())


# --- a path that is not there: no invented line --------------------------------------------------
@pytest.mark.parametrize("command", [["check"], ["explain"], ["whatif", "--drop", "x"], ["repair"],
                                     ["sweep", "--vary", "reading=*"], ["test"], ["diff"], ["lint", "rules"]])
def test_a_missing_path_is_named_without_a_line(command: list[str], monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    name, *options = command
    result = invoke(name, "nosuch.yaml", *options)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == "nosuch.yaml: no such file"


def test_test_without_facts_says_what_it_looked_for(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("test")
    assert result.exit_code == 2
    assert result.stderr.strip() == "facts: no such folder (with no PATH, the scenarios under ./facts are read)"


# --- --help: plural usage where several are taken, and the exit codes ---------------------------
COMMANDS = sorted(c.name or c.callback.__name__.replace("_command", "") for c in app.registered_commands)
PLURAL = {"check": "SCENARIO...", "report": "SCENARIO...", "explain": "[OBLIGATION_ID]...", "test": "[PATH]...",
          "diff": "[PATH]...", "lint": "[PATH]...", "mutate": "[PACK]...",
          "schema": "[PACK]..."}


def test_every_command_is_covered() -> None:
    assert set(PLURAL) < set(COMMANDS) and {"whatif", "repair", "sweep"} < set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_teaches_usage_and_exit_codes(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0]
    if command in PLURAL:
        assert PLURAL[command] in usage, usage
    else:
        assert usage.endswith("SCENARIO}"), usage  # one scenario file
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0 " in text and " 1 " in text and " 2 " in text
    # no option shows a type's name for its value
    assert "<int range>" not in text and "<directory>" not in text
