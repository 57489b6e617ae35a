"""`checker explain`: the derivation of verdicts, as a tree (text) or nested nodes (JSON)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from checker.cli.app import (
    AS_OF_OPTION,
    ONE_TREATY_OPTION,
    PARAM_OPTION,
    READING_OPTION,
    RULES_OPTION,
    TIMEOUT_OPTION,
    UNCERTAIN_DAYS_OPTION,
    Format,
    app,
    as_path,
    exit_for,
    fail,
    parse_assignments,
    require_file,
)
from checker.errors import CheckerError


@app.command()
def explain(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", parser=as_path,
                                    help="One scenario file (explanations are per scenario: not a folder)."),
    obligations: Optional[List[str]] = typer.Argument(None, metavar="[OBLIGATION_ID]...",
                                                       help="Ids to explain, as the report gives them: PROVISION/HOLDER/TRIGGER "
                                                            "(default: every breached and late duty)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (a tree) or json (nested nodes)."),
    depth: int = typer.Option(8, "--depth", min=1, max=50, metavar="N", help="How many levels of the derivation to follow."),
    everything: bool = typer.Option(False, "--all", help="Explain every breached, late, discharged, pending "
                                    "and not-fired duty."),
    all_candidates: bool = typer.Option(False, "--all-candidates",
                                        help="List every candidate that came close to what is absent "
                                             "(default: the closest five, and how many more there are)."),
    witness: bool = typer.Option(False, "--witness", help="For a scenario with uncertain facts: for every "
                                 "status each duty can take, one world in which it holds (the values "
                                 "chosen), and the derivation in that world (default: every uncertain duty)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    treaty: Optional[str] = ONE_TREATY_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
    max_uncertain_days: Optional[int] = UNCERTAIN_DAYS_OPTION,
) -> None:
    """Explain why a verdict holds, from the treaty text down to the lines of the scenario.

    Every node says why it holds: a fact (the event, with FILE:LINE), a rule (the rule's
    FILE:LINE, the provision and its text), or an absence (what was looked for, and every
    candidate that came close with the reason it did not count). Not-fired ids are
    explained too ("why did this not fire?").

    Exit codes: 0 nothing in the scenario is breached, 1 something is breached or late,
    2 the file was rejected, an id is unknown, or the options make no sense.

    Example: checker explain SCENARIO.yaml PROVISION/HOLDER/TRIGGER --format json
    (a history of several treaties: checker explain HISTORY.yaml --treaty PACK ID)
    """
    from checker.analysis.derivations import explain_verdicts, explain_witnesses
    from checker.engine.check import check_file_then

    def explained(verdicts, pack, control) -> list[dict]:
        if witness:
            return explain_witnesses(verdicts, pack, obligations or None, depth, all_candidates)
        return explain_verdicts(verdicts, pack, obligations or None, depth, everything, control, all_candidates)

    try:
        require_file(scenario)
        verdicts, _pack, entries = check_file_then(
            scenario, explained, rules_root=rules, as_of=as_of,
            readings=parse_assignments(reading, "--reading", numeric=False),
            parameters=parse_assignments(param, "--param", numeric=True), timeout=timeout,
            max_uncertain_days=max_uncertain_days, treaty=treaty)
    except CheckerError as exc:
        fail(exc)
    if fmt is Format.json:
        from checker.render.json import dumps, explanation_document

        print(dumps(explanation_document(str(scenario), entries)))
    else:
        from checker.render.style import Style, use_colour
        from checker.render.text import explanation_text

        print(explanation_text(str(scenario), entries, Style(use_colour(sys.stdout))))
    exit_for(verdicts.breached)
