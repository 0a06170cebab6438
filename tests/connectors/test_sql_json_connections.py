"""The JSON path's connection stack: bounded, reused, and never reused when broken."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from connectors.sql_json_connections import ConnectionStack
from tests.conftest import require_service


@pytest.fixture
async def opened() -> AsyncIterator[list[asyncpg.Connection]]:
    """Every connection the stack under test opened, closed after the test."""
    connections: list[asyncpg.Connection] = []
    yield connections
    for connection in connections:
        connection.terminate()


def make_stack(
    opened: list[asyncpg.Connection], size: int, max_idle: float = 60.0
) -> ConnectionStack:
    url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")

    async def connect() -> asyncpg.Connection:
        connection = await asyncpg.connect(dsn)
        opened.append(connection)
        return connection

    return ConnectionStack(connect, size, max_idle)


async def test_a_connection_given_back_is_taken_again(
    opened: list[asyncpg.Connection],
) -> None:
    stack = make_stack(opened, size=2)

    first = await stack.take()
    assert await first.fetchval("SELECT 1") == 1
    stack.give_back(first, reusable=True)
    again = await stack.take()
    stack.give_back(again, reusable=True)

    assert again is first
    assert len(opened) == 1


async def test_no_more_than_size_connections_are_taken_at_once(
    opened: list[asyncpg.Connection],
) -> None:
    stack = make_stack(opened, size=1)
    held = await stack.take()

    waiting = asyncio.create_task(stack.take())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    stack.give_back(held, reusable=True)
    second = await asyncio.wait_for(waiting, timeout=5)
    stack.give_back(second, reusable=True)

    assert second is held
    assert len(opened) == 1


async def test_a_connection_that_is_not_reusable_is_closed(
    opened: list[asyncpg.Connection],
) -> None:
    stack = make_stack(opened, size=1)
    broken = await stack.take()

    stack.give_back(broken, reusable=False)
    fresh = await stack.take()
    stack.give_back(fresh, reusable=True)

    assert broken.is_closed()
    assert fresh is not broken
    assert len(opened) == 2


async def test_a_cancelled_statement_does_not_leak_its_connection(
    opened: list[asyncpg.Connection],
) -> None:
    stack = make_stack(opened, size=1)

    async def slow() -> None:
        connection = await stack.take()
        reusable = False
        try:
            await connection.fetch("SELECT pg_sleep(10)")
            reusable = True
        finally:
            stack.give_back(connection, reusable=reusable)

    task = asyncio.create_task(slow())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    after = await asyncio.wait_for(stack.take(), timeout=5)
    value = await after.fetchval("SELECT 2")
    stack.give_back(after, reusable=True)

    assert opened[0].is_closed()
    assert after is not opened[0]
    assert value == 2


async def test_connections_idle_too_long_are_replaced(
    opened: list[asyncpg.Connection],
) -> None:
    stack = make_stack(opened, size=1, max_idle=0.0)
    first = await stack.take()
    stack.give_back(first, reusable=True)
    await asyncio.sleep(0.01)

    second = await stack.take()
    stack.give_back(second, reusable=True)

    assert second is not first
    assert first.is_closed()


async def test_a_closed_stack_refuses_and_closes_what_comes_back(
    opened: list[asyncpg.Connection],
) -> None:
    stack = make_stack(opened, size=2)
    idle = await stack.take()
    held = await stack.take()
    stack.give_back(idle, reusable=True)

    await stack.close()
    stack.give_back(held, reusable=True)

    assert idle.is_closed()
    assert held.is_closed()
    with pytest.raises(asyncpg.InterfaceError, match="closed"):
        await stack.take()


def test_a_stack_needs_room_for_one_connection() -> None:
    async def connect() -> asyncpg.Connection:
        raise AssertionError("never called")

    with pytest.raises(ValueError, match="size of 1 or more"):
        ConnectionStack(connect, 0)
