"""Running the JSON statements of ``sql_json`` on the raw driver connection.

SQLAlchemy's connection and result layers cost more than the query itself on a
one-row lookup, and the fast path needs neither: its statement is text already
and its rows are JSON texts. PostgreSQL sources get a small asyncpg pool of
their own, with the very session settings of the engine's connections
(``default_transaction_read_only``, ``statement_timeout``); other databases
run the statement on a connection of the engine's pool, inside its read-only
transaction, with SQLite's deadline started as for any other statement.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import asyncpg
from sqlalchemy import Table
from sqlalchemy.engine import URL

from connectors.sql_json import JsonPage, JsonRowQuery, JsonStatements

if TYPE_CHECKING:
    from connectors.sql import SqlConnector


class JsonReader:
    """Pages of one source as JSON texts. Safe to share between tasks."""

    def __init__(self, connector: SqlConnector, url: URL) -> None:
        self._connector = connector
        self._url = url
        self._statements: dict[str, JsonStatements] = {}
        self._pool: asyncpg.Pool | None = None
        self._pool_lock = asyncio.Lock()

    def statements(self, table: Table) -> JsonStatements:
        found = self._statements.get(table.name)
        if found is None or found.table is not table:
            dialect = self._connector.engine.dialect
            found = JsonStatements(table, dialect)
            self._statements[table.name] = found
        return found

    async def read(
        self, table: Table, query: JsonRowQuery, with_total: bool
    ) -> JsonPage:
        """The page (and the total when asked): one statement each, in one session."""
        statements = self.statements(table)
        page_sql, page_params = statements.select_page(query)
        count = statements.select_count(query.filter) if with_total else None
        if self._url.get_backend_name() == "postgresql":
            rows, total = await self._read_postgres(page_sql, page_params, count)
        else:
            rows, total = await self._read_engine(page_sql, page_params, count)
        suspect = any(row[-1] for row in rows)
        return JsonPage([tuple(row[:-1]) for row in rows], suspect, total)

    async def _read_postgres(
        self, sql: str, params: list[Any], count: tuple[str, list[Any]] | None
    ) -> tuple[list[Any], int | None]:
        pool = await self._get_pool()
        async with pool.acquire() as connection:
            rows = await connection.fetch(sql, *params)
            total = None
            if count is not None:
                total = int(await connection.fetchval(count[0], *count[1]))
        return rows, total

    async def _get_pool(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        async with self._pool_lock:
            if self._pool is None:
                self._pool = await self._create_pool()
        return self._pool

    async def _create_pool(self) -> asyncpg.Pool:
        from connectors.sql import _postgres_connect_args

        config = self._connector.config
        settings = _postgres_connect_args(
            config.statement_timeout_ms, config.connect_timeout_ms
        )
        dsn = self._url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        pool: asyncpg.Pool = await asyncpg.create_pool(
            dsn,
            min_size=1,
            max_size=max(1, config.pool_size),
            server_settings=settings["server_settings"],
            timeout=settings["timeout"],
            max_inactive_connection_lifetime=1800,
            reset=_keep_session,
        )
        return pool

    async def _read_engine(
        self, sql: str, params: list[Any], count: tuple[str, list[Any]] | None
    ) -> tuple[list[Any], int | None]:
        from connectors.sql import DEADLINE

        async with self._connector._connect() as connection:
            raw = await connection.get_raw_connection()
            deadline = raw.info.get(DEADLINE)
            driver: Any = raw.driver_connection
            if deadline is not None:
                deadline.started = time.monotonic()
            rows = await _fetch(driver, sql, params)
            total = None
            if count is not None:
                if deadline is not None:
                    deadline.started = time.monotonic()
                total = int((await _fetch(driver, count[0], count[1]))[0][0])
        return rows, total

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        self._pool = None
        self._statements = {}


async def _keep_session(_connection: asyncpg.Connection) -> None:
    # asyncpg resets a connection's session on release (one more round trip,
    # as long as the query). These connections only ever run our own SELECTs
    # in autocommit, so there is no session state to reset.
    return None


async def _fetch(driver: Any, sql: str, params: list[Any]) -> list[Any]:
    cursor = await driver.execute(sql, params)
    try:
        rows: list[Any] = list(await cursor.fetchall())
    finally:
        await cursor.close()
    return rows
