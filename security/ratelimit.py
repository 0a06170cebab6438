"""Per-principal rate limits: a token bucket per subject, refilled continuously.

A key's limit is a quota promised to whoever holds the key, so it must hold
however many server processes answer: ``StoreRateLimiter`` keeps the buckets
in the store, where every worker and every server behind the load balancer
takes from the same bucket with one atomic statement per request (Hasura's
per-role limits behave so, through Redis). ``RateLimiter`` keeps them in the
process, for one worker that wants no statement per request; with N workers
a subject then gets up to N times its limit (Apollo Router's own limit is per
router instance in the same way).

If the store does not answer, the shared limiter lets the request through and
logs a warning: a store outage must not stop reads of live agency sources.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol, cast

from sqlalchemy import Table, case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from security.errors import RateLimitedError
from store.security import RateLimitBucket

logger = logging.getLogger(__name__)

MAX_BUCKETS = 50_000
IDLE_BUCKET_SECONDS = 3600.0
SWEEP_EVERY = 1000


class Limiter(Protocol):
    """What the HTTP layer needs of a rate limiter."""

    def is_limited(self, per_minute: int | None = None) -> bool:
        """Whether ``check`` counts requests at this rate (0 means no limit)."""

    async def check(self, subject: str, per_minute: int | None = None) -> None:
        """Take one request from ``subject``'s bucket; raise ``RateLimitedError``."""


def bucket_size(per_minute: int, burst: int | None) -> float:
    """Requests allowed at once: ``burst``, or a sixth of the minute's budget."""
    return float(burst if burst is not None else max(1, per_minute // 6))


def refused(rate: int, tokens: float) -> RateLimitedError:
    retry_after = (1.0 - tokens) * 60.0 / rate
    return RateLimitedError(
        f"rate limit of {rate} requests per minute exceeded; retry in "
        f"{retry_after:.1f} s",
        retry_after,
    )


class _Budget:
    """The default rate and burst, and how a key's own limit replaces them."""

    def __init__(self, per_minute: int, burst: int | None) -> None:
        self.per_minute = per_minute
        self.burst = burst

    def is_limited(self, per_minute: int | None = None) -> bool:
        """Whether ``check`` counts requests at this rate (0 means no limit)."""
        return (per_minute if per_minute is not None else self.per_minute) > 0

    def _budget(self, per_minute: int | None) -> tuple[int, float] | None:
        """Rate and bucket size for a key's own limit (or the default); None: no limit."""
        rate = per_minute if per_minute is not None else self.per_minute
        if rate <= 0:
            return None
        return rate, bucket_size(rate, self.burst if per_minute is None else None)


class RateLimiter(_Budget):
    """Buckets in this process: ``per_minute`` per subject, bursts of ``burst``.

    Not thread-safe; safe between asyncio tasks of one event loop.
    """

    def __init__(self, per_minute: int, *, burst: int | None = None) -> None:
        super().__init__(per_minute, burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def check(self, subject: str, per_minute: int | None = None) -> None:
        """Take one request from ``subject``'s bucket; raise ``RateLimitedError``.

        ``per_minute`` (a key's own limit) replaces the default; 0 disables.
        """
        budget = self._budget(per_minute)
        if budget is None:
            return
        rate, capacity = budget
        now = time.monotonic()
        tokens, updated = self._buckets.pop(subject, (capacity, now))
        tokens = min(capacity, tokens + (now - updated) * rate / 60.0)
        if tokens < 1.0:
            self._buckets[subject] = (tokens, now)
            raise refused(rate, tokens)
        self._buckets[subject] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)


class StoreRateLimiter(_Budget):
    """Buckets in the store's ``rate_limit_buckets``, shared by every process.

    Each check is one ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING``: the
    database serialises concurrent checks of a subject, so no two workers
    spend the same token. Servers' clocks should agree (NTP); a clock behind
    the last update refills nothing rather than draining. Safe to share.
    """

    def __init__(
        self, engine: AsyncEngine, per_minute: int, *, burst: int | None = None
    ) -> None:
        if engine.dialect.name not in ("postgresql", "sqlite"):
            raise ValueError(
                f"shared rate limits need PostgreSQL or SQLite, not {engine.dialect.name}"
            )
        super().__init__(per_minute, burst)
        self.engine = engine
        self._checks = 0

    async def check(self, subject: str, per_minute: int | None = None) -> None:
        """Take one request from ``subject``'s shared bucket; raise ``RateLimitedError``.

        ``per_minute`` (a key's own limit) replaces the default; 0 disables.
        """
        budget = self._budget(per_minute)
        if budget is None:
            return
        rate, capacity = budget
        try:
            tokens, allowed = await self._take(subject, rate, capacity)
        except (SQLAlchemyError, OSError) as error:
            logger.warning(
                "ratelimit.store_unavailable subject=%s error=%s",
                subject,
                type(error).__name__,
            )
            return
        if not allowed:
            raise refused(rate, tokens)

    async def _take(
        self, subject: str, rate: int, capacity: float
    ) -> tuple[float, bool]:
        now = time.time()
        table = cast(Table, RateLimitBucket.__table__)
        elapsed = case((table.c.updated_at < now, now - table.c.updated_at), else_=0.0)
        grown = table.c.tokens + elapsed * (rate / 60.0)
        refilled = case((grown > capacity, capacity), else_=grown)
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(table).values(
            subject=subject, tokens=capacity - 1.0, updated_at=now, allowed=True
        )
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.subject],
            set_={
                "tokens": case((refilled >= 1.0, refilled - 1.0), else_=refilled),
                "updated_at": now,
                "allowed": refilled >= 1.0,
            },
        ).returning(table.c.tokens, table.c.allowed)
        async with self.engine.begin() as connection:
            tokens, allowed = (await connection.execute(statement)).one()
            self._checks += 1
            if self._checks % SWEEP_EVERY == 0:
                await connection.execute(
                    table.delete().where(table.c.updated_at < now - IDLE_BUCKET_SECONDS)
                )
        return float(tokens), bool(allowed)
