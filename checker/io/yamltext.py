"""Reading YAML into a document (checker.io.document), and writing a document back as YAML.

YAML is read by PyYAML's safe loader, the C one (``CSafeLoader``) when PyYAML was built with
libyaml. The parser's events (each with its mark) are built into the document directly, so
that no node tree is kept and an alias shares the value of its anchor instead of expanding
it (an alias bomb costs nothing). Plain scalars are resolved by the YAML 1.2 core schema,
through a resolver subclass of the safe loader: ``1:30``, ``yes``, ``on`` and ``2027-03-01``
are text, ``0x10`` is the number 16 but remembers it was written ``0x10`` (see
document.written), and only ``true``/``false`` are booleans. Tags other than those of plain
data, merge keys, duplicate keys and nesting deeper than MAX_DEPTH are refused; a syntax
error anywhere in the text wins over any of these, as a parser that reads the whole text
first would report.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from checker.io.document import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    LDict,
    LList,
    SourceProblem,
    WrittenFloat,
    WrittenInt,
)

try:  # the C parser is several times faster on long histories
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # allowed when written explicitly; read as text


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader with the implicit resolvers of the YAML 1.2 core schema (10.3.2)."""

    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in (
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (_FLOAT, r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
             r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$", list("-+.0123456789")),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)

_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _core_int(text: str) -> int:
    """A whole number written as the core schema writes one (decimal, 0o octal, 0x hex), as
    an int, or a WrittenInt when Python would write it otherwise; ValueError if it is none."""
    if text.startswith("0o"):
        value = int(text[2:], 8)
    elif text.startswith("0x"):
        value = int(text[2:], 16)
    else:
        value = int(text)
    if str(value) == text:
        return value
    out = WrittenInt(value)
    out.written = text
    return out


def _core_float(text: str) -> float:
    """A number with a fraction or an exponent (or .inf, .nan), as _core_int gives a whole one."""
    lower = text.lower()
    if lower.endswith(".inf"):
        value = float("-inf") if text.startswith("-") else float("inf")
    elif lower == ".nan":
        value = float("nan")
    else:
        value = float(text)
    if repr(value) == text:
        return value
    out = WrittenFloat(value)
    out.written = text
    return out


class _Problem(Exception):
    """A problem the builder found (a bad tag, a duplicate key...): raised once the parser
    has read the whole text without a syntax error."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def read_yaml(text: str | bytes) -> Any:
    """One YAML document as LDict/LList/scalars (None when there is none); SourceProblem
    with the line when the text is not plain YAML data."""
    loader = _Loader(text)
    try:
        return _Builder(loader).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise SourceProblem("yaml", line, f"not valid YAML: {exc.problem or exc.context or 'unreadable'}") from None
    except yaml.YAMLError as exc:
        raise SourceProblem("yaml", 1, f"not valid YAML: {exc}") from None
    except _Problem as exc:
        raise SourceProblem("yaml", exc.line, exc.message) from None
    except RecursionError:  # only the pure-Python parser recurses
        raise SourceProblem("yaml", 1, "nested too deeply") from None
    finally:
        loader.dispose()


class _Builder:
    """Builds the document from the parser's events (see the module's docstring)."""

    def __init__(self, loader):
        self.loader = loader
        self.anchors: dict[str, Any] = {}
        self.problem: _Problem | None = None  # the first; reported if the text parses

    def note(self, line: int, message: str) -> None:
        if self.problem is None:
            self.problem = _Problem(line, message)

    def document(self) -> Any:
        get = self.loader.get_event
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, StreamEndEvent):
            return None
        value = self.node(get(), 0)  # after the DocumentStartEvent
        get()  # DocumentEndEvent
        event = get()
        if not isinstance(event, StreamEndEvent):
            raise _MarkedProblem("but found another document", event.start_mark)
        if self.problem is not None:
            raise self.problem
        return value

    def node(self, event, depth: int) -> Any:
        """The value that starts with ``event``; the events up to its end are read."""
        kind = type(event)
        if kind is ScalarEvent:
            value = self.scalar(event)
        elif kind is AliasEvent:
            if event.anchor not in self.anchors:
                raise _MarkedProblem(f"found undefined alias {event.anchor!r}", event.start_mark)
            return self.anchors[event.anchor]
        elif kind is SequenceStartEvent:
            value = self.sequence(event, depth)
        elif kind is MappingStartEvent:
            value = self.mapping(event, depth)
        else:  # pragma: no cover - the parser gives no other event here
            raise _MarkedProblem(f"unexpected {kind.__name__}", event.start_mark)
        if event.anchor is not None and kind is ScalarEvent:
            self.anchors[event.anchor] = value
        return value

    def scalar(self, event) -> Any:
        value, tag = event.value, event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                if event.style == '"' and _SURROGATE.search(value):
                    self.note(event.start_mark.line + 1, "a lone surrogate escape is not text")
                return value  # quoted, literal or folded: text
            if value and value[0] not in _RESOLVED_FIRST:
                return value  # most names, ids and dates: no resolver applies
            tag = self.loader.resolve(ScalarNode, value, event.implicit)
        if tag == _STR or tag == _TIMESTAMP:
            return value
        try:
            if tag == _INT:
                digits = len(value.lstrip("+-"))
                if digits > MAX_INT_DIGITS:
                    self.note(event.start_mark.line + 1,
                              f"a number of {digits} digits is too long (quote it to make it text)")
                    return value
                return _core_int(value)
            if tag == _FLOAT:
                return _core_float(value)
        except ValueError:  # an explicit !!int or !!float on text that is not one
            return value
        if tag == _BOOL:
            return _BOOLEANS.get(value, value)  # (an explicit !!bool on other text stays text)
        if tag == _NULL:
            return None
        self.note(event.start_mark.line + 1, f"tag {tag} is not allowed")
        return value

    def too_deep(self, line: int) -> None:
        """Note the problem and read the rest of the collection just begun, without building
        it (and without recursion: the parser may allow far deeper nesting than Python)."""
        self.note(line, "nested too deeply")
        get, level = self.loader.get_event, 1
        while level:
            kind = type(get())
            if kind is SequenceStartEvent or kind is MappingStartEvent:
                level += 1
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                level -= 1

    def sequence(self, event, depth: int) -> LList:
        line = event.start_mark.line + 1
        if event.tag not in (None, "!", _SEQ):
            self.note(line, f"tag {event.tag} is not allowed")
        value = LList()
        value.line, value.item_lines = line, []
        if event.anchor is not None:
            self.anchors[event.anchor] = value
        if depth >= MAX_DEPTH:
            self.too_deep(line)
            return value
        get, lines = self.loader.get_event, value.item_lines
        while True:
            item = get()
            if type(item) is SequenceEndEvent:
                return value
            entry = self.node(item, depth + 1)
            # an alias of a mapping or list is where that value was written
            lines.append(entry.line if type(item) is AliasEvent and isinstance(entry, (LDict, LList))
                         else item.start_mark.line + 1)
            value.append(entry)

    def mapping(self, event, depth: int) -> LDict:
        line = event.start_mark.line + 1
        if event.tag not in (None, "!", _MAP):
            self.note(line, f"tag {event.tag} is not allowed")
        value = LDict()
        value.line, value.key_lines = line, {}
        if event.anchor is not None:
            self.anchors[event.anchor] = value
        if depth >= MAX_DEPTH:
            self.too_deep(line)
            return value
        get, lines = self.loader.get_event, value.key_lines
        while True:
            key_event = get()
            if type(key_event) is MappingEndEvent:
                return value
            key_line = key_event.start_mark.line + 1
            key = self.key(key_event, key_line, depth)
            if key in value:  # (noted before anything in its value: the earlier line)
                self.note(key_line, f"duplicate key '{key}'")
                key = None
            item = self.node(get(), depth + 1)
            if key is not None:
                value[key] = item
                lines[key] = key_line

    def key(self, event, line: int, depth: int) -> str | None:
        """A key as the text it was written as; None (problem noted) when it is no plain word."""
        if type(event) is ScalarEvent:
            if event.implicit[0] and event.value == "<<":
                self.note(line, "merge keys (<<) are not supported in scenarios")
            elif event.tag not in (None, "!", _STR):
                self.note(line, f"tag {event.tag} is not allowed")
            if event.anchor is not None:
                self.anchors[event.anchor] = event.value
            return event.value
        value = self.node(event, depth + 1)
        if isinstance(value, str):  # an alias of a text
            return value
        self.note(line, "a key must be a plain word")
        return None


class _MarkedProblem(yaml.MarkedYAMLError):
    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


# plain scalars starting otherwise are text under the core schema
_RESOLVED_FIRST = frozenset(first for first in _Loader.yaml_implicit_resolvers if first)


# --- writing YAML -------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a text as a plain scalar only when no reader would take it for
    anything else: neither a YAML 1.1 reader (``yes``, ``1:30``, ``2027-03-01``) nor a YAML
    1.2 one (``1e3``). A number keeps the text it was written as."""

    yaml_implicit_resolvers = {first: list(resolvers)
                               for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()}


for _first, _resolvers in _Loader.yaml_implicit_resolvers.items():
    _Dumper.yaml_implicit_resolvers.setdefault(_first, []).extend(_resolvers)
_Dumper.add_representer(LDict, yaml.SafeDumper.represent_dict)
_Dumper.add_representer(LList, yaml.SafeDumper.represent_list)
_Dumper.add_representer(WrittenInt, lambda dumper, value: dumper.represent_scalar(_INT, value.written))
_Dumper.add_representer(WrittenFloat, lambda dumper, value: dumper.represent_scalar(_FLOAT, value.written))


def dump_yaml(data: Any) -> str:
    """``data`` (a document as read, maybe edited) as block-style YAML that reads back, by
    read_yaml, as the same values."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=100)


def comment(text: str) -> str:
    """``text`` as one line of a YAML comment: every character that is not printable (a line
    break above all, which would end the comment) written as its escape."""
    if text.isprintable():
        return "# " + text if text else "#"
    return "# " + "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
