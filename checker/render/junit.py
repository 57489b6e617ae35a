"""JUnit XML for a test run, in the dialect CI servers read (Jenkins' junit-10.xsd).

One ``<testsuite>`` per scenario file, one ``<testcase>`` per expectation. The schema has no
``<error>`` element inside a test case, so a scenario file the loader rejected becomes one
test case with a ``<failure type="rejected">`` carrying every problem line: CI servers then
show it in red with the file and line, which is what a reader needs.
"""

from __future__ import annotations

import datetime as _dt
import re
import socket
import xml.etree.ElementTree as ET

from checker.maintain.testing import CaseResult, FileResult, RunResult
from checker.render.tree import derivation_lines

# characters XML 1.0 cannot carry at all, even escaped
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("?", text)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"  # the schema's SUREFIRE_TIME allows at most 3 decimals


def classname(file: str) -> str:
    """A dotted class name for a scenario file, as CI servers group test cases by it."""
    stem = re.sub(r"\.(ya?ml|json)$", "", file.replace("\\", "/"))
    return stem.strip("/").replace("/", ".")


def failure_text(case: CaseResult) -> str:
    """The body of a failure: expected versus actual, then the derivation of the actual verdict."""
    lines = [f"{case.file}:{case.line}: {case.expectation}",
             f"expected: {case.expected}", f"actual:   {case.actual}"]
    lines.extend("  " + d for d in derivation_lines(case))
    return "\n".join(lines)


def _suite(result: FileResult, timestamp: str, host: str) -> ET.Element:
    cases = result.cases
    failures = sum(1 for c in cases if not c.passed) + (1 if result.rejected else 0)
    suite = ET.Element("testsuite", {
        "name": _clean(result.file), "tests": str(len(cases) + (1 if result.rejected else 0)),
        "failures": str(failures), "errors": "0", "skipped": "0",
        "time": _seconds(result.seconds), "timestamp": timestamp, "hostname": host,
        "file": _clean(result.file),
    })
    share = result.seconds / len(cases) if cases else 0.0  # files are solved whole; split evenly
    for case in cases:
        tc = ET.SubElement(suite, "testcase", {"classname": _clean(classname(case.file)),
                                               "name": _clean(case.expectation), "time": _seconds(share)})
        if not case.passed:
            failure = ET.SubElement(tc, "failure", {
                "type": "expectation",
                "message": _clean(f"{case.expectation}: expected {case.expected}, got {case.actual}"),
            })
            failure.text = _clean(failure_text(case))
    if result.rejected:
        tc = ET.SubElement(suite, "testcase", {"classname": _clean(classname(result.file)),
                                               "name": "load", "time": _seconds(result.seconds)})
        failure = ET.SubElement(tc, "failure", {"type": "rejected", "message": _clean(result.problems[0])})
        failure.text = _clean("\n".join(result.problems))
    return suite


def render_junit(run: RunResult, name: str = "checker test") -> str:
    """The run as a JUnit XML document (text, with the XML declaration)."""
    timestamp = _dt.datetime.now().replace(microsecond=0).isoformat()
    host = socket.gethostname() or "localhost"
    counts = run.counts()
    root = ET.Element("testsuites", {
        "name": name, "tests": str(counts["cases"] + counts["rejected"]),
        "failures": str(counts["failed"] + counts["rejected"]), "errors": "0",
        "time": _seconds(run.seconds),
    })
    for result in run.files:
        root.append(_suite(result, timestamp, host))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
