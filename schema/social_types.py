"""GraphQL types of Big Social: posts, trends, sentiment, issues, reputation, search."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from analytics import AnalyticsError
from analytics.reputation import Influencer, IssueShare, SentimentCounts, VoiceShare
from analytics.social_filters import PostFilter
from analytics.trends import TrendSeries
from resolvers import social as social_resolvers
from resolvers.context import RequestContext
from schema.errors import register_public_error
from security.access_index import SOCIAL_POSTS
from security.published import PostMasking
from security.visibility import dataset_field
from store.social import SocialPost

Ctx = Info[RequestContext, None]

register_public_error(AnalyticsError)

# Every Big Social field reads the published dataset of posts and articles.
POSTS = dataset_field(SOCIAL_POSTS)


@strawberry.enum(
    description="Bucket size of a time series (in the regency's zone, WIB)."
)
class TimeGranularity(Enum):
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"


@strawberry.enum(description="What a trend series counts.")
class TrendDimension(Enum):
    TOTAL = "total"
    TERM = "term"
    HASHTAG = "hashtag"
    ISSUE = "issue"
    ENTITY = "entity"


@strawberry.enum(description="Order of a page of posts.")
class PostOrder(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    ENGAGEMENT = "engagement"


@strawberry.input(
    description="Which posts to read; every given list matches any of it."
)
class PostFilterInput:
    since: datetime | None = strawberry.field(default=None, description="Inclusive.")
    until: datetime | None = strawberry.field(default=None, description="Exclusive.")
    platforms: list[str] | None = None
    kinds: list[str] | None = strawberry.field(
        default=None, description="post, comment, article."
    )
    sentiments: list[str] | None = strawberry.field(
        default=None, description="positive, neutral, negative."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="id, jv, en, mixed."
    )
    issues: list[str] | None = strawberry.field(default=None, description="Issue keys.")
    entities: list[str] | None = strawberry.field(
        default=None, description="Keys of tracked entities the posts mention."
    )
    text: str | None = strawberry.field(
        default=None,
        description="Substring of the normalised text. Roles that see post text "
        "masked may not filter by @handles, e-mail addresses or long numbers.",
    )

    def to_filter(self) -> PostFilter:
        return PostFilter(
            since=self.since,
            until=self.until,
            platforms=self.platforms or (),
            kinds=self.kinds or (),
            sentiments=self.sentiments or (),
            languages=self.languages or (),
            issues=self.issues or (),
            entities=self.entities or (),
            text_contains=self.text,
        )


def to_filter(value: PostFilterInput | None) -> PostFilter:
    return value.to_filter() if value else PostFilter()


@strawberry.type(name="PostIssue", description="An issue assigned to a post.")
class PostIssueType:
    issue: str
    confidence: float = strawberry.field(description="0..1; see the issue method docs.")
    method: str = strawberry.field(
        description="keywords, embedding, both, or residual."
    )


@strawberry.type(name="SocialPost", description="A social-media post or news article.")
class SocialPostType:
    id: strawberry.ID = strawberry.field(
        description="post:<platform>:<postId>; graph node id."
    )
    store_id: strawberry.Private[int]
    platform: str
    post_id: str = strawberry.field(
        description="Id at the platform or h:<content hash>."
    )
    kind: str
    author: str | None = strawberry.field(
        description="Handle; a pseudonym for private persons, masked (****) for "
        "roles that may not see personal data."
    )
    author_hashed: bool
    title: str | None
    text: str
    posted_at: datetime | None
    likes: int
    shares: int
    replies: int
    views: int | None
    url: str | None
    language: str = strawberry.field(description="id, jv, en, mixed or und.")
    reply_to: str | None
    quote_of: str | None
    source_name: str | None
    category: str | None
    hashtags: list[str]
    sentiment: str | None = strawberry.field(
        description="positive, neutral or negative."
    )
    sentiment_score: float | None

    @classmethod
    def of(cls, post: SocialPost, masking: PostMasking) -> SocialPostType:
        hashed = post.author_hashed
        return cls(
            id=strawberry.ID(f"post:{post.platform}:{post.post_id}"),
            store_id=post.id, platform=post.platform, post_id=post.post_id,
            kind=post.kind, author=masking.author(post.author, hashed),
            author_hashed=hashed, title=masking.text(post.title),
            text=masking.text(post.text) or "", posted_at=post.posted_at,
            likes=post.likes, shares=post.shares, replies=post.replies,
            views=post.views, url=masking.url(post.url, hashed),
            language=post.language,
            reply_to=post.reply_to, quote_of=post.quote_of,
            source_name=post.source_name, category=post.category,
            hashtags=list(post.hashtags or []), sentiment=post.sentiment,
            sentiment_score=post.sentiment_score,
        )  # fmt: skip

    @strawberry.field(description="Issues of the post, most confident first.")
    async def issues(self, info: Ctx) -> list[PostIssueType]:
        rows = await social_resolvers.issue_loader(info.context).load(self.store_id)
        return [
            PostIssueType(issue=r.issue, confidence=r.confidence, method=r.method)
            for r in rows
        ]


@strawberry.type(name="SocialPostPage")
class SocialPostPageType:
    items: list[SocialPostType]
    total: int = strawberry.field(description="Posts matching the filter, all pages.")


@strawberry.type(name="TrendPoint")
class TrendPointType:
    bucket: datetime = strawberry.field(
        description="Start of the hour, day or month (WIB)."
    )
    count: int
    baseline: float | None = strawberry.field(
        description="Mean of the preceding window."
    )
    z_score: float | None = strawberry.field(
        description="(count - baseline) / sqrt(baseline)."
    )
    is_spike: bool = strawberry.field(
        description="z at or above the threshold, count >= 5."
    )


@strawberry.type(name="TrendSeries", description="Volume over time of one key.")
class TrendSeriesType:
    dimension: str
    key: str
    total: int
    points: list[TrendPointType]

    @classmethod
    def of(cls, series: TrendSeries) -> TrendSeriesType:
        return cls(
            dimension=series.dimension,
            key=series.key,
            total=series.total,
            points=[
                TrendPointType(bucket=p.bucket, count=p.count, baseline=p.baseline,
                               z_score=p.z_score, is_spike=p.is_spike)
                for p in series.points
            ],
        )  # fmt: skip


@strawberry.type(name="TermCount")
class TermCountType:
    term: str
    posts: int


@strawberry.type(name="SentimentCounts")
class SentimentCountsType:
    positive: int
    neutral: int
    negative: int
    unscored: int
    total: int
    net: float | None = strawberry.field(
        description="(positive - negative) / scored posts."
    )

    @classmethod
    def of(cls, counts: SentimentCounts) -> SentimentCountsType:
        return cls(
            positive=counts.positive, neutral=counts.neutral, negative=counts.negative,
            unscored=counts.unscored, total=counts.total, net=counts.net,
        )  # fmt: skip


@strawberry.type(name="SentimentPoint")
class SentimentPointType:
    bucket: datetime
    sentiment: SentimentCountsType


@strawberry.type(name="IssueShare")
class IssueShareType:
    issue: str
    label: str
    posts: int
    share: float = strawberry.field(description="Of all posts matching the filter.")
    mean_confidence: float
    sentiment: SentimentCountsType

    @classmethod
    def of(cls, item: IssueShare, labels: dict[str, str]) -> IssueShareType:
        return cls(
            issue=item.issue, label=labels.get(item.issue, item.issue), posts=item.posts,
            share=item.share, mean_confidence=item.mean_confidence,
            sentiment=SentimentCountsType.of(item.sentiment),
        )  # fmt: skip


@strawberry.type(
    name="VoiceShare", description="An entity's share of tracked mentions."
)
class VoiceShareType:
    entity: str
    name: str
    posts: int
    share: float
    sentiment: SentimentCountsType

    @classmethod
    def of(cls, item: VoiceShare) -> VoiceShareType:
        return cls(
            entity=item.entity, name=item.name, posts=item.posts, share=item.share,
            sentiment=SentimentCountsType.of(item.sentiment),
        )  # fmt: skip


@strawberry.type(name="Influencer", description="An account by engagement.")
class InfluencerType:
    platform: str
    author: str
    author_hashed: bool
    posts: int
    engagement: int = strawberry.field(description="Likes + shares + replies.")
    net_sentiment: float | None

    @classmethod
    def of(cls, item: Influencer, masking: PostMasking) -> InfluencerType:
        author = masking.author(item.author, item.author_hashed) or ""
        return cls(**{**vars(item), "author": author})


@strawberry.type(name="ScoredPost")
class ScoredPostType:
    score: float = strawberry.field(description="Cosine similarity to the query.")
    post: SocialPostType


@strawberry.type
class SocialQuery:
    @strawberry.field(
        metadata=POSTS,
        description="Posts and articles matching a filter, a page at a time.",
    )
    async def posts(
        self,
        info: Ctx,
        filter: PostFilterInput | None = None,
        order: PostOrder = PostOrder.NEWEST,
        limit: int = 20,
        offset: int = 0,
    ) -> SocialPostPageType:
        rows, total = await social_resolvers.list_posts(
            info.context, to_filter(filter), order.value, limit, offset
        )
        masking = await social_resolvers.get_masking(info.context)
        return SocialPostPageType(
            items=[SocialPostType.of(r, masking) for r in rows], total=total
        )

    @strawberry.field(
        metadata=POSTS,
        description="Volume per hour, day or month per term, hashtag, issue or "
        "entity, with spikes.",
    )
    async def social_trends(
        self,
        info: Ctx,
        filter: PostFilterInput | None = None,
        dimension: TrendDimension = TrendDimension.TOTAL,
        granularity: TimeGranularity = TimeGranularity.DAY,
        limit: int = 10,
        keys: list[str] | None = None,
        threshold: float = 3.0,
    ) -> list[TrendSeriesType]:
        series = await social_resolvers.list_trends(
            info.context, to_filter(filter), dimension.value, granularity.value,
            limit, keys or [], threshold,
        )  # fmt: skip
        return [TrendSeriesType.of(s) for s in series]

    @strawberry.field(
        metadata=POSTS,
        description="Most frequent content words, Indonesian stop words removed.",
    )
    async def social_top_terms(
        self, info: Ctx, filter: PostFilterInput | None = None, limit: int = 20
    ) -> list[TermCountType]:
        terms = await social_resolvers.list_top_terms(
            info.context, to_filter(filter), limit
        )
        return [TermCountType(term=t, posts=n) for t, n in terms]

    @strawberry.field(
        description="Sentiment counts per hour, day or month.", metadata=POSTS
    )
    async def sentiment_series(
        self,
        info: Ctx,
        filter: PostFilterInput | None = None,
        granularity: TimeGranularity = TimeGranularity.DAY,
    ) -> list[SentimentPointType]:
        points = await social_resolvers.list_sentiment_series(
            info.context, to_filter(filter), granularity.value
        )
        return [
            SentimentPointType(
                bucket=p.bucket, sentiment=SentimentCountsType.of(p.sentiment)
            )
            for p in points
        ]

    @strawberry.field(
        description="Posts per issue with confidence and sentiment.", metadata=POSTS
    )
    async def issue_breakdown(
        self, info: Ctx, filter: PostFilterInput | None = None
    ) -> list[IssueShareType]:
        items = await social_resolvers.list_issue_breakdown(
            info.context, to_filter(filter)
        )
        labels = social_resolvers.issue_labels(info.context)
        return [IssueShareType.of(item, labels) for item in items]

    @strawberry.field(
        description="Share of voice and sentiment per tracked entity.", metadata=POSTS
    )
    async def share_of_voice(
        self, info: Ctx, filter: PostFilterInput | None = None
    ) -> list[VoiceShareType]:
        items = await social_resolvers.list_share_of_voice(
            info.context, to_filter(filter)
        )
        return [VoiceShareType.of(item) for item in items]

    @strawberry.field(description="The most engaged accounts.", metadata=POSTS)
    async def influencers(
        self, info: Ctx, filter: PostFilterInput | None = None, limit: int = 20
    ) -> list[InfluencerType]:
        items = await social_resolvers.list_influencers(
            info.context, to_filter(filter), limit
        )
        masking = await social_resolvers.get_masking(info.context)
        return [InfluencerType.of(item, masking) for item in items]

    @strawberry.field(
        description="Posts closest in meaning to a query, best first.", metadata=POSTS
    )
    async def search_posts(
        self,
        info: Ctx,
        query: str,
        filter: PostFilterInput | None = None,
        limit: int = 20,
    ) -> list[ScoredPostType]:
        hits = await social_resolvers.search_posts(
            info.context, query, to_filter(filter), limit
        )
        masking = await social_resolvers.get_masking(info.context)
        return [
            ScoredPostType(score=h.score, post=SocialPostType.of(h.post, masking))
            for h in hits
        ]
