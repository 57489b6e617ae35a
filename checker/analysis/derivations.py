"""The explanations a command asks for: which duties to explain, and, for a scenario with
uncertain facts, the world in which each possible verdict holds."""

from __future__ import annotations

from checker.errors import UsageError, did_you_mean
from checker.model import NOT_FIRED

EXPLAINED_BY_DEFAULT = ("breached", "late")


def explain_witnesses(verdicts, pack, ids: list[str] | None, depth: int, all_candidates: bool = False) -> list[dict]:
    """For each possible verdict of each (uncertain) duty: a witness world, and the
    derivation of the verdict in that world (``all_candidates``: every near miss listed)."""
    from checker.analysis.explain import Explainer
    from checker.analysis.worlds import WorldFinder, concrete, describe_world
    from checker.engine.decode import decode
    from checker.engine.solve import solve

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
            solution = solve(fixed, pack, keep_control=True)
            in_world = decode(solution.shown, fixed, pack)
            known = {x.id for x in in_world.obligations} | {x.id for x in in_world.not_fired}
            tree = (Explainer(in_world, pack, depth=depth, control=solution.control,
                              all_candidates=all_candidates).explain(ob_id).to_json()
                    if ob_id in known else
                    {"claim": f"{ob_id} does not arise in this world", "because": "absence",
                     "considered": [], "note": "nothing would set it off"})
            out.append({"obligation": ob_id, "status": status, "witness": world,
                        "world": describe_world(world), "tree": tree})
    return out


def explain_verdicts(verdicts, pack, ids: list[str] | None, depth: int, everything: bool = False,
                     control=None, all_candidates: bool = False) -> list[dict]:
    """Explanation entries for the given ids (default: breached and late duties);
    ``all_candidates`` lists every near miss of an absence, not the closest few."""
    from checker.analysis.explain import Explainer

    if getattr(verdicts.scenario, "uncertain", False):
        raise UsageError(f"{verdicts.scenario.path}: has uncertain facts, and a derivation holds in one "
                         "world: use --witness (a world for each possible verdict, and its derivation)")
    if ids:
        known = {o.id for o in verdicts.obligations} | {n.id for n in verdicts.not_fired}
        unknown = [i for i in ids if i not in known]
        if unknown:
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
    trees = Explainer(verdicts, pack, depth=depth, control=control,
                      all_candidates=all_candidates).explain_many(wanted)
    out = []
    for ob_id in wanted:
        o = verdicts.obligation(ob_id)
        status = o.status if o is not None else "not_fired"
        out.append({"obligation": ob_id, "status": status, "tree": trees[ob_id].to_json()})
    return out
