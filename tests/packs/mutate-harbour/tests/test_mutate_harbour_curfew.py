"""The harbour pack's curfew rule (rules/harbour/curfew.lp), one limb per test.

`checker mutate` runs this file against each mutant of curfew.lp that the pack's scenarios
leave alive, with CHECKER_TEST_RULES naming the mutated rules folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from checker.engine.check import check_file

RULES = Path(os.environ.get("CHECKER_TEST_RULES") or Path(__file__).resolve().parents[1] / "rules")


def status(tmp_path: Path, events: list[dict], captain: str, **top) -> str:
    doc = {"scenario": "t", "treaty": "harbour", "as_of": "2030-01-31", **top, "events": events}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    verdicts, _ = check_file(path, rules_root=RULES)
    return verdicts.obligation(f"p1.curfew/{captain}").status


def ev(id: str, date: str, type: str, **fields) -> dict:
    return {"id": id, "date": date, "type": type, **fields}


def test_a_lifting_on_the_day_of_the_sailing_comes_in_time(tmp_path):
    events = [ev("c", "2030-01-01", "curfew"), ev("l", "2030-01-04", "lifting"),
              ev("s", "2030-01-04", "sailing", by="ahab")]
    assert status(tmp_path, events, "ahab") == "complied"


def test_more_grace_days_let_the_second_day_pass(tmp_path):
    events = [ev("c", "2030-01-01", "curfew"), ev("s", "2030-01-02", "sailing", by="ahab")]
    assert status(tmp_path, events, "ahab", parameters={"grace_days": 2}) == "complied"
