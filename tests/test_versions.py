"""Versions of a treaty: a pack that extends another (docs/packs.md, "Versions of a treaty").

A small treaty, `club`, and a version of it, `club-v2`, are written into a rules folder of
the test's own (with the real rules/common): what the version inherits, replaces, adds and
removes, in its manifest and its rule files; the errors of a broken chain, each at the line
of the file that holds it; and `checker diff --base-pack/--head-pack` over the two.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.errors import PackError
from checker.io.pack import load_pack, rule_files
from tests.helpers import RULES

CLUB = """\
treaty: club
title: A club whose members meet when one of them asks
source: written for the tests
dates: {founded: 2020-01-01}
parties:
  lists: {members: [ash, birch, cedar]}
regions: [iceland]
event_types:
  request:
    fields: {by: {type: party, required: true}}
    says: "{by} asks for a meeting"
  meeting:
    fields: {parties: {type: party, list: true, required: true}, about: {type: event, to: request}}
    says: "{parties} meet"
  noise:
    fields: {}
    says: "a noise"
provisions:
  - id: c1.attend
    kind: achievement
    title: Members attend a meeting asked for
    source: test
    text: every member attends within attend_days of a request
  - id: c2.quiet
    kind: maintenance
    title: No noise
    source: test
    text: no member makes noise
  - id: c3.later
    kind: set_aside
    title: Matters for later
    source: test
    text: nothing to check
readings:
  attendance: {choices: [all, any], default: all, meaning: "who attends"}
parameters:
  attend_days: {default: 3, meaning: "days to attend"}
repairs:
  c1.attend: {event: meeting, fields: {parties: holders, about: trigger}}
"""

ATTEND = """\
%*
# c1 - members attend
Encodes : c1.attend
Reading : each member attends a meeting within attend_days of a request.
Reads   : occurred/3, arg/3, role/2, param/2
Writes  : would_fire/2, deadline/2, meets/3
*%
would_fire(ob("c1.attend", M, R), D) :- occurred(R, request, D), role(M, members).
deadline(ob("c1.attend", M, R), D + N) :- would_fire(ob("c1.attend", M, R), D), param(attend_days, N).
meets(ob("c1.attend", M, R), E, Day) :- would_fire(ob("c1.attend", M, R), D), occurred(E, meeting, Day),
                                        arg(E, parties, M), Day >= D.
"""

QUIET = """\
%*
# c2 - no noise
Encodes : c2.quiet
Reading : a noise breaks every member's duty.
Reads   : occurred/3, role/2, as_of/1
Writes  : would_fire/2, violates/3
*%
would_fire(ob("c2.quiet", M, none), N) :- role(M, members), as_of(N).
violates(ob("c2.quiet", M, none), E, D) :- occurred(E, noise, D), role(M, members).
"""

V2 = """\
treaty: club-v2
extends: club
title: The club, second version
parties:
  lists: {members: [ash, birch]}
event_types:
  meeting:
    fields: {parties: {type: party, list: true, required: true}, about: {type: event, to: request, required: true}}
    says: "{parties} meet about {about}"
provisions:
  - id: c1.attend
    kind: achievement
    title: Members attend a meeting about the request
    source: test, second version
    text: every member attends, within attend_days, a meeting about the request
  - id: c4.minutes
    kind: set_aside
    title: Minutes
    source: test, second version
    text: nothing to check
readings:
  attendance: {choices: [all, most], default: most, meaning: "who attends, again"}
parameters:
  attend_days: {default: 1, meaning: "a day to attend"}
remove:
  provisions: [c3.later]
"""

# the version's c1: only a meeting about the request counts
ATTEND_V2 = ATTEND.replace("arg(E, parties, M), Day >= D.", "arg(E, parties, M), arg(E, about, R), Day >= D.")

SCENARIO = """\
scenario: {title}
treaty: {treaty}
as_of: 2027-03-10
events:
  - {{id: ask, date: 2027-03-01, type: request, by: ash}}
  - {{id: meet, date: 2027-03-02, type: meeting, parties: [ash, birch], about: ask}}
  - {{id: ask-again, date: 2027-03-05, type: request, by: birch}}
  - {{id: meet-again, date: 2027-03-05, type: meeting, parties: [ash], about: ask}}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A rules folder holding rules/common, `club` and its version `club-v2`."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES / "common", rules / "common")
    _write(rules / "club" / "treaty.yaml", CLUB)
    _write(rules / "club" / "c1_attend.lp", ATTEND)
    _write(rules / "club" / "c2_quiet.lp", QUIET)
    _write(rules / "club" / "explain.yaml", 'predicates:\n  _club/1: {holds: "club {0}"}\n  _both/1: {holds: "parent"}\n')
    _write(rules / "club-v2" / "treaty.yaml", V2)
    _write(rules / "club-v2" / "c1_attend.lp", ATTEND_V2)
    _write(rules / "club-v2" / "explain.yaml", 'predicates:\n  _both/1: {holds: "version"}\n')
    return rules


# --- what a version is made of -------------------------------------------------------------------

def test_a_version_inherits_what_it_does_not_name(root: Path):
    pack = load_pack("club-v2", root)
    assert pack.parent == "club"
    assert pack.manifests == ((root / "club-v2" / "treaty.yaml").resolve(), (root / "club" / "treaty.yaml").resolve())
    assert pack.folders == ((root / "club-v2").resolve(), (root / "club").resolve())
    assert pack.title == "The club, second version"
    assert pack.source == ""  # its own (none), never the parent's
    assert pack.regions == ("iceland",)
    assert set(pack.event_types) == {"request", "meeting", "noise"}
    assert pack.dates == load_pack("club", root).dates


def test_a_version_replaces_what_it_names_whole(root: Path):
    pack = load_pack("club-v2", root)
    assert pack.lists["members"] == ("ash", "birch")
    assert pack.event_types["meeting"].fields["about"].required  # the version's type, whole
    assert pack.readings["attendance"].choices == ("all", "most")
    assert pack.parameters["attend_days"].default == 1
    # a provision replaced keeps its place; a new one comes after the parent's
    assert list(pack.provisions) == ["c1.attend", "c2.quiet", "c4.minutes"]
    assert pack.provisions["c1.attend"].title == "Members attend a meeting about the request"
    assert pack.own_provisions == {"c1.attend", "c4.minutes"}
    assert load_pack("club", root).own_provisions == {"c1.attend", "c2.quiet", "c3.later"}


def test_rule_files_of_a_version(root: Path):
    pack = load_pack("club-v2", root)
    assert [(p.parent.name, p.name) for p in pack.rule_files] == [("club-v2", "c1_attend.lp"), ("club", "c2_quiet.lp")]
    common = [p for p in rule_files(pack) if p.parent.name == "common"]
    assert common and rule_files(pack)[:len(common)] == common


def test_remove_drops_provisions_their_repairs_and_rule_files(root: Path):
    from checker.analysis.repair import read_repairs

    _write(root / "club-v2" / "treaty.yaml", V2.replace("remove:\n  provisions: [c3.later]\n",
                                                       "remove:\n  provisions: [c1.attend]\n  rule_files: [c1_attend.lp]\n"
                                                       ).replace("  - id: c1.attend\n    kind: achievement\n    title: Members "
                                                                 "attend a meeting about the request\n    source: test, second "
                                                                 "version\n    text: every member attends, within attend_days, a "
                                                                 "meeting about the request\n", ""))
    (root / "club-v2" / "c1_attend.lp").unlink()
    pack = load_pack("club-v2", root)
    assert list(pack.provisions) == ["c2.quiet", "c3.later", "c4.minutes"]
    assert [p.name for p in pack.rule_files] == ["c2_quiet.lp"]
    assert read_repairs(pack) == {}
    assert set(read_repairs(load_pack("club", root))) == {"c1.attend"}


def test_a_version_inherits_repairs(root: Path):
    from checker.analysis.repair import read_repairs

    assert set(read_repairs(load_pack("club-v2", root))) == {"c1.attend"}


def test_wording_is_the_versions_over_the_parents(root: Path):
    from checker.analysis.explain import load_templates

    wording = load_templates(load_pack("club-v2", root))["predicates"]
    assert wording["_club/1"] == {"holds": "club {0}"}          # the parent's
    assert wording["_both/1"] == {"holds": "version"}           # the version's wins
    assert "status/2" in wording                                # rules/common's


def test_an_edit_of_the_parent_reaches_the_version(root: Path):
    assert load_pack("club-v2", root).provisions["c2.quiet"].title == "No noise"
    manifest = root / "club" / "treaty.yaml"
    manifest.write_text(CLUB.replace("title: No noise", "title: No noise at all"), encoding="utf-8")
    stat = manifest.stat()
    os.utime(manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_pack("club-v2", root).provisions["c2.quiet"].title == "No noise at all"


# --- a broken chain: every problem at its file and line -------------------------------------------

def _problems(root: Path, name: str = "club-v2") -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(name, root)
    return [str(p).replace(str(root.resolve()) + "/", "").replace(str(root) + "/", "") for p in caught.value.problems]


def test_a_missing_parent_is_named_at_the_line_of_extends(root: Path):
    _write(root / "club-v2" / "treaty.yaml", V2.replace("extends: club", "extends: clubb"))
    [line] = _problems(root)
    assert line.startswith("club-v2/treaty.yaml:2: extends: no rule pack 'clubb' (did you mean 'club'?) in ")


def test_packs_that_extend_each_other_in_a_circle(root: Path):
    _write(root / "club" / "treaty.yaml", CLUB.replace("title: A club", "extends: club-v2\ntitle: A club"))
    assert _problems(root) == ["club/treaty.yaml:2: extends: packs cannot extend each other in a circle: "
                               "club-v2 -> club -> club-v2"]
    assert _problems(root, "club") == ["club-v2/treaty.yaml:2: extends: packs cannot extend each other in a circle: "
                                       "club -> club-v2 -> club"]


def test_a_pack_cannot_extend_itself(root: Path):
    _write(root / "club-v2" / "treaty.yaml", V2.replace("extends: club", "extends: club-v2"))
    assert _problems(root) == ["club-v2/treaty.yaml:2: extends: packs cannot extend each other in a circle: "
                               "club-v2 -> club-v2"]


def test_remove_names_what_the_parent_has(root: Path):
    _write(root / "club-v2" / "treaty.yaml", V2.replace("provisions: [c3.later]",
                                                       "provisions: [c3.latr, c1.attend]\n  rule_files: [c9.lp]\n  colours: [red]"))
    line = V2.splitlines().index("remove:") + 1
    assert sorted(_problems(root)) == sorted([
        f"club-v2/treaty.yaml:{line + 3}: remove.colours: unknown key (allowed: provisions, rule_files, dates, "
        "region_attributes, event_types, readings, parameters, repairs)",
        f"club-v2/treaty.yaml:{line + 1}: remove.provisions[0]: club has no provision 'c3.latr' to remove "
        "(did you mean 'c3.later'?)",
        f"club-v2/treaty.yaml:{line + 1}: remove.provisions[1]: 'c1.attend' is removed, but this pack gives "
        "'c1.attend' again under provisions: drop one",
        f"club-v2/treaty.yaml:{line + 2}: remove.rule_files[0]: club has no rule file 'c9.lp' to remove",
    ])


def test_only_a_version_removes(root: Path):
    _write(root / "club" / "treaty.yaml", CLUB + "remove: {provisions: [c3.later]}\n")
    assert _problems(root, "club") == [f"club/treaty.yaml:{len(CLUB.splitlines()) + 1}: remove: only a pack that "
                                       "extends another removes what it inherits (add `extends: PACK`)"]


def test_a_problem_is_reported_in_the_file_that_holds_it(root: Path):
    # the version's own entry is wrong: its file, at its line
    _write(root / "club-v2" / "treaty.yaml", V2.replace("    kind: set_aside\n    title: Minutes",
                                                       "    kind: setaside\n    title: Minutes"))
    line = V2.splitlines().index("    kind: set_aside") + 1
    assert _problems(root) == [f"club-v2/treaty.yaml:{line}: provisions.c4.minutes.kind: must be one of achievement, "
                               "maintenance, condition, set_aside (did you mean 'set_aside'?)"]
    # the version removes a type a field of the parent's still refers to: the parent's file,
    # at that field
    version = V2[:V2.index("event_types:")] + V2[V2.index("provisions:"):] + "  event_types: [request]\n"
    _write(root / "club-v2" / "treaty.yaml", version)
    line = next(i for i, text in enumerate(CLUB.splitlines(), 1) if "about: {type: event, to: request}" in text)
    assert _problems(root) == [f"club/treaty.yaml:{line}: event_types.meeting.fields.about.to: meeting.about refers "
                               "to unknown type 'request'"]


def test_a_version_includes_only_files_of_its_chain_and_of_common(root: Path):
    # the parent's files and the common ones are the version's to include
    _write(root / "club-v2" / "c9_more.lp", '#include "../club/c2_quiet.lp".\n#include "../common/lifecycle.lp".\n')
    load_pack("club-v2", root)
    # anything else is not, nor is clingo's search path
    (root.parent / "elsewhere.lp").write_text("secret.\n", encoding="utf-8")
    _write(root / "club-v2" / "c9_more.lp", 'ok.\n  #include "../../elsewhere.lp".\n#include <somewhere>.\n')
    assert _problems(root) == [
        "club-v2/c9_more.lp:2: #include: '../../elsewhere.lp' is outside the pack: a rule file includes only "
        "files of its pack, of the packs it extends and of rules/common",
        "club-v2/c9_more.lp:3: #include: 'somewhere' is outside the pack: a rule file includes only files of "
        "its pack, of the packs it extends and of rules/common"]


def test_a_rule_file_that_links_outside_the_pack_is_refused(root: Path):
    (root.parent / "elsewhere.lp").write_text("secret.\n", encoding="utf-8")
    os.symlink(root.parent / "elsewhere.lp", root / "club-v2" / "c9_more.lp")
    [line] = _problems(root)
    assert line.startswith("club-v2/c9_more.lp:1: rules: the rule file leads outside the pack (")


def test_a_broken_parent_is_the_parents_problem(root: Path):
    _write(root / "club" / "treaty.yaml", CLUB.replace("kind: maintenance", "kind: maintenanse"))
    line = CLUB.splitlines().index("    kind: maintenance") + 1
    for name in ("club", "club-v2"):
        assert _problems(root, name) == [f"club/treaty.yaml:{line}: provisions.c2.quiet.kind: must be one of "
                                         "achievement, maintenance, condition, set_aside (did you mean 'maintenance'?)"]


# --- checking, linting and diffing a version ---------------------------------------------------------

def _scenarios(root: Path) -> Path:
    facts = root.parent / "facts"
    _write(facts / "club" / "meet.yaml", SCENARIO.format(title="A request and two meetings", treaty="club"))
    _write(facts / "club-v2" / "meet.yaml", SCENARIO.format(title="The same under the version", treaty="club-v2"))
    return facts


def test_a_scenario_is_checked_under_the_versions_rules(root: Path):
    facts = _scenarios(root)
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(facts / "club-v2" / "meet.yaml"), "--format", "json"])
    assert result.exit_code == 1, result.output  # something breached
    report = json.loads(result.output)
    verdicts = {o["id"]: o["status"] for o in report["scenarios"][0]["obligations"]}
    # ash and birch only, and only a meeting about the request counts: meet-again is not
    assert verdicts == {"c1.attend/ash/ask": "fulfilled", "c1.attend/birch/ask": "fulfilled",
                        "c1.attend/ash/ask-again": "breached", "c1.attend/birch/ask-again": "breached",
                        "c2.quiet/ash": "complied", "c2.quiet/birch": "complied"}
    report = json.loads(runner.invoke(app, ["check", str(facts / "club" / "meet.yaml"), "--format", "json"]).output)
    verdicts = {o["id"]: o["status"] for o in report["scenarios"][0]["obligations"]}
    assert verdicts["c1.attend/ash/ask-again"] == "fulfilled"
    assert {"c1.attend/cedar/ask", "c2.quiet/cedar"} <= set(verdicts)


def test_lint_asks_a_version_to_restate_a_provision_whose_rules_it_changes(root: Path):
    from checker.maintain.lint import lint

    _write(root / "club-v2" / "c2_quiet.lp", QUIET.replace("violates(", "% any noise, as before\nviolates("))
    issues = [f"{Path(i.file).name}:{i.line}: {i.check}: {i.message}" for i in lint(root).issues]
    assert "c2_quiet.lp:3: provision: Encodes c2.quiet, which club-v2 inherits from club: restate c2.quiet under " \
           "provisions: in its treaty.yaml (its rules change here)" in issues


def test_diff_compares_a_version_with_its_parent_on_the_parents_scenarios(root: Path, monkeypatch):
    _scenarios(root)
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(app, ["diff", "--base-pack", "club", "--head-pack", "club-v2", "facts",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["base"], doc["head"], doc["base_pack"], doc["head_pack"]) == \
        ("working tree", "working tree", "club", "club-v2")
    changes = {(c["obligation"], c["kind"], c["before"], c["after"]) for c in doc["changes"]}
    assert changes == {
        # cedar is no member of the version
        ("c1.attend/cedar/ask", "disappeared", "breached, due 2027-03-04", None),
        ("c1.attend/cedar/ask-again", "disappeared", "breached, due 2027-03-08", None),
        ("c2.quiet/cedar", "disappeared", "complied, no deadline", None),
        # a day to attend instead of three: the deadline moved, the verdict did not
        ("c1.attend/ash/ask", "deadline", "fulfilled, due 2027-03-04", "fulfilled, due 2027-03-02"),
        ("c1.attend/birch/ask", "deadline", "fulfilled, due 2027-03-04", "fulfilled, due 2027-03-02"),
        ("c1.attend/birch/ask-again", "deadline", "breached, due 2027-03-08", "breached, due 2027-03-06"),
        # the version's rule: a meeting about another request does not count
        ("c1.attend/ash/ask-again", "status", "fulfilled, due 2027-03-08", "breached, due 2027-03-06"),
    }
    assert doc["summary"]["files"] == 1  # only the scenario that names club
    text = CliRunner().invoke(app, ["diff", "--base-pack", "club", "--head-pack", "club-v2", "facts"]).output
    assert text.splitlines()[0].startswith("checker diff: club (working tree) → club-v2 (working tree)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).resolve().parent.parent / "docs" / "schema" / "diff.schema.json").read_text())
    jsonschema.validate(doc, schema)


@pytest.mark.parametrize("args, message", [
    (["--base-pack", "club"], "--base-pack and --head-pack go together"),
    (["--base-pack", "clb", "--head-pack", "club-v2"], "--base-pack: no rule pack 'clb' (did you mean 'club' or"),
    (["--base-pack", "club", "--head-pack", "club-v3"], "--head-pack: no rule pack 'club-v3'"),
    (["--base-pack", "club-v2", "--head-pack", "club", "facts/club"],
     "--base-pack: none of the 1 scenario file(s) given names the treaty club-v2"),
])
def test_diff_of_packs_usage_errors(root: Path, monkeypatch, args, message):
    _scenarios(root)
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(app, ["diff", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
