"""Every number form Indonesian marketplaces print, with its exact value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indonesian.market_numbers import (
    Count,
    MarketNumberError,
    Price,
    Rating,
    parse_count,
    parse_decimal,
    parse_percent,
    parse_price,
    parse_rating,
)

PRICES = [
    ("Rp1.250.000", Decimal("1250000"), Decimal("1250000")),
    ("Rp 1.250.000,50", Decimal("1250000.50"), Decimal("1250000.50")),
    ("Rp7.500 - Rp8.000", Decimal("7500"), Decimal("8000")),
    ("Rp7.500-Rp8.000", Decimal("7500"), Decimal("8000")),
    ("Rp15rb", Decimal("15000"), Decimal("15000")),
    ("1,2 jt", Decimal("1200000"), Decimal("1200000")),
    ("Rp2,5 juta", Decimal("2500000"), Decimal("2500000")),
    ("53500", Decimal("53500"), Decimal("53500")),
    ("Rp. 16.000/kg", Decimal("16000"), Decimal("16000")),
    ("1,250,000", Decimal("1250000"), Decimal("1250000")),
    ("1,250,000.75", Decimal("1250000.75"), Decimal("1250000.75")),
]


@pytest.mark.parametrize(("raw", "minimum", "maximum"), PRICES)
def test_price_forms(raw: str, minimum: Decimal, maximum: Decimal) -> None:
    price = parse_price(raw)

    assert price == Price(minimum=minimum, maximum=maximum, raw=raw)
    assert isinstance(price.minimum, Decimal)
    assert price.is_range == (minimum != maximum)


COUNTS = [
    ("10rb+ terjual", 10_000, True),
    ("Terjual 750+", 750, True),
    ("1.250 terjual", 1_250, False),
    ("(1,2rb ulasan)", 1_200, True),
    ("5449", 5_449, False),
    ("0 terjual", 0, False),
    ("1,5jt+ terjual", 1_500_000, True),
    ("10.2K Sold", 10_200, True),
    ("Terjual 2 rb+", 2_000, True),
]


@pytest.mark.parametrize(("raw", "value", "lower_bound"), COUNTS)
def test_count_forms(raw: str, value: int, lower_bound: bool) -> None:
    assert parse_count(raw) == Count(value=value, is_lower_bound=lower_bound, raw=raw)


RATINGS = [
    ("4,9", Decimal("4.9"), None),
    ("4.9/5", Decimal("4.9"), Decimal("5")),
    ("4.9 / 5.0", Decimal("4.9"), Decimal("5.0")),
    ("5", Decimal("5"), None),
]


@pytest.mark.parametrize(("raw", "value", "scale"), RATINGS)
def test_rating_forms(raw: str, value: Decimal, scale: Decimal | None) -> None:
    assert parse_rating(raw) == Rating(value=value, scale=scale, raw=raw)


@pytest.mark.parametrize("raw", [None, "", "   ", "tidak tersedia", "Tidak Tersedia", "-"])
@pytest.mark.parametrize("parse", [parse_price, parse_count, parse_rating, parse_percent])
def test_missing_is_none_never_zero(raw: str | None, parse: object) -> None:
    assert parse(raw) is None  # type: ignore[operator]


@pytest.mark.parametrize(
    ("parse", "raw"),
    [
        (parse_price, "gratis"),
        (parse_price, "Rp1 - Rp2 - Rp3"),
        (parse_count, "banyak terjual"),
        (parse_count, "1,25 terjual"),
        (parse_rating, "6/5"),
        (parse_rating, "bagus"),
    ],
)
def test_unreadable_text_raises_with_the_raw_value(parse: object, raw: str) -> None:
    with pytest.raises(MarketNumberError) as caught:
        parse(raw)  # type: ignore[operator]

    assert caught.value.raw == raw
    assert repr(raw) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.250", Decimal("1250")),
        ("1.250.000", Decimal("1250000")),
        ("4,9", Decimal("4.9")),
        ("4.9", Decimal("4.9")),
        ("1.250.000,50", Decimal("1250000.50")),
        ("1,250,000.50", Decimal("1250000.50")),
        ("12,5", Decimal("12.5")),
    ],
)
def test_separators(text: str, value: Decimal) -> None:
    assert parse_decimal(text) == value


def test_percent() -> None:
    assert parse_percent("-25%") == Decimal("25")
    assert parse_percent("12,5%") == Decimal("12.5")
