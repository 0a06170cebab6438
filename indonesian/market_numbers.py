"""Numbers as Indonesian marketplaces print them: prices, sold counts, ratings.

Every parser is a pure function from the text of one field to a value object
that keeps the raw text beside the exact value, or ``None`` when the field is
empty or says the value is missing ("tidak tersedia", "-"): a missing value is
never 0. Text that is present but unreadable raises ``MarketNumberError``.

Separators follow Indonesian usage with exports in mind: when both ``.`` and
``,`` occur, the last one is the decimal mark; a single kind of separator is a
thousands separator when it repeats or is followed by exactly three digits
("1.250", "1,250,000"), else a decimal mark ("4,9", "4.9", "1,2 jt").

Abbreviated counts ("1,2rb", "10rb+") are what the marketplace shows after
rounding down, so they are lower bounds, marked ``is_lower_bound``; so is any
count with a trailing ``+``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MISSING_TEXTS = frozenset(
    {"", "-", "--", "n/a", "na", "null", "none", "tidak tersedia", "tidak ada"}
)
MULTIPLIERS: dict[str, int] = {
    "": 1,
    "k": 1_000,
    "rb": 1_000,
    "ribu": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "m": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
}
COUNT_WORDS = re.compile(r"\b(terjual|ulasan|review|reviews|penilaian|sold)\b")
NUMBER = re.compile(
    r"(?P<number>\d[\d.,]*)\s*(?P<unit>ribu|rb|k|juta|jt|miliar|milyar|m)?\b"
    r"\s*(?P<plus>\+)?"
)
RANGE_SPLIT = re.compile(r"\s+(?:-|–|—|s/d|sampai)\s+|(?<=\d)\s*[-–—]\s*(?=rp)")


class MarketNumberError(ValueError):
    """Raised when a marketplace field holds text that is not the number it should be."""

    def __init__(self, kind: str, raw: str) -> None:
        super().__init__(f"cannot read {raw!r} as a {kind}")
        self.kind = kind
        self.raw = raw


@dataclass(frozen=True)
class Price:
    """A price in rupiah; ``maximum`` differs from ``minimum`` for a price range."""

    minimum: Decimal
    maximum: Decimal
    raw: str

    @property
    def is_range(self) -> bool:
        return self.maximum != self.minimum


@dataclass(frozen=True)
class Count:
    """A count (sold, reviews, stock); ``is_lower_bound`` for "10rb+" and the like."""

    value: int
    is_lower_bound: bool
    raw: str


@dataclass(frozen=True)
class Rating:
    """A rating such as "4,9" or "4.9/5"; ``scale`` is the stated maximum, if any."""

    value: Decimal
    scale: Decimal | None
    raw: str


def is_missing(raw: str | None) -> bool:
    """Whether a field holds no value at all (empty, "-", "tidak tersedia", ...)."""
    return raw is None or " ".join(raw.split()).lower() in MISSING_TEXTS


def parse_decimal(text: str) -> Decimal:
    """The exact value of digits with Indonesian or English separators.

    Raises ``MarketNumberError`` when ``text`` is not such a number.
    """
    digits = text.strip()
    if not re.fullmatch(r"\d[\d.,]*", digits) or digits[-1] in ".,":
        raise MarketNumberError("number", text)
    decimal_mark = _decimal_mark(digits)
    thousands = {".", ","} - {decimal_mark}
    cleaned = "".join(ch for ch in digits if ch not in thousands)
    if decimal_mark and cleaned.count(decimal_mark) > 1:
        raise MarketNumberError("number", text)
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - guarded by the regex
        raise MarketNumberError("number", text) from error


def _decimal_mark(digits: str) -> str:
    """Which separator of ``digits`` is the decimal mark, or "" for none."""
    marks = [ch for ch in digits if ch in ".,"]
    if not marks:
        return ""
    if len(set(marks)) == 2:
        return marks[-1]
    mark = marks[0]
    if len(marks) > 1:
        return ""
    after = digits.rsplit(mark, 1)[1]
    return "" if len(after) == 3 else mark


def parse_price(raw: str | None) -> Price | None:
    """A price or price range in rupiah: "Rp1.250.000", "Rp7.500 - Rp8.000", "1,2 jt".

    Returns ``None`` for a missing value; raises ``MarketNumberError`` otherwise
    when the text is not a price.
    """
    if raw is None or is_missing(raw):
        return None
    text = _strip_currency(raw)
    parts = [part for part in RANGE_SPLIT.split(text) if part.strip()]
    if len(parts) > 2:
        raise MarketNumberError("price", raw)
    values = [_scaled(_strip_currency(part), "price", raw)[0] for part in parts]
    low, high = min(values), max(values)
    return Price(minimum=low, maximum=high, raw=raw)


def _strip_currency(text: str) -> str:
    lowered = " ".join(text.split()).lower()
    return re.sub(r"^\s*rp\.?\s*|\s*/\s*(kg|pcs|liter|lt|buah)\s*$", "", lowered)


def _scaled(text: str, kind: str, raw: str) -> tuple[Decimal, bool, bool]:
    """The value of one number with its unit; flags: abbreviated, trailing plus."""
    match = NUMBER.fullmatch(text.strip())
    if match is None:
        raise MarketNumberError(kind, raw)
    unit = match["unit"] or ""
    value = parse_decimal(match["number"]) * MULTIPLIERS[unit]
    return value, unit != "", match["plus"] is not None


def parse_count(raw: str | None) -> Count | None:
    """A count such as "10rb+ terjual", "Terjual 750+", "1.250 terjual", "(1,2rb ulasan)".

    Abbreviated and "+" counts are lower bounds. Returns ``None`` for a missing
    value; raises ``MarketNumberError`` for text that is not a count.
    """
    if raw is None or is_missing(raw):
        return None
    text = " ".join(raw.split()).lower().strip("() ")
    text = COUNT_WORDS.sub(" ", text).strip()
    value, abbreviated, plus = _scaled(text, "count", raw)
    if value != value.to_integral_value():
        raise MarketNumberError("count", raw)
    return Count(value=int(value), is_lower_bound=abbreviated or plus, raw=raw)


def parse_rating(raw: str | None) -> Rating | None:
    """A rating such as "4,9", "4.9/5" or "4.9 / 5.0".

    Returns ``None`` for a missing value; raises ``MarketNumberError`` for text
    that is not a rating or a value above its stated scale.
    """
    if raw is None or is_missing(raw):
        return None
    value_text, slash, scale_text = " ".join(raw.split()).partition("/")
    value = parse_decimal(value_text.strip())
    scale = parse_decimal(scale_text.strip()) if slash else None
    if scale is not None and value > scale:
        raise MarketNumberError("rating", raw)
    return Rating(value=value, scale=scale, raw=raw)


def parse_percent(raw: str | None) -> Decimal | None:
    """A discount such as "25%", "-25%" or "25" as a positive percentage."""
    if raw is None or is_missing(raw):
        return None
    text = raw.strip().lstrip("-").rstrip("%").strip()
    try:
        return parse_decimal(text)
    except MarketNumberError as error:
        raise MarketNumberError("percentage", raw) from error
