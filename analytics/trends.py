"""Trends: volume per hour or day per term, hashtag, issue and entity; spikes.

Buckets are calendar hours or days in the regency's zone (WIB by default), so a
day is a local day. Series are zero-filled between the first and last bucket.

Spike detection (documented method): a bucket is a spike when its count ``x``
exceeds the mean ``mu`` of the ``window`` buckets before it (24 for hours, 7 for
days) by ``z >= threshold`` (3 by default) under a Poisson model,
``z = (x - mu) / sqrt(max(mu, 1))``, and ``x`` is at least ``min_count`` (5).
Poisson because post counts are counts: their variance grows with their mean,
so a jump from 2 to 10 is news while one from 200 to 210 is not. The first
``window`` buckets have too little history and are never spikes.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.social_filters import PostFilter
from indonesian.relative_time import WIB
from indonesian.stopwords import load_stopwords
from store.social import SocialPost, SocialPostEntity, SocialPostIssue

Granularity = Literal["hour", "day", "month"]
Dimension = Literal["total", "term", "hashtag", "issue", "entity"]
WINDOWS = {"hour": 24, "day": 7, "month": 3}


@dataclass(frozen=True)
class TrendPoint:
    bucket: datetime
    count: int
    baseline: float | None
    z_score: float | None
    is_spike: bool


@dataclass(frozen=True)
class TrendSeries:
    dimension: str
    key: str
    total: int
    points: list[TrendPoint]


@dataclass(frozen=True)
class PostFacts:
    """What trends need of one post."""

    id: int
    posted_at: datetime
    normalised_text: str
    hashtags: Sequence[str]
    issues: Sequence[str]
    entities: Sequence[str]


def bucket_start(
    moment: datetime, granularity: Granularity, zone: tzinfo = WIB
) -> datetime:
    """The start of the hour, day or month containing ``moment``, in ``zone``."""
    local = moment.astimezone(zone)
    if granularity == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if granularity == "day" else day.replace(day=1)


def next_bucket(start: datetime, granularity: Granularity) -> datetime:
    if granularity == "hour":
        return start + timedelta(hours=1)
    if granularity == "day":
        return start + timedelta(days=1)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def bucket_range(
    first: datetime, last: datetime, granularity: Granularity
) -> list[datetime]:
    buckets = [first]
    while buckets[-1] < last:
        buckets.append(next_bucket(buckets[-1], granularity))
    return buckets


def detect_spikes(
    counts: Sequence[int], *, window: int, threshold: float = 3.0, min_count: int = 5
) -> list[tuple[float | None, float | None, bool]]:
    """``(baseline, z, is_spike)`` per bucket by the Poisson rule of the module doc."""
    results: list[tuple[float | None, float | None, bool]] = []
    for index, count in enumerate(counts):
        if index < window:
            results.append((None, None, False))
            continue
        history = counts[index - window : index]
        mean = sum(history) / window
        z = (count - mean) / math.sqrt(max(mean, 1.0))
        results.append(
            (round(mean, 3), round(z, 3), z >= threshold and count >= min_count)
        )
    return results


def build_series(
    dimension: str,
    key: str,
    counts: Mapping[datetime, int],
    buckets: Sequence[datetime],
    granularity: Granularity,
    threshold: float,
) -> TrendSeries:
    values = [counts.get(bucket, 0) for bucket in buckets]
    spikes = detect_spikes(values, window=WINDOWS[granularity], threshold=threshold)
    points = [
        TrendPoint(bucket, value, baseline, z, spike)
        for bucket, value, (baseline, z, spike) in zip(
            buckets, values, spikes, strict=True
        )
    ]
    return TrendSeries(dimension, key, sum(values), points)


def keys_of(post: PostFacts, dimension: Dimension) -> Iterable[str]:
    if dimension == "total":
        return ("all",)
    if dimension == "hashtag":
        return set(post.hashtags)
    if dimension == "issue":
        return set(post.issues)
    if dimension == "entity":
        return set(post.entities)
    return set(content_terms(post.normalised_text))


def content_terms(normalised_text: str) -> list[str]:
    """Words worth counting: no stop words, numbers or words under three letters."""
    stopwords = load_stopwords()
    return [
        token
        for token in normalised_text.split()
        if len(token) >= 3 and not token.isdigit() and token not in stopwords
    ]


def compute_trends(
    posts: Sequence[PostFacts],
    *,
    dimension: Dimension,
    granularity: Granularity,
    limit: int = 10,
    keys: Sequence[str] = (),
    threshold: float = 3.0,
    zone: tzinfo = WIB,
) -> list[TrendSeries]:
    """Series of the ``limit`` largest keys (or the given ``keys``), largest first."""
    if not posts:
        return []
    per_key: dict[str, Counter[datetime]] = defaultdict(Counter)
    for post in posts:
        bucket = bucket_start(post.posted_at, granularity, zone)
        for key in keys_of(post, dimension):
            per_key[key][bucket] += 1
    starts = [bucket_start(p.posted_at, granularity, zone) for p in posts]
    buckets = bucket_range(min(starts), max(starts), granularity)
    chosen = (
        list(keys)
        or sorted(per_key, key=lambda k: (-sum(per_key[k].values()), k))[:limit]
    )
    return [
        build_series(
            dimension, key, per_key.get(key, Counter()), buckets, granularity, threshold
        )
        for key in chosen
    ]


def top_terms(posts: Sequence[PostFacts], *, limit: int = 20) -> list[tuple[str, int]]:
    """The most frequent content words (counted once per post), with counts."""
    counts: Counter[str] = Counter()
    for post in posts:
        counts.update(set(content_terms(post.normalised_text)))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


async def load_post_facts(
    session: AsyncSession, post_filter: PostFilter
) -> list[PostFacts]:
    """Facts of the dated posts matching the filter, with their issues and entities."""
    statement = post_filter.apply(
        select(
            SocialPost.id, SocialPost.posted_at, SocialPost.normalised_text,
            SocialPost.hashtags,
        ).where(SocialPost.posted_at.is_not(None))
    )  # fmt: skip
    rows = (await session.execute(statement)).all()
    ids = [row.id for row in rows]
    issues = await _labels(session, SocialPostIssue.issue, SocialPostIssue.post_id, ids)
    entities = await _labels(
        session, SocialPostEntity.entity, SocialPostEntity.post_id, ids
    )
    return [
        PostFacts(row.id, row.posted_at, row.normalised_text, row.hashtags or [],
                  issues.get(row.id, []), entities.get(row.id, []))
        for row in rows
    ]  # fmt: skip


async def _labels(
    session: AsyncSession, label: Any, post_id: Any, ids: Sequence[int]
) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = await session.execute(select(post_id, label).where(post_id.in_(chunk)))
        for pid, value in rows.all():
            found[pid].append(value)
    return found
