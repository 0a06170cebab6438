"""Request deadlines under one timer expire like asyncio.timeout, and only when due."""

from __future__ import annotations

import asyncio

import pytest

from app.deadlines import Deadlines


async def test_work_past_its_deadline_raises_timeout_error() -> None:
    deadlines = Deadlines()

    with pytest.raises(TimeoutError):
        async with deadlines.within(0.05):
            await asyncio.sleep(5)

    assert deadlines.pending == 0


async def test_work_within_its_deadline_is_left_alone() -> None:
    deadlines = Deadlines()

    async with deadlines.within(5):
        await asyncio.sleep(0.01)
        result = "done"

    assert result == "done"
    assert deadlines.pending == 0


async def test_each_deadline_expires_on_its_own() -> None:
    deadlines = Deadlines()
    finished: list[str] = []

    async def work(name: str, seconds: float, takes: float) -> None:
        try:
            async with deadlines.within(seconds):
                await asyncio.sleep(takes)
                finished.append(name)
        except TimeoutError:
            finished.append(f"{name} timed out")

    await asyncio.gather(
        work("long", 5, 0.2), work("short", 0.05, 5), work("later", 0.3, 5)
    )

    assert finished == ["short timed out", "long", "later timed out"]
    assert deadlines.pending == 0


async def test_an_earlier_deadline_arriving_later_still_expires_first() -> None:
    deadlines = Deadlines()

    async def slow() -> None:
        async with deadlines.within(5):
            await asyncio.sleep(10)

    background = asyncio.create_task(slow())
    await asyncio.sleep(0.01)
    started = asyncio.get_running_loop().time()
    with pytest.raises(TimeoutError):
        async with deadlines.within(0.05):
            await asyncio.sleep(5)
    waited = asyncio.get_running_loop().time() - started
    background.cancel()
    with pytest.raises(asyncio.CancelledError):
        await background

    assert waited < 1
    assert deadlines.pending == 0


async def test_a_cancellation_from_outside_is_not_a_timeout() -> None:
    deadlines = Deadlines()

    async def work() -> None:
        async with deadlines.within(5):
            await asyncio.sleep(5)

    task = asyncio.create_task(work())
    await asyncio.sleep(0.01)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    assert deadlines.pending == 0
