"""Reading the Kemendagri region-code dumps (MySQL ``INSERT`` statements) of cahyadsn/wilayah.

The files are SQL, but only their ``INSERT INTO t (cols) VALUES (...), ...;``
statements matter; they are tokenised here rather than executed, so no SQL
from a file ever runs against the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from connectors.file_problems import reject

_INSERT = re.compile(
    r"INSERT\s+INTO\s+`?(?P<table>\w+)`?\s*\((?P<columns>[^)]*)\)\s*VALUES\s*",
    re.IGNORECASE,
)
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^'\\]|''|\\.)*')|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<null>NULL)|(?P<punct>[(),;]))",
    re.IGNORECASE,
)
_EDITION_IN_NAME = re.compile(r"_(\d{4})$")
_EDITION_IN_HEADER = re.compile(r"Tahun\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class SqlRow:
    table: str
    values: dict[str, Any]
    line: int


def read_insert_rows(text: str, file: str) -> Iterator[SqlRow]:
    """Every row of every ``INSERT`` statement, with the line it starts on.

    Raises ``FileFormatError`` naming the line of a tuple that does not parse
    or whose arity differs from the column list.
    """
    for statement in _INSERT.finditer(text):
        table = statement.group("table")
        columns = [name.strip(" `") for name in statement.group("columns").split(",")]
        yield from _tuples(text, statement.end(), table, columns, file)


def _tuples(
    text: str, position: int, table: str, columns: list[str], file: str
) -> Iterator[SqlRow]:
    values: list[Any] = []
    # Lines are counted incrementally: counting from the file start per row is quadratic.
    line, counted_to = text.count("\n", 0, position) + 1, position
    while True:
        match = _TOKEN.match(text, position)
        if match is None:
            line += text.count("\n", counted_to, position)
            raise reject(
                file,
                "unreadable SQL value",
                row=line,
                value=text[position : position + 60],
            )
        position = match.end()
        punct = match.group("punct")
        if punct == "(":
            values = []
            line += text.count("\n", counted_to, match.end())
            counted_to = match.end()
        elif punct == ")":
            yield _row(table, columns, values, file, line)
        elif punct == ";":
            return
        elif punct is None:
            values.append(_literal(match))


def _row(
    table: str, columns: list[str], values: list[Any], file: str, line: int
) -> SqlRow:
    if len(values) != len(columns):
        raise reject(
            file,
            f"a row of {table} has {len(values)} values for {len(columns)} columns",
            row=line,
            value=repr(values)[:120],
        )
    return SqlRow(table, dict(zip(columns, values, strict=True)), line)


def _literal(match: re.Match[str]) -> Any:
    if match.group("string") is not None:
        body = match.group("string")[1:-1]
        return body.replace("''", "'").replace("\\'", "'")
    if match.group("number") is not None:
        number = match.group("number")
        return float(number) if "." in number else int(number)
    return None


def find_edition(text: str, table: str) -> str | None:
    """The year of the code list: from the table name ("wilayah_2020") or the header note."""
    named = _EDITION_IN_NAME.search(table)
    if named:
        return named.group(1)
    noted = _EDITION_IN_HEADER.search(text[:4000])
    return noted.group(1) if noted else None
