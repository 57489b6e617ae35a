"""Minimal repair: the fewest events to add so that selected breached or late duties are met.

The pack declares what can be added (manifest `repairs:`: per provision, the event type and
how its fields are filled) and when it counts (`repair_window/3`, in its repairs.lp). The
method, one module a step:

1. declaration.py reads the `repairs:` section; targets.py selects the duties to repair.
2. candidates.py turns the declaration into candidate actions on the days of each window.
3. probe.py probes them through the pack's own rules (as if they all happened): what each
   meets, what duties it opens (help must be reported), and whether those need an action
   of their own; rounds.py probes the candidates for the opened duties in turn.
4. reduce.py keeps only the days an optimal repair can use.
5. clingo finds an optimum with the unsatisfiable-core strategy: first over what the probes
   found (cover.py, fast), and, if that cannot settle it or its repair fails the check,
   over the pack's rules themselves (optimise.py, one optimisation per group of duties
   that share no candidate).
6. check.py checks every repair again as an ordinary scenario, and falls back to the
   pack's rules when the check fails. When one optimal repair is wanted, the last round of
   candidates is probed only if that check fails: unprobed, they count as opening nothing,
   which makes the cover a relaxation whose checked repair is optimal (method.py).
7. document.py writes a repair as events, and the scenario with them (`--save`).

rules.py builds the controls (the pack's rules, the history's facts, added symbols);
processes.py runs work in a second process when there is a second core; state.py holds a
repair under way. Terms are clingo symbols throughout.
"""

from checker.analysis.repair.check import verify_repair
from checker.analysis.repair.declaration import RepairSpec, read_repairs
from checker.analysis.repair.document import repaired_document
from checker.analysis.repair.method import repair
from checker.analysis.repair.result import Repair, RepairResult
from checker.analysis.repair.targets import late_at_best, refused_on, select_targets

__all__ = ["Repair", "RepairResult", "RepairSpec", "late_at_best", "read_repairs", "refused_on", "repair",
           "repaired_document", "select_targets", "verify_repair"]
