"""Reading one agency file (CSV, TSV, XLSX, JSON, JSONL) into typed tables.

``read_file`` is pure: it takes bytes and returns tables or raises
``FileFormatError``; writing to the store is the ingestion's business.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from connectors.base import DataType
from connectors.file_problems import FileFormatError, FileProblem, reject
from connectors.file_table import (
    ShapedTable,
    column_name,
    fill_row_labels,
    is_empty,
    shape_table,
)
from connectors.file_text import check_widths, decode_bytes, read_text_grid
from connectors.file_types import ColumnPlace, TypedColumn, type_column
from connectors.file_xlsx import Cell, read_workbook
from indonesian.numbers import parse_number

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt"})
SUFFIXES = frozenset({*TEXT_SUFFIXES, ".xlsx", ".json", ".jsonl", ".ndjson"})


@dataclass(frozen=True)
class ParsedColumn:
    name: str
    label: str
    data_type: DataType
    code_kind: str | None = None
    unit: str | None = None


@dataclass
class ParsedTable:
    """One table of a file: typed columns, rows and what reading it found."""

    file: str
    sheet: str | None
    title: str
    columns: list[ParsedColumn]
    rows: list[tuple[Any, ...]]
    row_numbers: list[int]
    problems: list[FileProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """Everything read from one file, with its checksum and detected format."""

    path: str
    checksum: str
    size: int
    format: str
    tables: list[ParsedTable]
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def problems(self) -> list[FileProblem]:
        return [problem for table in self.tables for problem in table.problems]


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ParsedFile:
    """Read ``path`` into tables.

    Returns a ``ParsedFile`` whose problems are warnings only. Raises
    ``FileFormatError`` with every error found (encoding, delimiter, ragged
    rows, no header), naming file, sheet, row, column and raw value.
    """
    data = path.read_bytes()
    name = str(path)
    suffix = path.suffix.lower()
    parsed = ParsedFile(name, checksum_of(data), len(data), suffix.lstrip("."), [])
    if suffix in TEXT_SUFFIXES:
        _read_text(parsed, data, encoding, delimiter)
    elif suffix == ".xlsx":
        _read_xlsx(parsed, data)
    elif suffix in (".json", ".jsonl", ".ndjson"):
        _read_json(parsed, data, encoding, lines=suffix != ".json")
    else:
        raise reject(
            name, f"unsupported file type {suffix!r}; use one of {sorted(SUFFIXES)}"
        )
    errors = [problem for problem in parsed.problems if problem.severity == "error"]
    if errors:
        raise FileFormatError(errors)
    return parsed


def _read_text(
    parsed: ParsedFile, data: bytes, encoding: str | None, delimiter: str | None
) -> None:
    grid = read_text_grid(data, parsed.path, encoding=encoding, delimiter=delimiter)
    parsed.encoding, parsed.delimiter = grid.encoding, grid.delimiter
    rows: list[list[Cell]] = [list(row) for row in grid.rows]
    shaped = _shape_or_reject(rows, grid.line_numbers, parsed.path, None)
    header_index = grid.line_numbers.index(shaped.header_row)
    ragged = check_widths(grid, parsed.path, header_index, len(shaped.labels))
    if ragged:
        raise FileFormatError(ragged)
    filled = fill_row_labels(shaped, _label_columns(shaped))
    parsed.tables.append(_typed_table(parsed.path, None, shaped, filled))


def _read_xlsx(parsed: ParsedFile, data: bytes) -> None:
    for sheet in read_workbook(data, parsed.path):
        shaped = shape_table(sheet.rows, sheet.row_numbers)
        if shaped is None:
            continue
        table = _typed_table(parsed.path, sheet.name, shaped, 0)
        table.problems[:0] = sheet.problems
        parsed.tables.append(table)
    if not parsed.tables:
        raise reject(parsed.path, "no sheet holds a table with a header row")


def _shape_or_reject(
    rows: list[list[Cell]], numbers: list[int], file: str, sheet: str | None
) -> ShapedTable:
    shaped = shape_table(rows, numbers)
    if shaped is None:
        raise reject(
            file, "no header row found: no row names most columns", sheet=sheet
        )
    return shaped


def _label_columns(shaped: ShapedTable) -> list[int]:
    """The first column when it looks like merged row labels saved as CSV: text
    in the first row, then each label once, with empty cells below it."""
    if not shaped.rows:
        return []
    first = shaped.rows[0][0]
    if is_empty(first) or not isinstance(first, str):
        return []
    labels = [row[0] for row in shaped.rows if not is_empty(row[0])]
    has_gaps = len(labels) < len(shaped.rows)
    return [0] if has_gaps and len(set(labels)) == len(labels) else []


def _typed_table(
    file: str, sheet: str | None, shaped: ShapedTable, filled: int
) -> ParsedTable:
    taken: set[str] = set()
    columns: list[ParsedColumn] = []
    typed: list[TypedColumn] = []
    for index, label in enumerate(shaped.labels):
        place = ColumnPlace(file, sheet, label, shaped.row_numbers)
        column = type_column([row[index] for row in shaped.rows], place)
        name = column_name(label, index, taken)
        columns.append(
            ParsedColumn(name, label, column.data_type, column.code_kind, column.unit)
        )
        typed.append(column)
    table = ParsedTable(
        file=file,
        sheet=sheet,
        title=shaped.title,
        columns=columns,
        rows=list(zip(*(column.values for column in typed), strict=True)),
        row_numbers=shaped.row_numbers,
        problems=[problem for column in typed for problem in column.problems],
        counts={**shaped.counts, "filled_row_labels": filled},
    )
    table.problems.extend(_check_totals(table, shaped))
    return table


def _check_totals(table: ParsedTable, shaped: ShapedTable) -> list[FileProblem]:
    """A warning for each totals-row value that is not the sum of the rows above it."""
    problems: list[FileProblem] = []
    block_start = 0
    for total_row, cells in shaped.total_rows:
        above = [i for i, n in enumerate(table.row_numbers) if n < total_row]
        block = [i for i in above if table.row_numbers[i] > block_start]
        for index, column in enumerate(table.columns):
            if column.data_type not in ("integer", "bigint", "decimal"):
                continue
            stated = _number(cells[index])
            if stated is None:
                continue
            sums = [_sum(table.rows, rows, index) for rows in (block, above)]
            if not any(abs(stated - total) <= Decimal("0.01") for total in sums):
                problems.append(
                    FileProblem(
                        file=table.file,
                        sheet=table.sheet,
                        row=total_row,
                        column=column.label,
                        value=str(cells[index]),
                        severity="warning",
                        message=f"totals row states {stated} but the rows above sum "
                        f"to {sums[0]}; the totals row is not loaded",
                    )
                )
        block_start = total_row
    return problems


def _number(cell: Cell) -> Decimal | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return Decimal(str(cell))
    reading = parse_number(str(cell)) if isinstance(cell, str) else None
    return reading.value if reading else None


def _sum(rows: Sequence[tuple[Any, ...]], indexes: list[int], column: int) -> Decimal:
    total = Decimal(0)
    for index in indexes:
        value = rows[index][column]
        if value is not None:
            total += Decimal(str(value))
    return total


def _read_json(
    parsed: ParsedFile, data: bytes, encoding: str | None, *, lines: bool
) -> None:
    text = decode_bytes(data, parsed.path, encoding).text.removeprefix("\ufeff")
    parsed.encoding = encoding or "utf-8"
    records, numbers = _json_records(text, parsed.path, lines=lines)
    labels = list(dict.fromkeys(key for record in records for key in record))
    rows: list[list[Cell]] = [
        [_json_cell(record.get(label)) for label in labels] for record in records
    ]
    shaped = ShapedTable(labels=labels, rows=rows, row_numbers=numbers, header_row=0)
    shaped.counts = {"data_rows": len(rows)}
    parsed.tables.append(_typed_table(parsed.path, None, shaped, 0))


def _json_records(
    text: str, file: str, *, lines: bool
) -> tuple[list[dict[str, Any]], list[int]]:
    if lines:
        records, numbers = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                records.append(_json_object(line, file, number))
                numbers.append(number)
        return records, numbers
    document = _json_value(text, file, 1)
    if isinstance(document, dict):
        document = next((v for v in document.values() if isinstance(v, list)), None)
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise reject(
            file, "a JSON file must hold an array of objects (or an object with one)"
        )
    return document, list(range(1, len(document) + 1))


def _json_object(line: str, file: str, number: int) -> dict[str, Any]:
    value = _json_value(line, file, number)
    if not isinstance(value, dict):
        raise reject(
            file, "each JSON line must be an object", row=number, value=line[:120]
        )
    return value


def _json_value(text: str, file: str, row: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise reject(
            file,
            f"invalid JSON: {error.msg}",
            row=row + error.lineno - 1,
            value=text[:120],
        ) from error


def _json_cell(value: Any) -> Cell:
    """Scalars as the file wrote them (numbers as text keep their digits)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
