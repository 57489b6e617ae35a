"""Every command's output as text for a terminal: tables, lists and summary lines.

One module for the text format of every command, so the wording and the layout of the
commands stay alike. Callers pass a ``Style`` (colours or none).

One module for every text report, though long: they share the table layout, the status
styles and the escaping of free text, and each is one function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.maintain.coverage import CoverageReport
    from checker.maintain.semdiff import DiffResult

from checker.model import Verdicts, iso
from checker.render.style import STATUS_STYLE, Style, visible
from checker.render.tree import derivation_lines, render_tree


def _status_cell(o) -> str:
    """The status, or for an uncertain duty every status it can take: `possibly late|fulfilled`."""
    if o.certainty == "certain":
        return o.status
    return "possibly " + "|".join(o.statuses)


def _outcome(o) -> str:
    if o.certainty != "certain":
        return _possible_outcome(o)
    if o.status in ("fulfilled",):
        return f"met by {o.met_by}"
    if o.status == "late" and o.breached_by:  # refused, then met
        return f"met late by {o.met_by}; breached on {iso(o.breached_on)} by {o.breached_by}"
    if o.status == "late":
        return f"met late by {o.met_by}; breached on {iso(o.breached_on)}"
    if o.status == "breached" and o.breached_by:
        return f"breached on {iso(o.breached_on)} by {o.breached_by}"
    if o.status == "breached":
        return f"breached on {iso(o.breached_on)}"
    if o.status == "discharged":
        return f"discharged on {iso(o.discharged_on)} by {o.discharged_by}"
    if o.status == "pending":
        return "not met yet"
    return ""


def _possible_outcome(o) -> str:
    """What is known of an uncertain duty in every world (the rest depends on the world)."""
    known = []
    if o.met_by:
        known.append(f"met by {o.met_by}")
    if o.breached_by:
        known.append(f"breached by {o.breached_by}")
    if o.breached_on:
        known.append(f"breached on {iso(o.breached_on)}")
    if o.discharged_by:
        known.append(f"discharged by {o.discharged_by}")
    known.append("depends on the world")
    return "; ".join(known)


def render_text(v: Verdicts, style: Style, explanations: dict | None = None) -> str:
    """One scenario as a table of obligations, the not-fired list and a summary line; with
    ``explanations`` (obligation id -> tree), each explained duty's tree under its row."""
    s = v.scenario
    out = [style(visible(s.path), "bold") + f" — {visible(s.title)}"]
    settings = ", ".join(f"{k}={val}" for k, val in s.readings.items())
    params = ", ".join(f"{k}={'unset' if val is None else val}" for k, val in s.parameters.items())
    out.append(style(visible(f"treaty {s.treaty} · as of {iso(s.as_of)} · readings: {settings or 'none'}"
                             f" · parameters: {params or 'none'}"), "dim"))
    if s.ignored_events:
        out.append(style(f"{s.ignored_events} event(s) dated after as_of ignored", "yellow"))
    if s.unread_events:
        out.append(style(f"{s.unread_events} event(s) this treaty does not read", "dim"))
    if s.uncertain:
        facts = sum(1 for e in s.events if e.uncertain)
        out.append(style(f"{facts} uncertain event(s), {v.worlds} possible world(s): "
                         "`possibly` verdicts hold in some worlds, the others in every world", "yellow"))
    out.append("")
    header = ("OBLIGATION", "HOLDER", "FIRED", "DEADLINE", "STATUS", "MET BY / BREACHED ON")
    rows = [tuple(visible(cell) for cell in (o.id, o.holder, iso(o.fired_on), iso(o.deadline) or "-",
                                             _status_cell(o), _outcome(o)))
            for o in v.obligations]
    if rows:
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(5)]
        out.append("  " + "  ".join(h.ljust(widths[i]) if i < 5 else h for i, h in enumerate(header)))
        for o, row in zip(v.obligations, rows):
            cells = [row[i].ljust(widths[i]) for i in range(5)]
            cells[4] = style(cells[4], *STATUS_STYLE.get(o.status, ()))
            out.append("  " + "  ".join(cells + [row[5]]).rstrip())
            if explanations and o.id in explanations:
                out.extend("      " + line for line in render_tree(explanations[o.id], style).splitlines())
    else:
        out.append("  no obligation fired")
    if v.not_fired:
        out.append("")
        out.append(style("  not fired:", "bold"))
        width = max(len(visible(n.id)) for n in v.not_fired)
        for n in v.not_fired:
            maybe = " (in some worlds)" if n.certainty != "certain" else ""
            out.append(f"  {visible(n.id).ljust(width)}  blocked by {visible(', '.join(n.blocked_by))}{maybe}")
    out.append("")
    out.append(summary_line(v, style))
    return "\n".join(out)


def summary_line(v: Verdicts, style: Style) -> str:
    c = v.summary()
    parts = [f"{c['fired']} fired", style(f"{c['fulfilled']} fulfilled", "green"),
             style(f"{c['late']} late", "magenta") if c["late"] else "0 late",
             style(f"{c['breached']} breached", "red", "bold") if c["breached"] else "0 breached",
             f"{c['pending']} pending", f"{c['discharged']} discharged",
             f"{c['complied']} complied", f"{c['not_fired']} not fired"]
    possible = sum(1 for o in v.obligations if o.certainty != "certain")
    if possible:
        parts.append(style(f"{possible} uncertain (counted by their worst status)", "yellow"))
    return "  " + ", ".join(parts)


def _table(header: tuple, rows: list[tuple], indent: str = "  ") -> list[str]:
    header = tuple(visible(h) for h in header)
    rows = [tuple(visible(c) for c in row) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = [indent + "  ".join(h.ljust(widths[i]) for i, h in enumerate(header)).rstrip()]
    for row in rows:
        lines.append(indent + "  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    return lines


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


def readings_text(grid, style) -> str:
    s = grid.scenario
    rows = grid.rows()
    varied = [n for n in (grid.combos[0] if grid.combos else {}) if n not in grid.fixed]
    out = [style(visible(s.path), "bold") + f" — {visible(s.title)}"]
    choices = "; ".join(f"{n}: {'|'.join(dict.fromkeys(c[n] for c in grid.combos))}" for n in varied)
    fixed = ", ".join(f"{k}={v}" for k, v in grid.fixed.items())
    out.append(style(f"every reading of {visible(s.treaty)} at once: {len(grid.combos)} combinations "
                     f"({choices or 'none'})"
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
            lines.append((visible(r["id"]), "depends on " + ", ".join(r["depends_on"]), ""))
            for cell, combos in _grouped(grid, r):
                when = " or ".join(_when(c, r["depends_on"]) for c in combos)
                lines.append(("    " + visible(cell), "when " + when, ""))
        width = max(len(a) for a, _, _ in lines)
        out.extend("  " + a.ljust(width) + "  " + b for a, b, _ in lines)
    return "\n".join(out)


def _event_yaml(event: dict) -> list[str]:
    """One event as the lines of a YAML list item, ready to paste under `events:`."""
    lines = []
    for i, (key, value) in enumerate(event.items()):
        text = "[" + ", ".join(value) + "]" if isinstance(value, list) else str(value)
        lines.append(("  - " if i == 0 else "    ") + f"{key}: {text}")
    return lines


def test_text(run, style: Style, verbose: bool = False) -> str:
    """Failures with expected versus actual and the derivation; then one summary line."""
    out: list[str] = []
    for result in run.files:
        for case in result.cases:
            if case.passed:
                if verbose:
                    out.append(style("PASS", "green") + f" {visible(case.name)}")
                continue
            out.append(style("FAIL", "red", "bold") + f" {visible(case.file)}:{case.line}  "
                       + style(visible(case.expectation), "bold"))
            out.append(f"     expected  {visible(case.expected)}")
            out.append("     actual    " + style(visible(case.actual), "red"))
            for i, line in enumerate(derivation_lines(case)):
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


def coverage_text(report: CoverageReport, style, threshold: float | None = None,
                         show_rules: int = 30) -> str:
    """A table: one row per provision, ✓ per outcome reached, ✗ per outcome reachable but missed."""
    out = []
    hit, total = report.status_cells
    head = f"Status coverage: {hit}/{total} reachable outcomes ({report.status_percent:.1f}%)"
    if threshold is not None:
        ok = report.status_percent >= threshold
        head += style(f"  {'meets' if ok else 'BELOW'} the threshold of {threshold:g}%", "green" if ok else "red")
    out.append(style(head, "bold"))
    width = max((len(visible(p.id)) for p in report.provisions), default=10)
    several = len({p.pack for p in report.provisions}) > 1   # provision ids repeat across packs
    pack = None
    for p in report.provisions:
        if several and p.pack != pack:
            pack = p.pack
            out.append(style(f" {visible(pack)}", "bold"))
        if not p.reachable:
            out.append(f"  {visible(p.id).ljust(width)}  " + style(f"({p.kind}: nothing to reach)", "dim"))
            continue
        cells = [style("✓ " + visible(o), "green") if p.reached.get(o) else style("✗ " + visible(o), "red", "bold")
                 for o in p.reachable]
        out.append(f"  {visible(p.id).ljust(width)}  " + "  ".join(cells))
    if report.rules is not None:
        never = [r for r in report.rules if not r.fired_in]
        out.append("")
        out.append(style(f"Rule coverage: {len(report.rules) - len(never)}/{len(report.rules)} rules fired "
                         f"({report.rule_percent:.1f}%)", "bold"))
        for r in never[:show_rules]:
            text = visible(r.text if len(r.text) <= 90 else r.text[:87] + "...")
            out.append(f"  never fired  {visible(r.file)}:{r.line}  {style(text, 'dim')}")
        if len(never) > show_rules:
            out.append(f"  ... and {len(never) - show_rules} more (--format json lists them all)")
    return "\n".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: DiffResult) -> str:
    files = len({c.file for c in result.changes})
    text = (f"{_plural(len(result.flips), 'verdict')} flipped, {_plural(len(result.moves), 'deadline')} "
            f"moved, in {files} of {_plural(result.files, 'scenario file')}")
    if result.incomparable:
        text += f"; {len(result.incomparable)} could not be compared"
    return text


def _moves_note(moves: list) -> str:
    shifts = sorted({c.days_moved for c in moves if c.days_moved is not None})
    by = ", ".join(f"{d:+d}" for d in shifts[:4]) + (" ..." if len(shifts) > 4 else "")
    return f"{_plural(len(moves), 'deadline')} moved" + (f" by {by} day(s)" if by else "") \
        + " with the status unchanged"


def diff_text(result: DiffResult, style, all_changes: bool = False) -> str:
    """Flips in detail, grouped by provision and file; deadline-only moves counted (or listed)."""
    out = [style(f"checker diff: {result.base_label} → {result.head_label}", "bold") + "  " + summary(result)]
    marks = {"appeared": style("+", "green"), "disappeared": style("-", "red"), "status": style("~", "yellow"),
             "deadline": style("~", "cyan"), "blocked": style("~", "magenta")}
    for provision, changes in result.by_provision().items():
        flips = [c for c in changes if c.flip]
        moves = [c for c in changes if not c.flip]
        listed = changes if all_changes else flips
        out.append("")
        out.append(style(visible(provision), "bold") + style(f"  ({_plural(len(flips), 'flip')}, "
                                                    f"{_plural(len(moves), 'deadline')} moved)", "dim"))
        if listed:
            width = max(len(visible(c.obligation)) for c in listed)
            current = None
            for c in listed:
                if c.file != current:
                    out.append("  " + style(visible(c.file), "dim"))
                    current = c.file
                out.append(f"    {marks[c.kind]} {visible(c.obligation).ljust(width)}  {c.kind:<11} "
                           f"{visible(c.before or '(none)')} → {visible(c.after or '(none)')}")
        if moves and not all_changes:
            out.append("  " + style(_moves_note(moves) + " (--all lists them)", "dim"))
    for file, side, problems in result.incomparable:
        out.append("")
        out.append(style(f"{visible(file)}: not checked under {side}", "yellow"))
        out.extend("  " + visible(p) for p in problems)
    return "\n".join(out)


def explanation_text(file: str, entries: list[dict], style: Style) -> str:
    """`checker explain`: each tree, under the world it holds in where there is one."""
    if not entries:
        return f"{visible(file)}: nothing to explain (no breached or late duty; name an id, or use --all)"
    return "\n\n".join((style(visible(f"{e['obligation']} is {e['status']} in the world where: {e['world']}"), "bold")
                        + "\n" if "world" in e else "") + render_tree(e["tree"], style) for e in entries)


# --- whatif, repair, sweep ---------------------------------------------------------------------

def whatif_text(file: str, result, show_all: bool, saved, style: Style) -> str:
    """The verdicts that differ (every verdict with ``show_all``), before and after the edits."""
    rows = result.all_rows() if show_all else result.differences
    out = [style(visible(file), "bold") + f" — {visible(result.before.scenario.title)}",
           style(visible(f"treaty {result.before.scenario.treaty} · what if: " + " ".join(result.edits.describe())),
                 "dim"), ""]
    if rows:
        out.extend(_table(("OBLIGATION", "BEFORE", "AFTER"), [(d.id, d.before, d.after) for d in rows]))
    else:
        out.append("  no verdict changes")
    out.append("")
    out.append(f"  {len(result.differences)} verdict(s) differ"
               + (f"; edited scenario written to {visible(saved)}" if saved else ""))
    return "\n".join(out)


def repair_text(file: str, result, all_optimal: bool, max_actions: int | None, saved) -> str:
    """The repair found (or why there is none), ready to paste under ``events:``."""
    seconds = sum(result.timings.values())
    out = [f"{file} — {result.scenario.title}", f"treaty {result.scenario.treaty}"]
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
        notes = dict(getattr(result, "refused", ()))
        for ob_id in result.targets:
            out.append(f"    {ob_id}" + (f" ({notes[ob_id]})" if ob_id in notes else ""))
        for n, r in enumerate(result.repairs, 1):
            out.append("")
            out.append(f"  repair {n} of {len(result.repairs)}: add under events:" if all_optimal
                       else "  add under events:")
            for event in r.events:
                out.extend("  " + line for line in _event_yaml(event))
        if result.verified:
            out.append("")
            out.append("  checked: with these events the selected duties are fulfilled"
                       + (" (those refused, late)" if getattr(result, "refused", ()) else "")
                       + " and no other duty is breached or late")
        if saved:
            out.append(f"  repaired scenario written to {saved}")
    if result.unrepairable:
        out.append("")
        out.append("  not repairable by adding events:")
        for ob_id, why in result.unrepairable:
            out.append(f"    {ob_id}: {why}")
    return "\n".join(visible(line) for line in out)  # no styles: each line is escaped whole


MAX_SWEEP_ROWS = 30      # rows of a sweep's table: with the headings and the legend, one screen
MAX_SWEEP_GROUPS = 6     # columns of groups in it


def sweep_text(file: str, result, summary) -> str:
    """How the verdicts depend on the varied inputs, on one screen: the duties that change in
    step share a column, the dimensions that change nothing are named once, and the points
    that give the same verdicts share a row (``summary``: checker.analysis.gridsummary)."""
    plan = result.plan
    shape = " × ".join(f"{d.name} ({len(d.values)})" for d in plan.dims)
    out = [f"{file} — {result.title}", f"sweep: {shape} = {plan.size} points; {_ran(result)}", ""]
    changing = sum(len(g) for g in summary.groups)
    if not summary.groups:
        out.append(f"  all {summary.steady} verdicts are the same at every point.")
        return "\n".join(visible(line) for line in out)  # no styles: each line is escaped whole
    groups = len(summary.groups)
    out.append(f"  {summary.steady} verdicts are the same at every point; {changing} change, "
               f"in {groups} group{'s' if groups != 1 else ''}.")
    if summary.inert:
        out.append("  changes nothing: " + ", ".join(summary.inert))
    shown = min(groups, MAX_SWEEP_GROUPS)
    header = tuple(summary.matter) + tuple(f"[{i}]" for i in range(1, shown + 1))
    rows = [tuple(values) + tuple(cells[:shown]) for values, cells in summary.rows]
    out.append("")
    out.extend(_table(header, rows[:MAX_SWEEP_ROWS]))
    if len(rows) > MAX_SWEEP_ROWS:
        out.append(f"  ... {len(rows) - MAX_SWEEP_ROWS} more rows (--format csv gives every point)")
    out.append("")
    for i, (members, depends) in enumerate(zip(summary.groups[:shown], summary.depends), 1):
        names = ", ".join(members[:4]) + (f" and {len(members) - 4} more" if len(members) > 4 else "")
        out.append(f"  [{i}] {names} (on {', '.join(depends)})")
    if groups > shown:
        out.append(f"  ... {groups - shown} more groups (--format csv gives every verdict)")
    return "\n".join(visible(line) for line in out)  # no styles: each line is escaped whole


MAX_WORLD_ROWS = 30


def worlds_text(file: str, result, shares: dict, confidence: float) -> str:
    """For each duty whose status is not the same in every world checked, the share of the
    worlds in each status, with its interval (``shares``: checker.analysis.montecarlo.shares)."""
    plan = result.plan
    if plan.mode == "all":
        what = (f"all {plan.count} possible worlds" if plan.count != 1
                else "the only possible world (no fact of the scenario is uncertain)")
        how = "exact shares" + (", each world weighed by its chance (p:)" if _weighted(plan) else "")
    else:
        what = f"{plan.count} worlds drawn (seed {plan.seed}) of {plan.possible} possible"
        how = (f"shares of the worlds drawn, {confidence:.0%} Wilson score intervals"
               + ("; worlds drawn with the chances p: gives" if _weighted(plan) else ""))
    out = [f"{file} — {result.title}", f"worlds: {what}; {_ran(result, 'worlds')}", ""]
    varying = {ob_id: row for ob_id, row in shares.items() if len(row) > 1}
    same = len(shares) - len(varying)
    out.append(f"  {same} verdicts are the same in every world; {len(varying)} are not ({how}).")
    if varying:
        from checker.analysis.montecarlo import STATUS_ORDER

        statuses = [s for s in STATUS_ORDER if any(s in row for row in varying.values())]
        rows = []
        for ob_id, row in varying.items():
            rows.append((ob_id,) + tuple(_share(row.get(s), plan.mode == "all") for s in statuses))
        out.append("")
        out.extend(_table(("OBLIGATION",) + tuple(statuses), rows[:MAX_WORLD_ROWS]))
        if len(rows) > MAX_WORLD_ROWS:
            out.append(f"  ... {len(rows) - MAX_WORLD_ROWS} more (--format csv gives every world)")
    return "\n".join(visible(line) for line in out)  # no styles: each line is escaped whole


def _weighted(plan) -> bool:
    return any(e is not None and (e.weights or e.p_occurred is not None) for e in plan.scenario.events if e.uncertain)


def _share(share, exact: bool) -> str:
    if share is None:
        return "-"
    if exact:
        return f"{share.share:.1%}"
    return f"{share.share:.1%} ({share.low:.1%}–{share.high:.1%})"


def _ran(result, unit: str = "points") -> str:
    """How a sweep ran, in a line: groundings, where, how long, how fast."""
    seconds = result.seconds
    rate = f", {result.plan.size / seconds:,.0f} {unit}/s" if seconds > 0 else ""
    groundings = result.table.groundings
    where = (f"on the cluster at {result.where}" if result.where != "local"
             else f"{result.workers} process{'es' if result.workers != 1 else ''}")
    return (f"{groundings} grounding{'s' if groundings != 1 else ''}, {where}, "
            f"{seconds:.2f} s{rate}")


def lint_text(result, style: Style) -> str:
    """`checker lint`: one line per issue, then a summary."""
    summary_ = (f"{len(result.issues)} issue(s) in {result.rule_files} rule file(s) of "
                f"{len(result.packs)} pack(s) and {result.scenarios} scenario(s)")
    return "\n".join([*(visible(f) for f in result.issues), style(summary_, "red" if result.issues else "green")])


def _score(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}%"


def mutate_text(report, style: Style, threshold: float | None = None, show: int = 200) -> str:
    """`checker mutate`: a table per rule file and per provision, the survivors (file:line:
    mutation, and the nearest scenario that reaches the rule), the equivalent mutants with
    their reasons, and the score."""
    out = []
    sample = f", a sample of {report.sample} (seed {report.seed})" if report.sample is not None else ""
    tests = sorted({t for paths in report.tests.values() for t in paths})
    out.append(style(f"Mutation check of {', '.join(report.packs)}: {report.generated} mutants{sample}; "
                     f"{report.scenarios} scenarios" + (f", unit tests {', '.join(tests)}" if tests else ""),
                     "bold"))
    header = ("", "mutants", "killed", "survived", "equiv.", "invalid", "timeout", "score")
    for title, key in (("rule file", lambda r: r.mutant.file), ("provision", lambda r: r.mutant.provision)):
        rows = []
        for name, results in report.groups(key):
            c = report.counts(results)
            rows.append((name, str(len(results)), str(c["killed"]), str(c["survived"]), str(c["equivalent"]),
                         str(c["invalid"]), str(c["timeout"]), _score(report.score_of(c))))
        out.append("")
        out.extend(_table((title,) + header[1:], sorted(rows)))
    survivors = [r for r in report.results if r.status == "survived"]
    if survivors:
        out.append("")
        out.append(style(f"Survived ({len(survivors)}): no expectation or test notices these changes", "bold"))
        for r in sorted(survivors, key=lambda r: (r.mutant.file, r.mutant.line, r.mutant.id))[:show]:
            near = f"nearest scenario: {r.nearest}" if r.nearest else "no scenario reaches this rule"
            out.append(f"  {r.mutant.file}:{r.mutant.line}: {r.mutant.mutation}  " + style(f"({near})", "dim"))
        if len(survivors) > show:
            out.append(f"  ... and {len(survivors) - show} more (--format json lists them all)")
    timeouts = [r for r in report.results if r.status == "timeout"]
    for r in timeouts:
        out.append(f"  timeout  {r.mutant.file}:{r.mutant.line}: {r.mutant.mutation}  ({r.by}: {r.detail})")
    equivalent = [r for r in report.results if r.status == "equivalent"]
    if equivalent:
        out.append("")
        out.append(style(f"Equivalent ({len(equivalent)}): no verdict can change, as the rules' comments "
                         "say or as their program shows:", "bold"))
        reasons: dict[tuple, list] = {}
        for r in equivalent:
            reasons.setdefault((r.mutant.file, r.mutant.rule_line, r.reason), []).append(r)
        for (file, line, reason), results in sorted(reasons.items()):
            out.append(f"  {file}:{line}: {len(results)} mutant{'s' if len(results) != 1 else ''}: {visible(reason)}")
    for m in report.unused_marks:
        out.append(style(f"  unused mark  {m.file}:{m.line}: excuses no surviving mutant "
                         f"({m.selector or 'any mutant of the rule'})", "yellow"))
    c = report.counts()
    rate = len(report.results) / report.seconds if report.seconds else 0.0
    line = (f"Mutation score: {_score(report.score)} ({c['killed']} killed of {c['killed'] + c['survived']}; "
            f"{c['equivalent']} equivalent, {c['invalid']} invalid, {c['timeout']} timeout not counted)")
    if threshold is not None and report.score is not None:
        ok = report.score >= threshold
        line += style(f"  {'meets' if ok else 'BELOW'} the threshold of {threshold:g}%", "green" if ok else "red")
    out.append("")
    out.append(style(line, "bold"))
    out.append(style(f"{len(report.results)} mutants in {report.seconds:.1f} s on {report.jobs} "
                     f"core(s), {rate:.1f} mutants/s", "dim"))
    return "\n".join(out)
