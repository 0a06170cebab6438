"""Reading Excel workbooks (XLSX) into grids of cells, merged ranges filled.

Excel keeps 15 significant digits of a number: a NIK or account number typed
into a numeric cell has lost its last digits before we ever see it, so such
cells are flagged and never trusted. Merged cells hold their value only in the
top-left cell; every cell of a merged range gets that value here, which turns
merged two-row headers and merged row labels into plain grids.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from connectors.file_problems import FileProblem, reject

Cell = str | int | float | bool | date | datetime | None
# Excel stores IEEE doubles shown with 15 significant digits; from 16 digits on
# an integer in a numeric cell may have been rounded.
LARGEST_EXACT_INTEGER = 10**15


@dataclass
class SheetGrid:
    """The cells of one sheet; ``row_numbers`` are Excel's own (1-based)."""

    name: str
    rows: list[list[Cell]]
    row_numbers: list[int]
    problems: list[FileProblem] = field(default_factory=list)


def read_workbook(data: bytes, file: str) -> list[SheetGrid]:
    """Every non-empty worksheet of an XLSX file as a grid.

    Raises ``FileFormatError`` when the bytes are not a readable workbook.
    """
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise reject(file, f"not a readable XLSX workbook: {error}") from error
    try:
        sheets = [_read_sheet(sheet, file) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    return [sheet for sheet in sheets if sheet.rows]


def _read_sheet(sheet: Any, file: str) -> SheetGrid:
    grid = SheetGrid(name=sheet.title, rows=[], row_numbers=[])
    merged = _merged_values(sheet)
    for row in sheet.iter_rows():
        cells = [_cell_value(cell, merged, grid, file) for cell in row]
        grid.rows.append(cells)
        grid.row_numbers.append(row[0].row if row else len(grid.rows))
    return grid


def _merged_values(sheet: Any) -> dict[tuple[int, int], Any]:
    """(row, column) → the value of the merged range that covers the cell."""
    values: dict[tuple[int, int], Any] = {}
    for cells_range in sheet.merged_cells.ranges:
        top_left = sheet.cell(cells_range.min_row, cells_range.min_col)
        for row in range(cells_range.min_row, cells_range.max_row + 1):
            for column in range(cells_range.min_col, cells_range.max_col + 1):
                values[(row, column)] = top_left
    return values


def _cell_value(
    cell: Any, merged: dict[tuple[int, int], Any], grid: SheetGrid, file: str
) -> Cell:
    source = merged.get((cell.row, cell.column), cell)
    value = source.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _checked_integer(value, source, grid, file)
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else value
    if isinstance(value, str):
        return value
    if isinstance(value, float | bool | date):
        return value
    return None if value is None else str(value)


def _checked_integer(value: int, cell: Any, grid: SheetGrid, file: str) -> Cell:
    if abs(value) >= LARGEST_EXACT_INTEGER:
        grid.problems.append(
            FileProblem(
                file=file,
                sheet=grid.name,
                row=cell.row,
                column=cell.coordinate,
                value=str(value),
                severity="warning",
                message="a numeric cell with 16 or more digits has lost its last "
                "digits in Excel; the value is not loaded: format the column as "
                "Text and type the number again",
            )
        )
        return None
    zeros = str(cell.number_format or "")
    if zeros and set(zeros) == {"0"} and len(zeros) > len(str(value)):
        return str(value).zfill(len(zeros))
    return value
