"""Commands of hypothetical reasoning: `whatif`, `repair` and `sweep`.

They parse options, call the reasoning in checker.analysis, hand the result to
checker.render and choose the exit code.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    EXIT_BREACH,
    EXIT_OK,
    ONE_TREATY_OPTION,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    UNCERTAIN_DAYS_OPTION,
    Format,
    app,
    as_file,
    as_path,
    exit_for,
    fail,
    parse_assignments,
    require_file,
)
from checker.errors import CheckerError, UsageError


def _style():
    from checker.render.style import Style, use_colour

    return Style(use_colour(sys.stdout))


# --- whatif -----------------------------------------------------------------------------------

@app.command()
def whatif(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", parser=as_path, help="The scenario file to edit in memory."),
    shift: List[str] = typer.Option([], "--shift", metavar="EVENT=±Nd",
                                    help="Move an event by N days, e.g. EVENT=+2d or EVENT=-1d. Repeatable."),
    drop: List[str] = typer.Option([], "--drop", metavar="EVENT", help="Remove an event. Repeatable."),
    add: List[str] = typer.Option([], "--add", metavar="YAML",
                                  help="Add an event (or a list of them) written in YAML, e.g. "
                                       "'{id: e2, date: 2027-03-02, type: TYPE, FIELD: VALUE}'. Repeatable."),
    set_: List[str] = typer.Option([], "--set", metavar="EVENT.FIELD=VALUE",
                                   help="Set a field (VALUE in YAML: a name, [a, b], {one_of: [a, b]}); "
                                        "an empty VALUE removes the field. Repeatable."),
    new_as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                            help="Give the edited verdict as of this day."),
    save: Optional[Path] = typer.Option(None, "--save", metavar="NEW.yaml", parser=as_file,
                                        help="Write the edited scenario to this new file (an existing "
                                             "file only with --force; never the scenario itself)."),
    force: bool = typer.Option(False, "--force", help="Let --save replace an existing file."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
    treaty: Optional[str] = ONE_TREATY_OPTION,
    show_all: bool = typer.Option(False, "--all", help="List every verdict, not only those that differ."),
) -> None:
    """Apply edits to a scenario in memory and print the verdicts that differ, before and after.
    The file is not touched.

    Exit codes: 0 nothing is breached in the edited scenario, 1 something is breached or
    late there (as `check` would say of it), 2 bad input or an edit that does not apply.

    Example: checker whatif SCENARIO --shift EVENT=+2d --drop OTHER_EVENT --save edited.yaml
    """
    from checker.analysis.whatif import dump, make_edits, what_if
    from checker.io.files import check_target, write_atomic

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        edits = make_edits(shift=shift, drop=drop, add=add, set=set_, as_of=new_as_of)
        if edits.empty:
            raise UsageError("whatif: give at least one edit (--shift, --drop, --add, --set, --as-of)")
        if save is not None and save.resolve() == scenario.resolve():
            raise UsageError("--save: give a new file name; whatif never overwrites the scenario")
        require_file(scenario)
        if save is not None:
            check_target(save, option="--save", force=force, inputs=[scenario])
        result = what_if(scenario, edits, rules_root=rules, readings=readings, parameters=params,
                         timeout=timeout, max_uncertain_days=max_uncertain_days, treaty=treaty)
        if save is not None:
            write_atomic(save, dump(result.edited_doc, result.edits, str(scenario)), option="--save",
                         force=force, inputs=[scenario])
    except CheckerError as exc:
        fail(exc)
    if fmt is Format.json:
        from checker.render.json import dumps, whatif_document

        print(dumps(whatif_document(str(scenario), result, show_all, save)))
    else:
        from checker.render.text import whatif_text

        print(whatif_text(str(scenario), result, show_all, save, _style()))
    exit_for(result.after.breached)


# --- repair -----------------------------------------------------------------------------------

@app.command()
def repair(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", parser=as_path, help="The scenario file to repair."),
    only: List[str] = typer.Option([], "--only", metavar="OBLIGATION_ID",
                                   help="Repair only this duty (repeatable); default: every breached "
                                        "or late duty the pack can repair."),
    holder: Optional[str] = typer.Option(None, "--holder", metavar="PARTY",
                                         help="Repair only the duties of this holder."),
    max_actions: Optional[int] = typer.Option(None, "--max-actions", metavar="N", min=0, max=100_000,
                                              help="Add at most N events."),
    all_optimal: bool = typer.Option(False, "--all-optimal", help="List every optimal repair (at most "
                                     "--limit), not just one."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, metavar="N",
                              help="With --all-optimal: how many to list (at most 1000)."),
    save: Optional[Path] = typer.Option(None, "--save", metavar="NEW.yaml", parser=as_file,
                                        help="Write the scenario with the (first) repair added to this new "
                                             "file (an existing file only with --force; never the "
                                             "scenario itself)."),
    force: bool = typer.Option(False, "--force", help="Let --save replace an existing file."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    treaty: Optional[str] = ONE_TREATY_OPTION,
) -> None:
    """Find the fewest events to add (ties: the earliest) that turn the selected breached or
    late duties into fulfilled ones without breaching any other duty; print them ready to
    paste into the scenario. What can be added is declared by the treaty pack (`repairs:`).

    Exit codes: 0 a repair was found (or nothing to repair), 1 none exists, 2 bad input.

    Example: checker repair SCENARIO --holder PARTY --max-actions 5
    """
    from checker.analysis.repair import repair as find_repair
    from checker.analysis.repair import repaired_document
    from checker.analysis.whatif import dump
    from checker.io.files import check_target, write_atomic

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        if save is not None and save.resolve() == scenario.resolve():
            raise UsageError("--save: give a new file name; repair never overwrites the scenario")
        require_file(scenario)
        if save is not None:
            check_target(save, option="--save", force=force, inputs=[scenario])
        result = find_repair(scenario, only=only, holder=holder, max_actions=max_actions,
                             all_optimal=all_optimal, limit=limit, rules_root=rules, as_of=as_of,
                             readings=readings, parameters=params, timeout=timeout, treaty=treaty)
        if save is not None and result.repairs:
            doc = repaired_document(scenario, result.repairs[0])
            write_atomic(save, dump(doc, None, str(scenario), done="repaired by `checker repair`"),
                         option="--save", force=force, inputs=[scenario])
    except CheckerError as exc:
        fail(exc)
    saved = save if save is not None and result.repairs else None
    if fmt is Format.json:
        from checker.render.json import dumps, repair_document

        print(dumps(repair_document(str(scenario), result, saved)))
    else:
        from checker.render.text import repair_text

        print(repair_text(str(scenario), result, all_optimal, max_actions, saved))
    raise typer.Exit(EXIT_OK if result.found else EXIT_BREACH)


# --- sweep ------------------------------------------------------------------------------------

class SweepFormat(str, Enum):
    text = "text"
    csv = "csv"
    json = "json"
    parquet = "parquet"


@app.command()
def sweep(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", parser=as_path, help="The scenario file to vary."),
    vary: List[str] = typer.Option([], "--vary", metavar="INPUT=VALUES",
                                   help="A dimension of the grid (repeatable): EVENT.date=-3..+3 (days), "
                                        "EVENT.FIELD=A,B (values), EVENT.occurred=true,false (or maybe), "
                                        "reading.NAME=A,B or reading.NAME=* (reading=* varies every reading), "
                                        "param.NAME=2..5 or param.NAME=unset,0,3 (unset: for a parameter "
                                        "whose default is null)."),
    worlds: Optional[str] = typer.Option(None, "--worlds", metavar="all|sample:N",
                                         help="Instead of a grid, the possible worlds of a scenario with "
                                              "uncertain facts: every one (all), or N drawn at random "
                                              "(sample:N, with the chances p: gives, else uniformly); "
                                              "prints each duty's share of the worlds in each status."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="With --worlds sample:N: the seed of the draw."),
    confidence: float = typer.Option(0.95, "--confidence", metavar="LEVEL", min=0.5, max=0.9999,
                                     help="With --worlds sample:N: the level of the Wilson score intervals."),
    fmt: SweepFormat = typer.Option(SweepFormat.text, "--format", "-f",
                                    help="text (the verdicts grouped, on one screen), csv, json or parquet "
                                         "(a row per point and duty, written as the points finish; parquet "
                                         "needs the extra: pip install 'treaty-checker[parquet]')."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", parser=as_file,
                                          help="Write to FILE (whole or not at all) instead of stdout; an "
                                               "existing FILE only with --force."),
    force: bool = typer.Option(False, "--force", help="Let --output replace an existing file."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core, one per "
                                            "400 points at most)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", metavar="tcp://HOST:PORT",
                                          help="Run the points on the Dask cluster whose scheduler is there "
                                               "(pip install 'treaty-checker[cluster]')."),
    max_points: int = typer.Option(100_000, "--max-points", metavar="N", min=1,
                                   help="The most points (or worlds) a sweep may have."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    treaty: Optional[str] = ONE_TREATY_OPTION,
) -> None:
    """Check a scenario at every point of a grid of varied inputs (one grounding, one solve
    per point) and show how each verdict depends on them; or check its possible worlds and
    show how often each verdict holds.

    Exit codes: 0 no point (or world) has a breach, 1 some point has a breached or late duty,
    2 bad input, a grid that does not apply or is over --max-points.

    \b
    Examples:
      checker sweep SCENARIO --vary EVENT.date=-3..+3 --vary reading=*
      checker sweep SCENARIO --vary EVENT.date=-10..+10 -f parquet -o grid.parquet
      checker sweep SCENARIO --worlds sample:1000 --seed 7
      checker sweep SCENARIO --vary EVENT.date=-30..+30 --cluster tcp://scheduler:8786
    """
    from checker.analysis.sweep import plan_sweep
    from checker.io.files import check_target

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        require_file(scenario)
        if worlds is not None and vary:
            raise UsageError("--worlds: give --vary or --worlds, not both")
        if output is not None:
            check_target(output, option="--output", force=force, inputs=[scenario])
        elif fmt is SweepFormat.parquet and sys.stdout.isatty():
            raise UsageError("--format parquet: the output is binary; give --output FILE or redirect stdout")
        if fmt is SweepFormat.parquet:
            from checker.render.parquet import require_pyarrow

            require_pyarrow()
        if worlds is not None:
            from checker.analysis.montecarlo import plan_worlds

            plan = plan_worlds(scenario, worlds, seed=seed, rules_root=rules, as_of=as_of, readings=readings,
                               parameters=params, timeout=timeout, max_points=max_points, treaty=treaty)
        else:
            plan = plan_sweep(scenario, vary, rules_root=rules, as_of=as_of, readings=readings,
                              parameters=params, timeout=timeout, max_points=max_points, treaty=treaty)
        result = _run_sweep(plan, fmt, output, force, scenario, jobs, cluster, confidence)
    except CheckerError as exc:
        fail(exc)
    exit_for(result.breached())


def _run_sweep(plan, fmt, output: Optional[Path], force: bool, scenario: Path, jobs, cluster, confidence: float):
    """Run ``plan``, streaming rows to the output as the points finish (text: at the end)."""
    import contextlib
    import io

    from checker.analysis.sweep import run
    from checker.render.meter import Meter

    meter = Meter("sweep", unit="worlds" if plan.worlds else "points")
    with contextlib.ExitStack() as stack:
        if output is not None:
            from checker.io.files import atomic_output

            binary = stack.enter_context(atomic_output(output, option="--output", force=force, inputs=[scenario]))
        else:
            binary = sys.stdout.buffer if fmt is SweepFormat.parquet else None
        stream = None
        if fmt is not SweepFormat.parquet:
            stream = (io.TextIOWrapper(binary, encoding="utf-8", newline="") if binary is not None
                      else sys.stdout)
        writer = _writer(fmt, stream, binary)
        if writer is not None:
            writer.begin(plan)
        stack.callback(meter.close)
        result = run(plan, jobs=jobs, cluster=cluster, progress=meter,
                     on_points=writer.points if writer is not None else None)
        meter.close()
        if plan.worlds:
            from checker.analysis.montecarlo import shares_document

            result.extra["worlds"] = shares_document(plan, result.table, confidence)
        if writer is not None:
            writer.end(result)
        else:
            stream.write(_text(plan, result, confidence) + "\n")
        if stream is not None and stream is not sys.stdout:
            stream.flush()
            stream.detach()
    return result


def _writer(fmt, stream, binary):
    if fmt is SweepFormat.csv:
        from checker.render.csv import CsvSweepWriter

        return CsvSweepWriter(stream)
    if fmt is SweepFormat.json:
        from checker.render.json import JsonSweepWriter

        return JsonSweepWriter(stream)
    if fmt is SweepFormat.parquet:
        from checker.render.parquet import ParquetSweepWriter

        return ParquetSweepWriter(binary)
    return None


def _text(plan, result, confidence: float) -> str:
    if plan.worlds:
        from checker.analysis.montecarlo import shares
        from checker.render.text import worlds_text

        return worlds_text(plan.path, result, shares(plan, result.table, confidence), confidence)
    from checker.analysis.gridsummary import summarize
    from checker.render.text import sweep_text

    return sweep_text(plan.path, result, summarize(plan, result.table))
