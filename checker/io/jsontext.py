"""Reading JSON (machine-made histories) into a document (checker.io.document).

JSON is read by the standard ``json`` module. The top-level object is walked key by key with
``JSONDecoder.raw_decode``, and each item of a top-level array (the events) is decoded on its
own, so that the line of every top-level key and of every event is known for the price of
counting newlines. Deeper parts (the fields of an event) are plain dicts and lists: when a
problem is found in one, document.locate asks ``line_in_text`` to walk the text from its
event to the key, so those lines are paid for only when there is a problem. What JSON
allows but a scenario cannot hold (a duplicate key, NaN, an integer of thousands of digits,
a lone surrogate) is refused with its line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checker.io.document import MAX_INT_DIGITS, SourceProblem, new_dict, new_list

_SURROGATE = re.compile("[\ud800-\udfff]")

class _Bad(Exception):
    """Raised by the decoder's hooks: the value is JSON, but no scenario can hold it."""


def _pairs(pairs: list) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Bad
    return value


def _constant(_name: str):
    raise _Bad


def _int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise _Bad
    return int(text)


_DECODE = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_int).raw_decode


class _Number(str):
    """A number seen while looking for a problem (never decoded into a value)."""


class _Constant(str):
    """NaN, Infinity or -Infinity, seen while looking for a problem."""


# decodes anything JSON allows, without ever failing on a value: for skipping and looking
_SKIP = json.JSONDecoder(parse_int=_Number, parse_float=_Number, parse_constant=_Constant).raw_decode
_WS = re.compile(r"[ \t\n\r]*")
_START = re.compile(r"\ufeff?[ \t\n\r]*")  # a byte-order mark may open the text (RFC 8259, 8.1)
_NEXT = re.compile(r"[ \t\n\r]*([,\]}])[ \t\n\r]*")
_LONE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # a surrogate escape: paired, or not


class _Structure(Exception):
    """The walk found text that is not JSON: json.loads says what."""


def read_json(text: str) -> Any:
    """A JSON document as LDict/LList/scalars (see the module's docstring); SourceProblem
    with the line when the text is not JSON or holds what no scenario can hold."""
    try:
        value = _read_json(text)
    except _Structure:  # json says what is wrong, as it would say it (past a byte-order mark)
        try:
            json.loads(text[1:] if text.startswith("\ufeff") else text, parse_constant=_constant)
        except json.JSONDecodeError as exc:
            raise SourceProblem("json", exc.lineno, f"not valid JSON: {exc.msg}") from None
        except (RecursionError, ValueError, _Bad):
            pass
        raise SourceProblem("json", 1, "not valid JSON") from None
    except json.JSONDecodeError as exc:
        raise SourceProblem("json", exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise SourceProblem("json", _line_at(text, _START.match(text).end()), "nested too deeply") from None
    if _LONE_ESCAPE.search(text):  # rare: look for the lone ones
        try:
            found = _find_bad(text, _START.match(text).end(), 0)
        except RecursionError:
            found = None
        if found is not None:
            raise SourceProblem("json", _line_at(text, found[0]), found[1])
    return value


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _decode(text: str, pos: int):
    """The value at ``pos`` and where it ends; SourceProblem when a hook refused a part of it."""
    try:
        return _DECODE(text, pos)
    except RecursionError:
        raise SourceProblem("json", _line_at(text, pos), "nested too deeply") from None
    except _Bad:
        found = _find_bad(text, pos, 0)
        if found is None:  # pragma: no cover - the hooks and _find_bad refuse the same things
            raise SourceProblem("json", _line_at(text, pos), "not valid JSON") from None
        raise SourceProblem("json", _line_at(text, found[0]), found[1]) from None


def _read_json(text: str) -> Any:
    ws, nxt = _WS.match, _NEXT.match
    i = _START.match(text).end()
    if text[i:i + 1] != "{":  # not a scenario; the validator says so
        value, end = _decode(text, i)
        if ws(text, end).end() != len(text):
            raise _Structure
        if isinstance(value, list):
            return new_list(_line_at(text, i), value)
        return value
    doc = new_dict(_line_at(text, i))
    doc.offsets, doc.text, doc.line_in_text = {}, text, line_in_text
    line, pos = 1, 0
    i = ws(text, i + 1).end()
    if text[i:i + 1] == "}":
        i += 1
    else:
        while True:
            if text[i:i + 1] != '"':
                raise _Structure
            key_at = i
            key, i = _decode(text, i)
            line += text.count("\n", pos, key_at)
            pos = key_at
            i = ws(text, i).end()
            if text[i:i + 1] != ":":
                raise _Structure
            i = ws(text, i + 1).end()
            if key in doc:
                raise SourceProblem("json", line, f"duplicate key '{key}'")
            doc.key_lines[key] = line
            doc.offsets[key] = i
            if text[i:i + 1] == "[":
                doc[key], i, line, pos = _read_items(text, i, line, pos)
            else:
                doc[key], i = _decode(text, i)
            m = nxt(text, i)
            if m is None or m.group(1) == "]":
                raise _Structure
            i = m.end()
            if m.group(1) == "}":
                break
    if ws(text, i).end() != len(text):
        raise _Structure
    return doc


def _read_items(text: str, i: int, line: int, pos: int):
    """The array at ``i`` as an LList with the line and offset of each item; where it ends,
    and the line count carried on (``line`` is the line of ``pos``)."""
    count, nxt = text.count, _NEXT.match
    line += count("\n", pos, i)
    pos = i
    items = new_list(line)
    items.offsets = offsets = []
    lines = items.item_lines
    i = _WS.match(text, i + 1).end()
    if text[i:i + 1] == "]":
        return items, i + 1, line, pos
    append = items.append
    while True:
        value, end = _decode(text, i)
        line += count("\n", pos, i)
        pos = i
        append(value)
        lines.append(line)
        offsets.append(i)
        m = nxt(text, end)
        if m is None or m.group(1) == "}":
            raise _Structure
        i = m.end()
        if m.group(1) == "]":
            return items, i, line, pos


def _members(text: str, i: int):
    """The members of the object at ``i``: (key, where the key starts, where its value starts)."""
    ws = _WS.match
    i = ws(text, i + 1).end()
    while text[i:i + 1] == '"':
        key_at = i
        key, i = _SKIP(text, i)
        i = ws(text, i).end()
        if text[i:i + 1] != ":":
            return
        i = ws(text, i + 1).end()
        yield key, key_at, i
        _value, i = _SKIP(text, i)
        m = _NEXT.match(text, i)
        if m is None or m.group(1) != ",":
            return
        i = m.end()


def _items(text: str, i: int):
    """Where each item of the array at ``i`` starts."""
    i = _WS.match(text, i + 1).end()
    if text[i:i + 1] == "]":
        return
    while True:
        yield i
        _value, i = _SKIP(text, i)
        m = _NEXT.match(text, i)
        if m is None or m.group(1) != ",":
            return
        i = m.end()


def _find_bad(text: str, i: int, depth: int) -> tuple[int, str] | None:
    """Where, in the value at ``i``, the first part no scenario can hold is, and why."""
    first = text[i:i + 1]
    if first == "{":
        seen = set()
        for key, key_at, value_at in _members(text, i):
            if _SURROGATE.search(key):
                return key_at, "a lone surrogate escape is not text"
            if key in seen:
                return key_at, f"duplicate key '{key}'"
            seen.add(key)
            found = _find_bad(text, value_at, depth + 1)
            if found is not None:
                return found
        return None
    if first == "[":
        for item_at in _items(text, i):
            found = _find_bad(text, item_at, depth + 1)
            if found is not None:
                return found
        return None
    value, _end = _SKIP(text, i)
    if isinstance(value, _Constant):
        return i, f"{value} is not a JSON value (write a number or a string)"
    if isinstance(value, _Number) and len(value.lstrip("-")) > MAX_INT_DIGITS and value.lstrip("-").isdigit():
        return i, f"a number of {len(value.lstrip('-'))} digits is too long (write it as a string to make it text)"
    if isinstance(value, str) and _SURROGATE.search(value):
        return i, "a lone surrogate escape is not text"
    return None


def line_in_text(text: str, i: int, path: tuple, line: int) -> int:
    """The line of the part ``path`` names inside the value at ``i`` (``line`` is that
    value's): the deepest part of it that exists."""
    for part in path:
        first = text[i:i + 1]
        if first == "{" and isinstance(part, str):
            found = next(((k_at, v_at) for key, k_at, v_at in _members(text, i) if key == part), None)
        elif first == "[" and isinstance(part, int):
            found = next(((at, at) for n, at in enumerate(_items(text, i)) if n == part), None)
        else:
            found = None
        if found is None:
            return line
        line, i = _line_at(text, found[0]), found[1]
    return line
