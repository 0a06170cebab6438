from decimal import Decimal

import pytest

from indonesian.numbers import find_decimal_separator, parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1.234.567", Decimal(1234567), None),
        ("1.234,5", Decimal("1234.5"), None),
        ("Rp 1.250.000,00", Decimal("1250000.00"), "rupiah"),
        ("Rp1.250.000", Decimal(1250000), "rupiah"),
        ("IDR 500", Decimal(500), "rupiah"),
        ("12,5%", Decimal("12.5"), "percent"),
        ("-3,25", Decimal("-3.25"), None),
        ("1,234,567.89", Decimal("1234567.89"), None),
        ("451.3", Decimal("451.3"), None),
        ("7", Decimal(7), None),
    ],
)
def test_reads_indonesian_and_english_numbers(
    text: str, value: Decimal, unit: str | None
) -> None:
    reading = parse_number(text)

    assert reading is not None
    assert reading.value == value
    assert reading.unit == unit


@pytest.mark.parametrize(
    "text", ["", "abc", "1.23.4", "12-3", "1,2,3", "Rp", "33.28.01"]
)
def test_rejects_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_an_ambiguous_group_follows_the_column_separator() -> None:
    assert parse_number("1.234") is not None
    assert parse_number("1.234").value == 1234  # type: ignore[union-attr]
    assert parse_number("1.234", ".").value == Decimal("1.234")  # type: ignore[union-attr]


def test_the_column_decides_the_decimal_separator() -> None:
    assert find_decimal_separator(["1.234", "451.3"]) == "."
    assert find_decimal_separator(["1.234", "2.345.678"]) == ","
    assert find_decimal_separator(["1.234", "12,5"]) == ","
    assert find_decimal_separator(["1.234", "5.678"]) == ","
    assert find_decimal_separator(["451.3", "12,5"]) is None
