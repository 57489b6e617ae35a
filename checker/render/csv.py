"""`checker sweep --format csv`: one row per point and duty, for a spreadsheet or a notebook."""

from __future__ import annotations

import csv


def write_sweep(result, stream) -> None:
    """The sweep's rows, written to ``stream`` as they are made."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([d.name for d in result.dims] + ["obligation", "verdict"])
    for p, verdicts in zip(result.points, result.verdicts):
        labels = [d.label(v) for d, v in zip(result.dims, p)]
        for ob_id, cell in verdicts.items():
            writer.writerow(labels + [ob_id, cell])
