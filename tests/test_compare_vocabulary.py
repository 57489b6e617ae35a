"""The shared vocabulary (rules/common/vocabulary.yaml) and the packs' `reads:` lists.

A pack reads the shared types it names, and only the fields it names of them; a field it
does not read is accepted in a scenario and is no fact of that pack; a mistake in the
vocabulary or in `reads:` is a one-line error at its line; `checker lint` reports a shared
type no pack reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.errors import PackError
from checker.io.pack import _CACHE, load_pack
from checker.io.scenario import load_scenario
from checker.maintain.lint import lint
from tests.helpers import ROOT, edit


@pytest.fixture
def rules(tmp_path) -> Path:
    out = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", out)
    _CACHE.clear()
    return out


def test_every_bundled_pack_reads_the_shared_types_it_used_to_declare():
    for name, shared in (("istanbul-2022", {"attack", "consultation", "assistance", "refusal", "unsc_report"}),
                         ("budapest-1994", {"attack", "annexation", "consultation_request", "consultation"}),
                         ("nato-1949", {"attack", "consultation_request", "assistance", "unsc_measures"})):
        pack = load_pack(name, ROOT / "rules")
        assert shared <= set(pack.common_types), name
        assert shared <= set(pack.event_types), name


def test_a_field_the_pack_does_not_read_is_accepted_and_dropped(tmp_path):
    # istanbul-2022 reads who made a report to the Security Council, not whom it speaks for
    path = tmp_path / "report.yaml"
    path.write_text(
        "scenario: a joint report\ntreaty: istanbul-2022\nin_force_from: 2022-02-01\nas_of: 2022-03-04\n"
        "events:\n"
        "  - {id: a, date: 2022-02-24, type: attack, kind: aggression, by: russia, regions: [kyiv]}\n"
        "  - {id: r, date: 2022-02-25, type: unsc_report, by: uk, parties: [usa, france], about: a}\n")
    scenario, pack = load_scenario(path, rules_root=ROOT / "rules")
    report = scenario.event("r")
    assert report.fields.get("by") == ("uk",) or report.fields.get("by") == "uk"
    assert "parties" not in report.fields
    assert "parties" not in pack.event_types["unsc_report"].fields
    assert scenario.unread_events == 0


def test_consultation_is_about_an_attack_or_a_request_as_each_pack_reads_it():
    vocabulary_consultation = load_pack("budapest-1994", ROOT / "rules").common_types["consultation"]
    assert set(vocabulary_consultation.fields["about"].to) == {"attack", "consultation_request"}
    # istanbul-2022 does not read requests for consultations: its consultations are about attacks
    istanbul = load_pack("istanbul-2022", ROOT / "rules")
    assert istanbul.event_types["consultation"].fields["about"].to == ("attack",)


def test_a_type_read_that_the_vocabulary_lacks_is_an_error_at_its_line(rules):
    manifest = rules / "nato-1949" / "treaty.yaml"
    line = edit(manifest, "reads: [accession, attack,", "reads: [accession, atack,")
    with pytest.raises(PackError) as caught:
        load_pack("nato-1949", rules)
    lines = caught.value.lines()
    assert any(f"treaty.yaml:{line}: reads[1]: 'atack' is not a type of the shared vocabulary" in x
               and "did you mean 'attack'" in x for x in lines), lines


def test_a_field_read_that_the_type_lacks_is_an_error(rules):
    manifest = rules / "budapest-1994" / "treaty.yaml"
    edit(manifest, "{consultation_request: [by]}", "{consultation_request: [bye]}")
    with pytest.raises(PackError) as caught:
        load_pack("budapest-1994", rules)
    assert any("consultation_request has no field 'bye'" in x for x in caught.value.lines())


def test_a_shared_type_declared_again_by_a_pack_is_an_error(rules):
    manifest = rules / "nato-1949" / "treaty.yaml"
    edit(manifest, "event_types:\n  council_meeting:",
             "event_types:\n  annexation:\n    fields: {by: {type: party}}\n  council_meeting:")
    with pytest.raises(PackError) as caught:
        load_pack("nato-1949", rules)
    assert any("'annexation' is a type of the shared vocabulary" in x for x in caught.value.lines())


def test_lint_reports_a_shared_type_no_pack_reads(rules):
    vocabulary = rules / "common" / "vocabulary.yaml"
    with vocabulary.open("a") as f:
        f.write("  blockade:\n    fields: {by: {type: party, required: true}}\n    says: \"{by} blockades\"\n")
    _CACHE.clear()
    result = lint(rules, (), jobs=1)
    found = [i for i in result.issues if i.check == "vocabulary"]
    assert [i.message.split(" (")[0] for i in found] == ["no pack reads blockade"]
    assert found[0].file.endswith("common/vocabulary.yaml")
