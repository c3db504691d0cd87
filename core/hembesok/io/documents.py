"""Safe loading of YAML and JSON documents that remembers where every value stood.

Program files are YAML, case files JSON; both are read here so that every later
error can point at file:line:column. Only PyYAML's SafeLoader is used, so nothing
in a file is ever constructed as a Python object beyond plain data. Dates stay
strings (as in JSON) and only `true`/`false` are booleans, so that `no` in a
Swedish text, or `2026-01-31`, means the same in YAML as in JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

JsonPath = tuple[str | int, ...]

_fast_loads: Callable[[str], Any] | None
try:
    from orjson import loads as _fast_loads
except ImportError:  # the standard library parses alone: the same data, more slowly
    _fast_loads = None


# PyYAML's parser written in C (libyaml) when the wheel has it: about ten times quicker
# than the pure-Python one, with the same nodes and marks. Both are safe loaders.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """A safe loader with YAML 1.2-like scalars: no timestamps, only true/false."""


_StrictSafeLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Document:
    """Parsed data plus a map from JSON path to the position of that value (and key)."""

    path: str
    data: Any
    positions: dict[JsonPath, Position] = field(default_factory=dict)
    key_positions: dict[JsonPath, Position] = field(default_factory=dict)
    duplicate_keys: list[JsonPath] = field(default_factory=list)

    def locate(self, json_path: Sequence[str | int], *, key: bool = False) -> Position:
        """The nearest known position of a path; a key's own position when asked."""
        path = tuple(json_path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Position(1, 1))


class DocumentError(Exception):
    """A file that cannot be read or parsed; carries its location."""

    def __init__(self, path: str, position: Position, message: str) -> None:
        super().__init__(f"{path}:{position.line}:{position.column}: {message}")
        self.path = path
        self.position = position
        self.message = message


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _index_positions(doc: Document, node: yaml.Node, path: JsonPath, seen: set[int]) -> None:
    doc.positions[path] = _mark(node)
    if id(node) in seen:  # an alias: its subtree is already indexed once
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_here: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*path, key)
            if key in keys_here:
                doc.duplicate_keys.append(child)
            keys_here.add(key)
            doc.key_positions[child] = _mark(key_node)
            _index_positions(doc, value_node, child, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_positions(doc, item, (*path, index), seen)


def parse_yaml(text: str, path: str) -> Document:
    loader = _StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(path, None, {(): Position(1, 1)})
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problem = exc.problem or "invalid YAML"
        raise DocumentError(path, position, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise DocumentError(path, Position(1, 1), f"YAML error: {type(exc).__name__}") from None
    finally:
        loader.dispose()
    doc = Document(path, data)
    _index_positions(doc, node, (), set())
    return doc


def parse_json(text: str, path: str) -> Document:
    """Parse JSON strictly; positions are indexed lazily only when an error needs them.

    orjson parses when it is installed (several times quicker); a text it rejects is
    parsed again by the standard library, whose messages name the line and column.
    """
    if _fast_loads is not None:
        try:
            return _LazyJsonDocument(path, _fast_loads(text), text)
        except ValueError:
            pass
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # exc.msg names the syntax problem only, never the document's content.
        raise DocumentError(
            path, Position(exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}"
        ) from None
    return _LazyJsonDocument(path, data, text)


class _LazyJsonDocument(Document):
    """A JSON document whose positions are computed on first use, to keep the happy path fast."""

    def __init__(self, path: str, data: Any, text: str) -> None:
        super().__init__(path, data)
        self._text: str | None = text

    def locate(self, json_path: Sequence[str | int], *, key: bool = False) -> Position:
        if self._text is not None:
            text, self._text = self._text, None
            try:
                indexed = parse_yaml(text, self.path)
                self.positions, self.key_positions = indexed.positions, indexed.key_positions
            except DocumentError:
                pass  # valid JSON that PyYAML cannot read: fall back to line 1
        return super().locate(json_path, key=key)


def load_text(text: str, path: str) -> Document:
    """JSON by suffix (or, for standard input, by a leading brace); YAML otherwise."""
    if path.endswith(".json") or (path == "-" and text.lstrip().startswith(("{", "["))):
        return parse_json(text, path)
    return parse_yaml(text, path)


def load_file(path: str | Path) -> Document:
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentError(name, Position(1, 1), "file not found") from None
    except UnicodeDecodeError:
        raise DocumentError(name, Position(1, 1), "file is not UTF-8 text") from None
    except OSError as exc:
        raise DocumentError(name, Position(1, 1), f"cannot read file: {exc.strerror}") from None
    return load_text(text, name)
