"""Running the ``expect:`` blocks of a scenario corpus, and rewriting them on request.

A scenario file with an ``expect:`` block is a test file; each expectation in it is one test
case named ``<file>::<expectation>``. Whether a file has one is decided by parsing it, as
the loader does (``"expect":``, ``? expect``, flow style and a byte-order mark all count).
A file that looks like a scenario (a mapping with a ``scenario``, ``treaty`` or ``events``
key) must validate, with or without expectations: one that does not is rejected, never
skipped. Only a valid scenario without ``expect:`` and a file that is no scenario at all
are skipped. Files are independent, so a corpus is spread over a process pool (clingo
holds the GIL while it grounds, threads would not help); each worker reads its file once.
Nothing here prints: progress is reported through a callback, results are returned as values.

One module, though long: running a file, evaluating its expectations, naming its cases and
running a corpus on a pool share FileResult and CaseResult.
"""

from __future__ import annotations

import fnmatch
import os
import re
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from checker.engine.pool import worker_pool
from checker.errors import CheckerError, Problem, ScenarioError
from checker.maintain.expect import evaluate
from checker.model import Verdicts, iso

# below this many files a pool costs more to start (each worker imports clingo) than it saves
POOL_MIN_FILES = 8
SCENARIO_KEYS = ("scenario", "treaty", "events")  # a mapping with one of them is meant as a scenario
NOT_A_SCENARIO = "not a scenario (no scenario, treaty or events key)"
NO_EXPECTATIONS = "no expect: block"


@dataclass(frozen=True)
class CaseResult:
    """One expectation of one file, run: what was expected, what the rules gave, and why."""

    file: str
    expectation: str
    obligation: str
    line: int
    passed: bool
    expected: str
    actual: str
    # why the rules gave the actual verdict: the explanation tree (checker.analysis.explain's
    # JSON nodes) where there is one, else a summary in lines (see _Derivations)
    tree: dict | None = None
    derivation: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.file}::{self.expectation}"


@dataclass(frozen=True)
class FileResult:
    """A scenario file, run: its cases, or the problems that kept it from running."""

    file: str
    cases: tuple[CaseResult, ...] = ()
    problems: tuple[str, ...] = ()
    verdicts: Verdicts | None = None
    rules_root: str | None = None
    seconds: float = 0.0
    skipped: str | None = None  # why the file holds no test (see the module's docstring)
    # the verdicts under each treaty the file is checked under (``verdicts`` is the first)
    views: tuple[Verdicts, ...] = ()

    @property
    def rejected(self) -> bool:
        return bool(self.problems)


@dataclass
class RunResult:
    """A whole corpus, run; ``files`` keep the order in which the files were given."""

    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that hold no test (FileResult.skipped)
    seconds: float = 0.0
    jobs: int = 1

    @property
    def cases(self) -> list[CaseResult]:
        return [c for f in self.files for c in f.cases]

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.rejected]

    def counts(self) -> dict[str, int]:
        cases = self.cases
        return {"files": len(self.files), "cases": len(cases),
                "passed": sum(1 for c in cases if c.passed),
                "failed": sum(1 for c in cases if not c.passed),
                "rejected": len(self.rejected), "skipped": len(self.skipped)}


def skip_reason(doc) -> str | None:
    """Why a parsed file holds no test: it is no scenario, or a scenario without ``expect:``
    (which must still validate); None when it is a test file."""
    if not isinstance(doc, dict) or not any(key in doc for key in SCENARIO_KEYS):
        return NOT_A_SCENARIO
    return None if "expect" in doc else NO_EXPECTATIONS


# --- one file ---------------------------------------------------------------------------------

def run_file(path: str | Path, rules_root: str | Path | None = None,
             parameters: dict | None = None, readings: dict | None = None,
             keep_verdicts: bool = True, timeout: float | None = None,
             tests_only: bool = False, explain: bool = True, max_uncertain_days: int | None = None,
             retarget: tuple[str, str] | None = None, treaties: Sequence[str] = ()) -> FileResult:
    """Check one scenario and evaluate its expectations; never raises on bad input.

    ``tests_only``: a file that holds no test is skipped (``FileResult.skipped`` says why),
    once it was read, and validated if it is a scenario.
    ``keep_verdicts=False`` drops the verdicts from the result: a worker then sends back only
    the cases, which is most of the cost of a pool on a corpus of small files.
    ``explain=False`` leaves out the derivation of a failing case (``--update`` needs none).
    ``timeout`` bounds all of it, reading included (see checker.engine.pool.within);
    ``max_uncertain_days``: see checker.io.events.MAX_UNCERTAIN_DAYS.
    ``retarget=(A, B)``: only a file that names treaty A is checked, under treaty B, its own
    expectations left out (they are A's); any other file is skipped.
    A history checked under several treaties (``treaties``, or its ``treaty:`` list) is run
    under each, against that treaty's expectations; its cases are named ``TREATY::ID``."""
    from checker.engine.pool import within

    shown = str(path)
    start = time.perf_counter()
    try:
        return within(timeout, shown, lambda limit: _run_file(path, rules_root, parameters, readings, keep_verdicts,
                                                              limit, tests_only, explain, max_uncertain_days,
                                                              retarget, treaties))
    except CheckerError as exc:
        return FileResult(shown, problems=tuple(_problem_lines(exc, shown)),
                          seconds=time.perf_counter() - start)


def _run_file(path, rules_root, parameters, readings, keep_verdicts, timeout, tests_only, explain,
              max_uncertain_days, retarget, treaties) -> FileResult:
    # clingo is imported here, in the worker, not at start-up
    from checker.engine.check import check_scenario
    from checker.io.scenario import load_history_document, read_document

    shown = str(path)
    start = time.perf_counter()
    try:
        doc = read_document(Path(path), shown)
        if retarget is not None:
            doc = retargeted(doc, *retarget)
            if doc is None:
                return FileResult(shown, skipped=f"names no treaty {retarget[0]}", seconds=time.perf_counter() - start)
        reason = skip_reason(doc) if tests_only else None
        if reason == NOT_A_SCENARIO:
            return FileResult(shown, skipped=reason, seconds=time.perf_counter() - start)
        views = load_history_document(path, doc, rules_root=Path(rules_root) if rules_root else None,
                                      treaties=treaties, parameters=parameters, readings=readings,
                                      max_uncertain_days=max_uncertain_days)
        del doc
        if reason is not None:
            return FileResult(shown, skipped=reason, seconds=time.perf_counter() - start)
        checked = [(check_scenario(scenario, pack, timeout=timeout), pack) for scenario, pack in views]
    except CheckerError as exc:
        return FileResult(shown, problems=tuple(_problem_lines(exc, shown)),
                          seconds=time.perf_counter() - start)
    cases: list[CaseResult] = []
    for verdicts, pack in checked:
        outcomes = evaluate(verdicts)
        names = case_names([o.expectation for o in outcomes])
        if len(checked) > 1:
            names = [f"{pack.name}::{name}" for name in names]
        why = _Derivations(verdicts, pack)
        cases.extend(
            CaseResult(file=shown, expectation=name, obligation=o.expectation.obligation,
                       line=o.expectation.line, passed=o.passed, expected=o.expected, actual=o.actual,
                       **({} if o.passed or not explain else why(o.expectation.obligation)))
            for name, o in zip(names, outcomes))
    return FileResult(shown, cases=tuple(cases), verdicts=checked[0][0] if keep_verdicts else None,
                      views=tuple(v for v, _ in checked) if keep_verdicts else (),
                      rules_root=str(checked[0][1].folder.parent),
                      seconds=time.perf_counter() - start)


def retargeted(doc, treaty: str, instead: str):
    """The scenario document ``doc`` checked under pack ``instead`` where it names ``treaty``,
    without its expectations (they are ``treaty``'s); None when it does not name ``treaty``."""
    from checker.io.document import LDict

    named = doc.get("treaty") if isinstance(doc, dict) else None
    names = named if isinstance(named, list) else [named]
    if treaty not in names:
        return None
    out = LDict(doc)
    out.line, out.key_lines = getattr(doc, "line", 1), dict(getattr(doc, "key_lines", {}))
    if isinstance(named, list):
        out["treaty"] = type(named)(dict.fromkeys(instead if n == treaty else n for n in named))
        for attribute in ("line", "item_lines"):
            if hasattr(named, attribute):
                setattr(out["treaty"], attribute, getattr(named, attribute))
    else:
        out["treaty"] = instead
    given = out.get("in_force_from")
    if isinstance(given, dict) and treaty in given:   # a date per treaty: the version takes its parent's
        out["in_force_from"] = LDict((instead if k == treaty else k, v) for k, v in given.items())
        out["in_force_from"].line = getattr(given, "line", 1)
        out["in_force_from"].key_lines = {instead if k == treaty else k: n
                                          for k, n in getattr(given, "key_lines", {}).items()}
    out.pop("expect", None)
    return out


def case_names(expectations: Sequence) -> list[str]:
    """A name per expectation, unique in its file: the obligation id (``not_fired:`` for a
    duty expected not to fire), with ``[status,certainty]`` added where one file expects
    several statuses of one duty (possible worlds), and the line where even that repeats."""
    base = [e.name for e in expectations]
    named = []
    for b, e in zip(base, expectations):
        detail = ",".join(x for x in (e.status, e.certainty) if x)
        named.append(b if base.count(b) == 1 or not detail else f"{b}[{detail}]")
    return [n if named.count(n) == 1 else f"{n}[line {e.line}]" for n, e in zip(named, expectations)]


def _problem_lines(exc: CheckerError, shown: str) -> list[str]:
    lines = exc.lines()
    if isinstance(exc, ScenarioError) or exc.problems:
        return lines
    # a problem with no location of its own (a pack or usage error) is put on the file's line 1
    return [line if line.startswith(shown + ":") else f"{shown}:1: {line}" for line in lines]


class _Derivations:
    """The derivation of each actual verdict a failing case shows, built on first need.

    The tree of checker.explain (every rule and fact behind the verdict, and the candidates
    that came close) when the verdict exists and the facts are certain; otherwise the summary
    of ``derivation`` (a verdict over possible worlds has no single derivation, and a duty
    that does not exist has none at all)."""

    DEPTH = 3  # deep enough to reach the events; the full tree is `checker explain`

    def __init__(self, verdicts: Verdicts, pack):
        self.verdicts, self.pack, self.explainer = verdicts, pack, None

    def __call__(self, ob_id: str) -> dict:
        """The CaseResult fields that say why: ``tree``, or else ``derivation``."""
        v = self.verdicts
        exists = v.obligation(ob_id) is not None or any(n.id == ob_id for n in v.not_fired)
        if exists and not getattr(v.scenario, "uncertain", False):
            from checker.analysis.explain import Explainer

            try:
                if self.explainer is None:
                    self.explainer = Explainer(v, self.pack, depth=self.DEPTH)
                return {"tree": self.explainer.explain(ob_id).to_json()}
            except (CheckerError, RuntimeError):
                pass  # the summary below still says what the verdict rests on
        return {"derivation": tuple(derivation(v, self.pack, ob_id))}


def derivation(verdicts: Verdicts, pack, ob_id: str) -> list[str]:
    """Why the rules gave what they gave for ``ob_id``, in brief: the dates and events behind it."""
    s = verdicts.scenario

    def event(eid: str | None) -> str:
        e = s.event(eid) if eid else None
        if e is None:
            return str(eid)
        return f"{e.id} ({e.type} on {iso(e.day)}, {s.path}:{e.line})"

    def title(provision: str) -> str:
        p = pack.provisions.get(provision)
        return f"{provision} ({p.title})" if p is not None and p.title else provision

    o = verdicts.obligation(ob_id)
    if o is not None:
        out = [f"{title(o.provision)}: {o.kind} duty of {o.holder}, fired on {iso(o.fired_on)}"
               + (f", triggered by {event(o.trigger)}" if o.trigger else "")]
        if o.deadline is not None:
            out.append(f"deadline {iso(o.deadline)}; verdict as of {iso(s.as_of)}")
        if o.status in ("fulfilled", "late"):
            out.append(f"met by {event(o.met_by)}")
            if o.status == "late":
                out.append(f"which is after the deadline: breached on {iso(o.breached_on)}, cured")
        elif o.status == "discharged":
            out.append(f"ended early by {event(o.discharged_by)}")
        elif o.status == "breached" and o.breached_by:
            out.append(f"violated by {event(o.breached_by)}")
        elif o.status == "breached":
            out.append(f"nothing met it by the deadline: breached on {iso(o.breached_on)}")
        elif o.status == "pending":
            out.append("not met yet, and the deadline is not past")
        elif o.status == "complied":
            out.append(f"no violating event from {iso(o.fired_on)} to {iso(s.as_of)}")
        return out
    blocked = next((n for n in verdicts.not_fired if n.id == ob_id), None)
    if blocked is not None:
        out = [f"{title(blocked.provision)} would have fired for {blocked.holder}"
               + (f" on {event(blocked.trigger)}" if blocked.trigger else "")]
        out.extend(f"blocked by {title(b)}" for b in blocked.blocked_by)
        return out
    provision = ob_id.split("/")[0]
    near = [o.id + f" ({o.status})" for o in verdicts.obligations if o.provision == provision]
    near += [n.id + " (not fired)" for n in verdicts.not_fired if n.provision == provision]
    if not near:
        return [f"no duty under {title(provision)} arose in this scenario"]
    shown = near[:6] + ([f"... and {len(near) - 6} more"] if len(near) > 6 else [])
    return [f"under {provision} this scenario has: " + ", ".join(shown)]


# --- a corpus ---------------------------------------------------------------------------------

def select(result: FileResult, pattern: str | None) -> FileResult:
    """The file's cases whose name matches ``pattern`` (a substring, or a glob with * ? [)."""
    if not pattern:
        return result
    return replace(result, cases=tuple(c for c in result.cases if matches(c.name, pattern)))


def matches(name: str, pattern: str) -> bool:
    """Case-insensitive substring match, or a glob match when the pattern has * ? or [."""
    name, pattern = name.lower(), pattern.lower()
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(name, pattern if pattern.startswith("*") else "*" + pattern + "*")
    return pattern in name


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def run_corpus(files: Sequence[Path], *, rules_root: Path | None = None, jobs: int | None = None,
               only_with_expect: bool = True, parameters: dict | None = None,
               readings: dict | None = None, keep_verdicts: bool = True, explain: bool = True,
               progress: Callable[[int, int, FileResult], None] | None = None,
               timeout: float | None = None, max_uncertain_days: int | None = None,
               retarget: tuple[str, str] | None = None, treaties: Sequence[str] = ()) -> RunResult:
    """Run every file (those that hold tests, unless told otherwise: see the module's
    docstring; ``retarget``: see run_file) on ``jobs`` cores; ``treaties`` (``--treaty``): the
    treaties each is checked under.

    ``progress(done, total, result)`` is called in this process as each file finishes
    (skipped files included: each is read to find out).
    """
    start = time.perf_counter()
    run = RunResult()
    todo = [Path(path) for path in files]
    jobs = max(1, jobs or default_jobs())
    if len(todo) < POOL_MIN_FILES:
        jobs = 1
    run.jobs = jobs
    results: list[FileResult | None] = [None] * len(todo)
    root = str(rules_root) if rules_root else None
    job = (root, parameters, readings, keep_verdicts, timeout, only_with_expect, explain, max_uncertain_days,
           retarget, tuple(treaties))
    if jobs == 1:
        for i, path in enumerate(todo):
            results[i] = run_file(path, *job)
            if progress:
                progress(i + 1, len(todo), results[i])  # type: ignore[arg-type]
    else:
        with worker_pool(jobs) as pool:
            futures = {pool.submit(run_file, path, *job): i for i, path in enumerate(todo)}
            for done, future in enumerate(as_completed(futures), 1):
                results[futures[future]] = future.result()
                if progress:
                    progress(done, len(todo), results[futures[future]])  # type: ignore[arg-type]
    run.skipped = [r.file for r in results if r is not None and r.skipped]
    run.files = [r for r in results if r is not None and not r.skipped]
    run.seconds = time.perf_counter() - start
    return run


def filter_run(run: RunResult, pattern: str | None) -> RunResult:
    """The run with only the cases whose names match ``pattern`` (see ``matches``)."""
    if not pattern:
        return run
    out = RunResult(files=[select(f, pattern) for f in run.files], skipped=run.skipped,
                    seconds=run.seconds, jobs=run.jobs)
    out.files = [f for f in out.files if f.cases or f.rejected]
    return out


# --- rewriting expect: blocks -------------------------------------------------------------------

@dataclass(frozen=True)
class Update:
    """What ``--update`` did to one file."""

    file: str
    changed: tuple[str, ...]  # one line per expectation rewritten, added or removed


def rewrite_expectations(text: str, verdicts: Verdicts) -> tuple[str, list[str]]:
    """``text`` with its ``expect:`` block brought in line with ``verdicts``, and what changed.

    Works on lines: only the lines of expectations that no longer hold are touched, so the
    comments and layout of the rest of the file (and of the block) stay as they were. An
    empty block (``expect: []`` or ``expect:`` alone) is filled with every verdict.
    """
    from checker.io.document import LDict, LList
    from checker.io.yamltext import read_yaml

    doc = read_yaml(text)
    if not isinstance(doc, LDict) or "expect" not in doc or not isinstance(doc["expect"], (LList, type(None))):
        return text, []
    lines = text.splitlines(keepends=True)
    block = doc["expect"]
    expect_line = doc.key_lines["expect"]
    if not block:
        return _fill_empty_block(lines, expect_line, verdicts)

    edits: list[tuple[int, int, list[str]]] = []  # (first line, last line, replacement), 1-based
    changed: list[str] = []
    item_lines = list(block.item_lines)
    later_keys = [ln for ln in doc.key_lines.values() if ln > expect_line]
    block_end = (min(later_keys) - 1) if later_keys else len(lines)
    for i, item in enumerate(block):
        first = item_lines[i]
        last = (item_lines[i + 1] - 1) if i + 1 < len(item_lines) else block_end
        while last > first and _is_blank_or_comment(lines[last - 1]):
            last -= 1  # comments before the next item belong to it
        edit = _rewrite_item(lines, first, last, item, verdicts)
        if edit is not None:
            replacement, what = edit
            edits.append((first, last, replacement))
            changed.append(what)
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first - 1:last] = replacement
    return "".join(lines), changed


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _set_value(line: str, key: str, value: str) -> str:
    return re.sub(rf"(\b{key}\s*:\s*)([A-Za-z0-9_.\-/\"']+)", lambda m: m.group(1) + value, line, count=1)


def _item_text(indent: str, pairs: list[tuple[str, str]]) -> list[str]:
    out = [f"{indent}- {pairs[0][0]}: {pairs[0][1]}\n"]
    out.extend(f"{indent}  {k}: {v}\n" for k, v in pairs[1:])
    return out


def _rewrite_item(lines, first, last, item, verdicts) -> tuple[list[str], str] | None:
    if not isinstance(item, dict):
        return None
    indent = re.match(r"^(\s*)", lines[first - 1]).group(1)  # type: ignore[union-attr]
    key = "not_fired" if "not_fired" in item else "obligation"
    ob_id = item.get(key)
    if not isinstance(ob_id, str):
        return None
    o = verdicts.obligation(ob_id)
    blocked = next((n for n in verdicts.not_fired if n.id == ob_id), None)
    span = lines[first - 1:last]
    if key == "obligation" and o is not None:
        new = list(span)
        what = []
        if item.get("status") != o.status and "status" in item:
            at = item.key_lines["status"] - first
            new[at] = _set_value(new[at], "status", o.status)
            what.append(f"status {item.get('status')} -> {o.status}")
        if "certainty" in item and item.get("certainty") != o.certainty:
            at = item.key_lines["certainty"] - first
            new[at] = _set_value(new[at], "certainty", o.certainty)
            what.append(f"certainty {item.get('certainty')} -> {o.certainty}")
        return (new, f"{ob_id}: " + ", ".join(what)) if what else None
    if key == "not_fired" and blocked is not None:
        reason = item.get("reason")
        if reason is None or reason in blocked.blocked_by:
            return None
        at = item.key_lines["reason"] - first
        new = list(span)
        new[at] = _set_value(new[at], "reason", blocked.blocked_by[0])
        return new, f"{ob_id}: not fired, reason {reason} -> {blocked.blocked_by[0]}"
    if o is not None:
        return _item_text(indent, [("obligation", ob_id), ("status", o.status)]), \
            f"{ob_id}: not fired -> {o.status}"
    if blocked is not None:
        return _item_text(indent, [("not_fired", ob_id), ("reason", blocked.blocked_by[0])]), \
            f"{ob_id}: {item.get('status')} -> not fired ({blocked.blocked_by[0]})"
    # the duty no longer arises at all: leave a trace a reviewer sees in the diff
    return [f"{indent}# removed by `checker test --update`: {ob_id} no longer arises\n"], \
        f"{ob_id}: removed (no longer arises)"


def _fill_empty_block(lines: list[str], expect_line: int, verdicts: Verdicts) -> tuple[str, list[str]]:
    body: list[str] = []
    changed: list[str] = []
    for o in verdicts.obligations:
        body.extend(_item_text("  ", [("obligation", o.id), ("status", o.status)]))
        changed.append(f"{o.id}: added ({o.status})")
    for n in verdicts.not_fired:
        body.extend(_item_text("  ", [("not_fired", n.id), ("reason", n.blocked_by[0])]))
        changed.append(f"{n.id}: added (not fired, {n.blocked_by[0]})")
    if not body:
        return "".join(lines), []
    old = lines[expect_line - 1]
    comment = ""
    if "#" in old:  # keep a comment that sat on the expect: line
        comment = "  " + old[old.index("#"):].rstrip("\n")
    lines[expect_line - 1] = "expect:" + comment + "\n"
    lines[expect_line:expect_line] = body
    return "".join(lines), changed


def update_file(path: Path, verdicts: Verdicts, rules_root: Path | None = None) -> Update:
    """Rewrite the ``expect:`` block of ``path`` from ``verdicts``. The new text is validated
    before it is written, and written atomically (checker.io.files.replace): whatever
    happens, the file is the old one or the new one whole, never a file the loader rejects."""
    import os

    from checker.io.document import SourceProblem
    from checker.io.files import read_text, replace
    from checker.io.scenario import load_document, parse_document

    shown = str(path)
    original = read_text(path, shown)
    try:
        text, changed = rewrite_expectations(original, verdicts)
    except SourceProblem as exc:
        raise ScenarioError([Problem(shown, exc.line, exc.kind, exc.message)]) from None
    if text == original:
        return Update(shown, ())
    load_document(path, parse_document(text, path.suffix, shown), rules_root=rules_root)
    replace(path, text, option="--update", keep_mode=os.stat(path))
    return Update(shown, tuple(changed))


