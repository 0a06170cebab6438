"""News from RSS/Atom feeds and from the CLICK-ID article dumps."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from connectors.news import read_news
from connectors.social_records import SocialInputError
from indonesian.relative_time import WIB


def test_tribunnews_dump_dates_and_times(shared_data: Path) -> None:
    articles = read_news(str(shared_data / "click-id-news" / "tribunnews.csv"))

    assert len(articles) == 1500
    first = articles[0]
    assert first.posted_at == datetime(2019, 9, 10, 23, 4, tzinfo=WIB)
    assert first.kind == "article"
    assert first.source_name == "tribunnews.com"
    assert first.post_id is not None
    assert first.post_id.startswith("https://www.tribunnews")
    assert len({a.post_id for a in articles}) == 1500


def test_pos_metro_indonesian_month_names(shared_data: Path) -> None:
    articles = read_news(str(shared_data / "click-id-news" / "pos_metro.csv"))

    assert len(articles) == 307
    assert articles[0].posted_at == datetime(2019, 10, 19, tzinfo=WIB)
    with (shared_data / "click-id-news" / "pos_metro.csv").open(encoding="utf-8") as f:
        written = Counter(row["date"].split()[0] for row in csv.DictReader(f))
    names = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]  # fmt: skip
    parsed = Counter(names[a.posted_at.month - 1] for a in articles if a.posted_at)
    assert parsed == written


def write_feed(rows: list[dict[str, str]], path: Path, *, atom: bool) -> None:
    if atom:
        entries = "".join(
            f"<entry><id>{escape(r['url'])}</id><title>{escape(r['title'])}</title>"
            f'<link href="{escape(r["url"])}"/><updated>2019-09-10T16:04:00Z</updated>'
            f"<summary>{escape(r['content'][:300])}</summary></entry>"
            for r in rows
        )
        path.write_text(
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Tribun</title><id>urn:t</id><updated>2019-09-10T16:04:00Z</updated>{entries}</feed>",
            "utf-8",
        )
        return
    items = "".join(
        f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
        f"<guid>{escape(r['url'])}</guid><pubDate>Tue, 10 Sep 2019 23:04:00 +0700</pubDate>"
        f"<description>{escape(r['content'][:300])}</description><category>{escape(r['category'])}</category></item>"
        for r in rows
    )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tribun</title>'
        f"{items}</channel></rss>",
        "utf-8",
    )


@pytest.mark.parametrize("atom", [False, True])
def test_rss_and_atom_feeds(shared_data: Path, tmp_path: Path, atom: bool) -> None:
    with (shared_data / "click-id-news" / "tribunnews.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:25]
    path = tmp_path / ("feed.atom" if atom else "feed.xml")
    write_feed(rows, path, atom=atom)

    articles = read_news(str(path))

    assert len(articles) == 25
    assert [a.post_id for a in articles] == [r["url"] for r in rows]
    assert articles[0].title == rows[0]["title"]
    assert articles[0].posted_at is not None
    assert articles[0].posted_at.astimezone(WIB) == datetime(
        2019, 9, 10, 23, 4, tzinfo=WIB
    )
    assert articles[0].source_name == "Tribun"


def test_an_unreadable_feed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("this is not xml at all <<<", "utf-8")

    with pytest.raises(SocialInputError, match=r"broken\.xml"):
        read_news(str(path))


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        ("<item><title>Sa", 3),
        ("<item><title>Satu</title><link>http://a/1</link></item>\n<item><title>Du", 4),
    ],
)
def test_a_truncated_feed_is_rejected_naming_the_line(
    tmp_path: Path, tail: str, line: int
) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>\n{tail}',
        encoding="utf-8",
    )

    with pytest.raises(SocialInputError, match="not well-formed XML") as caught:
        read_news(str(path))

    assert f"line {line}" in str(caught.value)
