from datetime import date, datetime

import pytest

from indonesian.booleans import parse_boolean
from indonesian.dates import parse_date, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16 Maret 2021", date(2021, 3, 16)),
        ("16 maret 2021", date(2021, 3, 16)),
        ("Selasa, 16 Maret 2021", date(2021, 3, 16)),
        ("3 Pebruari 2020", date(2020, 2, 3)),
        ("10 Nopember 1945", date(1945, 11, 10)),
        ("1 Agt 2022", date(2022, 8, 1)),
        ("16/3/2021", date(2021, 3, 16)),
        ("12-9-2025", date(2025, 9, 12)),
        ("05.01.2024", date(2024, 1, 5)),
        ("2021-03-16", date(2021, 3, 16)),
    ],
)
def test_reads_dates_day_first(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31/2/2021", "16 Marat 2021", "2021", "3/16/2021", ""]
)
def test_impossible_or_unknown_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_iso_datetime() -> None:
    assert parse_datetime("2021-03-16 08:30:05") == datetime(2021, 3, 16, 8, 30, 5)
    assert parse_datetime("2021-03-16") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ya", True), ("TIDAK", False), ("benar", True), ("Salah", False), ("ada", None)],
)
def test_yes_and_no(text: str, expected: bool | None) -> None:
    assert parse_boolean(text) is expected
