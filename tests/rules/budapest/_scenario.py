"""Small in-memory scenarios under `budapest-1994`: bound from the day of signature, as the
pack says (no `in_force_from`), dated from tests.helpers.BASE."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from checker.model import Verdicts
from tests.helpers import d, ev, run

PACK = "budapest-1994"
ASSURERS = ("russia", "uk", "usa")
SIGNATORIES = ("ukraine",) + ASSURERS


def check(tmp_path: Path, events: Iterable[dict] = (), **top: Any) -> Verdicts:
    """Verdicts of a budapest-1994 scenario of ``events`` (as of d(30) unless told)."""
    top.setdefault("as_of", d(30))
    top.setdefault("in_force_from", None)
    return run(tmp_path, events, treaty=PACK, **top)


def request(id, date, by="ukraine"):
    return ev(id, date, "consultation_request", by=by)


def consultation(id, date, parties, about=None):
    return ev(id, date, "consultation", parties=list(parties), **({"about": about} if about else {}))


def refusal(id, date, by, about):
    return ev(id, date, "refusal", by=by, means="consultation", about=about)


def seek(id, date, by, about=None):
    return ev(id, date, "unsc_action_sought", by=by, **({"about": about} if about else {}))
