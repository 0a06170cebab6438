"""Running the JSON statements of ``sql_json`` on the raw driver connection.

SQLAlchemy's connection and result layers cost more than the query itself on a
one-row lookup, and the fast path needs neither: its statement is text already
and its rows are JSON texts. PostgreSQL sources get a few asyncpg connections
of their own (``sql_json_connections``), with the very session settings of the
engine's connections (``default_transaction_read_only``, ``statement_timeout``),
at most as many as the source's pool size; other databases
run the statement on a connection of the engine's pool, inside its read-only
transaction, with SQLite's deadline started as for any other statement.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import asyncpg
from sqlalchemy import Table
from sqlalchemy.engine import URL

from connectors.sql_json import JsonPage, JsonRowQuery, JsonStatements
from connectors.sql_json_connections import ConnectionStack

if TYPE_CHECKING:
    from connectors.sql import SqlConnector


class JsonReader:
    """Pages of one source as JSON texts. Safe to share between tasks."""

    def __init__(self, connector: SqlConnector, url: URL) -> None:
        self._connector = connector
        self._url = url
        self._postgres = url.get_backend_name() == "postgresql"
        self._statements: dict[str, JsonStatements] = {}
        self._connections: ConnectionStack | None = None

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
        """The page (and the total when asked): one statement each, in one session.
        The table's key completes the order, as on the ordinary path."""
        statements = self.statements(table)
        query = query.with_order(statements.stable_order(query.order_by))
        page_sql, page_params = statements.select_page(query)
        count = statements.select_count(query.filter) if with_total else None
        if self._postgres:
            rows, total = await self._read_postgres(page_sql, page_params, count)
        else:
            rows, total = await self._read_engine(page_sql, page_params, count)
        suspect = any(row[-1] for row in rows)
        return JsonPage([tuple(row[:-1]) for row in rows], suspect, total)

    async def _read_postgres(
        self, sql: str, params: list[Any], count: tuple[str, list[Any]] | None
    ) -> tuple[list[Any], int | None]:
        connections = self._get_connections()
        connection = await connections.take()
        reusable = False
        try:
            rows = await connection.fetch(sql, *params)
            total = None
            if count is not None:
                total = int(await connection.fetchval(count[0], *count[1]))
            reusable = True
        finally:
            connections.give_back(connection, reusable=reusable)
        return rows, total

    def _get_connections(self) -> ConnectionStack:
        if self._connections is None:
            self._connections = ConnectionStack(
                self._open_connection, max(1, self._connector.config.pool_size)
            )
        return self._connections

    async def _open_connection(self) -> asyncpg.Connection:
        from connectors.sql import _postgres_connect_args

        config = self._connector.config
        settings = _postgres_connect_args(
            config.statement_timeout_ms, config.connect_timeout_ms
        )
        dsn = self._url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        connection: asyncpg.Connection = await asyncpg.connect(
            dsn,
            server_settings=settings["server_settings"],
            timeout=settings["timeout"],
        )
        return connection

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
        if self._connections is not None:
            await self._connections.close()
        self._connections = None
        self._statements = {}


async def _fetch(driver: Any, sql: str, params: list[Any]) -> list[Any]:
    cursor = await driver.execute(sql, params)
    try:
        rows: list[Any] = list(await cursor.fetchall())
    finally:
        await cursor.close()
    return rows
