"""GitHub Actions workflow commands: ``::error file=...,line=...::message`` annotations."""

from __future__ import annotations

from checker.render.style import visible
from checker.render.tree import derivation_lines


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_annotation(level: str, file: str, line: int, title: str, message: str) -> str:
    """A GitHub Actions workflow command that puts ``message`` (its lines) on ``file:line`` of
    the PR; no value can end the command early or send the log an escape sequence."""
    message = "\n".join(visible(part) for part in message.split("\n"))
    return (f"::{level} file={_gh_escape(visible(file), True)},line={line},title={_gh_escape(visible(title), True)}"
            f"::{_gh_escape(message)}")


def test_github(run) -> str:
    out = []
    for result in run.files:
        for problem in result.problems:
            file, line, rest = _split_problem(problem, result.file)
            out.append(github_annotation("error", file, line, "scenario rejected", rest))
        for case in result.cases:
            if not case.passed:
                message = "\n".join([f"expected {case.expected}, got {case.actual}", *derivation_lines(case)])
                out.append(github_annotation("error", case.file, case.line,
                                             f"expectation failed: {case.expectation}", message))
    c = run.counts()
    out.append(f"{c['passed']} passed, {c['failed']} failed")
    return "\n".join(out)


def _split_problem(problem: str, default_file: str) -> tuple[str, int, str]:
    """``FILE:LINE: rest`` split up (a line without a location goes on line 1 of the file)."""
    head, sep, rest = problem.partition(": ")
    file, _, line = head.rpartition(":")
    if sep and file and line.isdigit():
        return file, int(line), rest
    return default_file, 1, problem


def lint_github(result) -> str:
    """`checker lint --format github`: one annotation per issue, then the count."""
    out = [github_annotation("error", f.file, f.line, f"checker lint: {f.check}", f.message)
           for f in result.issues]
    out.append(f"{len(result.issues)} issue(s)")
    return "\n".join(out)


def mutate_github(report, below: bool = False) -> str:
    """`checker mutate --format github`: an annotation on the rule line of every surviving
    mutant (errors when the score is below the threshold, warnings otherwise), then the score."""
    level = "error" if below else "warning"
    out = []
    for r in report.results:
        if r.status != "survived":
            continue
        near = f" The nearest scenario that reaches the rule: {r.nearest}." if r.nearest else \
            " No scenario reaches the rule."
        out.append(github_annotation(level, r.mutant.file, r.mutant.line, "mutant survived",
                                     f"{r.mutant.mutation}: no expectation or test notices this change.{near}"))
    c = report.counts()
    score = report.score
    out.append(f"mutation score {'n/a' if score is None else f'{score:.1f}%'}: {c['killed']} killed, "
               f"{c['survived']} survived, {c['equivalent']} equivalent, {c['invalid']} invalid, "
               f"{c['timeout']} timeout")
    return "\n".join(out)
