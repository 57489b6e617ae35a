"""The one error family of the checker: every user-facing problem carries a location."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, printed as ``FILE:LINE: FIELD: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CheckerError(Exception):
    """Base class: input or usage the checker cannot run on (exit code 2)."""

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            self.text = problems
        else:
            self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line, p.field)))
            self.text = "\n".join(str(p) for p in self.problems)
        super().__init__(self.text)

    def lines(self) -> list[str]:
        """The problems, one line each, as they are printed on stderr (a line break inside a
        problem's message stays in its line: the command line shows it escaped)."""
        if self.problems:
            return [str(p) for p in self.problems]
        return self.text.splitlines() or [self.text]

    def __reduce__(self):
        # sent whole from a worker process: the problems, not only their text
        return (type(self), (self.problems or self.text,))


class ScenarioError(CheckerError):
    """A scenario file was rejected as a whole."""


class PackError(CheckerError):
    """A rule pack (manifest or rules) is broken."""


class UsageError(CheckerError):
    """A command-line option does not make sense."""


class SolveTimeout(CheckerError):
    """Solving took longer than the time allowed."""


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """A short hint naming the closest known words, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(set(known)), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
