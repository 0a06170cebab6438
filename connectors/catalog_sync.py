"""Recording configured agencies, sources, datasets and columns in the store catalog.

The sources file and the sources themselves are the truth; the catalog mirrors
them so that stewards can curate metadata (titles, sectors, units) on top. A
sync never deletes curated fields of a dataset that still exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from connectors.base import DatasetInfo
from connectors.config import source_settings
from connectors.registry import SourceEntry, SourceRegistry
from security.masking import classify_personal_column
from store.catalog import Agency, Dataset, DatasetColumn, Source
from store.engine import transaction


async def sync_catalog(
    registry: SourceRegistry,
    sessions: async_sessionmaker[AsyncSession],
    *,
    default_level: str = "tertutup",
) -> None:
    """Upsert agencies, sources, datasets and columns of ``registry``; one transaction.

    A dataset catalogued for the first time gets its source's ``access_level``,
    else ``default_level``; its columns whose names say NIK, phone, e-mail or a
    private person's name are marked personal. Later syncs keep what stewards
    set. Datasets of a source that is down keep their catalog rows. Raises the
    store's errors when the store is unavailable.
    """
    async with transaction(sessions) as session:
        agencies = await _sync_agencies(session, registry)
        for entry in registry.entries:
            if entry.builtin:
                continue
            source = await _sync_source(session, entry, agencies)
            if entry.state == "ready":
                level = entry.config.access_level or default_level
                await _sync_datasets(session, source, entry.datasets, level)


async def _sync_agencies(
    session: AsyncSession, registry: SourceRegistry
) -> dict[str, Agency]:
    existing = {
        agency.slug: agency for agency in (await session.scalars(select(Agency))).all()
    }
    for declared in registry.config.agencies:
        agency = existing.get(declared.slug)
        if agency is None:
            agency = Agency(slug=declared.slug, name=declared.name)
            session.add(agency)
            existing[declared.slug] = agency
        agency.name = declared.name
    await session.flush()
    return existing


async def _sync_source(
    session: AsyncSession, entry: SourceEntry, agencies: dict[str, Agency]
) -> Source:
    name = entry.config.name
    source = await session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name)
        session.add(source)
    agency = agencies.get(entry.config.agency or "")
    source.kind = entry.config.kind
    source.agency_id = agency.id if agency else None
    source.settings = dict(source_settings(entry.config))
    source.state = entry.state
    await session.flush()
    return source


async def _sync_datasets(
    session: AsyncSession, source: Source, datasets: list[DatasetInfo], level: str
) -> None:
    statement = (
        select(Dataset)
        .where(Dataset.source_id == source.id)
        .options(selectinload(Dataset.columns))
    )
    existing = {dataset.name: dataset for dataset in (await session.scalars(statement))}
    for info in datasets:
        dataset = existing.pop(info.name, None)
        if dataset is None:
            dataset = Dataset(
                source_id=source.id, name=info.name, columns=[], access_level=level
            )
            session.add(dataset)
        _update_dataset(dataset, info)
    for gone in existing.values():
        await session.delete(gone)
    await session.flush()


def _update_dataset(dataset: Dataset, info: DatasetInfo) -> None:
    dataset.title = dataset.title or info.title or info.name
    dataset.description = info.description or dataset.description
    curated = {column.name: column for column in dataset.columns}
    columns: list[DatasetColumn] = []
    for position, column in enumerate(info.columns):
        row = curated.get(column.name)
        if row is None:
            kind = classify_personal_column(column.name, column.code_kind)
            row = DatasetColumn(name=column.name, is_personal=kind is not None)
        values: dict[str, Any] = {
            "position": position,
            "data_type": column.data_type,
            "is_key": column.is_key,
            "description": column.description or row.description or "",
        }
        for key, value in values.items():
            setattr(row, key, value)
        columns.append(row)
    dataset.columns = columns
