"""Small in-memory scenarios for the tests: build YAML, check it, look verdicts up.

    v = run(tmp_path, [attack("a", d(0)), consult("c", d(3), ["uk"], about="a")])
    assert status(v, "art4.consult/uk/a") == "fulfilled"

Dates are written as ``d(n)``: ``n`` days after BASE (2027-03-01). Unless told otherwise a
scenario is binding on every listed party from IN_FORCE (``in_force_from``), well before BASE,
so that a test is about one provision and nothing else.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path
from typing import Any, Iterable

import yaml

from checker.engine.check import check_file
from checker.model import Obligation, Verdicts

ROOT = Path(__file__).resolve().parent.parent
# `checker mutate` runs these tests against a mutated copy of the rules folder (docs/mutation.md)
RULES = Path(os.environ.get("CHECKER_TEST_RULES") or ROOT / "rules")
PACK = "istanbul-2022"
BASE = dt.date(2027, 3, 1)
IN_FORCE = "2027-01-01"
GUARANTORS = ("russia", "uk", "china", "usa", "france", "turkey", "germany", "canada", "italy",
              "poland", "israel")
_counter = itertools.count()
_OMIT = object()


def d(n: int, base: dt.date = BASE) -> str:
    """The ISO date ``n`` days after ``base``."""
    return (base + dt.timedelta(days=n)).isoformat()


def ev(id: str, date: str, type: str, **fields: Any) -> dict:
    """One event, as the mapping a scenario file holds (fields in the order given)."""
    return {"id": id, "date": date, "type": type, **fields}


# --- shorthands for the event types the tests use most ----------------------------------------
def attack(id, date, by="russia", regions=("kyiv",), kind="armed_attack"):
    return ev(id, date, "attack", kind=kind, by=by, regions=list(regions))


def appeal(id, date, about=None, requests=None):
    fields = {}
    if about is not None:
        fields["about"] = about
    if requests is not None:
        fields["requests"] = list(requests)
    return ev(id, date, "appeal", **fields)


def consult(id, date, parties, about=None):
    fields = {"parties": list(parties)}
    if about is not None:
        fields["about"] = about
    return ev(id, date, "consultation", **fields)


def assist(id, date, by, means="armaments", about=None):
    fields = {"by": by, "means": means}
    if about is not None:
        fields["about"] = about
    return ev(id, date, "assistance", **fields)


def measures(id, date, about=None):
    return ev(id, date, "unsc_measures", **({"about": about} if about is not None else {}))


def report(id, date, by, about=None):
    return ev(id, date, "unsc_report", by=by, **({"about": about} if about is not None else {}))


def finding(id, date, about, result="provocation"):
    return ev(id, date, "finding", about=about, result=result)


def sign(id, date, party):
    return ev(id, date, "signature", party=party)


# --- building and checking scenarios ----------------------------------------------------------
def scenario_text(events: Iterable[dict] = (), *, in_force_from: Any = IN_FORCE, **top: Any) -> str:
    """The YAML text of a scenario; ``in_force_from=None`` leaves the key out."""
    doc: dict[str, Any] = {"scenario": top.pop("scenario", "test scenario"),
                           "treaty": top.pop("treaty", PACK)}
    if in_force_from is not None:
        doc["in_force_from"] = in_force_from
    doc.update(top)
    doc["events"] = list(events)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000)


def write(tmp_path: Path, text: str, name: str | None = None) -> Path:
    """Write ``text`` to a fresh file under ``tmp_path`` and return its path."""
    path = tmp_path / (name or f"s{next(_counter)}.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path: Path, events: Iterable[dict] = (), *, check: dict | None = None, **top: Any) -> Verdicts:
    """Check a scenario made of ``events`` and the top-level keys ``top``.

    ``check`` passes overrides to check_file (as the CLI does): as_of, readings, parameters.
    """
    path = write(tmp_path, scenario_text(events, **top))
    verdicts, _pack = check_file(path, rules_root=RULES, **(check or {}))
    return verdicts


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (which the file holds once) by ``new``; the line where it was."""
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))
    return text[:text.index(old)].count("\n") + 1


def ob(v: Verdicts, ob_id: str) -> Obligation:
    """The obligation ``ob_id``, which must have fired."""
    o = v.obligation(ob_id)
    assert o is not None, f"{ob_id} did not fire; {describe(v, ob_id)}"
    return o


def status(v: Verdicts, ob_id: str) -> str | None:
    """The status of ``ob_id``; 'not fired' when it was blocked; None when it is not listed."""
    o = v.obligation(ob_id)
    if o is not None:
        return o.status
    if any(n.id == ob_id for n in v.not_fired):
        return "not fired"
    return None


def blocked(v: Verdicts, ob_id: str) -> tuple[str, ...] | None:
    """The provisions that blocked ``ob_id`` (None when it is not in the not-fired list)."""
    return next((n.blocked_by for n in v.not_fired if n.id == ob_id), None)


def ids(v: Verdicts, prefix: str = "") -> set[str]:
    """Ids of the fired obligations starting with ``prefix``."""
    return {o.id for o in v.obligations if o.id.startswith(prefix)}


def not_fired_ids(v: Verdicts, prefix: str = "") -> set[str]:
    return {n.id for n in v.not_fired if n.id.startswith(prefix)}


def listed(v: Verdicts, ob_id: str) -> bool:
    """Whether ``ob_id`` appears at all, fired or not fired."""
    return status(v, ob_id) is not None


def describe(v: Verdicts, ob_id: str) -> str:
    b = blocked(v, ob_id)
    if b is not None:
        return f"not fired, blocked by {', '.join(b)}"
    return "not listed at all"


def iso(day: int | None) -> str | None:
    return None if day is None else dt.date.fromordinal(day).isoformat()


# --- rule files on their own ------------------------------------------------------------------
def solve_rules(files: Iterable[str], facts: Iterable = (), program: str = "") -> list:
    """The shown atoms (or every atom, when nothing is shown) of the one model of rule files
    from rules/common/ (e.g. "calendar.lp") plus ``facts`` (clingo symbols) and test ``program``."""
    import clingo

    ctl = clingo.Control(["--warn=none", "--models=0"])
    for name in files:
        ctl.load(str(RULES / "common" / name))
    if program:
        ctl.add("base", [], program)
    with ctl.backend() as backend:
        for sym in facts:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    models = []
    ctl.solve(on_model=lambda m: models.append(list(m.symbols(atoms=True))))
    assert len(models) == 1, f"{len(models)} models; the rules must give exactly one"
    return models[0]
