"""The verdicts of istanbul-2022 do not move when the shared lifecycle and the manifests grow.

tests/data/istanbul-verdicts.json holds, for every scenario bundled in facts/istanbul-2022,
the JSON report (every field of every obligation and not-fired duty, and the summary) under
every combination of the pack's readings (combinations with equal reports share one entry),
and the `check --all-readings --format json` document. It was written once, by
``python -m tests.test_shapes_istanbul --write``, on the commit before the shared lifecycle
learnt duties without a deadline, breach by refusal, unset parameters, dated membership and
region attributes, and before istanbul-2022's lists moved from its rule files into its
manifest. Those changes add shapes other treaties need; none of them may change a verdict
of this pack. The file must not be regenerated to make this test pass: a difference is a
regression (or, for a deliberate change of the reading, a change the pack's README and its
scenarios' `expect:` blocks say first).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
REFERENCE = ROOT / "tests" / "data" / "istanbul-verdicts.json"


def verdicts_of(path: Path) -> dict:
    """The verdicts of one scenario file: its --all-readings document, and its report under
    each combination of readings; combinations with the same report share one entry
    (``readings`` lists them, each as `name=choice,...`)."""
    from checker.analysis.worlds import all_readings
    from checker.render.json import readings_json, scenario_json

    grid = all_readings(Path(str(path.relative_to(ROOT))))
    reports: list[dict] = []
    for combo, verdicts in zip(grid.combos, grid.verdicts):
        report = scenario_json(verdicts)
        assert report["readings"] == combo
        kept = {k: report[k] for k in ("as_of", "parameters", "ignored_events", "summary",
                                      "obligations", "not_fired")}
        key = ",".join(f"{k}={v}" for k, v in combo.items())
        same = next((r for r in reports if r["report"] == kept), None)
        if same is None:
            reports.append({"readings": [key], "report": kept})
        else:
            same["readings"].append(key)
    return {"all_readings": readings_json(grid), "reports": reports}


def _reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def _names() -> list[str]:
    return sorted(_reference()) if REFERENCE.is_file() else []


def test_the_reference_covers_the_bundled_scenarios():
    names = _names()
    assert len(names) >= 20
    for name in names:
        assert (FACTS / name).is_file(), f"{name} was bundled when the reference was made"


@pytest.mark.parametrize("name", _names())
def test_istanbul_verdicts_are_those_before_the_new_shapes(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    expected = _reference()[name]
    actual = verdicts_of(FACTS / name)
    got = {combo: r["report"] for r in actual["reports"] for combo in r["readings"]}
    want = {combo: r["report"] for r in expected["reports"] for combo in r["readings"]}
    assert sorted(got) == sorted(want)
    for combo, report in want.items():
        for key, value in report.items():
            assert got[combo][key] == value, f"{name} under {combo}: {key} moved"
    assert actual["all_readings"] == expected["all_readings"]


def _write() -> None:
    import os

    os.chdir(ROOT)
    data = {p.name: verdicts_of(p) for p in sorted(FACTS.glob("*.yaml"))}
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    tmp = REFERENCE.with_suffix(".tmp")
    # one scenario a line: the file is read by this test, not by people
    lines = [f"{json.dumps(name)}: {json.dumps(value, sort_keys=True, ensure_ascii=False)}"
             for name, value in data.items()]
    tmp.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    tmp.replace(REFERENCE)


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    _write()
