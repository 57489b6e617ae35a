"""`checker sweep --format csv`: one row per point and duty, written as the points come back,
for a spreadsheet or a notebook (``pandas.read_csv``)."""

from __future__ import annotations

import csv


class CsvSweepWriter:
    """Writes a sweep's rows to a text stream: a column per dimension (or uncertain fact), then
    ``obligation`` and ``verdict`` (and ``weight``, for possible worlds drawn or enumerated)."""

    def __init__(self, stream):
        self.stream = stream
        self.writer = csv.writer(stream, lineterminator="\n")
        self._cells: dict[int, list] = {}

    def begin(self, plan) -> None:
        self.plan = plan
        self.weighted = getattr(plan, "worlds", False)
        self.writer.writerow(list(plan.columns) + ["obligation", "verdict"] + (["weight"] if self.weighted else []))

    def points(self, table, first: int, profiles: list[int]) -> None:
        plan, write = self.plan, self.writer.writerow
        for i, profile in enumerate(profiles, first):
            cells = self._cells.get(profile)
            if cells is None:
                cells = self._cells[profile] = list(table.cells(profile).items())
            labels = list(plan.labels(i))
            tail = [f"{plan.weight(i):.6g}"] if self.weighted else []
            for ob_id, cell in cells:
                write(labels + [ob_id, cell] + tail)

    def end(self, result, summary=None) -> None:
        self.stream.flush()
