"""Reading YAML as data, with the line of every key and list item kept for error messages.

PyYAML composes the node tree (with the C parser when it is present); this module turns
nodes into plain Python values itself so that it can (a) keep lines, (b) refuse any tag
that is not plain data (``!!python/object`` and friends), (c) refuse duplicate keys, and
(d) leave dates as strings: PyYAML would otherwise turn ``2027-02-30`` into an exception
that loses the line. A node reached twice through an alias is converted once and shared,
so alias bombs cost nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:  # the C parser is ten times faster on long histories
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAX_DEPTH = 64


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that resolves no timestamps: dates stay text until we check them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class YamlProblem(Exception):
    """The text is not plain YAML data; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class LDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict


class LList(list):
    """A list that remembers its own line and the line of each item."""

    line: int = 1
    item_lines: list


_constructor = SafeConstructor()
_SCALARS = {
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _BOOL: _constructor.construct_yaml_bool,
    _NULL: _constructor.construct_yaml_null,
}


def parse(text: str | bytes):
    """Parse one YAML document into LDict/LList/scalars; raise YamlProblem if it is not data."""
    if isinstance(text, str):
        fast = _plain_block_document(text)
        if fast is not None:
            return fast
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "not valid YAML"
        raise YamlProblem(line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"not valid YAML: {exc}") from None
    if root is None:
        return None
    return _Converter().convert(root, 0)


class _Converter:
    def __init__(self) -> None:
        self.seen: dict[int, object] = {}

    def convert(self, node, depth: int):
        if depth > MAX_DEPTH:
            raise YamlProblem(node.start_mark.line + 1, "nested too deeply")
        key = id(node)
        if key in self.seen:  # an alias: share, never expand
            return self.seen[key]
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise YamlProblem(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
            value = LList()
            value.line = node.start_mark.line + 1
            self.seen[key] = value
            value.item_lines = []
            for item in node.value:
                value.append(self.convert(item, depth + 1))
                value.item_lines.append(item.start_mark.line + 1)
        elif isinstance(node, MappingNode):
            value = self._mapping(node, depth)
        else:  # pragma: no cover - PyYAML has no other node kinds
            raise YamlProblem(node.start_mark.line + 1, "unsupported YAML node")
        self.seen[key] = value
        return value

    def _mapping(self, node, depth: int) -> LDict:
        if node.tag != _MAP:
            raise YamlProblem(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
        value = LDict()
        value.line = node.start_mark.line + 1
        value.key_lines = {}
        self.seen[id(node)] = value
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(line, "a key must be a plain word")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(line, "merge keys (<<) are not supported in scenarios")
            name = self._scalar(key_node)
            if not isinstance(name, str):
                name = str(name).lower() if isinstance(name, bool) or name is None else str(name)
            if name in value:
                raise YamlProblem(line, f"duplicate key '{name}'")
            value[name] = self.convert(value_node, depth + 1)
            value.key_lines[name] = line
        return value

    def _scalar(self, node):
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:
            return node.value
        build = _SCALARS.get(tag)
        if build is None:
            raise YamlProblem(node.start_mark.line + 1, f"tag {tag} is not allowed")
        try:
            return build(node)
        except (ValueError, yaml.YAMLError):
            return node.value


# --- the common case, read line by line ---------------------------------------------------
# Composing nodes costs libyaml's C parser about 175 us an event (a Python Node and Mark
# object per value); a history written in plain block style (what people and scripts write)
# can be read line by line in a tenth of that. The reader below accepts only a strict subset:
# block mappings and sequences indented with spaces, keys that are plain words, values that
# are plain scalars of safe characters, quoted strings without escapes, or flow lists of
# plain scalars. Every scalar is typed by the same resolvers and constructors as the full
# path, and every line is recorded as the full path records it. Anything else (an anchor, a
# tag, a comment after a value, a flow mapping, a block scalar, an escape, a tab, an odd
# indentation, a duplicate key...) makes it give up, and the document is parsed in full: the
# subset changes speed, never a value, a line or an error message.

class _NotPlain(Exception):
    """The document leaves the subset: parse it in full."""


_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?\Z")
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_(][A-Za-z0-9_ .,;()/?+'-]*\Z")
_PLAIN_ITEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_FIRST = {first: list(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
_ANY_FIRST = _FIRST.get(None, [])


@lru_cache(maxsize=1 << 16)  # a history repeats its keys, names, types and dates
def _tag_of(value: str) -> str:
    """The tag the loader's implicit resolvers give a plain scalar (BaseResolver.resolve)."""
    for tag, regexp in _FIRST.get(value[:1], []) + _ANY_FIRST:
        if regexp.match(value):
            return tag
    return _STR


@lru_cache(maxsize=1 << 16)  # every result is immutable: str, int, float, bool or None
def _typed(value: str):
    tag = _tag_of(value)
    if tag == _STR:
        return value
    build = _SCALARS.get(tag)
    if build is None:
        raise _NotPlain
    try:
        return build(ScalarNode(tag, value))
    except (ValueError, yaml.YAMLError):
        return value


def _plain_block_document(text: str):
    """The document as parse() gives it, or None when it is not in the plain subset."""
    if "\t" in text or "\r" in text:
        return None
    lines = _lines_of(text, 1)
    if not lines:
        return None
    try:
        value, end = _block(lines, 0, lines[0][1], 0)
    except (_NotPlain, RecursionError):
        return None
    return value if end == len(lines) else None


def _lines_of(text: str, first: int) -> list | None:
    """The content lines of ``text`` as the line reader reads them, [number, indent, content]
    (numbered from ``first``; comments and blank lines left out), or None."""
    lines = []
    for number, line in enumerate(text.split("\n"), first):
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            if line and not line.isprintable():
                return None
            continue
        if not line.isprintable():  # characters YAML refuses: let it say so
            return None
        indent = len(line) - len(stripped)
        if "#" in stripped:
            # " #" starts a comment after a plain value; in a quoted one it would not
            cut = stripped.find(" #")
            if cut < 0 or "#" in stripped[:cut] or '"' in stripped[:cut] or "'" in stripped[:cut]:
                return None
            stripped = stripped[:cut]
        lines.append([number, indent, stripped.rstrip(" ")])
    return lines


def _block(lines, i: int, indent: int, depth: int):
    if depth > MAX_DEPTH - 4 or lines[i][1] != indent:
        raise _NotPlain
    content = lines[i][2]
    if content == "-" or content.startswith("- "):
        return _sequence(lines, i, indent, depth)
    return _mapping(lines, i, indent, depth)


def _mapping(lines, i: int, indent: int, depth: int):
    value = LDict()
    value.line = lines[i][0]
    value.key_lines = {}
    n = len(lines)
    while i < n:
        number, col, content = lines[i]
        if col < indent:
            break
        if col > indent or content.startswith("- ") or content == "-":
            raise _NotPlain
        m = _KEY_LINE.match(content)
        if m is None:
            raise _NotPlain
        key, rest = m.group(1), m.group(2)
        if _tag_of(key) != _STR or key in value:
            raise _NotPlain
        if rest:
            value[key] = _scalar_or_list(rest, number)
            i += 1
            if i < n and lines[i][1] > indent:  # a continuation line: leave it to the full parser
                raise _NotPlain
        else:
            i += 1
            if i >= n:
                raise _NotPlain
            col2, content2 = lines[i][1], lines[i][2]
            if col2 > indent:
                value[key], i = _block(lines, i, col2, depth + 1)
            elif col2 == indent and (content2.startswith("- ") or content2 == "-"):
                value[key], i = _sequence(lines, i, indent, depth + 1)
            else:  # an empty value is null: rare in a scenario, left to the full parser
                raise _NotPlain
        value.key_lines[key] = number
    return value, i


def _sequence(lines, i: int, indent: int, depth: int):
    value = LList()
    value.line = lines[i][0]
    value.item_lines = []
    n = len(lines)
    while i < n:
        number, col, content = lines[i]
        if col < indent:
            break
        if col > indent:
            raise _NotPlain
        if not content.startswith("- "):
            if content == "-" or _KEY_LINE.match(content) is None:
                raise _NotPlain
            break  # a key of the mapping that holds an indentless sequence
        rest = content[2:]
        inner = rest.lstrip(" ")
        if inner.startswith("-") or not inner:
            raise _NotPlain
        if _KEY_LINE.match(inner):
            # "- key: value": a mapping whose keys stand in the column of the first key
            col = indent + 2 + (len(rest) - len(inner))
            lines[i] = [number, col, inner]  # read once, never again: no need to restore
            item, i = _mapping(lines, i, col, depth + 1)
            value.append(item)
        else:
            value.append(_scalar_or_list(inner, number))
            i += 1
            if i < n and lines[i][1] > indent:
                raise _NotPlain
        value.item_lines.append(number)
    return value, i


def _scalar_or_list(text: str, number: int):
    first = text[0]
    if first == "[":
        if not text.endswith("]"):
            raise _NotPlain
        inner = text[1:-1].strip(" ")
        out = LList()
        out.line = number
        out.item_lines = []
        if inner:
            for item in inner.split(","):
                item = item.strip(" ")
                if not _PLAIN_ITEM.match(item):
                    raise _NotPlain
                out.append(_typed(item))
                out.item_lines.append(number)
        return out
    if first == '"' or first == "'":
        if len(text) < 2 or text[-1] != first:
            raise _NotPlain
        inner = text[1:-1]
        if '"' in inner or "'" in inner or "\\" in inner:
            raise _NotPlain
        return inner
    if not _PLAIN_VALUE.match(text) or text.endswith(" ") or "  " in text:
        raise _NotPlain
    return _typed(text)


# --- a history, one event at a time -------------------------------------------------------
# Reading a 100 000-event history whole keeps every event's mapping, key lines and scalars
# alive at once (about 200 MB, and Python's allocator keeps the fragmented memory after they
# are freed). stream() reads the same plain subset, but leaves the items of the top-level
# `events:` block sequence in the text and reads them one at a time as they are asked for, so
# that each can be checked and dropped before the next is read. The rest of the document is
# read by the line reader above, with the events cut out. An item is handed over as the line
# reader gives it, or, in its most common shape (one `key: value` a line, values plain
# scalars, quoted strings or flow lists of plain scalars), as a plain dict whose key lines
# follow from its own: detailed() turns it into what the line reader gives. Anything outside
# the subset found in an item raises NotPlain: the caller starts again with parse().

class NotPlain(Exception):
    """An event item leaves the plain subset: read the document with parse() instead."""


_FIRST_CONTENT = re.compile(r"^( *)[^ #\n]", re.M)
_UNPRINTABLE_ASCII = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_FLAT_VALUE = (r"(?:[A-Za-z0-9_(][A-Za-z0-9_.,;()/?+'-]*(?: [A-Za-z0-9_.,;()/?+'-]+)*"  # plain
               r"|\[ *(?:[A-Za-z0-9_][A-Za-z0-9_.-]* *(?:, *[A-Za-z0-9_][A-Za-z0-9_.-]* *)*)?\]"  # flow
               r"|\"[^\"'\\#\n]*\"|'[^\"'\\#\n]*')")  # quoted, nothing to unescape
_FLAT_PAIR = r"[A-Za-z_][A-Za-z0-9_]*: " + _FLAT_VALUE


@lru_cache(maxsize=16)
def _flat_item(key_col: int) -> re.Pattern:
    """An item in the common shape, its first key right after "- " and the others below it."""
    return re.compile(f"{_FLAT_PAIR}(?:\n {{{key_col}}}{_FLAT_PAIR})*")


def _printable(text: str) -> bool:
    """Every line printable (str.isprintable, the line reader's test), without splitting."""
    if text.isascii():
        return _UNPRINTABLE_ASCII.search(text) is None
    return text.replace("\n", " ").isprintable()


def stream(text: str):
    """The document as parse() gives it, but for the items of a top-level ``events:`` block
    sequence, which come as an Items to iterate; None when the document is not in the plain
    subset (as far as can be seen without reading the items) or has no such block."""
    if "\t" in text or "\r" in text or not _printable(text):
        return None
    first = _FIRST_CONTENT.search(text)
    if first is None:
        return None
    top = len(first.group(1))
    key = re.compile(f"^ {{{top}}}events:(?: *| +#.*)$", re.M).search(text)
    if key is None:
        return None
    item = _FIRST_CONTENT.search(text, key.end())
    if item is None or not text.startswith("- ", item.end() - 1):
        return None
    col = len(item.group(1))
    if col < top:
        return None
    start = item.start()
    # the items end at the first line that stands left of them (a top-level key), or, for an
    # indentless sequence, at the first line in their column that is no item
    tail = f"\n(?= {{0,{top}}}[^ \n#])" + (f"(?! {{{top}}}- )" if col == top else "")
    end_match = re.compile(tail).search(text, start)
    end = end_match.start() if end_match else len(text)
    while end > start and text[end - 1] == "\n":
        end -= 1
    key_line = text.count("\n", 0, key.start()) + 1
    item_line = key_line + text.count("\n", key.start(), start)
    before = _lines_of(text[:start], 1)
    after = _lines_of(text[end + 1:], item_line + text.count("\n", start, end) + 1) if end < len(text) else []
    if before is None or after is None:
        return None
    for entry in before:
        if entry[0] == key_line:
            entry[2] = "events: []"  # read as an empty flow list; the items are replaced below
    lines = before + after
    try:
        doc, stop = _block(lines, 0, lines[0][1], 0)
    except (_NotPlain, RecursionError):
        return None
    if stop != len(lines) or not isinstance(doc, LDict) or doc.key_lines.get("events") != key_line:
        return None
    doc["events"] = Items(text, start, end, col, item_line)
    return doc


class Items:
    """The items of a block sequence still in the text: iterating gives (line, item) pairs."""

    def __init__(self, text: str, start: int, end: int, col: int, line: int):
        self.text, self.start, self.end, self.col, self.line = text, start, end, col, line
        self.read = False  # True once every item was read: the whole document is plain

    def __iter__(self):
        text, end, col, line = self.text, self.end, self.col, self.line
        sep = "\n" + " " * col + "- "
        flat, keys = _flat_item(col + 2).fullmatch, "\n" + " " * (col + 2)
        pos = self.start + col + 2
        while pos <= end:
            stop = text.find(sep, pos, end)
            if stop < 0:
                stop = end
            chunk = text[pos:stop]
            item = _flat(chunk, keys) if flat(chunk) else None
            yield line, (_item(chunk, col, line) if item is None else item)
            line += chunk.count("\n") + 1
            pos = stop + len(sep)
        self.read = True

    @staticmethod
    def detailed(line: int, item):
        """An item as the line reader gives it (LDict, LList, every line): ``item`` is one
        from the iteration, on ``line``."""
        if type(item) is not dict:
            return item
        out = LDict()
        out.line = line
        out.key_lines = {}
        for number, (key, value) in enumerate(item.items(), line):
            if type(value) is list:
                value = _llist(value, number)
            out[key] = value
            out.key_lines[key] = number
        return out


def _llist(values: list, number: int) -> LList:
    out = LList(values)
    out.line = number
    out.item_lines = [number] * len(values)
    return out


class _Every:
    def __contains__(self, _char) -> bool:
        return True


# the first characters of scalars some implicit resolver may type (a resolver for any first
# character would make it every one); a plain scalar starting otherwise is text
_TYPED_FIRST = frozenset(c for c in _FIRST if c) if not _ANY_FIRST else _Every()


def _flat(chunk: str, sep: str) -> dict | None:
    """An item in the common shape (see _flat_item; ``sep`` a newline and the keys' indent)
    as a plain dict; None: read it in full. Scalars are typed as _typed types them, but most
    names and ids need no resolver (and stay out of its cache, which would otherwise keep the
    last 65 536 ids alive)."""
    item: dict = {}
    typed, first_typed = _typed, _TYPED_FIRST
    try:
        for pair in chunk.split(sep):
            key, _, value = pair.partition(": ")
            if key in item or key[0] in first_typed and _tag_of(key) != _STR:
                return None
            first = value[0]
            if first == "[":
                inner = value[1:-1]
                if inner.strip(" "):
                    item[key] = [typed(v) if v[0] in first_typed else v
                                 for v in (v.strip(" ") for v in inner.split(","))]
                else:
                    item[key] = []
            elif first == '"' or first == "'":
                item[key] = value[1:-1]
            elif first in first_typed:
                item[key] = typed(value)
            else:
                item[key] = value
    except _NotPlain:
        return None
    return item


def _item(chunk: str, col: int, line: int):
    """One item read by the line reader (its first line is ``line``); NotPlain if it cannot."""
    lines = _lines_of(" " * col + "- " + chunk, line)
    if not lines:
        raise NotPlain
    try:
        value, stop = _sequence(lines, 0, col, 1)
    except (_NotPlain, RecursionError):
        raise NotPlain from None
    if stop != len(lines) or len(value) != 1:
        raise NotPlain
    return value[0]
