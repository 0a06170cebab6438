"""Indonesian dates and relative times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from indonesian import TimeParseError
from indonesian.relative_time import WIB, WITA, parse_post_time

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Agustus 02, 2019", datetime(2019, 8, 2, tzinfo=WIB)),
        ("10-Sep-19 23:04", datetime(2019, 9, 10, 23, 4, tzinfo=WIB)),
        ("Kamis, 2 Agustus 2019 14.30 WIB", datetime(2019, 8, 2, 14, 30, tzinfo=WIB)),
        ("5 Mei 2021 08:15 WITA", datetime(2021, 5, 5, 8, 15, tzinfo=WITA)),
        ("17 Agt 2020", datetime(2020, 8, 17, tzinfo=WIB)),
        ("10/09/2019", datetime(2019, 9, 10, tzinfo=WIB)),
        ("2021-09-02 01:39:05+00:00", datetime(2021, 9, 2, 1, 39, 5, tzinfo=UTC)),
        ("2021-09-02 08:39:05", datetime(2021, 9, 2, 8, 39, 5, tzinfo=WIB)),
        ("3 jam yang lalu", NOW - timedelta(hours=3)),
        ("5 menit lalu", NOW - timedelta(minutes=5)),
        ("sehari yang lalu", NOW - timedelta(days=1)),
        ("2 minggu lalu", NOW - timedelta(weeks=2)),
        ("kemarin", NOW - timedelta(days=1)),
        ("baru saja", NOW),
    ],
)
def test_reads_the_time(text: str, expected: datetime) -> None:
    assert parse_post_time(text, now=NOW) == expected


def test_naive_times_are_wib() -> None:
    assert parse_post_time("1 Januari 2024").utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("text", ["31 Februari 2020", "besok pagi", "Agustus 2019"])
def test_unreadable_times_name_the_text(text: str) -> None:
    with pytest.raises(TimeParseError, match=text):
        parse_post_time(text, now=NOW)
