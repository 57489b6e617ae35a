"""art5 (rules/istanbul-2022/art5_unsc.lp): who owes a report, which report meets it, which measures end help.

What an `expect:` block cannot see: a state that helps before it accedes holds no report
duty at all, the report named as meeting the duty is the holder's own, and the measures
named as ending a duty are about its attack or about none.
"""

from __future__ import annotations

from tests.helpers import appeal, assist, attack, d, ev, listed, measures, ob, report, run

TWO = {"guarantors": ["uk", "usa"], "others": ["japan"]}


def test_help_given_before_acceding_owes_no_report(tmp_path):
    events = [attack("a", d(0)), assist("h", d(1), "japan", about="a"), ev("j", d(2), "accession", party="japan")]
    v = run(tmp_path, events, as_of=d(10), parties=TWO)
    assert not listed(v, "art5.report/japan/h")


def test_the_report_that_meets_is_the_holders_own(tmp_path):
    events = [assist("h", d(0), "uk"), report("r-usa", d(1), "usa"), report("r-uk", d(1), "uk")]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO), "art5.report/uk/h")
    assert (o.status, o.met_by) == ("fulfilled", "r-uk")


def test_general_measures_end_the_duty_not_measures_about_another_attack_that_day(tmp_path):
    events = [attack("a", d(0)), attack("b", d(0), regions=["lviv"]), appeal("p", d(1), about="a"),
              measures("m-b", d(2), about="b"), measures("m-general", d(2))]
    o = ob(run(tmp_path, events, as_of=d(10), parties=TWO), "art4.assist/uk/a")
    assert (o.status, o.discharged_by) == ("discharged", "m-general")
