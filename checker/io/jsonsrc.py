"""Reading JSON scenarios (machine-made histories) quickly.

``json.loads`` keeps no positions, so mappings come back as yamlsrc.LDict with line 1; the
loader re-reads a rejected JSON file through yamlsrc to name the line of each problem.
"""

from __future__ import annotations

import json
import re

from checker.io.yamlsrc import LDict


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


# --- a history, one event at a time -------------------------------------------------------
# As yamlsrc.stream: the top-level object is read key by key up to an `events` array, whose
# items are then read one at a time as they are asked for (each checked and dropped before the
# next is read), then the keys after it. Items are plain dicts: without positions, a dict
# and an LDict of line 1 locate every problem alike (line 1). Anything parse() would refuse
# or read otherwise (bad JSON, a duplicate key, a constant, deep nesting, a second `events`)
# raises Fallback, and the caller reads the text with parse().

class Fallback(Exception):
    """The text must be read whole, by parse()."""


def _pairs(pairs):
    value = dict(pairs)
    if len(value) != len(pairs):
        raise Fallback
    return value


_WS = re.compile(r"[ \t\n\r]*")  # json.decoder.WHITESPACE
_HEAD = json.JSONDecoder(object_pairs_hook=_mapping, parse_constant=_no_constant).scan_once
_ITEM = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant).scan_once
# An item is first read without a hook (dicts built in C): a key written twice then leaves
# fewer keys than colons in the item's text (each key has one; so may a string), and the
# item is read again with _pairs, which says. An item with a nested object is too.
_QUICK_ITEM = json.JSONDecoder(parse_constant=_no_constant).scan_once
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
_FAIL = (StopIteration, ValueError, JsonProblem, RecursionError)  # JSONDecodeError is a ValueError


def stream(text: str):
    """The top-level object's keys before an ``events`` array (LDict, line 1), with
    ``events`` an Items to iterate; None when there is no such array or the text is not read
    as parse() reads it."""
    ws = _WS.match
    head = LDict()
    head.line = 1
    head.key_lines = {}
    try:
        i = ws(text, 0).end()
        if text[i:i + 1] != "{":
            return None
        i = ws(text, i + 1).end()
        while text[i:i + 1] == '"':
            key, i = _HEAD(text, i)
            i = ws(text, i).end()
            if text[i:i + 1] != ":" or key in head:
                return None
            i = ws(text, i + 1).end()
            if key == "events":
                if text[i:i + 1] != "[":
                    return None
                head[key] = Items(text, i, set(head) | {key})
                return head
            head[key], i = _HEAD(text, i)
            i = ws(text, i).end()
            if text[i:i + 1] != ",":
                return None
            i = ws(text, i + 1).end()
    except _FAIL:
        return None
    return None


class Items:
    """The items of the events array: iterating gives (1, item) pairs, then reads the rest
    of the object into ``rest`` ((key, value) pairs) and sets ``read``."""

    line = 1

    def __init__(self, text: str, start: int, keys: set[str]):
        self.text, self.start, self.keys = text, start, keys  # the keys before, and events
        self.rest: list[tuple[str, object]] = []
        self.read = False

    def __iter__(self):
        text, ws = self.text, _WS.match
        try:
            i = ws(text, self.start + 1).end()
            if text[i:i + 1] == "]":
                i += 1
            else:
                comma = _COMMA.match
                while True:
                    item, end = _QUICK_ITEM(text, i)
                    if type(item) is not dict or text.count(":", i, end) != len(item):
                        item, end = _ITEM(text, i)  # nested, or a duplicate key? the exact way
                    yield 1, item
                    between = comma(text, end)
                    if between is not None:
                        i = between.end()
                        continue
                    i = ws(text, end).end()
                    if text[i:i + 1] != "]":
                        raise Fallback
                    i += 1
                    break
            i = ws(text, i).end()
            keys = set(self.keys)
            while text[i:i + 1] == ",":
                i = ws(text, i + 1).end()
                if text[i:i + 1] != '"':
                    raise Fallback
                key, i = _HEAD(text, i)
                i = ws(text, i).end()
                if text[i:i + 1] != ":" or key in keys:
                    raise Fallback
                keys.add(key)
                value, i = _HEAD(text, ws(text, i + 1).end())
                self.rest.append((key, value))
                i = ws(text, i).end()
            if text[i:i + 1] != "}" or ws(text, i + 1).end() != len(text):
                raise Fallback
        except _FAIL:
            raise Fallback from None
        self.read = True
