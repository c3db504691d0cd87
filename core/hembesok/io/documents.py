"""Safe loading of YAML and JSON documents that remembers where every value stood.

Program files are YAML, case files JSON; both are read here so that every later
error can point at file:line:column. Only PyYAML's safe loader is used, so nothing
in a file is ever constructed as a Python object beyond plain data. Dates stay
strings (as in JSON) and only `true`/`false` are booleans, so that `no` in a
Swedish text, or `2026-01-31`, means the same in YAML as in JSON.

Whatever a document holds, reading it either gives plain data or raises DocumentError
with a position and a message that quotes nothing from it: no syntax, size, nesting,
alias, number or character trick reaches the rest of hembesok (io/limits.py).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hembesok.io import limits
from hembesok.io.redact import quoted

JsonPath = tuple[str | int, ...]

# PyYAML's parser written in C (libyaml) when the wheel has it: about ten times quicker
# than the pure-Python one, with the same nodes and marks. Both are safe loaders.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR, _SEQ, _MAP = (
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
)


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


def _not_text(path: str, text: str) -> DocumentError | None:
    """Text that cannot be written as UTF-8 (a lone surrogate, e.g. from bytes decoded with
    `surrogateescape`) is refused where it stands."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return DocumentError(path, _position(text, exc.start), "holds a character that is not text")
    return None


def _too_large(path: str, size: int, limit: int) -> DocumentError | None:
    if size <= limit:
        return None
    return DocumentError(
        path, Position(1, 1), f"is larger than the limit of {limit} bytes; send less at a time"
    )


# --- YAML ---------------------------------------------------------------------------------


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _check_nodes(loader: yaml.SafeLoader, root: yaml.Node, path: str) -> None:
    """Refuse what would make a document bigger, deeper or other than plain data.

    Aliases are counted and the document's size with every alias expanded is bounded (a
    "billion laughs" file is a few lines that expand to billions of values); a tag other
    than the one a value would have anyway (`!!timestamp`, `!!binary`, `!!set`,
    `!!float x`) is refused at its line, since a program file holds plain data only.
    """
    sizes: dict[int, int] = {}
    aliases = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if done:
            children = _children(node)
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(node)] > limits.MAX_YAML_VALUES:
                raise DocumentError(
                    path,
                    _mark(node),
                    f"holds more than {limits.MAX_YAML_VALUES} values once its aliases are "
                    "expanded; write the values out instead of repeating them with aliases",
                )
            continue
        if id(node) in sizes:  # the same node again: an alias
            aliases += 1
            if aliases > limits.MAX_YAML_ALIASES:
                raise DocumentError(
                    path, _mark(node), f"uses more than {limits.MAX_YAML_ALIASES} aliases"
                )
            continue
        if depth > limits.MAX_DEPTH:
            raise DocumentError(
                path, _mark(node), f"is nested more than {limits.MAX_DEPTH} levels deep"
            )
        _check_tag(loader, node, path)
        _check_keys(node, path)
        sizes[id(node)] = 0  # being sized: a node reached again from below is a cycle
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) in sizes and sizes[id(child)] == 0:
                raise DocumentError(path, _mark(child), "refers to itself through an alias")
            stack.append((child, depth + 1, False))


def _check_keys(node: yaml.Node, path: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != _STR:
                raise DocumentError(
                    path,
                    _mark(key),
                    "has a key that is not text (a number, true/false, null or a list): write "
                    "keys as names, quoted if need be",
                )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_tag(loader: yaml.SafeLoader, node: yaml.Node, path: str) -> None:
    if isinstance(node, yaml.ScalarNode):
        if len(node.value) > limits.MAX_STRING_CHARS:
            raise DocumentError(
                path, _mark(node), f"is longer than {limits.MAX_STRING_CHARS} characters"
            )
        plain = not node.style  # None (pure Python parser) or "" (libyaml) for a plain scalar
        expected = loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))  # type: ignore[no-untyped-call]
        if node.tag in (expected, _STR):
            if expected == "tag:yaml.org,2002:int" and node.tag != _STR:
                digits = len(node.value.lstrip("+-").replace("_", ""))
                if digits > limits.MAX_NUMBER_DIGITS:
                    raise DocumentError(
                        path,
                        _mark(node),
                        f"is a number of more than {limits.MAX_NUMBER_DIGITS} digits",
                    )
            return
    elif node.tag in (_SEQ, _MAP):
        return
    name = node.tag.removeprefix("tag:yaml.org,2002:")
    shown = f"!!{name}" if name in _YAML_TYPES else "(not shown)"
    raise DocumentError(
        path,
        _mark(node),
        f"has the tag {shown}: a hembesok file holds plain text, numbers, true/false, lists "
        "and mappings only; remove the tag",
    )


def _index_positions(doc: Document, root: yaml.Node) -> None:
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, JsonPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        doc.positions[path] = _mark(node)
        if id(node) in seen:  # an alias: its subtree is already indexed once
            continue
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
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, (*path, index)))


def parse_yaml(text: str, path: str) -> Document:
    refused = _too_large(path, len(text), limits.MAX_DOCUMENT_BYTES) or _not_text(path, text)
    if refused is not None:
        raise refused
    loader = None
    try:
        loader = _StrictSafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            return Document(path, None, {(): Position(1, 1)})
        _check_nodes(loader, node, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise DocumentError(path, position, without_names(yaml_advice(exc))) from None
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow (NUL, DEL, ...)
        position = _reader_position(exc, text)
        raise DocumentError(path, position, _reader_message(exc)) from None
    except (ValueError, TypeError, OverflowError, RecursionError, UnicodeError) as exc:
        raise DocumentError(
            path, Position(1, 1), f"cannot be read as YAML ({type(exc).__name__})"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    doc = Document(path, data)
    _index_positions(doc, node)
    return doc


def _reader_position(exc: yaml.YAMLError, text: str) -> Position:
    where = getattr(exc, "position", None)
    if isinstance(where, int) and 0 <= where <= len(text):
        line = text.count("\n", 0, where) + 1
        return Position(line, where - (text.rfind("\n", 0, where) + 1) + 1)
    return Position(1, 1)


def _reader_message(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str) and len(character) == 1:
        return (
            f"holds the character U+{ord(character):04X}, which YAML does not allow; "
            "remove it (control characters cannot stand in a text)"
        )
    return f"cannot be read as YAML ({type(exc).__name__})"


#: YAML's own types, whose tags a problem may name (any other tag may hold anything).
_YAML_TYPES = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "null",
        "timestamp",
        "binary",
        "map",
        "seq",
        "set",
        "omap",
        "pairs",
    }
)
#: A quoted name in a reader's message (an alias, a tag handle): never a quoted character
#: or a token such as '<block end>'.
_QUOTED_NAME = re.compile(r"'([^'<\s][^']*)'")


def without_names(message: str) -> str:
    """A reader's message without the names it quotes from the text (PyYAML's pure-Python
    scanner quotes an alias or a tag handle, which may hold anything), keeping quoted
    single characters such as ':' that say what was expected."""
    return _QUOTED_NAME.sub(
        lambda m: m.group(0) if len(m.group(1)) <= 2 else "(not shown)", message
    )


def yaml_advice(exc: yaml.MarkedYAMLError) -> str:
    """A YAML syntax error in words an author can act on, not only PyYAML's terms."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    if "expected <block end>" in problem or "expected <block end>" in context:
        hint = (
            "this line is indented differently from the lines around it: a key's value "
            "goes on the same line or indented under it, and keys of one mapping line up"
        )
    elif "mapping values are not allowed" in problem:
        hint = (
            "a colon followed by a space starts a key: put quotes around a text that "
            'contains ": ", or indent the line under its key'
        )
    elif "could not find expected ':'" in problem:
        hint = "a key is missing its colon, or a line of a text is not indented under its key"
    elif "found character '\\t'" in problem:
        hint = "YAML indents with spaces only: replace the tab with spaces"
    elif "found undefined alias" in problem or "found unhashable key" in problem:
        hint = "an alias or a key YAML cannot use"
    else:
        return f"YAML syntax error: {problem}"
    return f"YAML syntax error: {problem} ({hint})"


# --- JSON ---------------------------------------------------------------------------------


class _Refused(ValueError):
    """What a JSON document may not hold, raised from the parser's hooks."""

    def __init__(self, message: str, marker: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.marker = marker  # a pattern that finds the place in the text


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"has the key {quoted(key)} twice in one object: the later value would "
                    "silently win; keep one",
                    "duplicate",
                )
            seen.add(key)
    return out


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("holds a number too large to be a number", "number")
    return value


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > limits.MAX_NUMBER_DIGITS:
        raise _Refused(f"holds a number of more than {limits.MAX_NUMBER_DIGITS} digits", "digits")
    return int(text)


def _constant(name: str) -> Any:
    raise _Refused(f"holds {name}, which is not a number in JSON", "constant")


_MARKERS = {
    "number": re.compile(r"-?\d+(?:\.\d+)?[eE][+-]?\d{3,}"),
    "digits": re.compile(rf"-?\d{{{limits.MAX_NUMBER_DIGITS + 1},}}"),
    "constant": re.compile(r"-?(?:NaN|Infinity)"),
}
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def parse_json(text: str, path: str) -> Document:
    """Parse JSON strictly; positions are indexed lazily only when an error needs them.

    Refused besides syntax errors, each at its place: a key twice in one object, NaN and
    Infinity, numbers too long or too large, text with an unpaired surrogate, nesting
    deeper than the limit, a document larger than the limit.
    """
    refused = _too_large(path, len(text), limits.MAX_DOCUMENT_BYTES) or _not_text(path, text)
    if refused is not None:
        raise refused
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique,
            parse_float=_number,
            parse_int=_integer,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        # exc.msg names the syntax problem only, never the document's content.
        raise DocumentError(
            path, Position(exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}"
        ) from None
    except _Refused as exc:
        raise DocumentError(path, _find(text, exc), exc.message) from None
    except RecursionError:
        raise DocumentError(
            path, Position(1, 1), f"is nested more than {limits.MAX_DEPTH} levels deep"
        ) from None
    except ValueError:  # an integer beyond what Python converts
        raise DocumentError(path, Position(1, 1), "holds a number that cannot be read") from None
    if _SURROGATE.search(text):
        _check_text(data, path, text)
    return _LazyJsonDocument(path, data, text)


def _find(text: str, exc: _Refused) -> Position:
    if exc.marker == "duplicate":
        index = json_index(text)
        if index is not None and index.duplicate_keys:
            return index.key_positions.get(index.duplicate_keys[0], Position(1, 1))
        return Position(1, 1)
    pattern = _MARKERS.get(exc.marker or "")
    found = pattern.search(text) if pattern is not None else None
    return _position(text, found.start()) if found else Position(1, 1)


def _position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def too_deep(data: Any) -> JsonPath | None:
    """The path of a value nested deeper than the limit, or None: checked before anything
    walks a document that a schema has not accepted."""
    stack: list[tuple[Any, JsonPath]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= limits.MAX_DEPTH:
            return path
        if isinstance(node, dict):
            stack.extend(((v, (*path, k)) for k, v in node.items() if isinstance(v, dict | list)))
        elif isinstance(node, list):
            stack.extend(
                ((v, (*path, i)) for i, v in enumerate(node) if isinstance(v, dict | list))
            )
    return None


def _check_text(data: Any, path: str, text: str) -> None:
    """Text holding half of a surrogate pair cannot be written as UTF-8: refuse it."""
    stack = [data]
    while stack:
        node = stack.pop()
        items = (
            list(node.items())
            if isinstance(node, dict)
            else [(None, v) for v in node]
            if isinstance(node, list)
            else []
        )
        for key, value in items:
            for text_ in (key, value):
                if isinstance(text_, str):
                    try:
                        text_.encode("utf-8")
                    except UnicodeEncodeError:
                        found = _SURROGATE.search(text)
                        raise DocumentError(
                            path,
                            _position(text, found.start()) if found else Position(1, 1),
                            "holds half of a surrogate pair (\\uD800–\\uDFFF alone), which is "
                            "not text",
                        ) from None
            if isinstance(value, dict | list):
                stack.append(value)


class _LazyJsonDocument(Document):
    """A JSON document whose positions are found on first use, to keep the happy path fast."""

    def __init__(self, path: str, data: Any, text: str) -> None:
        super().__init__(path, data)
        self._text: str | None = text

    def locate(self, json_path: Sequence[str | int], *, key: bool = False) -> Position:
        if self._text is not None:
            text, self._text = self._text, None
            index = json_index(text)
            if index is not None:
                self.positions, self.key_positions = index.positions, index.key_positions
        return super().locate(json_path, key=key)


# One JSON token at a time: strings, then numbers and literals, then punctuation.
_TOKEN = re.compile(
    r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)|([{}\[\]:,]))',
    re.DOTALL,
)


def json_index(text: str) -> Document | None:
    """Where each value and key of a JSON text stands: one pass over its tokens, no
    recursion, in time proportional to the text (for locating a problem only)."""
    doc = Document("", None, {(): Position(1, 1)})
    line_starts = [0]
    for found in re.finditer("\n", text):
        line_starts.append(found.end())

    def position(offset: int) -> Position:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return Position(lo + 1, offset - line_starts[lo] + 1)

    # Each open container: (path, is_object, next index or pending key, keys seen)
    stack: list[list[Any]] = []
    offset = 0
    expect_key = False
    pending_key: Any = None
    while offset < len(text):
        match = _TOKEN.match(text, offset)
        if match is None:
            break
        offset = match.end()
        string, scalar, punct = match.groups()
        start = match.start(1) if string else match.start(2) if scalar else match.start(3)
        if punct in ("}", "]"):
            if stack:
                stack.pop()
            expect_key = False
            continue
        if punct in (":", ","):
            if punct == "," and stack and stack[-1][1]:
                expect_key = True
            continue
        if stack and stack[-1][1] and expect_key and string is not None:
            key = json.loads(string) if "\\" in string else string[1:-1]
            parent = stack[-1]
            child = (*parent[0], key)
            if key in parent[3]:
                doc.duplicate_keys.append(child)
            parent[3].add(key)
            doc.key_positions[child] = position(start)
            pending_key = child
            expect_key = False
            continue
        # a value
        if stack:
            parent = stack[-1]
            if parent[1]:
                here = pending_key if pending_key is not None else parent[0]
            else:
                here = (*parent[0], parent[2])
                parent[2] += 1
        else:
            here = ()
        pending_key = None
        doc.positions[here] = position(start)
        if punct in ("{", "["):
            if len(stack) >= limits.MAX_DEPTH:
                return doc
            stack.append([here, punct == "{", 0, set()])
            expect_key = punct == "{"
    return doc


def load_text(text: str, path: str) -> Document:
    """JSON by suffix (or, for standard input, by a leading brace); YAML otherwise."""
    if path.endswith(".json") or (path == "-" and text.lstrip().startswith(("{", "["))):
        return parse_json(text, path)
    return parse_yaml(text, path)


def load_file(path: str | Path) -> Document:
    name = str(path)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(limits.MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise DocumentError(name, Position(1, 1), "file not found") from None
    except IsADirectoryError:
        raise DocumentError(name, Position(1, 1), "is a directory, not a file") from None
    except OSError as exc:
        raise DocumentError(name, Position(1, 1), f"cannot read file: {exc.strerror}") from None
    too_large = _too_large(name, len(raw), limits.MAX_DOCUMENT_BYTES)
    if too_large is not None:
        raise too_large
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(name, _position_in_bytes(raw, exc.start), "is not UTF-8 text") from None
    return load_text(text, name)


def _position_in_bytes(raw: bytes, offset: int) -> Position:
    line = raw.count(b"\n", 0, offset) + 1
    return Position(line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1)
