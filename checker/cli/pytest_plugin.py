"""pytest plugin: scenario files with an ``expect:`` block are test files.

Registered through the ``pytest11`` entry point, so ``pytest facts/`` runs every expectation
with pytest's own reporting, ``-k``, ``-x``, ``--junitxml`` and ``-m scenario``. Each
expectation is one item, ``<file>::<obligation id>``; a file is solved once, when its first
selected item runs. Files are chosen by parsing them, as ``checker test`` chooses them
(checker.maintain.testing): a file that looks like a scenario, or cannot be read as one, is
collected, and one the loader rejects is one failing item named ``load``, whether it has
expectations or not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.maintain.testing import NOT_A_SCENARIO, CaseResult, FileResult, case_names, run_file, skip_reason
from checker.render.style import visible
from checker.render.tree import derivation_lines

SUFFIXES = (".yaml", ".yml", ".json")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "scenario: an expectation of a scenario file (treaty-checker)")


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix.lower() not in SUFFIXES or "rules" in file_path.parts:
        return None  # pack manifests are YAML too, but never scenarios
    from checker.errors import CheckerError
    from checker.io.scenario import read_document

    try:
        doc = read_document(file_path)
    except CheckerError as exc:  # unreadable as a scenario: one failing item says why
        return ScenarioFile.from_parent(parent, path=file_path, problem=tuple(exc.lines()))
    if skip_reason(doc) == NOT_A_SCENARIO:
        return None
    return ScenarioFile.from_parent(parent, path=file_path, doc=doc)


class ExpectationFailed(Exception):
    """An expectation of a scenario did not hold."""

    def __init__(self, case: CaseResult):
        super().__init__(f"{case.expectation}: expected {case.expected}, got {case.actual}")
        self.case = case


class ScenarioRejected(Exception):
    """The loader rejected the scenario file; ``lines`` are its problems."""

    def __init__(self, lines: tuple[str, ...]):
        super().__init__("\n".join(lines))
        self.lines = lines


class ScenarioFile(pytest.File):
    """One scenario file; its items are its expectations."""

    _result: FileResult | None = None

    def __init__(self, *, doc=None, problem: tuple[str, ...] = (), **kwargs):
        super().__init__(**kwargs)
        self.doc, self.problem = doc, problem  # the document as read, or why it cannot be

    def _shown(self) -> str:
        try:
            return str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            return str(self.path)

    def result(self) -> FileResult:
        """The file checked once: every item of the file shares the verdicts."""
        if self._result is None:
            self._result = run_file(self._shown())
        return self._result

    def collect(self):
        from checker.errors import CheckerError
        from checker.io.scenario import load_history_document

        try:
            if self.problem:
                raise CheckerError("\n".join(self.problem))
            views = load_history_document(self.path, self.doc)
        except CheckerError as exc:
            lines = tuple(exc.lines())
            yield RejectedItem.from_parent(self, name="load", lines=lines)
            return
        finally:
            self.doc = None  # read once; the items need only the verdicts
        index = 0
        for scenario, pack in views:   # in run_file's order: a history of several treaties, each
            names = case_names(scenario.expectations)
            if len(views) > 1:
                names = [f"{pack.name}::{name}" for name in names]
            for name, expectation in zip(names, scenario.expectations):
                yield ExpectationItem.from_parent(self, name=name, index=index, line=expectation.line)
                index += 1


class ExpectationItem(pytest.Item):
    """One expectation: passes when the verdict the rules give is the one expected."""

    def __init__(self, *, index: int, line: int, **kwargs):
        super().__init__(**kwargs)
        self.index = index
        self.line = line
        self.add_marker(pytest.mark.scenario)

    def runtest(self) -> None:
        result = self.parent.result()  # type: ignore[attr-defined]
        if result.rejected:
            raise ScenarioRejected(result.problems)
        case = result.cases[self.index]
        if not case.passed:
            raise ExpectationFailed(case)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ExpectationFailed):
            case = excinfo.value.case
            lines = [visible(f"{case.file}:{case.line}: {case.expectation}"),
                     visible(f"  expected: {case.expected}"),
                     visible(f"  actual:   {case.actual}")]
            because = derivation_lines(case)
            if because:
                lines.append("  because:")
                lines.extend("    " + d for d in because)
            return "\n".join(lines)
        if isinstance(excinfo.value, ScenarioRejected):
            return "\n".join(visible(line) for line in excinfo.value.lines)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.line - 1, f"{self.parent.name}::{self.name}"


class RejectedItem(pytest.Item):
    """A scenario file the loader rejected: one failure listing every problem, one per line."""

    def __init__(self, *, lines: tuple[str, ...], **kwargs):
        super().__init__(**kwargs)
        self.lines = lines
        self.add_marker(pytest.mark.scenario)

    def runtest(self) -> None:
        raise ScenarioRejected(self.lines)

    def repr_failure(self, excinfo, style=None):
        return "\n".join(visible(line) for line in self.lines)

    def reportinfo(self):
        return self.path, 0, f"{self.parent.name}: rejected"
