"""Minimal repair (`checker repair`): the round trip on every bundled scenario with a breach,
optimality on small cases, the pack's declaration, and the command's output and errors."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.repair import check as check_module
from checker.analysis.repair import cover, method, processes, read_repairs, repair
from checker.analysis.repair import optimise as optimise_module
from checker.analysis.repair import probe as probe_module
from checker.analysis.repair import reduce as reduce_module
from checker.cli.main import app
from checker.engine.check import check_file
from checker.errors import PackError
from checker.io.pack import load_pack
from checker.model import BREACH_STATUSES

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "istanbul-2022"
GRID = FACTS / "hybrid-grid.yaml"
BUNDLED = [p for p in sorted(FACTS.glob("*.yaml")) if not p.name.startswith("uncertain")]


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _tune(monkeypatch, **changes) -> None:
    """Search the way ``changes`` say (see state.Tuning) in the repairs that follow."""
    monkeypatch.setattr(method, "TUNING", replace(method.TUNING, **changes))


def _with_breach(path: Path) -> bool:
    verdicts, _ = check_file(path)
    return any(o.status in BREACH_STATUSES and o.kind == "achievement" for o in verdicts.obligations)


WITH_BREACH = [p for p in BUNDLED if _with_breach(p)]


def test_there_are_bundled_scenarios_to_repair() -> None:
    assert len(WITH_BREACH) >= 6


@pytest.mark.parametrize("path", WITH_BREACH, ids=lambda p: p.name)
def test_round_trip_the_repair_makes_check_report_no_breach_of_the_selected_duties(path, tmp_path) -> None:
    # the command writes the repaired scenario; `checker check` then reads it as a file
    target = tmp_path / "facts" / path.name
    target.parent.mkdir()
    result = _run("repair", path, "--save", target, "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["found"] and doc["optimal"] and doc["verified"]
    assert doc["targets"], "a scenario with a breached achievement duty has something to repair"
    before, _ = check_file(path)
    after, _ = check_file(target, rules_root=ROOT / "rules")
    was = {o.id for o in before.obligations if o.status in BREACH_STATUSES}
    for ob_id in doc["targets"]:
        assert after.obligation(ob_id).status == "fulfilled", ob_id
    for o in after.obligations:
        assert o.status not in BREACH_STATUSES or o.id in was, f"new breach {o.id}: {o.status}"
    # the added events are exactly those printed
    added = [e for e in (load_events(target)) if e["id"].startswith("repair-")]
    assert added == doc["repairs"][0]["events"]


def load_events(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text())["events"]


def test_one_joint_consultation_and_the_report_of_late_help() -> None:
    result = repair(GRID, only=["art4.consult/china/grid-attack", "art4.consult/russia/grid-attack",
                                "art5.report/uk/arms-uk"])
    assert result.optimal and result.verified
    assert list(result.repairs[0].events) == [
        {"id": "repair-1", "date": "2027-03-01", "type": "consultation",
         "parties": ["china", "russia"], "about": "grid-attack"},
        {"id": "repair-2", "date": "2027-03-05", "type": "unsc_report", "by": "uk"},
    ]


def test_added_help_brings_its_own_report_so_no_new_breach_appears() -> None:
    result = repair(GRID, only=["art4.assist/usa/grid-attack"])
    events = result.repairs[0].events
    assert [(e["type"], e.get("by"), e["date"]) for e in events] == [
        ("assistance", "usa", "2027-03-01"), ("unsc_report", "usa", "2027-03-01")]
    # the first means the pack lists is preferred among equals
    assert events[0]["means"] == "armaments" and events[0]["about"] == "grid-attack"


def test_all_optimal_lists_every_means() -> None:
    result = repair(GRID, only=["art4.assist/usa/grid-attack"], all_optimal=True)
    means = sorted(next(e["means"] for e in r.events if e["type"] == "assistance") for r in result.repairs)
    assert means == ["airspace_closure", "armaments", "armed_force"]
    assert all(len(r.events) == 2 for r in result.repairs) and result.verified


def test_a_maintenance_breach_cannot_be_repaired_by_adding_events() -> None:
    result = repair(GRID, only=["art1.guarantee/russia"])
    assert result.targets == () and result.repairs == []
    assert result.unrepairable == (("art1.guarantee/russia",
                                    "a maintenance duty: adding events cannot undo a violation"),)


def test_max_actions_too_small_means_no_repair_and_exit_1() -> None:
    result = _run("repair", GRID, "--holder", "usa", "--max-actions", "1")
    assert result.exit_code == 1
    assert "no repair of the 1 selected duty with at most 1 added events exists" in result.stdout
    assert _run("repair", GRID, "--holder", "usa", "--max-actions", "2").exit_code == 0


def test_text_output_is_ready_to_paste() -> None:
    result = _run("repair", GRID, "--only", "art4.consult/china/grid-attack")
    assert result.exit_code == 0
    assert "\n".join([
        "  add under events:",
        "    - id: repair-1",
        "      date: 2027-03-01",
        "      type: consultation",
        "      parties: [china]",
        "      about: grid-attack",
    ]) in result.stdout


@pytest.mark.parametrize("args,line", [
    (["--only", "art4.consult/chna/grid-attack"],
     "--only: 'art4.consult/chna/grid-attack' is not an obligation of"),
    (["--holder", "chna"], "--holder: 'chna' is not a party of"),
])
def test_bad_selection_is_one_line_and_exit_2(args, line) -> None:
    result = _run("repair", GRID, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(line) and result.stderr.count("\n") == 1


def test_an_uncertain_scenario_is_refused() -> None:
    result = _run("repair", FACTS / "uncertain-attribution.yaml")
    assert result.exit_code == 2
    assert "repair needs a scenario whose facts are certain" in result.stderr


def _pack_copy(tmp_path: Path, replace: tuple[str, str]) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    manifest = rules / "istanbul-2022" / "treaty.yaml"
    text = manifest.read_text()
    assert replace[0] in text
    manifest.write_text(text.replace(*replace))
    return rules


@pytest.mark.parametrize("change,message", [
    (("    fields: {by: holder}\n", "    fields: {by: holders}\n"),
     "repairs.art5.report.fields.by: `holders` needs a list of parties"),
    (("  art5.report:\n    event: unsc_report", "  art5.reprot:\n    event: unsc_report"),
     "repairs.art5.reprot: unknown provision (did you mean 'art5.report'?)"),
    (("  art5.report:\n    event: unsc_report\n    fields: {by: holder}",
      "  art1.guarantee:\n    event: unsc_report\n    fields: {by: holder}"),
     "repairs.art1.guarantee: only an achievement duty can be met by adding an event"),
])
def test_the_packs_declaration_is_checked(tmp_path, change, message) -> None:
    rules = _pack_copy(tmp_path, change)
    with pytest.raises(PackError) as info:
        read_repairs(load_pack("istanbul-2022", rules))
    assert [f"{p.field}: {p.message}" for p in info.value.problems] == [message]


def test_a_pack_without_repairs_repairs_nothing(tmp_path) -> None:
    rules = _pack_copy(tmp_path, ("\nrepairs:\n", "\nrepairs:\n"))
    manifest = rules / "istanbul-2022" / "treaty.yaml"
    manifest.write_text(manifest.read_text().split("\nrepairs:\n")[0] + "\n")  # the section, gone
    result = repair(GRID, rules_root=rules)
    assert result.targets == ()
    assert all("declares no action" in why or "maintenance" in why for _, why in result.unrepairable)


def _cost(result) -> tuple[int, int]:
    """(added events, the sum of their days): the first two levels of the optimisation."""
    import datetime as dt

    events = result.repairs[0].events
    return len(events), sum(dt.date.fromisoformat(e["date"]).toordinal() for e in events)


@pytest.mark.parametrize("name", ["as-requested-exceptions.yaml", "hybrid-grid.yaml"])
def test_independent_groups_give_the_optimum_of_the_whole(name, monkeypatch) -> None:
    path = FACTS / name
    split = optimise_module.groups
    seen = []
    _tune(monkeypatch, batch=0, fast=False)   # one control per group, with the pack's rules
    monkeypatch.setattr(optimise_module, "groups", lambda *a: seen.append(split(*a)) or seen[-1])
    parts = repair(path)
    assert seen[0] is not None and len(seen[0]) >= 2, "the duties fall into several groups"
    monkeypatch.setattr(optimise_module, "groups", lambda *a: None)
    whole = repair(path)
    assert parts.optimal and whole.optimal and parts.verified and whole.verified
    assert parts.targets == whole.targets
    assert _cost(parts) == _cost(whole)


# --- the days worth trying: fewer candidates, the same optima ---------------------------------

def _generated(tmp_path: Path, events: int, seed: int) -> Path:
    """A synthetic history of benchmarks/generate.py (attacks, appeals, help, reports...)."""
    import subprocess
    import sys

    out = tmp_path / f"seed{seed}"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--events", str(events),
                    "--seed", str(seed), "--out", str(out), "--format", "yaml"],
                   check=True, capture_output=True)
    return out / f"history-{events}.yaml"


def _every_day_and_fewer(monkeypatch, path, **options):
    """The repair of ``path`` as before: every day of every window, optimised with the pack's
    rules; then on the kept days with the pack's rules, and on the kept days over what the
    probes found (the default), each checked against the first."""
    results = []
    for every_day, fast in ((True, False), (False, False), (False, True)):
        # the last: the default, with its first probe split in two processes even when small
        _tune(monkeypatch, all_days=every_day, fast=fast, batch=20 if fast else 400)
        results.append(repair(path, **options))
    every, *fewer = results
    for result in fewer:
        assert result.targets == every.targets and result.optimal and result.verified is not False
        if options.get("all_optimal"):
            assert _listed(result) == _listed(every)
        else:
            assert _cost_or_none(result) == _cost_or_none(every)
    return every, fewer[-1]


def _listed(result):
    return sorted(json.dumps(r.events, sort_keys=True) for r in result.repairs)


def _cost_or_none(result):
    return _cost(result) if result.repairs else None


@pytest.mark.parametrize("path", WITH_BREACH, ids=lambda p: p.name)
def test_the_kept_days_give_the_optimum_of_every_day_on_bundled_scenarios(path, monkeypatch) -> None:
    every, fewer = _every_day_and_fewer(monkeypatch, path)
    assert every.optimal and fewer.optimal and fewer.verified
    assert fewer.targets == every.targets
    assert _cost(fewer) == _cost(every)


@pytest.mark.parametrize("seed,events,options", [
    (1, 60, {}),
    (1, 60, {"parameters": {"report_days": 0}}),
    (3, 60, {"readings": {"assistance_means": "as_requested"}}),
    (5, 80, {"parameters": {"report_days": 2, "assistance_days": 1}}),
    (7, 80, {"parameters": {"consultation_days": 0}}),
    (9, 120, {}),
])
def test_the_kept_days_give_the_optimum_of_every_day_on_generated_histories(
        tmp_path, monkeypatch, seed, events, options) -> None:
    every, fewer = _every_day_and_fewer(monkeypatch, _generated(tmp_path, events, seed), **options)
    assert every.optimal and fewer.optimal and fewer.verified
    assert fewer.targets == every.targets and len(fewer.targets) >= 10
    assert _cost_or_none(fewer) == _cost_or_none(every)


@pytest.mark.parametrize("seed,events,holder", [(1, 60, "uk"), (3, 60, "turkey")])
def test_every_optimal_repair_uses_kept_days_only(tmp_path, monkeypatch, seed, events, holder) -> None:
    path = _generated(tmp_path, events, seed)
    every, fewer = _every_day_and_fewer(monkeypatch, path, holder=holder, all_optimal=True, limit=500)
    assert 2 <= len(every.repairs) < 500, "several optimal repairs, all listed"
    assert _listed(fewer) == _listed(every)


def test_most_days_of_the_windows_are_not_tried(tmp_path, monkeypatch) -> None:
    seen = {}
    reduce = reduce_module.reduce

    def spy(cands, *args, **kwargs):
        reduce(cands, *args, **kwargs)
        seen["kept"], seen["all"] = len(cands.kept), len(cands.by_key)
        seen["consult"] = [k for k in cands.kept if k.arguments[0].string == "art4.consult"]
        seen["consult_all"] = [k for k in cands.by_key if k.arguments[0].string == "art4.consult"]

    monkeypatch.setattr(reduce_module, "reduce", spy)
    repair(_generated(tmp_path, 120, 9))
    assert seen["kept"] < seen["all"] * 0.7
    # a consultation opens no duty: only the first day of its window is tried
    assert 0 < len(seen["consult"]) * 3 < len(seen["consult_all"])


def test_the_first_day_of_each_window_alone_would_miss_the_optimum(tmp_path, monkeypatch) -> None:
    # help on a later day can share a report, or need none (a report of the history follows
    # it): those days are kept too; without them the optimum is lost (so the comparisons
    # above can fail)
    path = _generated(tmp_path, 60, 1)
    best = repair(path)
    reduce = reduce_module.reduce

    def first_days_only(cands, *args, **kwargs):
        reduce(cands, *args, **kwargs)
        firsts = {k for duty in cands.needed for first, _ in cands.windows.get(duty, ())
                  for k in cands.serving.get(duty, ()) if cands.by_key[k].day == first}
        cands.kept &= firsts

    monkeypatch.setattr(reduce_module, "reduce", first_days_only)
    naive = repair(path)
    assert naive.verified and _cost(naive)[0] > _cost(best)[0]


def test_the_cover_over_the_probes_answers_without_the_packs_rules(tmp_path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("optimised with the pack's rules")

    monkeypatch.setattr(optimise_module, "optimise", refuse)
    result = repair(_generated(tmp_path, 80, 5))
    assert result.optimal and result.verified and len(result.repairs[0].events) >= 10


def test_a_cover_repair_that_fails_the_check_is_solved_again_with_the_packs_rules(monkeypatch) -> None:
    # the check with the pack's rules is what makes the cover's answer a repair: a wrong one
    # (here: one action dropped) is thrown away for the optimum of the pack's rules
    fast = cover.optimise_fast

    def drop_one(*args):
        models, proven = fast(*args)
        first = next(s for s in models[0] if s[0] == "use")
        return [[s for s in models[0] if s != first]], proven

    monkeypatch.setattr(cover, "optimise_fast", drop_one)
    result = repair(GRID)
    monkeypatch.undo()
    assert result.verified and result.optimal
    assert _cost(result) == _cost(repair(GRID))


def test_probes_split_by_provision_and_the_last_round_aside_give_the_same_repair(
        tmp_path, monkeypatch) -> None:
    path = _generated(tmp_path, 80, 7)
    split = probe_module.probe_halves
    seen = []
    monkeypatch.setattr(probe_module, "probe_halves",
                        lambda rules, cands, candidates, *args: seen.append(len(candidates))
                        or split(rules, cands, candidates, *args))
    _tune(monkeypatch, batch=20)   # split even small probes
    aside = repair(path)
    assert seen, "the first round was probed in two processes"
    _tune(monkeypatch, parallel=False)
    in_turn = repair(path)
    assert aside.verified and in_turn.verified
    assert [r.events for r in aside.repairs] == [r.events for r in in_turn.repairs]


def test_a_last_round_that_opens_duties_after_all_is_explored_and_solved_again(monkeypatch) -> None:
    # the last round of candidates (here the reports of added help) is probed beside the
    # optimisation; had they opened a duty, the optimisation is done again with it
    import clingo

    solved = []
    fast = cover.optimise_fast
    monkeypatch.setattr(cover, "optimise_fast",
                        lambda rules, cands, *args: solved.append(set(cands.needed)) or fast(rules, cands, *args))

    def probe_ahead(rules, cands, candidates, fired, helper):
        def answer():
            windows, opened = probe_module.probe(rules, candidates, fired, cands.days)
            assert not opened, "a report opens nothing"
            c = candidates[0]   # pretend that this report must be reported in turn
            duty = clingo.Function("ob", [clingo.String("art5.report"), c.cls[1], c.key])
            windows[duty] = [(c.day, c.day + 1)]
            opened[duty] = ["breached", None]
            return windows, opened
        return answer

    monkeypatch.setattr(probe_module, "probe_ahead", probe_ahead)
    _tune(monkeypatch, lazy=False)   # (see the tests below)
    result = repair(GRID)
    assert len(solved) == 2 and len(solved[1]) == len(solved[0]) + 1
    assert result.verified


def _probes_counted(monkeypatch):
    """The number of candidates of each probe that follows (the history's: 0), every one in
    this process."""
    probed = []
    probe, history = probe_module.probe, probe_module.probe_history
    monkeypatch.setattr(probe_module, "probe",
                        lambda rules, cands, *args: probed.append(len(cands)) or probe(rules, cands, *args))
    monkeypatch.setattr(probe_module, "probe_history", lambda rules: probed.append(0) or history(rules))
    monkeypatch.setattr(processes, "available", lambda: False)
    return probed


@pytest.mark.parametrize("seed", [5, 7])
def test_a_last_round_left_unprobed_gives_the_repair_of_the_eager_one(tmp_path, monkeypatch, seed) -> None:
    # one optimal repair: the last round is not probed when the cover's repair passes the
    # check (its candidates counted as opening nothing, the cover is a relaxation, so a
    # repair it finds that the pack's rules accept is optimal); every optimal repair is
    # listed from every round probed
    path = _generated(tmp_path, 80, seed)
    probed = _probes_counted(monkeypatch)
    lazy = repair(path)
    lazy_probes = list(probed)
    probed.clear()
    _tune(monkeypatch, lazy=False)
    eager = repair(path)
    assert lazy.verified and lazy.optimal and eager.verified and eager.optimal
    assert _cost(lazy) == _cost(eager)
    assert len(lazy_probes) < len(probed) and sum(lazy_probes) < sum(probed)


def test_every_optimal_repair_is_listed_from_every_round_probed(tmp_path, monkeypatch) -> None:
    path = _generated(tmp_path, 60, 1)
    probed = _probes_counted(monkeypatch)
    repair(path, holder="uk")
    one = len(probed)
    probed.clear()
    every = repair(path, holder="uk", all_optimal=True, limit=500)
    assert len(probed) == one + 1, "every optimal repair: the last round is probed too"
    probed.clear()
    _tune(monkeypatch, lazy=False)
    assert _listed(repair(path, holder="uk", all_optimal=True, limit=500)) == _listed(every)
    assert len(probed) == one + 1


def test_a_last_round_is_probed_when_the_covers_repair_fails_the_check(tmp_path, monkeypatch) -> None:
    path = _generated(tmp_path, 80, 5)
    best = repair(path)
    probed = _probes_counted(monkeypatch)
    check = check_module.verify_repair
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        return len(calls) > 1 and check(*args, **kwargs)

    monkeypatch.setattr(check_module, "verify_repair", fails_once)
    result = repair(path)
    assert len(calls) >= 2 and len(probed) >= 3, "the last round was probed, then solved again"
    assert result.verified and result.optimal and _cost(result) == _cost(best)


def test_candidates_of_a_class_are_found_by_its_terms_and_share_them(tmp_path, monkeypatch) -> None:
    # a candidate's key is the one action act(Provision, Holder|joint, About, Day), made once
    # however many duties it serves, and the candidates of one class share one cls tuple
    # (reduce numbers the classes by it)
    import clingo

    seen = {}
    reduce = reduce_module.reduce

    def spy(cands, *args, **kwargs):
        seen["cands"] = cands
        reduce(cands, *args, **kwargs)

    monkeypatch.setattr(reduce_module, "reduce", spy)
    repair(_generated(tmp_path, 120, 9))
    r = seen["cands"]
    by_class: dict = {}
    for key, c in r.by_key.items():
        assert key == clingo.Function("act", [*c.cls, clingo.Number(c.day)])
        assert key is c.key
        by_class.setdefault(c.cls, set()).add(id(c.cls))
    assert all(len(ids) == 1 for ids in by_class.values())
    assert len(by_class) < len(r.by_key)
    # every candidate a duty may use is the one stored under its key
    for keys in r.serving.values():
        assert all(r.by_key[k].key is k for k in keys)
    # a joint consultation is one candidate per day that serves several holders' duties
    shared = [k for k in r.by_key
              if sum(k in keys for keys in r.serving.values()) > 1]
    assert shared


# --- terms: what a scenario names reaches the rules, and comes back, exactly -----------------

GRID_TARGETS = ["art4.consult/china/{attack}", "art4.consult/russia/{attack}", "art4.assist/usa/{attack}",
                "art5.report/uk/{arms}"]


def _renamed(tmp_path: Path, ids: dict) -> Path:
    """hybrid-grid.yaml with its events' ids renamed (``ids``: old -> new), without its
    expectations (they name the old ids)."""
    import yaml

    doc = yaml.safe_load(GRID.read_text())
    doc.pop("expect")
    for event in doc["events"]:
        event["id"] = ids.get(event["id"], event["id"])
        if "about" in event:
            event["about"] = ids.get(event["about"], event["about"])
    path = tmp_path / "facts" / "renamed.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return path


# ids of every shape the format allows, among them ones clingo would read as a number, a
# variable or an anonymous variable were they not strings
@pytest.mark.parametrize("attack,arms", [("2027", "-1"), ("Grid_Attack", "_arms"), ("x-y_z", "007")])
def test_every_shape_of_id_is_named_exactly_by_the_repair_and_the_saved_file(tmp_path, attack, arms) -> None:
    path = _renamed(tmp_path, {"grid-attack": attack, "arms-uk": arms, "appeal-1": "_", "consult-1": "C"})
    only = [t.format(attack=attack, arms=arms) for t in GRID_TARGETS]
    result = repair(path, only=only, rules_root=ROOT / "rules")
    assert sorted(result.targets) == sorted(only) and result.optimal and result.verified
    assert list(result.repairs[0].events) == [
        {"id": "repair-1", "date": "2027-03-01", "type": "assistance", "by": "usa", "means": "armaments",
         "about": attack},
        {"id": "repair-2", "date": "2027-03-01", "type": "consultation", "parties": ["china", "russia"],
         "about": attack},
        {"id": "repair-3", "date": "2027-03-01", "type": "unsc_report", "by": "usa"},
        {"id": "repair-4", "date": "2027-03-05", "type": "unsc_report", "by": "uk"},
    ]
    saved = tmp_path / "facts" / "saved.yaml"
    args = [a for t in only for a in ("--only", t)]
    assert _run("repair", path, *args, "--rules", ROOT / "rules", "--save", saved).exit_code == 0
    after, _ = check_file(saved, rules_root=ROOT / "rules")
    assert [after.obligation(t).status for t in only] == ["fulfilled"] * len(only)


def test_free_text_in_the_history_reaches_the_rules_as_data_and_changes_no_repair(tmp_path) -> None:
    import yaml

    only = [t.format(attack="grid-attack", arms="arms-uk") for t in GRID_TARGETS]
    plain = repair(GRID, only=only)
    doc = yaml.safe_load(GRID.read_text())
    doc["events"].append({"id": "joins", "date": "2027-03-02", "type": "alliance_membership",
                          "alliance": 'a"b \\ back\\slash\nnew line ),p(y) ä ∀ 😀 \\" \'q\' a,b'})
    path = tmp_path / "facts" / "text.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    with_text = repair(path, only=only, rules_root=ROOT / "rules")
    assert with_text.verified and with_text.optimal
    assert [r.events for r in with_text.repairs] == [r.events for r in plain.repairs]


def test_a_repair_is_checked_on_a_copy_of_the_document_read_once() -> None:
    # repair reads the scenario once and checks each repair on a copy of that document: the
    # copy must be the document read again with the events added, the original untouched
    from checker.analysis.repair import repaired_document
    from checker.io.scenario import _load, read_document

    doc = read_document(GRID, str(GRID))
    events = len(doc["events"])
    _load(GRID, doc, None, None, None, None)
    found = repair(GRID)
    for rep in found.repairs:
        copy, fresh = repaired_document(GRID, rep, doc), repaired_document(GRID, rep)
        assert copy == fresh and copy.key_lines == fresh.key_lines and copy.line == fresh.line
        assert copy["events"].item_lines == fresh["events"].item_lines
    assert len(doc["events"]) == events and len(doc["events"].item_lines) == events
    assert doc == read_document(GRID, str(GRID))


# --- the helper process ------------------------------------------------------------------------

def _gone(pid: int, seconds: float = 20.0) -> bool:
    """Whether process ``pid`` has ended (or is a zombie) within ``seconds``."""
    import os
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ")[-1][:1] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        except OSError:
            os.kill(pid, 0)   # (no /proc: raises once the process is gone)
        time.sleep(0.1)
    return False


needs_two_cores = pytest.mark.skipif(not processes.available(), reason="the helper needs a second core")


@needs_two_cores
def test_an_error_on_the_way_out_ends_the_helpers_work_at_once() -> None:
    import os
    import time

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with processes.Helper() as helper:
            pid = processes.outcome(helper.submit(os.getpid), "asking its id")
            helper.submit(time.sleep, 600)
            raise KeyboardInterrupt
    assert time.monotonic() - start < 60 and _gone(pid, 1)


@needs_two_cores
def test_the_helper_process_ends_with_its_parent(tmp_path) -> None:
    import signal
    import subprocess
    import sys

    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time\n"
        "from checker.analysis.repair import processes\n"
        "if __name__ == '__main__':\n"
        "    with processes.Helper() as helper:\n"
        "        print(processes.outcome(helper.submit(os.getpid), 'asking its id'), flush=True)\n"
        "        helper.submit(time.sleep, 600)\n"
        "        time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)   # (no way out is run: the helper must see it alone)
        parent.wait(30)
        assert _gone(pid)
    finally:
        parent.kill()
        parent.stdout.close()


def test_a_repair_whose_helper_cannot_start_does_the_work_itself(tmp_path) -> None:
    # a program without the `if __name__ == "__main__"` guard starts its main module again in
    # a spawned process, which then cannot start one of its own: the helper ends early, and
    # the repair does its work in this process, with the same result
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "import json, sys\n"
        "from dataclasses import replace\n"
        "from checker.analysis.repair import method, repair\n"
        "method.TUNING = replace(method.TUNING, batch=20, lazy=False)\n"
        f"result = repair({str(GRID)!r})\n"
        "print(json.dumps([result.verified, result.optimal, [list(r.events) for r in result.repairs]]))\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    verified, optimal, events = json.loads(run.stdout.splitlines()[-1])
    assert verified and optimal
    assert events == [list(r.events) for r in repair(GRID).repairs]


# --- an action whose event names no holder ------------------------------------------------------

NATO = ROOT / "facts" / "nato-1949"


@pytest.mark.parametrize("fast", [True, False])
def test_one_council_meeting_repairs_every_members_consultation(tmp_path, monkeypatch, fast) -> None:
    # a council_meeting names no holder (its `absent` list names who was not there): one
    # meeting meets the duty of every member, so the optimum is one meeting, not one a member
    _tune(monkeypatch, fast=fast)
    path = tmp_path / "facts" / "no-meeting.yaml"
    path.parent.mkdir()
    path.write_text("scenario: A request for consultations that no Council meeting answers\n"
                    "treaty: nato-1949\nparameters: {consultation_days: 3}\nas_of: 2027-03-20\n"
                    "events:\n  - {id: req-poland, date: 2027-03-01, type: consultation_request, by: [poland]}\n")
    result = repair(path, rules_root=ROOT / "rules")
    assert len(result.targets) == 32 and all(t.startswith("art4.consult/") for t in result.targets)
    assert result.optimal and result.verified
    assert [r.events for r in result.repairs] == [(
        {"id": "repair-1", "date": "2027-03-01", "type": "council_meeting", "about": "req-poland"},)]


@pytest.mark.parametrize("fast", [True, False])
def test_one_council_meeting_after_a_refusal_repairs_the_refused_and_the_others(monkeypatch, fast) -> None:
    # Belgium refused on 2027-03-02, France was met late and Italy never: one meeting on the
    # day of the refusal (added after it) meets Belgium's duty late and the others' on time;
    # one the day before would meet Belgium's before its refusal, which is no repair of it
    _tune(monkeypatch, fast=fast)
    result = repair(NATO / "consult-deadline.yaml")
    assert sorted(result.targets) == ["art4.consult/belgium/req-poland", "art4.consult/france/req-poland",
                                      "art4.consult/italy/req-poland"]
    assert result.optimal and result.verified
    assert [r.events for r in result.repairs] == [(
        {"id": "repair-1", "date": "2027-03-02", "type": "council_meeting", "about": "req-poland"},)]
