"""`checker sweep --format parquet`: the rows of the CSV form in a Parquet file, written a row
group per chunk of points as they come back, every text column dictionary-encoded (a
million rows name a few dozen duties and verdicts). pyarrow is an optional extra
(``pip install 'treaty-checker[parquet]'``)."""

from __future__ import annotations

from checker.errors import UsageError

EXTRA = "pip install 'treaty-checker[parquet]'"


def require_pyarrow():
    """The pyarrow modules, or a UsageError that says how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(f"--format parquet: needs pyarrow, which is not installed ({EXTRA})") from None
    return pyarrow, pq


class ParquetSweepWriter:
    """Writes a sweep's rows to a binary stream as Parquet: a column per dimension (or
    uncertain fact), ``point`` (its number, from 0), ``obligation``, ``verdict`` (and
    ``weight`` for possible worlds)."""

    def __init__(self, stream):
        self.pa, self.pq = require_pyarrow()
        self.stream = stream
        self._cells: dict[int, list] = {}

    def begin(self, plan) -> None:
        pa = self.pa
        self.plan = plan
        self.weighted = getattr(plan, "worlds", False)
        text = pa.dictionary(pa.int32(), pa.string())
        fields = [pa.field(name, text) for name in plan.columns]
        fields += [pa.field("point", pa.int64()), pa.field("obligation", text), pa.field("verdict", text)]
        if self.weighted:
            fields.append(pa.field("weight", pa.float64()))
        self.schema = pa.schema(fields)
        self.writer = self.pq.ParquetWriter(self.stream, self.schema, compression="zstd")

    def points(self, table, first: int, profiles: list[int]) -> None:
        pa, plan = self.pa, self.plan
        columns: list[list] = [[] for _ in plan.columns]
        point, obligation, verdict, weight = [], [], [], []
        for i, profile in enumerate(profiles, first):
            cells = self._cells.get(profile)
            if cells is None:
                cells = self._cells[profile] = list(table.cells(profile).items())
            labels = plan.labels(i)
            w = plan.weight(i) if self.weighted else None
            for ob_id, cell in cells:
                for column, label in zip(columns, labels):
                    column.append(label)
                point.append(i)
                obligation.append(ob_id)
                verdict.append(cell)
                weight.append(w)
        arrays = [pa.array(c, pa.string()).dictionary_encode() for c in columns]
        arrays += [pa.array(point, pa.int64()), pa.array(obligation, pa.string()).dictionary_encode(),
                   pa.array(verdict, pa.string()).dictionary_encode()]
        if self.weighted:
            arrays.append(pa.array(weight, pa.float64()))
        self.writer.write_batch(pa.record_batch(arrays, schema=self.schema))

    def end(self, result, summary=None) -> None:
        self.writer.close()
