"""Commands for the people who maintain the rules: ``test``, ``lint``, ``diff`` and ``mutate``.

They parse options, call checker.maintain (which returns values), hand the results to
checker.render and choose the exit code.

One module for the maintainers' commands (test, lint, diff, mutate), though long: they share
the corpus options and path checks, and each command is a thin function.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from checker.cli.app import (
    EXIT_BREACH,
    EXIT_ERROR,
    EXIT_OK,
    TIMEOUT_OPTION,
    TREATY_OPTION,
    UNCERTAIN_DAYS_OPTION,
    app,
    as_file,
    as_folder,
    as_path,
    as_seconds,
    err,
    fail,
    no_such_path,
)
from checker.errors import CheckerError, UsageError
from checker.render.progress import Progress
from checker.render.style import Style, use_colour, visible

DEFAULT_CORPUS = Path("facts")


def _corpus(paths: List[Path]) -> List[Path]:
    """The scenario files named, folders expanded; a missing path is a usage error."""
    from checker.io.files import scenario_files

    default = not paths
    paths = paths or [DEFAULT_CORPUS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError("\n".join(_problem(p, default) for p in missing))
    files = scenario_files(paths)
    if not files:
        raise UsageError(f"{', '.join(map(str, paths))}: no scenario files (*.yaml, *.yml, *.json) here")
    return files


def _problem(path: Path, default: bool = False) -> str:
    """The line for a path that does not exist (``default``: the ./facts read when no path is given)."""
    return no_such_path(path, "with no PATH, the scenarios under ./facts are read" if default else None)


# --- checker test -----------------------------------------------------------------------------

class TestFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"


@app.command("test")
def test_command(
    paths: List[Path] = typer.Argument(None, metavar="[PATH]...", parser=as_path,
                                       help="Scenario files or folders (default: facts/). Valid "
                                            "scenarios without an expect: block are skipped."),
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
    junit_xml: Optional[Path] = typer.Option(None, "--junit-xml", metavar="FILE", parser=as_file,
                                             help="Also write JUnit XML to FILE, whatever --format. "
                                                  "An existing FILE is replaced only with --force, "
                                                  "and never one of the scenarios."),
    force: bool = typer.Option(False, "--force", help="Let --junit-xml replace an existing file."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", metavar="tcp://HOST:PORT",
                                          help="Run the files on the Dask cluster whose scheduler is there "
                                               "(pip install 'treaty-checker[cluster]'); the files and their "
                                               "rules travel with the work."),
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
    treaty: List[str] = TREATY_OPTION,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List passing expectations too."),
    rules: Optional[Path] = typer.Option(None, "--rules", parser=as_folder, metavar="FOLDER",
                                         help="Folder of rule packs (default: the nearest rules/ "
                                              "above each scenario)."),
) -> None:
    """Run the expect: blocks of scenario files: each expectation is one test case named
    <file>::<obligation id> (<file>::<treaty>::<obligation id> in a history checked under
    several treaties, whose expect: gives each treaty its own list). A failure shows expected
    versus actual and how the actual verdict came about.

    A file is a test file when it parses to a scenario with an expect: key (in any YAML or
    JSON spelling). A file that looks like a scenario must validate, expectations or not: one
    that does not is rejected. Valid scenarios without expect: and files that are no
    scenario at all are skipped.

    Exit codes: 0 every expectation held, 1 some failed, coverage is below --threshold, or
    no expectation was found at all (nothing was tested), 2 a scenario file was rejected or
    the options make no sense.

    \b
    Examples:
      checker test                          # every scenario under facts/
      checker test facts/ -k boundary --format github   # names containing 'boundary'
      checker test --coverage --threshold 90
      checker test --format junit > report.xml
      checker test facts/some-scenario.yaml --update
    """
    from checker.maintain.testing import filter_run, run_corpus

    try:
        if threshold is not None and not coverage:
            raise UsageError("--threshold: needs --coverage")
        files = _corpus(paths)
        if junit_xml is not None:
            from checker.io.files import check_target

            check_target(junit_xml, option="--junit-xml", force=force, inputs=files)
    except CheckerError as exc:
        fail(exc)
    progress = Progress("checker test")
    try:
        if cluster is not None:
            from checker.maintain.corpus_cluster import run_corpus_on_cluster

            run = run_corpus_on_cluster(files, cluster, rules_root=rules, progress=progress,
                                        keep_verdicts=coverage or update, explain=not update, timeout=timeout,
                                        max_uncertain_days=max_uncertain_days, treaties=treaty)
        else:
            run = run_corpus(files, rules_root=rules, jobs=jobs, progress=progress,
                             keep_verdicts=coverage or update, explain=not update, timeout=timeout,
                             max_uncertain_days=max_uncertain_days, treaties=treaty)
    except CheckerError as exc:
        progress.close()
        fail(exc)
    finally:
        progress.close()
    cov = None
    if coverage:
        from checker.maintain.coverage import compute_coverage

        # over the whole corpus, whatever -k selects
        cov = compute_coverage(run, jobs=jobs or 0, max_uncertain_days=max_uncertain_days)
    shown = filter_run(run, pattern)

    if update:
        _do_update(run)
        return

    if fmt is TestFormat.json:
        from checker.render.json import test_json

        print(test_json(shown, cov))
    elif fmt is TestFormat.junit:
        from checker.render.junit import render_junit

        sys.stdout.write(render_junit(shown))
    elif fmt is TestFormat.github:
        from checker.render.github import test_github

        print(test_github(shown))
    else:
        from checker.render.text import test_text

        print(test_text(shown, Style(use_colour(sys.stdout)), verbose))
    if junit_xml is not None:
        from checker.io.files import write_atomic
        from checker.render.junit import render_junit

        try:
            write_atomic(junit_xml, render_junit(shown), option="--junit-xml", force=force, inputs=files)
        except CheckerError as exc:
            fail(exc)
    for result in shown.rejected:
        for line in result.problems:
            err(line)

    below = False
    if cov is not None:
        from checker.render.text import coverage_text

        # JUnit on stdout must stay one XML document: the table goes to stderr then
        stream = sys.stderr if fmt is TestFormat.junit else sys.stdout
        if fmt is not TestFormat.json:
            print("", file=stream)
            print(coverage_text(cov, Style(use_colour(stream)), threshold), file=stream)
        below = threshold is not None and cov.status_percent < threshold

    if shown.rejected:
        raise typer.Exit(EXIT_ERROR)
    if pattern and not shown.cases:
        err(f"-k: no expectation matches {pattern!r}")
        raise typer.Exit(EXIT_ERROR)
    if not run.cases:
        # a test run that tested nothing must not pass: CI would go green on no evidence
        err(f"no expectations found: nothing was tested ({len(run.skipped)} file(s) skipped: "
            "no expect: block, or no scenario)")
        raise typer.Exit(EXIT_BREACH)
    raise typer.Exit(EXIT_BREACH if shown.failed or below else EXIT_OK)


def _do_update(run) -> None:
    from checker.maintain.testing import update_file

    updated = 0
    for result in run.files:
        if result.rejected:
            for line in result.problems:
                err(line)
            continue
        if result.verdicts is None:
            continue
        path = Path(result.file)
        empty_block = not result.verdicts.scenario.expectations
        if all(c.passed for c in result.cases) and not empty_block:
            continue
        if path.suffix.lower() == ".json":
            err(f"{path}:1: expect: --update rewrites YAML only; change this JSON file by hand")
            continue
        if len(result.views) > 1:
            err(f"{path}:1: expect: --update rewrites the expect: list of one treaty; this history's "
                "expectations are per treaty: change them by hand")
            continue
        try:
            done = update_file(path, result.verdicts, Path(result.rules_root) if result.rules_root else None)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            continue
        if done.changed:
            updated += 1
            print(visible(f"updated {done.file}"))
            for what in done.changed:
                print(visible(f"  {what}"))
    print(f"{updated} file(s) updated")
    raise typer.Exit(EXIT_ERROR if run.rejected else EXIT_OK)


# --- checker diff -----------------------------------------------------------------------------

class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("diff")
def diff_command(
    paths: List[Path] = typer.Argument(None, metavar="[PATH]...", parser=as_path,
                                       help="Scenario files or folders to compare on (default: facts/). "
                                            "They are read from the working tree."),
    base: Optional[str] = typer.Option(None, "--base", metavar="REV",
                                       help="The revision whose rules are the 'before' (e.g. origin/main; "
                                            "default: HEAD, or the working tree with --base-pack)."),
    head: Optional[str] = typer.Option(None, "--head", metavar="REV",
                                       help="The revision whose rules are the 'after' "
                                            "(default: the working tree, uncommitted edits included)."),
    base_pack: Optional[str] = typer.Option(None, "--base-pack", metavar="PACK",
                                            help="Compare two packs instead of (or as well as) two "
                                                 "revisions: the scenarios that name PACK, checked under it..."),
    head_pack: Optional[str] = typer.Option(None, "--head-pack", metavar="PACK",
                                            help="...and under this pack (e.g. a version that extends it)."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f",
                                   help="text, json, or markdown (a pull-request comment)."),
    fail_on_change: bool = typer.Option(False, "--fail-on-change",
                                        help="Exit 1 when any verdict changed (a moved deadline "
                                             "counts)."),
    all_changes: bool = typer.Option(False, "--all",
                                     help="Text: list deadlines that moved under an unchanged "
                                          "status too, not only their count."),
    rules: Optional[Path] = typer.Option(None, "--rules", parser=as_folder, metavar="FOLDER",
                                         help="The rules folder inside the repository (default: ./rules)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core)."),
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
) -> None:
    """List every verdict of the scenario corpus that a rule change flips: duties that
    appeared or disappeared, statuses that changed (fired <-> not fired included), and
    blocking provisions that changed, grouped by provision, with the scenario file; and the
    deadlines that moved (counted per provision; listed with --all, in JSON, and folded in
    markdown). The rules and pack manifests of each side are read from git; the scenarios
    from the working tree.

    With --base-pack A --head-pack B, the scenarios that name treaty A are checked under A
    and under B (their expectations, written for A, are left out), and the verdicts compared
    by obligation id: what a version of a treaty (B extends A) changes on A's corpus.

    Exit codes: 0 compared (nothing changed, or --fail-on-change not given), 1 something
    changed and --fail-on-change was given, 2 bad revision, not a git repository, unknown
    pack, or a scenario rejected under both sides.

    \b
    Examples:
      checker diff                                   # HEAD -> your uncommitted edits
      checker diff --base origin/main --format markdown > comment.md
      checker diff --base v1.0 --head v1.1 facts/ --fail-on-change
      checker diff --base-pack TREATY --head-pack VERSION   # a version vs the treaty it extends
    """
    from checker.maintain import semdiff

    progress = Progress("checker diff")
    try:
        files = _corpus(paths)
        if base is None and base_pack is None:
            base = "HEAD"
        result = semdiff.semantic_diff(files, base=base, head=head, rules=rules, jobs=jobs,
                                       progress=progress, timeout=timeout, max_uncertain_days=max_uncertain_days,
                                       base_pack=base_pack, head_pack=head_pack)
    except CheckerError as exc:
        progress.close()
        fail(exc)
    progress.close()
    if fmt is DiffFormat.json:
        from checker.render.json import diff_json, dumps

        print(dumps(diff_json(result)))
    elif fmt is DiffFormat.markdown:
        from checker.render.markdown import diff_markdown

        print(diff_markdown(result))
    else:
        from checker.render.text import diff_text

        print(diff_text(result, Style(use_colour(sys.stdout)), all_changes))
    for file, problems in result.rejected:
        for line in problems:
            err(line)
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
    paths: List[Path] = typer.Argument(None, metavar="[PATH]...", parser=as_path,
                                       help="A rules folder (one holding packs and common/) and "
                                            "scenario files or folders (default: rules/ facts/)."),
    fmt: LintFormat = typer.Option(LintFormat.text, "--format", "-f",
                                   help="text (one line per issue), json, or github (annotations)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes for the scenarios and the growth check "
                                            "(default: every core)."),
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
    growth_input: List[Path] = typer.Option(
        [], "--growth-input", metavar="SCENARIO", parser=as_path,
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
    is an issue ("rule grounds N1 -> N2 instances for events x 4 (exponent E > 1.2) over the scenarios of PACK").

    One line per issue: FILE:LINE[:COL]: CHECK: message.

    Exit codes: 0 no issue, 1 issues, 2 a rule file that does not parse, a scenario
    that is rejected, or a path that does not exist.

    \b
    Examples:
      checker lint                       # rules/ and facts/
      checker lint rules/ facts/ --format github
      checker lint rules/ facts/ --growth-input /tmp/bench/history-1000.yaml
    """
    from checker.io.files import scenario_files
    from checker.maintain import lint as linting

    given = bool(paths)
    paths = paths or [Path("rules"), Path("facts")]
    missing = [p for p in list(paths or [Path("rules"), Path("facts")]) + list(growth_input) if not p.exists()]
    if missing:
        fail(UsageError("\n".join(_problem(p) if given or p in growth_input else
                                   no_such_path(p, "with no PATH, ./rules and ./facts are read") for p in missing)))
    roots = [p for p in paths if p.is_dir() and _is_rules_root(p)]
    if len(roots) != 1:
        fail(UsageError("lint: name exactly one rules folder (a folder holding packs with "
                               f"treaty.yaml), got {len(roots)}: " + (", ".join(map(str, roots)) or "none")))
    scenario_paths = [p for p in paths if p not in roots]
    files = scenario_files(scenario_paths) if scenario_paths else []
    result = linting.lint(roots[0], files, jobs=jobs, timeout=timeout, growth_input=growth_input,
                          max_uncertain_days=max_uncertain_days)
    if fmt is LintFormat.json:
        from checker.render.json import dumps, lint_document

        print(dumps(lint_document(result)))
    elif fmt is LintFormat.github:
        from checker.render.github import lint_github

        print(lint_github(result))
    else:
        from checker.render.text import lint_text

        print(lint_text(result, Style(use_colour(sys.stdout))))
    if result.rejected:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_BREACH if result.issues else EXIT_OK)


def _is_rules_root(path: Path) -> bool:
    from checker.io.pack import MANIFEST

    return any((child / MANIFEST).is_file() for child in path.iterdir() if child.is_dir())


# --- checker mutate ---------------------------------------------------------------------------

class MutateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _operators(values: List[str]) -> List[str]:
    from checker.maintain.mutate import OPERATORS

    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    return names or list(OPERATORS)


@app.command("mutate")
def mutate_command(
    packs: List[Path] = typer.Argument(None, metavar="[PACK]...", parser=as_path,
                                       help="Rule pack folders (e.g. rules/my-treaty), or a rules "
                                            "folder meaning every pack in it (default: rules/). The "
                                            "shared rules of its common/ folder are mutated too; of a "
                                            "pack that extends another, the files of its own folder "
                                            "(name the parent too for the files it inherits)."),
    corpus: List[Path] = typer.Option([], "--corpus", metavar="PATH", parser=as_path,
                                      help="Scenario files or folders whose expect: blocks judge the "
                                           "mutants (default: the facts/ folder beside the rules "
                                           "folder); only those naming one of the packs count. "
                                           "Repeatable."),
    sample: Optional[int] = typer.Option(None, "--sample", metavar="N", min=1,
                                         help="Judge N mutants drawn at random (with --seed) instead of all."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="The seed of --sample (default 0)."),
    operators: List[str] = typer.Option([], "--operators", metavar="NAME[,NAME]...",
                                        help="Only these operators: comparison, constant, delete, "
                                             "negate, swap (default: all). Repeatable."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core)."),
    fmt: MutateFormat = typer.Option(MutateFormat.text, "--format", "-f",
                                     help="text (tables, survivors, equivalence reasons), json, or "
                                          "github (an annotation per survivor on its rule line)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", metavar="PERCENT", min=0, max=100,
                                              help="Exit 1 when the mutation score is below PERCENT."),
    timeout: Optional[float] = typer.Option(None, "--timeout", metavar="SECONDS", callback=as_seconds,
                                            help="A mutant that takes longer than this on one "
                                                 "scenario is a timeout (default 20)."),
) -> None:
    """Mutation testing of rule packs: change each rule at one point (a comparison flipped at
    its edge, an integer moved by one, a body literal deleted or negated, two variables
    swapped), on clingo's syntax tree, and check that the corpus (the expect: blocks of the
    scenarios naming the pack) or the pack's unit tests (tests: in its manifest) notice.
    Each mutant is killed (by the expectation or test named), survived, invalid (clingo
    rejects it, or it gives no or several answer sets), timeout, or equivalent (a survivor
    the rule's `% mutate: equivalent - REASON` comment excuses, or one of a shared rule that
    the packs named never reach, as their rules show). Score: killed / (killed + survived).
    docs/mutation.md says more.

    Exit codes: 0 done (and the score meets --threshold), 1 the score is below --threshold,
    2 a bad pack, path or option, or a corpus or unit test that fails on the unmutated rules.

    \b
    Examples:
      checker mutate rules/my-treaty
      checker mutate rules/my-treaty --sample 100 --seed 1 --threshold 99
      checker mutate rules/my-treaty --operators comparison,constant --format github
    """
    from checker.maintain import mutate as mutating

    progress = Progress("checker mutate", unit="mutants")
    try:
        plan = mutating.plan(packs or [Path("rules")], corpus=corpus or None, operators=_operators(operators),
                             sample=sample, seed=seed)
        report = mutating.run(plan, jobs=jobs, timeout=timeout, progress=progress)
    except CheckerError as exc:
        progress.close()
        fail(exc)
    progress.close()
    below = threshold is not None and report.score is not None and report.score < threshold
    if fmt is MutateFormat.json:
        from checker.render.json import dumps, mutate_document

        print(dumps(mutate_document(report)))
    elif fmt is MutateFormat.github:
        from checker.render.github import mutate_github

        print(mutate_github(report, below))
    else:
        from checker.render.text import mutate_text

        print(mutate_text(report, Style(use_colour(sys.stdout)), threshold))
    raise typer.Exit(EXIT_BREACH if below else EXIT_OK)
