"""checker/report.py writes the JSON line of an obligation, and of a not-fired duty, by hand
(for speed): it must be the very text the JSON encoder writes, whatever the values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.engine.check import check_file
from checker.model import NotFired, Obligation
from checker.render.json import _compact, _not_fired_json, _not_fired_line, _obligation_line, obligation_json

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "facts" / "istanbul-2022").glob("*.yaml"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_obligation_is_written_as_the_encoder_writes_it(scenario):
    verdicts, _ = check_file(scenario)
    for o in verdicts.obligations:
        assert _obligation_line(o) == _compact(obligation_json(o))
    for n in verdicts.not_fired:
        for uncertain in (False, True):
            assert _not_fired_line(n, uncertain) == _compact(_not_fired_json(n, uncertain))


ODD = ['a "quoted" id', "back\\slash", "new\nline\ttab", "ünïcödé ✓ 中文", "\x01\x1f control", "", "\u2028"]


@pytest.mark.parametrize("text", ODD)
def test_odd_strings_and_missing_values_are_written_as_the_encoder_writes_them(text):
    for o in (
        Obligation(id=text, provision=text, kind="achievement", holder=text, trigger=text, fired_on=1,
                   deadline=3652059 + 40, status="late", met_by=text, breached_on=3652059 + 41,
                   breached_by=text, discharged_by=text, discharged_on=2),
        Obligation(id=text, provision="p", kind="maintenance", holder="h", trigger=None, fired_on=738000,
                   deadline=None, status="breached", certainty="possible",
                   possible_statuses=("breached", text, "not_fired")),
    ):
        line = _obligation_line(o)
        assert line == _compact(obligation_json(o))
        assert json.loads(line) == obligation_json(o)


@pytest.mark.parametrize("text", ODD)
def test_odd_not_fired_duties_are_written_as_the_encoder_writes_them(text):
    for n in (NotFired(id=text, provision=text, holder=text, trigger=text, blocked_by=(text, "b")),
              NotFired(id="x", provision="p", holder="h", trigger=None, blocked_by=(), certainty="possible")):
        for uncertain in (False, True):
            assert _not_fired_line(n, uncertain) == _compact(_not_fired_json(n, uncertain))


def test_a_long_list_is_written_in_pieces_one_item_a_line():
    # over a thousand duties: the lists are written in pieces of a thousand lines
    from dataclasses import replace

    from checker.render.json import iter_json, render_json, scenario_json

    verdicts, _ = check_file(ROOT / "facts" / "istanbul-2022" / "unsc-discharge.yaml")
    many = tuple(replace(o, id=f"{o.id}/{i}") for i in range(130) for o in verdicts.obligations)
    assert len(many) > 2000
    long = replace(verdicts, obligations=many, not_fired=verdicts.not_fired * 0)
    text = render_json([long])
    assert json.loads(text)["scenarios"][0] == json.loads(json.dumps(scenario_json(long)))
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith('{"id": ')) == len(many)
    assert max(len(piece) for piece in iter_json([long])) < len(text) / 2
    assert '"not_fired": []' in text
