"""A sweep's results in few rows: which verdicts change together, which dimensions they
depend on, and the regions of the grid where each combination of verdicts holds.

Duties whose verdicts change in step form a *group*. A dimension *matters* when changing it
alone, the others held, changes some verdict somewhere; the others change nothing and are
left out (the grid is a full product, so the verdicts are then a function of the dimensions
that matter). The grid over those is cut into rows: the values of the first dimension whose
sub-grids are alike share a row (written as ranges: ``-10d..-3d, +5d``), and so on down, a
sub-grid with one verdict throughout being ``any``. Every order of the dimensions that
matter is tried (up to four of them) and the one with the fewest rows is kept.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

ANY = "any"
MAX_ORDERS_CELLS = 50_000   # above this many cells of the dimensions that matter, their given order only


@dataclass
class Summary:
    """What a sweep says, in rows (see the module's docstring)."""

    ids: int                                   # duties seen at some point
    steady: int                                # ...with the same verdict at every point
    groups: list[list[str]]                    # the others, grouped by the points they change at
    depends: list[list[str]]                   # per group: the dimensions it depends on
    matter: list[str]                          # the dimensions that change some verdict
    inert: list[str]                           # the dimensions that change none
    rows: list[tuple[list[str], list[str]]] = field(default_factory=list)  # (values, verdict per group)


def summarize(plan, table) -> Summary:
    """The summary of ``table``, the results of grid ``plan`` (checker.analysis.sweep)."""
    dims = list(plan.dims)
    groups = table.groups()
    column = {ob_id: k for k, ob_id in enumerate(table.ids)}
    heads = [column[g[0]] for g in groups]
    leaf_of: dict[int, int] = {}     # profile -> leaf (the tuple of the groups' verdicts)
    leaves: dict[tuple, int] = {}
    leaf_cells: list[tuple] = []
    for p in table.used():
        key = tuple(table.cell(p, k) or "-" for k in heads)
        k = leaves.get(key)
        if k is None:
            k = leaves[key] = len(leaf_cells)
            leaf_cells.append(key)
        leaf_of[p] = k
    points = [leaf_of[p] for p in table.points]
    sizes = [len(d.values) for d in dims]
    strides = [1] * len(dims)
    for n in range(len(dims) - 2, -1, -1):
        strides[n] = strides[n + 1] * sizes[n + 1]
    differing: list[set] = []
    for n in range(len(dims)):
        pairs: set = set()
        stride, size = strides[n], sizes[n]
        for i, leaf in enumerate(points):
            first = i - ((i // stride) % size) * stride
            other = points[first]
            if other != leaf:
                pairs.add((leaf, other))
        differing.append(pairs)
    matter = [n for n in range(len(dims)) if differing[n]]
    depends = [[dims[n].name for n in matter
                if any(leaf_cells[a][g] != leaf_cells[b][g] for a, b in differing[n])]
               for g in range(len(groups))]
    summary = Summary(len(table.ids), len(table.ids) - sum(len(g) for g in groups), groups, depends,
                      [dims[n].name for n in matter], [d.name for n, d in enumerate(dims) if n not in matter])
    if not groups:
        return summary
    cells: dict[tuple, int] = {}
    for i, leaf in enumerate(points):
        cells.setdefault(tuple((i // strides[n]) % sizes[n] for n in matter), leaf)
    orders = [list(range(len(matter)))]
    if 1 < len(matter) <= 4 and len(cells) <= MAX_ORDERS_CELLS:
        orders = [list(o) for o in itertools.permutations(range(len(matter)))]
    best = None
    for order in orders:
        reordered = {tuple(key[j] for j in order): leaf for key, leaf in cells.items()}
        rows = _collapse(reordered, [sizes[matter[j]] for j in order])
        if best is None or len(rows) < len(best[1]):
            best = (order, rows)
    order, rows = best
    # the rows with their dimensions back in the grid's order
    out = []
    for labels, leaf in rows:
        by_dim = {matter[j]: value for j, value in zip(order, labels)}
        out.append(([_label(dims[n], by_dim[n]) for n in matter], list(leaf_cells[leaf])))
    summary.rows = out
    return summary


def _collapse(cells: dict[tuple, int], sizes: list[int]) -> list[tuple[list, int]]:
    """Rows (a set of value indices per dimension, None for all of them; a leaf) covering
    ``cells`` (a full grid over ``sizes``)."""
    leaves = set(cells.values())
    if len(leaves) == 1:
        return [([None] * len(sizes), next(iter(leaves)))]
    subs: dict[int, dict] = {}
    for key, leaf in cells.items():
        subs.setdefault(key[0], {})[key[1:]] = leaf
    alike: dict[frozenset, list[int]] = {}
    for value in range(sizes[0]):
        alike.setdefault(frozenset(subs[value].items()), []).append(value)
    rows = []
    for values in alike.values():
        head = None if len(values) == sizes[0] else values
        for rest, leaf in _collapse(subs[values[0]], sizes[1:]):
            rows.append(([head] + rest, leaf))
    return rows


def _label(dim, indices) -> str:
    """A set of a dimension's values as text: ``any``, or runs of neighbours as ranges."""
    if indices is None:
        return ANY
    values = [dim.values[k] for k in indices]
    numeric = dim.kind == "date" or (dim.kind == "param" and all(isinstance(v, int) for v in values))
    if not numeric:
        return ", ".join(dim.label(v) for v in values)
    runs: list[list] = []
    for k, v in zip(indices, values):
        if runs and runs[-1][-1][0] == k - 1 and runs[-1][-1][1] == v - 1:
            runs[-1].append((k, v))
        else:
            runs.append([(k, v)])
    parts = []
    for run in runs:
        first, last = dim.label(run[0][1]), dim.label(run[-1][1])
        parts.append(first if len(run) == 1 else f"{first}, {last}" if len(run) == 2 else f"{first}..{last}")
    return ", ".join(parts)
