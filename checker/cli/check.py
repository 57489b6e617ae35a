"""`checker check`: the verdicts on scenario files, as a table, as JSON, or under every reading."""

from __future__ import annotations

import sys
from enum import Enum
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

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
    UNCERTAIN_DAYS_OPTION,
    app,
    as_path,
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
    scenarios: List[Path] = typer.Argument(..., metavar="SCENARIO...", parser=as_path,
                                           help="Scenario files, or folders of them."),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text (a table per scenario), json "
                                    "(the report contract, treaty-checker/report@1) or html (a self-contained "
                                    "page with a timeline and every explanation: see `checker report`)."),
    output: Optional[Path] = OUTPUT_OPTION,
    force: bool = FORCE_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    treaty: List[str] = TREATY_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
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
                    timeout=timeout, all_readings=all_readings, max_uncertain_days=max_uncertain_days,
                    treaties=treaty)
    if all_readings:
        _all_readings(files, fmt, target, force, as_of, readings, params, rules, timeout, max_uncertain_days, treaty)

    state = {"breached": False, "rejected": False}
    checked = _checked(files, state, explain, treaty, rules_root=rules, as_of=as_of, readings=readings, parameters=params,
                       timeout=timeout, max_uncertain_days=max_uncertain_days)
    # the first file is checked before anything is written: a usage problem (the same for
    # every file) is then said alone, not after the start of a report
    first = next(checked, None)
    results = chain([first], checked) if first is not None else iter(())
    if fmt is CheckFormat.json:
        from checker.render.json import iter_json_explained

        _emit(chain(iter_json_explained(results), ["\n"]), target, force)
    else:
        from checker.render.style import Style, use_colour

        style = Style(target is None and use_colour(sys.stdout))
        _emit(_text(results, style), target, force)
    if state["rejected"]:
        raise typer.Exit(EXIT_ERROR)
    exit_for(state["breached"])


def _checked(files: List[Path], state: dict, explain: bool, treaties: List[str], *, timeout=None,
             **options) -> Iterator[tuple]:
    """(verdicts, explanations or None) of each file under each treaty it is checked under, as
    it is checked, so that a report over a folder is written as it goes and holds one file at
    a time; a rejected file's lines go to stderr (``state`` records it, and whether something
    was breached)."""
    from checker.engine.check import check_history
    from checker.engine.pool import within

    def work(path: Path, limit):
        # the derivations need the grounded control: in the process that grounded it (a child
        # one, killed at the deadline, with --timeout)
        checked = check_history(path, treaties=treaties, timeout=limit, keep=explain and limit is None,
                                events=explain, **options)
        return [(v, _explained(v, pack, control) if explain else None) for v, pack, control in checked]

    for path in files:
        try:
            results = within(timeout, str(path), lambda limit: work(path, limit)) if explain \
                else work(path, timeout)
        except UsageError as exc:  # the same for every file: say it once
            fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                err(line)
            state["rejected"] = True
            continue
        for verdicts, trees in results:
            if explain and verdicts.scenario.uncertain:
                err(f"{path}: has uncertain facts, and a derivation holds in one world: "
                    f"checker explain {path} --witness gives one for each possible verdict")
            state["breached"] = state["breached"] or verdicts.breached
            yield verdicts, trees


def _explained(verdicts, pack, control) -> dict | None:
    """The derivation of each breached or late duty of a checked scenario, by obligation id."""
    from checker.analysis.derivations import explain_verdicts

    if verdicts.scenario.uncertain:
        return None
    return {e["obligation"]: e["tree"] for e in explain_verdicts(verdicts, pack, None, 8, control=control)}


def _text(results: Iterator[tuple], style) -> Iterator[str]:
    """The text report of each (verdicts, explanations) as it comes, a blank line between."""
    from checker.render.text import render_text

    for n, (verdicts, trees) in enumerate(results):
        yield ("\n" if n else "") + render_text(verdicts, style, trees) + "\n"


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
                  params: dict, rules, timeout, max_uncertain_days, treaties: List[str]) -> None:
    """`check --all-readings`: every combination of the pack's readings, per scenario (and per
    treaty, for a history checked under several)."""
    from checker.analysis.worlds import all_readings_of_history

    grids = []
    rejected = False
    for path in files:
        try:
            grids.extend(all_readings_of_history(path, treaties=treaties, rules_root=rules, as_of=as_of,
                                                 readings=readings, parameters=params, timeout=timeout,
                                                 max_uncertain_days=max_uncertain_days))
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
