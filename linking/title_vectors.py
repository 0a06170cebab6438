"""Title embeddings kept in the store, so each title is encoded once per model.

Product linking looks at every listing on every run; encoding thousands of
titles again each time would cost minutes of CPU. Vectors are keyed by model
name and normalised title.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linking.embedder import Embedder, Vectors
from store.engine import transaction
from store.market import MarketTitleEmbedding

BATCH = 500


def title_key(model: str, title: str) -> str:
    return hashlib.sha256(f"{model}\x1f{title}".encode()).hexdigest()


async def load_title_vectors(
    sessions: async_sessionmaker[AsyncSession],
    embedder: Embedder,
    titles: Sequence[str],
) -> Vectors:
    """Unit vectors of ``titles`` in order: stored ones read, the rest encoded and stored.

    Raises ``ModelLoadError`` when a title must be encoded and the model cannot load.
    """
    model = embedder.cache_key
    keys = [title_key(model, title) for title in titles]
    found = await _read(sessions, keys)
    missing = sorted({t for k, t in zip(keys, titles, strict=True) if k not in found})
    if missing:
        vectors = await embedder.encode_async(missing)
        await _write(sessions, model, missing, vectors)
        for title, vector in zip(missing, vectors, strict=True):
            found[title_key(model, title)] = vector
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([found[key] for key in keys])


async def _read(
    sessions: async_sessionmaker[AsyncSession], keys: Sequence[str]
) -> dict[str, Vectors]:
    found: dict[str, Vectors] = {}
    unique = sorted(set(keys))
    async with sessions() as session:
        for start in range(0, len(unique), BATCH):
            query = select(MarketTitleEmbedding.key, MarketTitleEmbedding.vector).where(
                MarketTitleEmbedding.key.in_(unique[start : start + BATCH])
            )
            for key, vector in await session.execute(query):
                found[key] = np.frombuffer(vector, dtype=np.float32)
    return found


async def _write(
    sessions: async_sessionmaker[AsyncSession],
    model: str,
    titles: Sequence[str],
    vectors: Vectors,
) -> None:
    rows = [
        {
            "key": title_key(model, title),
            "model": model,
            "title": title,
            "vector": np.asarray(vector, dtype=np.float32).tobytes(),
        }
        for title, vector in zip(titles, vectors, strict=True)
    ]
    async with transaction(sessions) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        for start in range(0, len(rows), BATCH):
            statement = insert(MarketTitleEmbedding).values(rows[start : start + BATCH])
            # A concurrent run may have stored the same title meanwhile.
            await session.execute(
                statement.on_conflict_do_nothing(index_elements=["key"])
            )
