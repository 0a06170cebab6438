"""Turning raw posts into store rows: keys, hashes, normal form, language.

Pure and CPU-bound; no I/O. A post without a source id is keyed by its content
hash, with the occurrence number appended for repeats within one input (two
identical retweets in one export are two posts, and stay two on re-ingest).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from connectors.social_records import RawPost
from indonesian.language import detect_language
from indonesian.normalise import normalise_text


@dataclass(frozen=True)
class PreparedPost:
    raw: RawPost
    post_id: str
    author: str | None
    author_hashed: bool
    normalised_text: str
    language: str
    content_hash: str
    text_hash: str
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.raw.platform, self.post_id)

    @property
    def analysis_text(self) -> str:
        return analysis_text(self.raw)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_author(handle: str, platform: str, salt: str) -> str:
    """A stable pseudonym for a private person's handle (salted SHA-256)."""
    return "h_" + sha256(f"{salt}\x1f{platform}\x1f{handle.lower().lstrip('@')}")[:20]


def analysis_text(raw: RawPost) -> str:
    """Title and text of an article, or the text of a post: what analytics read."""
    if raw.title and raw.title not in raw.text:
        return f"{raw.title}. {raw.text}"
    return raw.text


def prepare_post(raw: RawPost, occurrence: int, salt: str) -> PreparedPost:
    """Store-ready fields of one post; ``occurrence`` numbers repeats of id-less text."""
    content_hash = sha256(f"{raw.title or ''}\x1f{raw.text.strip()}")
    post_id = raw.post_id or f"h:{content_hash[:40]}"
    if raw.post_id is None and occurrence:
        post_id = f"{post_id}:{occurrence}"
    analysed = (
        f"{raw.title}. {raw.text}"
        if raw.title and raw.title not in raw.text
        else raw.text
    )
    normal = normalise_text(analysed)
    author, hashed = raw.author, False
    if raw.author and not raw.author_public:
        author, hashed = hash_author(raw.author, raw.platform, salt), True
    return PreparedPost(
        raw=raw,
        post_id=post_id[:128],
        author=author[:128] if author else None,
        author_hashed=hashed,
        normalised_text=normal.text,
        language=raw.language
        if raw.language in ("id", "jv", "en")
        else detect_language(analysed),
        content_hash=content_hash,
        text_hash=sha256(normal.text),
        hashtags=normal.hashtags,
        mentions=tuple(hash_author(m, raw.platform, salt) for m in normal.mentions),
    )


def prepare_posts(posts: Iterable[RawPost], salt: str) -> Iterator[PreparedPost]:
    """Prepared posts in order, numbering repeats of id-less content."""
    seen: Counter[tuple[str, str]] = Counter()
    for raw in posts:
        occurrence = 0
        if raw.post_id is None:
            marker = (raw.platform, f"{raw.title or ''}\x1f{raw.text.strip()}")
            occurrence = seen[marker]
            seen[marker] += 1
        yield prepare_post(raw, occurrence, salt)
