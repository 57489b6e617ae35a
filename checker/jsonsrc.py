"""Reading JSON scenarios (machine-made histories) quickly.

``json.loads`` keeps no positions, so mappings come back as yamlsrc.LDict with line 1; the
loader re-reads a rejected JSON file through yamlsrc to name the line of each problem.
"""

from __future__ import annotations

import json

from .yamlsrc import LDict


class JsonProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _mapping(pairs):
    value = LDict()
    value.line = 1
    value.key_lines = {}
    for key, item in pairs:
        if key in value:
            raise JsonProblem(1, f"duplicate key '{key}'")
        value[key] = item
    return value


def _no_constant(name: str):
    raise JsonProblem(1, f"{name} is not a JSON value")


def parse(text: str):
    """Parse JSON into LDict/list/scalars; JsonProblem on bad JSON."""
    try:
        return json.loads(text, object_pairs_hook=_mapping, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise JsonProblem(exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise JsonProblem(1, "nested too deeply") from None
