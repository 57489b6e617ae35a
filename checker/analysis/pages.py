"""What an HTML page shows of scenario files: for each, its verdicts under one or every
combination of readings, the derivations of the duties that matter most, and the lines of
the scenario and of the rules those derivations cite (checker.render.html draws them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Mapping, Sequence

from checker.errors import CheckerError, UsageError
from checker.io.pack import Pack
from checker.model import Verdicts

DEFAULT_EXPLANATIONS = 50    # derivations per scenario and reading: 0.05-0.15 s each on a long history
DEPTH = 8
# which duties are explained first when not all of them can be: the worst verdicts
_FIRST = ("breached", "late", "discharged", "pending", "not_fired", "fulfilled", "complied")
_RULE_LINES = 8               # at most this many lines of a rule are quoted


@dataclass(frozen=True)
class Variant:
    """The verdicts on a scenario under one combination of readings, with what explains them.

    ``explanations``: obligation id -> the tree `checker explain --format json` gives.
    ``witnesses``: obligation id -> the entries `checker explain --witness` gives (one per
    possible status: its world and the derivation in it)."""

    verdicts: Verdicts
    explanations: Mapping[str, dict] = field(default_factory=dict)
    witnesses: Mapping[str, Sequence[dict]] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """One timeline of the page: a scenario under a pack, in one or more variants.

    ``selected``: the variant shown first. ``depends_on``: obligation id -> the readings its
    verdict depends on. ``sources``: file -> line number -> the text of that line, for the
    lines the explanations cite. ``explained_of``: how many duties could have been explained
    (the page says when not all of them were)."""

    title: str
    pack: Pack
    variants: Sequence[Variant]
    selected: int = 0
    depends_on: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sources: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    explained_of: int | None = None


def gather_sections(files: List[Path], *, rules, as_of, readings: dict, params: dict, timeout,
                    all_readings: bool, limit: int, treaties: Sequence[str] = (),
                    max_uncertain_days: int | None = None) -> tuple[list[Section], list[CheckerError]]:
    """One section per scenario file that loads and treaty it is checked under, and the errors
    of the files that do not load. A usage problem (the same for every file) is raised at once."""
    from checker.engine.pool import within

    sections, rejected = [], []
    for path in files:
        try:
            # a file's sections (their readings and explanations too) within the time allowed
            sections.extend(within(timeout, str(path), lambda seconds: _sections(
                path, rules=rules, as_of=as_of, readings=readings, params=params, timeout=seconds,
                all_readings=all_readings, limit=limit, treaties=treaties,
                max_uncertain_days=max_uncertain_days)))
        except UsageError:
            raise
        except CheckerError as exc:
            rejected.append(exc)
    return sections, rejected


def _sections(path: Path, *, rules, as_of, readings, params, timeout, all_readings: bool, limit: int,
              treaties: Sequence[str], max_uncertain_days: int | None) -> list[Section]:
    from checker.engine.check import check_history

    checked = check_history(path, treaties=treaties, rules_root=rules, as_of=as_of, readings=readings,
                            parameters=params, timeout=timeout, keep=limit > 0 and timeout is None,
                            max_uncertain_days=max_uncertain_days)
    return [_section(path, verdicts, pack, control, rules=rules, as_of=as_of, readings=readings, params=params,
                     timeout=timeout, all_readings=all_readings, limit=limit, max_uncertain_days=max_uncertain_days)
            for verdicts, pack, control in checked]


def _section(path: Path, verdicts, pack, control, *, rules, as_of, readings, params, timeout, all_readings: bool,
             limit: int, max_uncertain_days: int | None):
    explained_of = len(verdicts.obligations) + len(verdicts.not_fired)
    base = _explained(verdicts, pack, control, _ranked(verdicts)[:limit])
    variants, selected, depends_on = [base], 0, {}
    if all_readings:
        from checker.analysis.worlds import all_readings as every_reading
        from checker.analysis.worlds import declared_by

        grid = every_reading(path, rules_root=rules, as_of=as_of, timeout=timeout, treaty=pack.name,
                             max_uncertain_days=max_uncertain_days, **declared_by(pack, readings, params))
        depends_on = {r["id"]: r["depends_on"] for r in grid.rows() if not r["invariant"]}
        variants, given = [], dict(verdicts.scenario.readings)
        for combo, other in zip(grid.combos, grid.verdicts):
            if dict(combo) == given:   # the readings in effect: checked, and explained, already
                selected = len(variants)
                variants.append(base)
                continue
            # under another reading, only what that reading changes is explained
            ranked = [i for i in _ranked(other) if i in depends_on]
            variants.append(_explained(other, pack, None, ranked[:limit]))
    trees = [t for v in variants for t in v.explanations.values()]
    trees += [w["tree"] for v in variants for ws in v.witnesses.values() for w in ws]
    return Section(title=verdicts.scenario.title, pack=pack, variants=variants, selected=selected,
                   depends_on=depends_on, sources=_cited_lines(trees, pack), explained_of=explained_of)


def _ranked(verdicts) -> list[str]:
    """The ids of the duties that fired or were blocked, the worst verdicts (and, in a scenario
    with uncertain facts, the uncertain ones) first, in the report's order otherwise."""
    rank = {s: i for i, s in enumerate(_FIRST)}
    items = [(o.certainty == "certain", min(rank.get(s, len(rank)) for s in o.statuses), n, o.id)
             for n, o in enumerate(verdicts.obligations)]
    offset = len(items)
    items += [(n.certainty == "certain", rank["not_fired"], offset + i, n.id) for i, n in enumerate(verdicts.not_fired)]
    return [item[-1] for item in sorted(items)]


def _explained(verdicts, pack, control, ids: list[str]):
    """The verdicts with the derivations of ``ids`` (a witness world for each possible status
    where the scenario has uncertain facts)."""
    from checker.analysis.derivations import explain_verdicts, explain_witnesses

    if not ids:
        return Variant(verdicts)
    if verdicts.scenario.uncertain:
        # a witness costs a solve of its world: the duties whose verdict depends on the world,
        # and the breaches that hold in every world, are worth it; the rest hold in every world
        worth = {o.id for o in verdicts.obligations if o.certainty != "certain" or o.status in ("breached", "late")}
        ids = [i for i in ids if i in worth]
        witnesses: dict = {}
        for entry in explain_witnesses(verdicts, pack, ids, DEPTH):
            witnesses.setdefault(entry["obligation"], []).append(entry)
        return Variant(verdicts, witnesses=witnesses)
    entries = explain_verdicts(verdicts, pack, ids, DEPTH, control=control)
    return Variant(verdicts, explanations={e["obligation"]: e["tree"] for e in entries})


def _cited_lines(trees: list[dict], pack) -> dict:
    """file -> line -> text, for every scenario line and rule the trees cite (a rule's whole
    statement, up to _RULE_LINES lines); files are found as cited, else under the folder the
    rules are cited from."""
    wanted: dict[str, set[int]] = {}

    def visit(node: dict) -> None:
        for key in ("source", "rule"):
            _want(wanted, node.get(key))
        for c in node.get("considered", ()):
            _want(wanted, c.get("source"))
        for child in node.get("children", ()):
            visit(child)

    for tree in trees:
        visit(tree)
    roots = [Path.cwd(), pack.folder.parent.parent]
    out: dict[str, dict[int, str]] = {}
    for file, lines in wanted.items():
        text = _read_lines(file, roots)
        if text is None:
            continue
        rule = file.endswith(".lp")
        out[file] = {n: _statement(text, n) if rule else text[n - 1] for n in sorted(lines) if 0 < n <= len(text)}
    return out


def _want(wanted: dict[str, set[int]], where: str | None) -> None:
    if not where or ":" not in where:
        return
    file, _, line = where.rpartition(":")
    if line.isdigit():
        wanted.setdefault(file, set()).add(int(line))


def _read_lines(file: str, roots: list[Path]) -> list[str] | None:
    path = Path(file)
    for candidate in ([path] if path.is_absolute() else [root / path for root in roots]):
        try:
            return candidate.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    return None


def _statement(lines: list[str], n: int) -> str:
    """The rule starting on line ``n``, to its closing full stop (at most _RULE_LINES lines)."""
    out = []
    for line in lines[n - 1:n - 1 + _RULE_LINES]:
        out.append(line)
        code = line.split("%", 1)[0].rstrip()
        if code.endswith("."):
            break
    return "\n".join(out)
