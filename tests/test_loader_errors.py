"""Every error of the scenario format (docs/scenario-format.md, "Errors"), exactly.

A bad file is rejected as a whole, with one line per problem, ``FILE:LINE: FIELD: message``,
every problem of the file reported together (a linter, not a compiler that stops at the
first). YAML syntax errors have the field ``yaml``; a missing top-level key is on line 1.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from checker.errors import ScenarioError, UsageError
from checker.io.scenario import load_scenario
from tests.helpers import RULES, write

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")

HEAD = """\
scenario: a bad file
treaty: istanbul-2022
in_force_from: 2027-01-01
"""


def problems(tmp_path, text: str, dedent: bool = True) -> list[str]:
    """The problem lines of a rejected file, with the ``FILE:`` prefix checked and removed."""
    path = write(tmp_path, textwrap.dedent(text) if dedent else text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, rules_root=RULES)
    lines = info.value.lines()
    assert lines == str(info.value).splitlines()
    out = []
    for line in lines:
        m = LINE.match(line)
        assert m, f"not FILE:LINE: FIELD: message: {line!r}"
        assert m["file"] == str(path)
        out.append(line[len(str(path)) + 1:])
    return out


def one(tmp_path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


# --- YAML itself ---------------------------------------------------------------------------------
def test_invalid_yaml_names_the_field_yaml_and_the_line(tmp_path):
    got = one(tmp_path, HEAD + "events: [\n  - id: a\n")
    assert got.startswith("5: yaml: not valid YAML")


def test_a_tab_indented_file_is_invalid_yaml(tmp_path):
    got = one(tmp_path, HEAD + "events:\n\t- id: a\n")
    assert re.match(r"^\d+: yaml: not valid YAML", got)


@pytest.mark.parametrize("text,line,key", [
    ("scenario: one\nscenario: two\ntreaty: istanbul-2022\nevents: []\n", 2, "scenario"),
    (HEAD + "events:\n  - id: a\n    date: 2027-03-01\n    type: nuclear_weapons\n    date: 2027-03-02\n", 8, "date"),
    (HEAD + "parties:\n  guarantors: [uk]\n  guarantors: [usa]\nevents: []\n", 6, "guarantors"),
])
def test_duplicate_keys(tmp_path, text, line, key):
    assert one(tmp_path, text) == f"{line}: yaml: duplicate key '{key}'"


def test_python_tags_are_not_data(tmp_path):
    got = one(tmp_path, HEAD + "events: !!python/object/apply:os.system ['true']\n")
    assert got.startswith("4: yaml: ")


def test_an_empty_file(tmp_path):
    assert one(tmp_path, "") == "1: file: is empty: a scenario is a mapping with scenario, treaty and events"


def test_a_top_level_list(tmp_path):
    assert one(tmp_path, "- a\n- b\n").startswith("1: file: ")


# --- top level ----------------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["scenario", "treaty", "events"])
def test_a_missing_top_level_key_is_on_line_1(tmp_path, missing):
    lines = {"scenario": "scenario: x\n", "treaty": "description: d\ntreaty: istanbul-2022\n",
             "events": "events:\n  - {id: n, date: 2027-03-01, type: nuclear_weapons}\n"}
    text = "".join(v for k, v in lines.items() if k != missing)
    assert one(tmp_path, text) == f"1: {missing}: is required"


def test_every_missing_key_is_reported(tmp_path):
    assert problems(tmp_path, "description: only this\n") == [
        "1: events: is required", "1: scenario: is required", "1: treaty: is required"]


def test_an_unknown_key_with_did_you_mean(tmp_path):
    assert one(tmp_path, HEAD + "as_off: 2027-03-01\nevents: []\n") == \
        "4: as_off: unknown key (did you mean 'as_of'?)"


def test_an_unknown_treaty(tmp_path):
    got = one(tmp_path, "scenario: x\ntreaty: istanbul-2023\nevents: []\n")
    assert got.startswith("2: treaty: no rule pack 'istanbul-2023'")
    assert "(did you mean 'istanbul-2022'" in got


@pytest.mark.parametrize("key,value", [("as_of", "2027-02-29"), ("in_force_from", "soon")])
def test_bad_top_level_dates(tmp_path, key, value):
    text = f"scenario: x\ntreaty: istanbul-2022\n{key}: {value}\nevents:\n  - {{id: n, date: 2027-03-01, type: nuclear_weapons}}\n"
    assert one(tmp_path, text) == f"3: {key}: '{value}' is not a valid date (YYYY-MM-DD)"


def test_no_events_and_no_as_of(tmp_path):
    assert one(tmp_path, HEAD + "events: []\n") == "1: as_of: is required when there are no events"


# --- events ---------------------------------------------------------------------------------------
EVENTS = HEAD + """\
events:
  - id: a
    date: 2027-03-01
    type: attack
    kind: armed_attack
    by: russia
    regions: [kyiv]
  - id: p
    date: 2027-03-02
    type: appeal
"""


def test_the_bad_date_of_the_contract_exactly(tmp_path):
    path = write(tmp_path, EVENTS + "  - id: c\n    date: 2027-02-30\n    type: consultation\n    parties: [uk]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, rules_root=RULES)
    assert info.value.lines() == [f"{path}:15: events[2].date: '2027-02-30' is not a valid date"]


@pytest.mark.parametrize("date", ["2027-2-3", "03/01/2027", "2027-03-01T10:00", "20270301", "2027-00-10"])
def test_other_bad_dates(tmp_path, date):
    got = one(tmp_path, EVENTS.replace("date: 2027-03-02", f"date: {date}"))
    assert re.fullmatch(r"12: events\[1\]\.date: '?%s'? is not a valid date" % re.escape(date), got), got


def test_unknown_event_type_with_did_you_mean(tmp_path):
    assert one(tmp_path, EVENTS.replace("type: appeal", "type: apeal")) == \
        "13: events[1].type: unknown event type 'apeal' (did you mean 'appeal'?)"


def test_unknown_field_with_did_you_mean(tmp_path):
    got = one(tmp_path, EVENTS + "    abut: a\n")
    assert got.startswith("14: events[1].abut: not a field of appeal (did you mean 'about'?)")


@pytest.mark.parametrize("field", ["id", "date", "type"])
def test_missing_event_basics(tmp_path, field):
    text = EVENTS.replace({"id": "  - id: p\n    date:", "date": "    date: 2027-03-02\n",
                           "type": "    type: appeal\n"}[field],
                          {"id": "  - date:", "date": "", "type": ""}[field])
    got = one(tmp_path, text)
    assert got == f"11: events[1].{field}: is required"


def test_missing_required_field(tmp_path):
    assert one(tmp_path, EVENTS.replace("    by: russia\n", "")) == "5: events[0].by: is required for attack"


@pytest.mark.parametrize("bad,expected", [
    ("by: rusia", "9: events[0].by: unknown party 'rusia' (did you mean 'russia' or 'usa'?)"),
    ("by: belarus", "9: events[0].by: unknown party 'belarus' (add it under parties: others: to name a "
                    "non-party state)"),
    ("regions: [kyiv, krimea]", "10: events[0].regions[1]: unknown region 'krimea' (did you mean 'crimea'?)"),
    ("kind: war", "8: events[0].kind: 'war' is not one of aggression, armed_attack, military_operation, "
                  "disguised_war, hybrid_war, incident"),
    ("regions: []", "10: events[0].regions: must be a non-empty list"),
    ("regions: kyiv", "10: events[0].regions: must be a non-empty list"),
    ("regions: [kyiv, kyiv]", "10: events[0].regions[1]: 'kyiv' is listed twice"),
    ("by: [russia]", "9: events[0].by: takes a single value, not a list"),
])
def test_bad_field_values(tmp_path, bad, expected):
    key = bad.split(":")[0]
    original = {"by": "by: russia", "regions": "regions: [kyiv]", "kind": "kind: armed_attack"}[key]
    assert one(tmp_path, EVENTS.replace(original, bad)) == expected


def test_unknown_is_only_for_attackers(tmp_path):
    assert one(tmp_path, EVENTS + "  - {id: h, date: 2027-03-02, type: assistance, by: unknown, means: armaments}\n") \
        == "14: events[2].by: unknown party 'unknown' (add it under parties: others: to name a non-party state)"


def test_empty_parties_list_of_a_consultation(tmp_path):
    assert one(tmp_path, EVENTS + "  - {id: c, date: 2027-03-02, type: consultation, parties: []}\n") == \
        "14: events[2].parties: must be a non-empty list"


def test_duplicate_id(tmp_path):
    assert one(tmp_path, EVENTS + "  - {id: a, date: 2027-03-02, type: nuclear_weapons}\n") == \
        "14: events[2].id: duplicate id 'a' (first used on line 5)"


def test_duplicate_id_of_an_event_with_other_problems(tmp_path):
    found = problems(tmp_path, EVENTS.replace("by: russia", "by: rusia")
                     + "  - {id: a, date: 2027-03-02, type: nuclear_weapons}\n")
    assert "14: events[2].id: duplicate id 'a' (first used on line 5)" in found


@pytest.mark.parametrize("bad", ["x y", "a.b", "ünï", "", "a/b"])
def test_bad_ids(tmp_path, bad):
    got = one(tmp_path, EVENTS.replace("id: p", f"id: '{bad}'"))
    assert got == f"11: events[1].id: {bad!r} is not an id (letters, digits, '-' and '_')"


def test_dangling_reference_with_did_you_mean(tmp_path):
    assert one(tmp_path, EVENTS + "    about: aa\n") == "14: events[1].about: no event with id 'aa' (did you mean 'a'?)"


def test_reference_to_the_wrong_type(tmp_path):
    got = one(tmp_path, EVENTS + "  - {id: c, date: 2027-03-02, type: consent, by: uk, about: a}\n")
    assert got.startswith("14: events[2].about: 'a' is a")
    assert "attack" in got and "military_exercise" in got


def test_a_reference_to_a_later_event_is_fine(tmp_path):
    scenario, _ = load_scenario(write(tmp_path, EVENTS + "    about: z\n  - {id: z, date: 2027-03-05, type: attack, "
                                      "kind: hybrid_war, by: unknown, regions: [odesa]}\n"), rules_root=RULES)
    assert [e.id for e in scenario.events] == ["a", "p", "z"]


def test_references_in_a_history_read_one_event_at_a_time(tmp_path):
    # block style: each event is checked as it is read, before the events it names may be
    history = HEAD + textwrap.dedent("""\
        events:
          - id: yes-consent
            date: 2027-03-01
            type: consent
            by: uk
            about: drill
          - id: wrong-consent
            date: 2027-03-01
            type: consent
            by: uk
            about: raid
          - id: talks
            date: 2027-03-02
            type: consultation
            parties: [uk, usa]
            about: nowhere
          - id: drill
            date: 2027-03-03
            type: military_exercise
            participants: [uk]
          - id: raid
            date: 2027-03-04
            type: attack
            kind: hybrid_war
            by: unknown
            regions: [odesa]
        """)
    assert problems(tmp_path, history, dedent=False) == [
        "14: events[1].about: 'raid' is an attack, not a military_exercise",
        "19: events[2].about: no event with id 'nowhere'",
    ]
    fine = history.replace("about: raid", "about: drill").replace("    about: nowhere\n", "")
    scenario, _ = load_scenario(write(tmp_path, fine), rules_root=RULES)
    assert [(e.id, e.line, dict(e.fields)) for e in scenario.events][:3] == [
        ("yes-consent", 5, {"by": ("uk",), "about": ("drill",)}),
        ("wrong-consent", 10, {"by": ("uk",), "about": ("drill",)}),
        ("talks", 15, {"parties": ("uk", "usa")})]


# --- settings -----------------------------------------------------------------------------------
@pytest.mark.parametrize("setting,expected", [
    ("parties: {guarantors: []}", "4: parties.guarantors: must be a non-empty list of names"),
    ("parties: {others: []}", "4: parties.others: must be a non-empty list of names"),
    ("parties: {guarantor: [uk]}", "4: parties.guarantor: unknown list (did you mean 'guarantors'?) "
                                   "(allowed: guarantors, others)"),
    ("parties: {guarantors: [uk, uk]}", "4: parties.guarantors[1]: 'uk' is listed twice"),
    ("parties: {others: [Belarus]}", "4: parties.others[0]: 'Belarus' is not a lower-case name"),
    ("excluded_regions: [crimea, ukraine]", "4: excluded_regions[1]: 'ukraine' can never be excluded"),
    ("excluded_regions: [krimea]", "4: excluded_regions[0]: unknown region 'krimea' (did you mean 'crimea'?)"),
    ("readings: {assistance_mean: menu}", "4: readings.assistance_mean: unknown reading "
                                          "(did you mean 'assistance_means'?)"),
    ("readings: {exercise_consent: most}", "4: readings.exercise_consent: 'most' is not a choice "
                                           "(choices: all, majority)"),
    ("parameters: {consultation_day: 3}", "4: parameters.consultation_day: unknown parameter "
                                          "(did you mean 'consultation_days'?)"),
    ("parameters: {report_days: -1}", "4: parameters.report_days: -1 is not a whole number from 0 to 100000"),
    ("parameters: {crimea_years: fifteen}", "4: parameters.crimea_years: 'fifteen' is not a whole number from 0 "
                                            "to 100000"),
])
def test_bad_settings(tmp_path, setting, expected):
    assert one(tmp_path, HEAD + setting + "\nevents:\n  - {id: n, date: 2027-03-01, type: nuclear_weapons}\n") == \
        expected


# --- expectations ---------------------------------------------------------------------------------
@pytest.mark.parametrize("item,expected", [
    ("{obligation: art4.consul/uk/a, status: fulfilled}",
     "15: expect[0].obligation: 'art4.consul/uk/a' is not an obligation id of istanbul-2022 "
     "(did you mean 'art4.consult'?)"),
    ("{obligation: art4.consult/uk/a, status: fullfilled}",
     "15: expect[0].status: must be one of fulfilled, late, breached, pending, discharged, complied "
     "(did you mean 'fulfilled'?)"),
    ("{obligation: art4.consult/uk/a, status: pending, certainty: sure}",
     "15: expect[0].certainty: must be certain or possible"),
    ("{not_fired: art4.consult/uk/a, reason: art7.notbound}",
     "15: expect[0].reason: unknown provision 'art7.notbound' (did you mean 'art7.not_bound'?)"),
    ("{obligation: art4.consult/uk/a, status: pending, note: x}",
     "15: expect[0].note: unknown key"),
])
def test_bad_expectations(tmp_path, item, expected):
    assert one(tmp_path, EVENTS + "expect:\n  - " + item + "\n") == expected


# --- all problems together ---------------------------------------------------------------------
def test_every_problem_of_a_file_is_reported_together_sorted_by_line(tmp_path):
    text = """\
    scenario: many problems
    treaty: istanbul-2022
    in_forse_from: 2027-01-01
    excluded_regions: [ukraine]
    events:
      - id: a
        date: 2027-03-01
        type: atack
      - id: b
        date: 2027-02-30
        type: attack
        kind: armed_attack
        by: rusia
        regions: [kyvi]
      - id: c
        date: 2027-03-02
        type: appeal
        about: zzz
    expect:
      - {obligation: art4.consult/uk/b, status: fullfilled}
    """
    assert problems(tmp_path, text) == [
        "3: in_forse_from: unknown key (did you mean 'in_force_from'?)",
        "4: excluded_regions[0]: 'ukraine' can never be excluded",
        "8: events[0].type: unknown event type 'atack' (did you mean 'attack'?)",
        "10: events[1].date: '2027-02-30' is not a valid date",
        "13: events[1].by: unknown party 'rusia' (did you mean 'russia' or 'usa'?)",
        "14: events[1].regions[0]: unknown region 'kyvi' (did you mean 'kyiv'?)",
        "18: events[2].about: no event with id 'zzz'",
        "20: expect[0].status: must be one of fulfilled, late, breached, pending, discharged, complied "
        "(did you mean 'fulfilled'?)",
    ]


# --- command-line overrides are usage errors, not file errors ------------------------------------
@pytest.mark.parametrize("kwargs,start", [
    ({"readings": {"assistance_mean": "menu"}}, "--reading: istanbul-2022 has no reading 'assistance_mean' "
                                                "(did you mean 'assistance_means'?)"),
    ({"readings": {"assistance_means": "all"}}, "--reading: 'all' is not a choice of assistance_means "
                                                "(choices: menu, as_requested)"),
    ({"parameters": {"consultation_day": 2}}, "--param: istanbul-2022 has no parameter 'consultation_day' "
                                              "(did you mean 'consultation_days'?)"),
    ({"as_of": "2027-02-30"}, "--as-of: '2027-02-30' is not a valid date (YYYY-MM-DD)"),
])
def test_bad_overrides(tmp_path, kwargs, start):
    path = write(tmp_path, EVENTS)
    with pytest.raises(UsageError) as info:
        load_scenario(path, rules_root=RULES, **kwargs)
    assert len(info.value.lines()) == 1
    assert info.value.lines()[0].startswith(start)


def test_a_good_file_loads(tmp_path):
    scenario, pack = load_scenario(write(tmp_path, EVENTS), rules_root=RULES)
    assert pack.name == "istanbul-2022"
    assert [(e.id, e.type, e.seq) for e in scenario.events] == [("a", "attack", 0), ("p", "appeal", 1)]
    assert scenario.events[0].fields["regions"] == ("kyiv",)


# --- no input escapes as anything but a CheckerError -----------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from checker.engine.check import check_file  # noqa: E402
from checker.errors import CheckerError  # noqa: E402
from tests.helpers import ROOT  # noqa: E402

SEED_TEXT = (ROOT / "facts" / "istanbul-2022" / "hybrid-grid.yaml").read_text()
ALPHABET = st.sampled_from(list(":-[]{},&*!|>#'\"\n\t ") + ["  ", "- ", ": ", "2027-02-30", "~", "null", "0x1f",
                                                            "é", "\x00", "id", "type", "about", "&a", "*a"])


@st.composite
def corrupted(draw):
    lines = SEED_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "splice", "swap"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            a = draw(st.integers(0, len(line)))
            b = draw(st.integers(a, len(line)))
            lines[i] = line[:a] + "".join(draw(st.lists(ALPHABET, max_size=3))) + line[b:]
    return "".join(lines)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=corrupted())
def test_a_corrupted_scenario_is_checked_or_rejected_never_crashes(tmp_path, text):
    path = write(tmp_path, text)
    try:
        check_file(path, rules_root=RULES)
    except CheckerError as exc:
        assert exc.lines() and all(LINE.match(line) for line in exc.lines()), exc.lines()


# --- YAML values are what they look like (the YAML 1.2 core schema) -------------------------------
ALLIANCE = HEAD + "events:\n  - id: m\n    date: 2027-03-01\n    type: alliance_membership\n    alliance: {}\n"


@pytest.mark.parametrize("written", ["0x10", "1:30", "yes", "No", "on", "OFF", "y", "1e3", "007", "+5", ".5",
                                     "1_000", "2027-03-01", "0o17", ".inf"])
def test_free_text_is_kept_as_it_was_written(tmp_path, written):
    # YAML 1.1 would read 0x10 as 16, 1:30 as 90, yes/on as true and 1_000 as 1000
    scenario, _ = load_scenario(write(tmp_path, ALLIANCE.format(written)), rules_root=RULES)
    assert scenario.events[0].fields["alliance"] == (written,)


@pytest.mark.parametrize("written", ["true", "False", "null", "~"])
def test_a_boolean_or_null_in_free_text_is_refused_with_a_hint(tmp_path, written):
    assert one(tmp_path, ALLIANCE.format(written)) == "8: events[0].alliance: must be text (quote it)"


def test_a_quoted_boolean_is_text(tmp_path):
    scenario, _ = load_scenario(write(tmp_path, ALLIANCE.format('"true"')), rules_root=RULES)
    assert scenario.events[0].fields["alliance"] == ("true",)


@pytest.mark.parametrize("value,expected", [
    ("1:30", "'1:30' is not a whole number from 0 to 100000"),  # not 90
    ("yes", "'yes' is not a whole number from 0 to 100000"),
    ("true", "true is not a whole number from 0 to 100000"),
    ("", "null is not a whole number from 0 to 100000 (istanbul-2022 needs a value for consultation_days "
         "(default 3); only a parameter whose default is null may be left unset)"),
    ("1_000", "'1_000' is not a whole number from 0 to 100000"),
    ("2.5", "2.5 is not a whole number from 0 to 100000"),
])
def test_a_parameter_is_a_whole_number_as_yaml_1_2_reads_it(tmp_path, value, expected):
    assert one(tmp_path, HEAD + f"parameters: {{consultation_days: {value}}}\nevents: []\nas_of: 2027-03-01\n") == \
        f"4: parameters.consultation_days: {expected}"


@pytest.mark.parametrize("value,number", [("0x10", 16), ("0o17", 15), ("007", 7), ("+5", 5), ("12", 12)])
def test_the_integers_of_the_core_schema(tmp_path, value, number):
    path = write(tmp_path, HEAD + f"parameters: {{consultation_days: {value}}}\nevents: []\nas_of: 2027-03-01\n")
    scenario, _ = load_scenario(path, rules_root=RULES)
    assert scenario.parameters["consultation_days"] == number
    assert type(scenario.parameters["consultation_days"]) is int


@pytest.mark.parametrize("field,value,expected", [
    ("by", "no", "9: events[0].by: unknown party 'no' (add it under parties: others: to name a non-party state)"),
    ("regions", "[on]", "10: events[0].regions[0]: unknown region 'on'"),
    ("kind", "off", "8: events[0].kind: 'off' is not one of aggression, armed_attack, military_operation, "
                    "disguised_war, hybrid_war, incident"),
    ("by", "0x10", "9: events[0].by: '0x10' is not a name"),
])
def test_a_name_that_yaml_1_1_would_read_as_something_else_is_a_word(tmp_path, field, value, expected):
    original = {"by": "by: russia", "regions": "regions: [kyiv]", "kind": "kind: armed_attack"}[field]
    assert one(tmp_path, EVENTS.replace(original, f"{field}: {value}")) == expected


def test_occurred_yes_is_not_a_boolean(tmp_path):
    text = EVENTS.replace("    type: appeal\n", "    type: appeal\n    occurred: yes\n")
    assert one(tmp_path, text) == "14: events[1].occurred: 'yes': say `occurred: maybe` for an event that may not have happened"
    scenario, _ = load_scenario(write(tmp_path, text.replace("occurred: yes", "occurred: true")), rules_root=RULES)
    assert not scenario.events[1].maybe


def test_a_reading_and_a_key_are_words(tmp_path):
    assert problems(tmp_path, HEAD + "readings: {exercise_consent: yes}\nyes: 1\nevents: []\n") == [
        "4: readings.exercise_consent: 'yes' is not a choice (choices: all, majority)",
        "5: yes: unknown key"]
