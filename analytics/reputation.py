"""Reputation of tracked entities: share of voice, sentiment over time, issues,
and the most engaged accounts (influencers).

Share of voice of an entity is its mentioning posts divided by the sum of all
tracked entities' mentioning posts in the same filter (a post naming two brands
counts for both). Net sentiment is ``(positive - negative) / posts``, in [-1, 1].
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.social_config import TrackedEntity
from analytics.social_filters import PostFilter
from analytics.trends import Granularity, bucket_range, bucket_start
from indonesian.relative_time import WIB
from store.social import SocialPost, SocialPostEntity, SocialPostIssue

SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class SentimentCounts:
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    unscored: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative + self.unscored

    @property
    def net(self) -> float | None:
        scored = self.positive + self.neutral + self.negative
        return round((self.positive - self.negative) / scored, 4) if scored else None

    @classmethod
    def of(cls, counts: Counter[str | None]) -> SentimentCounts:
        return cls(
            positive=counts.get("positive", 0),
            neutral=counts.get("neutral", 0),
            negative=counts.get("negative", 0),
            unscored=counts.get(None, 0),
        )


@dataclass(frozen=True)
class VoiceShare:
    entity: str
    name: str
    posts: int
    share: float
    sentiment: SentimentCounts


@dataclass(frozen=True)
class SentimentPoint:
    bucket: datetime
    sentiment: SentimentCounts


@dataclass(frozen=True)
class IssueShare:
    issue: str
    posts: int
    share: float
    mean_confidence: float
    sentiment: SentimentCounts


@dataclass(frozen=True)
class Influencer:
    platform: str
    author: str
    author_hashed: bool
    posts: int
    engagement: int
    net_sentiment: float | None


async def share_of_voice(
    session: AsyncSession, entities: Sequence[TrackedEntity], post_filter: PostFilter
) -> list[VoiceShare]:
    """Every tracked entity's mentions, share and sentiment, largest first."""
    statement = post_filter.apply(
        select(SocialPostEntity.entity, SocialPost.sentiment, func.count())
        .join(SocialPost, SocialPost.id == SocialPostEntity.post_id)
        .group_by(SocialPostEntity.entity, SocialPost.sentiment)
    )
    per_entity: dict[str, Counter[str | None]] = defaultdict(Counter)
    for entity, sentiment, count in (await session.execute(statement)).all():
        per_entity[entity][sentiment] += count
    total = sum(sum(c.values()) for c in per_entity.values())
    shares = [
        VoiceShare(
            entity=e.key,
            name=e.name,
            posts=sum(per_entity[e.key].values()),
            share=round(sum(per_entity[e.key].values()) / total, 6) if total else 0.0,
            sentiment=SentimentCounts.of(per_entity[e.key]),
        )
        for e in entities
    ]
    return sorted(shares, key=lambda s: (-s.posts, s.entity))


async def sentiment_series(
    session: AsyncSession,
    post_filter: PostFilter,
    granularity: Granularity,
    zone: tzinfo = WIB,
) -> list[SentimentPoint]:
    """Sentiment counts per hour, day or month (zero-filled), for the filter."""
    statement = post_filter.apply(
        select(SocialPost.posted_at, SocialPost.sentiment).where(
            SocialPost.posted_at.is_not(None)
        )
    )
    rows = (await session.execute(statement)).all()
    if not rows:
        return []
    per_bucket: dict[datetime, Counter[str | None]] = defaultdict(Counter)
    for posted_at, sentiment in rows:
        assert posted_at is not None  # filtered in SQL
        per_bucket[bucket_start(posted_at, granularity, zone)][sentiment] += 1
    buckets = bucket_range(min(per_bucket), max(per_bucket), granularity)
    return [
        SentimentPoint(b, SentimentCounts.of(per_bucket.get(b, Counter())))
        for b in buckets
    ]


async def issue_breakdown(
    session: AsyncSession, post_filter: PostFilter
) -> list[IssueShare]:
    """Posts per issue with mean confidence and sentiment; shares of all posts."""
    statement = post_filter.apply(
        select(
            SocialPostIssue.issue, SocialPost.sentiment, func.count(),
            func.sum(SocialPostIssue.confidence),
        )
        .join(SocialPost, SocialPost.id == SocialPostIssue.post_id)
        .group_by(SocialPostIssue.issue, SocialPost.sentiment)
    )  # fmt: skip
    counts: dict[str, Counter[str | None]] = defaultdict(Counter)
    confidence: dict[str, float] = defaultdict(float)
    for issue, sentiment, count, total_confidence in (
        await session.execute(statement)
    ).all():
        counts[issue][sentiment] += count
        confidence[issue] += float(total_confidence or 0.0)
    posts = await count_posts(session, post_filter)
    shares = [
        IssueShare(
            issue=issue,
            posts=sum(c.values()),
            share=round(sum(c.values()) / posts, 6) if posts else 0.0,
            mean_confidence=round(confidence[issue] / sum(c.values()), 4),
            sentiment=SentimentCounts.of(c),
        )
        for issue, c in counts.items()
    ]
    return sorted(shares, key=lambda s: (-s.posts, s.issue))


async def count_posts(session: AsyncSession, post_filter: PostFilter) -> int:
    statement = post_filter.apply(select(func.count()).select_from(SocialPost))
    return int((await session.execute(statement)).scalar_one())


async def list_influencers(
    session: AsyncSession, post_filter: PostFilter, *, limit: int = 20
) -> list[Influencer]:
    """Accounts by total engagement (likes + shares + replies), then by posts."""
    engagement = func.sum(SocialPost.likes + SocialPost.shares + SocialPost.replies)
    positive = func.sum(
        (SocialPost.sentiment == "positive").cast(SocialPost.likes.type)
    )
    negative = func.sum(
        (SocialPost.sentiment == "negative").cast(SocialPost.likes.type)
    )
    scored = func.count(SocialPost.sentiment)
    statement = post_filter.apply(
        select(
            SocialPost.platform, SocialPost.author, SocialPost.author_hashed,
            func.count().label("posts"), engagement.label("engagement"),
            positive, negative, scored,
        )
        .where(SocialPost.author.is_not(None))
        .group_by(SocialPost.platform, SocialPost.author, SocialPost.author_hashed)
        .order_by(engagement.desc(), func.count().desc(), SocialPost.author)
        .limit(limit)
    )  # fmt: skip
    return [
        Influencer(
            platform=platform, author=author, author_hashed=hashed, posts=posts,
            engagement=int(total or 0),
            net_sentiment=round((int(pos or 0) - int(neg or 0)) / n, 4) if n else None,
        )
        for platform, author, hashed, posts, total, pos, neg, n in (
            await session.execute(statement)
        ).all()
    ]  # fmt: skip
