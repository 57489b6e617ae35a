"""A progress bar for long runs of points: done out of all, the rate, the time left.

Drawn on stderr, and only when stderr is a terminal (a pipe, a file or CI gets nothing), by
rich's Progress, which typer already brings in: no new dependency, and a bar that keeps its
line, refreshes at a fixed rate whatever the pace of the points, and estimates the time left
from a moving average.
"""

from __future__ import annotations

import sys


class Meter:
    """``meter(done, total)`` as points finish; ``close()`` clears the bar. Does nothing when
    ``console`` is None and stderr is no terminal."""

    def __init__(self, label: str, *, unit: str = "points", console=None):
        self.label, self.unit = label, unit
        self.enabled = console is not None or sys.stderr.isatty()
        self.console = console
        self.progress = None
        self.task = None

    def __call__(self, done: int, total: int, _result=None) -> None:
        if not self.enabled:
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = self.console or Console(file=sys.stderr)
            self.progress = Progress(
                TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TextColumn(self.unit),
                TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("•"),
                TimeRemainingColumn(), TextColumn("left"), console=console, transient=True,
                refresh_per_second=8)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total, rate="")
        speed = self.progress.tasks[0].speed
        rate = f"{speed:,.0f}/s" if speed else ""
        self.progress.update(self.task, completed=done, total=total, rate=rate)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
