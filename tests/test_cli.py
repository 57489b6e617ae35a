"""The command line, through typer's CliRunner: exit codes, both formats, several files.

Report format (docs/report-format.md): exit 0 nothing breached, 1 something breached
(a late duty is a breach, cured), 2 could not run or some input file was rejected, with one
line per problem on stderr; options may stand before or after the file names; the JSON
document validates against docs/schema/report.schema.json.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from tests.helpers import ROOT, appeal, assist, attack, consult, d, ev, scenario_text, write

SCHEMA = json.loads((ROOT / "docs" / "schema" / "report.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
FACTS = ROOT / "facts" / "istanbul-2022"
PROBLEM = re.compile(r"^[^\n]+?:\d+: [^:\n]+: [^\n]+$")
ANSI = re.compile(r"\x1b\[")
TWO = {"guarantors": ["uk", "usa"]}

runner = CliRunner()


def invoke(*args: str | Path, env: dict | None = None):
    result = runner.invoke(app, ["check", *map(str, args)], env={"NO_COLOR": "1", **(env or {})})
    # never a traceback, whatever the input
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def report(result) -> dict:
    doc = json.loads(result.stdout)
    VALIDATOR.validate(doc)
    _check_consistency(doc)
    return doc


def _check_consistency(doc: dict) -> None:
    """What a schema cannot say: ids, order and summary agree with the obligations."""
    for s in doc["scenarios"]:
        obligations, not_fired = s["obligations"], s["not_fired"]
        for o in obligations:
            assert o["id"] == "/".join(x for x in (o["provision"], o["holder"], o["trigger"]) if x is not None)
            if o["deadline"] is not None:
                assert o["deadline"] >= o["fired_on"]
        for n in not_fired:
            assert n["id"] == "/".join(x for x in (n["provision"], n["holder"], n["trigger"]) if x is not None)
            assert n["blocked_by"] == sorted(n["blocked_by"])
        assert [(o["fired_on"], o["id"]) for o in obligations] == sorted((o["fired_on"], o["id"]) for o in obligations)
        assert [n["id"] for n in not_fired] == sorted(n["id"] for n in not_fired)
        assert len({o["id"] for o in obligations} | {n["id"] for n in not_fired}) == len(obligations) + len(not_fired)
        summary = s["summary"]
        assert summary["fired"] == len(obligations)
        assert summary["not_fired"] == len(not_fired)
        for st in ("fulfilled", "late", "breached", "pending", "discharged", "complied"):
            assert summary[st] == sum(1 for o in obligations if o["status"] == st)


def scenario(tmp_path: Path, events, name: str | None = None, **top) -> Path:
    return write(tmp_path, scenario_text(events, **top), name)


@pytest.fixture
def clean(tmp_path):
    """A scenario in which nothing is breached (consultation and help on time, reported)."""
    return scenario(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"),
                               consult("c", d(1), ["uk", "usa"], about="a"),
                               assist("h1", d(2), "uk", about="a"), assist("h2", d(2), "usa"),
                               ev("r1", d(2), "unsc_report", by="uk"), ev("r2", d(3), "unsc_report", by="usa")],
                    name="clean.yaml", as_of=d(4), parties=TWO)


@pytest.fixture
def breached(tmp_path):
    """The consultations are missed."""
    return scenario(tmp_path, [attack("a", d(0))], name="breached.yaml", as_of=d(10), parties=TWO)


@pytest.fixture
def late(tmp_path):
    """The consultations are held, a day late: a breach, cured."""
    return scenario(tmp_path, [attack("a", d(0)), consult("c", d(4), ["uk", "usa"], about="a")], name="late.yaml",
                    as_of=d(10), parties=TWO)


@pytest.fixture
def rejected(tmp_path):
    path = tmp_path / "rejected.yaml"
    path.write_text("scenario: bad\ntreaty: istanbul-2022\nevents:\n  - id: x\n    date: 2027-02-30\n"
                    "    type: nuclear_weapons\n  - {id: y, date: 2027-03-01, type: atack}\n")
    return path


REJECTED_LINES = ["{p}:5: events[0].date: '2027-02-30' is not a valid date",
                  "{p}:7: events[1].type: unknown event type 'atack' (did you mean 'attack'?)"]


# --- exit codes --------------------------------------------------------------------------------
def test_exit_0_when_nothing_is_breached(clean):
    result = invoke(clean)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("fixture", ["breached", "late"])
def test_exit_1_when_something_is_breached_or_late(request, fixture):
    assert invoke(request.getfixturevalue(fixture)).exit_code == 1


def test_exit_0_when_duties_are_only_pending_or_discharged(tmp_path):
    path = scenario(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a"),
                               consult("c", d(1), ["uk", "usa"], about="a"), ev("m", d(2), "unsc_measures", about="a"),
                               assist("h", d(9), "uk")], as_of=d(9), parties=TWO)
    result = invoke(path, "--format", "json")
    assert result.exit_code == 0, result.stdout
    summary = report(result)["scenarios"][0]["summary"]
    assert (summary["discharged"], summary["pending"], summary["breached"], summary["late"]) == (2, 1, 0, 0)


def test_exit_2_and_every_problem_on_stderr_for_a_rejected_file(rejected):
    result = invoke(rejected)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line.format(p=rejected) for line in REJECTED_LINES]


def test_exit_2_for_a_missing_file(tmp_path):
    result = invoke(tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "nope.yaml" in result.stderr


def test_exit_2_for_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke(tmp_path / "empty")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


def test_exit_2_without_a_scenario():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", [
    "",
    "\x00\x01binary",
    "scenario: [unclosed\n",
    "- just\n- a list\n",
    "scenario: x\ntreaty: ../../etc\nevents: []\n",
    "scenario: x\ntreaty: nope\nevents: []\n",
    "scenario: x\ntreaty: istanbul-2022\nevents: !!python/object/apply:os.system ['echo hi']\n",
    "scenario: x\ntreaty: istanbul-2022\nevents:\n  - &a {id: a, date: 2027-03-01, type: nuclear_weapons}\n  - *a\n",
    "scenario: x\ntreaty: istanbul-2022\nevents: {id: a}\n",
    "scenario: x\ntreaty: istanbul-2022\nevents:\n  - 3\n  - [a]\n  - {id: 5, date: 5, type: 5}\n",
    "scenario: 7\ntreaty: 7\nevents: 7\n",
    "scenario: x\ntreaty: istanbul-2022\nparties: 5\nreadings: [a]\nparameters: x\nexcluded_regions: x\n"
    "expect: 5\nas_of: 5\nevents: []\n",
    "scenario: x\ntreaty: istanbul-2022\nevents:\n  - {id: a, date: 2027-03-01, type: attack, kind: [x], by: {a: b},"
    " regions: [[kyiv]]}\n",
])
def test_a_bad_file_never_gives_a_traceback(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_bytes(text.encode("utf-8"))
    result = invoke(path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines and all(PROBLEM.match(line) for line in lines), lines


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("scenario: caf\xe9\ntreaty: istanbul-2022\nevents: []\n".encode("latin-1"))
    result = invoke(path)
    assert result.exit_code == 2
    assert all(PROBLEM.match(line) for line in result.stderr.splitlines())


# --- text ----------------------------------------------------------------------------------------
def test_text_table_not_fired_list_and_summary(tmp_path):
    path = scenario(tmp_path, [attack("a", d(0)), attack("b", d(0), regions=["crimea"]),
                               consult("c", d(2), ["uk"], about="a")], as_of=d(10), parties=TWO)
    result = invoke(path)
    out = result.stdout
    assert result.exit_code == 1
    assert str(path) in out and "test scenario" in out
    for header in ("OBLIGATION", "HOLDER", "FIRED", "DEADLINE", "STATUS"):
        assert header in out
    row = next(line for line in out.splitlines() if "art4.consult/uk/a " in line)
    assert row.split()[:5] == ["art4.consult/uk/a", "uk", d(0), d(3), "fulfilled"]
    assert "c" in row.split()[5:]
    row = next(line for line in out.splitlines() if "art4.consult/usa/a " in line)
    assert row.split()[:5] == ["art4.consult/usa/a", "usa", d(0), d(3), "breached"]
    assert d(4) in row
    assert re.search(r"art4\.consult/uk/b\s+blocked by art2\.excluded_territory", out)
    assert re.search(r"\d+ fired, .*1 fulfilled.*1 breached.*2 not fired", out)
    assert not ANSI.search(out)


def test_colour_only_when_asked(clean):
    assert not ANSI.search(invoke(clean).stdout)
    assert ANSI.search(invoke(clean, env={"NO_COLOR": "", "FORCE_COLOR": "1"}).stdout)


# --- json ----------------------------------------------------------------------------------------
def test_json_validates_and_says_everything(tmp_path):
    path = scenario(tmp_path, [attack("a", d(0)), attack("b", d(0), regions=["crimea"]),
                               consult("c", d(2), ["uk"], about="a"), ev("n", d(20), "nuclear_weapons")],
                    as_of=d(10), parties=TWO)
    result = invoke(path, "--format", "json")
    assert result.exit_code == 1
    doc = report(result)
    (s,) = doc["scenarios"]
    assert (s["file"], s["scenario"], s["treaty"], s["as_of"]) == (str(path), "test scenario", "istanbul-2022", d(10))
    assert s["readings"] == {"assistance_means": "menu", "provisional_threshold": "majority",
                             "exercise_consent": "all"}
    assert s["parameters"] == {"consultation_days": 3, "assistance_days": 3, "report_days": 1, "crimea_years": 15}
    assert s["ignored_events"] == 1
    o = next(o for o in s["obligations"] if o["id"] == "art4.consult/usa/a")
    assert o == {**o, "provision": "art4.consult", "kind": "achievement", "holder": "usa", "trigger": "a",
                 "fired_on": d(0), "deadline": d(3), "status": "breached", "certainty": "certain", "met_by": None,
                 "breached_on": d(4), "breached_by": None, "discharged_by": None, "discharged_on": None}
    assert {"id": "art4.consult/uk/b", "provision": "art4.consult", "holder": "uk", "trigger": "b",
            "blocked_by": ["art2.excluded_territory"]} in s["not_fired"]
    assert s["summary"]["not_fired"] == 2


def test_json_of_every_bundled_scenario_validates():
    result = invoke(FACTS, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    doc = report(result)
    assert len(doc["scenarios"]) == len([p for p in FACTS.rglob("*") if p.suffix in (".yaml", ".yml", ".json")])
    statuses = {o["status"] for s in doc["scenarios"] for o in s["obligations"]}
    assert statuses == {"fulfilled", "late", "breached", "pending", "discharged", "complied"}


def test_json_puts_one_duty_a_line_and_says_what_the_indented_layout_said():
    from checker.engine.check import check_file
    from checker.render.json import FORMAT, render_json, scenario_json

    verdicts = [check_file(p)[0] for p in sorted(FACTS.glob("*.yaml"))[:6]]
    v = next(x for x in verdicts if any(o.status in ("breached", "late") for o in x.obligations))
    breach = next(o for o in v.obligations if o.status in ("breached", "late"))
    trees = {v.scenario.path: {breach.id: {"claim": "a tree", "children": [{"claim": "a leaf"}]}}}
    text = render_json(verdicts, trees)
    assert json.loads(text) == {"format": FORMAT, "scenarios": [
        scenario_json(x, trees.get(x.scenario.path)) for x in verdicts]}
    lines = text.splitlines()
    one_line = [line for line in lines if line.lstrip().startswith('{"id": ')]
    assert len(one_line) == sum(len(x.obligations) + len(x.not_fired) for x in verdicts) - 1
    # an object with an explanation tree keeps the indented layout, readable as it is
    assert any(line.strip() == '"claim": "a leaf"' for line in lines)


def test_a_check_that_explains_nothing_reports_what_the_library_reports():
    # `checker check` lets go of the events before grounding when nothing is explained
    from checker.engine.check import check_file, check_file_keeping_control
    from checker.render.json import render_json
    from checker.render.style import Style
    from checker.render.text import render_text

    for path in sorted(FACTS.glob("*.yaml")):
        full, _ = check_file(path)
        lean, _, control = check_file_keeping_control(path, keep=False, events=False)
        assert control is None and (lean.scenario.events == () or full.scenario.uncertain)
        assert render_json([lean]) == render_json([full])
        assert render_text(lean, Style(False)) == render_text(full, Style(False))


def test_schema_refuses_what_the_contract_forbids(clean):
    doc = report(invoke(clean, "--format", "json"))
    o = doc["scenarios"][0]["obligations"][0]
    for broken in ({**o, "status": "ok"}, {**o, "fired_on": "2027-3-1"}, {k: v for k, v in o.items() if k != "met_by"},
                   {**o, "surprise": 1}, {**o, "kind": "maintenance", "status": "fulfilled"}):
        bad = {**doc, "scenarios": [{**doc["scenarios"][0], "obligations": [broken]}]}
        assert not VALIDATOR.is_valid(bad), broken
    assert not VALIDATOR.is_valid({**doc, "format": "treaty-checker/report@2"})


# --- several files, folders ------------------------------------------------------------------------
def test_several_files_and_a_folder_in_one_call(tmp_path, clean, breached):
    folder = tmp_path / "more"
    folder.mkdir()
    shutil.copy(clean, folder / "b.yaml")
    shutil.copy(breached, folder / "a.yml")
    (folder / "notes.txt").write_text("not a scenario")
    result = invoke(clean, folder, breached, "--format", "json")
    assert result.exit_code == 1
    files = [s["file"] for s in report(result)["scenarios"]]
    assert files == [str(clean), str(folder / "a.yml"), str(folder / "b.yaml"), str(breached)]


def test_several_files_in_text(clean, breached):
    result = invoke(clean, breached)
    assert result.exit_code == 1
    assert result.stdout.index(str(clean)) < result.stdout.index(str(breached))
    assert len(re.findall(r"\d+ fired, ", result.stdout)) == 2


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_rejected_file_among_good_ones(clean, breached, rejected, fmt):
    result = invoke(clean, rejected, breached, "--format", fmt)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line.format(p=rejected) for line in REJECTED_LINES]
    if fmt == "json":
        assert [s["file"] for s in report(result)["scenarios"]] == [str(clean), str(breached)]
    else:
        assert str(clean) in result.stdout and str(breached) in result.stdout
        assert str(rejected) not in result.stdout


def test_two_rejected_files_report_both(tmp_path, rejected):
    other = tmp_path / "other.yaml"
    other.write_text("scenario: x\nevents: []\n")
    result = invoke(rejected, other)
    assert result.exit_code == 2
    assert f"{other}:1: treaty: is required" in result.stderr.splitlines()
    assert len(result.stderr.splitlines()) == 3


# --- options -------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["--format", "json", "--as-of", d(2), "{f}"],
    ["{f}", "--format", "json", "--as-of", d(2)],
    ["--format", "json", "{f}", "--as-of", d(2)],
    ["-f", "json", "{f}", "--as-of", d(2)],
])
def test_options_before_and_after_file_names(breached, args):
    result = invoke(*[a.format(f=breached) for a in args])
    assert result.exit_code == 0
    s = report(result)["scenarios"][0]
    assert s["as_of"] == d(2)
    assert {o["status"] for o in s["obligations"] if o["provision"] == "art4.consult"} == {"pending"}


def test_as_of_ignores_later_events(late):
    s = report(invoke(late, "--format", "json", "--as-of", d(3)))["scenarios"][0]
    assert (s["as_of"], s["ignored_events"]) == (d(3), 1)
    s = report(invoke(late, "--format", "json", "--as-of", d(5)))["scenarios"][0]
    assert {o["status"] for o in s["obligations"] if o["provision"] == "art4.consult"} == {"late"}


def test_reading_override(tmp_path):
    path = scenario(tmp_path, [attack("a", d(0)), appeal("p", d(0), about="a", requests=["armaments"])],
                    as_of=d(10), parties=TWO)
    s = report(invoke(path, "--format", "json", "--reading", "assistance_means=as_requested"))["scenarios"][0]
    assert s["readings"]["assistance_means"] == "as_requested"
    assert {o["provision"] for o in s["obligations"] if o["provision"].startswith("art4.assist")} == \
        {"art4.assist.armaments"}
    s = report(invoke(path, "-f", "json", "-r", "assistance_means=menu"))["scenarios"][0]
    assert {o["provision"] for o in s["obligations"] if o["provision"].startswith("art4.assist")} == {"art4.assist"}


def test_param_override_repeatable(breached):
    s = report(invoke(breached, "--format", "json", "--param", "consultation_days=10", "-p", "report_days=2"))
    s = s["scenarios"][0]
    assert s["parameters"] == {"consultation_days": 10, "assistance_days": 3, "report_days": 2, "crimea_years": 15}
    assert {o["status"] for o in s["obligations"] if o["provision"] == "art4.consult"} == {"pending"}


def test_overrides_beat_the_file(tmp_path):
    path = scenario(tmp_path, [attack("a", d(0)), consult("c", d(4), ["uk", "usa"], about="a")], as_of=d(10),
                    parties=TWO, parameters={"consultation_days": 5})
    assert invoke(path).exit_code == 0
    assert invoke(path, "--param", "consultation_days=3").exit_code == 1


@pytest.mark.parametrize("args,needle", [
    (["--reading", "assistance_mean=menu"], "assistance_mean"),
    (["--reading", "assistance_means=everything"], "everything"),
    (["--reading", "assistance_means"], "NAME=VALUE"),
    (["--reading", "=menu"], "NAME=VALUE"),
    (["--param", "consultation_day=3"], "consultation_day"),
    (["--param", "consultation_days=three"], "three"),
    (["--param", "consultation_days=-1"], "-1"),
    (["--param", "consultation_days"], "NAME=VALUE"),
    (["--as-of", "2027-02-30"], "2027-02-30"),
    (["--as-of", "tomorrow"], "tomorrow"),
])
def test_bad_overrides_are_one_line_and_exit_2(clean, breached, args, needle):
    for order in ([clean, breached, *args], [*args, clean, breached]):
        result = invoke(*order)
        assert result.exit_code == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert needle in lines[0]
        assert args[0] in lines[0]


def test_bad_format_is_a_usage_error(clean):
    result = invoke(clean, "--format", "xml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_console_script_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\ntreaty: istanbul-2022\nevents:\n  - {id: a, date: 2027-13-01, type: attack}\n")
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(bad), "--param", "report_days=1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert all(PROBLEM.match(line) for line in proc.stderr.splitlines()), proc.stderr


def test_the_console_script_exits_at_once_with_its_output_whole(tmp_path):
    # main() leaves through os._exit (no teardown of the heap): what was printed must all
    # be there, the exit code must be the command's, and a reader that stops early is no error
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(FACTS), "-f", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)["scenarios"]) == len(list(FACTS.glob("*.yaml")))
    head = subprocess.run(f"{shlex.quote(sys.executable)} -m checker check {shlex.quote(str(FACTS))} | head -1",
                          shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert head.stdout.count("\n") == 1 and "Exception" not in head.stderr and "Traceback" not in head.stderr


def test_check_explain_on_uncertain_facts_points_to_witnesses() -> None:
    """--explain over a folder with an uncertain scenario: the table, and a pointer to --witness."""
    path = "facts/istanbul-2022/uncertain-attribution.yaml"
    result = CliRunner().invoke(app, ["check", path, "--explain"])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert f"checker explain {path} --witness" in result.stderr
    assert "art1.guarantee/russia" in result.stdout
