"""Finding scenario files: the paths a user names, folders expanded."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def scenario_files(paths: Iterable[Path], suffixes: Sequence[str] = SCENARIO_SUFFIXES) -> list[Path]:
    """Files as given; folders expanded to the scenario files below them, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file()))
        else:
            out.append(path)
    return out
