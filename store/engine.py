"""Engines and sessions of the store.

One engine per process, created at start-up. Sessions are short and never shared
between concurrently running tasks: open one per unit of work with ``session()``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from store.errors import StoreUnavailableError


def create_store_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the store engine for ``url``; SQLite files get their folder created.

    SQLite connections enable foreign keys and WAL so that readers do not block
    the single writer.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Open a session, commit when the block succeeds, roll back when it raises.

    This is the one place that commits and rolls back store sessions.
    """
    async with factory() as session, session.begin():
        yield session


async def ping_store(engine: AsyncEngine) -> None:
    """Run ``SELECT 1``; raise ``StoreUnavailableError`` when the store is down."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError, OSError, PoolTimeoutError) as error:
        raise StoreUnavailableError(
            f"the store at {engine.url.render_as_string(hide_password=True)} "
            f"does not answer: {error.__class__.__name__}"
        ) from error
