"""The JSON Schemas of scenario files (`checker schema`, docs/editors.md).

The shipped schemas in docs/schema/scenario/ are what `checker schema` makes from the packs
of today; every bundled scenario is valid under its pack's schema and under the schema of
all packs; and the schema rejects the mistakes an author makes most, which the loader
rejects too (so an editor flags them as they are typed).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.errors import CheckerError
from checker.io.files import scenario_files
from checker.io.pack import known_packs, load_pack
from checker.io.scenario import load_document, read_document
from checker.render.schema import ALL, dumps, scenario_schema
from tests.helpers import ROOT, RULES

jsonschema = pytest.importorskip("jsonschema")

SHIPPED = ROOT / "docs" / "schema" / "scenario"
PACKS = known_packs(RULES)
REFRESH = "checker schema -o docs/schema/scenario/"


def _validator(name: str):
    schema = json.loads((SHIPPED / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _corpus() -> list[tuple[Path, dict]]:
    out = []
    for path in scenario_files([ROOT / "facts"]):
        doc = read_document(path)
        if isinstance(doc, dict) and doc.get("treaty") in PACKS:
            out.append((path, doc))
    return out


CORPUS = _corpus()


# --- fresh --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PACKS + [ALL])
def test_the_shipped_schema_is_what_the_packs_make(name: str):
    packs = [load_pack(n, RULES) for n in (PACKS if name == ALL else [name])]
    path = SHIPPED / f"{name}.schema.json"
    assert path.exists(), f"{path} is missing: run `{REFRESH}`"
    assert path.read_text(encoding="utf-8") == dumps(scenario_schema(packs, name)), \
        f"{path} is stale (a manifest changed): run `{REFRESH}`"


def test_no_shipped_schema_names_a_pack_that_is_gone():
    assert sorted(p.name.removesuffix(".schema.json") for p in SHIPPED.glob("*.schema.json")) == sorted(PACKS + [ALL])


def test_the_command_writes_what_is_shipped(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for path in SHIPPED.glob("*.schema.json"):
        assert (tmp_path / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    one = CliRunner().invoke(app, ["schema", PACKS[0]])
    assert json.loads(one.output) == json.loads((SHIPPED / f"{PACKS[0]}.schema.json").read_text(encoding="utf-8"))


def test_the_command_refuses_an_unknown_pack(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["schema", "istanbul-2021"])
    assert result.exit_code == 2
    assert "no rule pack 'istanbul-2021' (did you mean 'istanbul-2022'" in result.output
    assert "Traceback" not in result.output


# --- the bundled corpus is valid ------------------------------------------------------------------

@pytest.mark.parametrize("path, doc", CORPUS, ids=[str(p.relative_to(ROOT / "facts")) for p, _ in CORPUS])
def test_every_bundled_scenario_is_valid(path: Path, doc: dict):
    for name in (doc["treaty"], ALL):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(name).iter_errors(doc)]
        assert errors == [], f"{path} under {name}.schema.json"


def test_the_corpus_covers_every_pack():
    assert {doc["treaty"] for _, doc in CORPUS} == set(PACKS)


# --- typical mistakes: the schema and the loader both refuse them ----------------------------------

BASE = ROOT / "facts" / "istanbul-2022" / "hybrid-grid.yaml"


def _mistake(edit) -> dict:
    doc = copy.deepcopy(json.loads(json.dumps(read_document(BASE))))
    edit(doc)
    return doc


def _event(doc: dict, etype: str) -> dict:
    return next(e for e in doc["events"] if e["type"] == etype)


MISTAKES = {
    "unknown top-level key": lambda d: d.update(as_off="2027-03-20"),
    "unknown event type": lambda d: _event(d, "appeal").update(type="apeal"),
    "unknown field": lambda d: _event(d, "attack").update(regoins=["kyiv"]),
    "missing required field": lambda d: _event(d, "attack").pop("by"),
    "wrong enum value": lambda d: _event(d, "attack").update(kind="armed_atack"),
    "unknown party": lambda d: _event(d, "assistance").update(by="chna"),
    "unknown party in a list": lambda d: _event(d, "consultation").update(parties=["uk", "frnace"]),
    "unknown region": lambda d: _event(d, "attack").update(regions=["kharkov"]),
    "a bad date": lambda d: _event(d, "attack").update(date="2027-3-1"),
    "an uncertain date written wrong": lambda d: _event(d, "attack").update(date={"from": "2027-03-01"}),
    "one_of on a list field": lambda d: _event(d, "attack").update(regions={"one_of": ["kyiv"]}),
    "occurred: perhaps": lambda d: _event(d, "attack").update(occurred="perhaps"),
    "unknown reading": lambda d: d.update(readings={"assistance_mean": "menu"}),
    "wrong reading choice": lambda d: d.update(readings={"assistance_means": "as_asked"}),
    "parameter out of range": lambda d: d.update(parameters={"consultation_days": -1}),
    "unknown party list": lambda d: d.update(parties={"guarantor": ["uk"]}),
    "a fixed party on a list": lambda d: d.update(parties={"guarantors": ["ukraine", "uk"]}),
    "an expectation of an unknown provision": lambda d: d["expect"].append({"obligation": "art9.x/uk/grid-attack",
                                                                            "status": "breached"}),
    "a wrong status": lambda d: d["expect"].append({"obligation": "art4.consult/uk/grid-attack",
                                                    "status": "broken"}),
    "an unknown key in an expectation": lambda d: d["expect"].append({"not_fired": "art4.assist/uk/grid-attack",
                                                                      "because": "art6.provocation"}),
    "not_fired as a certain status": lambda d: d["expect"].append({"obligation": "art4.assist/uk/grid-attack",
                                                                   "status": "not_fired"}),
}


@pytest.mark.parametrize("what", MISTAKES)
def test_the_schema_rejects_what_the_loader_rejects(what: str):
    doc = _mistake(MISTAKES[what])
    with pytest.raises(CheckerError):
        load_document(BASE, doc, rules_root=RULES)
    for name in ("istanbul-2022", ALL):
        assert list(_validator(name).iter_errors(doc)), f"{name}.schema.json accepts {what}"


def test_a_name_the_file_adds_under_parties_is_a_known_party():
    def edit(d):
        d["parties"] = {"others": ["belarus"]}
        _event(d, "attack").update(by="belarus")

    doc = _mistake(edit)
    load_document(BASE, doc, rules_root=RULES)  # the loader accepts it...
    assert list(_validator("istanbul-2022").iter_errors(doc)) == []  # ...and so does the schema


def test_chances_are_accepted_where_the_loader_takes_them():
    def edit(d):
        _event(d, "attack").update(occurred={"p": 0.9})
        _event(d, "assistance").update(by={"one_of": ["china", "uk"], "p": [0.3, 0.7]})

    doc = _mistake(edit)
    load_document(BASE, doc, rules_root=RULES)
    for name in ("istanbul-2022", ALL):
        assert list(_validator(name).iter_errors(doc)) == [], name
    _event(doc, "attack").update(occurred={"p": 1})  # surely happened: no occurred: key
    with pytest.raises(CheckerError):
        load_document(BASE, doc, rules_root=RULES)
    for name in ("istanbul-2022", ALL):
        assert list(_validator(name).iter_errors(doc)), name


def test_the_schema_of_all_packs_follows_treaty():
    doc = _mistake(lambda d: None)
    assert list(_validator(ALL).iter_errors(doc)) == []
    doc["treaty"] = "nato-1949"  # the same events under a treaty that has not their types
    with pytest.raises(CheckerError):
        load_document(BASE, doc, rules_root=RULES)
    assert any(list(e.absolute_path)[:1] == ["events"] for e in _validator(ALL).iter_errors(doc))
    assert [list(e.absolute_path) for e in _validator("istanbul-2022").iter_errors(doc)] == [["treaty"]]


# --- histories under several treaties --------------------------------------------------------------

HISTORIES = sorted((ROOT / "facts" / "history").glob("*.yaml"))
HISTORY = ROOT / "facts" / "history" / "2014-02-27.yaml"


def _history(edit) -> dict:
    doc = copy.deepcopy(json.loads(json.dumps(read_document(HISTORY), default=str)))
    edit(doc)
    return doc


def _by_id(doc: dict, eid: str) -> dict:
    return next(e for e in doc["events"] if e["id"] == eid)


def test_there_are_histories_under_several_treaties():
    assert HISTORIES and all(isinstance(read_document(p)["treaty"], list) for p in HISTORIES)


@pytest.mark.parametrize("path", HISTORIES, ids=[p.name for p in HISTORIES])
def test_every_history_is_valid_under_the_schema_of_all_packs(path: Path):
    doc = json.loads(json.dumps(read_document(path), default=str))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(ALL).iter_errors(doc)]
    assert errors == [], f"{path} under {ALL}.schema.json"


def _drop_nato(d: dict) -> None:
    d["treaty"] = ["budapest-1994", "istanbul-2022"]
    d["expect"].pop("nato-1949")


VALID_HISTORIES = {
    "as written": lambda d: None,
    "one name where a list is allowed (list: either)": lambda d: _by_id(d, "poland-2014").update(by="poland"),
    "a date for every treaty that takes one": lambda d: d.update(in_force_from="2014-02-01"),
    "the treaties in another order": lambda d: d.update(treaty=["istanbul-2022", "nato-1949", "budapest-1994"]),
}


def test_a_file_without_treaty_is_checked_with_the_treaty_named_on_the_command_line():
    doc = _mistake(lambda d: d.update(expect={d.pop("treaty"): d["expect"]}))  # whose expectations: said
    load_document(BASE, doc, rules_root=RULES, treaty="istanbul-2022")
    assert list(_validator(ALL).iter_errors(doc)) == []
    _event(doc, "attack").update(type="council_meeting")  # still an event type of some pack...
    assert list(_validator(ALL).iter_errors(doc)) != []   # ...but not with an attack's fields


@pytest.mark.parametrize("what", VALID_HISTORIES)
def test_a_valid_history_is_accepted(what: str):
    doc = _history(VALID_HISTORIES[what])
    load_document(HISTORY, doc, rules_root=RULES, treaty="budapest-1994")  # the loader accepts it...
    assert [f"{list(e.absolute_path)}: {e.message}" for e in _validator(ALL).iter_errors(doc)] == []  # ...and so does the schema


def test_a_field_the_pack_does_not_read_is_accepted_under_its_own_schema():
    # budapest-1994 reads only `by` of a consultation_request; `about` is still accepted, and ignored
    assert "about" not in load_pack("budapest-1994", RULES).event_types["consultation_request"].fields
    full = _history(lambda d: None)
    request = dict(_by_id(full, "poland-2014"), by="ukraine")
    doc = {"scenario": "a request about an attack", "treaty": "budapest-1994",
           "events": [_by_id(full, "parliament-seizure"), request]}
    load_document(HISTORY, doc, rules_root=RULES)
    for name in ("budapest-1994", ALL):
        assert [list(e.absolute_path) for e in _validator(name).iter_errors(doc)] == [], name


HISTORY_MISTAKES = {
    "an unknown treaty name": lambda d: d.update(treaty=["budapest-1994", "nato-1994", "istanbul-2022"]),
    "a treaty named twice": lambda d: d.update(treaty=["budapest-1994", "nato-1949", "budapest-1994"]),
    "an event type no named treaty knows": _drop_nato,  # council_meeting is nato-1949's alone
    "an act under an unknown treaty": lambda d: _by_id(d, "poland-2014").update(treaty="nato-1950"),
    "one_of on the treaty of an act": lambda d: _by_id(d, "poland-2014").update(
        treaty={"one_of": ["nato-1949", "budapest-1994"]}),
    "an expectation for a treaty the history is not under": lambda d: (
        d.update(treaty=["budapest-1994", "istanbul-2022"]), d["events"].remove(_by_id(d, "nac-2014-03-04"))),
    "a plain expect list under several treaties": lambda d: d.update(expect=d["expect"]["budapest-1994"]),
    "an expectation of another treaty's provision": lambda d: d["expect"]["nato-1949"].append(
        {"obligation": "para6.consult/uk/rada-address", "status": "breached"}),
    "in_force_from for a treaty that takes none": lambda d: d.update(in_force_from={"nato-1949": "2014-02-01"}),
    "in_force_from for a treaty the history is not under": lambda d: d.update(
        in_force_from={"istanbul-2022-04-15": "2014-02-01"}),
}


@pytest.mark.parametrize("what", HISTORY_MISTAKES)
def test_the_schema_rejects_what_the_loader_rejects_in_a_history(what: str):
    doc = _history(HISTORY_MISTAKES[what])
    with pytest.raises(CheckerError):
        load_document(HISTORY, doc, rules_root=RULES, treaty="budapest-1994")
    assert list(_validator(ALL).iter_errors(doc)), f"{ALL}.schema.json accepts {what}"


def test_an_event_type_no_named_treaty_knows_is_flagged_on_the_event():
    doc = _history(_drop_nato)
    index = doc["events"].index(_by_id(doc, "nac-2014-03-04"))
    errors = list(_validator(ALL).iter_errors(doc))
    assert [list(e.absolute_path) for e in errors] == [["events", index]]
    assert "council_meeting: an event type of nato-1949 only" in errors[0].schema["description"]


def test_descriptions_come_from_the_manifests():
    schema = json.loads((SHIPPED / "istanbul-2022-04-15.schema.json").read_text(encoding="utf-8"))
    pack = load_pack("istanbul-2022-04-15", RULES)
    branch = schema["$defs"]["istanbul-2022-04-15"]
    types = branch["event"]["properties"]["type"]
    decision = types["enumDescriptions"][types["enum"].index("guarantor_decision")]
    assert decision == "<parties> decide together on assistance to Ukraine about <about>"
    reading = branch["scenario"]["properties"]["readings"]["properties"]["decision"]
    assert reading["enum"] == ["unanimous", "each"]
    assert reading["description"].startswith(pack.readings["decision"].meaning.strip()[:40])
    obligation = branch["expectation"]["oneOf"][0]["properties"]["obligation"]
    assert pack.provisions["art4.joint_decision"].title in obligation["description"]
    # a reference names the types it may point at
    about = next(b["then"]["properties"]["about"] for b in branch["event"]["allOf"]
                 if b["if"]["properties"]["type"]["const"] == "guarantor_decision")
    assert about["description"] == ("about: the id of an attack of this file; "
                                    "uncertain: {one_of: [...]} (p: [...], a chance of each); required")
