"""Dates as Indonesian agencies write them: "16 Maret 2021", "16/3/2021", ISO.

Numeric dates are day first. Month names are Indonesian (with the old
spellings "Pebruari", "Nopember" and common abbreviations) or English.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu")

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$")


def parse_date(text: str) -> date | None:
    """The calendar date ``text`` names, or ``None`` when it names none.

    Accepts ISO ("2021-03-16"), day-first numeric ("16/3/2021", "16-03-2021",
    "16.3.2021") and words ("16 Maret 2021", "Selasa, 16 Pebruari 2021").
    An impossible date ("31/2/2021") is ``None``, never a neighbour.
    """
    cleaned = _drop_weekday(text.strip().lower())
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_NUMERIC, (4, 3, 1))):
        match = pattern.match(cleaned)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            return _make_date(year, month, day)
    match = _WORDS.match(cleaned)
    if match and match.group(2) in MONTHS:
        month = MONTHS[match.group(2)]
        return _make_date(int(match.group(3)), month, int(match.group(1)))
    return None


def parse_datetime(text: str) -> datetime | None:
    """An ISO date-time without zone ("2021-03-16 08:30:00"), or ``None``."""
    match = _ISO_DATETIME.match(text.strip())
    if not match:
        return None
    parts = [int(part) if part else 0 for part in match.groups()]
    try:
        # Files carry local, unzoned times; the zone is the agency's business.
        return datetime(*parts)
    except ValueError:
        return None


def _drop_weekday(text: str) -> str:
    for weekday in WEEKDAYS:
        if text.startswith(weekday):
            return text[len(weekday) :].lstrip(" ,")
    return text


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
