"""The file connector: agency CSV/TSV/XLSX/JSON/JSONL datasets, served from the store.

Files are read once at ingestion (``connectors.file_ingest``) into ``ds_*``
tables of the store; this connector answers queries on those tables with the
same filter, sort, page and aggregate model as every other source, so file
datasets plug into the typed GraphQL like SQL sources do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any, ClassVar, cast

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from connectors import sql_compile
from connectors.base import (
    AggregateQuery,
    ColumnInfo,
    Connector,
    DatasetInfo,
    DataType,
    Row,
    RowPage,
    RowQuery,
    SourceUnavailableError,
    UnknownDatasetError,
)
from connectors.file_tables import ROW_COLUMN, TABLE_PREFIX, build_table
from store.catalog import Agency, Dataset, Source
from store.files import FileDataset


class FileConnector(Connector):
    """Every ingested file dataset of the store. Safe to share between concurrent tasks.

    A dataset is named by its table without the ``ds_`` prefix
    (``<agency>__<dataset>``); ``_row`` is the key: the row's line (CSV) or row
    number (XLSX) in the file. Queries are compiled by ``connectors.sql_compile``,
    the same compiler the SQL connector uses.
    """

    kind: ClassVar[str] = "file"

    def __init__(self, name: str, engine: AsyncEngine) -> None:
        super().__init__(name)
        self._engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def ping(self) -> None:
        """Return when the store answers; raise ``SourceUnavailableError`` otherwise."""
        try:
            async with self._engine.connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
        except (OperationalError, DBAPIError, OSError) as error:
            raise SourceUnavailableError(
                f"the store holding file datasets does not answer: {error}",
                source=self.name,
            ) from error

    async def describe(self) -> list[DatasetInfo]:
        """Every file dataset with its columns (from the catalog), in table order."""
        async with self._sessions() as session:
            rows = await _file_datasets(session)
        return [_info(stored, dataset, agency) for stored, dataset, agency in rows]

    async def refresh(self) -> list[DatasetInfo]:
        """The datasets as the store has them now (after new ingestions)."""
        return await self.describe()

    async def describe_dataset(self, dataset: str) -> DatasetInfo:
        """One file dataset; raises ``UnknownDatasetError`` when there is none."""
        async with self._sessions() as session:
            rows = await _file_datasets(session, table_name_of(dataset))
        if not rows:
            raise UnknownDatasetError(
                f"no file dataset named {dataset!r}", source=self.name
            )
        return _info(*rows[0])

    async def query(self, query: RowQuery) -> RowPage:
        """Rows matching the query, filtered, sorted and paged by the store."""
        table = await self._table(query.dataset)
        order = sql_compile.stable_order(table, query.order_by, (ROW_COLUMN,))
        statement = sql_compile.select_rows(table, replace(query, order_by=order))
        async with self._engine.connect() as connection:
            result = await connection.execute(statement)
            rows = [dict(row._mapping) for row in result]
            total = None
            if query.with_total:
                counting = sql_compile.select_count(table, query.filter)
                total = await connection.scalar(counting)
        return RowPage(rows=rows, total=total)

    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        """One row per group with a value per ``Aggregate.alias``."""
        table = await self._table(query.dataset)
        statement = sql_compile.select_aggregate(table, query)
        async with self._engine.connect() as connection:
            result = await connection.execute(statement)
            return [dict(row._mapping) for row in result]

    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        """Rows per key in key order, from one statement."""
        if not keys:
            return []
        table = await self._table(dataset)
        statement = sql_compile.select_by_keys(table, columns, keys)
        async with self._engine.connect() as connection:
            result = await connection.execute(statement)
            found = [dict(row._mapping) for row in result]
        return sql_compile.group_by_keys(found, columns, keys)

    async def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        """Every row in ``_row`` order, in batches, one short query per batch."""
        table = await self._table(dataset)
        last = -1
        while True:
            statement = (
                sa.select(table)
                .where(table.c[ROW_COLUMN] > last)
                .order_by(table.c[ROW_COLUMN])
                .limit(batch_size)
            )
            async with self._engine.connect() as connection:
                batch = [
                    dict(row._mapping) for row in await connection.execute(statement)
                ]
            if not batch:
                return
            yield batch
            last = batch[-1][ROW_COLUMN]

    async def _table(self, dataset: str) -> sa.Table:
        info = await self.describe_dataset(dataset)
        return build_table(
            table_name_of(dataset),
            [(c.name, c.data_type) for c in info.columns if c.name != ROW_COLUMN],
        )


def table_name_of(dataset: str) -> str:
    """The store table of a file dataset: ``ds_`` + its name."""
    return f"{TABLE_PREFIX}{dataset}"


def dataset_name_of(table_name: str) -> str:
    """The dataset name of a ``ds_*`` table."""
    return table_name.removeprefix(TABLE_PREFIX)


async def _file_datasets(
    session: AsyncSession, table_name: str | None = None
) -> list[tuple[FileDataset, Dataset, Agency | None]]:
    statement = (
        sa.select(FileDataset, Dataset, Agency)
        .join(Dataset, Dataset.id == FileDataset.dataset_id)
        .join(Source, Source.id == Dataset.source_id)
        .outerjoin(Agency, Agency.id == Source.agency_id)
        .options(selectinload(Dataset.columns))
        .order_by(FileDataset.table_name)
    )
    if table_name is not None:
        statement = statement.where(FileDataset.table_name == table_name)
    result = await session.execute(statement)
    return [(row[0], row[1], row[2]) for row in result]


def _info(stored: FileDataset, dataset: Dataset, agency: Agency | None) -> DatasetInfo:
    key = ColumnInfo(
        name=ROW_COLUMN,
        data_type="integer",
        nullable=False,
        is_key=True,
        description="Row of the record in the agency's file.",
    )
    columns = [
        ColumnInfo(
            name=column.name,
            data_type=cast(DataType, column.data_type),
            description=column.description,
            code_kind=column.code_kind,
            unit=column.unit,
        )
        for column in dataset.columns
    ]
    return DatasetInfo(
        name=dataset_name_of(stored.table_name),
        columns=(key, *columns),
        key=(ROW_COLUMN,),
        title=dataset.title,
        description=dataset.description,
        metadata={
            "dataset_id": dataset.id,
            "dataset": dataset.name,
            "agency": agency.slug if agency else None,
            "version": dataset.version,
            "table": stored.table_name,
            "file": stored.file_path,
            "sheet": stored.sheet,
        },
    )
