"""Resolvers of Big Social: read the context, call the social service, return.

Every field reads the published dataset ``social.posts``: the policy decides
whether the principal reads it at all (the fields are absent from its schema
otherwise) and what of a post is masked (``security.published``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from analytics.reputation import Influencer, IssueShare, SentimentPoint, VoiceShare
from analytics.social_filters import PostFilter
from analytics.social_service import ScoredPost, SocialService, SortOrder
from analytics.trends import Dimension, Granularity, TrendSeries
from resolvers.context import RequestContext
from resolvers.paging import check_page
from security.access_index import SOCIAL_POSTS
from security.published import PostMasking, get_post_masking
from store.social import SocialPost, SocialPostIssue

MAX_LIMIT = 500
ISSUE_LOADER = "social_post_issues"


def get_social(context: RequestContext) -> SocialService:
    """The process-wide social service (created with the other services)."""
    service: SocialService = context.services.extras["social"]
    return service


async def get_masking(context: RequestContext) -> PostMasking:
    """What of a post is masked for the principal; raises when it reads no posts.

    The read is recorded for the audit trail like any dataset's.
    """
    security = context.services.security
    if security is None:
        return PostMasking()
    posts = (await security.access.get()).get_key(SOCIAL_POSTS)
    security.policy.require_read(context.principal, posts)
    context.access_log.record_read(posts)
    return get_post_masking(security.policy, context.principal, posts)


async def open_social(
    context: RequestContext, post_filter: PostFilter | None = None
) -> SocialService:
    """The social service, once the principal's access to posts and filter are checked."""
    masking = await get_masking(context)
    if post_filter is not None:
        masking.require_text_filter(post_filter.text_contains)
    return get_social(context)


def bounded(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


async def list_posts(
    context: RequestContext,
    post_filter: PostFilter,
    order: SortOrder,
    limit: int,
    offset: int,
) -> tuple[list[SocialPost], int]:
    check_page(offset=offset, maximum=MAX_LIMIT)
    social = await open_social(context, post_filter)
    return await social.list_posts(
        post_filter, order=order, limit=bounded(limit), offset=offset
    )


async def list_trends(
    context: RequestContext,
    post_filter: PostFilter,
    dimension: Dimension,
    granularity: Granularity,
    limit: int,
    keys: Sequence[str],
    threshold: float,
) -> list[TrendSeries]:
    social = await open_social(context, post_filter)
    return await social.trends(
        post_filter, dimension=dimension, granularity=granularity,
        limit=bounded(limit), keys=keys, threshold=threshold,
    )  # fmt: skip


async def list_top_terms(
    context: RequestContext, post_filter: PostFilter, limit: int
) -> list[tuple[str, int]]:
    social = await open_social(context, post_filter)
    return await social.top_terms(post_filter, limit=bounded(limit))


async def list_sentiment_series(
    context: RequestContext, post_filter: PostFilter, granularity: Granularity
) -> list[SentimentPoint]:
    social = await open_social(context, post_filter)
    return await social.sentiment_series(post_filter, granularity)


async def list_issue_breakdown(
    context: RequestContext, post_filter: PostFilter
) -> list[IssueShare]:
    social = await open_social(context, post_filter)
    return await social.issue_breakdown(post_filter)


def issue_labels(context: RequestContext) -> dict[str, str]:
    return {issue.key: issue.label for issue in get_social(context).config.taxonomy()}


async def list_share_of_voice(
    context: RequestContext, post_filter: PostFilter
) -> list[VoiceShare]:
    social = await open_social(context, post_filter)
    return await social.share_of_voice(post_filter)


async def list_influencers(
    context: RequestContext, post_filter: PostFilter, limit: int
) -> list[Influencer]:
    social = await open_social(context, post_filter)
    return await social.influencers(post_filter, limit=bounded(limit))


async def search_posts(
    context: RequestContext, query: str, post_filter: PostFilter, limit: int
) -> list[ScoredPost]:
    (await get_masking(context)).require_text_filter(query)
    social = await open_social(context, post_filter)
    return await social.search(query, post_filter, limit=bounded(limit))


def issue_loader(context: RequestContext) -> DataLoader[int, list[Any]]:
    """Per-request loader of a post's issues: one statement per batch of posts."""
    if ISSUE_LOADER not in context.loaders:
        sessions = context.services.sessions

        async def load(ids: list[int]) -> list[list[Any]]:
            statement = (
                select(SocialPostIssue)
                .where(SocialPostIssue.post_id.in_(ids))
                .order_by(SocialPostIssue.confidence.desc())
            )
            async with sessions() as session:
                rows = (await session.scalars(statement)).all()
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[row.post_id].append(row)
            return [grouped[i] for i in ids]

        context.loaders[ISSUE_LOADER] = DataLoader(load_fn=load)
    loader: DataLoader[int, list[Any]] = context.loaders[ISSUE_LOADER]
    return loader
