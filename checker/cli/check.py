"""`checker check`: the verdicts on scenario files, as a table, as JSON, or under every reading."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    EXIT_ERROR,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    Format,
    app,
    collect_scenarios,
    err,
    exit_for,
    fail,
    parse_assignments,
)
from checker.errors import CheckerError, UsageError


@app.command()
def check(
    scenarios: List[Path] = typer.Argument(..., metavar="SCENARIO...",
                                           help="Scenario files, or folders of them."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (a table per scenario) or json "
                               "(the report contract, treaty-checker/report@1)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    explain: bool = typer.Option(False, "--explain", help="Print the derivation under each breached or "
                                 "late duty (JSON: an `explanation` object per such obligation)."),
    all_readings: bool = typer.Option(False, "--all-readings", help="Check under every combination of the "
                                      "pack's readings (--reading holds one fixed) and say which verdicts "
                                      "hold under every reading and which depend on which reading."),
) -> None:
    """Say which obligations fired, and which were fulfilled, late, breached, pending or
    discharged; and which did not fire, with the provision that blocked them.

    Exit codes: 0 nothing breached, 1 something breached or late, 2 a file was rejected
    (the other files are still checked) or the options make no sense.

    Example: checker check facts/ --as-of 2027-03-04 --format json
    """
    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        files = collect_scenarios(scenarios)
    except CheckerError as exc:
        fail(exc)
    if all_readings:
        _all_readings(files, fmt, as_of, readings, params, rules, timeout)

    from checker.analysis.derivations import explain_verdicts
    from checker.engine.check import check_file_keeping_control

    results = []
    trees: dict = {}
    rejected = False
    for path in files:
        try:
            verdicts, pack, control = check_file_keeping_control(
                path, rules_root=rules, as_of=as_of, readings=readings, parameters=params,
                timeout=timeout, keep=explain, events=explain)
        except UsageError as exc:  # the same for every file: say it once
            fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            rejected = True
            continue
        results.append(verdicts)
        if explain and verdicts.scenario.uncertain:
            err(f"{path}: has uncertain facts, and a derivation holds in one world: "
                f"checker explain {path} --witness gives one for each possible verdict")
        elif explain:
            trees[verdicts.scenario.path] = {e["obligation"]: e["tree"]
                                             for e in explain_verdicts(verdicts, pack, None, 8, control=control)}

    if fmt is Format.json:
        from checker.render.json import iter_json

        sys.stdout.writelines(iter_json(results, trees))
        sys.stdout.write("\n")
    elif results:
        from checker.render.style import Style, use_colour
        from checker.render.text import render_text

        style = Style(use_colour(sys.stdout))
        print("\n\n".join(render_text(v, style, trees.get(v.scenario.path)) for v in results))
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(v.breached for v in results))


def _all_readings(files: List[Path], fmt: Format, as_of, readings: dict, params: dict, rules,
                  timeout) -> None:
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
    if fmt is Format.json:
        from checker.render.json import dumps, readings_document

        print(dumps(readings_document(grids)))
    else:
        from checker.render.style import Style, use_colour
        from checker.render.text import readings_text

        style = Style(use_colour(sys.stdout))
        print("\n\n".join(readings_text(g, style) for g in grids))
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    exit_for(any(v.breached for g in grids for v in g.verdicts))
