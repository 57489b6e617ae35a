"""`checker compare`: one history under several treaties, side by side.

The done-when of the feature: on the 2022 history, Istanbul (a counterfactual in force) puts
consultation and assistance duties on the guarantors, the Budapest Memorandum finds Russia in
breach of paragraphs 1 and 2, and the North Atlantic Treaty puts no Article 5 duty on anyone
(Ukraine is not a member) while the Article 4 consultations were held.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.analysis.compare import compare_history, default_treaties
from checker.cli.main import app
from tests.helpers import ROOT

HISTORY = ROOT / "facts" / "history" / "2022-02-21.yaml"
CRIMEA = ROOT / "facts" / "history" / "2014-02-27.yaml"
SCHEMA = json.loads((ROOT / "docs" / "schema" / "compare.schema.json").read_text())
runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, ["compare", *map(str, args)], env={"NO_COLOR": "1"})
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def comparison():
    return compare_history(HISTORY)


def test_the_treaties_of_the_history_are_its_columns(comparison):
    assert comparison.treaties == ("istanbul-2022", "budapest-1994", "nato-1949", "istanbul-2022-04-15")


def test_istanbul_puts_consultation_and_assistance_duties_on_the_guarantors(comparison):
    for guarantor in ("uk", "usa", "france", "turkey", "china", "russia"):
        cell = comparison.cells[(guarantor, "istanbul-2022")]
        assert f"art4.consult/{guarantor}/invasion" in cell.duties
        assert f"art4.assist/{guarantor}/invasion" in cell.duties


def test_budapest_finds_russia_in_breach_of_paragraphs_1_and_2(comparison):
    cell = comparison.cells[("russia", "budapest-1994")]
    assert set(cell.breached) == {"bm1.respect_borders/russia", "bm2.no_force/russia"}
    assert comparison.cells[("uk", "budapest-1994")].breached == ()


def test_nato_imposes_no_article_5_duty_and_the_article_4_consultations_were_held(comparison):
    nato = comparison.verdicts[comparison.treaties.index("nato-1949")]
    assert not [o for o in nato.obligations if o.provision.startswith("art5.")]
    consult = [o for o in nato.obligations if o.provision == "art4.consult"]
    assert len(consult) == 30 and {o.status for o in consult} == {"fulfilled"}
    assert comparison.cells[("ukraine", "nato-1949")].party is False


def test_the_draft_of_april_read_unanimous_puts_no_assistance_duty_on_anyone(comparison):
    draft = comparison.verdicts[comparison.treaties.index("istanbul-2022-04-15")]
    assert not [o for o in draft.obligations if o.provision.startswith("art4.assist")]
    blocked = {n.holder for n in draft.not_fired if n.provision == "art4.assist"}
    assert blocked == {"uk", "china", "russia", "usa", "france"}
    assert all(n.blocked_by == ("art4.joint_decision",) for n in draft.not_fired if n.provision == "art4.assist")


def test_the_invasion_differs_in_kind_between_the_treaties(comparison):
    assist = [d for d in comparison.differences if d.kind == "duty" and d.event == "invasion" and d.party == "uk"]
    assert len(assist) == 1
    assert assist[0].present["istanbul-2022"] == ("art4.assist/uk/invasion", "art4.consult/uk/invasion")
    assert assist[0].present["istanbul-2022-04-15"] == ("art4.consult/uk/invasion",)
    assert set(assist[0].absent) == {"budapest-1994", "nato-1949"}
    # the deployment of 22 February is a breach under the Memorandum, not under Istanbul
    # (occupied Donetsk and Luhansk are outside its guarantee)
    breach = [d for d in comparison.differences if d.kind == "breach" and d.event == "dpr-lpr-deployment"]
    assert [(d.party, set(d.present)) for d in breach] == [("russia", {"budapest-1994"})]
    # the invasion breaches Istanbul's guarantee; Budapest's duties were breached already
    later = next(d for d in comparison.differences if d.kind == "breach" and d.event == "invasion")
    assert "dpr-lpr-deployment" in later.notes["budapest-1994"]


def test_text_shows_the_table_and_the_differences():
    result = invoke(HISTORY)
    assert result.exit_code == 1   # as `check`: something is breached under some treaty
    out = result.stdout
    header = next(line for line in out.splitlines() if line.strip().startswith("PARTY"))
    assert header.split() == ["PARTY", "istanbul-2022", "budapest-1994", "nato-1949", "istanbul-2022-04-15"]
    assert "russia under budapest-1994: bm1.respect_borders/russia, bm2.no_force/russia" in out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "nato-1949 duties: art4.consult on 30 parties" in lines
    assert "budapest-1994 breaches bm1.respect_borders/russia, bm2.no_force/russia" in lines
    assert "events a treaty does not read: istanbul-2022 4, budapest-1994 11, nato-1949 8, istanbul-2022-04-15 4" in out


def test_json_validates_and_the_schema_refuses_what_it_should(tmp_path):
    result = invoke(HISTORY, CRIMEA, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    validator.validate(doc)
    assert [h["file"] for h in doc["histories"]] == [str(HISTORY), str(CRIMEA)]
    broken = copy.deepcopy(doc)
    del broken["histories"][0]["differences"]
    assert not validator.is_valid(broken)
    broken = copy.deepcopy(doc)
    broken["histories"][0]["differences"][0]["kind"] = "something"
    assert not validator.is_valid(broken)


def test_markdown_has_a_table_per_history():
    out = invoke(HISTORY, "--format", "markdown").stdout
    assert "| Party | `istanbul-2022` | `budapest-1994` | `nato-1949` | `istanbul-2022-04-15` |" in out
    assert ("| russia | 4: 1 fulfilled, 2 breached, 1 complied | 4: 2 breached, 2 complied | not a party "
            "| 3: 1 fulfilled, 1 breached, 1 complied |") in out


def test_html_aligns_a_timeline_per_treaty_on_one_axis(tmp_path):
    page = tmp_path / "compare.html"
    result = invoke(HISTORY, "--format", "html", "-o", page)
    assert result.exit_code == 1, result.stderr
    text = page.read_text()
    assert '"shared_axis": true' in text or '"shared_axis":true' in text
    for treaty in ("istanbul-2022", "budapest-1994", "nato-1949", "istanbul-2022-04-15"):
        assert treaty in text


def test_treaty_chooses_the_columns_and_explain_works_on_a_cell():
    result = invoke(HISTORY, "--treaty", "nato-1949", "--treaty", "budapest-1994", "--format", "json")
    assert [t["treaty"] for t in json.loads(result.stdout)["histories"][0]["treaties"]] == ["nato-1949",
                                                                                          "budapest-1994"]
    explained = runner.invoke(app, ["explain", str(HISTORY), "--treaty", "budapest-1994",
                                    "bm2.no_force/russia"], env={"NO_COLOR": "1"})
    assert explained.exit_code == 1, explained.stderr
    assert "dpr-lpr-deployment" in explained.stdout


def test_a_history_naming_no_treaty_is_compared_under_every_pack_that_reads_its_events(tmp_path):
    path = tmp_path / "rules-free.yaml"
    path.write_text("scenario: an attack and a request\nas_of: 2022-03-04\nparties: {others: [russia, ukraine]}\n"
                    "events:\n"
                    "  - {id: a, date: 2022-02-24, type: attack, kind: aggression, by: russia, regions: [ukraine]}\n")
    assert default_treaties(path, ROOT / "rules") == ("budapest-1994", "istanbul-2022", "istanbul-2022-04-15",
                                                       "nato-1949")
    result = invoke(path, "--rules", ROOT / "rules", "--format", "json")
    assert result.exit_code == 1, result.stderr
