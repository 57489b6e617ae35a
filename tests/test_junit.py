"""JUnit XML output: valid against the schema CI servers read, checked with a real validator."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io.files import scenario_files
from checker.maintain import testing
from checker.render.junit import classname, render_junit
from tests.test_testing import SCENARIO, failing, write

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "junit-10.xsd")))


def validate(xml: str) -> etree._Element:
    doc = etree.fromstring(xml.encode("utf-8"))
    if not SCHEMA.validate(doc):
        pytest.fail("JUnit XML is not valid: " + "; ".join(str(e) for e in SCHEMA.error_log))
    return doc


def test_the_validator_can_fail() -> None:
    # a test of the schema check itself: an error element the schema does not know
    bad = '<testsuites><testsuite name="x" tests="1" failures="0" errors="1"><testcase name="t">' \
          '<error message="m"/></testcase></testsuite></testsuites>'
    assert not SCHEMA.validate(etree.fromstring(bad))
    assert not SCHEMA.validate(etree.fromstring('<testsuites><testsuite name="x"/></testsuites>'))


def test_pass_fail_and_rejected_file_validate(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", failing())
    write(tmp_path, "b.yaml", SCENARIO)
    write(tmp_path, "c.yaml", SCENARIO.replace("date: 2027-04-12", "date: 2027-02-30"))
    run = testing.run_corpus(scenario_files([tmp_path]), jobs=1)
    doc = validate(render_junit(run))
    assert doc.tag == "testsuites"
    assert (doc.get("tests"), doc.get("failures"), doc.get("errors")) == ("7", "2", "0")
    suites = doc.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(tmp_path / n) for n in ("a.yaml", "b.yaml", "c.yaml")]
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("3", "1"), ("3", "0"), ("1", "1")]

    failed = suites[0].find("testcase")
    assert failed.get("name") == "art4.consult/uk/strike"
    assert failed.get("classname") == classname(str(tmp_path / "a.yaml"))
    failure = failed.find("failure")
    assert failure.get("message") == "art4.consult/uk/strike: expected late, got fulfilled (certain)"
    assert failure.text.splitlines()[:3] == [f"{tmp_path / 'a.yaml'}:28: art4.consult/uk/strike",
                                            "expected: late", "actual:   fulfilled (certain)"]
    assert suites[1].find("testcase/failure") is None

    rejected = suites[2].find("testcase")
    assert rejected.get("name") == "load"
    assert rejected.find("failure").get("type") == "rejected"
    assert rejected.find("failure").text == f"{tmp_path / 'c.yaml'}:22: events[2].date: '2027-02-30' is not a valid date"


def test_cli_junit_on_stdout_and_to_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", failing())
    out = tmp_path / "report.xml"
    result = CliRunner().invoke(app, ["test", str(path), "--format", "junit", "--junit-xml", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    validate(result.stdout)
    doc = validate(out.read_text(encoding="utf-8"))
    assert doc.get("failures") == "1"


def test_bundled_corpus_junit_validates() -> None:
    root = Path(__file__).resolve().parent.parent
    run = testing.run_corpus(scenario_files([root / "facts"]), jobs=1)
    doc = validate(render_junit(run))
    assert int(doc.get("tests")) == len(run.cases) > 50
    assert doc.get("failures") == "0"


def test_characters_xml_cannot_carry_are_replaced(tmp_path: Path) -> None:
    case = testing.CaseResult(file="x.yaml", expectation="a/b", obligation="a/b", line=3, passed=False,
                              expected="late", actual="weird \x01 text", derivation=("ctrl \x0b char",))
    run = testing.RunResult(files=[testing.FileResult("x.yaml", cases=(case,), seconds=1234.56789)])
    doc = validate(render_junit(run))
    assert doc.find("testsuite").get("time") == "1234.568"
    assert "weird ? text" in doc.find("testsuite/testcase/failure").get("message")


def test_classname_groups_by_folder() -> None:
    assert classname("facts/istanbul-2022/hybrid-grid.yaml") == "facts.istanbul-2022.hybrid-grid"
