"""Column types of agency files, inferred with Indonesian formats, and the values.

A column gets the narrowest type that reads every non-empty value:
identifier (kept as text), boolean ("Ya"/"Tidak"), date, date-time, integer,
decimal, else text. Numbers may be written the Indonesian way ("1.234,5"),
with "Rp" or "%"; the decimal mark is decided per column. A column that is
numeric but for a few values stays text, and each odd value is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from connectors.base import DataType
from connectors.file_problems import FileProblem
from connectors.file_xlsx import Cell
from indonesian.booleans import parse_boolean
from indonesian.dates import parse_date, parse_datetime
from indonesian.identifiers import detect_identifier_kind, strip_float_artefact
from indonesian.numbers import find_decimal_separator, parse_number

NULL_TOKENS = frozenset({"", "-", "–", "—", "na", "n/a", "null", "none", "#n/a", "nan"})
LARGEST_INTEGER = 2**63 - 1
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# Below this share of readable values a column is text, not a dirty number column.
DIRTY_NUMBER_SHARE = 0.9
MAX_REPORTED_VALUES = 20
UNIT_NAMES = {"rupiah": "rupiah", "percent": "persen"}


@dataclass
class TypedColumn:
    """A column's inferred type and its values converted to Python objects."""

    data_type: DataType
    values: list[Any]
    code_kind: str | None = None
    unit: str | None = None
    problems: list[FileProblem] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnPlace:
    """Where a column lives, for naming it in problems."""

    file: str
    sheet: str | None
    label: str
    row_numbers: Sequence[int]


def type_column(cells: Sequence[Cell], place: ColumnPlace) -> TypedColumn:
    """Infer the type of one column and convert its cells."""
    texts = [_as_text(cell) for cell in cells]
    present = [text for text in texts if text is not None]
    if not present:
        return TypedColumn("text", [None] * len(cells))
    kind = detect_identifier_kind(place.label, present)
    if kind is not None:
        return _identifier_column(texts, kind, place)
    if _has_native_values(cells):
        return _native_column(cells, texts, place)
    return _text_column(texts, present, place)


def _as_text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    text = cell.isoformat() if isinstance(cell, date) else str(cell).strip()
    return None if text.lower() in NULL_TOKENS else text


def _identifier_column(
    texts: list[str | None], kind: str, place: ColumnPlace
) -> TypedColumn:
    values = [None if text is None else strip_float_artefact(text) for text in texts]
    return TypedColumn("text", values, code_kind=kind)


def _has_native_values(cells: Sequence[Cell]) -> bool:
    return any(isinstance(cell, int | float | date) for cell in cells)


def _native_column(
    cells: Sequence[Cell], texts: list[str | None], place: ColumnPlace
) -> TypedColumn:
    """A workbook column: numbers and dates arrive typed, text cells are parsed."""
    strings = [cell for cell in cells if isinstance(cell, str) and _as_text(cell)]
    if strings:
        return _text_column(texts, [t for t in texts if t is not None], place)
    if all(isinstance(cell, datetime | None) for cell in cells):
        return TypedColumn("datetime", [cell or None for cell in cells])
    if all(isinstance(cell, date | None) for cell in cells):
        return TypedColumn("date", list(cells))
    if all(isinstance(cell, int | None) for cell in cells):
        return TypedColumn(integer_type(cells), list(cells))
    if all(isinstance(cell, int | float | None) for cell in cells):
        return TypedColumn("decimal", [_float(cell) for cell in cells])
    return TypedColumn("text", texts)


def _float(cell: Cell) -> float | None:
    return None if cell is None else float(cell)  # type: ignore[arg-type]


def _text_column(
    texts: list[str | None], present: list[str], place: ColumnPlace
) -> TypedColumn:
    if _keeps_digits(present):
        return TypedColumn("text", texts)
    for data_type, parse in _PARSERS:
        if all(parse(text) is not None for text in present):
            return TypedColumn(data_type, [_apply(parse, text) for text in texts])
    return _number_or_text(texts, present, place)


def _keeps_digits(present: list[str]) -> bool:
    """Leading zeros ("007") and 16+ digit numbers are identifiers, never numbers."""
    for text in present:
        digits = text.lstrip("+-")
        if digits.isdigit() and (
            len(digits) >= 16 or (len(digits) > 1 and digits[0] == "0")
        ):
            return True
    return False


def _apply(parse: Callable[[str], Any], text: str | None) -> Any:
    return None if text is None else parse(text)


_PARSERS: tuple[tuple[DataType, Callable[[str], Any]], ...] = (
    ("boolean", parse_boolean),
    ("date", parse_date),
    ("datetime", parse_datetime),
)


def _number_or_text(
    texts: list[str | None], present: list[str], place: ColumnPlace
) -> TypedColumn:
    separator = find_decimal_separator(present)
    if separator is None:
        return TypedColumn("text", texts)
    readings = [None if t is None else parse_number(t, separator) for t in texts]
    failures = [
        (index, text)
        for index, (text, reading) in enumerate(zip(texts, readings, strict=True))
        if text is not None and reading is None
    ]
    if failures:
        return _dirty_numbers(texts, present, failures, place)
    numbers = [reading.value if reading else None for reading in readings]
    units = {reading.unit for reading in readings if reading}
    unit = UNIT_NAMES.get(units.pop() or "") if len(units) == 1 else None
    if all(_fits_integer(value) for value in numbers):
        integers = [_int(value) for value in numbers]
        return TypedColumn(integer_type(integers), integers, unit=unit)
    return TypedColumn("decimal", [_decimal(value) for value in numbers], unit=unit)


def integer_type(values: Sequence[object]) -> DataType:
    """``integer`` when every value fits 32 bits (GraphQL's Int), else ``bigint``."""
    fits = all(
        not isinstance(value, int) or INT32_MIN <= value <= INT32_MAX
        for value in values
    )
    return "integer" if fits else "bigint"


def _fits_integer(value: Decimal | None) -> bool:
    if value is None:
        return True
    return value == value.to_integral_value() and abs(value) <= LARGEST_INTEGER


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _decimal(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _dirty_numbers(
    texts: list[str | None],
    present: list[str],
    failures: list[tuple[int, str]],
    place: ColumnPlace,
) -> TypedColumn:
    """Text, and a warning per odd value when the column is numbers but for a few."""
    column = TypedColumn("text", texts)
    if 1 - len(failures) / len(present) < DIRTY_NUMBER_SHARE:
        return column
    for index, text in failures[:MAX_REPORTED_VALUES]:
        column.problems.append(
            FileProblem(
                file=place.file,
                sheet=place.sheet,
                row=place.row_numbers[index],
                column=place.label,
                value=text,
                severity="warning",
                message="not a number in a column of numbers; the column is "
                "kept as text",
            )
        )
    return column
