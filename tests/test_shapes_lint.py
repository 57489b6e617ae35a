"""`checker lint` gives pack authors the care scenario authors get: each mistake in a pack is
an issue at the rule's FILE:LINE (and column where clingo gives one), never an internal
error. Every test breaks one thing in a copy of the test pack (tests/packs/shapes), and reads the
issues lint prints about it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.io import pack as packs
from tests.helpers import edit

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests" / "packs" / "shapes"
PACK = Path("rules/shapes-test")
MANIFEST = PACK / "treaty.yaml"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def copy(tmp_path: Path, monkeypatch) -> Path:
    """rules/ (the real common files and the test pack) and facts/, as the working folder."""
    shutil.copytree(ROOT / "rules" / "common", tmp_path / "rules" / "common")
    shutil.copytree(PACKS / "rules" / "shapes-test", tmp_path / PACK)
    shutil.copytree(PACKS / "facts", tmp_path / "facts")
    monkeypatch.chdir(tmp_path)
    packs._CACHE.clear()
    return tmp_path



def issues(check: str | None = None) -> list[str]:
    result = invoke("lint", "rules", "facts")
    assert "internal error" not in result.output
    out = result.stdout.splitlines()[:-1]   # the last line counts them
    return [line for line in out if check is None or f": {check}: " in line]


def test_the_test_pack_lints_clean(copy):
    result = invoke("lint", "rules", "facts")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 issue(s) in 11 rule file(s) of 1 pack(s)")


def test_a_typo_in_a_provision_id_is_an_issue_at_its_column_and_no_command_crashes(copy):
    line = edit(copy / PACK / "p1_consult.lp", 'would_fire(ob("p1.consult", H, R), D) :- _request',
                'would_fire(ob("p1.consul", H, R), D) :- _request')
    assert f"{PACK}/p1_consult.lp:{line}:15: provision: \"p1.consul\" is not a provision of treaty.yaml " \
           "(did you mean 'p1.consult'?)" in issues("provision")
    # the scenarios that fire it cannot be checked: a rules: error for each, exit 2, no traceback
    rejected = issues("scenario")
    assert rejected and all("rules: shapes-test: a duty of provision 'p1.consul'" in i
                            and "but the manifest declares no such provision (did you mean 'p1.consult'?)" in i
                            for i in rejected)
    for command in ("check", "test", "explain"):
        result = invoke(command, "facts/consult-no-deadline.yaml")
        assert result.exit_code == 2 and "internal error" not in result.output, (command, result.output)


def test_a_blocking_provision_not_declared(copy):
    line = edit(copy / PACK / "p5_outside.lp", '"p5.outside") :- would_fire(ob("p3.assist"',
                '"p5.outsde") :- would_fire(ob("p3.assist"')
    assert f"{PACK}/p5_outside.lp:{line}:32: provision: \"p5.outsde\" is not a provision of treaty.yaml " \
           "(did you mean 'p5.outside'?)" in issues("provision")


def test_a_duty_with_two_deadlines(copy):
    first = edit(copy / PACK / "p3_assist.lp", "param(assist_days, A).\n",
                 "param(assist_days, A).\n"
                 'deadline(ob("p3.assist", H, I), D + 9) :- would_fire(ob("p3.assist", H, I), D).\n')
    found = issues("duty")
    assert found and all(f"{PACK}/p3_assist.lp:{first}: duty: " in i or f"{PACK}/p3_assist.lp:{first + 1}: duty: " in i
                         for i in found)
    assert any("p3.assist/norway/i1 has 2 deadlines in facts/incidents.yaml (2011-05-03, 2011-05-10): a duty has "
               "at most one" in i for i in found)


def test_a_required_deadline_no_rule_gives(copy):
    fires = 13
    edit(copy / PACK / "p3_assist.lp",
         'deadline(ob("p3.assist", H, I), D + A) :- would_fire(ob("p3.assist", H, I), D), param(assist_days, A).\n',
         "")
    assert (copy / PACK / "p3_assist.lp").read_text().splitlines()[fires - 1].startswith('would_fire(ob("p3.assist"')
    found = issues("duty")
    assert f"{PACK}/p3_assist.lp:{fires}: duty: a duty of p3.assist fires here, but no rule gives it a deadline, " \
           "and treaty.yaml does not say `deadline: none` (or `optional`) for p3.assist" in found
    assert f"{PACK}/p3_assist.lp:{fires}: duty: p3.assist/norway/i1 fired with no deadline in facts/incidents.yaml, " \
           "and treaty.yaml does not say `deadline: none` (or `optional`) for p3.assist" in found


def test_a_deadline_where_the_provision_says_none(copy):
    line = edit(copy / PACK / "p2_report.lp", "% a report by the holder",
                'deadline(ob("p2.report", S, I), D + 5) :- would_fire(ob("p2.report", S, I), D).\n'
                "% a report by the holder")
    assert f"{PACK}/p2_report.lp:{line}: duty: gives a duty of p2.report a deadline, but treaty.yaml says " \
           "`deadline: none` for p2.report" in issues("duty")


def test_an_optional_deadline_must_depend_on_a_parameter_and_exist(copy):
    line = edit(copy / PACK / "p1_consult.lp", "D + N) :- would_fire(ob(\"p1.consult\", H, R), D), "
                                               "param(consultation_days, N).",
                "D + 3) :- would_fire(ob(\"p1.consult\", H, R), D).")
    assert issues("duty") == [
        f"{PACK}/p1_consult.lp:{line}: duty: gives every duty of p1.consult a deadline whatever the parameters: "
        "read the parameter that sets it here (param/2), or say `deadline: required` for p1.consult"]
    edit(copy / PACK / "p1_consult.lp", 'deadline(ob("p1.consult", H, R), D + 3) :- would_fire(ob("p1.consult", H, '
                                        'R), D).', "")
    fires = next(i for i, text in enumerate((copy / PACK / "p1_consult.lp").read_text().splitlines(), 1)
                 if text.startswith('would_fire(ob("p1.consult"'))
    assert issues("duty") == [
        f"{PACK}/p1_consult.lp:{fires}: duty: a duty of p1.consult fires here, and no rule ever gives it a "
        "deadline: say `deadline: none` for p1.consult (treaty.yaml says `optional`)"]


def test_refusals_and_the_manifest_agree(copy):
    line = edit(copy / MANIFEST, "    kind: achievement\n    refusable: true\n    title: The other members assist",
                "    kind: achievement\n    title: The other members assist")
    refuses = next(i for i, text in enumerate((copy / PACK / "p3_assist.lp").read_text().splitlines(), 1)
                   if text.startswith('refuses(ob("p3.assist"'))
    assert issues("duty") == [
        f"{PACK}/p3_assist.lp:{refuses}: duty: lets a refusal breach a duty of p3.assist, but treaty.yaml does not "
        "say `refusable: true` for p3.assist"]
    edit(copy / MANIFEST, "    kind: achievement\n    title: The other members assist",
         "    kind: achievement\n    refusable: true\n    title: The other members assist")
    text = (copy / PACK / "p3_assist.lp").read_text().splitlines()
    (copy / PACK / "p3_assist.lp").write_text("\n".join(text[:refuses - 2] + text[refuses + 1:]) + "\n")
    assert issues("duty") == [
        f"{MANIFEST}:{line - 1}: duty: p3.assist says `refusable: true`, but no rule writes refuses/3 for it"]


@pytest.mark.parametrize("file,old,new,message", [
    ("p1_consult.lp", "param(consultation_days, N).", "param(consultation_dayz, N).",
     "param/2 reads parameter 'consultation_dayz', which treaty.yaml does not declare under parameters "
     "(did you mean 'consultation_days'?)"),
    ("p1_consult.lp", "reading(request_by, anyone).", "reading(request_bi, anyone).",
     "reading/2 reads reading 'request_bi', which treaty.yaml does not declare under readings "
     "(did you mean 'request_by'?)"),
    ("p1_consult.lp", "reading(request_by, anyone).", "reading(request_by, anybody).",
     "reading request_by has no choice 'anybody' (choices: members, anyone) (did you mean 'anyone'?)"),
    ("p5_outside.lp", "region_attr(R, covered).", "region_attr(R, coverd).",
     "region_attr/2 reads region attribute 'coverd', which treaty.yaml does not declare under region_attributes "
     "(did you mean 'covered'?)"),
    ("members.lp", "pack_date(entry_into_force, F).", "pack_date(entry_in_force, F).",
     "pack_date/2 reads date 'entry_in_force', which treaty.yaml does not declare under dates "
     "(did you mean 'entry_into_force'?)"),
    ("members.lp", "member(P) :- role(P, members).", "member(P) :- role(P, membres).",
     "role/2 reads party list 'membres', which treaty.yaml does not declare under parties "
     "(did you mean 'members'?)"),
])
def test_a_name_read_but_not_declared(copy, file, old, new, message):
    line = edit(copy / PACK / file, old, new)
    found = [i for i in issues("names") if f": names: {message}" in i]
    assert len(found) == 1 and found[0].startswith(f"{PACK}/{file}:{line}:"), issues()


# --- the growth check and dated membership -----------------------------------------------------

MEMBERS = ("    members: [denmark, {name: norway, since: 2010-06-01}]",
           "    members: [denmark, {name: norway, since: 2011-01-01}, {name: sweden, since: 2012-01-01},\n"
           "              {name: finland, since: 2013-01-01}, {name: estonia, since: 2014-01-01}]")


def _growth_of_statuses(copy, monkeypatch, frozen: bool) -> list:
    """The growth of the lifecycle's statuses over a month of requests in 2010, with members
    joining once a year after it (copies shifted forward in time find more members)."""
    from checker.io.scenario import load_scenario
    from checker.maintain import growth

    edit(copy / MANIFEST, *MEMBERS)
    requests = "".join(f"  - {{id: r{n}, date: 2010-05-{n:02d}, type: request, by: denmark}}\n" for n in range(1, 31))
    (copy / "facts" / "month.yaml").write_text(f"scenario: a month of requests\ntreaty: shapes-test\n"
                                              f"as_of: 2010-05-31\nevents:\n{requests}")
    packs._CACHE.clear()
    scenario, pack = load_scenario(copy / "facts" / "month.yaml", rules_root=copy / "rules")
    if not frozen:  # what the check did before: copies shifted, the manifest's dates as they are
        monkeypatch.setattr(growth, "dated_until", lambda pack: None)
    files = [f.resolve() for f in packs.rule_files(pack)]
    return [g for g in growth.measure(pack, files, [scenario], jobs=1) if g.superlinear()]


def test_copies_put_after_the_last_dated_day_see_the_same_members(copy, monkeypatch):
    from checker.maintain.growth import dated_until, scaled

    assert _growth_of_statuses(copy, monkeypatch, frozen=True) == []
    pack = packs.load_pack("shapes-test", copy / "rules")
    from checker.io.scenario import load_scenario

    scenario, _ = load_scenario(copy / "facts" / "month.yaml", rules_root=copy / "rules")
    longer = scaled(scenario, pack, 4)
    assert min(e.day for e in longer.events) > dated_until(pack)


def test_without_it_dated_membership_fools_the_growth_check(copy, monkeypatch):
    fooled = _growth_of_statuses(copy, monkeypatch, frozen=False)
    # the duties still pending at the verdict day: one more member a copy, so more of them
    assert any(g.statement.file.endswith("lifecycle.lp") and g.statement.text.startswith("status(ob(P,H,T),pending)")
               for g in fooled)
