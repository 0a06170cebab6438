"""Reading social-media exports (CSV, JSON, JSONL) into ``RawPost`` with a profile.

Files are read whole: exports of a few hundred thousand posts fit in memory, and
reading first lets ingestion be atomic per run. CSV files that are not UTF-8 are
read as cp1252 (what spreadsheet exports of Indonesian tweets usually are), and
the encoding used is reported.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.social_profiles import SocialProfile, get_profile, guess_profile
from connectors.social_records import RawPost, SocialInputError
from indonesian import TimeParseError
from indonesian.relative_time import parse_post_time, with_default_zone

FORMATS = ("csv", "json", "jsonl")
COUNT_FIELDS = ("likes", "shares", "replies", "views")
COUNT_SUFFIXES = {
    "k": 1_000,
    "rb": 1_000,
    "ribu": 1_000,
    "m": 1_000_000,
    "jt": 1_000_000,
}
COUNT_RE = re.compile(r"^([\d.,]+)\s*(k|rb|ribu|m|jt)?$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceFile:
    """The rows of one export file, with how they were read."""

    path: Path
    format: str
    encoding: str
    columns: tuple[str, ...]
    rows: list[tuple[int, Mapping[str, Any]]]  # (line or record number, row)


def detect_format(path: Path) -> str:
    """``csv``, ``json`` or ``jsonl`` from the suffix; raises ``SocialInputError``."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("ndjson", "jsonl"):
        return "jsonl"
    if suffix in ("csv", "tsv", "json"):
        return "csv" if suffix == "tsv" else suffix
    raise SocialInputError(
        f"unknown export format .{suffix}: expected .csv, .json or .jsonl",
        path=str(path),
    )


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the encoding that read it: UTF-8 (with or without BOM), else cp1252."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def read_csv_rows(
    text: str, path: Path
) -> tuple[tuple[str, ...], list[tuple[int, Mapping[str, Any]]]]:
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
    rows: list[tuple[int, Mapping[str, Any]]] = [
        (reader.line_num, row) for row in reader
    ]
    return tuple(reader.fieldnames or ()), rows


def read_json_rows(text: str, path: Path) -> list[tuple[int, Mapping[str, Any]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SocialInputError(
            f"invalid JSON: {error.msg}", path=str(path), line=error.lineno
        ) from error
    if isinstance(document, dict):
        document = next(
            (
                document[k]
                for k in ("data", "items", "posts", "results")
                if k in document
            ),
            [document],
        )
    if not isinstance(document, list):
        raise SocialInputError("JSON export must be a list of objects", path=str(path))
    return list(enumerate(document, start=1))


def read_jsonl_rows(text: str, path: Path) -> list[tuple[int, Mapping[str, Any]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            raise SocialInputError(
                f"invalid JSON line: {error.msg}", path=str(path), line=number
            ) from error
    return rows


def read_source_file(path: Path) -> SourceFile:
    """All rows of an export file; raises ``SocialInputError`` naming the line."""
    fmt = detect_format(path)
    try:
        text, encoding = decode_bytes(path.read_bytes())
    except OSError as error:
        raise SocialInputError(f"cannot read: {error}", path=str(path)) from error
    if fmt == "csv":
        columns, rows = read_csv_rows(text, path)
        return SourceFile(path, fmt, encoding, columns, rows)
    rows = read_json_rows(text, path) if fmt == "json" else read_jsonl_rows(text, path)
    columns = tuple(dict.fromkeys(key for _, row in rows[:200] for key in row))
    return SourceFile(path, fmt, encoding, columns, rows)


def lookup(row: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a (nested) row, or ``None``.

    A flat column whose name contains the dots (a CSV header "user.name") wins.
    """
    if path in row:
        return row[path]
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def first_value(
    row: Mapping[str, Any], profile: SocialProfile, field: str
) -> tuple[str | None, Any]:
    """The first non-missing value of ``field`` and the column it came from."""
    for source in profile.sources_of(field):
        value = lookup(row, source)
        if value is None or isinstance(value, Mapping | list):
            continue
        if str(value).strip() in profile.missing_values:
            continue
        return source, value
    return None, None


def parse_count(value: Any) -> int:
    """An engagement count: 12, "1.234", "1,2K", "10rb"; raises ``ValueError``."""
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip().lower()
    match = COUNT_RE.match(text)
    if match is None:
        raise ValueError("not an engagement count")
    number, suffix = match.groups()
    if suffix:
        return int(float(number.replace(",", ".")) * COUNT_SUFFIXES[suffix.lower()])
    return int(number.replace(".", "").replace(",", ""))


def parse_time(
    value: Any, profile: SocialProfile, clock: Any, *, now: datetime
) -> datetime:
    """An aware time from a value (epoch seconds, ISO, Indonesian text)."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        seconds = float(value)
        return datetime.fromtimestamp(
            seconds / 1000 if seconds > 1e11 else seconds, UTC
        )
    text = str(value).strip()
    if clock is not None and str(clock).strip() not in profile.missing_values:
        text = f"{text} {str(clock).strip()}"
    if profile.time_format:
        return with_default_zone(datetime.strptime(text, profile.time_format))
    return parse_post_time(text, now=now)


def extract_id(row: Mapping[str, Any], profile: SocialProfile, url: str | None) -> Any:
    _, value = first_value(row, profile, "post_id")
    if value is None and url and profile.id_pattern:
        match = re.search(profile.id_pattern, url)
        value = match.group(1) if match else None
    return value


def map_row(
    row: Mapping[str, Any],
    line: int,
    profile: SocialProfile,
    path: Path,
    *,
    now: datetime,
) -> RawPost | None:
    """One row as a ``RawPost``; ``None`` for a row with neither text nor id.

    A post without text but with an id (a photo-only tweet) is kept: it counts in
    volumes. Articles without a body keep their title as text.

    Raises ``SocialInputError`` naming the line, column and value that fail.
    """
    values: dict[str, Any] = {}
    for field in profile.columns:
        column, value = first_value(row, profile, field)
        if value is None:
            continue
        try:
            values[field] = convert_field(field, value, row, profile, now=now)
        except (TimeParseError, ValueError, OverflowError) as error:
            raise SocialInputError(
                str(error), path=str(path), line=line, column=column, value=value
            ) from error
    text = str(values.get("text") or values.get("title") or "").strip()
    post_id = extract_id(row, profile, values.get("url"))
    if not text and post_id is None:
        return None
    return RawPost(
        platform=profile.platform,
        kind=profile.kind,
        text=text,
        posted_at=values.pop("posted_at", None),
        post_id=str(post_id) if post_id is not None else None,
        author_public=profile.authors_public,
        line=line,
        **{k: v for k, v in values.items() if k not in ("text", "post_id")},
    )


def convert_field(
    field: str,
    value: Any,
    row: Mapping[str, Any],
    profile: SocialProfile,
    *,
    now: datetime,
) -> Any:
    if field in COUNT_FIELDS:
        return parse_count(value)
    if field == "posted_at":
        clock = lookup(row, profile.time_column) if profile.time_column else None
        return parse_time(value, profile, clock, now=now)
    return str(value).strip()


def iter_raw_posts(
    source: SourceFile, profile: SocialProfile, *, now: datetime | None = None
) -> Iterator[RawPost]:
    """The posts of a file in order; rows with neither text nor id skipped."""
    reference = now or datetime.now(UTC)
    for line, row in source.rows:
        post = map_row(row, line, profile, source.path, now=reference)
        if post is not None:
            yield post


def choose_profile(
    source: SourceFile,
    profiles: Sequence[SocialProfile],
    *,
    platform: str | None,
    name: str | None,
) -> SocialProfile:
    """The named profile, or the best guess from the file's columns."""
    if name:
        return get_profile(name, profiles)
    return guess_profile(
        source.columns, profiles, platform=platform, path=str(source.path)
    )
