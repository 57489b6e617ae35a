"""Commands for the people who maintain the rules: ``test``, ``lint`` and ``diff``.

They are registered on the one ``checker`` app (checker/cli.py imports this module). As in
cli.py, this is the only place in the rules tooling that prints and chooses exit codes;
checker/testing.py, coverage.py, semdiff.py and lint.py return values.
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli import EXIT_BREACH, EXIT_ERROR, EXIT_OK, TIMEOUT_OPTION, _use_colour, app
from .errors import CheckerError, UsageError
from .report import Style

DEFAULT_CORPUS = Path("facts")


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _fail_usage(exc: CheckerError) -> None:
    for line in exc.lines():
        _err(line)
    raise typer.Exit(EXIT_ERROR)


def _corpus(paths: List[Path]) -> List[Path]:
    """The scenario files named, folders expanded; a missing path is a usage error."""
    from .testing import collect

    paths = paths or [DEFAULT_CORPUS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError([_problem(p) for p in missing])
    files = collect(paths)
    if not files:
        raise UsageError(f"{', '.join(map(str, paths))}: no scenario files (*.yaml, *.yml, *.json) here")
    return files


def _problem(path: Path):
    from .errors import Problem

    return Problem(str(path), 1, "file", "no such file or folder")


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 28

    def __init__(self, label: str, enabled: bool | None = None):
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int, _result=None) -> None:
        if not self.enabled or total == 0:
            return
        filled = int(self.WIDTH * done / total)
        elapsed = time.perf_counter() - self.start
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        sys.stderr.write(f"\r{self.label} {bar} {done}/{total} files  {elapsed:5.1f} s")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


# --- checker test -----------------------------------------------------------------------------

class TestFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"


def render_test_text(run, style: Style, verbose: bool = False) -> str:
    """Failures with expected versus actual and the derivation; then one summary line."""
    out: list[str] = []
    for result in run.files:
        for case in result.cases:
            if case.passed:
                if verbose:
                    out.append(style("PASS", "green") + f" {case.name}")
                continue
            out.append(style("FAIL", "red", "bold") + f" {case.file}:{case.line}  " + style(case.expectation, "bold"))
            out.append(f"     expected  {case.expected}")
            out.append("     actual    " + style(case.actual, "red"))
            for i, line in enumerate(case.derivation):
                out.append(("     because   " if i == 0 else "               ") + line)
            out.append("")
    c = run.counts()
    parts = [style(f"{c['passed']} passed", "green"),
             style(f"{c['failed']} failed", "red", "bold") if c["failed"] else "0 failed"]
    if c["rejected"]:
        parts.append(style(f"{c['rejected']} file(s) rejected", "red", "bold"))
    tail = f" in {c['files']} scenario file(s), {run.seconds:.2f} s on {run.jobs} core(s)"
    if c["skipped"]:
        tail += f"; {c['skipped']} file(s) without an expect: block skipped"
    out.append(", ".join(parts) + style(tail, "dim"))
    return "\n".join(out)


def render_test_json(run, coverage_report=None) -> str:
    cases = [{"name": c.name, "file": c.file, "line": c.line, "expectation": c.expectation,
              "obligation": c.obligation, "passed": c.passed, "expected": c.expected,
              "actual": c.actual, "derivation": list(c.derivation)} for c in run.cases]
    doc = {"format": "treaty-checker/test@1", "cases": cases,
           "rejected": [{"file": f.file, "problems": list(f.problems)} for f in run.rejected],
           "skipped": run.skipped, "summary": {**run.counts(), "seconds": round(run.seconds, 3),
                                               "jobs": run.jobs}}
    if coverage_report is not None:
        from .coverage import coverage_json

        doc["coverage"] = coverage_json(coverage_report)
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_annotation(level: str, file: str, line: int, title: str, message: str) -> str:
    """A GitHub Actions workflow command that puts ``message`` on ``file:line`` of the PR."""
    return (f"::{level} file={_gh_escape(file, True)},line={line},title={_gh_escape(title, True)}"
            f"::{_gh_escape(message)}")


def render_test_github(run) -> str:
    out = []
    for result in run.files:
        for problem in result.problems:
            file, line, rest = _split_problem(problem, result.file)
            out.append(github_annotation("error", file, line, "scenario rejected", rest))
        for case in result.cases:
            if not case.passed:
                message = "\n".join([f"expected {case.expected}, got {case.actual}", *case.derivation])
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


@app.command("test")
def test_command(
    paths: List[Path] = typer.Argument(None, metavar="PATH",
                                       help="Scenario files or folders (default: facts/). Files "
                                            "without an expect: block are skipped."),
    fmt: TestFormat = typer.Option(TestFormat.text, "--format", "-f",
                                   help="text (failures and a summary), json, junit (JUnit XML on "
                                        "stdout, for CI servers) or github (::error annotations on "
                                        "the expectation's line, for GitHub Actions)."),
    pattern: Optional[str] = typer.Option(None, "-k", metavar="PATTERN",
                                          help="Run only expectations whose name "
                                               "(<file>::<obligation id>) contains PATTERN, or "
                                               "matches it as a glob when it has * ? or [."),
    update: bool = typer.Option(False, "--update",
                                help="Rewrite failing expectations from the current verdicts (for a "
                                     "deliberate rule change). Only the lines of those "
                                     "expectations change; comments and layout stay. An empty "
                                     "block (expect: []) is filled with every verdict. Applies to "
                                     "every file given, whatever -k selects; YAML files only."),
    coverage: bool = typer.Option(False, "--coverage",
                                  help="Also report, for every provision, which outcomes its rules "
                                       "can reach (fired, each status, not fired for each blocking "
                                       "provision) some scenario reached, and which rules never fired."),
    threshold: Optional[float] = typer.Option(None, "--threshold", metavar="PERCENT", min=0, max=100,
                                              help="With --coverage: exit 1 when status coverage "
                                                   "is below PERCENT."),
    junit_xml: Optional[Path] = typer.Option(None, "--junit-xml", metavar="FILE", dir_okay=False,
                                             help="Also write JUnit XML to FILE, whatever --format."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core)."),
    timeout: Optional[float] = TIMEOUT_OPTION,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List passing expectations too."),
    rules: Optional[Path] = typer.Option(None, "--rules", file_okay=False,
                                         help="Folder of rule packs (default: the nearest rules/ "
                                              "above each scenario)."),
) -> None:
    """Run the expect: blocks of scenario files: each expectation is one test case named
    <file>::<obligation id>. A failure shows expected versus actual and how the actual
    verdict came about.

    Exit codes: 0 every expectation held, 1 some failed (or coverage is below --threshold),
    2 a scenario file was rejected or the options make no sense.

    \b
    Examples:
      checker test                          # every scenario under facts/
      checker test facts/ -k boundary --format github   # names containing 'boundary'
      checker test --coverage --threshold 90
      checker test --format junit > report.xml
      checker test facts/some-scenario.yaml --update
    """
    from .testing import filter_run, run_corpus

    try:
        if threshold is not None and not coverage:
            raise UsageError("--threshold: needs --coverage")
        files = _corpus(paths)
    except CheckerError as exc:
        _fail_usage(exc)
    progress = Progress("checker test")
    try:
        run = run_corpus(files, rules_root=rules, jobs=jobs, progress=progress,
                         keep_verdicts=coverage or update, timeout=timeout)
    finally:
        progress.close()
    cov = None
    if coverage:
        from .coverage import compute_coverage

        cov = compute_coverage(run, jobs=jobs or 0)  # over the whole corpus, whatever -k selects
    shown = filter_run(run, pattern)

    if update:
        _do_update(run)
        return

    style = Style(_use_colour(sys.stdout))
    if fmt is TestFormat.json:
        print(render_test_json(shown, cov))
    elif fmt is TestFormat.junit:
        from .junit import render_junit

        sys.stdout.write(render_junit(shown))
    elif fmt is TestFormat.github:
        print(render_test_github(shown))
    else:
        print(render_test_text(shown, style, verbose))
    if junit_xml is not None:
        from .junit import render_junit

        try:
            junit_xml.write_text(render_junit(shown), encoding="utf-8")
        except OSError as exc:
            _err(f"{junit_xml}:1: file: cannot be written: {exc.strerror or exc}")
            raise typer.Exit(EXIT_ERROR)
    for result in shown.rejected:
        for line in result.problems:
            _err(line)

    below = False
    if cov is not None:
        from .coverage import render_coverage_text

        # JUnit on stdout must stay one XML document: the table goes to stderr then
        stream = sys.stderr if fmt is TestFormat.junit else sys.stdout
        if fmt is not TestFormat.json:
            print("", file=stream)
            print(render_coverage_text(cov, Style(_use_colour(stream)), threshold), file=stream)
        below = threshold is not None and cov.status_percent < threshold

    if shown.rejected:
        raise typer.Exit(EXIT_ERROR)
    if pattern and not shown.cases:
        _err(f"-k: no expectation matches {pattern!r}")
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_BREACH if shown.failed or below else EXIT_OK)


def _do_update(run) -> None:
    from .testing import update_file

    updated = 0
    for result in run.files:
        if result.rejected:
            for line in result.problems:
                _err(line)
            continue
        if result.verdicts is None:
            continue
        path = Path(result.file)
        empty_block = not result.verdicts.scenario.expectations
        if all(c.passed for c in result.cases) and not empty_block:
            continue
        if path.suffix.lower() == ".json":
            _err(f"{path}:1: expect: --update rewrites YAML only; change this JSON file by hand")
            continue
        try:
            done = update_file(path, result.verdicts)
        except CheckerError as exc:
            for line in exc.lines():
                _err(line)
            continue
        if done.changed:
            updated += 1
            print(f"updated {done.file}")
            for what in done.changed:
                print(f"  {what}")
    print(f"{updated} file(s) updated")
    raise typer.Exit(EXIT_ERROR if run.rejected else EXIT_OK)


# --- checker diff -----------------------------------------------------------------------------

class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("diff")
def diff_command(
    paths: List[Path] = typer.Argument(None, metavar="PATH",
                                       help="Scenario files or folders to compare on (default: facts/). "
                                            "They are read from the working tree."),
    base: str = typer.Option("HEAD", "--base", metavar="REV",
                             help="The revision whose rules are the 'before' (e.g. origin/main)."),
    head: Optional[str] = typer.Option(None, "--head", metavar="REV",
                                       help="The revision whose rules are the 'after' "
                                            "(default: the working tree, uncommitted edits included)."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f",
                                   help="text, json, or markdown (a pull-request comment)."),
    fail_on_change: bool = typer.Option(False, "--fail-on-change",
                                        help="Exit 1 when any verdict changed (a moved deadline "
                                             "counts)."),
    all_changes: bool = typer.Option(False, "--all",
                                     help="Text: list deadlines that moved under an unchanged "
                                          "status too, not only their count."),
    rules: Optional[Path] = typer.Option(None, "--rules", file_okay=False,
                                         help="The rules folder inside the repository (default: ./rules)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core)."),
    timeout: Optional[float] = TIMEOUT_OPTION,
) -> None:
    """List every verdict of the scenario corpus that a rule change flips: duties that
    appeared or disappeared, statuses that changed (fired <-> not fired included), and
    blocking provisions that changed, grouped by provision, with the scenario file; and the
    deadlines that moved (counted per provision; listed with --all, in JSON, and folded in
    markdown). The rules and pack manifests of each side are read from git; the scenarios
    from the working tree.

    Exit codes: 0 compared (nothing changed, or --fail-on-change not given), 1 something
    changed and --fail-on-change was given, 2 bad revision, not a git repository, or a
    scenario rejected under both revisions.

    \b
    Examples:
      checker diff                                   # HEAD -> your uncommitted edits
      checker diff --base origin/main --format markdown > comment.md
      checker diff --base v1.0 --head v1.1 facts/ --fail-on-change
    """
    from . import semdiff

    progress = Progress("checker diff")
    try:
        files = _corpus(paths)
        result = semdiff.semantic_diff(files, base=base, head=head, rules=rules, jobs=jobs,
                                       progress=progress, timeout=timeout)
    except CheckerError as exc:
        progress.close()
        _fail_usage(exc)
    progress.close()
    if fmt is DiffFormat.json:
        print(json.dumps(semdiff.render_json(result), indent=2, ensure_ascii=False))
    elif fmt is DiffFormat.markdown:
        print(semdiff.render_markdown(result))
    else:
        print(semdiff.render_text(result, Style(_use_colour(sys.stdout)), all_changes))
    for file, problems in result.rejected:
        for line in problems:
            _err(line)
    if result.rejected:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_BREACH if fail_on_change and result.changed else EXIT_OK)


# --- checker lint -----------------------------------------------------------------------------

class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command("lint")
def lint_command(
    paths: List[Path] = typer.Argument(None, metavar="PATH",
                                       help="A rules folder (one holding packs and common/) and "
                                            "scenario files or folders (default: rules/ facts/)."),
    fmt: LintFormat = typer.Option(LintFormat.text, "--format", "-f",
                                   help="text (one line per issue), json, or github (annotations)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes for the scenarios and the growth check "
                                            "(default: every core)."),
    timeout: Optional[float] = TIMEOUT_OPTION,
    growth_input: List[Path] = typer.Option(
        [], "--growth-input", metavar="SCENARIO",
        help="A history the growth check makes longer instead of the pack's scenarios given "
             "(e.g. one written by benchmarks/generate.py); may be repeated."),
) -> None:
    """Check rule packs and scenarios without running the tests: every rule file parses;
    clingo's warnings (an atom no rule derives, an undefined operation, an unsafe variable)
    are errors with file:line:col; every rule file has its header (# title, Encodes, Reads,
    Writes); every predicate a file reads is declared; every provision of a manifest is
    encoded by a rule file and exercised by some scenario; every scenario validates; and no
    rule grounds superlinearly (growth): each rule, constraint and #show of the pack and of
    rules/common is grounded over the pack's scenarios made 1, 2 and 4 times longer
    (disjoint, time-shifted copies) and its instances counted; a fitted exponent above 1.2
    is an issue ("rule grounds N1 -> N2 instances for events x 4 (exponent E > 1.2)").

    One line per issue: FILE:LINE[:COL]: CHECK: message.

    Exit codes: 0 no issue, 1 issues, 2 a rule file that does not parse, a scenario
    that is rejected, or a path that does not exist.

    \b
    Examples:
      checker lint                       # rules/ and facts/
      checker lint rules/ facts/ --format github
      checker lint rules/ facts/ --growth-input /tmp/bench/history-1000.yaml
    """
    from . import lint as linting
    from .testing import collect

    paths = paths or [Path("rules"), Path("facts")]
    missing = [p for p in list(paths) + list(growth_input) if not p.exists()]
    if missing:
        _fail_usage(UsageError([_problem(p) for p in missing]))
    roots = [p for p in paths if p.is_dir() and _is_rules_root(p)]
    if len(roots) != 1:
        _fail_usage(UsageError("lint: name exactly one rules folder (a folder holding packs with "
                               f"treaty.yaml), got {len(roots)}: " + (", ".join(map(str, roots)) or "none")))
    scenario_paths = [p for p in paths if p not in roots]
    files = collect(scenario_paths) if scenario_paths else []
    result = linting.lint(roots[0], files, jobs=jobs, timeout=timeout, growth_input=growth_input)
    if fmt is LintFormat.json:
        print(json.dumps({"format": "treaty-checker/lint@1",
                          "issues": [{"file": f.file, "line": f.line, "col": f.col or None,
                                        "check": f.check, "message": f.message} for f in result.issues],
                          "summary": {"rule_files": result.rule_files, "scenarios": result.scenarios,
                                      "packs": result.packs,
                                      "by_check": linting.issues_by_check(result.issues)}},
                         indent=2, ensure_ascii=False))
    elif fmt is LintFormat.github:
        for f in result.issues:
            print(github_annotation("error", f.file, f.line, f"checker lint: {f.check}", f.message))
        print(f"{len(result.issues)} issue(s)")
    else:
        style = Style(_use_colour(sys.stdout))
        for f in result.issues:
            print(str(f))
        summary = (f"{len(result.issues)} issue(s) in {result.rule_files} rule file(s) of "
                   f"{len(result.packs)} pack(s) and {result.scenarios} scenario(s)")
        print(style(summary, "red" if result.issues else "green"))
    if result.rejected:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_BREACH if result.issues else EXIT_OK)


def _is_rules_root(path: Path) -> bool:
    from .pack import MANIFEST

    return any((child / MANIFEST).is_file() for child in path.iterdir() if child.is_dir())
