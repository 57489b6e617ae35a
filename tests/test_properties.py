"""Invariants a lawyer would state, on random histories (hypothesis):

- moving every date of a scenario by the same number of days changes no verdict;
- the order of the events in the file changes no status (it only breaks ties between events
  of one day, so which event is *named* may change, never what happened when);
- renaming a party renames it in every verdict, and changes nothing else;
- adding a consultation (an act that creates no duty of its own) never creates a breach.
And two for the machinery: decode's reading of atoms from their text agrees with the symbol
API on any strings, and the benchmark's generated histories are valid, JSON as YAML.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run

BASE = dt.date(2027, 3, 1)
PARTIES = ["russia", "uk", "usa", "belarus"]
GUARANTORS = ["russia", "uk", "usa"]
REGIONS = ["kyiv", "crimea", "kharkiv", "donetsk_occupied", "ukraine"]
MEANS = ["armaments", "airspace_closure", "armed_force"]
KINDS = ["armed_attack", "hybrid_war", "incident"]


@st.composite
def histories(draw):
    """A small random history: attacks first (so references can be drawn), then the rest."""
    n_attacks = draw(st.integers(1, 3))
    events = []
    for i in range(n_attacks):
        events.append({"id": f"a{i}", "day": draw(st.integers(0, 12)), "type": "attack",
                       "kind": draw(st.sampled_from(KINDS)), "by": draw(st.sampled_from(PARTIES + ["unknown", "ukraine"])),
                       "regions": draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique=True))})
    attacks = [e["id"] for e in events]
    about = st.one_of(st.none(), st.sampled_from(attacks))
    for i in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["appeal", "consultation", "assistance", "unsc_report", "unsc_measures",
                                     "finding", "nuclear_weapons", "military_exercise", "foreign_troops"]))
        e = {"id": f"e{i}", "day": draw(st.integers(0, 20)), "type": kind}
        if kind == "appeal":
            e["about"] = draw(about)
        elif kind == "consultation":
            e["parties"] = draw(st.lists(st.sampled_from(PARTIES + ["ukraine"]), min_size=1, max_size=4, unique=True))
            e["about"] = draw(about)
        elif kind == "assistance":
            e.update(by=draw(st.sampled_from(PARTIES)), means=draw(st.sampled_from(MEANS)), about=draw(about))
        elif kind == "unsc_report":
            e.update(by=draw(st.sampled_from(PARTIES)))
        elif kind == "unsc_measures":
            e["about"] = draw(about)
        elif kind == "finding":
            e.update(about=draw(st.sampled_from(attacks)), result=draw(st.sampled_from(["provocation", "aggression"])))
        elif kind == "military_exercise":
            e["participants"] = ["usa", "ukraine"]
        elif kind == "foreign_troops":
            e.update(by=draw(st.sampled_from(PARTIES)), purpose="assistance", about=draw(st.sampled_from(attacks)))
        events.append({k: v for k, v in e.items() if v is not None})
    for i, e in enumerate(list(events)):
        if e["type"] == "military_exercise":
            for g in draw(st.lists(st.sampled_from(GUARANTORS), max_size=3, unique=True)):
                events.append({"id": f"c{i}{g}", "day": draw(st.integers(0, e["day"] + 2)), "type": "consent",
                               "by": g, "about": e["id"]})
    return {"events": events, "in_force": draw(st.integers(-3, 6)), "as_of": draw(st.integers(8, 24)),
            "permutation": draw(st.permutations(range(len(events))))}


def _scenario(tmp_path, history, shift=0, order=None):
    def day(n):
        return (BASE + dt.timedelta(days=n + shift)).isoformat()

    events = [history["events"][i] for i in (order or range(len(history["events"])))]
    out = [{"id": e["id"], "date": day(e["day"]), **{k: v for k, v in e.items() if k not in ("id", "day")}}
           for e in events]
    return run(tmp_path, out, in_force_from=day(history["in_force"]), as_of=day(history["as_of"]),
               parties={"guarantors": GUARANTORS, "others": ["belarus"]})


def _verdicts(v, shift=0, named=True):
    def back(day):
        return None if day is None else day - shift

    obligations = sorted((o.id, o.status, back(o.fired_on), back(o.deadline), back(o.breached_on),
                          back(o.discharged_on), *((o.met_by, o.breached_by, o.discharged_by) if named else ()))
                         for o in v.obligations)
    return obligations, sorted((n.id, n.blocked_by) for n in v.not_fired)


SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(history=histories(), shift=st.sampled_from([-400, -1, 1, 2, 30, 365, 3000]))
def test_moving_every_date_by_the_same_amount_changes_no_verdict(tmp_path, history, shift):
    before = _scenario(tmp_path, history)
    after = _scenario(tmp_path, history, shift=shift)
    assert _verdicts(after, shift=shift) == _verdicts(before)


@SETTINGS
@given(history=histories())
def test_the_order_of_events_changes_no_status(tmp_path, history):
    before = _scenario(tmp_path, history)
    after = _scenario(tmp_path, history, order=history["permutation"])
    assert _verdicts(after, named=False) == _verdicts(before, named=False)


# --- renaming a party, adding a consultation (issue 6, point 3) --------------------------------
# Parties the rules name by hand (russia in point 8, ukraine everywhere) are not renamed: the
# invariant is about the generic guarantors and non-parties.
RENAMES = {"uk": "atlantis", "usa": "lilliput", "belarus": "ruritania"}


def _renamed(history, old: str, new: str):
    def swap(value):
        if isinstance(value, list):
            return [new if v == old else v for v in value]
        return new if value == old else value

    events = [{k: (swap(v) if k in ("by", "parties", "participants") else v) for k, v in e.items()}
              for e in history["events"]]
    return {**history, "events": events}


def _run_with(tmp_path, history, parties):
    def day(n):
        return (BASE + dt.timedelta(days=n)).isoformat()

    out = [{"id": e["id"], "date": day(e["day"]), **{k: v for k, v in e.items() if k not in ("id", "day")}}
           for e in history["events"]]
    return run(tmp_path, out, in_force_from=day(history["in_force"]), as_of=day(history["as_of"]),
               parties=parties)


def _holder_renamed(ob_id: str, old: str, new: str) -> str:
    provision, holder, *trigger = ob_id.split("/")
    return "/".join([provision, new if holder == old else holder, *trigger])


@SETTINGS
@given(history=histories(), old=st.sampled_from(sorted(RENAMES)))
def test_renaming_a_party_renames_it_in_every_verdict(tmp_path, history, old):
    new = RENAMES[old]

    def parties(rename):
        lists = {"guarantors": list(GUARANTORS), "others": ["belarus"]}
        return {k: [new if rename and p == old else p for p in v] for k, v in lists.items()}

    before = _run_with(tmp_path, history, parties(False))
    after = _run_with(tmp_path, _renamed(history, old, new), parties(True))
    expected = sorted((_holder_renamed(o.id, old, new), new if o.holder == old else o.holder, o.status,
                       o.fired_on, o.deadline, o.met_by, o.breached_on, o.breached_by)
                      for o in before.obligations)
    assert sorted((o.id, o.holder, o.status, o.fired_on, o.deadline, o.met_by, o.breached_on, o.breached_by)
                  for o in after.obligations) == expected
    assert sorted((n.id, n.blocked_by) for n in after.not_fired) == sorted(
        (_holder_renamed(n.id, old, new), n.blocked_by) for n in before.not_fired)
    assert all(old not in (o.holder,) for o in after.obligations)


@st.composite
def with_consultation(draw):
    history = draw(histories())
    attacks = [e["id"] for e in history["events"] if e["type"] == "attack"]
    extra = {"id": "extra-consultation", "day": draw(st.integers(0, 26)), "type": "consultation",
             "parties": draw(st.lists(st.sampled_from(PARTIES + ["ukraine"]), min_size=1, max_size=4, unique=True))}
    about = draw(st.one_of(st.none(), st.sampled_from(attacks)))
    if about is not None:
        extra["about"] = about
    return history, {**history, "events": history["events"] + [extra]}


BREACHES = ("breached", "late")


@SETTINGS
@given(pair=with_consultation())
def test_adding_a_consultation_never_creates_a_breach(tmp_path, pair):
    before_h, after_h = pair
    before = _scenario(tmp_path, before_h)
    after = _scenario(tmp_path, after_h)
    was = {o.id: o.status for o in before.obligations}
    for o in after.obligations:
        if o.status in BREACHES:
            assert was.get(o.id) in BREACHES, (o.id, was.get(o.id), o.status)
    # and it fires nothing: a consultation is an act that creates no duty of its own
    assert {o.id for o in after.obligations} == set(was)
    assert {n.id for n in after.not_fired} == {n.id for n in before.not_fired}


# --- decode reads atoms from their text: it must agree with the symbol API --------------------
_names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@st.composite
def shown_atoms(draw):
    import clingo

    def part(strings_only=False):
        if strings_only or draw(st.booleans()):
            return clingo.String(draw(_texts))
        return clingo.Function(draw(_names))

    atoms = []
    for _ in range(draw(st.integers(1, 12))):
        trigger = clingo.Function("none") if draw(st.booleans()) else part()
        ob = clingo.Function("ob", [part(True), part(), trigger])
        name = draw(st.sampled_from(["fired", "not_fired", "status", "deadline", "met_by", "breached_on",
                                     "breached_by", "discharged_by", "discharged_on"]))
        if name in ("fired", "deadline", "breached_on", "discharged_on"):
            value = clingo.Number(draw(st.integers(-10**6, 10**7)))
        elif name == "not_fired":
            value = clingo.String(draw(_texts))
        else:
            value = draw(st.sampled_from([clingo.String(draw(_texts)), clingo.Function(draw(_names))]))
        atoms.append(clingo.Function(name, [ob, value]))
    return atoms


@settings(max_examples=50, deadline=None, derandomize=True)
@given(atoms=shown_atoms())
def test_decoding_atoms_from_their_text_agrees_with_the_symbol_api(atoms):
    from checker.engine import decode as decode_module
    from checker.engine.clingo_io import atoms_of

    for (name, _), block in zip(decode_module.OUTPUTS, atoms_of(atoms, decode_module.OUTPUTS)):
        slow = decode_module._pairs_of_symbols(block.symbols())
        assert decode_module._pairs(name, block) == slow
        for ob, _value in slow:
            assert decode_module._duty(ob) == decode_module._ob_key(clingo_term(ob))


def test_a_single_atom_is_read_from_its_text_too():
    # clingo prints a tuple of one as "(a,)"
    import clingo

    from checker.engine import decode as decode_module
    from checker.engine.clingo_io import Atoms

    ob = clingo.Function("ob", [clingo.String("p"), clingo.Function("uk"), clingo.String("a")])
    atom = clingo.Function("breached_by", [ob, clingo.String("e1")])
    text = str(clingo.Tuple_([atom]))
    assert text.endswith(",)")

    def no_symbols():
        raise AssertionError("read through the symbol API")

    assert decode_module._pairs("breached_by", Atoms(text, 1, no_symbols)) == [('ob("p",uk,"a")', "e1")]


def clingo_term(text):
    import clingo

    return clingo.parse_term(text)


def test_atoms_a_pack_shows_for_its_own_use_are_no_part_of_the_report():
    import clingo

    from checker.engine import decode as decode_module
    from checker.engine.clingo_io import atoms_of

    ob = clingo.Function("ob", [clingo.String("p"), clingo.Function("uk"), clingo.String("a")])
    atoms = [clingo.Function("status", [clingo.String("a"), clingo.String("b")]), clingo.Number(3),
             clingo.Function("fired", [ob, clingo.Number(7)]), clingo.Function("debug", []),
             clingo.Function("status", [ob, clingo.Function("late")])]
    fired, status = atoms_of(atoms, [("fired", 2), ("status", 2)])
    assert decode_module._pairs("fired", fired) == [('ob("p",uk,"a")', 7)]
    assert decode_module._pairs("status", status) == [('ob("p",uk,"a")', "late")]


# --- the benchmark's generator: valid histories, and JSON reads as YAML does ------------------
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), size=st.integers(25, 150), treaty_events=st.booleans())
def test_generated_histories_are_valid_and_json_matches_yaml(tmp_path, seed, size, treaty_events):
    import sys

    from checker.engine.check import check_file
    from tests.helpers import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate, write

    yaml_path, json_path = write(generate(size, seed, treaty_events=treaty_events), tmp_path / f"h{seed}")
    from_yaml, _ = check_file(yaml_path)
    from_json, _ = check_file(json_path)
    assert from_yaml.obligations == from_json.obligations and from_yaml.not_fired == from_json.not_fired
    assert from_yaml.obligations  # a history with attacks fires duties


# --- what whatif --save writes reads back as what was checked ----------------------------------
_WRITTEN = st.sampled_from(["0x10", "1:30", "yes", "on", "1e3", "007", "+5", "true", "null", "~", "2027-03-01",
                            "1_000", ".inf", "-0", "0o17", "", " ", "a: b", "- x", "# not a comment", "'", '"'])
_TEXT = st.one_of(_WRITTEN, st.text(st.characters(blacklist_categories=("Cs",)), max_size=20))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(texts=st.lists(_TEXT, min_size=1, max_size=6), plain=st.lists(_WRITTEN, max_size=4))
def test_a_saved_document_reads_back_as_the_same_values(texts, plain):
    """Text stays text, whatever it looks like; a number read from YAML stays the number,
    written as it was (what `whatif --save` and `repair --save` write through)."""
    from checker.io.yamltext import dump_yaml, read_yaml

    numbers = read_yaml("[" + ", ".join(v for v in plain if v not in ("", " ", "a: b", "- x", "# not a comment",
                                                                        "'", '"')) + "]")
    doc = {"texts": texts, "numbers": numbers, "nested": {"t": texts[0], "n": numbers}}
    back = read_yaml(dump_yaml(doc))
    assert back == doc
    assert [getattr(v, "written", None) for v in back["numbers"]] == [getattr(v, "written", None) for v in numbers]
    assert all(type(b) is type(a) for a, b in zip(texts, back["texts"]))


# --- a problem is reported on the line where it stands, YAML or JSON, whatever the layout -------
@st.composite
def with_a_bad_name(draw):
    """A valid history with one name replaced by one no pack knows, and the path to it."""
    history = draw(histories())
    events = [{"id": e["id"], "date": (BASE + dt.timedelta(days=e["day"])).isoformat(),
               **{k: v for k, v in e.items() if k not in ("id", "day")}} for e in history["events"]]
    places = [(i, key, j) for i, e in enumerate(events) for key, v in e.items()
              if key in ("by", "regions", "parties", "participants")
              for j in (range(len(v)) if isinstance(v, list) else [None])]
    i, key, j = draw(st.sampled_from(places))
    if j is None:
        events[i][key] = "zz-bad"
    else:
        events[i][key][j] = "zz-bad"
    return events, (i, key, j)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=with_a_bad_name(), layout=st.sampled_from(["yaml-block", "yaml-flow", "json-1", "json-0", "json-none"]))
def test_a_problem_is_reported_on_the_line_where_it_stands(tmp_path, case, layout):
    import json

    import pytest
    import yaml

    from checker.errors import ScenarioError
    from checker.io.scenario import load_scenario
    from tests.helpers import RULES

    events, (i, key, j) = case
    doc = {"scenario": "x", "treaty": "istanbul-2022", "in_force_from": "2027-01-01",
           "parties": {"guarantors": GUARANTORS, "others": ["belarus"]}, "events": events}
    if layout.startswith("yaml"):
        text = yaml.safe_dump(doc, sort_keys=False, default_flow_style=layout == "yaml-flow", width=60)
        path = tmp_path / "s.yaml"
    else:
        indent = {"json-1": 1, "json-0": 0, "json-none": None}[layout]
        text = json.dumps(doc, indent=indent)
        path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, rules_root=RULES)
    (line,) = [p.line for p in info.value.problems if "zz-bad" in p.message]
    field = f"events[{i}].{key}" + ("" if j is None else f"[{j}]")
    assert [p.field for p in info.value.problems if "zz-bad" in p.message] == [field]
    assert "zz-bad" in text.splitlines()[line - 1], (layout, line, text)
