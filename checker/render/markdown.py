"""Markdown, for pull-request comments and READMEs: the semantic diff and the coverage table."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.maintain.coverage import CoverageReport
    from checker.maintain.semdiff import DiffResult

from checker.render.text import _moves_note, _plural, summary


def coverage_markdown(report: CoverageReport) -> str:
    """The status table as markdown (for a README or a pull-request comment)."""
    hit, total = report.status_cells
    lines = [f"Status coverage: {hit}/{total} reachable outcomes ({report.status_percent:.1f}%)"
             + (f"; rule coverage: {report.rule_percent:.1f}%" if report.rules is not None else ""), "",
             "| provision | kind | reached | not reached |", "|---|---|---|---|"]
    for p in report.provisions:
        got = ", ".join(o for o in p.reachable if p.reached.get(o)) or "—"
        lines.append(f"| `{p.id}` | {p.kind} | {got} | {', '.join(p.missing) or '—'} |")
    return "\n".join(lines)


def _md(text: str | None) -> str:
    return "—" if text is None else text.replace("|", "\\|")


def diff_markdown(result: DiffResult) -> str:
    """A pull-request comment: a summary line, a table of flips per provision, moves folded."""
    out = ["### Verdicts changed by this rule change", "",
           f"`{result.base_label}` → `{result.head_label}`: {summary(result)}."]
    if not result.changed:
        out += ["", "No verdict of the scenario corpus changes."]
    for provision, changes in result.by_provision().items():
        flips = [c for c in changes if c.flip]
        moves = [c for c in changes if not c.flip]
        out += ["", f"#### `{provision}`: {_plural(len(flips), 'flip')}, {_plural(len(moves), 'deadline')} moved"]
        if flips:
            out += ["", "| scenario | obligation | change | before | after |", "|---|---|---|---|---|"]
            out += [f"| `{c.file}` | `{c.obligation}` | {c.kind} | {_md(c.before)} | **{_md(c.after)}** |"
                    for c in flips]
        if moves:
            out += ["", f"<details><summary>{_moves_note(moves)}</summary>", "",
                    "| scenario | obligation | before | after |", "|---|---|---|---|"]
            out += [f"| `{c.file}` | `{c.obligation}` | {_md(c.before)} | {_md(c.after)} |" for c in moves]
            out += ["", "</details>"]
    for file, side, problems in result.incomparable:
        out += ["", f"`{file}` could not be checked under {side}:", "", "```"] + list(problems) + ["```"]
    return "\n".join(out)
