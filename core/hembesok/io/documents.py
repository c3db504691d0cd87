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
from collections.abc import Iterator, Sequence
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
        raise DocumentError(path, *yaml_advice(exc, text)) from None
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


def yaml_advice(exc: yaml.MarkedYAMLError, text: str = "") -> tuple[Position, str]:
    """A YAML syntax error in words an author can act on, and the place to change.

    PyYAML and libyaml name the parser's state ("expected <block end>, but found
    '<block mapping start>'", "did not find expected key"), not the mistake, and often at
    a place after it; with the text at hand the common mistakes are told apart by the
    indentation of the lines around the error. The words never quote the document: only
    lines, columns and YAML's own characters are named.
    """
    mark = exc.problem_mark or exc.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    lines = _Lines(text.splitlines())
    for diagnose in _DIAGNOSES:
        found = diagnose(exc, lines, text)
        if found is not None:
            return found[0], f"YAML syntax error: {found[1]}"
    return position, _parser_words(exc)


def _parser_words(exc: yaml.MarkedYAMLError) -> str:
    """The parser's own problem, with a hint where one applies: what no diagnosis knew."""
    problem = without_names(exc.problem or "invalid YAML")
    context = exc.context or ""
    if _kind(exc) == "block":
        hint = (
            "this line is indented differently from the lines around it: a key's value "
            "goes on the same line or indented under it, and keys of one mapping line up"
        )
        return f"YAML syntax error: {hint}"
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return f"YAML syntax error: {problem} (an alias or a key YAML cannot use)"
    if "while scanning" in context and "end of stream" in problem:
        return f"YAML syntax error: the file ends in the middle of a value ({problem})"
    return f"YAML syntax error: {problem}"


def _kind(exc: yaml.MarkedYAMLError) -> str:
    """The kind of a syntax error, alike for PyYAML's and libyaml's wording."""
    problem = exc.problem or ""
    context = exc.context or ""
    if "\\t" in problem or "tab" in problem:
        return "tab"
    if "quoted scalar" in context:
        return "quoted"
    if "expected ',' or" in problem or ("node content" in problem and "flow" in context):
        return "flow"
    if "could not find expected ':'" in problem:
        return "simple_key"
    if "mapping values are not allowed" in problem:
        return "colon"
    if any(
        words in problem
        for words in (
            "expected <block end>",
            "did not find expected key",
            "did not find expected '-' indicator",
            "document start",
        )
    ):
        return "block"
    return ""


_ITEM = re.compile(r"-(?:[ ]+|$)")
_KEY = re.compile(
    r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},:-][^#]*?|-[^\s#][^#]*?)[ ]*:(?:[ ]+|$)"""
)


@dataclass(frozen=True)
class _Lines:
    """The lines of a YAML text, read for their indentation only (never quoted)."""

    lines: list[str]

    def text(self, i: int) -> str:
        return self.lines[i] if 0 <= i < len(self.lines) else ""

    def indent(self, i: int) -> int:
        line = self.text(i)
        return len(line) - len(line.lstrip(" "))

    def is_content(self, i: int) -> bool:
        """Not blank and not only a comment."""
        stripped = self.text(i).strip()
        return bool(stripped) and not stripped.startswith("#")

    def above(self, i: int) -> Iterator[int]:
        """The lines above `i` with content, nearest first."""
        return (j for j in range(min(i, len(self.lines)) - 1, -1, -1) if self.is_content(j))

    def previous(self, i: int) -> int | None:
        return next(self.above(i), None)

    def following(self, i: int) -> int | None:
        """The nearest line below `i` with content."""
        return next((j for j in range(i + 1, len(self.lines)) if self.is_content(j)), None)

    def is_item(self, i: int) -> bool:
        """A list item: `-` and a space (or the line's end) where the line starts."""
        return _ITEM.match(self.text(i), self.indent(i)) is not None

    def key_column(self, i: int) -> int:
        """Where the key (or text) of a line starts, after any list dashes."""
        line, at = self.text(i), self.indent(i)
        while (item := _ITEM.match(line, at)) is not None and item.end() > at:
            at = item.end()
        return at

    def key(self, i: int) -> re.Match[str] | None:
        """The key of a line and its colon, after any list dashes; None for a line of text."""
        return _KEY.match(self.text(i), self.key_column(i))

    def nearest_item(self, items: Sequence[int], indent: int) -> int:
        """Of these list items, the one whose - is nearest `indent` (the lower on a tie)."""
        return min(items, key=lambda i: (abs(self.indent(i) - indent), -i))

    def opens_value(self, i: int) -> bool:
        """A key or a list item: the start of a value (a line of text is neither)."""
        return self.key(i) is not None or self.is_item(i)

    def holds_from(self, i: int) -> int:
        """The column after which a line is read as part of line `i`'s value."""
        return self.key_column(i) if self.key(i) is not None else self.indent(i)

    def has_value(self, i: int) -> bool:
        """A key with its value on its own line, or a list item that is a text: a deeper
        line below it cannot be a value of its own."""
        line = self.text(i)
        found = self.key(i)
        at = found.end() if found is not None else self.key_column(i)
        if found is None and not self.is_item(i):
            return False
        rest = re.sub(r"(?:^|[ ]+)#.*$", "", line[at:]).strip()
        return bool(rest) and not rest.startswith(("|", ">", "&", "!"))


Diagnosis = tuple[Position, str] | None


def _tab(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A tab in the indentation (or where YAML expects a space)."""
    mark = exc.problem_mark
    if mark is None:
        return None
    line = lines.text(mark.line)
    at_tab = line[mark.column : mark.column + 1] == "\t"
    if _kind(exc) != "tab" and not at_tab:
        return None
    lead = len(line) - len(line.lstrip(" \t"))
    if "\t" in line[:lead]:
        column = line.index("\t") + 1
        return Position(mark.line + 1, column), (
            "this line is indented with a tab, and YAML indents with spaces only: replace "
            "the tab with spaces"
        )
    column = mark.column + 1 if at_tab else (line.find("\t") + 1 or mark.column + 1)
    return Position(mark.line + 1, column), (
        "a tab stands where YAML expects a space: replace it with a space"
    )


def _quote(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A quoted text never closed, or closed only on a later line."""
    opened = exc.context_mark if _kind(exc) == "quoted" else None
    closed_on: int | None = None
    if opened is None and exc.problem_mark is not None and _kind(exc) in ("block", "colon"):
        opened, closed_on = _quoted_across_lines(lines, exc.problem_mark.line)
    if opened is None:
        return None
    quote = lines.text(opened.line)[opened.column : opened.column + 1]
    if quote not in ('"', "'"):
        return None
    inside = 'a " inside it is written \\"' if quote == '"' else "a ' inside it is written ''"
    if closed_on is None:
        what = (
            f"opens with {quote} but is never closed, so the rest of the file is read as part of it"
        )
    else:
        what = (
            f"opens with {quote} but is closed only on line {closed_on + 1}, so the lines "
            "between are read as part of it"
        )
    return Position(opened.line + 1, opened.column + 1), (
        f"this text {what}: end it with {quote} on this line ({inside})"
    )


def _quoted_across_lines(lines: _Lines, line: int) -> tuple[yaml.Mark | None, int | None]:
    """The start of a quoted text that began above `line` and ended on it, if one did:
    the usual reason for an error further along a line. Only the lines up to `line` are
    scanned (with PyYAML's own scanner, so quoting rules are YAML's)."""
    found: tuple[yaml.Mark | None, int | None] = (None, None)
    try:
        for token in yaml.scan("\n".join(lines.lines[: line + 1]), Loader=yaml.SafeLoader):
            start, end = token.start_mark, token.end_mark
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and start.line < line == end.line
            ):
                found = (start, end.line)
    except yaml.YAMLError:
        pass  # the tokens before the error are all that is needed
    return found


def _flow(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A list in [ ] or a mapping in { } that is not closed, or lacks a comma."""
    mark = exc.problem_mark
    if _kind(exc) != "flow" or mark is None:
        return None
    opened = _open_bracket(lines, mark.line, mark.column)
    if opened is None:
        return None
    bracket = lines.text(opened.line)[opened.column : opened.column + 1]
    if bracket not in ("[", "{"):
        return None
    close, what = ("]", "list") if bracket == "[" else ("}", "mapping")
    before = lines.previous(mark.line) if mark.column <= lines.indent(mark.line) else None
    if (
        mark.line == opened.line
        or close in lines.text(mark.line)[mark.column :]
        or (before is not None and lines.text(before).rstrip().endswith(","))
    ):
        return Position(mark.line + 1, mark.column + 1), (
            f"a comma is missing before this point: the items of the {what} in {bracket} "
            f"{close} that opens on line {opened.line + 1}, column {opened.column + 1}, are "
            "separated by a comma and a space"
        )
    return Position(opened.line + 1, opened.column + 1), (
        f"this {bracket} is never closed, so the lines after it are read as part of its "
        f"{what}: end the {what} with {close}"
    )


def _open_bracket(lines: _Lines, line: int, column: int) -> yaml.Mark | None:
    """The innermost [ or { still open at a place, found with PyYAML's own scanner over
    the text before it."""
    text = "\n".join([*lines.lines[:line], lines.text(line)[:column]])
    opened: list[yaml.Mark] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                opened.append(token.start_mark)
            elif opened and isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
                opened.pop()
    except yaml.YAMLError:
        pass  # the tokens before the error are all that is needed
    return opened[-1] if opened else None


def _reserved(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A plain text starting with a character YAML reserves (` @ %)."""
    mark = exc.problem_mark
    if mark is None or "cannot start any token" not in (exc.problem or ""):
        return None
    character = lines.text(mark.line)[mark.column : mark.column + 1]
    if character not in ("`", "@", "%"):
        return None
    return Position(mark.line + 1, mark.column + 1), (
        f"a text cannot start with {character}, which YAML reserves: put the whole text in quotes"
    )


def _simple_key(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A line read as a key that has no colon."""
    where = exc.context_mark
    if _kind(exc) != "simple_key" or where is None:
        return None
    return Position(where.line + 1, where.column + 1), _NO_COLON


_NO_COLON = (
    "this line has no colon after its key: write the key, a colon and a space, then its "
    "value; if the line continues a text from the line above, indent it deeper than that "
    "text's key"
)


def _colon(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A colon and a space where YAML cannot start a key: inside a text, on a line indented
    under a key that already has its value, or after a line that lacks its colon."""
    mark = exc.problem_mark
    if _kind(exc) != "colon" or mark is None:
        return None
    here = mark.line
    words = lines.text(here)[lines.key_column(here) : mark.column].strip()
    in_text = (
        Position(here + 1, mark.column + 1),
        (
            "a colon followed by a space starts a key, and this one stands inside a text: put "
            "the whole text in quotes"
        ),
    )
    above = lines.previous(here)
    if not words or " " in words or above is None:  # a colon after several words: prose
        return in_text
    owner = above  # the line whose value this one is read as part of
    while not lines.opens_value(owner) and (up := lines.previous(owner)) is not None:
        owner = up
    if lines.has_value(owner) and lines.indent(here) > lines.holds_from(owner):
        return _deeper(lines, here, owner)
    first = lines.following(owner)
    if owner != above and first is not None and lines.indent(first) == lines.indent(here):
        return Position(first + 1, lines.indent(first) + 1), (
            "this line has no colon after its key, so it and the lines after it, to line "
            f"{here + 1}, are read as one text: write the key, a colon and a space, then its "
            "value"
        )
    return in_text


def _deeper(lines: _Lines, here: int, above: int) -> tuple[Position, str]:
    """A line indented under a key (or list item) whose value is already on its line."""
    position = Position(here + 1, lines.indent(here) + 1)
    if lines.key(above) is None:  # a list item that is a text
        return position, (
            f"this line is indented deeper than the list item above it (line {above + 1}), "
            "so it is read as part of that item's text; line it up with that item's - "
            f"(column {lines.indent(above) + 1}) and start it with - to make it an item of "
            "its own"
        )
    what = "list item" if lines.is_item(here) else "line"
    told = (
        f"this {what} is indented deeper than the key above it (line {above + 1}), so it is "
        "read as part of that key's value, which is already on that line"
    )
    items = [i for i in range(above) if lines.is_content(i) and lines.is_item(i)]
    if lines.is_item(here) and items:
        near = lines.nearest_item(items, lines.indent(here))
        return position, (
            f"{told}; line its - up with the list item on line {near + 1} (column "
            f"{lines.indent(near) + 1}), or remove that key's value if this list is its value"
        )
    return position, (
        f"{told}; line it up with that key (column {lines.key_column(above) + 1}), or move "
        "that value off the key's line if this line belongs under it"
    )


def _block(exc: yaml.MarkedYAMLError, lines: _Lines, text: str) -> Diagnosis:
    """A line whose indentation fits no open mapping or list."""
    mark = exc.problem_mark
    if _kind(exc) != "block" or mark is None:
        return None
    here = mark.line
    if mark.column > lines.indent(here):
        return Position(here + 1, mark.column + 1), (
            "more follows a value that is already complete on this line (a quoted text, or a "
            "list or mapping in brackets): put the whole value in quotes, or remove what follows"
        )
    above = lines.previous(here)
    if above is None:
        return None
    if lines.has_value(above) and lines.indent(here) > lines.holds_from(above):
        return _deeper(lines, here, above)
    if lines.is_item(here):
        return _misplaced_item(lines, here)
    return _misplaced_key(lines, here, above)


def _misplaced_item(lines: _Lines, here: int) -> tuple[Position, str]:
    """A list item at a column where no list of the lines above has its items."""
    indent = lines.indent(here)
    items = [i for i in range(here) if lines.is_content(i) and lines.is_item(i)]
    position = Position(here + 1, indent + 1)
    if not items:
        return position, (
            "this list item stands where a key is expected: put it under a key ending with a "
            "colon, indented deeper than that key"
        )
    near = lines.nearest_item(items, indent)
    column = lines.indent(near) + 1
    return position, (
        f"this list item is indented differently from the list item on line {near + 1} "
        f"(column {column}): the - of the items of one list line up; move this one to "
        f"column {column}"
    )


def _misplaced_key(lines: _Lines, here: int, above: int) -> Diagnosis:
    """A key between the columns of the mappings above it, or at the column of a list's -."""
    indent = lines.indent(here)
    position = Position(here + 1, indent + 1)
    holder = next((i for i in lines.above(here) if lines.indent(i) <= indent), None)
    if holder is not None and lines.is_item(holder) and lines.indent(holder) == indent:
        return position, (
            f"this key stands at the column of the - of the list item on line {holder + 1}, "
            "so it is neither a new item nor a key of that item: indent it to column "
            f"{lines.key_column(holder) + 1} to add it to the item, or start it with - for a "
            "new item"
        )
    sibling = lines.key_column(above) + 1
    if indent + 1 >= sibling:
        return None
    if holder is None:
        return position, (
            f"this line is indented less than the key above it (line {above + 1}, column "
            f"{sibling}), and the keys at the top of the file line up with the first one: "
            f"move it to column {sibling}, or start every top-level key at column 1"
        )
    column = lines.indent(holder) + 1
    if lines.is_item(holder):  # its column holds the item's -, not a key
        outer, move = (
            f"the - of the list item that holds them (line {holder + 1}, column {column})",
            f"column {sibling}",
        )
    else:
        outer = f"the key that holds them (line {holder + 1}, column {column})"
        move = f"column {sibling} or {column}"
    return position, (
        f"this line is indented less than the key above it (line {above + 1}, column "
        f"{sibling}) and more than {outer}, so it belongs to neither: keys of one mapping "
        f"line up; move it to {move}"
    )


_DIAGNOSES = (_tab, _reserved, _quote, _flow, _simple_key, _colon, _block)


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
