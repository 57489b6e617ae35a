"""What a repair finds: the events to add (``Repair``) and the outcome of the search (``RepairResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.model import Scenario, Verdicts


@dataclass(frozen=True)
class Repair:
    """One optimal set of events to add, in scenario-file shape (id, date, type, fields)."""

    events: tuple[dict, ...]


@dataclass
class RepairResult:
    """What a repair of a scenario found: the duties selected, the repairs (one, or every
    optimal one), whether they are proven optimal and whether the check accepted them."""

    scenario: Scenario
    before: Verdicts
    targets: tuple[str, ...]                   # the duties selected for repair
    unrepairable: tuple[tuple[str, str], ...]  # (duty, why it cannot be repaired by adding)
    # (duty, what the best repair is) for a target that was refused: met afterwards, it is late
    refused: tuple[tuple[str, str], ...] = ()
    repairs: list[Repair] = field(default_factory=list)
    optimal: bool = False
    verified: bool | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.repairs) or not self.targets
