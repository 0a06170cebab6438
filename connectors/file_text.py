"""Decoding delimited text files: the encoding, the delimiter and the raw grid.

Agencies save CSV from Excel on Windows (Windows-1252), from LibreOffice or
programs (UTF-8), sometimes with a byte-order mark. Decoding is strict: a byte
that does not belong to the encoding rejects the file with its row named, so
that no letter is ever replaced or dropped.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from dataclasses import dataclass

from connectors.file_problems import FileFormatError, FileProblem, reject

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_ROWS = 200
UTF8_BOM = b"\xef\xbb\xbf"
# Python's csv refuses values over 128 KiB by default; agencies' memo columns
# can be longer. Beyond this the row is reported instead.
FIELD_SIZE_LIMIT = 16 * 1024 * 1024

csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


@dataclass(frozen=True)
class TextGrid:
    """Rows of cells as text, each with its 1-based line number in the file."""

    rows: list[list[str]]
    line_numbers: list[int]
    encoding: str
    delimiter: str


def decode_bytes(data: bytes, file: str, claimed: str | None = None) -> DecodedText:
    """The text of ``data`` in the claimed encoding, or in the detected one.

    Detection tries UTF-8 (with or without BOM), then Windows-1252. Raises
    ``FileFormatError`` naming the row of the first byte that does not decode.
    """
    if claimed:
        return _decode_strictly(data, file, claimed)
    if data.startswith(UTF8_BOM):
        return _decode_strictly(data, file, "utf-8-sig")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _decode_strictly(data, file, "windows-1252")


def _decode_strictly(data: bytes, file: str, encoding: str) -> DecodedText:
    try:
        return DecodedText(data.decode(encoding), encoding)
    except LookupError as error:
        raise reject(file, f"unknown encoding {encoding!r}", value=encoding) from error
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raw = data[line_start : data.find(b"\n", error.start)]
        raise reject(
            file,
            f"byte {data[error.start]:#04x} at offset {error.start} is not valid "
            f"{encoding}; save the file as UTF-8 or name its real encoding",
            row=row,
            value=raw.decode("latin-1")[:120],
        ) from error


def detect_delimiter(text: str, file: str, preferred: str | None = None) -> str:
    """The delimiter that splits the sample into the most consistent columns.

    Raises ``FileFormatError`` when every candidate yields a single column.
    """
    candidates = (preferred, *DELIMITERS) if preferred else DELIMITERS
    best: tuple[int, int, str] | None = None
    for delimiter in dict.fromkeys(candidates):
        width, agreeing = _consistency(text, delimiter)
        score = (agreeing, width, delimiter)
        if width > 1 and (best is None or score[:2] > best[:2]):
            best = score
    if best is None:
        raise reject(
            file,
            "no delimiter (comma, semicolon, tab, pipe) splits the rows into more "
            "than one column",
            row=1,
            value=text.splitlines()[0][:120] if text else "",
        )
    return best[2]


def _consistency(text: str, delimiter: str) -> tuple[int, int]:
    """The most common width of multi-cell rows, and how many rows have it."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    widths: Counter[int] = Counter()
    rows = itertools.islice(reader, SAMPLE_ROWS)
    try:
        for row in rows:
            filled = _trim_trailing_empty(row)
            if len(filled) > 1:
                widths[len(row)] += 1
    except csv.Error:
        pass  # the sample ends here; _split reports the row if it is chosen
    if not widths:
        return 1, 0
    width, count = widths.most_common(1)[0]
    return width, count


def read_text_grid(
    data: bytes, file: str, *, encoding: str | None = None, delimiter: str | None = None
) -> TextGrid:
    """Decode and split a delimited file; rows keep their line numbers."""
    decoded = decode_bytes(data, file, encoding)
    text = decoded.text.removeprefix("\ufeff")
    chosen = delimiter or detect_delimiter(text, file, _preferred(file))
    rows, lines = _split(text, file, chosen)
    return TextGrid(rows, lines, decoded.encoding, chosen)


def _preferred(file: str) -> str | None:
    return "\t" if file.lower().endswith((".tsv", ".tab")) else None


def _split(text: str, file: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise reject(file, f"unreadable CSV: {error}", row=start) from error
    if rows:
        _check_last_quote(text, file, delimiter, lines[-1])
    return rows, lines


def _check_last_quote(text: str, file: str, delimiter: str, line: int) -> None:
    """Reject a quote that opens on ``line`` (the last row's) and never closes.

    The lenient reader would take the rest of the file as one value; only the
    last row can hold such a quote, so only it is read again strictly.
    """
    tail = "".join(itertools.islice(io.StringIO(text, newline=""), line - 1, None))
    try:
        for _row in csv.reader(
            io.StringIO(tail, newline=""), delimiter=delimiter, strict=True
        ):
            pass
    except csv.Error as error:
        if "unexpected end of data" not in str(error):
            return  # a stray quote inside a value: the lenient reading stands
        raise reject(
            file,
            f"a quote opened on line {line} is never closed, so the rest of the "
            'file would be one value; close the quote or double it ("")',
            row=line,
            value=tail.splitlines()[0][:120] if tail else "",
        ) from error


def check_widths(
    grid: TextGrid, file: str, header_index: int, width: int
) -> list[FileProblem]:
    """Problems for rows below the header whose cell count differs from the header's."""
    problems: list[FileProblem] = []
    for row, line in zip(
        grid.rows[header_index + 1 :],
        grid.line_numbers[header_index + 1 :],
        strict=True,
    ):
        filled = _trim_trailing_empty(row)
        too_long = len(filled) > width
        # A lone cell below the table is a footnote ("Sumber: BPS"), not a short row.
        too_short = len(row) < width and len(filled) > 1
        if too_long or too_short:
            problems.append(_ragged(file, line, row, width, grid.delimiter))
    return problems


def _ragged(
    file: str, line: int, row: list[str], width: int, delimiter: str
) -> FileProblem:
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    return FileProblem(
        file=file,
        row=line,
        message=f"row has {len(row)} cells where the header has {width} "
        f"(delimiter {shown!r}); a value probably contains an unquoted delimiter",
        value=delimiter.join(row)[:160],
    )


def _trim_trailing_empty(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


__all__ = [
    "DecodedText",
    "FileFormatError",
    "TextGrid",
    "check_widths",
    "decode_bytes",
    "detect_delimiter",
    "read_text_grid",
]
