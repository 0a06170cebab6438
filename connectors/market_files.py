"""Reading marketplace export files (CSV, JSON, JSONL) into parsed listing rows.

Every value is read through ``indonesian.market_numbers`` and keeps its raw text;
a value that is present but unreadable stops the file with ``MarketInputError``
naming the file, the line (or item), the field, the column and the raw value.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from connectors.base import ConnectorError
from connectors.market_profiles import ListingField, MarketProfile
from indonesian.market_numbers import (
    MarketNumberError,
    is_missing,
    parse_count,
    parse_percent,
    parse_price,
    parse_rating,
)

INDONESIA_WEST = ZoneInfo("Asia/Jakarta")
FILE_NAME_TIME = re.compile(
    r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?:[T_ ]?(\d{2})[-:h]?(\d{2})(?:[-:m]?(\d{2}))?)?(?!\d)"
)
JSON_LIST_KEYS = ("data", "items", "products", "listings", "results")


class MarketInputError(ConnectorError):
    """Raised when an export file cannot be read or holds a value that is wrong."""


@dataclass(frozen=True)
class ListingRow:
    """One row of an export, parsed; ``raw`` holds the texts the values came from."""

    line: int
    listing_id: str | None
    url: str | None
    title: str
    shop: str | None
    shop_location: str | None
    category: str | None
    observed_at: datetime | None
    values: dict[str, Any]
    raw: dict[str, str] = field(default_factory=dict)


def checksum_file(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def iter_records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(line or item number, record) of a CSV, JSON or JSONL file.

    Raises ``MarketInputError`` for an unknown extension or a malformed file.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _iter_csv(path)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _iter_jsonl(path)
    elif suffix == ".json":
        yield from _iter_json(path)
    else:
        raise MarketInputError(
            f"{path}: unknown file type {suffix!r}; give a .csv, .json or .jsonl export"
        )


def _iter_csv(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            yield reader.line_num, row


def _iter_jsonl(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, _object(path, number, _loads(path, number, line))


def _iter_json(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    document = _loads(path, 1, path.read_text(encoding="utf-8"))
    if isinstance(document, dict):
        lists = [document[key] for key in JSON_LIST_KEYS if key in document]
        document = lists[0] if lists else [document]
    if not isinstance(document, list):
        raise MarketInputError(f"{path}: expected a list of listing objects")
    for number, item in enumerate(document, start=1):
        yield number, _object(path, number, item)


def _loads(path: Path, number: int, text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise MarketInputError(
            f"{path}: line {number + error.lineno - 1}, column {error.colno}: "
            f"not JSON: {error.msg}"
        ) from error


def _object(path: Path, number: int, item: Any) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise MarketInputError(f"{path}: item {number} is not an object: {item!r:.80}")
    return item


def lookup(record: Mapping[str, Any], column: str) -> Any:
    """The value at ``column``, following dots into nested objects and lists."""
    if column in record:
        return record[column]
    current: Any = record
    for part in column.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


class RowParser:
    """Turns records of one export into ``ListingRow``s with one profile."""

    def __init__(
        self, path: Path, profile: MarketProfile, zone: tzinfo = INDONESIA_WEST
    ):
        self.path = path
        self.profile = profile
        self.zone = zone

    def parse(self, line: int, record: Mapping[str, Any]) -> ListingRow | None:
        """The parsed row, or ``None`` for a row without a title (a blank line).

        Raises ``MarketInputError`` naming line, field, column and raw value.
        """
        raw = self._raw_texts(record)
        title = _clean(raw.get("title"))
        if title is None:
            return None
        return ListingRow(
            line=line,
            listing_id=_clean(raw.get("listing_id")),
            url=_clean(raw.get("url")),
            title=title,
            shop=_clean(raw.get("shop")),
            shop_location=_clean(raw.get("shop_location")),
            category=_clean(raw.get("category")),
            observed_at=self._observed_at(line, raw.get("observed_at")),
            values=self._values(line, raw),
            raw=raw,
        )

    def _raw_texts(self, record: Mapping[str, Any]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for name, candidates in self.profile.columns.items():
            for column in candidates:
                value = lookup(record, column)
                if value is not None:
                    texts[name] = str(value)
                    break
        return texts

    def _values(self, line: int, raw: Mapping[str, str]) -> dict[str, Any]:
        price = self._read(line, "price", raw, parse_price)
        price_max = self._read(line, "price_max", raw, parse_price)
        original = self._read(line, "original_price", raw, parse_price)
        sold = self._read(line, "sold", raw, parse_count)
        reviews = self._read(line, "review_count", raw, parse_count)
        stock = self._read(line, "stock", raw, parse_count)
        rating = self._read(line, "rating", raw, parse_rating)
        divisor = self.profile.price_divisor
        return {
            "price": price.minimum / divisor if price else None,
            "price_max": _price_max(price, price_max, divisor),
            "original_price": original.minimum / divisor if original else None,
            "discount_percent": self._read(line, "discount", raw, parse_percent),
            "stock": stock.value if stock else None,
            "sold_count": sold.value if sold else None,
            "sold_is_lower_bound": bool(sold and sold.is_lower_bound),
            "rating": rating.value if rating else None,
            "review_count": reviews.value if reviews else None,
            "review_is_lower_bound": bool(reviews and reviews.is_lower_bound),
        }

    def _read(
        self, line: int, name: ListingField, raw: Mapping[str, str], parse: Any
    ) -> Any:
        try:
            return parse(raw.get(name))
        except MarketNumberError as error:
            raise MarketInputError(
                f"{self.path}: line {line}, field {name} (column "
                f"{self._column_hint(name)}): {error}"
            ) from error

    def _column_hint(self, name: ListingField) -> str:
        return " | ".join(self.profile.candidates(name))

    def _observed_at(self, line: int, raw: str | None) -> datetime | None:
        if raw is None or is_missing(raw):
            return None
        try:
            return parse_time(raw, self.zone)
        except ValueError as error:
            raise MarketInputError(
                f"{self.path}: line {line}, field observed_at: {raw!r} is not a time "
                "(give ISO 8601 such as 2025-09-13T10:00:00+07:00 or epoch seconds)"
            ) from error


def _price_max(price: Any, price_max: Any, divisor: Decimal) -> Decimal | None:
    if price_max is not None:
        return Decimal(price_max.maximum) / divisor
    if price is not None and price.is_range:
        return Decimal(price.maximum) / divisor
    return None


def _clean(text: str | None) -> str | None:
    if text is None or is_missing(text):
        return None
    return " ".join(text.split())


def parse_time(text: str, zone: tzinfo = INDONESIA_WEST) -> datetime:
    """An aware time from ISO 8601 text or epoch seconds; naive times are in ``zone``.

    Raises ``ValueError`` for anything else.
    """
    stripped = text.strip()
    if re.fullmatch(r"\d{9,11}(\.\d+)?", stripped):
        return datetime.fromtimestamp(float(stripped), UTC)
    parsed = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def time_from_file_name(path: Path, zone: tzinfo = INDONESIA_WEST) -> datetime | None:
    """The time a file name states ("tokopedia_2025-09-13.csv", "20250913T0800.json")."""
    match = FILE_NAME_TIME.search(path.stem)
    if match is None:
        return None
    year, month, day, hour, minute, second = (
        int(p) if p else 0 for p in match.groups()
    )
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None
