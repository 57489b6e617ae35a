"""`checker report`: the verdicts on scenario files as one self-contained HTML page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, List, NoReturn, Optional, Sequence

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    EXIT_ERROR,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    TREATY_OPTION,
    UNCERTAIN_DAYS_OPTION,
    app,
    as_file,
    as_path,
    collect_scenarios,
    err,
    exit_for,
    fail,
    parse_assignments,
)
from checker.errors import CheckerError, UsageError

DEFAULT_EXPLANATIONS = 50  # as checker.analysis.pages (imported with clingo, not at start-up)


@app.command()
def report(
    scenarios: List[Path] = typer.Argument(..., metavar="SCENARIO...", parser=as_path,
                                           help="Scenario files, or folders of them."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE.html", parser=as_file,
                                          help="Write the page to this file (atomically; an existing file only "
                                               "with --force). Default: standard output, unless it is a terminal."),
    force: bool = typer.Option(False, "--force", help="Replace FILE.html if it exists."),
    all_readings: bool = typer.Option(False, "--all-readings", help="Check under every combination of the "
                                      "pack's readings (--reading holds one fixed); the page has a selector "
                                      "to switch between them."),
    explanations: int = typer.Option(DEFAULT_EXPLANATIONS, "--explanations", metavar="N", min=0,
                                     help="Include the derivation of at most N duties per scenario and reading, "
                                          "the breached and late first (0: none). Each takes a query on a long history."),
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="The page's title (default: the "
                                        "scenario's title)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    treaty: List[str] = TREATY_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
) -> None:
    """Write a self-contained HTML report: every duty on a timeline (one lane of events per
    party, a bar per duty from the day it fired to its deadline, coloured and labelled by
    status), filters by party, provision, status and id, and each duty's explanation on a
    click. It needs no network and opens offline in any browser. A history checked under
    several treaties gives a timeline per treaty, on one date axis.

    Exit codes: 0 nothing breached, 1 something breached or late, 2 a file was rejected
    (the others are still in the report), FILE.html exists (without --force) or is one of the
    inputs, or the options make no sense.

    Example: checker report SCENARIO.yaml -o report.html
    """
    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        files = collect_scenarios(scenarios)
        target = report_target(output, files, force)
    except CheckerError as exc:
        fail(exc)
    if target is None and sys.stdout.isatty():
        fail(UsageError("report: the page is HTML: give -o FILE.html (or redirect standard output)"))
    html_report(files, target, force, rules=rules, as_of=as_of, readings=readings, params=params, timeout=timeout,
                all_readings=all_readings, limit=explanations, title=title, max_uncertain_days=max_uncertain_days,
                treaties=treaty)


def html_report(files: List[Path], target: Path | None, force: bool, *, rules, as_of, readings: dict, params: dict,
                timeout, all_readings: bool, limit: int = DEFAULT_EXPLANATIONS, title: str | None = None,
                max_uncertain_days: int | None = None, treaties: Sequence[str] = ()) -> NoReturn:
    """Check ``files``, write the page to ``target`` (atomically) or to standard output, and
    end with the exit code `check` gives."""
    from checker.analysis.pages import gather_sections
    from checker.io.files import write_atomic
    from checker.render.html import render_html

    try:
        sections, rejected = gather_sections(files, rules=rules, as_of=as_of, readings=readings, params=params,
                                             timeout=timeout, all_readings=all_readings, limit=limit,
                                             max_uncertain_days=max_uncertain_days, treaties=treaties)
    except CheckerError as exc:
        fail(exc)
    for exc in rejected:
        for line in exc.lines():
            err(line)
    if sections:
        # the treaties of one history share a date axis
        page = render_html(sections, title=title, shared_axis=len(files) == 1 and len(sections) > 1)
        if target is None:
            sys.stdout.write(page)
        else:
            try:
                write_atomic(target, page, option="--output", force=force, inputs=files)
            except CheckerError as exc:
                fail(exc)
    if rejected or not sections:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(v.verdicts.breached for s in sections for v in s.variants))


def report_target(output: Path | None, inputs: Iterable[Path], force: bool) -> Path | None:
    """The file a report will be written to, checked before any work is done (never one of the
    inputs, never an existing file unless ``force``, in a folder that exists); None for
    standard output (no -o, or -o -)."""
    from checker.io.files import check_target

    if output is None or str(output) == "-":
        return None
    if output.is_dir():
        raise UsageError(f"--output: {output} is a folder; give a file name")
    if not output.parent.is_dir():
        raise UsageError(f"--output: {output}: no such folder {str(output.parent)!r}")
    check_target(output, option="--output", force=force, inputs=inputs)
    return output
