"""The shapes a duty can take, on the test pack tests/packs/shapes/rules/shapes-test.

That pack encodes no treaty: it has one duty of each shape (p1.consult: no deadline unless
consultation_days is set, refusable; p2.report: never a deadline; p3.assist: a deadline,
refusable, ended by a settlement; p4.no_pressure: a maintenance duty read through a bool
field), dated membership (norway from 2010-06-01; denmark from the pack's entry into force),
region attributes (covered) and the state each region belongs to, and references to several
event types. Its scenarios in tests/packs/shapes/facts carry their own expectations (pytest runs
them); the tests here pin what a user relies on: the fields of each verdict, the loader's
errors, and that a broken pack is a pack error, never an internal one.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli.main import app
from checker.engine.check import check_file
from checker.engine.facts import fact_tuples
from checker.errors import PackError, ScenarioError, UsageError
from checker.io import pack as packs
from checker.io.pack import load_pack
from checker.io.scenario import load_scenario
from checker.model import day_of
from tests.helpers import edit

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests" / "packs" / "shapes"
RULES = PACKS / "rules"
FACTS = PACKS / "facts"
PACK = "shapes-test"
_counter = itertools.count()


def d(text: str) -> int:
    import datetime as dt

    return day_of(dt.date.fromisoformat(text))


def ev(id: str, date: str, type: str, **fields) -> dict:  # noqa: A002 - a scenario's own keys
    return {"id": id, "date": date, "type": type, **fields}


def write(tmp_path: Path, events, **top) -> Path:
    doc = {"scenario": "test", "treaty": PACK, **top, "events": list(events)}
    path = tmp_path / f"s{next(_counter)}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def check(tmp_path: Path, events, rules: Path = RULES, **top):
    verdicts, _ = check_file(write(tmp_path, events, **top), rules_root=rules)
    return verdicts


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


REQUEST = ev("r", "2011-03-01", "request", by="denmark")


def meeting(id, date, *parties, about="r"):
    return ev(id, date, "meeting", parties=list(parties), **({"about": about} if about else {}))


def refusal(id, date, by, about="r", means="consultation"):
    return ev(id, date, "refusal", by=by, means=means, about=about)


# --- the lifecycle ---------------------------------------------------------------------------

def test_a_duty_with_no_deadline_is_pending_until_met(tmp_path):
    v = check(tmp_path, [REQUEST, meeting("m", "2011-03-09", "denmark")], as_of="2030-01-01")
    pending, met = v.obligation("p1.consult/norway/r"), v.obligation("p1.consult/denmark/r")
    assert (pending.status, pending.deadline, pending.breached_on) == ("pending", None, None)
    assert (met.status, met.deadline, met.met_by) == ("fulfilled", None, "m")
    assert not v.breached


@pytest.mark.parametrize("order,denmark", [
    # (events of denmark on 2011-03-02 in file order, its status)
    (("refusal", "meeting"), "late"),
    (("meeting", "refusal"), "fulfilled"),
])
def test_a_refusal_and_a_meeting_on_one_day_go_by_the_file(tmp_path, order, denmark):
    events = {"refusal": refusal("x", "2011-03-02", "denmark"), "meeting": meeting("m", "2011-03-02", "denmark")}
    v = check(tmp_path, [REQUEST] + [events[k] for k in order], as_of="2011-04-01")
    o = v.obligation("p1.consult/denmark/r")
    assert o.status == denmark and o.met_by == "m"
    if denmark == "late":
        assert (o.breached_on, o.breached_by) == (d("2011-03-02"), "x")
    else:
        assert (o.breached_on, o.breached_by) == (None, None)


def test_refused_before_any_meeting_is_breached_on_the_refusal_day_and_late_once_met(tmp_path):
    v = check(tmp_path, [REQUEST, refusal("x", "2011-03-05", "norway"), refusal("x0", "2011-03-04", "denmark"),
                         meeting("m", "2011-03-20", "denmark")], as_of="2011-04-01")
    norway, denmark = v.obligation("p1.consult/norway/r"), v.obligation("p1.consult/denmark/r")
    assert (norway.status, norway.breached_on, norway.breached_by, norway.met_by) == \
        ("breached", d("2011-03-05"), "x", None)
    assert (denmark.status, denmark.breached_on, denmark.breached_by, denmark.met_by) == \
        ("late", d("2011-03-04"), "x0", "m")
    assert v.breached


def test_with_a_deadline_set_the_earlier_breach_wins(tmp_path):
    # consultation_days 3: due 2011-03-04
    events = [REQUEST,
              refusal("x1", "2011-03-02", "denmark"), meeting("m1", "2011-03-03", "denmark"),  # late within it
              refusal("x2", "2011-03-10", "norway")]                                           # missed, then refused
    v = check(tmp_path, events, as_of="2011-04-01", parameters={"consultation_days": 3})
    denmark, norway = v.obligation("p1.consult/denmark/r"), v.obligation("p1.consult/norway/r")
    assert denmark.deadline == d("2011-03-04")
    assert (denmark.status, denmark.breached_on, denmark.breached_by) == ("late", d("2011-03-02"), "x1")
    assert (norway.status, norway.breached_on, norway.breached_by) == ("breached", d("2011-03-05"), None)
    # refused the day after the deadline: breached that day, and the refusal is named
    v = check(tmp_path, [REQUEST, refusal("x3", "2011-03-05", "norway")], as_of="2011-04-01",
              parameters={"consultation_days": 3})
    norway = v.obligation("p1.consult/norway/r")
    assert (norway.status, norway.breached_on, norway.breached_by) == ("breached", d("2011-03-05"), "x3")


@pytest.mark.parametrize("days,status,deadline", [(None, "pending", None), (0, "breached", "2011-03-01"),
                                                  (3, "breached", "2011-03-04"), (60, "pending", "2011-04-30")])
def test_an_optional_deadline_follows_the_parameter(tmp_path, days, status, deadline):
    top = {"as_of": "2011-04-01"}
    if days is not None:
        top["parameters"] = {"consultation_days": days}
    o = check(tmp_path, [REQUEST], **top).obligation("p1.consult/norway/r")
    assert (o.status, o.deadline) == (status, None if deadline is None else d(deadline))


def test_a_refusal_on_or_before_the_ending_keeps_the_breach(tmp_path):
    incident = ev("i", "2011-05-01", "incident", by="unknown", regions=["greenland"])
    settled = ev("s", "2011-05-02", "settlement", about="i")
    before = check(tmp_path, [incident, refusal("x", "2011-05-02", "norway", "i", "assistance"), settled])
    after = check(tmp_path, [incident, settled, refusal("x", "2011-05-03", "norway", "i", "assistance")])
    assert before.obligation("p3.assist/norway/i").status == "breached"
    o = after.obligation("p3.assist/norway/i")
    assert (o.status, o.discharged_by, o.breached_by) == ("discharged", "s", None)


# --- dated and attributed data ---------------------------------------------------------------

def test_dated_membership_binds_from_its_day(tmp_path):
    v = check(tmp_path, [ev("r1", "2010-05-31", "request", by="denmark"),
                         ev("r2", "2010-06-01", "request", by="denmark")], as_of="2010-06-02")
    assert [n.blocked_by for n in v.not_fired if n.id == "p1.consult/norway/r1"] == [("p0.not_member",)]
    assert v.obligation("p1.consult/norway/r2").status == "pending"
    assert v.obligation("p4.no_pressure/norway").fired_on == d("2010-06-01")
    assert v.obligation("p4.no_pressure/denmark").fired_on == d("2000-01-01")   # the pack's entry into force


def test_region_attributes_and_states_decide_who_holds_what(tmp_path):
    v = check(tmp_path, [ev("i1", "2011-05-01", "incident", by="unknown", regions=["greenland"]),
                         ev("i2", "2011-05-02", "incident", by="unknown", regions=["svalbard"])])
    assert v.obligation("p2.report/denmark/i1").deadline is None       # greenland belongs to denmark
    assert v.obligation("p3.assist/norway/i1").deadline == d("2011-05-03")
    assert {n.id: n.blocked_by for n in v.not_fired} == {
        "p2.report/norway/i2": ("p5.outside",), "p3.assist/denmark/i2": ("p5.outside",)}


def test_the_engine_gives_the_rules_the_manifests_data(tmp_path):
    scenario, pack = load_scenario(write(tmp_path, [REQUEST]), rules_root=RULES)
    facts = {(f[0],) + tuple(f[1:]) for f in fact_tuples(scenario, pack)}
    assert ("pack_date", "entry_into_force", d("2000-01-01")) in facts
    assert ("role_since", "norway", "members", d("2010-06-01")) in facts
    assert not any(f[:3] == ("role_since", "denmark", "members") for f in facts)
    assert ("role", "denmark", "members") in facts
    assert ("region_state", "svalbard", "norway") in facts and ("region_state", "greenland", "denmark") in facts
    assert ("region_attr", "greenland", "covered") in facts and ("region_attr", "svalbard", "covered") not in facts
    assert ("provision_deadline", "p1.consult", "optional") in facts
    assert ("provision_deadline", "p2.report", "none") in facts
    assert ("param", "assist_days", 2) in facts
    assert not any(f[0] == "param" and f[1] == "consultation_days" for f in facts)   # unset: no fact
    assert scenario.parameters["consultation_days"] is None


def test_bool_fields_are_constants(tmp_path):
    v = check(tmp_path, [ev("p1", "2011-01-01", "pressure", by="denmark", designed=False),
                         ev("p2", "2011-01-02", "pressure", by="norway", designed=True)])
    assert v.obligation("p4.no_pressure/denmark").status == "complied"
    assert (v.obligation("p4.no_pressure/norway").status, v.obligation("p4.no_pressure/norway").breached_by) == \
        ("breached", "p2")


# --- the scenario loader ---------------------------------------------------------------------

def _problems(tmp_path, events, **top) -> list[str]:
    path = write(tmp_path, events, **top)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, rules_root=RULES)
    return [f"{p.line}: {p.field}: {p.message}" for p in info.value.problems]


def test_a_bool_field_takes_true_or_false_only(tmp_path):
    assert _problems(tmp_path, [ev("p", "2011-01-01", "pressure", by="denmark", designed="yes")]) == [
        "8: events[0].designed: 'yes' is not true or false"]
    assert _problems(tmp_path, [ev("p", "2011-01-01", "pressure", by="denmark")]) == [
        "4: events[0].designed: is required for pressure"]


def test_a_reference_may_name_any_of_its_types(tmp_path):
    fine = [REQUEST, ev("i", "2011-01-01", "incident", by="unknown", regions=["iceland"]),
            ev("a", "2011-01-02", "report", by="denmark", about="r"), ev("b", "2011-01-03", "report", by="denmark",
                                                                          about="i")]
    load_scenario(write(tmp_path, fine), rules_root=RULES)
    assert _problems(tmp_path, [REQUEST, meeting("m", "2011-03-02", "denmark"),
                                ev("a", "2011-03-03", "report", by="denmark", about="m")]) == [
        "18: events[2].about: 'm' is a meeting, not an incident or a request"]


def test_only_a_parameter_whose_default_is_null_may_be_left_unset(tmp_path):
    scenario, _ = load_scenario(write(tmp_path, [REQUEST], parameters={"consultation_days": None}), rules_root=RULES)
    assert scenario.parameters["consultation_days"] is None
    assert _problems(tmp_path, [REQUEST], parameters={"assist_days": None}) == [
        "4: parameters.assist_days: null is not a whole number from 0 to 100000 (shapes-test needs a value for "
        "assist_days (default 2); only a parameter whose default is null may be left unset)"]
    path = write(tmp_path, [REQUEST], parameters={"consultation_days": 3})
    scenario, _ = load_scenario(path, rules_root=RULES, parameters={"consultation_days": None})
    assert scenario.parameters["consultation_days"] is None      # --param consultation_days=unset
    with pytest.raises(UsageError, match="assist_days=unset: shapes-test needs a value"):
        load_scenario(path, rules_root=RULES, parameters={"assist_days": None})


def test_the_manifest_says_what_a_scenario_may_set(tmp_path):
    assert _problems(tmp_path, [REQUEST], parties={"members": ["denmark"], "others": ["iceland"]},
                     excluded_regions=["svalbard"], in_force_from="2000-01-01") == [
        "4: parties.members: shapes-test fixes this list: a scenario may not replace it (lists a scenario "
        "may give: others)",
        "8: excluded_regions: shapes-test does not let a scenario exclude regions: its scope is its manifest's",
        "10: in_force_from: shapes-test takes no in_force_from: who is bound from when is its manifest's "
        "(dated parties)"]


def test_cli_param_unset(tmp_path):
    path = write(tmp_path, [REQUEST], as_of="2011-04-01", parameters={"consultation_days": 0})
    set_ = json.loads(invoke("check", str(path), "--rules", str(RULES), "--format", "json").stdout)
    unset = invoke("check", str(path), "--rules", str(RULES), "--format", "json", "--param", "consultation_days=unset")
    doc = json.loads(unset.stdout)["scenarios"][0]
    assert set_["scenarios"][0]["parameters"]["consultation_days"] == 0
    assert doc["parameters"]["consultation_days"] is None
    assert {o["deadline"] for o in doc["obligations"] if o["provision"] == "p1.consult"} == {None}
    bad = invoke("check", str(path), "--rules", str(RULES), "--param", "assist_days=unset")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == ("--param: assist_days=unset: shapes-test needs a value for assist_days (default 2); "
                                  "only a parameter whose default is null may be left unset")


# --- the manifest ----------------------------------------------------------------------------

@pytest.fixture()
def pack_copy(tmp_path: Path) -> Path:
    """rules/ with common (the real one) and a copy of the test pack, to break."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "common", rules / "common")
    shutil.copytree(RULES / PACK, rules / PACK)
    packs._CACHE.clear()
    return rules



@pytest.mark.parametrize("old,new,message", [
    ("  entry_into_force: 2000-01-01", "  entry_into_force: 2000-02-30",
     "dates.entry_into_force: '2000-02-30' is not a valid date (YYYY-MM-DD)"),
    ("{name: norway, since: 2010-06-01}", "{name: norway, sinse: 2010-06-01}",
     "parties.fixed.members[1].sinse: unknown key (did you mean 'since'?) (a dated entry is {name: N, since: DATE})"),
    ("regions: [denmark, greenland, norway, svalbard, iceland]", "regions: [denmark, greenland, norway, svalbard, icelnd]",
     "regions[4]: 'icelnd' is not in the gazetteer common/regions.yaml (did you mean 'iceland' or 'finland'?)"),
    ("  covered: [denmark, greenland, norway]", "  covered: [denmark, greenland, norwy]",
     "region_attributes.covered[2]: 'norwy' is not among the regions (did you mean 'norway'?)"),
    ("  scenario_may_set: [others]", "  scenario_may_set: [members]",
     "parties.scenario_may_set: 'members' is not one of the lists (a fixed list: a scenario never replaces it)"),
    ("excluded_regions_allowed: false", "excluded_regions_allowed: no way",
     "excluded_regions_allowed: must be true or false, not 'no way'"),
    ("      designed: {type: bool, required: true}", "      designed: {type: boolean, required: true}",
     "event_types.pressure.fields.designed.type: must be one of party, region, enum, event, bool, text "
     "(did you mean 'bool'?)"),
    ("to: [request, incident], required: true}", "to: [request, incidnet], required: true}",
     "event_types.refusal.fields.about.to: refusal.about refers to unknown type 'incidnet' (did you mean "
     "'incident'?)"),
    ("    kind: maintenance\n", "    kind: maintenance\n    deadline: none\n",
     "provisions.p4.no_pressure.deadline: only an achievement duty has a deadline (this provision is a maintenance)"),
    ("    deadline: none\n", "    deadline: never\n",
     "provisions.p2.report.deadline: must be one of required, none, optional (an achievement duty's deadline is "
     "required, it has none, or a parameter may set one), not 'never'"),
    ("  assist_days: {default: 2,", "  assist_days: {default: two,",
     "assist_days: a parameter needs a `default`: a whole number, or null (unset unless a scenario or --param "
     "sets it)"),
    ("region_attributes:\n", "region_atributes:\n",
     "region_atributes: unknown key (did you mean 'region_attributes' or 'regions'?) (allowed: treaty, title, source, extends, "
     "remove, tests, dates, parties, regions, region_attributes, excluded_regions, never_excluded, excluded_regions_allowed, "
     "in_force_from_allowed, reads, event_types, provisions, readings, parameters, repairs)"),
])
def test_manifest_errors_name_the_line_and_the_field(pack_copy, old, new, message):
    line = edit(pack_copy / PACK / "treaty.yaml", old, new)
    with pytest.raises(PackError) as info:
        load_pack(PACK, pack_copy)
    assert [f"{p.field}: {p.message}" for p in info.value.problems] == [message]
    assert abs(info.value.problems[0].line - line) <= 2   # the key's own line, or its item's


def test_a_gazetteer_region_twice_is_an_error(pack_copy):
    edit(pack_copy / "common" / "regions.yaml", "  iceland: [iceland]", "  iceland: [iceland, svalbard]")
    line = edit(pack_copy / "common" / "regions.yaml", "  norway: [norway, svalbard]", "  norway: [norway, svalbard]")
    with pytest.raises(PackError) as info:
        load_pack(PACK, pack_copy)
    assert [str(p).split("regions.yaml:", 1)[1] for p in info.value.problems] == [
        f"{line}: states.norway[1]: 'svalbard' already belongs to iceland"]


# --- a broken pack is a pack error -----------------------------------------------------------

def _rules_error(rules: Path, tmp_path: Path, events, **top):
    """The one problem a check of ``events`` reports about the rules, and the scenario's path."""
    path = write(tmp_path, events, **top)
    with pytest.raises(PackError) as info:
        check_file(path, rules_root=rules)
    (problem,) = info.value.problems
    return problem, path


@pytest.mark.parametrize("file,old,new,message", [
    ("p1_consult.lp", 'would_fire(ob("p1.consult", H, R), D) :- _request', 'would_fire(ob("p1.consul", H, R), D) :- _request',
     "a duty of provision 'p1.consul' fired, but the manifest declares no such provision (did you mean 'p1.consult'?)"),
    ("p5_outside.lp", '"p5.outside") :- would_fire(ob("p2.report"', '"p5.outsid") :- would_fire(ob("p2.report"',
     "provision 'p5.outsid' blocks a duty of p2.report, but the manifest declares no such provision (did you mean "
     "'p5.outside'?)"),
    ("p3_assist.lp", "param(assist_days, A).", "param(assist_days, A).\n"
     'deadline(ob("p3.assist", H, I), D + 9) :- would_fire(ob("p3.assist", H, I), D).',
     "p3.assist/norway/i has 2 deadlines (2011-05-03, 2011-05-10); a duty has at most one"),
    ("p3_assist.lp", "param(assist_days, A).", "param(assist_days, A), A > 5.",
     "p3.assist/norway/i fired with no deadline, but the manifest does not say that p3.assist has none "
     "(`deadline: none`, or `optional` when a parameter sets it)"),
    ("p2_report.lp", "meets(ob(", 'deadline(ob("p2.report", S, I), D) :- would_fire(ob("p2.report", S, I), D).\n'
     "meets(ob(", "p2.report/denmark/i has a deadline (2011-05-01), but the manifest says that p2.report has none "
     "(`deadline: none`; `optional` when a parameter sets it)"),
])
def test_a_broken_duty_is_a_rules_error_naming_the_provision(pack_copy, tmp_path, file, old, new, message):
    line = edit(pack_copy / PACK / file, old, new)
    problem, path = _rules_error(pack_copy, tmp_path, [
        REQUEST, ev("i", "2011-05-01", "incident", by="unknown", regions=["greenland"]),
        ev("j", "2011-05-02", "incident", by="unknown", regions=["svalbard"])])
    # at the rule that writes it (the first that names the provision so, where several do)
    assert (Path(problem.file).name, problem.field) == (file, "rules")
    assert line <= problem.line <= line + 1
    assert problem.message == f"{PACK}: {message} (in {path})"


def test_the_cli_reports_a_broken_pack_in_one_line_exit_2(pack_copy, tmp_path):
    edit(pack_copy / PACK / "p1_consult.lp", 'would_fire(ob("p1.consult", H, R), D) :- _request',
         'would_fire(ob("p1.consul", H, R), D) :- _request')
    path = write(tmp_path, [REQUEST], expect=[{"obligation": "p1.consult/denmark/r", "status": "pending"}])
    for command in (["check"], ["test"], ["explain"], ["repair"]):
        result = invoke(*command, str(path), "--rules", str(pack_copy))
        assert result.exit_code == 2, (command, result.output)
        assert "internal error" not in result.output
        assert "'p1.consul' fired, but the manifest declares no such provision" in result.stderr + result.stdout


# --- the report a check reads says what the lifecycle's atoms say -----------------------------

@pytest.mark.parametrize("path", [p for p in sorted(FACTS.glob("*.yaml")) if "uncertain" not in p.name],
                         ids=lambda p: p.stem)
def test_the_report_of_every_shape_is_the_lifecycles(path):
    """The terms of the part `report` (what a check reads) and the atoms of the part `shown`
    (what verdicts over possible worlds read) give the same verdict for every shape: no
    deadline, refused, refused and met, refused after a missed deadline."""
    from tests.test_terms import _both_readings, _same

    scenario, pack = load_scenario(path, rules_root=RULES)
    report, lifecycle = _both_readings(scenario, pack)
    _same(report, lifecycle)
    assert any(o.deadline is None and o.kind == "achievement" for o in report.obligations) or \
        "deadline" in path.stem


def test_a_refused_duty_met_keeps_its_refusal_in_the_report(tmp_path):
    v = check(tmp_path, [REQUEST, refusal("x", "2011-03-02", "denmark"), meeting("m", "2011-03-03", "denmark")],
              as_of="2011-04-01", parameters={"consultation_days": 5})
    o = v.obligation("p1.consult/denmark/r")
    assert (o.status, o.deadline, o.met_by, o.breached_on, o.breached_by) == \
        ("late", d("2011-03-06"), "m", d("2011-03-02"), "x")
