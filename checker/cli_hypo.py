"""Commands of hypothetical reasoning: `whatif`, `repair`, `sweep`, and `check --all-readings`.

Like cli.py, this module only parses options, calls the library, prints and picks the exit
code; the reasoning lives in worlds.py, whatif.py, repair.py and sweep.py.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli import (AS_OF_OPTION, EXIT_BREACH, EXIT_ERROR, EXIT_OK, PARAM_OPTION, READING_OPTION,
                  RULES_OPTION, TIMEOUT_OPTION, Format, _err, _use_colour, app, parse_assignments)
from .errors import CheckerError, UsageError

FORMAT_READINGS = "treaty-checker/readings@1"
FORMAT_WHATIF = "treaty-checker/whatif@1"


def _fail(exc: CheckerError) -> None:
    for line in exc.lines():
        _err(line)
    raise typer.Exit(EXIT_ERROR)


def _table(header: tuple, rows: list[tuple], indent: str = "  ") -> list[str]:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    lines = [indent + "  ".join(str(h).ljust(widths[i]) for i, h in enumerate(header)).rstrip()]
    for row in rows:
        lines.append(indent + "  ".join(str(c).ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    return lines


# --- check --all-readings ---------------------------------------------------------------------

def run_all_readings(files: List[Path], fmt, as_of, readings: dict, params: dict, rules,
                     timeout) -> None:
    """`check --all-readings`: every combination of the pack's readings, per scenario."""
    from .report import Style
    from .worlds import all_readings

    grids = []
    rejected = False
    for path in files:
        try:
            grids.append(all_readings(path, rules_root=rules, as_of=as_of, readings=readings,
                                      parameters=params, timeout=timeout))
        except UsageError as exc:
            _fail(exc)
        except CheckerError as exc:
            for line in exc.lines():
                _err(line)
            rejected = True
    if fmt is Format.json:
        print(json.dumps({"format": FORMAT_READINGS, "scenarios": [readings_json(g) for g in grids]},
                         indent=2, ensure_ascii=False))
    else:
        style = Style(_use_colour(sys.stdout))
        print("\n\n".join(readings_text(g, style) for g in grids))
    if rejected:
        raise typer.Exit(EXIT_ERROR)
    breached = any(v.breached for g in grids for v in g.verdicts)
    raise typer.Exit(EXIT_BREACH if breached else EXIT_OK)


def _when(combo: dict, names: list[str]) -> str:
    return ", ".join(f"{n}={combo[n]}" for n in names)


def _grouped(grid, row) -> list[tuple[str, list[dict]]]:
    """A dependent verdict as (verdict, the combinations of the readings it depends on)."""
    groups: dict[str, list[dict]] = {}
    for combo, cell in zip(grid.combos, row["verdicts"]):
        key = {n: combo[n] for n in row["depends_on"]}
        if key not in groups.setdefault(cell, []):
            groups[cell].append(key)
    return list(groups.items())


def readings_json(grid) -> dict:
    s = grid.scenario
    rows = grid.rows()
    varied = {n: list(dict.fromkeys(c[n] for c in grid.combos)) for n in (grid.combos[0] if grid.combos else {})
              if n not in grid.fixed}
    return {
        "file": s.path, "scenario": s.title, "treaty": s.treaty,
        "readings_varied": varied, "readings_fixed": dict(grid.fixed),
        "combinations": len(grid.combos),
        "invariant": [{"id": r["id"], "verdict": r["verdicts"][0]} for r in rows if r["invariant"]],
        "dependent": [{"id": r["id"], "depends_on": r["depends_on"],
                       "verdicts": [{"readings": combo, "verdict": cell}
                                    for combo, cell in zip(grid.combos, r["verdicts"])]}
                      for r in rows if not r["invariant"]],
    }


def readings_text(grid, style) -> str:
    s = grid.scenario
    rows = grid.rows()
    varied = [n for n in (grid.combos[0] if grid.combos else {}) if n not in grid.fixed]
    out = [style(s.path, "bold") + f" — {s.title}"]
    choices = "; ".join(f"{n}: {'|'.join(dict.fromkeys(c[n] for c in grid.combos))}" for n in varied)
    fixed = ", ".join(f"{k}={v}" for k, v in grid.fixed.items())
    out.append(style(f"every reading at once: {len(grid.combos)} combinations ({choices or 'none'})"
                     + (f"; held: {fixed}" if fixed else ""), "dim"))
    invariant = [r for r in rows if r["invariant"]]
    dependent = [r for r in rows if not r["invariant"]]
    out.append("")
    out.append(f"  {len(invariant)} verdicts hold under every reading; "
               f"{len(dependent)} depend on the reading.")
    if dependent:
        out.append("")
        lines = []
        for r in dependent:
            lines.append((r["id"], "depends on " + ", ".join(r["depends_on"]), ""))
            for cell, combos in _grouped(grid, r):
                when = " or ".join(_when(c, r["depends_on"]) for c in combos)
                lines.append(("    " + cell, "when " + when, ""))
        width = max(len(a) for a, _, _ in lines)
        out.extend("  " + a.ljust(width) + "  " + b for a, b, _ in lines)
    return "\n".join(out)


# --- whatif -----------------------------------------------------------------------------------

@app.command()
def whatif(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", help="The scenario file to edit in memory."),
    shift: List[str] = typer.Option([], "--shift", metavar="EVENT=±Nd",
                                    help="Move an event by N days, e.g. EVENT=+2d or EVENT=-1d. Repeatable."),
    drop: List[str] = typer.Option([], "--drop", metavar="EVENT", help="Remove an event. Repeatable."),
    add: List[str] = typer.Option([], "--add", metavar="YAML",
                                  help="Add an event (or a list of them) written in YAML, e.g. "
                                       "'{id: e2, date: 2027-03-02, type: TYPE, FIELD: VALUE}'."),
    set_: List[str] = typer.Option([], "--set", metavar="EVENT.FIELD=VALUE",
                                   help="Set a field (VALUE in YAML: a name, [a, b], {one_of: [a, b]}); "
                                        "an empty VALUE removes the field. Repeatable."),
    new_as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                            help="Give the edited verdict as of this day."),
    save: Optional[Path] = typer.Option(None, "--save", metavar="NEW.yaml",
                                        help="Write the edited scenario to this new file."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    show_all: bool = typer.Option(False, "--all", help="List every verdict, not only those that differ."),
) -> None:
    """Apply edits to a scenario in memory and print the verdicts that differ, before and after.
    The file is not touched. Exit code: that of `check` on the edited scenario.

    Example: checker whatif SCENARIO --shift EVENT=+2d --drop OTHER_EVENT --save edited.yaml
    """
    from .whatif import dump, make_edits, what_if

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        edits = make_edits(shift=shift, drop=drop, add=add, set=set_, as_of=new_as_of)
        if edits.empty:
            raise UsageError("whatif: give at least one edit (--shift, --drop, --add, --set, --as-of)")
        if save is not None and save.resolve() == scenario.resolve():
            raise UsageError("--save: give a new file name; whatif never overwrites the scenario")
        if not scenario.is_file():
            raise UsageError(f"{scenario}:1: file: no such file")
        result = what_if(scenario, edits, rules_root=rules, readings=readings, parameters=params,
                         timeout=timeout)
    except CheckerError as exc:
        _fail(exc)
    if save is not None:
        try:
            save.write_text(dump(result.edited_doc, result.edits, str(scenario)), encoding="utf-8")
        except OSError as exc:
            _fail(UsageError(f"--save: {save}: {exc.strerror or exc}"))
    rows = result.differences
    if show_all:
        from .whatif import Difference, verdict_cells

        a, b = verdict_cells(result.before), verdict_cells(result.after)
        rows = tuple(Difference(i, a.get(i, "-"), b.get(i, "-")) for i in dict.fromkeys([*b, *a]))
    if fmt is Format.json:
        print(json.dumps({"format": FORMAT_WHATIF, "file": str(scenario),
                          "edits": result.edits.describe(),
                          "differences": [{"id": d.id, "before": d.before, "after": d.after}
                                          for d in rows],
                          "saved": str(save) if save else None,
                          "breached_after": result.after.breached}, indent=2, ensure_ascii=False))
    else:
        from .report import Style

        style = Style(_use_colour(sys.stdout))
        out = [style(str(scenario), "bold") + f" — {result.before.scenario.title}",
               style("what if: " + " ".join(result.edits.describe()), "dim"), ""]
        if rows:
            out.extend(_table(("OBLIGATION", "BEFORE", "AFTER"),
                              [(d.id, d.before, d.after) for d in rows]))
        else:
            out.append("  no verdict changes")
        out.append("")
        changed = sum(1 for d in result.differences)
        out.append(f"  {changed} verdict(s) differ"
                   + (f"; edited scenario written to {save}" if save else ""))
        print("\n".join(out))
    raise typer.Exit(EXIT_BREACH if result.after.breached else EXIT_OK)


# --- repair -----------------------------------------------------------------------------------

FORMAT_REPAIR = "treaty-checker/repair@1"


def _event_yaml(event: dict) -> list[str]:
    """One event as the lines of a YAML list item, ready to paste under `events:`."""
    lines = []
    for i, (key, value) in enumerate(event.items()):
        text = "[" + ", ".join(value) + "]" if isinstance(value, list) else str(value)
        lines.append(("  - " if i == 0 else "    ") + f"{key}: {text}")
    return lines


@app.command()
def repair(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", help="The scenario file to repair."),
    only: List[str] = typer.Option([], "--only", metavar="OBLIGATION_ID",
                                   help="Repair only this duty (repeatable); default: every breached "
                                        "or late duty the pack can repair."),
    holder: Optional[str] = typer.Option(None, "--holder", metavar="PARTY",
                                         help="Repair only the duties of this holder."),
    max_actions: Optional[int] = typer.Option(None, "--max-actions", metavar="N", min=0,
                                              help="Add at most N events."),
    all_optimal: bool = typer.Option(False, "--all-optimal", help="List every optimal repair (at most "
                                     "--limit), not just one."),
    limit: int = typer.Option(20, "--limit", min=1, help="With --all-optimal: how many to list."),
    save: Optional[Path] = typer.Option(None, "--save", metavar="NEW.yaml",
                                        help="Write the scenario with the (first) repair added to this new file."),
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
    Exit code: 0 a repair was found (or nothing to repair), 1 none exists, 2 bad input.

    Example: checker repair SCENARIO --holder PARTY --max-actions 5
    """
    from .repair import repair as find_repair
    from .repair import repaired_document
    from .whatif import dump

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        if save is not None and save.resolve() == scenario.resolve():
            raise UsageError("--save: give a new file name; repair never overwrites the scenario")
        if not scenario.is_file():
            raise UsageError(f"{scenario}:1: file: no such file")
        result = find_repair(scenario, only=only, holder=holder, max_actions=max_actions,
                             all_optimal=all_optimal, limit=limit, rules_root=rules, as_of=as_of,
                             readings=readings, parameters=params, timeout=timeout)
        if save is not None and result.repairs:
            doc = repaired_document(scenario, result.repairs[0])
            save.write_text(dump(doc, None, str(scenario)).replace(
                "edited by `checker whatif`", "repaired by `checker repair`"), encoding="utf-8")
    except CheckerError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(UsageError(f"--save: {save}: {exc.strerror or exc}"))

    seconds = sum(result.timings.values())
    if fmt is Format.json:
        print(json.dumps({
            "format": FORMAT_REPAIR, "file": str(scenario), "targets": list(result.targets),
            "unrepairable": [{"id": i, "why": why} for i, why in result.unrepairable],
            "found": result.found, "optimal": result.optimal, "verified": result.verified,
            "repairs": [{"actions": len(r.events), "events": list(r.events)} for r in result.repairs],
            "seconds": round(seconds, 3), "saved": str(save) if save and result.repairs else None,
        }, indent=2, ensure_ascii=False))
    else:
        out = [f"{scenario} — {result.scenario.title}"]
        if not result.targets:
            out.append("  nothing to repair: no selected duty is breached or late"
                       + (" (or none can be repaired by adding events)" if result.unrepairable else ""))
        elif not result.repairs:
            count = len(result.targets)
            out.append(f"  no repair of the {count} selected dut{'y' if count == 1 else 'ies'}"
                       + (f" with at most {max_actions} added events" if max_actions is not None else "")
                       + " exists without breaching another duty")
        else:
            first = result.repairs[0]
            kind = "optimal" if result.optimal else "best found in time, not proven optimal"
            many = f"; {len(result.repairs)} optimal repairs" if all_optimal else ""
            count = len(result.targets)
            out.append(f"  {len(first.events)} event(s) repair {count} dut{'y' if count == 1 else 'ies'} "
                       f"({kind}{many}; {seconds:.2f} s)")
            for ob_id in result.targets:
                out.append(f"    {ob_id}")
            for n, r in enumerate(result.repairs, 1):
                out.append("")
                out.append(f"  repair {n} of {len(result.repairs)}: add under events:" if all_optimal
                           else "  add under events:")
                for event in r.events:
                    out.extend("  " + line for line in _event_yaml(event))
            if result.verified:
                out.append("")
                out.append("  checked: with these events the selected duties are fulfilled and no "
                           "other duty is breached or late")
            if save:
                out.append(f"  repaired scenario written to {save}")
        if result.unrepairable:
            out.append("")
            out.append("  not repairable by adding events:")
            for ob_id, why in result.unrepairable:
                out.append(f"    {ob_id}: {why}")
        print("\n".join(out))
    raise typer.Exit(EXIT_OK if result.found else EXIT_BREACH)


# --- sweep ------------------------------------------------------------------------------------

FORMAT_SWEEP = "treaty-checker/sweep@1"


class SweepFormat(str, Enum):
    text = "text"
    csv = "csv"
    json = "json"


@app.command()
def sweep(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", help="The scenario file to vary."),
    vary: List[str] = typer.Option([], "--vary", metavar="INPUT=VALUES",
                                   help="A dimension of the grid (repeatable): EVENT.date=-3..+3 (days), "
                                        "EVENT.FIELD=A,B (values), reading.NAME=A,B or reading.NAME=* "
                                        "(reading=* varies every reading), param.NAME=2..5."),
    fmt: SweepFormat = typer.Option(SweepFormat.text, "--format", "-f", help="text, csv or json."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="Worker processes (default: every core)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
) -> None:
    """Check a scenario at every point of a grid of varied inputs, in parallel, and show how
    each verdict depends on them. Exit code: 1 when some point has a breach.

    Example: checker sweep SCENARIO --vary EVENT.date=-3..+3 --vary reading=*
    """
    from .sweep import sweep as run_sweep

    try:
        readings = parse_assignments(reading, "--reading", numeric=False)
        params = parse_assignments(param, "--param", numeric=True)
        if not scenario.is_file():
            raise UsageError(f"{scenario}:1: file: no such file")
        result = run_sweep(scenario, vary, rules_root=rules, as_of=as_of, readings=readings,
                           parameters=params, timeout=timeout, jobs=jobs)
    except CheckerError as exc:
        _fail(exc)
    changing = result.changing()
    names = [d.name for d in result.dims]
    if fmt is SweepFormat.json:
        print(json.dumps({
            "format": FORMAT_SWEEP, "file": result.path,
            "dimensions": [{"name": d.name, "values": [d.label(v) for v in d.values]} for d in result.dims],
            "changing": changing,
            "points": [{"values": {d.name: d.label(v) for d, v in zip(result.dims, p)}, "verdicts": verdicts}
                       for p, verdicts in zip(result.points, result.verdicts)],
            "workers": result.workers, "seconds": round(result.seconds, 3),
        }, indent=2, ensure_ascii=False))
    elif fmt is SweepFormat.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names + ["obligation", "verdict"])
        for p, verdicts in zip(result.points, result.verdicts):
            labels = [d.label(v) for d, v in zip(result.dims, p)]
            for ob_id, cell in verdicts.items():
                writer.writerow(labels + [ob_id, cell])
    else:
        shape = " × ".join(f"{d.name} ({len(d.values)})" for d in result.dims)
        out = [f"{scenario} — {result.title}",
               f"sweep: {shape} = {len(result.points)} runs on {result.workers} worker(s), "
               f"{result.seconds:.2f} s", "",
               f"  {result.steady()} verdicts are the same at every point; {len(changing)} change."]
        if changing:
            # obligations that change in step share a column
            groups: dict[tuple, list[str]] = {}
            for ob_id in changing:
                groups.setdefault(tuple(v.get(ob_id, "-") for v in result.verdicts), []).append(ob_id)
            columns = list(groups.items())
            out.append("")
            header = tuple(names) + tuple(f"[{i}]" for i in range(1, len(columns) + 1))
            rows = [tuple(d.label(v) for d, v in zip(result.dims, p)) + tuple(col[n] for col, _ in columns)
                    for n, p in enumerate(result.points)]
            out.extend(_table(header, rows))
            out.append("")
            for i, (_, members) in enumerate(columns, 1):
                out.append(f"  [{i}] " + ", ".join(members))
        print("\n".join(out))
    breached = any(cell in ("breached", "late") or cell.startswith("possibly breached")
                   or cell.startswith("possibly late") for v in result.verdicts for cell in v.values())
    raise typer.Exit(EXIT_BREACH if breached else EXIT_OK)
