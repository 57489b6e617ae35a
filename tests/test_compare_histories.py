"""Histories checked under several treaties: `treaty:` as a list, or `--treaty`; each treaty
reads the events of its vocabulary, counts the others, and has its own expectations."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.errors import ScenarioError, UsageError
from checker.io.scenario import load_histories, load_scenario
from tests.helpers import ROOT

RULES = ROOT / "rules"
HISTORY_2022 = ROOT / "facts" / "history" / "2022-02-21.yaml"
HISTORY_2014 = ROOT / "facts" / "history" / "2014-02-27.yaml"
SCHEMA = json.loads((ROOT / "docs" / "schema" / "report.schema.json").read_text())
runner = CliRunner()

# an attack on Kyiv, a request under NATO and a threat of force: each treaty reads some of it
HISTORY = """\
scenario: one history, two treaties
{treaty}as_of: 2022-03-04
parties:
  others: [russia, ukraine]
events:
  - {{id: invasion, date: 2022-02-24, type: attack, kind: aggression, by: russia, regions: [kyiv]}}
  - {{id: request, date: 2022-02-24, type: consultation_request, treaty: nato-1949, by: [poland], about: invasion}}
  - {{id: meeting, date: 2022-02-24, type: council_meeting, about: request}}
  - {{id: vote, date: 2022-02-22, type: threat_of_force, by: russia}}
{expect}"""


def write(tmp_path, treaty="treaty: [budapest-1994, nato-1949]\n", expect=""):
    path = tmp_path / "history.yaml"
    path.write_text(HISTORY.format(treaty=treaty, expect=textwrap.dedent(expect)))
    return path


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_each_treaty_reads_its_events_and_counts_the_others(tmp_path):
    views = load_histories(write(tmp_path), rules_root=RULES)
    assert [(s.treaty, s.unread_events) for s, _ in views] == [("budapest-1994", 2), ("nato-1949", 1)]
    budapest, nato = views[0][0], views[1][0]
    assert {e.id for e in budapest.events} == {"invasion", "vote"}
    assert {e.id for e in nato.events} == {"invasion", "request", "meeting"}
    # NATO's map has Ukraine as one region: an attack on Kyiv is an attack on `ukraine`
    assert nato.event("invasion").fields["regions"] == ("ukraine",)
    assert budapest.event("invasion").fields["regions"] == ("kyiv",)
    assert budapest.treaties == nato.treaties == ("budapest-1994", "nato-1949")


def test_check_gives_a_report_per_treaty_with_its_unread_events(tmp_path):
    result = invoke("check", write(tmp_path), "--format", "json")
    assert result.exit_code == 1, result.stderr   # Russia breaches paragraphs 1 and 2
    doc = json.loads(result.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert [(s["treaty"], s["unread_events"]) for s in doc["scenarios"]] == [("budapest-1994", 2), ("nato-1949", 1)]
    text = invoke("check", write(tmp_path)).stdout
    assert "2 event(s) this treaty does not read" in text and "1 event(s) this treaty does not read" in text


def test_a_history_with_no_treaty_is_checked_under_the_treaties_given(tmp_path):
    path = write(tmp_path, treaty="")
    result = invoke("check", path, "--treaty", "nato-1949", "--treaty", "budapest-1994", "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert [s["treaty"] for s in json.loads(result.stdout)["scenarios"]] == ["nato-1949", "budapest-1994"]
    # with no --treaty, `treaty:` is required as ever
    missing = invoke("check", path)
    assert missing.exit_code == 2
    assert f"{path}:1: treaty: is required" in missing.stderr


def test_a_history_is_validated_against_the_treaties_it_is_checked_under(tmp_path):
    # under nato-1949 alone, Kyiv is on no map and a threat of force is no event type
    path = write(tmp_path, treaty="")
    result = invoke("check", path, "--treaty", "nato-1949")
    assert result.exit_code == 2
    assert f"{path}:6: events[0].regions[0]: unknown region 'kyiv'" in result.stderr
    assert f"{path}:9: events[3].type: unknown event type 'threat_of_force'" in result.stderr


def test_an_act_two_treaties_read_must_say_under_which(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text().replace("treaty: nato-1949, ", ""))
    with pytest.raises(ScenarioError) as caught:
        load_histories(path, rules_root=RULES)
    assert any("events[1].treaty: is required for consultation_request in a history checked under "
               "budapest-1994, nato-1949" in line for line in caught.value.lines()), caught.value.lines()


def test_expectations_are_per_treaty(tmp_path):
    path = write(tmp_path, expect="""\
        expect:
          budapest-1994:
            - {obligation: bm2.no_force/russia, status: breached}
          nato-1949:
            - {obligation: art4.consult/poland/request, status: fulfilled}
        """)
    result = invoke("test", path, "-v")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "budapest-1994::bm2.no_force/russia" in result.stdout
    assert "nato-1949::art4.consult/poland/request" in result.stdout
    # a plain list cannot say which treaty it is for
    plain = write(tmp_path, expect="""\
        expect:
          - {obligation: bm2.no_force/russia, status: breached}
        """)
    with pytest.raises(ScenarioError) as caught:
        load_histories(plain, rules_root=RULES)
    assert "expect: say which treaty each expectation is for" in caught.value.text


def test_a_key_by_treaty_must_name_a_treaty_of_the_history(tmp_path):
    path = write(tmp_path, expect="""\
        in_force_from: {istanbul-2022: 2022-01-01}
        expect:
          nato-1494:
            - {obligation: art4.consult/poland/request, status: fulfilled}
        """)
    with pytest.raises(ScenarioError) as caught:
        load_histories(path, rules_root=RULES)
    said = caught.value.lines()
    assert any(line.endswith("in_force_from.istanbul-2022: 'istanbul-2022' is not a treaty of this history "
                             "(treaties: budapest-1994, nato-1949)") for line in said), said
    assert any("expect.nato-1494: 'nato-1494' is not a treaty of this history" in line
               and "did you mean 'nato-1949'" in line for line in said), said


def test_a_command_of_one_treaty_asks_which(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_scenario(write(tmp_path), rules_root=RULES)
    assert caught.value.text.endswith("this command takes one (--treaty NAME)")
    result = invoke("explain", write(tmp_path), "--treaty", "budapest-1994", "bm2.no_force/russia")
    assert result.exit_code == 1, result.stderr
    assert "invasion" in result.stdout


@pytest.mark.parametrize("command", [
    ["whatif", "--drop", "arms-canada"],
    ["repair", "--holder", "uk", "--max-actions", "3"],
    ["sweep", "--vary", "arms-canada.date=-1..8"],
], ids=lambda c: c[0])
def test_the_hypothetical_commands_read_a_history_under_the_treaty_named(command):
    name, *args = command
    asked = invoke(name, HISTORY_2022, *args)
    assert asked.exit_code == 2 and asked.stderr.endswith("this command takes one (--treaty NAME)\n")
    under = invoke(name, HISTORY_2022, *args, "--treaty", "istanbul-2022", "--format", "json")
    assert under.exit_code in (0, 1), under.stderr
    doc = json.loads(under.stdout)
    text = json.dumps(doc)
    # Canada's help under the proposal of March: its assistance duty, and its duty to report it
    if name in ("whatif", "repair"):
        assert doc["treaty"] == "istanbul-2022"
    if name == "whatif":
        assert {d["id"]: (d["before"], d["after"]) for d in doc["differences"]} == {
            "art4.assist/canada/invasion": ("fulfilled", "breached"), "art5.report/canada/arms-canada": ("breached", "-")}
    elif name == "repair":
        assert doc["targets"] == ["art4.assist/uk/invasion"] and doc["found"]
    else:
        assert "art4.assist/canada/invasion" in text and "art4.assist.armaments" not in text
    wrong = invoke(name, HISTORY_2022, *args, "--treaty", "budapest-1949")
    assert wrong.exit_code == 2 and "budapest-1949" in wrong.stderr and "Traceback" not in wrong.output


def test_every_reading_of_a_history_is_given_per_treaty(tmp_path):
    result = invoke("check", HISTORY_2022, "--all-readings", "--reading", "decision=each", "--format", "json")
    assert result.exit_code == 1, result.stderr
    grids = {g["treaty"]: g for g in json.loads(result.stdout)["scenarios"]}
    assert list(grids) == ["istanbul-2022", "budapest-1994", "nato-1949", "istanbul-2022-04-15"]
    # a reading is held fixed under the treaty that declares it, and varied by none
    assert grids["istanbul-2022-04-15"]["readings_fixed"] == {"decision": "each"}
    assert "decision" not in grids["istanbul-2022-04-15"]["readings_varied"]
    assert grids["budapest-1994"]["readings_fixed"] == {} and grids["budapest-1994"]["combinations"] == 4
    text = invoke("check", HISTORY_2022, "--all-readings", "--treaty", "nato-1949")
    assert "every reading of nato-1949 at once: 4 combinations" in text.stdout
    assert "istanbul" not in text.stdout.split("\n", 1)[1]
    page = tmp_path / "report.html"
    html = invoke("report", HISTORY_2022, "--all-readings", "--treaty", "budapest-1994", "--treaty", "nato-1949",
                  "--output", page)
    assert html.exit_code in (0, 1), html.stderr
    assert "budapest-1994" in page.read_text() and "nato-1949" in page.read_text()


@pytest.mark.parametrize("path", [HISTORY_2014, HISTORY_2022], ids=lambda p: p.name)
def test_the_real_histories_hold_their_expectations_under_every_treaty(path):
    result = invoke("test", path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout
    treaties = {s.treaty for s, _ in load_histories(path)}
    assert {"istanbul-2022", "budapest-1994", "nato-1949"} <= treaties
