"""CSV rows as cases: the column mapping of `hembesok batch` (documented in docs/batch.md).

A journal's export is a table, a case is a tree; the header names each column by the
dotted path of the case field it fills (`child.birth_date`, `first_child.either_parent`).
An empty cell leaves the field out, so the fact is unknown rather than false. Cells are
turned into JSON types here and the case schema checks the result, so a CSV case is held
to exactly the contract a JSON case is. Problems point at the row's line and the cell's
column, name the column, and never quote a cell.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hembesok.io.documents import Document, JsonPath, Position
from hembesok.io.problems import InvalidDocument, Problem, json_path

TEXT, INTEGER, NUMBER, BOOLEAN, LIST, VISITS, DOSES = (
    "text",
    "integer",
    "number",
    "boolean",
    "list",
    "visits",
    "doses",
)

#: Every column a header may name besides `facts.NAME`, with the kind of its cells.
COLUMNS: dict[str, str] = {
    "case_ref": TEXT,
    "child.birth_date": TEXT,
    "child.gestational_age.weeks": INTEGER,
    "child.gestational_age.days": INTEGER,
    "child.identifier.system": TEXT,
    "child.identifier.value": TEXT,
    "listed_bvc": TEXT,
    "municipality": TEXT,
    "area": TEXT,
    "moved_in_on": TEXT,
    "first_child.either_parent": BOOLEAN,
    "first_child.both_parents": BOOLEAN,
    "first_child.birthing_parent": BOOLEAN,
    "first_child.born_in_sweden": BOOLEAN,
    "first_child.in_municipality": BOOLEAN,
    "needs_support": BOOLEAN,
    "declined": LIST,
    "visits_done": VISITS,
    "vaccinations_done": DOSES,
    "vaccinations_declined": LIST,
}
REQUIRED = "child.birth_date"
_FACT = re.compile(r"^facts\.([a-z][a-z0-9_]*)(?::(text|number|boolean))?$")
_TRUE = frozenset({"true", "yes", "ja", "1"})
_FALSE = frozenset({"false", "no", "nej", "0"})
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")

_NAME_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[.:][A-Za-z0-9_]+)*")
_NOT_SHOWN = "(not shown: it does not look like a column name)"

_MESSAGES = {
    BOOLEAN: "must be true or false (also accepted: yes/no, ja/nej, 1/0)",
    INTEGER: "must be a whole number",
    NUMBER: "must be a number",
    VISITS: "must list visits as program:visit:YYYY-MM-DD, separated by ';'",
    DOSES: "must list doses as vaccine:dose:YYYY-MM-DD (dose a whole number), separated by ';'",
}


@dataclass(frozen=True)
class Column:
    name: str  # as the header writes it
    path: JsonPath  # where the cell goes in the case
    kind: str
    index: int  # 0-based position in the row

    @property
    def json_path(self) -> str:
        return json_path(self.path)


@dataclass(frozen=True)
class CsvLayout:
    """The columns of one CSV file, checked once from its header."""

    source: str
    columns: tuple[Column, ...]

    @classmethod
    def from_header(cls, header: Sequence[str], source: str, line: int = 1) -> CsvLayout:
        """The layout of a header; raises InvalidDocument naming every unknown or repeated column.

        A header cell is quoted in a message only when the row is a header (it names at
        least one known column) and the cell looks like a column name: a first row that
        names no known column is taken for a record whose header is missing, and no cell
        of it is shown (an identity number, a name).
        """
        names = [raw.strip() for raw in header]
        if not any(_known(name) for name in names):
            raise InvalidDocument(
                [
                    Problem(
                        source,
                        line,
                        1,
                        "header",
                        "the first row names no known column, so it may be a record and its "
                        "cells are not shown: a CSV input starts with a header row naming the "
                        f"case field of each column, '{REQUIRED}' among them (see docs/batch.md)",
                    )
                ]
            )
        found: list[Problem] = []
        columns: list[Column] = []
        seen: set[str] = set()
        for index, name in enumerate(names):
            where = (source, line, index + 1, f"header column {index + 1}")
            shown = f"'{name}'" if _looks_like_a_name(name) else _NOT_SHOWN
            if name in seen:
                found.append(Problem(*where, f"column {shown} is named twice"))
                continue
            seen.add(name)
            fact = _FACT.match(name)
            if fact:
                path: JsonPath = ("facts", fact.group(1))
                columns.append(Column(name, path, fact.group(2) or TEXT, index))
            elif name in COLUMNS:
                columns.append(Column(name, tuple(name.split(".")), COLUMNS[name], index))
            else:
                guess = difflib.get_close_matches(name, list(COLUMNS), n=1, cutoff=0.6)
                hint = (
                    f"; did you mean '{guess[0]}'?"
                    if guess
                    else "; see docs/batch.md for the column names (facts.NAME for a region's own facts)"
                )
                found.append(Problem(*where, f"unknown column {shown}{hint}"))
        if REQUIRED not in seen:
            found.append(
                Problem(source, line, 1, "header", f"no column '{REQUIRED}': every case needs one")
            )
        if found:
            raise InvalidDocument(found)
        return cls(source, tuple(columns))

    def to_case(self, cells: Sequence[str], line: int) -> tuple[dict[str, Any], list[Problem]]:
        """The case a row holds, and the problems of its cells (the case is unusable if any)."""
        case: dict[str, Any] = {}
        found: list[Problem] = []
        for column in self.columns:
            cell = cells[column.index].strip() if column.index < len(cells) else ""
            if not cell:
                if column.name == REQUIRED:
                    found.append(
                        self._problem(
                            column, line, "must not be empty: every case needs a birth date"
                        )
                    )
                continue
            if not cell.isascii() and not _is_utf8(cell):
                found.append(self._problem(column, line, "is not UTF-8 text"))
                continue
            value = _convert(cell, column.kind)
            if value is None:
                found.append(self._problem(column, line, _MESSAGES[column.kind]))
                continue
            _put(case, column.path, value)
        extra = len(cells) - len(self.columns)
        if extra > 0 and any(c.strip() for c in cells[len(self.columns) :]):
            first = len(self.columns) + 1
            found.append(
                Problem(
                    self.source,
                    line,
                    first,
                    f"cell {first}",
                    "the row has more cells than the header has columns",
                )
            )
        return case, found

    def document(self, case: dict[str, Any], line: int) -> Document:
        """The case as a Document whose every path points at its cell (for schema problems)."""
        positions: dict[JsonPath, Position] = {(): Position(line, 1)}
        for column in self.columns:
            where = Position(line, column.index + 1)
            for depth in range(len(column.path), 0, -1):
                positions.setdefault(column.path[:depth], where)
        return Document(self.source, case, positions)

    def field_of(self, problem: Problem) -> str:
        """The column a problem is about (the longest column path it lies under)."""
        best: Column | None = None
        for column in self.columns:
            path = column.json_path
            under = problem.path == path or problem.path.startswith((path + ".", path + "["))
            if under and (best is None or len(column.path) > len(best.path)):
                best = column
        if best is not None:
            return best.name
        return problem.path[2:] if problem.path.startswith("$.") else problem.path

    def _problem(self, column: Column, line: int, message: str) -> Problem:
        return Problem(self.source, line, column.index + 1, column.json_path, message)


def _known(name: str) -> bool:
    return name in COLUMNS or _FACT.match(name) is not None


def _looks_like_a_name(name: str) -> bool:
    """A header cell that may be quoted: letters, digits, `_`, `.` and `:`, starting with a
    letter, never a date, a number or an identity number."""
    return len(name) <= 64 and _NAME_LIKE.fullmatch(name) is not None


def _is_utf8(cell: str) -> bool:
    try:
        cell.encode("utf-8")
    except UnicodeEncodeError:  # a byte that was not UTF-8, kept as a lone surrogate
        return False
    return True


def _convert(cell: str, kind: str) -> Any:
    """The JSON value of a non-empty cell, or None when it cannot be one of its kind."""
    if kind == TEXT:
        return cell
    if kind == BOOLEAN:
        word = cell.casefold()
        return True if word in _TRUE else False if word in _FALSE else None
    if kind == INTEGER:
        return int(cell) if _INTEGER.match(cell) else None
    if kind == NUMBER:
        if _INTEGER.match(cell):
            return int(cell)
        return float(cell) if _NUMBER.match(cell) else None
    if kind == LIST:
        return [part.strip() for part in cell.split(";") if part.strip()]
    items: list[dict[str, Any]] = []
    for part in (p.strip() for p in cell.split(";")):
        if not part:
            continue
        pieces = [p.strip() for p in part.split(":")]
        if len(pieces) != 3:
            return None
        if kind == VISITS:
            items.append({"program": pieces[0], "visit": pieces[1], "date": pieces[2]})
        elif _INTEGER.match(pieces[1]) and len(pieces[1]) < 4:
            items.append({"vaccine": pieces[0], "dose": int(pieces[1]), "date": pieces[2]})
        else:
            return None
    return items


def _put(case: dict[str, Any], path: JsonPath, value: Any) -> None:
    node = case
    for key in path[:-1]:
        node = node.setdefault(str(key), {})
    node[str(path[-1])] = value
