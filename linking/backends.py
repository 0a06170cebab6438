"""Where a linking batch's tables live and its SQL runs: DuckDB here, Spark at scale.

Blocking and scoring only ever talk to a ``Workspace``: they load Arrow tables,
create tables from SQL that both engines accept, read rows back and hand
Splink the matching database API (``DuckDBAPI`` or ``SparkAPI``). A
``LinkingBackend`` opens one workspace per batch:

- ``DuckDBBackend``: an in-memory DuckDB database per batch, in this process.
  Enough for a regency (Febrl4's 10,000 records in seconds).
- ``SparkBackend``: a Spark session (``local[*]`` on one machine, or a
  cluster's master) created once; each batch gets its own child session
  (``SparkSession.newSession``), so concurrent batches keep separate temporary
  tables while sharing the executors. pyspark is an optional dependency,
  imported only here and only when this backend is built.

Errors from either engine surface as ``LinkingError`` where they come from
bad input; engine failures (a lost executor) propagate as they are.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa
from splink.backends.duckdb import DuckDBAPI

from linking.errors import LinkingError

logger = logging.getLogger(__name__)

ENGINES = ("duckdb", "spark")
# Small local runs drown in Spark's default of 200 shuffle partitions; a
# cluster sets its own through the Spark settings, which override these.
SPARK_DEFAULTS: Mapping[str, str] = {
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}


class Workspace(ABC):
    """The tables of one batch. Not safe to share between concurrent tasks."""

    engine: str

    @abstractmethod
    def load_table(self, name: str, table: pa.Table) -> None:
        """Create (or replace) table ``name`` holding the rows of ``table``."""

    @abstractmethod
    def create_table(
        self, name: str, sql: str, params: Mapping[str, Any] | None = None
    ) -> None:
        """Create (or replace) table ``name`` from the query ``sql``.

        Values in ``params`` are bound where ``sql`` holds ``self.param(key)``.
        """

    @abstractmethod
    def param(self, name: str) -> str:
        """The placeholder of the named query parameter ``name`` in this engine."""

    @abstractmethod
    def columns(self, table: str) -> list[str]:
        """Column names of ``table``."""

    @abstractmethod
    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Every row of the query ``sql``, as tuples."""

    @abstractmethod
    def records(self, sql: str) -> list[dict[str, Any]]:
        """Every row of the query ``sql``, as dicts keyed by column name."""

    @abstractmethod
    def splink_api(self) -> Any:
        """Splink's database API over this workspace (one per workspace)."""

    @abstractmethod
    def close(self) -> None:
        """Drop every table of the batch and free its memory."""


class LinkingBackend(ABC):
    """Opens workspaces. Safe to share between concurrent tasks."""

    engine: str

    @abstractmethod
    def open(self) -> Workspace:
        """A fresh, empty workspace for one batch; close it when done."""

    def close(self) -> None:  # noqa: B027 - DuckDB's backend holds nothing to close
        """Release what the backend holds (Spark's session); idempotent."""


class DuckDBWorkspace(Workspace):
    engine = "duckdb"

    def __init__(self, threads: int) -> None:
        self.con = duckdb.connect(config={"threads": threads})
        self._api: DuckDBAPI | None = None

    def load_table(self, name: str, table: pa.Table) -> None:
        self.con.register("_arrow_input", table)
        try:
            self.con.execute(
                f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _arrow_input"
            )
        finally:
            self.con.unregister("_arrow_input")

    def create_table(
        self, name: str, sql: str, params: Mapping[str, Any] | None = None
    ) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}", dict(params or {}))

    def param(self, name: str) -> str:
        return f"${name}"

    def columns(self, table: str) -> list[str]:
        return [str(row[0]) for row in self.con.execute(f"DESCRIBE {table}").fetchall()]

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def records(self, sql: str) -> list[dict[str, Any]]:
        relation = self.con.sql(sql)
        names = relation.columns
        return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]

    def splink_api(self) -> DuckDBAPI:
        if self._api is None:
            self._api = DuckDBAPI(connection=self.con)
        return self._api

    def close(self) -> None:
        self.con.close()


class DuckDBBackend(LinkingBackend):
    """An in-memory DuckDB database per batch, using ``threads`` threads."""

    engine = "duckdb"

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads

    def open(self) -> DuckDBWorkspace:
        return DuckDBWorkspace(self.threads)


class SparkWorkspace(Workspace):
    """A child Spark session: its temporary views are the batch's tables."""

    engine = "spark"

    def __init__(self, session: Any, break_lineage: str) -> None:
        self.spark = session
        self.break_lineage = break_lineage
        self._api: Any = None
        self._cached: list[Any] = []

    def load_table(self, name: str, table: pa.Table) -> None:
        frame = self.spark.createDataFrame(table)
        self._keep(frame, name)

    def create_table(
        self, name: str, sql: str, params: Mapping[str, Any] | None = None
    ) -> None:
        frame = (
            self.spark.sql(sql, args=dict(params)) if params else self.spark.sql(sql)
        )
        self._keep(frame, name)

    def _keep(self, frame: Any, name: str) -> None:
        # Cached, so that a table read by several later queries is computed once.
        frame = frame.persist()
        self._cached.append(frame)
        frame.createOrReplaceTempView(name)

    def param(self, name: str) -> str:
        return f":{name}"

    def columns(self, table: str) -> list[str]:
        return list(self.spark.table(table).columns)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def records(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict(recursive=True) for row in self.spark.sql(sql).collect()]

    def splink_api(self) -> Any:
        if self._api is None:
            from splink.backends.spark import SparkAPI

            self._api = SparkAPI(  # type: ignore[no-untyped-call]
                spark_session=self.spark, break_lineage_method=self.break_lineage
            )
        return self._api

    def close(self) -> None:
        # Splink persists its intermediate tables as temporary views too.
        for table in self.spark.catalog.listTables():
            if table.isTemporary:
                self.spark.catalog.uncacheTable(table.name)
                self.spark.catalog.dropTempView(table.name)
        for frame in self._cached:
            frame.unpersist()
        self._cached.clear()


class SparkBackend(LinkingBackend):
    """Batches on Spark; safe to share, each batch opens its own child session.

    ``master`` is ``local[*]`` for every core of this machine or a cluster's
    URL (``spark://host:7077``, ``yarn``, ``k8s://...``). ``checkpoint_dir``, a
    folder every executor can reach, makes Splink write its intermediate
    tables there as Parquet instead of keeping them in executor memory, as
    a province or the nation needs.
    """

    engine = "spark"

    def __init__(self, session: Any, *, checkpoint_dir: str | None = None) -> None:
        self.session = session
        self.break_lineage = "persist"
        if checkpoint_dir:
            session.sparkContext.setCheckpointDir(checkpoint_dir)
            self.break_lineage = "parquet"
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def create(
        cls,
        *,
        master: str = "local[*]",
        config: Mapping[str, str] | None = None,
        checkpoint_dir: str | None = None,
        app_name: str = "bigone-linking",
    ) -> SparkBackend:
        """Start (or join) the Spark session with Splink's similarity functions.

        Raises ``LinkingError`` when pyspark is not installed or Java cannot
        start; both are named with the fix.
        """
        session = _spark_session(master, {**SPARK_DEFAULTS, **(config or {})}, app_name)
        logger.info(
            "linking.spark_started master=%s version=%s", master, session.version
        )
        return cls(session, checkpoint_dir=checkpoint_dir)

    def open(self) -> SparkWorkspace:
        with self._lock:
            if self._closed:
                raise LinkingError("the Spark linking backend is closed")
            child = self.session.newSession()
        return SparkWorkspace(child, self.break_lineage)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self.session.stop()


def _spark_session(master: str, config: Mapping[str, str], app_name: str) -> Any:
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as error:
        raise LinkingError(
            "the Spark linking engine needs pyspark: install it with "
            "`pip install -e '.[spark]'` (scripts/bootstrap does), or set "
            "BIGONE_LINKING_ENGINE=duckdb"
        ) from error
    jars = [similarity_jar_location(), *_split(config.get("spark.jars"))]
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in config.items():
        builder = builder.config(key, value)
    builder = builder.config("spark.jars", ",".join(jars))
    try:
        return builder.getOrCreate()
    except Exception as error:  # Py4J and Java start-up failures have no common base.
        raise LinkingError(
            f"Spark could not start with master {master!r}: {error}; Spark 4 needs "
            "Java 17 or 21 on PATH or in JAVA_HOME"
        ) from error


def _split(value: str | None) -> Sequence[str]:
    return [part for part in (value or "").split(",") if part]


def create_linking_backend(
    engine: str,
    *,
    threads: int = 2,
    spark_master: str = "local[*]",
    spark_config: Mapping[str, str] | None = None,
    spark_checkpoint_dir: str | None = None,
) -> LinkingBackend:
    """The backend named ``engine`` (``duckdb`` or ``spark``); raises ``LinkingError``."""
    if engine == "duckdb":
        return DuckDBBackend(threads)
    if engine == "spark":
        return SparkBackend.create(
            master=spark_master,
            config=spark_config,
            checkpoint_dir=spark_checkpoint_dir,
        )
    raise LinkingError(f"unknown linking engine {engine!r}: use one of {ENGINES}")
