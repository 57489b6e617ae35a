"""Comparing a scenario's ``expect:`` block with the verdicts the rules gave."""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import Expectation, Verdicts


@dataclass(frozen=True)
class Outcome:
    """One expectation, and whether it held; ``actual`` says what the checker found instead."""

    expectation: Expectation
    passed: bool
    expected: str
    actual: str

    @property
    def name(self) -> str:
        return self.expectation.name


def _describe_actual(verdicts: Verdicts, ob_id: str) -> str:
    o = verdicts.obligation(ob_id)
    if o is not None:
        if o.certainty != "certain":
            return f"{'|'.join(o.statuses)} (possible)"
        return f"{o.status} ({o.certainty})"
    blocked = next((n for n in verdicts.not_fired if n.id == ob_id), None)
    if blocked is not None:
        return f"not fired, blocked by {', '.join(blocked.blocked_by)}"
    return "no such obligation (it neither fired nor was blocked)"


def evaluate(verdicts: Verdicts) -> list[Outcome]:
    """Every expectation of the scenario, with its outcome, in file order."""
    outcomes = []
    for e in verdicts.scenario.expectations:
        actual = _describe_actual(verdicts, e.obligation)
        if e.not_fired:
            blocked = next((n for n in verdicts.not_fired if n.id == e.obligation), None)
            passed = blocked is not None and (e.reason is None or e.reason in blocked.blocked_by)
            expected = "not fired" + (f", blocked by {e.reason}" if e.reason else "")
        else:
            o = verdicts.obligation(e.obligation)
            if o is None:
                passed = False
            elif e.certainty == "possible":  # the status is one of those some world gives
                passed = o.certainty == "possible" and e.status in o.statuses
            else:
                passed = o.status == e.status and (e.certainty is None or o.certainty == e.certainty)
            expected = e.status + (f" ({e.certainty})" if e.certainty else "")
        outcomes.append(Outcome(e, passed, expected, actual))
    return outcomes
