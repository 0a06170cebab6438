"""Finding the table inside a grid: title rows, the header, data rows, totals rows.

Agency spreadsheets are made for printing: a title and a subtitle above the
header, a header over two rows whose upper cells are merged ("Jumlah
Penduduk" over "Laki-laki" and "Perempuan"), row labels merged down a group,
a "Jumlah" row at the bottom, and empty rows after it. This module turns such
a grid into one header row and the data rows beneath it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from connectors.file_xlsx import Cell

TOTAL_LABEL = re.compile(
    r"^\s*(?:grand\s+total|sub\s*total|total|jumlah(?:\s+total)?|jml\.?)\s*[:.]?\s*"
    r"(?:seluruhnya|keseluruhan|kab(?:upaten)?\.?|kota)?\s*$",
    re.IGNORECASE,
)
NUMBER_LIKE = re.compile(r"^[\s+-]*(?:rp\.?\s*)?[\d.,]+\s*%?$", re.IGNORECASE)
YEAR = re.compile(r"^(?:19|20)\d{2}$")


@dataclass
class ShapedTable:
    """The header (one name per column) and the data rows below it."""

    labels: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]
    header_row: int
    title: str = ""
    total_rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def shape_table(rows: list[list[Cell]], row_numbers: list[int]) -> ShapedTable | None:
    """The table in ``rows``, or ``None`` when the grid holds no header."""
    kept = [
        (cells, number)
        for cells, number in zip(rows, row_numbers, strict=True)
        if not all(is_empty(cell) for cell in cells)
    ]
    if not kept:
        return None
    width = _common_width(kept)
    header_at = _find_header(kept, width)
    if header_at is None:
        return None
    return _build(kept, header_at, width, empty=len(rows) - len(kept))


def _filled_width(cells: list[Cell]) -> int:
    end = len(cells)
    while end and is_empty(cells[end - 1]):
        end -= 1
    return end


def _common_width(kept: list[tuple[list[Cell], int]]) -> int:
    """The width most rows fill; a few long (ragged) rows must not set it."""
    widths = Counter(_filled_width(cells) for cells, _ in kept)
    multi = [(count, width) for width, count in widths.items() if width > 1]
    return max(multi)[1] if multi else max(widths)


def _find_header(kept: list[tuple[list[Cell], int]], width: int) -> int | None:
    """The first row that fills most of the width with text labels."""
    for index, (cells, _number) in enumerate(kept):
        filled = [cell for cell in cells[:width] if not is_empty(cell)]
        labels = [cell for cell in filled if _is_header_cell(cell)]
        words = [cell for cell in filled if _is_label(cell)]
        enough = len(filled) >= max(2, (width + 1) // 2)
        # A title merged across the width repeats one value in every cell.
        distinct = len({str(cell) for cell in filled}) > 1
        if enough and distinct and words and 2 * len(labels) >= len(filled):
            return index
    return None


def _is_label(cell: Cell) -> bool:
    return isinstance(cell, str) and not NUMBER_LIKE.match(cell)


def _is_header_cell(cell: Cell) -> bool:
    """A word, or a year: headers often name one column per year."""
    return _is_label(cell) or (
        isinstance(cell, str | int) and bool(YEAR.match(str(cell).strip()))
    )


def _build(
    kept: list[tuple[list[Cell], int]], header_at: int, width: int, empty: int
) -> ShapedTable:
    titles = [_text(cell) for cells, _ in kept[:header_at] for cell in cells]
    width = max(width, _filled_width(kept[header_at][0]))
    header = _pad(kept[header_at][0], width)
    body = kept[header_at + 1 :]
    second = _second_header_row(header, body, width)
    if second is not None:
        header = _merge_headers(header, second)
        body = body[1:]
    table = ShapedTable(
        labels=[_text(cell) for cell in header],
        rows=[],
        row_numbers=[],
        header_row=kept[header_at][1],
        title=" ".join(dict.fromkeys(title for title in titles if title)),
    )
    _split_totals(table, body, width)
    table.counts = {
        "title_rows": header_at,
        "header_rows": 2 if second is not None else 1,
        "empty_rows": empty,
        "total_rows": len(table.total_rows),
        "data_rows": len(table.rows),
    }
    return table


def _second_header_row(
    header: list[Cell], body: list[tuple[list[Cell], int]], width: int
) -> list[Cell] | None:
    """The row under the header when it continues it (sub-labels under merged cells)."""
    if len(body) < 2:
        return None
    candidate = _pad(body[0][0], width)
    filled = [cell for cell in candidate if not is_empty(cell)]
    if not filled or not all(_is_header_cell(cell) for cell in filled):
        return None
    repeated = any(
        not is_empty(candidate[i])
        and (is_empty(header[i]) or header[i] == header[i - 1])
        for i in range(1, width)
    )
    next_row = _pad(body[1][0], width)
    data_below = any(not _is_label(cell) for cell in next_row if not is_empty(cell))
    return candidate if repeated and data_below else None


def _merge_headers(top: list[Cell], bottom: list[Cell]) -> list[Cell]:
    """One label per column: the upper label (carried right over its merged span)
    followed by the lower one."""
    merged: list[Cell] = []
    carried = ""
    for upper, lower in zip(top, bottom, strict=True):
        if not is_empty(upper):
            carried = _text(upper)
        elif is_empty(lower):
            carried = ""
        above = _text(upper) or (carried if not is_empty(lower) else "")
        below = _text(lower)
        if above and below and above != below:
            merged.append(f"{above} {below}")
        else:
            merged.append(above or below)
    return merged


def _split_totals(
    table: ShapedTable, body: list[tuple[list[Cell], int]], width: int
) -> None:
    for cells, number in body:
        padded = _pad(cells, width)
        if _is_total_row(padded):
            table.total_rows.append((number, padded))
        else:
            table.rows.append(padded)
            table.row_numbers.append(number)


def _is_total_row(cells: list[Cell]) -> bool:
    """A row whose leading label says total and whose other cells are numbers."""
    texts = [cell for cell in cells if isinstance(cell, str) and cell.strip()]
    words = [cell for cell in texts if not NUMBER_LIKE.match(cell)]
    return len(words) == 1 and bool(TOTAL_LABEL.match(words[0]))


def fill_row_labels(table: ShapedTable, columns: list[int]) -> int:
    """Fill empty cells of label ``columns`` with the label above; returns how many."""
    filled = 0
    for column in columns:
        above: Cell = None
        for cells in table.rows:
            if is_empty(cells[column]) and above is not None:
                cells[column] = above
                filled += 1
            else:
                above = cells[column]
    return filled


def _pad(cells: list[Cell], width: int) -> list[Cell]:
    return list(cells[:width]) + [None] * (width - len(cells))


def _text(cell: Cell) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def column_name(label: str, position: int, taken: set[str]) -> str:
    """A SQL- and GraphQL-safe snake_case name for a header label, unique in ``taken``."""
    ascii_label = (
        unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    )
    name = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:60]
    if not name:
        name = f"kolom_{position + 1}"
    if name[0].isdigit():
        name = f"k_{name}"
    unique, suffix = name, 2
    while unique in taken:
        unique, suffix = f"{name}_{suffix}", suffix + 1
    taken.add(unique)
    return unique
