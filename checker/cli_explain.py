"""`checker explain`: the derivation of verdicts, as a tree (text) or nested nodes (JSON)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .cli import (AS_OF_OPTION, EXIT_BREACH, EXIT_ERROR, EXIT_OK, PARAM_OPTION, READING_OPTION,
                  RULES_OPTION, TIMEOUT_OPTION, Format, _err, _use_colour, app, parse_assignments)
from .errors import CheckerError

EXPLAINED_BY_DEFAULT = ("breached", "late")


def explain_witnesses(verdicts, pack, ids: list[str] | None, depth: int) -> list[dict]:
    """For each possible verdict of each (uncertain) duty: a witness world, and the
    derivation of the verdict in that world."""
    from .decode import OUTPUTS, decode
    from .engine import solve
    from .explain import Explainer
    from .model import NOT_FIRED
    from .worlds import WorldFinder, concrete, describe_world

    scenario = verdicts.scenario
    wanted = ids or [o.id for o in verdicts.obligations if o.certainty != "certain"]
    finder = WorldFinder(scenario, pack) if scenario.uncertain else None
    out = []
    for ob_id in wanted:
        o = verdicts.obligation(ob_id)
        statuses = o.statuses if o is not None else (NOT_FIRED,)
        for status in statuses:
            world = finder.witness(ob_id, status) if finder else {}
            if world is None:
                continue
            fixed = concrete(scenario, world) if finder else scenario
            solution = solve(fixed, pack, read=OUTPUTS, keep_control=True)
            in_world = decode(solution.symbols, fixed, pack)
            known = {x.id for x in in_world.obligations} | {x.id for x in in_world.not_fired}
            tree = (Explainer(in_world, pack, depth=depth, control=solution.control).explain(ob_id).to_json()
                    if ob_id in known else
                    {"claim": f"{ob_id} does not arise in this world", "because": "absence",
                     "considered": [], "note": "nothing would set it off"})
            out.append({"obligation": ob_id, "status": status, "witness": world,
                        "world": describe_world(world), "tree": tree})
    return out


def explain_verdicts(verdicts, pack, ids: list[str] | None, depth: int, everything: bool = False,
                     control=None) -> list[dict]:
    """Explanation entries for the given ids (default: breached and late duties)."""
    from .explain import FORMAT as _FORMAT  # noqa: F401  (imports clingo lazily)
    from .explain import Explainer

    if getattr(verdicts.scenario, "uncertain", False):
        from .errors import UsageError

        raise UsageError(f"{verdicts.scenario.path}: has uncertain facts, and a derivation holds in one "
                         "world: use --witness (a world for each possible verdict, and its derivation)")
    if ids:
        known = {o.id for o in verdicts.obligations} | {n.id for n in verdicts.not_fired}
        unknown = [i for i in ids if i not in known]
        if unknown:
            from .errors import UsageError, did_you_mean

            raise UsageError(f"{verdicts.scenario.path}: no obligation {unknown[0]!r} fired or was blocked"
                             f"{did_you_mean(unknown[0], known)}")
        wanted = list(ids)
    else:
        statuses = ("breached", "late", "discharged", "pending") if everything else EXPLAINED_BY_DEFAULT
        wanted = [o.id for o in verdicts.obligations if o.status in statuses]
        if everything:
            wanted += [n.id for n in verdicts.not_fired]
    if not wanted:
        return []
    trees = Explainer(verdicts, pack, depth=depth, control=control).explain_many(wanted)
    out = []
    for ob_id in wanted:
        o = verdicts.obligation(ob_id)
        status = o.status if o is not None else "not_fired"
        out.append({"obligation": ob_id, "status": status, "tree": trees[ob_id].to_json()})
    return out


@app.command()
def explain(
    scenario: Path = typer.Argument(..., metavar="SCENARIO", help="One scenario file."),
    obligations: Optional[List[str]] = typer.Argument(None, metavar="[OBLIGATION_ID]...",
                                                       help="Ids to explain, as the report gives them: PROVISION/HOLDER/TRIGGER "
                                                            "(default: every breached and late duty)."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (a tree) or json (nested nodes)."),
    depth: int = typer.Option(8, "--depth", min=1, max=50, help="How many levels of the derivation to follow."),
    everything: bool = typer.Option(False, "--all", help="Explain every breached, late, discharged, pending "
                                    "and not-fired duty."),
    witness: bool = typer.Option(False, "--witness", help="For a scenario with uncertain facts: for every "
                                 "status each duty can take, one world in which it holds (the values "
                                 "chosen), and the derivation in that world (default: every uncertain duty)."),
    as_of: Optional[str] = AS_OF_OPTION,
    reading: List[str] = READING_OPTION,
    param: List[str] = PARAM_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    timeout: Optional[float] = TIMEOUT_OPTION,
) -> None:
    """Explain why a verdict holds, from the treaty text down to the lines of the scenario.

    Every node says why it holds: a fact (the event, with FILE:LINE), a rule (the rule's
    FILE:LINE, the provision and its text), or an absence (what was looked for, and every
    candidate that came close with the reason it did not count). Not-fired ids are
    explained too ("why did this not fire?").

    Example: checker explain SCENARIO.yaml PROVISION/HOLDER/TRIGGER --format json
    """
    from .check import check_file_keeping_control
    from .explain import FORMAT, render_tree
    from .report import Style

    try:
        verdicts, pack, control = check_file_keeping_control(
            scenario, rules_root=rules, as_of=as_of,
            readings=parse_assignments(reading, "--reading", numeric=False),
            parameters=parse_assignments(param, "--param", numeric=True), timeout=timeout)
        if witness:
            entries = explain_witnesses(verdicts, pack, obligations or None, depth)
        else:
            entries = explain_verdicts(verdicts, pack, obligations or None, depth, everything, control)
    except CheckerError as exc:
        for line in exc.lines():
            _err(line)
        raise typer.Exit(EXIT_ERROR)
    if fmt is Format.json:
        print(json.dumps({"format": FORMAT, "file": str(scenario), "explanations": entries},
                         indent=2, ensure_ascii=False))
    else:
        style = Style(_use_colour(sys.stdout))
        if not entries:
            print(f"{scenario}: nothing to explain (no breached or late duty; name an id, or use --all)")
        print("\n\n".join((style(f"{e['obligation']} is {e['status']} in the world where: {e['world']}",
                                   "bold") + "\n" if "world" in e else "") + render_tree(e["tree"], style)
                           for e in entries))
    raise typer.Exit(EXIT_BREACH if verdicts.breached else EXIT_OK)
