"""Every command's output as JSON: the report contract (treaty-checker/report@1) and the
documents of the other commands, each named by its ``format`` and described by a schema in
docs/schema/."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from checker.model import Verdicts, iso
from checker.render.tree import derivation_lines

if TYPE_CHECKING:
    from checker.maintain.coverage import CoverageReport
    from checker.maintain.semdiff import DiffResult

FORMAT = "treaty-checker/report@1"
FORMAT_EXPLANATION = "treaty-checker/explanation@1"
FORMAT_READINGS = "treaty-checker/readings@1"
FORMAT_WHATIF = "treaty-checker/whatif@1"
FORMAT_REPAIR = "treaty-checker/repair@1"
FORMAT_SWEEP = "treaty-checker/sweep@1"
FORMAT_TEST = "treaty-checker/test@1"
FORMAT_LINT = "treaty-checker/lint@1"
FORMAT_DIFF = "treaty-checker/diff@1"
FORMAT_MUTATE = "treaty-checker/mutate@1"
FORMAT_COMPARE = "treaty-checker/compare@1"


def dumps(doc: dict) -> str:
    """A document as the commands print it: indented, Unicode as it is."""
    return json.dumps(doc, indent=2, ensure_ascii=False)


def obligation_json(o) -> dict:
    return {
        "id": o.id, "provision": o.provision, "kind": o.kind, "holder": o.holder,
        "trigger": o.trigger, "fired_on": iso(o.fired_on), "deadline": iso(o.deadline),
        "status": o.status, "certainty": o.certainty,
        "possible_statuses": list(o.statuses), "met_by": o.met_by,
        "breached_on": iso(o.breached_on), "breached_by": o.breached_by,
        "discharged_by": o.discharged_by, "discharged_on": iso(o.discharged_on),
    }


def scenario_json(v: Verdicts, explanations: dict | None = None, lines: bool = False) -> dict:
    """One scenario's part of the report. With ``lines`` (for iter_json), the obligations and
    the not-fired duties are lazy iterators, and an item with no explanation is given as its
    JSON text already."""
    s = v.scenario
    uncertain = s.uncertain
    obligations = _obligation_items(v, explanations, lines)
    not_fired = ((_not_fired_line if lines else _not_fired_json)(n, uncertain) for n in v.not_fired)
    return {
        "file": s.path, "scenario": s.title, "treaty": s.treaty, "as_of": iso(s.as_of),
        "readings": dict(s.readings), "obligations": obligations if lines else list(obligations),
        "not_fired": not_fired if lines else list(not_fired),
        "parameters": dict(s.parameters), "ignored_events": s.ignored_events,
        "unread_events": s.unread_events, **({"treaties": list(s.treaties)} if s.shared else {}),
        "summary": v.summary(),
        **({"worlds": v.worlds} if uncertain else {}),
    }


def _obligation_items(v: Verdicts, explanations: dict | None, lines: bool):
    for o in v.obligations:
        if explanations and o.id in explanations:
            item = obligation_json(o)
            item["explanation"] = explanations[o.id]
            yield item
        else:
            yield _obligation_line(o) if lines else obligation_json(o)


def _not_fired_json(n, uncertain: bool) -> dict:
    item = {"id": n.id, "provision": n.provision, "holder": n.holder, "trigger": n.trigger,
            "blocked_by": list(n.blocked_by)}
    if uncertain:  # only a scenario with uncertain facts can block a duty in some worlds only
        item["certainty"] = n.certainty
    return item


def _not_fired_line(n, uncertain: bool) -> str:
    """_compact(_not_fired_json(n, uncertain)), written directly (see _obligation_line)."""
    q = _string
    line = (f'{{"id": {q(n.id)}, "provision": {q(n.provision)}, "holder": {q(n.holder)}, '
            f'"trigger": {_text(n.trigger)}, "blocked_by": [{", ".join(map(q, n.blocked_by))}]')
    return line + (f', "certainty": {q(n.certainty)}}}' if uncertain else "}")


def render_json(results: Iterable[Verdicts], explanations: dict | None = None) -> str:
    """The whole run as one JSON document (explanations: file -> obligation id -> tree)."""
    return "".join(iter_json(results, explanations))


# json.dumps(indent=2) runs CPython's pure-Python encoder (the C one takes no indent): the
# report of a 100 000-event history took 6 s to print that way. The lists of duties are
# written one compact object a line by the C encoder instead (0.1 s at 10 000 events instead
# of 0.5 s), which also reads and greps well; an object carrying an explanation tree, which
# no one reads on one line, keeps the indented layout.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_LISTS_BY_LINE = ("obligations", "not_fired")


def iter_json(results: Iterable[Verdicts], explanations: dict | None = None):
    """render_json's text in pieces, for writing a large report without joining it first."""
    explanations = explanations or {}
    # a history checked under several treaties is explained per treaty: (file, treaty) -> trees
    return iter_json_explained((v, explanations.get((v.scenario.path, v.scenario.treaty),
                                                    explanations.get(v.scenario.path))) for v in results)


def iter_json_explained(results: Iterable[tuple]):
    """iter_json of (verdicts, explanations or None) pairs, each rendered as it comes: a
    report over many files holds one of them at a time."""
    yield f'{{\n  "format": {_compact(FORMAT)},\n  "scenarios": ['
    for n, (v, explained) in enumerate(results):
        doc = scenario_json(v, explained, lines=True)
        yield ("," if n else "") + "\n    {"
        for i, (key, value) in enumerate(doc.items()):
            yield ("," if i else "") + f"\n      {_compact(key)}: "
            if key in _LISTS_BY_LINE:
                yield from _lines(value)
            else:
                yield _indented(value, 6)
        yield "\n    }"
    yield "\n  ]\n}"


def _lines(items) -> Iterable[str]:
    """A list written one item a line, in pieces of a thousand lines: the report of a long
    history is never held whole (at 100 000 events, 74 MB)."""
    first = next(items, None)
    if first is None:
        yield "[]"
        return
    yield "[\n        " + _item(first)
    chunk: list[str] = []
    for item in items:
        chunk.append(_item(item))
        if len(chunk) == 1000:
            yield ",\n        " + ",\n        ".join(chunk)
            chunk.clear()
    if chunk:
        yield ",\n        " + ",\n        ".join(chunk)
    yield "\n      ]"


def _item(item) -> str:
    if type(item) is str:
        return item
    return _indented(item, 8) if "explanation" in item else _compact(item)


# An obligation with no explanation, written as _compact(obligation_json(o)) would write it:
# the encoder's set-up per call was most of the report's time (100 000 events: 1.9 s). The
# strings go through the encoder's own escaping; tests/test_report.py holds both to the same text.
_string = json.encoder.encode_basestring  # a str as JSON, as ensure_ascii=False writes it


def _text(value: str | None) -> str:
    return "null" if value is None else _string(value)


@lru_cache(maxsize=1 << 16)
def _date(day: int | None) -> str:
    return "null" if day is None else _string(iso(day))


def _obligation_line(o) -> str:
    q = _string
    return (f'{{"id": {q(o.id)}, "provision": {q(o.provision)}, "kind": {q(o.kind)}, '
            f'"holder": {q(o.holder)}, "trigger": {_text(o.trigger)}, "fired_on": {_date(o.fired_on)}, '
            f'"deadline": {_date(o.deadline)}, "status": {q(o.status)}, "certainty": {q(o.certainty)}, '
            f'"possible_statuses": [{", ".join(map(q, o.statuses))}], "met_by": {_text(o.met_by)}, '
            f'"breached_on": {_date(o.breached_on)}, "breached_by": {_text(o.breached_by)}, '
            f'"discharged_by": {_text(o.discharged_by)}, "discharged_on": {_date(o.discharged_on)}}}')


def _indented(value, pad: int) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * pad) if "\n" in text else text


def explanation_document(file: str, entries: list[dict]) -> dict:
    """`checker explain --format json`: the explained duties and their trees."""
    return {"format": FORMAT_EXPLANATION, "file": file, "explanations": entries}


def readings_document(grids) -> dict:
    """`check --all-readings --format json`: every scenario's grid of readings."""
    return {"format": FORMAT_READINGS, "scenarios": [readings_json(g) for g in grids]}


def readings_json(grid) -> dict:
    s = grid.scenario
    rows = grid.rows()
    varied = {n: list(dict.fromkeys(c[n] for c in grid.combos)) for n in (grid.combos[0] if grid.combos else {})
              if n not in grid.fixed}
    return {
        "file": s.path, "scenario": s.title, "treaty": s.treaty,
        "readings_varied": varied, "readings_fixed": dict(grid.fixed),
        "combinations": len(grid.combos),
        "invariant": [{"id": r["id"], "verdict": r["verdicts"][0]} for r in rows if r["invariant"]],
        "dependent": [{"id": r["id"], "depends_on": r["depends_on"],
                       "verdicts": [{"readings": combo, "verdict": cell}
                                    for combo, cell in zip(grid.combos, r["verdicts"])]}
                      for r in rows if not r["invariant"]],
    }


def test_json(run, coverage_report=None) -> str:
    cases = [{"name": c.name, "file": c.file, "line": c.line, "expectation": c.expectation,
              "obligation": c.obligation, "passed": c.passed, "expected": c.expected,
              "actual": c.actual, "derivation": derivation_lines(c)} for c in run.cases]
    doc = {"format": FORMAT_TEST, "cases": cases,
           "rejected": [{"file": f.file, "problems": list(f.problems)} for f in run.rejected],
           "skipped": run.skipped, "summary": {**run.counts(), "seconds": round(run.seconds, 3),
                                               "jobs": run.jobs}}
    if coverage_report is not None:
        doc["coverage"] = coverage_json(coverage_report)
    return json.dumps(doc, indent=2, ensure_ascii=False)


def coverage_json(report: CoverageReport) -> dict:
    hit, total = report.status_cells
    return {
        "status": {"reached": hit, "reachable": total, "percent": round(report.status_percent, 2)},
        "provisions": [{"pack": p.pack, "id": p.id, "kind": p.kind,
                        "outcomes": {o: p.reached.get(o, []) for o in p.reachable},
                        "missing": p.missing} for p in report.provisions],
        "rules": None if report.rules is None else {
            "percent": round(report.rule_percent or 0.0, 2),
            "fired": sum(1 for r in report.rules if r.fired_in), "total": len(report.rules),
            "never_fired": [{"file": r.file, "line": r.line, "text": r.text}
                            for r in report.rules if not r.fired_in]},
    }


def diff_json(result: DiffResult) -> dict:
    from checker.maintain.semdiff import KINDS

    return {
        "format": FORMAT_DIFF, "base": result.base, "head": result.head,
        "base_pack": result.base_pack, "head_pack": result.head_pack,
        "changes": [{"provision": c.provision, "file": c.file, "obligation": c.obligation,
                     "kind": c.kind, "flip": c.flip, "before": c.before, "after": c.after,
                     "days_moved": c.days_moved}
                    for cs in result.by_provision().values() for c in cs],
        "incomparable": [{"file": f, "rejected_under": side, "problems": list(p)}
                         for f, side, p in result.incomparable],
        "summary": {"files": result.files, "flipped": len(result.flips), "deadlines_moved": len(result.moves),
                    "by_kind": {k: sum(1 for c in result.changes if c.kind == k) for k in KINDS},
                    "incomparable": len(result.incomparable)},
    }


def whatif_document(file: str, result, show_all: bool, saved) -> dict:
    """`checker whatif --format json`."""
    rows = result.all_rows() if show_all else result.differences
    return {"format": FORMAT_WHATIF, "file": file, "treaty": result.before.scenario.treaty,
            "edits": result.edits.describe(),
            "differences": [{"id": d.id, "before": d.before, "after": d.after} for d in rows],
            "saved": str(saved) if saved else None, "breached_after": result.after.breached}


def repair_document(file: str, result, saved) -> dict:
    """`checker repair --format json`."""
    return {
        "format": FORMAT_REPAIR, "file": file, "treaty": result.scenario.treaty, "targets": list(result.targets),
        "unrepairable": [{"id": i, "why": why} for i, why in result.unrepairable],
        "refused": [{"id": i, "why": why} for i, why in result.refused],
        "found": result.found, "optimal": result.optimal, "verified": result.verified,
        "repairs": [{"actions": len(r.events), "events": list(r.events)} for r in result.repairs],
        "seconds": round(sum(result.timings.values()), 3), "saved": str(saved) if saved else None,
    }


class JsonSweepWriter:
    """`checker sweep --format json` (treaty-checker/sweep@1), written as the points come back:
    the dimensions first, then a point a line, then what the whole grid says."""

    def __init__(self, stream):
        self.stream = stream
        self._cells: dict[int, str] = {}
        self._first = True

    def begin(self, plan) -> None:
        self.plan = plan
        self.weighted = getattr(plan, "worlds", False)
        head = {"format": FORMAT_SWEEP, "file": plan.path,
                "dimensions": [{"name": name, "values": values} for name, values in plan.dimension_values()]}
        text = json.dumps(head, ensure_ascii=False)
        self.stream.write(text[:-1] + ',\n "points": [')

    def points(self, table, first: int, profiles: list[int]) -> None:
        plan, write = self.plan, self.stream.write
        columns = plan.columns
        for i, profile in enumerate(profiles, first):
            cells = self._cells.get(profile)
            if cells is None:
                cells = self._cells[profile] = json.dumps(table.cells(profile), ensure_ascii=False)
            values = json.dumps(dict(zip(columns, plan.labels(i))), ensure_ascii=False)
            weight = f', "weight": {plan.weight(i):.6g}' if self.weighted else ""
            write(("\n  " if self._first else ",\n  ") + f'{{"values": {values}, "verdicts": {cells}{weight}}}')
            self._first = False

    def end(self, result, summary=None) -> None:
        tail = {"changing": result.changing(), "groundings": result.table.groundings,
                "workers": max(1, result.workers), "where": result.where, "seconds": round(result.seconds, 3)}
        if result.extra.get("worlds") is not None:
            tail["worlds"] = result.extra["worlds"]
        text = json.dumps(tail, ensure_ascii=False)
        self.stream.write("\n ],\n " + text[1:] + "\n")
        self.stream.flush()


def lint_document(result) -> dict:
    """`checker lint --format json`."""
    from checker.maintain.lint import issues_by_check

    return {"format": FORMAT_LINT,
            "issues": [{"file": f.file, "line": f.line, "col": f.col or None, "check": f.check,
                        "message": f.message} for f in result.issues],
            "summary": {"rule_files": result.rule_files, "scenarios": result.scenarios,
                        "packs": result.packs, "by_check": issues_by_check(result.issues)}}


def _mutation_counts(report, results) -> dict:
    counts = report.counts(results)
    return {"mutants": len(results), **counts, "score": _rounded(report.score_of(counts))}


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 2)


def mutate_document(report) -> dict:
    """`checker mutate --format json`: every mutant with its class, and the counts and score
    per rule file, per provision and per rule line."""
    def grouped(key, fields):
        return [{**fields(results[0]), **_mutation_counts(report, results)}
                for _, results in report.groups(key)]

    return {
        "format": FORMAT_MUTATE,
        "packs": list(report.packs),
        "operators": list(report.operators),
        "sample": None if report.sample is None else {"size": report.sample, "seed": report.seed},
        "generated": report.generated,
        "scenarios": report.scenarios,
        "tests": {pack: list(paths) for pack, paths in report.tests.items()},
        "summary": {**_mutation_counts(report, report.results), "seconds": round(report.seconds, 3),
                    "jobs": report.jobs},
        "files": grouped(lambda r: r.mutant.file, lambda r: {"file": r.mutant.file}),
        "provisions": grouped(lambda r: r.mutant.provision, lambda r: {"provision": r.mutant.provision}),
        "rules": grouped(lambda r: f"{r.mutant.file}:{r.mutant.rule_line}",
                         lambda r: {"file": r.mutant.file, "line": r.mutant.rule_line,
                                    "provision": r.mutant.provision}),
        "mutants": [{
            "id": r.mutant.id, "file": r.mutant.file, "line": r.mutant.line, "column": r.mutant.column,
            "rule_line": r.mutant.rule_line, "operator": r.mutant.operator, "mutation": r.mutant.mutation,
            "before": r.mutant.before, "after": r.mutant.after, "provision": r.mutant.provision,
            "status": r.status, "by": r.by, "detail": r.detail, "reason": r.reason, "nearest": r.nearest,
            "seconds": round(r.seconds, 4),
        } for r in report.results],
        "unused_marks": [{"file": m.file, "line": m.line, "selector": m.selector, "reason": m.reason}
                         for m in report.unused_marks],
    }
