"""Title vectors are encoded once per model and then read from the store."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linking.embedder import Embedder
from linking.title_vectors import load_title_vectors
from store.market import MarketTitleEmbedding
from tests.market_support import sessions

__all__ = ["sessions"]

TITLES = ["beras pandan wangi 5 kg", "gula pasir 1 kg", "beras pandan wangi 5 kg"]


async def test_stored_vectors_are_read_without_loading_the_model(
    sessions: async_sessionmaker[AsyncSession], embedder: Embedder
) -> None:
    first = await load_title_vectors(sessions, embedder, TITLES)
    fresh = Embedder()  # an empty in-memory cache and no model loaded yet

    again = await load_title_vectors(sessions, fresh, TITLES)

    assert fresh._model is None
    fresh.close()
    assert np.array_equal(first, again)
    assert np.allclose(first, embedder.encode(TITLES), atol=1e-6)
    async with sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(MarketTitleEmbedding)
        )
    assert stored == 2
