"""One repair under way: what it was asked, how it searches (``Tuning``), and what it knows."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.analysis.repair.candidates import Candidates
from checker.analysis.repair.processes import Helper
from checker.analysis.repair.result import RepairResult
from checker.analysis.repair.rules import Rules
from checker.model import Verdicts


@dataclass(frozen=True)
class Tuning:
    """How a repair searches. The defaults are those of `checker repair`; the others give the
    same optima, and are there to show it (tests/test_repair.py, benchmarks/repair_bench.py)."""

    max_probes: int = 4      # rounds of probes at most (the last candidates then keep every day)
    all_days: bool = False   # True: try every day of every window (see reduce.py)
    parallel: bool = True    # probe the last round in the helper process beside the optimisation
    lazy: bool = True        # ...or, for one optimal repair, only if the cover's repair fails the check
    fast: bool = True        # False: always optimise with the pack's rules (see cover.py)
    batch: int = 400         # candidates per control when independent groups are solved one by
    #                          one; a probe of twice as many is split between two processes


@dataclass
class Search:
    """A repair under way: its request, its candidates and the processes and rules it uses."""

    rules: Rules
    cands: Candidates
    helper: Helper
    tuning: Tuning
    result: RepairResult
    before: Verdicts
    doc: object               # the scenario's document as read (None: read again for each check)
    targets: list             # the selected duties' terms
    was: set                  # the duties breached or late in the history
    fired: set                # the duties that fired in the history
    refused: dict             # obligation id -> a selected duty that was refused (met, it is late)
    max_actions: int | None
    all_optimal: bool
    limit: int
    verify: bool
    timeout: float | None
    opened: set = field(default_factory=set)   # the duties candidates were made for

    @property
    def timings(self) -> dict:
        return self.result.timings
