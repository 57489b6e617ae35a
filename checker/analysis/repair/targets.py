"""Which duties a repair is asked to meet: the breached or late ones selected, and why any
selected cannot be repaired by adding events."""

from __future__ import annotations

from typing import Mapping, Sequence

from checker.analysis.repair.declaration import RepairSpec
from checker.errors import UsageError, did_you_mean
from checker.model import BREACH_STATUSES, Verdicts, iso


def select_targets(verdicts: Verdicts, specs: Mapping[str, RepairSpec], only: Sequence[str] = (),
                   holder: str | None = None):
    """(duties to repair, (duty, reason) for the selected ones that cannot be repaired)."""
    breached = [o for o in verdicts.obligations if o.status in BREACH_STATUSES]
    known = {o.id for o in verdicts.obligations} | {n.id for n in verdicts.not_fired}
    for ob_id in only:
        if ob_id not in known:
            raise UsageError(f"--only: {ob_id!r} is not an obligation of {verdicts.scenario.path}"
                             f"{did_you_mean(ob_id, known)}")
    chosen = [o for o in breached if (not only or o.id in only) and (holder is None or o.holder == holder)]
    targets, unrepairable = [], []
    for o in chosen:
        if o.kind != "achievement":
            unrepairable.append((o.id, f"a {o.kind} duty: adding events cannot undo a violation"))
        elif o.provision not in specs:
            unrepairable.append((o.id, "the pack declares no action that meets it (repairs:)"))
        elif refused_on(o) is not None and o.status == "late":
            unrepairable.append((o.id, f"{late_at_best(o)}, and {o.met_by} met it"))
        else:
            targets.append(o)
    for ob_id in only:
        o = verdicts.obligation(ob_id)
        if o is None or o.status not in BREACH_STATUSES:
            unrepairable.append((ob_id, "not breached or late: nothing to repair"
                                 if o is not None else "did not fire"))
    return targets, unrepairable


def refused_on(o) -> int | None:
    """The day an achievement duty was refused, when a refusal breached it (only a refusal
    names what breached an achievement duty); None otherwise."""
    return o.breached_on if o.kind == "achievement" and o.breached_by is not None else None


def late_at_best(o) -> str:
    """Why a refused duty can at best be met late, in words."""
    return f"refused on {iso(o.breached_on)} by {o.breached_by}: the best a repair can do is meet it late"
