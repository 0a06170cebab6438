"""Online news: RSS/Atom feeds (files or URLs) and CSV article dumps, as ``RawPost``.

Feeds are parsed with feedparser, which reads RSS 0.9x/1.0/2.0 and Atom and
tolerates the malformed feeds regional outlets publish. An article's id is the
feed entry id, else its link; its time is the entry's published (or updated)
time, in UTC as feedparser normalises it, or the raw text read the Indonesian way.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

import feedparser

from connectors.social_files import iter_raw_posts, read_source_file
from connectors.social_profiles import SocialProfile, get_profile, list_profiles
from connectors.social_records import RawPost, SocialInputError
from indonesian import TimeParseError
from indonesian.relative_time import parse_post_time

TAG_RE = re.compile(r"<[^>]+>")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def is_feed(location: str) -> bool:
    """URLs and .xml/.rss/.atom/.rdf files are feeds; anything else is a CSV dump."""
    return is_url(location) or Path(location).suffix.lower() in FEED_SUFFIXES


def strip_html(text: str) -> str:
    return " ".join(html.unescape(TAG_RE.sub(" ", text)).split())


def entry_time(entry: Any, location: str) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    raw = entry.get("published") or entry.get("updated")
    if not raw:
        return None
    try:
        return parse_post_time(raw)
    except TimeParseError as error:
        raise SocialInputError(
            str(error), path=location, column="published", value=raw
        ) from error


def entry_to_post(entry: Any, feed_title: str | None, location: str, n: int) -> RawPost:
    title = strip_html(entry.get("title", ""))
    body = strip_html(
        (entry.get("content") or [{}])[0].get("value") or entry.get("summary", "")
    )
    return RawPost(
        platform="news",
        kind="article",
        text=f"{title}. {body}".strip(". ") if body else title,
        title=title or None,
        posted_at=entry_time(entry, location),
        post_id=entry.get("id") or entry.get("link"),
        author=entry.get("author") or feed_title,
        author_public=True,
        url=entry.get("link"),
        source_name=feed_title,
        category=(entry.get("tags") or [{}])[0].get("term"),
        line=n,
    )


def read_feed(location: str) -> list[RawPost]:
    """The articles of an RSS/Atom feed file or URL, in feed order.

    Raises ``SocialInputError`` when the feed cannot be fetched or parsed at all.
    Blocking (network and parsing): run it in a thread from the event loop.
    """
    parsed = feedparser.parse(location)
    reason = parsed.get("bozo_exception")
    if isinstance(reason, SAXParseException):
        # feedparser's lenient parser keeps what precedes the fault: a
        # truncated file would pass as a shorter feed with a mangled last item.
        raise SocialInputError(
            f"not well-formed XML at column {reason.getColumnNumber()}: "
            f"{reason.getMessage()}; the file may be truncated",
            path=location,
            line=reason.getLineNumber(),
        )
    if parsed.get("bozo") and not parsed.entries:
        raise SocialInputError(f"not a readable RSS/Atom feed: {reason}", path=location)
    feed_title = parsed.feed.get("title")
    return [
        entry_to_post(entry, feed_title, location, n)
        for n, entry in enumerate(parsed.entries, start=1)
        if entry.get("title") or entry.get("summary")
    ]


def read_article_dump(
    path: Path, profiles: Sequence[SocialProfile] = ()
) -> Iterator[RawPost]:
    """Articles of a CSV dump (title, source, date, time, category, content, url)."""
    profile = get_profile("news_csv", list_profiles(profiles))
    yield from iter_raw_posts(read_source_file(path), profile)


def read_news(location: str, profiles: Sequence[SocialProfile] = ()) -> list[RawPost]:
    """Articles from a feed (file or URL) or a CSV dump, by what ``location`` is."""
    if is_feed(location):
        return read_feed(location)
    return list(read_article_dump(Path(location), profiles))
