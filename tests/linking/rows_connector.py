"""A connector over rows held in memory, for tests of code that consumes connectors.

It implements the connector contract over lists of rows read from the real
shared data files, where the file and SQL connectors of other branches would
otherwise be needed. Filters are not supported (linking never sends any).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from connectors.base import (
    AggregateQuery,
    ColumnInfo,
    Connector,
    DatasetInfo,
    Row,
    RowPage,
    RowQuery,
    SourceQueryError,
    UnknownDatasetError,
)


class RowsConnector(Connector):
    kind = "rows"

    def __init__(
        self, name: str, datasets: Mapping[str, tuple[tuple[str, ...], list[Row]]]
    ) -> None:
        super().__init__(name)
        self.datasets = dict(datasets)
        self.load_calls: list[tuple[str, int]] = []

    def _rows(self, dataset: str) -> tuple[tuple[str, ...], list[Row]]:
        if dataset not in self.datasets:
            raise UnknownDatasetError(f"no dataset {dataset!r}", source=self.name)
        return self.datasets[dataset]

    async def ping(self) -> None:
        return None

    async def describe(self) -> list[DatasetInfo]:
        infos = []
        for name, (key, rows) in sorted(self.datasets.items()):
            columns = tuple(
                ColumnInfo(column, "text", is_key=column in key)
                for column in (rows[0] if rows else {})
            )
            infos.append(DatasetInfo(name=name, columns=columns, key=key))
        return infos

    async def query(self, query: RowQuery) -> RowPage:
        if query.filter is not None:
            raise SourceQueryError(
                "the rows connector does not filter", source=self.name
            )
        _, rows = self._rows(query.dataset)
        stop = None if query.limit is None else query.offset + query.limit
        return RowPage(rows=rows[query.offset : stop], total=len(rows))

    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        raise SourceQueryError(
            "the rows connector does not aggregate", source=self.name
        )

    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        _, rows = self._rows(dataset)
        self.load_calls.append((dataset, len(keys)))
        index: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            index.setdefault(tuple(str(row[c]) for c in columns), []).append(row)
        return [index.get(tuple(str(v) for v in key), []) for key in keys]

    async def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        _, rows = self._rows(dataset)
        for start in range(0, len(rows), batch_size):
            yield rows[start : start + batch_size]


async def catalog_connector(
    services: Any,
    connector: Connector,
    *,
    access_level: str = "terbuka",
    personal: Sequence[str] = (),
    agency: Any = None,
) -> None:
    """Register ``connector``'s datasets in the store catalog, as a steward would.

    The access policy reads levels and personal columns from the catalog; an
    uncatalogued dataset is tertutup, so tests that read it as a non-admin
    catalog it first with the level they mean.
    """
    from store.catalog import Dataset, DatasetColumn, Source
    from store.engine import transaction

    async with transaction(services.sessions) as session:
        source = Source(name=connector.name, kind=connector.kind, agency=agency)
        session.add(source)
        await session.flush()
        for info in await connector.describe():
            dataset = Dataset(
                source_id=source.id,
                name=info.name,
                title=info.title or info.name,
                access_level=access_level,
            )
            session.add(dataset)
            await session.flush()
            session.add_all(
                DatasetColumn(
                    dataset_id=dataset.id,
                    name=column.name,
                    position=position,
                    data_type=column.data_type,
                    is_key=column.is_key,
                    is_personal=column.name in personal,
                )
                for position, column in enumerate(info.columns)
            )
    if services.security is not None:
        services.security.access.invalidate()
