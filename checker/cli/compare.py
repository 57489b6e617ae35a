"""`checker compare`: one history under several treaties, side by side."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    EXIT_ERROR,
    FORCE_OPTION,
    OUTPUT_OPTION,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    TREATY_OPTION,
    app,
    as_path,
    collect_scenarios,
    err,
    exit_for,
    fail,
    parse_assignments,
)
from checker.errors import CheckerError, UsageError


class CompareFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command()
def compare(
    histories: List[Path] = typer.Argument(..., metavar="HISTORY...", parser=as_path,
                                           help="Scenario files, or folders of them."),
    treaty: List[str] = TREATY_OPTION,
    fmt: CompareFormat = typer.Option(CompareFormat.text, "--format", "-f",
                                      help="text (a table per history), json (treaty-checker/compare@1, "
                                           "docs/schema/compare.schema.json), markdown, or html (a timeline "
                                           "per treaty on one date axis)."),
    output: Optional[Path] = OUTPUT_OPTION,
    force: bool = FORCE_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
) -> None:
    """Check each history under several treaties and set the verdicts side by side: a row per
    party, a column per treaty (the duties it put on that party and how they ended, the
    breached ones by id), then the verdicts that differ in kind (an event that puts a duty on
    a party, or breaches one of its duties, under one treaty and not under another).

    The treaties: those given with --treaty, else those the history's treaty: names, else
    every pack that reads at least one of its event types. `checker explain HISTORY --treaty
    PACK ID` explains any cell.

    Exit codes: 0 nothing breached under any treaty, 1 something breached or late under one of
    them, 2 a file was rejected (the others are still compared) or the options make no sense.

    Example: checker compare facts/history/2022-02-21.yaml --format markdown
    """
    from checker.cli.check import _emit
    from checker.cli.report import report_target

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        files = collect_scenarios(histories)
        target = report_target(output, files, force)
    except CheckerError as exc:
        fail(exc)
    if fmt is CompareFormat.html:
        _html(files, target, force, treaty, rules, as_of, readings, params, timeout)

    from checker.analysis.compare import compare_history

    comparisons, rejected = [], False
    for path in files:
        try:
            comparisons.append(compare_history(path, treaties=treaty, rules_root=rules, as_of=as_of,
                                               readings=readings, parameters=params, timeout=timeout))
        except UsageError as exc:
            fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            rejected = True
    if comparisons:
        if fmt is CompareFormat.json:
            from checker.render.compare import compare_document
            from checker.render.json import dumps

            _emit([dumps(compare_document(comparisons)), "\n"], target, force)
        elif fmt is CompareFormat.markdown:
            from checker.render.compare import render_markdown

            _emit([render_markdown(comparisons)], target, force)
        else:
            from checker.render.compare import render_text
            from checker.render.style import Style, use_colour

            _emit([render_text(comparisons, Style(target is None and use_colour(sys.stdout)))], target, force)
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(c.breached for c in comparisons))


def _html(files, target, force, treaties, rules, as_of, readings, params, timeout) -> None:
    """The page: every history, a timeline per treaty; the treaties of one history on one axis."""
    from checker.analysis.compare import default_treaties
    from checker.cli.report import html_report

    try:
        chosen = list(treaties) or (list(default_treaties(files[0], rules)) if len(files) == 1 else [])
    except CheckerError as exc:
        fail(exc)
    html_report(files, target, force, rules=rules, as_of=as_of, readings=readings, params=params,
                timeout=timeout, all_readings=False, treaties=chosen)
