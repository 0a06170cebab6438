"""The marketplace connector: snapshots in, listings and observations out.

``MarketConnector`` is the ``Connector`` of a marketplace source. Ingestion
(``ingest``) takes one export file as one snapshot (see ``market_ingest``);
reading goes through the common interface over three datasets of the store —
``listings``, ``observations`` and ``commodity_prices`` — with filters, order,
paging and aggregates executed by the store's database.

Exceptions of Big Market's inputs, under the connector layer's base::

    ConnectorError
     ├── MarketInputError    an export or price file is unreadable or holds a bad value
     ├── ProfileError        an unknown profile, or a declared one that is invalid
     └── RegionFileError     the Kemendagri code file is missing or has no regencies
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, ColumnElement, Table, func, select, tuple_
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

from connectors import sql_compile
from connectors.base import (
    Aggregate,
    AggregateQuery,
    ColumnInfo,
    Connector,
    DatasetInfo,
    DataType,
    Filter,
    Row,
    RowPage,
    RowQuery,
    SourceQueryError,
    SourceUnavailableError,
    UnknownDatasetError,
)
from connectors.market_ingest import (
    SnapshotResult,
    ingest_snapshot,
    normalise_marketplace,
)
from connectors.market_profiles import MarketProfile, get_profile
from connectors.regency_names import RegionMatcher
from store.market import CommodityPrice, MarketListing, MarketObservation

TABLES: dict[str, Table] = {
    "listings": MarketListing.__table__,  # type: ignore[dict-item]
    "observations": MarketObservation.__table__,  # type: ignore[dict-item]
    "commodity_prices": CommodityPrice.__table__,  # type: ignore[dict-item]
}
DESCRIPTIONS = {
    "listings": "Offers on a marketplace, the same across snapshots.",
    "observations": "What each snapshot showed of a listing: price, sold count, rating.",
    "commodity_prices": "Daily commodity prices per region (Badan Pangan Nasional).",
}
UNITS = {
    "price": "IDR",
    "price_max": "IDR",
    "original_price": "IDR",
    "discount_percent": "%",
}


def _data_type(python_type: type) -> DataType:
    names: dict[str, DataType] = {
        "int": "integer", "Decimal": "decimal", "bool": "boolean",
        "datetime": "datetime", "date": "date", "dict": "json", "float": "float",
    }  # fmt: skip
    return names.get(python_type.__name__, "text")


def _python_type(type_: TypeEngine[Any]) -> type:
    # Decorated types (exact money, UTC timestamps) report their storage type.
    engine = type_.impl_instance if isinstance(type_, TypeDecorator) else type_
    if isinstance(engine, JSON):
        return dict
    try:
        return engine.python_type
    except NotImplementedError:
        return object


def describe_table(name: str, table: Table) -> DatasetInfo:
    """The dataset description of one store table."""
    columns = tuple(
        ColumnInfo(
            name=column.name,
            data_type=_data_type(_python_type(column.type)),
            nullable=bool(column.nullable),
            is_key=column.primary_key,
            code_kind="kemendagri" if column.name == "region_code" else None,
            unit=UNITS.get(column.name),
        )
        for column in table.columns
    )
    return DatasetInfo(
        name=name, columns=columns, key=("id",), description=DESCRIPTIONS[name]
    )


class MarketConnector(Connector):
    """A marketplace source over the store's market tables. Safe to share."""

    kind: ClassVar[str] = "marketplace"

    def __init__(
        self,
        name: str,
        sessions: async_sessionmaker[AsyncSession],
        *,
        marketplace: str,
        profiles: Mapping[str, MarketProfile] | None = None,
        regions: RegionMatcher | None = None,
    ) -> None:
        super().__init__(name)
        self.sessions = sessions
        self.marketplace = normalise_marketplace(marketplace)
        self.profiles = dict(profiles or {})
        self.regions = regions

    async def ingest(
        self,
        path: Path,
        *,
        observed_at: datetime | None = None,
        profile: str | None = None,
    ) -> SnapshotResult:
        """Take one export file in as a snapshot of this marketplace.

        Returns what the run did; raises ``ProfileError`` for an unknown profile
        and ``MarketInputError`` for a bad file (nothing written then).
        """
        chosen = get_profile(self.marketplace, profile, self.profiles)
        return await ingest_snapshot(
            self.sessions,
            path,
            marketplace=self.marketplace,
            profile=chosen,
            observed_at=observed_at,
            regions=self.regions,
        )

    async def ping(self) -> None:
        """Return when the store answers; raises ``SourceUnavailableError``."""
        await self._run(select(func.count()).select_from(TABLES["listings"]))

    async def describe(self) -> list[DatasetInfo]:
        """The listings, observations and commodity_prices datasets."""
        return [describe_table(name, table) for name, table in TABLES.items()]

    async def query(self, query: RowQuery) -> RowPage:
        """Rows of one dataset, filtered, ordered and paged by the database.

        Raises ``UnknownDatasetError`` for an unknown dataset or column.
        """
        table = _table(query.dataset)
        selected = (
            [_column(table, c) for c in query.columns] if query.columns else [table]
        )
        statement = select(*selected)
        if query.filter is not None:
            statement = statement.where(compile_filter(table, query.filter))
        order = [_column(table, s.column) for s in query.order_by]
        ordered = [
            c.desc() if s.descending else c.asc()
            for c, s in zip(order, query.order_by, strict=True)
        ]
        statement = statement.order_by(*ordered, table.c.id).offset(query.offset)
        if query.limit is not None:
            statement = statement.limit(query.limit)
        rows = [dict(row._mapping) for row in await self._run(statement)]
        total = await self._count(table, query.filter) if query.with_total else None
        return RowPage(rows=rows, total=total)

    async def _count(self, table: Table, filter_: Filter | None) -> int:
        statement = select(func.count()).select_from(table)
        if filter_ is not None:
            statement = statement.where(compile_filter(table, filter_))
        return int((await self._run(statement))[0][0])

    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        """One row per group with one value per aggregate alias."""
        table = _table(query.dataset)
        groups = [_column(table, name) for name in query.group_by]
        measures = [
            _aggregate(table, item).label(item.alias) for item in query.aggregates
        ]
        statement = select(*groups, *measures).group_by(*groups)
        if query.filter is not None:
            statement = statement.where(compile_filter(table, query.filter))
        if query.limit is not None:
            statement = statement.order_by(*groups).limit(query.limit)
        return [dict(row._mapping) for row in await self._run(statement)]

    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        """For each key, the matching rows, in key order; one statement per call."""
        table = _table(dataset)
        targets = [_column(table, name) for name in columns]
        if not keys:
            return []
        statement = select(table).where(tuple_(*targets).in_([tuple(k) for k in keys]))
        found: dict[tuple[Any, ...], list[Row]] = {}
        for row in await self._run(statement.order_by(table.c.id)):
            mapping = dict(row._mapping)
            found.setdefault(tuple(mapping[c] for c in columns), []).append(mapping)
        return [found.get(tuple(key), []) for key in keys]

    async def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        """Every row of a dataset in id order, ``batch_size`` at a time (keyset paging)."""
        table = _table(dataset)
        last = 0
        while True:
            statement = select(table).where(table.c.id > last).order_by(table.c.id)
            rows = [
                dict(r._mapping) for r in await self._run(statement.limit(batch_size))
            ]
            if not rows:
                return
            yield rows
            last = rows[-1]["id"]

    async def _run(self, statement: Any) -> list[Any]:
        try:
            async with self.sessions() as session:
                return list((await session.execute(statement)).all())
        except OperationalError as error:
            raise SourceUnavailableError(
                f"the store does not answer: {error.orig}", source=self.name
            ) from error
        except DBAPIError as error:
            raise SourceQueryError(
                f"the store refused the query: {error.orig}", source=self.name
            ) from error


def _table(dataset: str) -> Table:
    if dataset not in TABLES:
        raise UnknownDatasetError(
            f"no dataset {dataset!r}; the marketplace source has {', '.join(TABLES)}"
        )
    return TABLES[dataset]


def _column(table: Table, name: str) -> ColumnElement[Any]:
    if name not in table.c:
        raise UnknownDatasetError(f"dataset {table.name!r} has no column {name!r}")
    return table.c[name]


def _aggregate(table: Table, item: Aggregate) -> ColumnElement[Any]:
    if item.column is None:
        if item.function != "count":
            raise SourceQueryError(f"{item.function} needs a column")
        return func.count()
    column = _column(table, item.column)
    if item.function == "count_distinct":
        return func.count(column.distinct())
    return getattr(func, item.function)(column)  # type: ignore[no-any-return]


def compile_filter(table: Table, filter_: Filter) -> ColumnElement[bool]:
    """The SQL condition of a filter tree over ``table`` (the shared compiler)."""
    return sql_compile.compile_filter(table, filter_)
