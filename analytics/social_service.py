"""Big Social as one service: what resolvers and the CLI call.

Created once per process with the store sessions, the graph, the embedder, the
Big Social config and the sentiment model file; safe to share between
concurrent requests (each call opens its own short session).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.reputation import (
    Influencer,
    IssueShare,
    SentimentPoint,
    VoiceShare,
    issue_breakdown,
    list_influencers,
    sentiment_series,
    share_of_voice,
)
from analytics.sentiment import SentimentModel, load_sentiment_model
from analytics.social_config import SocialAnalyticsConfig
from analytics.social_filters import PostFilter
from analytics.social_ingest import (
    IngestReport,
    Progress,
    SocialAnalysers,
    build_analysers,
    ingest_posts,
)
from analytics.social_search import search_posts
from analytics.trends import (
    Dimension,
    Granularity,
    TrendSeries,
    compute_trends,
    load_post_facts,
    top_terms,
)
from connectors.social_profiles import SocialProfile
from connectors.social_records import RawPost
from graph.base import GraphStore
from linking.embedder import Embedder
from store.social import SocialPost

SortOrder = Literal["newest", "oldest", "engagement"]


@dataclass(frozen=True)
class ScoredPost:
    post: SocialPost
    score: float


class SocialService:
    """Ingestion and every Big Social read. Safe to share between tasks."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        graph: GraphStore | None,
        embedder: Embedder | None,
        *,
        config: SocialAnalyticsConfig,
        model_path: Path,
        author_salt: str,
        profiles: Sequence[SocialProfile] = (),
    ) -> None:
        self.sessions = sessions
        self.graph = graph
        self.embedder = embedder
        self.config = config
        self.model_path = model_path
        self.author_salt = author_salt
        self.profiles = tuple(profiles)
        self._analysers: SocialAnalysers | None = None
        self._lock = threading.Lock()

    def load_model(self) -> SentimentModel:
        """The sentiment model; raises ``ModelNotTrainedError`` when not trained."""
        return load_sentiment_model(self.model_path)

    def analysers(self) -> SocialAnalysers:
        with self._lock:
            if self._analysers is None:
                self._analysers = build_analysers(
                    self.config,
                    sentiment=self.load_model(),
                    embedder=self.embedder,
                    author_salt=self.author_salt,
                )
            return self._analysers

    async def ingest(
        self,
        posts: Sequence[RawPost],
        *,
        kind: str,
        input_name: str,
        input_checksum: str | None,
        embed: bool = True,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Analyse and store posts (see ``analytics.social_ingest.ingest_posts``)."""
        analysers = await asyncio.to_thread(self.analysers)
        return await ingest_posts(
            posts,
            sessions=self.sessions,
            graph=self.graph,
            analysers=analysers,
            kind=kind,
            input_name=input_name,
            input_checksum=input_checksum,
            embed=embed and self.embedder is not None,
            progress=progress,
        )

    async def list_posts(
        self, post_filter: PostFilter, *, order: SortOrder, limit: int, offset: int
    ) -> tuple[list[SocialPost], int]:
        """A page of posts and the total matching the filter."""
        from analytics.reputation import count_posts

        ordering = {
            "newest": (SocialPost.posted_at.desc(), SocialPost.id.desc()),
            "oldest": (SocialPost.posted_at, SocialPost.id),
            "engagement": (
                (SocialPost.likes + SocialPost.shares + SocialPost.replies).desc(),
                SocialPost.id,
            ),
        }[order]
        statement = post_filter.apply(select(SocialPost)).order_by(*ordering)
        async with self.sessions() as session:
            rows = await session.scalars(statement.limit(limit).offset(offset))
            return list(rows), await count_posts(session, post_filter)

    async def trends(
        self,
        post_filter: PostFilter,
        *,
        dimension: Dimension,
        granularity: Granularity,
        limit: int,
        keys: Sequence[str] = (),
        threshold: float = 3.0,
    ) -> list[TrendSeries]:
        async with self.sessions() as session:
            facts = await load_post_facts(session, post_filter)
        return compute_trends(
            facts,
            dimension=dimension,
            granularity=granularity,
            limit=limit,
            keys=keys,
            threshold=threshold,
        )

    async def top_terms(
        self, post_filter: PostFilter, *, limit: int
    ) -> list[tuple[str, int]]:
        async with self.sessions() as session:
            facts = await load_post_facts(session, post_filter)
        return top_terms(facts, limit=limit)

    async def sentiment_series(
        self, post_filter: PostFilter, granularity: Granularity
    ) -> list[SentimentPoint]:
        async with self.sessions() as session:
            return await sentiment_series(session, post_filter, granularity)

    async def issue_breakdown(self, post_filter: PostFilter) -> list[IssueShare]:
        async with self.sessions() as session:
            return await issue_breakdown(session, post_filter)

    async def share_of_voice(self, post_filter: PostFilter) -> list[VoiceShare]:
        async with self.sessions() as session:
            return await share_of_voice(
                session, self.config.tracked_entities, post_filter
            )

    async def influencers(
        self, post_filter: PostFilter, *, limit: int
    ) -> list[Influencer]:
        async with self.sessions() as session:
            return await list_influencers(session, post_filter, limit=limit)

    async def search(
        self, query: str, post_filter: PostFilter, *, limit: int
    ) -> list[ScoredPost]:
        """Posts closest in meaning to ``query``, best first, with their score."""
        if self.embedder is None:
            return []
        async with self.sessions() as session:
            hits = await search_posts(
                session, self.embedder, query, post_filter, limit=limit
            )
            rows = await session.scalars(
                select(SocialPost).where(SocialPost.id.in_([h.post_id for h in hits]))
            )
            by_id = {post.id: post for post in rows}
        return [
            ScoredPost(by_id[h.post_id], h.score) for h in hits if h.post_id in by_id
        ]
