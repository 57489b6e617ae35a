"""The draft of 15 April 2022 changes only what it restates.

`istanbul-2022-04-15` extends `istanbul-2022`. Every scenario of the parent's corpus is
checked under both packs, under the version with the parent's guarantors (the eleven of the
March text, where the scenario does not list its own: the version's five would otherwise
take duties away from six states in every file, which is a change of data, not of rules).
Every verdict of every provision the version does not restate (its manifest's own
`provisions:`) must be the parent's, to the day and the event: the duty's status, when it
fired, its deadline, what met, breached or discharged it, and what kept it from firing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from checker.engine.check import check_scenario
from checker.io.pack import load_pack
from checker.io.scenario import load_document, read_document
from checker.maintain.testing import retargeted
from tests.helpers import ROOT, RULES

PARENT, VERSION = "istanbul-2022", "istanbul-2022-04-15"
CORPUS = sorted((ROOT / "facts" / PARENT).glob("*.yaml"))


def _as_version(path: Path):
    """The scenario at ``path``, naming the version, with the parent's guarantors."""
    parent, version = load_pack(PARENT, RULES), load_pack(VERSION, RULES)
    doc = retargeted(read_document(path), PARENT, VERSION)
    given = dict(doc.get("parties") or {})
    if "guarantors" not in given:
        given["guarantors"] = list(parent.lists["guarantors"])
        if "others" not in given:  # the version's others, less the guarantors just listed
            given["others"] = [n for n in version.lists["others"] if n not in given["guarantors"]]
    doc["parties"] = given
    return doc


def _verdicts(verdicts, provisions) -> dict[str, object]:
    """Every verdict of ``provisions``, by obligation id, whole."""
    out: dict[str, object] = {o.id: dataclasses.astuple(o) for o in verdicts.obligations if o.provision in provisions}
    out.update((n.id, ("not fired",) + dataclasses.astuple(n)) for n in verdicts.not_fired if n.provision in provisions)
    return out


def _both(path: Path):
    scenario, pack = load_document(path, read_document(path), rules_root=RULES)
    before = check_scenario(scenario, pack)
    scenario, version = load_document(path, _as_version(path), rules_root=RULES)
    assert version.name == VERSION and version.parent == PARENT
    return before, check_scenario(scenario, version), version


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_a_provision_the_draft_does_not_restate_keeps_every_verdict(path: Path):
    before, after, version = _both(path)
    untouched = set(version.provisions) - version.own_provisions
    assert _verdicts(after, untouched) == _verdicts(before, untouched)


def test_the_comparison_sees_what_the_draft_changes():
    """The check above is not vacuous: over the corpus it compares many verdicts, and the
    provisions the draft restates do change (the joint decision keeps duties from firing)."""
    compared = changed = 0
    for path in CORPUS:
        before, after, version = _both(path)
        compared += len(_verdicts(before, set(version.provisions) - version.own_provisions))
        changed += _verdicts(before, version.own_provisions) != _verdicts(after, version.own_provisions)
    assert compared > 300
    assert changed >= 5


def test_the_draft_restates_the_assistance_and_adds_its_conditions():
    version, parent = load_pack(VERSION, RULES), load_pack(PARENT, RULES)
    assert version.own_provisions & set(parent.provisions) == {
        "art4.assist", "art4.assist.armaments", "art4.assist.airspace_closure", "art4.assist.armed_force"}
    assert {"art4.joint_decision", "art4.no_fly_zone"} <= version.own_provisions - set(parent.provisions)
    assert version.lists["guarantors"] == ("uk", "china", "russia", "usa", "france")
    assert [p.name for p in version.rule_files if p.parent.name == VERSION] == ["art4_assist.lp", "art4_joint_decision.lp"]
