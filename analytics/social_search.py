"""Semantic search over posts: the query's embedding against cached post embeddings.

Filters (time, platform, issue, sentiment, entity) run in SQL first; the
remaining posts' vectors come from the embedding cache and are ranked by cosine
similarity in NumPy. Posts ingested without embeddings are not searchable by
meaning until re-embedded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.social_filters import PostFilter
from indonesian.normalise import normalise_text
from linking.embedder import Embedder
from store.social import SocialEmbedding, SocialPost

# TODO(#5): past a few hundred thousand posts, rank in the database (pgvector
# or the Neo4j vector index) instead of loading the filtered vectors.


@dataclass(frozen=True)
class PostHit:
    post_id: int
    score: float


async def search_posts(
    session: AsyncSession,
    embedder: Embedder,
    query: str,
    post_filter: PostFilter,
    *,
    limit: int = 20,
    min_score: float = 0.0,
) -> list[PostHit]:
    """Store ids of the posts closest in meaning to ``query``, best first."""
    vector = (await embedder.encode_async([normalise_text(query).text]))[0]
    statement = post_filter.apply(
        select(SocialPost.id, SocialEmbedding.vector).join(
            SocialEmbedding,
            (SocialEmbedding.text_hash == SocialPost.text_hash)
            & (SocialEmbedding.model == embedder.cache_key),
        )
    )
    rows = (await session.execute(statement)).all()
    if not rows:
        return []
    matrix = np.vstack([np.frombuffer(blob, dtype=np.float32) for _, blob in rows])
    scores = matrix @ vector
    order = np.argsort(-scores)[:limit]
    return [
        PostHit(int(rows[i][0]), round(float(scores[i]), 4))
        for i in order
        if scores[i] >= min_score
    ]
