"""Per-principal rate limits: a token bucket per subject, refilled continuously.

Buckets live in the process; behind a load balancer each server enforces the
limit on its share of the traffic, which sticky routing by key keeps exact.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from security.errors import RateLimitedError

MAX_BUCKETS = 50_000


class RateLimiter:
    """Allows ``per_minute`` requests per subject with bursts of ``burst``.

    Not thread-safe; safe between asyncio tasks of one event loop.
    """

    def __init__(self, per_minute: int, *, burst: int | None = None) -> None:
        self.per_minute = per_minute
        self.burst = burst if burst is not None else max(1, per_minute // 6)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def is_limited(self, per_minute: int | None = None) -> bool:
        """Whether ``check`` counts requests at this rate (0 means no limit)."""
        return (per_minute if per_minute is not None else self.per_minute) > 0

    def check(self, subject: str, per_minute: int | None = None) -> None:
        """Take one request from ``subject``'s bucket; raise ``RateLimitedError``."""
        rate = per_minute if per_minute is not None else self.per_minute
        if rate <= 0:
            return
        capacity = float(
            max(self.burst, 1) if per_minute is None else max(1, rate // 6)
        )
        now = time.monotonic()
        tokens, updated = self._buckets.pop(subject, (capacity, now))
        tokens = min(capacity, tokens + (now - updated) * rate / 60.0)
        if tokens < 1.0:
            self._buckets[subject] = (tokens, now)
            retry_after = (1.0 - tokens) * 60.0 / rate
            raise RateLimitedError(
                f"rate limit of {rate} requests per minute exceeded; retry in "
                f"{retry_after:.1f} s",
                retry_after,
            )
        self._buckets[subject] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
