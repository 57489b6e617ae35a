"""`checker check`: the verdicts on scenario files, as a table, as JSON, or under every reading."""

from __future__ import annotations

import sys
from enum import Enum
from itertools import chain
from pathlib import Path
from typing import Iterable, List, Optional

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    EXIT_ERROR,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    TREATY_OPTION,
    app,
    collect_scenarios,
    err,
    exit_for,
    fail,
    parse_assignments,
)
from checker.errors import CheckerError, UsageError


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@app.command()
def check(
    scenarios: List[Path] = typer.Argument(..., metavar="SCENARIO...",
                                           help="Scenario files, or folders of them."),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text (a table per scenario), json "
                                    "(the report contract, treaty-checker/report@1) or html (a self-contained "
                                    "page with a timeline and every explanation: see `checker report`)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", dir_okay=False,
                                          help="Write the report to this file (atomically; an existing file only "
                                               "with --force) instead of standard output."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    treaty: List[str] = TREATY_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    explain: bool = typer.Option(False, "--explain", help="Print the derivation under each breached or "
                                 "late duty (JSON: an `explanation` object per such obligation)."),
    all_readings: bool = typer.Option(False, "--all-readings", help="Check under every combination of the "
                                      "pack's readings (--reading holds one fixed) and say which verdicts "
                                      "hold under every reading and which depend on which reading."),
) -> None:
    """Say which obligations fired, and which were fulfilled, late, breached, pending or
    discharged; and which did not fire, with the provision that blocked them.

    A history that names several treaties (`treaty: [A, B]`) gives a report under each.

    Exit codes: 0 nothing breached, 1 something breached or late, 2 a file was rejected
    (the other files are still checked) or the options make no sense.

    Example: checker check facts/ --as-of 2027-03-04 --format json
    """
    from checker.cli.report import report_target

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        files = collect_scenarios(scenarios)
        target = report_target(output, files, force)
    except CheckerError as exc:
        fail(exc)
    if fmt is CheckFormat.html:
        from checker.cli.report import html_report

        html_report(files, target, force, rules=rules, as_of=as_of, readings=readings, params=params,
                    timeout=timeout, all_readings=all_readings, treaties=treaty)
    if all_readings:
        _all_readings(files, fmt, target, force, as_of, readings, params, rules, timeout)

    from checker.analysis.derivations import explain_verdicts
    from checker.engine.check import check_history

    results = []
    trees: dict = {}
    rejected = False
    for path in files:
        try:
            checked = check_history(path, treaties=treaty, rules_root=rules, as_of=as_of, readings=readings,
                                    parameters=params, timeout=timeout, keep=explain, events=explain)
        except UsageError as exc:  # the same for every file: say it once
            fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            rejected = True
            continue
        for verdicts, pack, control in checked:
            results.append(verdicts)
            if explain and verdicts.scenario.uncertain:
                err(f"{path}: has uncertain facts, and a derivation holds in one world: "
                    f"checker explain {path} --witness gives one for each possible verdict")
            elif explain:
                trees[_key(verdicts.scenario)] = {
                    e["obligation"]: e["tree"] for e in explain_verdicts(verdicts, pack, None, 8, control=control)}

    if fmt is CheckFormat.json:
        from checker.render.json import iter_json

        _emit(chain(iter_json(results, trees), ["\n"]), target, force)
    elif results:
        from checker.render.style import Style, use_colour
        from checker.render.text import render_text

        style = Style(target is None and use_colour(sys.stdout))
        _emit(["\n\n".join(render_text(v, style, trees.get(_key(v.scenario))) for v in results), "\n"], target, force)
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(v.breached for v in results))


def _key(scenario) -> tuple[str, str]:
    """A report of one file under one treaty (a history checked under several has several)."""
    return scenario.path, scenario.treaty


def _emit(chunks: Iterable[str], target: Optional[Path], force: bool) -> None:
    """The report on standard output, or written to ``target`` atomically."""
    if target is None:
        sys.stdout.writelines(chunks)
        return
    from checker.io.files import write_atomic

    try:
        write_atomic(target, chunks, option="--output", force=force)
    except CheckerError as exc:
        fail(exc)


def _all_readings(files: List[Path], fmt: CheckFormat, target: Optional[Path], force: bool, as_of, readings: dict,
                  params: dict, rules, timeout) -> None:
    """`check --all-readings`: every combination of the pack's readings, per scenario."""
    from checker.analysis.worlds import all_readings

    grids = []
    rejected = False
    for path in files:
        try:
            grids.append(all_readings(path, rules_root=rules, as_of=as_of, readings=readings,
                                      parameters=params, timeout=timeout))
        except UsageError as exc:
            fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            rejected = True
    if fmt is CheckFormat.json:
        from checker.render.json import dumps, readings_document

        _emit([dumps(readings_document(grids)), "\n"], target, force)
    else:
        from checker.render.style import Style, use_colour
        from checker.render.text import readings_text

        style = Style(target is None and use_colour(sys.stdout))
        _emit(["\n\n".join(readings_text(g, style) for g in grids), "\n"], target, force)
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(v.breached for g in grids for v in g.verdicts))
