"""The SQL connector: any database with an SQLAlchemy async driver, read-only.

Every connection of a source is read-only twice over: the session refuses writes
(``default_transaction_read_only`` on PostgreSQL, ``PRAGMA query_only`` on
SQLite, ``SET SESSION TRANSACTION READ ONLY`` on MySQL/MariaDB) and the
connector only ever issues the ``SELECT`` statements of ``connectors.sql_compile``.
Each source has its own bounded pool and a statement timeout; driver errors
become ``connectors.base`` errors that name the source.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any, ClassVar

import asyncpg
from sqlalchemy import MetaData, Table, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InvalidRequestError,
    NoSuchTableError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import await_

from connectors import sql_compile
from connectors.base import (
    AggregateQuery,
    ColumnInfo,
    Connector,
    ConnectorError,
    DatasetInfo,
    ReadOnlyViolationError,
    RelationInfo,
    Row,
    RowPage,
    RowQuery,
    SourceQueryError,
    SourceUnavailableError,
    UnknownDatasetError,
)
from connectors.config import ConfigError, SourceConfig
from connectors.sql_json import JSON_DIALECTS, JsonPage, JsonRowQuery
from connectors.sql_json_reader import JsonReader

logger = logging.getLogger(__name__)

# What the raw driver calls of the JSON path raise, besides SQLAlchemy's own.
DRIVER_ERRORS = (
    SQLAlchemyError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError,
    sqlite3.Error,
)  # fmt: skip

# SQLSTATE classes: 08 connection exception, 57P0x operator intervention (shutdown),
# 25006 read-only transaction, 57014 query canceled (statement timeout).
# The async driver to suggest for a URL of each backend.
ASYNC_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "mysql": "mysql+aiomysql",
    "mariadb": "mariadb+aiomysql",
}
TIMEOUT_MARKERS = ("statement timeout", "interrupted", "max_execution_time")
READ_ONLY_MARKERS = ("25006", "read-only", "read only", "readonly", "query_only")


class SqlConnector(Connector):
    """A relational database reached through an SQLAlchemy async URL.

    Safe to share between concurrent tasks: each call checks a connection out of
    the source's own pool for the duration of one read-only transaction.
    """

    kind: ClassVar[str] = "sql"

    def __init__(self, config: SourceConfig) -> None:
        super().__init__(config.name)
        self.config = config
        self._engine: AsyncEngine | None = None
        self._tables: dict[str, Table] = {}
        self._datasets: list[DatasetInfo] | None = None
        self._json: JsonReader | None = None

    @property
    def engine(self) -> AsyncEngine:
        """The source's engine; raises ``SourceUnavailableError`` before ``open``."""
        if self._engine is None:
            raise SourceUnavailableError(
                f"source {self.name!r} is not open", source=self.name
            )
        return self._engine

    async def open(self) -> None:
        """Create the bounded, read-only engine; connects lazily. Idempotent."""
        if self._engine is not None:
            return
        url = _read_only_url(_parse_url(self.name, self.config.resolve_url()))
        try:
            self._engine = create_async_engine(
                url, **self._engine_options(url.get_backend_name())
            )
        except (ArgumentError, InvalidRequestError, ImportError) as error:
            raise _driver_error(self.name, url) from error
        configure = _SESSION_SETUP.get(url.get_backend_name(), _setup_nothing)
        timeout_ms = self.config.statement_timeout_ms

        def on_connect(dbapi_connection: Any, record: Any) -> None:
            deadline = configure(dbapi_connection, timeout_ms)
            if deadline is not None:
                record.info[DEADLINE] = deadline

        event.listen(self._engine.sync_engine, "connect", on_connect)
        event.listen(self._engine.sync_engine, "before_cursor_execute", _start_deadline)
        if url.get_backend_name() in JSON_DIALECTS:
            self._json = JsonReader(self, url)

    def _engine_options(self, backend: str) -> dict[str, Any]:
        options: dict[str, Any] = {
            "pool_size": self.config.pool_size,
            "max_overflow": self.config.max_overflow,
            "pool_timeout": self.config.connect_timeout_ms / 1000,
        }
        if backend == "sqlite":
            # SQLite's own timeout waits for locks; statements are bounded by
            # the progress handler of _setup_sqlite.
            options["connect_args"] = {
                "timeout": self.config.statement_timeout_ms / 1000
            }
            return options
        options["pool_recycle"] = 1800
        if backend == "postgresql":
            # Every statement is its own transaction, read-only by the session
            # default: no BEGIN/ROLLBACK round trips on the hot path.
            options["isolation_level"] = "AUTOCOMMIT"
            options["connect_args"] = _postgres_connect_args(
                self.config.statement_timeout_ms, self.config.connect_timeout_ms
            )
        return options

    async def close(self) -> None:
        """Dispose of the pool; the connector may be opened again."""
        if self._json is not None:
            await self._json.close()
        self._json = None
        if self._engine is not None:
            await self._engine.dispose()
        self._engine = None
        self._tables = {}
        self._datasets = None

    async def ping(self) -> None:
        """Return when ``SELECT 1`` answers; raise ``SourceUnavailableError``."""
        async with self._connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def describe(self) -> list[DatasetInfo]:
        """Reflect tables and views with keys, foreign keys and column comments.

        Raises ``SourceUnavailableError`` when the database cannot be reached.
        The result is cached until ``refresh`` or ``close``.
        """
        if self._datasets is None:
            async with self._connect() as connection:
                tables = await connection.run_sync(self._reflect)
            self._tables = tables
            self._datasets = [_describe_table(table) for table in tables.values()]
        return self._datasets

    async def refresh(self) -> list[DatasetInfo]:
        """Forget the cached description and reflect again."""
        self._datasets = None
        return await self.describe()

    def _reflect(self, connection: Connection) -> dict[str, Table]:
        inspector = inspect(connection)
        schema = self.config.db_schema
        names = inspector.get_table_names(schema=schema) + inspector.get_view_names(
            schema=schema
        )
        metadata = MetaData()
        tables: dict[str, Table] = {}
        for name in sorted(self._selected(names)):
            try:
                tables[name] = Table(
                    name, metadata, autoload_with=connection, schema=schema
                )
            except NoSuchTableError:  # dropped between listing and reflecting
                continue
        views = set(inspector.get_view_names(schema=schema))
        for name, table in tables.items():
            table.info["is_view"] = name in views
            table.info["comment"] = table.comment or ""
        return tables

    def _selected(self, names: list[str]) -> list[str]:
        include, exclude = set(self.config.include), set(self.config.exclude)
        return [
            name
            for name in names
            if (not include or name in include) and name not in exclude
        ]

    async def table(self, dataset: str) -> Table:
        """The reflected table of ``dataset``; raises ``UnknownDatasetError``."""
        await self.describe()
        try:
            return self._tables[dataset]
        except KeyError:
            raise UnknownDatasetError(
                f"source {self.name!r} has no dataset {dataset!r}", source=self.name
            ) from None

    async def query(self, query: RowQuery) -> RowPage:
        """The page of rows (one statement) and, when asked, the total (one more)."""
        table = await self.table(query.dataset)
        key = [column.name for column in table.primary_key.columns]
        ordered = RowQuery(
            dataset=query.dataset,
            filter=query.filter,
            order_by=sql_compile.stable_order(table, query.order_by, key),
            limit=query.limit,
            offset=query.offset,
            columns=query.columns,
        )
        rows = await self.fetch(sql_compile.select_rows(table, ordered))
        total = None
        if query.with_total:
            total = await self.fetch_scalar(
                sql_compile.select_count(table, query.filter)
            )
        return RowPage(rows=rows, total=total)

    async def can_render_json(self, dataset: str, columns: Sequence[str]) -> bool:
        """Whether ``query_json`` can render ``columns`` of ``dataset`` (it needs
        PostgreSQL or SQLite, and column types whose JSON the API serialises alike)."""
        if self._json is None:
            return False
        table = await self.table(dataset)
        return self._json.statements(table).renders(tuple(columns))

    async def query_json(self, query: JsonRowQuery, *, with_total: bool) -> JsonPage:
        """The page with each row as JSON texts built by the database: one
        statement, and one more for the total. Raises like ``query``; a source
        without JSON rendering raises ``SourceQueryError``."""
        if self._json is None:
            raise SourceQueryError(
                f"source {self.name!r} cannot render rows as JSON", source=self.name
            )
        table = await self.table(query.dataset)
        try:
            return await self._json.read(table, query, with_total)
        except DRIVER_ERRORS as error:
            raise translate_error(self.name, error) from error

    async def count(self, dataset: str, filter_: Any = None) -> int:
        """How many rows of ``dataset`` match ``filter_``: one statement."""
        table = await self.table(dataset)
        return int(await self.fetch_scalar(sql_compile.select_count(table, filter_)))

    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        """One row per group, computed by the database in one statement."""
        table = await self.table(query.dataset)
        return await self.fetch(sql_compile.select_aggregate(table, query))

    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        """Rows per key in key order; one statement per 5,000 distinct keys."""
        table = await self.table(dataset)
        distinct = list(dict.fromkeys(tuple(key) for key in keys))
        rows: list[Row] = []
        step = sql_compile.MAX_KEYS_PER_STATEMENT
        for start in range(0, len(distinct), step):
            chunk = distinct[start : start + step]
            rows.extend(
                await self.fetch(sql_compile.select_by_keys(table, columns, chunk))
            )
        return sql_compile.group_by_keys(rows, columns, keys)

    async def load_by_keys_capped(
        self,
        dataset: str,
        columns: Sequence[str],
        keys: Sequence[tuple[Any, ...]],
        limit_per_key: int,
    ) -> list[list[Row]]:
        """Like ``load_by_keys`` with at most ``limit_per_key`` rows per key, capped
        by the database (a window function), one statement per 5,000 keys."""
        table = await self.table(dataset)
        distinct = list(dict.fromkeys(tuple(key) for key in keys))
        rows: list[Row] = []
        step = sql_compile.MAX_KEYS_PER_STATEMENT
        for start in range(0, len(distinct), step):
            statement = sql_compile.select_by_keys_capped(
                table, columns, distinct[start : start + step], limit_per_key
            )
            rows.extend(await self.fetch(statement))
        return sql_compile.group_by_keys(rows, columns, keys)

    async def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        """Every row in key order, ``batch_size`` at a time, from one server cursor."""
        table = await self.table(dataset)
        key = [column.name for column in table.primary_key.columns]
        statement = sql_compile.select_rows(
            table,
            RowQuery(dataset, order_by=sql_compile.stable_order(table, (), key)),
        ).limit(None)
        # Server-side cursors need a transaction: open one (read-only) explicitly.
        async with self._connect(sandbox=True) as connection:
            result = await self._guard(connection.stream(statement))
            async for partition in result.mappings().partitions(batch_size):
                yield [dict(row) for row in partition]

    async def fetch(self, statement: Any) -> list[Row]:
        """Rows of one read-only ``statement`` as dicts keyed by column name."""
        async with self._connect() as connection:
            result = await self._guard(connection.execute(statement))
            keys = tuple(result.keys())
            return [dict(zip(keys, row, strict=True)) for row in result.all()]

    async def fetch_scalar(self, statement: Any) -> Any:
        async with self._connect() as connection:
            result = await self._guard(connection.execute(statement))
            return result.scalar()

    async def execute(self, statement: Any) -> None:
        """Run ``statement`` inside the read-only transaction.

        Exists so that tests and operators can prove the guarantee: any write
        raises ``ReadOnlyViolationError``.
        """
        async with self._connect(sandbox=True) as connection:
            await self._guard(connection.execute(statement))

    def _connect(self, *, sandbox: bool = False) -> _ReadOnlyConnection:
        return _ReadOnlyConnection(self, sandbox=sandbox)

    async def _guard(self, awaitable: Any) -> Any:
        try:
            return await awaitable
        except (SQLAlchemyError, OSError) as error:
            raise translate_error(self.name, error) from error


class _ReadOnlyConnection:
    """A pooled, read-only connection; whatever it did is rolled back.

    On PostgreSQL the connector's own SELECTs run in autocommit under the
    session's ``default_transaction_read_only``; a ``sandbox`` connection (for
    any other statement) opens ``START TRANSACTION READ ONLY`` explicitly, so
    even a statement that changes the session default is rolled back with it.
    """

    def __init__(self, connector: SqlConnector, *, sandbox: bool = False) -> None:
        self._connector = connector
        self._sandbox = sandbox
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> AsyncConnection:
        try:
            self._connection = await self._connector.engine.connect()
            await self._begin(self._connection)
        except (SQLAlchemyError, OSError) as error:
            if self._connection is not None:
                await self._connection.invalidate()
                await self._connection.close()
            raise translate_error(self._connector.name, error) from error
        return self._connection

    async def _begin(self, connection: AsyncConnection) -> None:
        if connection.dialect.name != "postgresql":
            await connection.begin()
        elif self._sandbox:
            await connection.exec_driver_sql("START TRANSACTION READ ONLY")

    async def __aexit__(self, *_exc: object) -> None:
        if self._connection is None:
            return
        try:
            if self._connection.dialect.name != "postgresql":
                await self._connection.rollback()
            elif self._sandbox:
                await self._connection.exec_driver_sql("ROLLBACK")
        finally:
            await self._connection.close()


def translate_error(source: str, error: BaseException) -> ConnectorError:
    """The connector error for a driver ``error``, naming ``source``."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    lowered = detail.lower()
    if isinstance(error, PoolTimeoutError):
        return SourceUnavailableError(
            f"source {source!r} is busy: every connection of its pool stayed in use "
            "past connect_timeout_ms; retry, or raise pool_size/max_overflow",
            source=source,
        )
    if (
        any(marker in lowered for marker in READ_ONLY_MARKERS)
        or "attempt to write" in lowered
    ):
        return ReadOnlyViolationError(
            f"source {source!r} is read-only: the statement tried to write ({detail})",
            source=source,
        )
    if any(marker in lowered for marker in TIMEOUT_MARKERS):
        return SourceQueryError(
            f"source {source!r} stopped the query at its statement timeout ({detail}); "
            "narrow the filter or raise statement_timeout_ms",
            source=source,
        )
    if _is_unavailable(error):
        return SourceUnavailableError(
            f"source {source!r} does not answer: {detail}", source=source
        )
    return SourceQueryError(
        f"source {source!r} refused the query: {detail}", source=source
    )


def _is_unavailable(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    text_ = str(error).lower()
    markers = ("connection refused", "could not connect", "unable to open", "timeout",
               "connection was closed", "connect call failed")  # fmt: skip
    if "database" in text_ and "does not exist" in text_:
        return True
    return isinstance(error, DBAPIError) and any(marker in text_ for marker in markers)


def _parse_url(source: str, value: str) -> URL:
    try:
        return make_url(value)
    except ArgumentError as error:
        raise ConfigError(
            f"source {source!r}: {value!r} is not a database URL; expected e.g. "
            "postgresql+asyncpg://user:password@host/db or sqlite+aiosqlite:///path",
            source=source,
        ) from error


def _driver_error(source: str, url: URL) -> ConfigError:
    """The error for a URL whose driver is not installed or not async."""
    hint = ASYNC_DRIVERS.get(url.get_backend_name())
    suggestion = f"; use {hint}://..." if hint else ""
    return ConfigError(
        f"source {source!r} needs an installed async driver, not "
        f"{url.drivername!r}{suggestion}",
        source=source,
    )


def _read_only_url(url: URL) -> URL:
    """SQLite files are opened by the OS in read-only mode (``?mode=ro``)."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return url
    if database.startswith("file:"):
        return url
    return url.set(
        database=f"file:{database}", query={**url.query, "mode": "ro", "uri": "true"}
    )


def _postgres_connect_args(timeout_ms: int, connect_timeout_ms: int) -> dict[str, Any]:
    return {
        "server_settings": {
            "default_transaction_read_only": "on",
            "statement_timeout": str(timeout_ms),
            "application_name": "bigone",
        },
        "timeout": connect_timeout_ms / 1000,
    }


def _setup_sqlite(dbapi_connection: Any, timeout_ms: int) -> _SqliteDeadline | None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    # LIKE is case-insensitive by default in SQLite; the filter operators
    # `contains` and `startsWith` are case-sensitive on every backend.
    cursor.execute("PRAGMA case_sensitive_like = ON")
    cursor.close()
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is None or not hasattr(driver, "set_progress_handler"):
        return None
    deadline = _SqliteDeadline(timeout_ms)
    await_(driver.set_progress_handler(deadline, 10_000))
    return deadline


class _SqliteDeadline:
    """SQLite has no statement timeout: a progress handler interrupts statements
    that run longer than the source's ``statement_timeout_ms``.

    ``start`` is called before each statement (``before_cursor_execute``); the
    handler runs on SQLite's thread every 10,000 virtual-machine steps.
    """

    def __init__(self, timeout_ms: int) -> None:
        self.timeout = timeout_ms / 1000
        self.started = time.monotonic()

    def __call__(self) -> int:
        return 1 if time.monotonic() - self.started > self.timeout else 0


def _start_deadline(connection: Any, *_args: Any) -> None:
    deadline = connection.info.get(DEADLINE)
    if deadline is not None:
        deadline.started = time.monotonic()


def _setup_mysql(dbapi_connection: Any, timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION TRANSACTION READ ONLY")
    cursor.execute(f"SET SESSION max_execution_time = {int(timeout_ms)}")
    cursor.close()


def _setup_nothing(_dbapi_connection: Any, _timeout_ms: int) -> None:
    return None


DEADLINE = "bigone_sqlite_deadline"


_SESSION_SETUP = {
    "sqlite": _setup_sqlite,
    "mysql": _setup_mysql,
    "mariadb": _setup_mysql,
}


def _describe_table(table: Table) -> DatasetInfo:
    key = tuple(column.name for column in table.primary_key.columns)
    columns = tuple(
        ColumnInfo(
            name=column.name,
            data_type=sql_compile.data_type_of(column.type),
            nullable=bool(column.nullable),
            description=column.comment or "",
            is_key=column.name in key,
        )
        for column in table.columns
    )
    relations = tuple(
        RelationInfo(
            name=str(
                constraint.name or f"{table.name}_{constraint.referred_table.name}"
            ),
            columns=tuple(element.parent.name for element in constraint.elements),
            target_dataset=constraint.referred_table.name,
            target_columns=tuple(
                element.column.name for element in constraint.elements
            ),
        )
        for constraint in sorted(
            table.foreign_key_constraints, key=lambda c: str(c.name or "")
        )
    )
    return DatasetInfo(
        name=table.name,
        columns=columns,
        key=key,
        relations=relations,
        title=table.name,
        description=table.comment or "",
        metadata={"is_view": bool(table.info.get("is_view"))},
    )
