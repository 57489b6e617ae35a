"""Documents: YAML or JSON read as plain data that remembers where each part was written.

A document is made of ``LDict`` (a dict), ``LList`` (a list) and scalars (str, int, float,
bool, None). Mappings and lists carry the line of every key and item, so that a problem
found later, by a validator, can be reported as ``FILE:LINE: FIELD: message``: the
validator names the part by its path (``("events", 3, "by")``) and ``locate`` gives the
line. checker.io.yamltext and checker.io.jsontext read the two formats into documents.
"""

from __future__ import annotations

from typing import Any, Iterable

MAX_DEPTH = 64           # far deeper than any scenario or manifest needs
MAX_INT_DIGITS = 100     # no whole number a scenario holds has more digits


class SourceProblem(Exception):
    """The text is not plain data; ``line`` is 1-based, ``kind`` is "yaml" or "json"."""

    def __init__(self, kind: str, line: int, message: str):
        super().__init__(message)
        self.kind, self.line, self.message = kind, line, message


class LDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict
    offsets: dict | None = None   # JSON: where each value starts in ``text``
    text: str | None = None       # JSON, on the top-level mapping: the text it was read from
    # JSON, on the top-level mapping: finds a line in ``text`` (jsontext.line_in_text)
    line_in_text = None


class LList(list):
    """A list that remembers its own line and the line of each item."""

    line: int = 1
    item_lines: list
    offsets: list | None = None   # JSON: where each item starts in the text

    def drop(self, index: int) -> None:
        """Remove item ``index`` with its line."""
        del self[index]
        if index < len(self.item_lines):
            del self.item_lines[index]
        if self.offsets is not None and index < len(self.offsets):
            del self.offsets[index]


def new_dict(line: int = 1) -> LDict:
    value = LDict()
    value.line, value.key_lines = line, {}
    return value


def new_list(line: int = 1, items: Iterable = ()) -> LList:
    value = LList(items)
    value.line, value.item_lines = line, [line] * len(value)
    return value


class WrittenInt(int):
    """A whole number read from a plain scalar written otherwise than Python writes it
    (``0x10``, ``007``, ``+5``); ``written`` is the text as it stands in the file."""

    written: str


class WrittenFloat(float):
    """A number with a fraction or an exponent, with the text it was written as (``1e3``)."""

    written: str


def written(value: Any) -> str:
    """A scalar as it was written: the text of a number, ``str`` of anything else."""
    return getattr(value, "written", None) or str(value)


def shown(value: Any) -> str:
    """A value as a message quotes it: ``repr``, but a number as it was written (quoted when
    Python writes it otherwise) and true, false and null as YAML and JSON write them."""
    text = getattr(value, "written", None)
    if text is not None:
        return repr(text)
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    return repr(value)


# --- where a part of a document is ---------------------------------------------------------------
def locate(doc: Any, path: tuple) -> int:
    """The line of the part of ``doc`` that ``path`` names (keys and indexes), or of the
    deepest part of it that exists; 1 when not even the first exists."""
    node, line, offset = doc, 1, None
    text, line_in_text = getattr(doc, "text", None), getattr(doc, "line_in_text", None)
    for depth, part in enumerate(path):
        if isinstance(node, LDict) and hasattr(node, "key_lines"):
            if part not in node.key_lines or part not in node:
                return node.line if depth else 1
            line = node.key_lines[part]
            offset = node.offsets.get(part) if node.offsets is not None else None
        elif isinstance(node, LList) and hasattr(node, "item_lines"):
            if not isinstance(part, int) or not 0 <= part < len(node):
                return line if depth else node.line
            line = node.item_lines[part] if part < len(node.item_lines) else node.line
            offset = node.offsets[part] if node.offsets is not None and part < len(node.offsets) else None
        elif isinstance(node, (dict, list)) and line_in_text is not None and offset is not None:
            return line_in_text(text, offset, path[depth:], line)
        else:
            return line
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return line
    return line
