"""Migrations run on both databases and match the models exactly."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from store.migrate import check_store, downgrade_store, upgrade_store


async def test_models_do_not_drift_from_migrations(store_url: str) -> None:
    await asyncio.to_thread(check_store, store_url)


async def test_downgrade_to_base_and_up_again(
    store_url: str, store_engine: AsyncEngine
) -> None:
    await asyncio.to_thread(downgrade_store, store_url, "base")
    async with store_engine.connect() as connection:
        empty = await connection.run_sync(lambda c: inspect(c).get_table_names())

    await asyncio.to_thread(upgrade_store, store_url, "head")
    async with store_engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())

    assert set(empty) <= {"alembic_version"}
    assert {"agencies", "sources", "datasets", "ingestion_runs", "graph_nodes"} <= set(
        tables
    )
