"""Rate limits per key hold across server workers; per-process buckets do not.

Two apps over one store stand for two workers (``uvicorn --workers 2``) or two
servers behind a load balancer: each has its own limiter object, as separate
processes would, and only the store is common.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from app.factory import create_app
from security.errors import RateLimitedError
from security.ratelimit import StoreRateLimiter
from store.migrate import upgrade_store_async
from tests.app.conftest import make_settings, open_client

VIEWER = {"query": "{ viewer { subject } }"}
# Six a minute refill one token in ten seconds: none comes back during a test.
PER_MINUTE, BURST = 6, 4


async def workers(
    tmp_path: Path, store_url: str, scope: str, count: int = 2
) -> AsyncIterator[list[httpx.AsyncClient]]:
    clients: list[httpx.AsyncClient] = []
    async with AsyncExitStack() as stack:
        for index in range(count):
            folder = tmp_path / f"worker-{index}"
            folder.mkdir()
            settings = make_settings(
                folder, store_url=store_url, rate_limit_per_minute=PER_MINUTE,
                rate_limit_burst=BURST, rate_limit_scope=scope,
            )  # fmt: skip
            opened = open_client(create_app(settings))
            clients.append(await stack.enter_async_context(_entered(opened)))
        yield clients


class _entered:
    """``open_client``'s generator as an async context manager."""

    def __init__(self, generator: AsyncIterator[httpx.AsyncClient]) -> None:
        self.generator = generator

    async def __aenter__(self) -> httpx.AsyncClient:
        return await anext(self.generator)

    async def __aexit__(self, *exc: object) -> None:
        await anext(self.generator, None)


async def statuses(clients: list[httpx.AsyncClient], requests: int) -> list[int]:
    """Status codes of ``requests`` concurrent requests spread over the workers."""
    responses = await asyncio.gather(
        *(
            clients[i % len(clients)].post("/graphql", json=VIEWER)
            for i in range(requests)
        )
    )
    return [response.status_code for response in responses]


async def test_one_budget_across_workers(tmp_path: Path, store_url: str) -> None:
    async for clients in workers(tmp_path, store_url, "store"):
        codes = await statuses(clients, 3 * BURST)
        after = await clients[1].post("/graphql", json=VIEWER)

        assert sorted(codes).count(200) == BURST
        assert codes.count(429) == 2 * BURST
        assert after.status_code == 429
        assert int(after.headers["retry-after"]) >= 1


async def test_per_process_buckets_multiply_the_budget(
    tmp_path: Path, store_url: str
) -> None:
    async for clients in workers(tmp_path, store_url, "process"):
        codes = await statuses(clients, 3 * BURST)

        assert codes.count(200) == 2 * BURST


async def test_bucket_refills_at_the_rate(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    await upgrade_store_async(url)
    engine = create_async_engine(url)
    limiter = StoreRateLimiter(engine, 600, burst=2)  # ten a second
    try:
        await limiter.check("k")
        await limiter.check("k")
        with pytest.raises(RateLimitedError) as refused:
            await limiter.check("k")
        await asyncio.sleep(refused.value.retry_after + 0.05)

        await limiter.check("k")

        with pytest.raises(RateLimitedError):
            await limiter.check("k")
        await limiter.check("other")
    finally:
        await engine.dispose()


async def test_store_outage_lets_requests_through(tmp_path: Path) -> None:
    engine = create_async_engine("postgresql+asyncpg://bigone:x@127.0.0.1:9/absent")
    limiter = StoreRateLimiter(engine, 1, burst=1)
    try:
        for _ in range(3):
            await limiter.check("k")
    finally:
        await engine.dispose()
