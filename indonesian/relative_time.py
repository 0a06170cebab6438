"""Post and article times as people write them in Indonesia, to aware datetimes.

Reads ISO timestamps, Indonesian and English month names in the usual orders
("2 Agustus 2019", "Agustus 02, 2019", "10-Sep-19", "02 Agu 2019 14.30 WIB"),
numeric dates (day first), and relative times ("3 jam yang lalu", "5 menit lalu",
"kemarin", "baru saja", "2 minggu lalu"). A time without a zone is WIB
(UTC+07:00); WITA and WIT are honoured where written.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from indonesian import TimeParseError

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")
ZONES: dict[str, tzinfo] = {
    "wib": WIB,
    "wita": WITA,
    "wit": WIT,
    "utc": UTC,
    "gmt": UTC,
}

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
DAY_NAMES = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"

UNITS = {
    "detik": timedelta(seconds=1), "menit": timedelta(minutes=1),
    "mnt": timedelta(minutes=1), "jam": timedelta(hours=1), "hari": timedelta(days=1),
    "minggu": timedelta(weeks=1), "pekan": timedelta(weeks=1),
    "bulan": timedelta(days=30), "tahun": timedelta(days=365),
}  # fmt: skip
WORD_NUMBERS = {"se": 1, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5}

MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
TIME_RE = r"(?:\s*,?\s*(?:pukul\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
ZONE_RE = r"(?:\s*(wib|wita|wit|utc|gmt))?"
DAY_MONTH_YEAR = re.compile(
    rf"^(?:{DAY_NAMES},?\s*)?(\d{{1,2}})[\s\-/.]+({MONTH_RE})\.?[\s\-/.,]+(\d{{2,4}})"
    rf"{TIME_RE}{ZONE_RE}$"
)
MONTH_DAY_YEAR = re.compile(
    rf"^({MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){TIME_RE}{ZONE_RE}$"
)
NUMERIC_DATE = re.compile(
    rf"^(\d{{1,2}})[/\-.](\d{{1,2}})[/\-.](\d{{2,4}}){TIME_RE}{ZONE_RE}$"
)
RELATIVE = re.compile(
    r"^(\d+|se|satu|dua|tiga|empat|lima)\s*"
    r"(detik|menit|mnt|jam|hari|minggu|pekan|bulan|tahun)\s*(?:yang\s+)?lalu$"
)
SIMPLE_RELATIVE = {
    "baru saja": timedelta(0), "barusan": timedelta(0), "sekarang": timedelta(0),
    "kemarin": timedelta(days=1), "kemaren": timedelta(days=1),
    "kemarin lusa": timedelta(days=2), "minggu lalu": timedelta(weeks=1),
}  # fmt: skip


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _combine(day: date, groups: tuple[str | None, ...]) -> datetime:
    hour, minute, second, zone = groups
    clock = time(int(hour or 0), int(minute or 0), int(second or 0))
    return datetime.combine(day, clock, tzinfo=ZONES[zone] if zone else WIB)


def _parse_iso(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=WIB)


def _parse_named(text: str) -> datetime | None:
    if match := DAY_MONTH_YEAR.match(text):
        day, month, year, *rest = match.groups()
        return _combine(date(_year(year), MONTHS[month], int(day)), tuple(rest))
    if match := MONTH_DAY_YEAR.match(text):
        month, day, year, *rest = match.groups()
        return _combine(date(int(year), MONTHS[month], int(day)), tuple(rest))
    if match := NUMERIC_DATE.match(text):
        day, month, year, *rest = match.groups()
        return _combine(date(_year(year), int(month), int(day)), tuple(rest))
    return None


def _parse_relative(text: str, now: datetime) -> datetime | None:
    if text in SIMPLE_RELATIVE:
        return now - SIMPLE_RELATIVE[text]
    match = RELATIVE.match(text)
    if match is None:
        return None
    count_text, unit = match.groups()
    count = WORD_NUMBERS.get(count_text) or int(count_text)
    return now - count * UNITS[unit]


def parse_post_time(text: str, *, now: datetime | None = None) -> datetime:
    """An aware datetime for ``text``; relative times count back from ``now``.

    Naive times are WIB. Raises ``TimeParseError`` naming the text when it is not
    a date or time this module reads (or names an impossible day).
    """
    cleaned = " ".join(text.strip().lower().split())
    reference = now or datetime.now(WIB)
    try:
        value = (
            _parse_iso(cleaned)
            or _parse_named(cleaned)
            or _parse_relative(cleaned, reference)
        )
    except ValueError as error:
        raise TimeParseError(f"impossible date or time {text!r}: {error}") from error
    if value is None:
        raise TimeParseError(
            f"unreadable date or time {text!r}: expected ISO 8601, '2 Agustus 2019', "
            "'Agustus 02, 2019', '10-Sep-19', '10/09/2019' or '3 jam yang lalu'"
        )
    return value


def with_default_zone(value: datetime) -> datetime:
    """``value`` with WIB attached when it has no zone."""
    return value if value.tzinfo else value.replace(tzinfo=WIB)
