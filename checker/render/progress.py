"""A one-line progress bar on stderr, for long runs on a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 28

    def __init__(self, label: str, enabled: bool | None = None, unit: str = "files"):
        self.label, self.unit = label, unit
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int, _result=None) -> None:
        if not self.enabled or total == 0:
            return
        filled = int(self.WIDTH * done / total)
        elapsed = time.perf_counter() - self.start
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        sys.stderr.write(f"\r{self.label} {bar} {done}/{total} {self.unit}  {elapsed:5.1f} s")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
