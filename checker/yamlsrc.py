"""Reading YAML as data, with the line of every key and list item kept for error messages.

PyYAML composes the node tree (with the C parser when it is present); this module turns
nodes into plain Python values itself so that it can (a) keep lines, (b) refuse any tag
that is not plain data (``!!python/object`` and friends), (c) refuse duplicate keys, and
(d) leave dates as strings: PyYAML would otherwise turn ``2027-02-30`` into an exception
that loses the line. A node reached twice through an alias is converted once and shared,
so alias bombs cost nothing.
"""

from __future__ import annotations

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
