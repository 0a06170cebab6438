"""Alembic environment: runs migrations on the async engine of the given URL.

The URL comes from the alembic config (``bigone migrate`` sets it); this module
reads no environment variables of its own.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from store.engine import create_store_engine
from store.models import Base

# Tables created at run time for ingested file datasets live beside the managed
# ones and must not count as drift.
DYNAMIC_TABLE_PREFIX = "ds_"


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if type_ == "table" and name and name.startswith(DYNAMIC_TABLE_PREFIX):
        return False
    table = getattr(obj, "table", None)
    table_name = getattr(table, "name", "") or ""
    return not table_name.startswith(DYNAMIC_TABLE_PREFIX)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str) -> None:
    engine = create_store_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def _run() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no store URL given to alembic: run `bigone migrate`")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    asyncio.run(_run_online(url))


_run()
