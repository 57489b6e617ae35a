"""Minimal repair (`checker repair`): the round trip on every bundled scenario with a breach,
optimality on small cases, the pack's declaration, and the command's output and errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.analysis.repair import read_repairs, repair
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
    from checker.analysis import repair as repair_module

    path = FACTS / name
    split = repair_module._Repairer.groups
    seen = []
    monkeypatch.setattr(repair_module._Repairer, "BATCH", 0)  # one control per group
    monkeypatch.setattr(repair_module._Repairer, "FAST", False)  # with the pack's rules
    monkeypatch.setattr(repair_module._Repairer, "groups",
                        lambda self, *a: seen.append(split(self, *a)) or seen[-1])
    parts = repair(path)
    assert seen[0] is not None and len(seen[0]) >= 2, "the duties fall into several groups"
    monkeypatch.setattr(repair_module._Repairer, "groups", lambda self, *a: None)
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
    from checker.analysis import repair as repair_module

    results = []
    for every_day, fast in ((True, False), (False, False), (False, True)):
        monkeypatch.setattr(repair_module._Repairer, "ALL_DAYS", every_day)
        monkeypatch.setattr(repair_module._Repairer, "FAST", fast)
        # the default, with its first probe split in two processes even when small
        monkeypatch.setattr(repair_module._Repairer, "BATCH", 20 if fast else 400)
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
    from checker.analysis import repair as repair_module

    seen = {}
    reduce = repair_module._Repairer.reduce

    def spy(self, targets):
        reduce(self, targets)
        seen["kept"], seen["all"] = len(self.kept), len(self.candidates)
        seen["consult"] = [k for k in self.kept if k.startswith('act("art4.consult",')]
        seen["consult_all"] = [k for k in self.candidates if k.startswith('act("art4.consult",')]

    monkeypatch.setattr(repair_module._Repairer, "reduce", spy)
    repair(_generated(tmp_path, 120, 9))
    assert seen["kept"] < seen["all"] * 0.7
    # a consultation opens no duty: only the first day of its window is tried
    assert 0 < len(seen["consult"]) * 3 < len(seen["consult_all"])


def test_the_first_day_of_each_window_alone_would_miss_the_optimum(tmp_path, monkeypatch) -> None:
    # help on a later day can share a report, or need none (a report of the history follows
    # it): those days are kept too; without them the optimum is lost (so the comparisons
    # above can fail)
    from checker.analysis import repair as repair_module

    path = _generated(tmp_path, 60, 1)
    best = repair(path)
    reduce = repair_module._Repairer.reduce

    def first_days_only(self, targets):
        reduce(self, targets)
        firsts = {k for duty in self.needed for first, _ in self.windows.get(duty, ())
                  for k in self.serving.get(duty, ()) if self.candidates[k].day == first}
        self.kept &= firsts

    monkeypatch.setattr(repair_module._Repairer, "reduce", first_days_only)
    naive = repair(path)
    assert naive.verified and _cost(naive)[0] > _cost(best)[0]


def test_the_cover_over_the_probes_answers_without_the_packs_rules(tmp_path, monkeypatch) -> None:
    from checker.analysis import repair as repair_module

    def refuse(self, *args, **kwargs):
        raise AssertionError("optimised with the pack's rules")

    monkeypatch.setattr(repair_module._Repairer, "optimise", refuse)
    result = repair(_generated(tmp_path, 80, 5))
    assert result.optimal and result.verified and len(result.repairs[0].events) >= 10


def test_a_cover_repair_that_fails_the_check_is_solved_again_with_the_packs_rules(monkeypatch) -> None:
    # the check with the pack's rules is what makes the cover's answer a repair: a wrong one
    # (here: one action dropped) is thrown away for the optimum of the pack's rules
    from checker.analysis import repair as repair_module

    fast = repair_module._Repairer.optimise_fast

    def drop_one(self, *args):
        models, proven = fast(self, *args)
        first = next(s for s in models[0] if s[0] == "use")
        return [[s for s in models[0] if s != first]], proven

    monkeypatch.setattr(repair_module._Repairer, "optimise_fast", drop_one)
    result = repair(GRID)
    monkeypatch.undo()
    assert result.verified and result.optimal
    assert _cost(result) == _cost(repair(GRID))


def test_probes_split_by_provision_and_the_last_round_aside_give_the_same_repair(
        tmp_path, monkeypatch) -> None:
    from checker.analysis import repair as repair_module

    path = _generated(tmp_path, 80, 7)
    split = repair_module._Repairer.probe_halves
    seen = []
    monkeypatch.setattr(repair_module._Repairer, "probe_halves",
                        lambda self, cands, fired: seen.append(len(cands)) or split(self, cands, fired))
    monkeypatch.setattr(repair_module._Repairer, "BATCH", 20)   # split even small probes
    aside = repair(path)
    assert seen, "the first round was probed in two processes"
    monkeypatch.setattr(repair_module._Repairer, "PARALLEL", False)
    in_turn = repair(path)
    assert aside.verified and in_turn.verified
    assert [r.events for r in aside.repairs] == [r.events for r in in_turn.repairs]


def test_a_last_round_that_opens_duties_after_all_is_explored_and_solved_again(monkeypatch) -> None:
    # the last round of candidates (here the reports of added help) is probed beside the
    # optimisation; had they opened a duty, the optimisation is done again with it
    from checker.analysis import repair as repair_module

    solved = []
    fast = repair_module._Repairer.optimise_fast
    monkeypatch.setattr(repair_module._Repairer, "optimise_fast",
                        lambda self, *args: solved.append(set(self.needed)) or fast(self, *args))

    def probe_ahead(self, candidates, fired):
        def answer():
            windows, opened = self.probe(candidates, fired)
            assert not opened, "a report opens nothing"
            c = candidates[0]   # pretend that this report must be reported in turn
            duty = f'ob("art5.report",{c.cls[1]},{c.key})'
            windows[duty] = [(c.day, c.day + 1)]
            opened[duty] = ["breached", None]
            return windows, opened
        return answer

    monkeypatch.setattr(repair_module._Repairer, "probe_ahead", probe_ahead)
    monkeypatch.setattr(repair_module._Repairer, "LAZY", False)   # (see the tests below)
    result = repair(GRID)
    assert len(solved) == 2 and len(solved[1]) == len(solved[0]) + 1
    assert result.verified


def _probes_counted(monkeypatch):
    from checker.analysis import repair as repair_module

    probed = []
    probe = repair_module._Repairer.probe
    monkeypatch.setattr(repair_module._Repairer, "probe",
                        lambda self, cands=(), fired=None: probed.append(len(cands)) or probe(self, cands, fired))
    monkeypatch.setattr(repair_module, "_in_child", lambda *a, **k: None)   # (every probe here)
    return probed


@pytest.mark.parametrize("seed", [5, 7])
def test_a_last_round_left_unprobed_gives_the_repair_of_the_eager_one(tmp_path, monkeypatch, seed) -> None:
    # one optimal repair: the last round is not probed when the cover's repair passes the
    # check (its candidates counted as opening nothing, the cover is a relaxation, so a
    # repair it finds that the pack's rules accept is optimal); every optimal repair is
    # listed from every round probed
    from checker.analysis import repair as repair_module

    path = _generated(tmp_path, 80, seed)
    probed = _probes_counted(monkeypatch)
    lazy = repair(path)
    lazy_probes = list(probed)
    probed.clear()
    monkeypatch.setattr(repair_module._Repairer, "LAZY", False)
    eager = repair(path)
    assert lazy.verified and lazy.optimal and eager.verified and eager.optimal
    assert _cost(lazy) == _cost(eager)
    assert len(lazy_probes) < len(probed) and sum(lazy_probes) < sum(probed)


def test_every_optimal_repair_is_listed_from_every_round_probed(tmp_path, monkeypatch) -> None:
    from checker.analysis import repair as repair_module

    path = _generated(tmp_path, 60, 1)
    probed = _probes_counted(monkeypatch)
    repair(path, holder="uk")
    one = len(probed)
    probed.clear()
    every = repair(path, holder="uk", all_optimal=True, limit=500)
    assert len(probed) == one + 1, "every optimal repair: the last round is probed too"
    probed.clear()
    monkeypatch.setattr(repair_module._Repairer, "LAZY", False)
    assert _listed(repair(path, holder="uk", all_optimal=True, limit=500)) == _listed(every)
    assert len(probed) == one + 1


def test_a_last_round_is_probed_when_the_covers_repair_fails_the_check(tmp_path, monkeypatch) -> None:
    from checker.analysis import repair as repair_module

    path = _generated(tmp_path, 80, 5)
    best = repair(path)
    probed = _probes_counted(monkeypatch)
    check = repair_module.verify_repair
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        return len(calls) > 1 and check(*args, **kwargs)

    monkeypatch.setattr(repair_module, "verify_repair", fails_once)
    result = repair(path)
    assert len(calls) >= 2 and len(probed) >= 3, "the last round was probed, then solved again"
    assert result.verified and result.optimal and _cost(result) == _cost(best)


def test_candidates_of_a_class_are_found_by_its_text_and_share_its_terms(tmp_path, monkeypatch) -> None:
    # add_candidates puts a key's text together from its terms' texts: it must be clingo's
    # text of the one action act(Provision, Holder|joint, About, Day),
    # made once however many duties it serves, and the candidates of one class share one
    # cls tuple (reduce numbers the classes by it)
    import clingo

    from checker.analysis import repair as repair_module

    seen = {}
    reduce = repair_module._Repairer.reduce

    def spy(self, targets):
        seen["repairer"] = self
        reduce(self, targets)

    monkeypatch.setattr(repair_module._Repairer, "reduce", spy)
    repair(_generated(tmp_path, 120, 9))
    r = seen["repairer"]
    by_text: dict = {}
    for key, c in r.candidates.items():
        assert key == str(clingo.Function("act", [*map(clingo.parse_term, c.cls), clingo.Number(c.day)]))
        assert key is c.key
        by_text.setdefault(str(c.cls), set()).add(id(c.cls))
    assert all(len(ids) == 1 for ids in by_text.values())
    assert len(by_text) < len(r.candidates)
    # every candidate a duty may use is the one stored under its key
    for keys in r.serving.values():
        assert all(r.candidates[k].key is k for k in keys)
    # a joint consultation is one candidate per day that serves several holders' duties
    shared = [k for k in r.candidates
              if sum(k in keys for keys in r.serving.values()) > 1]
    assert shared


# --- terms as text: what repair.py reads and writes must be clingo's own text ---------------
HOSTILE = ['plain', 'a"b', 'back\\slash', 'new\nline', 'x),p(y', '),', '(', 'ä ∀ 😀', '', '\\"', 'a,b']


def _terms():
    import clingo

    F, S, N = clingo.Function, clingo.String, clingo.Number
    strings = [S(t) for t in HOSTILE]
    return strings + [
        N(-3), N(0), F("c"), F("c", [], False), F("", [N(1), S("x,y")]), F("", [N(1)]),
        clingo.parse_term("#inf"),
        F("act", [S("art4.consult"), F("joint"), F("none"), N(12)]),
        F("act", [S('p"q'), F("uk"), S("e),f("), N(-1)]),
        F("ob", [S("art5.report"), F("uk"), F("act", [S("art4.assist"), F("uk"), S("a"), N(3)])]),
        F("ob", [S("x"), F("pair", [F("a"), S("b")]), S("c")]),
        F("f", [F("g", [F("h", [S("),(")])]), N(2), *strings]),
    ]


def test_a_terms_text_splits_into_its_arguments_texts() -> None:
    from checker.analysis.repair import _args, _flat, _plain, _quote, _unquote

    for sym in _terms():
        text = str(sym)
        if sym.type.name == "Function":
            assert _args(text) == tuple(str(a) for a in sym.arguments), text
        else:
            assert _args(text) == ()
        if sym.type.name == "String":
            assert _unquote(text) == sym.string and _quote(sym.string) == text
            assert _flat(text) == sym.string and type(_flat(text)) is str and _plain(text) == sym.string
        elif sym.type.name == "Number":
            assert _flat(text) == sym.number
        elif sym.type.name == "Function" and not sym.arguments and sym.positive and sym.name:
            assert _flat(text) == sym.name and type(_flat(text)) is not str
        else:
            assert _flat(text) is None, text


@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_atoms_read_as_text_are_cut_into_their_pieces(count) -> None:
    import clingo

    from checker.analysis.repair import _pair, _pieces

    terms = _terms()
    for value in terms:   # a string that holds the separator "),p(" must not cut an atom
        atoms = [clingo.Function("p", [t, value]) for t in terms[:count]]
        pieces = _pieces(atoms, "p")
        assert pieces == [str(a)[2:-1] for a in atoms]
        assert [_pair(p) for p in pieces] == [(str(a.arguments[0]), str(value)) for a in atoms]


def test_terms_numbered_as_flat_facts_are_built_back_exactly() -> None:
    # candidates go into a probe as flat facts, and TERMS_PROGRAM builds their terms: the pack's
    # rules must see the very events, fields and duties that symbols would have given
    import clingo

    from checker.analysis.repair import TERMS_PROGRAM, _Facts
    from checker.engine.facts import add_facts

    terms = [str(t) for t in _terms()]
    facts = _Facts()
    numbers = {t: facts.ref(t) for t in terms if "(" in t and t[0] != '"'}
    event = 'act("art4.assist",uk,act("art4.consult",joint,none,3),4)'
    n = facts.ref(event)
    facts.tuples.append(("_repair_event", n, constant("assistance"), 4))
    for value in terms:
        facts.arg(n, "about", value)
    facts.tuples.append(("_repair_seq", 7))
    duty = 'ob("art5.report",uk,act("art4.assist",uk,"a",3))'
    facts.tuples.append(("_repair_known", facts.ref(duty)))
    assert facts.symbols, "a term of another shape goes in whole"
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], TERMS_PROGRAM)
    add_facts(ctl, facts.tuples)
    with ctl.backend() as backend:
        for number, text in facts.symbols:
            backend.add_rule([backend.add_atom(clingo.Function(
                "_repair_term", [clingo.Number(number), clingo.parse_term(text)]))])
    ctl.ground([("base", [])])
    shown = {str(a.symbol) for a in ctl.symbolic_atoms if a.symbol.name in ("event", "seq", "arg", "repair_known")}
    built = {a.symbol.arguments[1] for a in ctl.symbolic_atoms.by_signature("_repair_term", 2)}
    assert {str(t) for t in built} >= set(numbers)
    assert shown == {f"event({event},assistance,4)", f"seq({event},7)", f"repair_known({duty})",
                     *(f"arg({event},about,{v})" for v in terms)}


def constant(text):
    from checker.engine.terms import Name

    return Name(text)


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
