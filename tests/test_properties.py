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


# --- the line-by-line YAML reader gives what the full parser gives, or gives up --------------
def _same_document(fast, full, where="$"):
    """Values, types and every recorded line equal (yamlsrc.LDict/LList carry lines)."""
    from checker.io.yamlsrc import LDict, LList

    assert type(fast) is type(full), where
    if isinstance(full, LDict):
        assert (fast.line, fast.key_lines, list(fast)) == (full.line, full.key_lines, list(full)), where
        for key in full:
            _same_document(fast[key], full[key], f"{where}.{key}")
    elif isinstance(full, LList):
        assert (fast.line, fast.item_lines, len(fast)) == (full.line, full.item_lines, len(full)), where
        for i, (a, b) in enumerate(zip(fast, full)):
            _same_document(a, b, f"{where}[{i}]")
    else:
        assert fast == full, where


def _full_parse(text):
    from checker.io import yamlsrc

    saved = yamlsrc._plain_block_document
    yamlsrc._plain_block_document = lambda _text: None
    try:
        return yamlsrc.parse(text)
    except yamlsrc.YamlProblem as exc:
        return ("problem", exc.line, exc.message)
    finally:
        yamlsrc._plain_block_document = saved


_SCALARS = st.sampled_from([
    "kyiv", "attack-12", "2027-03-01", "2027-02-30", "12", "0777", "0x1f", "1_000", "1e5", "1.5", "-3",
    "yes", "No", "on", "OFF", "true", "False", "null", "Null", "~", "", "a b", "a  b", "it's", "x:y",
    "a, b", "(seed 1)", "a#b", "a #b", "'quoted'", '"quoted"', '"has # inside"', "'it''s'", '"esc\\"aped"',
    "[a, b]", "[]", "[ ]", "[1, yes, x]", "[a, [b]]", "{a: 1}", "&anchor x", "*alias", "!tag x", "|", ">",
    "- x", "? x", "@x", "`x", "%x", ".5", "x ", "ä", "kyiv  ",
])
_KEYS = st.sampled_from(["id", "date", "type", "by", "regions", "about", "yes", "null", "x1", "Key", "_k"])


@st.composite
def block_yaml(draw, depth=0):
    """Lines of a block mapping or sequence, with comments, odd indents and tricky scalars."""
    indent = " " * draw(st.sampled_from([0, 2, 4])) if depth else ""
    lines = []
    if draw(st.booleans()) or depth == 0:
        for _ in range(draw(st.integers(1, 4))):
            key = draw(_KEYS)
            if depth < 2 and draw(st.integers(0, 3)) == 0:
                lines.append(f"{indent}{key}:" + draw(st.sampled_from(["", " # note"])))
                lines += [(" " * draw(st.sampled_from([0, 2])) if False else "") + line
                          for line in draw(block_yaml(depth=depth + 1))]
            else:
                lines.append(f"{indent}{key}: {draw(_SCALARS)}" + draw(st.sampled_from(["", " # c", "  "])))
            if draw(st.integers(0, 5)) == 0:
                lines.append(draw(st.sampled_from(["", "# comment", "   # indented comment"])))
    else:
        for _ in range(draw(st.integers(1, 3))):
            if depth < 2 and draw(st.booleans()):
                first, *rest = draw(block_yaml(depth=depth + 1))
                lines.append(f"{indent}- {first.lstrip(' ')}")
                lines += [f"{indent}  {line.lstrip(' ')}" for line in rest]
            else:
                lines.append(f"{indent}- {draw(_SCALARS)}")
    return lines


@settings(max_examples=300, deadline=None, derandomize=True)
@given(lines=block_yaml())
def test_the_line_reader_agrees_with_the_full_yaml_parser(lines):
    from checker.io import yamlsrc

    text = "\n".join(lines) + "\n"
    fast = yamlsrc._plain_block_document(text)
    if fast is not None:
        full = _full_parse(text)
        assert not isinstance(full, tuple), (text, full)  # the full parser must accept it too
        _same_document(fast, full)


def test_the_line_reader_reads_generated_histories_and_every_corpus_file_alike():
    import sys

    from checker.io import yamlsrc
    from tests.helpers import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate, to_yaml

    for events, treaty_events in ((300, True), (120, False)):
        text = to_yaml(generate(events, seed=7, treaty_events=treaty_events))
        fast = yamlsrc._plain_block_document(text)
        assert fast is not None  # the benchmark's histories take the fast path
        _same_document(fast, _full_parse(text))
    for path in sorted((ROOT / "facts").rglob("*.yaml")) + sorted((ROOT / "rules").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = yamlsrc._plain_block_document(text)
        if fast is not None:
            _same_document(fast, _full_parse(text), str(path))


# --- the events of a history, read one at a time, are what the line reader reads -----------
def _streamed(text):
    """yamlsrc.stream's document with its items read and detailed, as one tree; None when it
    declines, "not plain" when an item makes it give up."""
    from checker.io import yamlsrc

    doc = yamlsrc.stream(text)
    if doc is None:
        return None
    items = doc["events"]
    out = yamlsrc.LList()
    out.line, out.item_lines = items.line, []
    try:
        for line, item in items:
            out.append(items.detailed(line, item))
            out.item_lines.append(line)
    except yamlsrc.NotPlain:
        return "not plain"
    assert items.read
    doc["events"] = out
    return doc


_ITEM_LINES = st.sampled_from(["", "# comment", "   # indented comment", "  ", "-", "- x", "x: 1",
                               "date:", "  between: [2027-01-01, 2027-01-02]", "regions:", "  - kyiv",
                               "kind: {a: 1}", "by: &a uk", "by: *a", "text: |", "  more"])


_SAFE_SCALARS = st.sampled_from([
    "kyiv", "attack-12", "2027-03-01", "12", "yes", "1.5", "~", "0x1f", "a b", "it's", "(seed 1)",
    "[a, b]", "[]", "[ ]", "[1, yes, x]", "[kyiv,lviv]", "'quoted'", '"quoted"', '""', "x_1.y-2",
])
_ITEM_VALUES = st.one_of(_SAFE_SCALARS, _SAFE_SCALARS, _SAFE_SCALARS, _SCALARS)
_ITEM_KEYS = st.one_of(st.sampled_from(["id", "date", "type", "by", "regions", "about"]), _KEYS)


@st.composite
def event_histories(draw):
    """A top-level mapping with an `events:` block sequence: items mostly one `key: value` a
    line, sometimes with comments, nested blocks, odd indents and lines outside the subset."""
    top = " " * draw(st.sampled_from([0, 0, 2]))
    col = len(top) + draw(st.sampled_from([0, 2, 4]))
    lines = [f"{top}scenario: {draw(_ITEM_VALUES)}"] if draw(st.booleans()) else []
    lines.append(f"{top}events:" + draw(st.sampled_from(["", " # the history", "  "])))
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 7)) == 0:
            lines.append(f"{' ' * col}- {draw(_ITEM_VALUES)}")
            continue
        keys = draw(st.lists(_ITEM_KEYS, min_size=1, max_size=4, unique=draw(st.integers(0, 5)) > 0))
        for k, key in enumerate(keys):
            shift = draw(st.sampled_from([0] * 18 + [1, -1]))
            lead = f"{' ' * col}- " if k == 0 else " " * (col + 2 + shift)
            lines.append(f"{lead}{key}: {draw(_ITEM_VALUES)}" + draw(st.sampled_from([""] * 8 + [" # c", "  "])))
            if draw(st.integers(0, 12)) == 0:
                odd = draw(_ITEM_LINES)
                lines.append(odd if odd.startswith("#") or not odd else " " * (col + 2) + odd)
    if draw(st.booleans()):
        lines.append(f"{top}as_of: {draw(_ITEM_VALUES)}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from([f"{top}events: []", "- x", f"{top}-", "# end", ""])))
    return lines


@settings(max_examples=600, deadline=None, derandomize=True)
@given(lines=event_histories(), end=st.sampled_from(["\n", "", "\n\n", "\n  \n"]))
def test_reading_the_events_one_at_a_time_agrees_with_the_line_reader(lines, end):
    from checker.io import yamlsrc

    text = "\n".join(lines) + end
    whole = yamlsrc._plain_block_document(text)
    streamed = _streamed(text)
    if whole is None:
        assert streamed in (None, "not plain"), text  # it never reads what the line reader refuses
    else:
        assert isinstance(streamed, yamlsrc.LDict), text  # nor gives up on what it reads
        _same_document(streamed, whole)


def test_generated_histories_and_the_corpus_are_read_one_event_at_a_time_alike():
    import sys

    from checker.io import yamlsrc
    from tests.helpers import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate, to_yaml

    text = to_yaml(generate(300, seed=7, treaty_events=True))
    assert yamlsrc.stream(text) is not None
    _same_document(_streamed(text), yamlsrc._plain_block_document(text))
    for path in sorted((ROOT / "facts").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        whole = yamlsrc._plain_block_document(text)
        if whole is not None:
            _same_document(_streamed(text), whole, str(path))


# --- a JSON history read one event at a time is what json reads ------------------------------
_JSON_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(
    ["kyiv", "2027-03-01", 'a"b', "é", "{[,]}"])), lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "date", "type", "by"]), inner, max_size=3), max_leaves=6)


@st.composite
def json_histories(draw):
    """JSON text of a top-level object with an events array, sometimes broken on purpose."""
    import json

    keys = draw(st.permutations(["scenario", "treaty", "events", "as_of", "expect"]))
    doc = {k: draw(_JSON_VALUES) for k in keys[:draw(st.integers(1, 5))]}
    doc["events"] = draw(st.lists(_JSON_VALUES, max_size=4))
    text = json.dumps(doc, indent=draw(st.sampled_from([None, 1])))
    mutation = draw(st.integers(0, 8))
    if mutation == 1:
        text = text[:draw(st.integers(0, len(text)))]
    elif mutation == 2:
        text = text.replace('"kyiv"', "NaN", 1)
    elif mutation == 3:
        text = text.replace('{"id"', '{"id": 1, "id"', 1).replace('"as_of"', '"events": [], "as_of"', 1)
    elif mutation == 4:
        text = text.replace("]", ",]", 1) if draw(st.booleans()) else text + draw(st.sampled_from([" x", "\n", "}"]))
    return text


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=json_histories())
def test_reading_json_events_one_at_a_time_agrees_with_json(text):
    from checker.io import jsonsrc

    try:
        whole = jsonsrc.parse(text)
    except jsonsrc.JsonProblem:
        whole = None
    doc = jsonsrc.stream(text)
    if doc is None:
        return
    items = doc["events"]
    try:
        doc["events"] = [item for _, item in items]
    except jsonsrc.Fallback:
        return
    assert items.read
    doc.update(items.rest)
    assert whole is not None, text  # it never reads what json refuses
    assert list(doc.items()) == list(whole.items()), text
