"""Request deadlines under one event-loop timer, not one timer per request.

``asyncio.timeout`` arms a loop timer when a request starts and cancels it when
the request ends; with uvloop that pair costs several microseconds, a visible
share of a one-row lookup. Requests here get an ``asyncio.Timeout`` without a
timer of its own, and one timer, armed for the earliest deadline pending,
expires whichever are due. A request past its deadline is cancelled and its
``async with`` raises ``TimeoutError``, exactly as with ``asyncio.timeout``.
"""

from __future__ import annotations

import asyncio
import math
from types import TracebackType


class Deadlines:
    """Deadlines of the requests of one event loop at a time. Not thread-safe."""

    def __init__(self) -> None:
        self._pending: dict[asyncio.Timeout, float] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = math.inf

    def within(self, seconds: float) -> Deadline:
        """An async context that raises ``TimeoutError`` after ``seconds``."""
        return Deadline(self, seconds)

    @property
    def pending(self) -> int:
        """How many deadlines are armed (for tests)."""
        return len(self._pending)

    def _add(self, timeout: asyncio.Timeout, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new loop (tests): the old one's timer is gone
            self._loop, self._timer, self._timer_at = loop, None, math.inf
            self._pending.clear()
        when = loop.time() + seconds
        self._pending[timeout] = when
        if when < self._timer_at:
            if self._timer is not None:
                self._timer.cancel()
            self._timer, self._timer_at = loop.call_at(when, self._expire), when

    def _remove(self, timeout: asyncio.Timeout) -> None:
        self._pending.pop(timeout, None)

    def _expire(self) -> None:
        assert self._loop is not None
        now = self._loop.time()
        self._timer, self._timer_at = None, math.inf
        for timeout, when in list(self._pending.items()):
            if when <= now:
                del self._pending[timeout]
                timeout.reschedule(now)  # asyncio's own expiry cancels the task
        if self._pending:
            when = min(self._pending.values())
            self._timer, self._timer_at = self._loop.call_at(when, self._expire), when


class Deadline:
    """One request's deadline; use once, with ``async with``."""

    __slots__ = ("_deadlines", "_seconds", "_timeout")

    def __init__(self, deadlines: Deadlines, seconds: float) -> None:
        self._deadlines = deadlines
        self._seconds = seconds
        self._timeout = asyncio.Timeout(None)

    async def __aenter__(self) -> Deadline:
        await self._timeout.__aenter__()
        self._deadlines._add(self._timeout, self._seconds)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._deadlines._remove(self._timeout)
        await self._timeout.__aexit__(exc_type, exc, traceback)
