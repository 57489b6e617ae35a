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
                         timeout=timeout, max_uncertain_days=max_uncertain_days)
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
                             readings=readings, parameters=params, timeout=timeout)
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


@app.command()
def sweep(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", parser=as_path, help="The scenario file to vary."),
    vary: List[str] = typer.Option([], "--vary", metavar="INPUT=VALUES",
                                   help="A dimension of the grid (repeatable): EVENT.date=-3..+3 (days), "
                                        "EVENT.FIELD=A,B (values), reading.NAME=A,B or reading.NAME=* "
                                        "(reading=* varies every reading), param.NAME=2..5 or "
                                        "param.NAME=unset,0,3 (unset: for a parameter whose default is null)."),
    fmt: SweepFormat = typer.Option(SweepFormat.text, "--format", "-f", help="text, csv or json."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes (default: every core)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
) -> None:
    """Check a scenario at every point of a grid of varied inputs, in parallel, and show how
    each verdict depends on them.

    Exit codes: 0 no point has a breach, 1 some point has a breached or late duty, 2 bad
    input or a grid that does not apply.

    Example: checker sweep SCENARIO --vary EVENT.date=-3..+3 --vary reading=*
    """
    from checker.analysis.sweep import sweep as run_sweep

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        require_file(scenario)
        result = run_sweep(scenario, vary, rules_root=rules, as_of=as_of, readings=readings,
                           parameters=params, timeout=timeout, jobs=jobs)
    except CheckerError as exc:
        fail(exc)
    if fmt is SweepFormat.json:
        from checker.render.json import dumps, sweep_document

        print(dumps(sweep_document(result)))
    elif fmt is SweepFormat.csv:
        from checker.render.csv import write_sweep

        write_sweep(result, sys.stdout)
    else:
        from checker.render.text import sweep_text

        print(sweep_text(str(scenario), result))
    exit_for(result.breached())
