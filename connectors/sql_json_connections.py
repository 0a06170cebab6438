"""The PostgreSQL connections of the JSON path: a bounded stack, nothing more.

asyncpg's ``Pool`` costs more CPU per checkout than the one-row statement the
JSON path runs on it: each release is shielded in a task of its own, and each
checkout passes a queue, a holder and a proxy (measured on a 2-core machine:
about 45 µs per checkout with the session reset off, against about 35 µs for
the statement itself). These connections only ever run our own read-only
``SELECT`` statements in autocommit, so they need none of that: a connection
is taken from a stack, used by one task, and put back unless anything went
wrong with it (an error or a cancellation closes it instead, so no connection
ever goes back in an unknown state).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg

Connect = Callable[[], Awaitable[asyncpg.Connection]]


class ConnectionStack:
    """At most ``size`` connections, opened on demand and reused last-in first-out.

    Safe to share between tasks; a connection taken with ``take`` belongs to
    the taking task until it gives it back with ``give_back``, exactly once.
    Connections idle longer than ``max_idle`` seconds are closed, not reused.
    """

    def __init__(self, connect: Connect, size: int, max_idle: float = 1800.0) -> None:
        if size < 1:
            raise ValueError(
                f"a connection stack needs a size of 1 or more, not {size}"
            )
        self._connect = connect
        self._slots = asyncio.Semaphore(size)
        self._idle: list[tuple[asyncpg.Connection, float]] = []
        self._max_idle = max_idle
        self._closed = False

    async def take(self) -> asyncpg.Connection:
        """An open connection; waits while ``size`` are taken. Raises what
        connecting raises (``OSError``, ``asyncpg`` errors)."""
        if self._closed:
            raise asyncpg.InterfaceError("the connection stack is closed")
        await self._slots.acquire()
        try:
            return await self._reuse_or_connect()
        except BaseException:
            self._slots.release()
            raise

    async def _reuse_or_connect(self) -> asyncpg.Connection:
        now = time.monotonic()
        while self._idle:
            connection, since = self._idle.pop()
            if not connection.is_closed() and now - since <= self._max_idle:
                return connection
            connection.terminate()
        return await self._connect()

    def give_back(self, connection: asyncpg.Connection, *, reusable: bool) -> None:
        """Return a taken connection; one that is not ``reusable`` (its statement
        failed or was cancelled) is closed."""
        try:
            if reusable and not self._closed and not connection.is_closed():
                self._idle.append((connection, time.monotonic()))
            else:
                connection.terminate()
        finally:
            self._slots.release()

    async def close(self) -> None:
        """Close the idle connections; taken ones are closed when given back."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection, _since in idle:
            try:
                await connection.close(timeout=5)
            except (
                OSError,
                TimeoutError,
                asyncpg.PostgresError,
                asyncpg.InterfaceError,
            ):
                connection.terminate()
