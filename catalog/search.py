"""Finding datasets in the catalog by text, agency, sector and access level."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from catalog.errors import DatasetNotFoundError
from store.catalog import Agency, Dataset, Source
from store.files import FileDataset

MAX_PAGE = 500
# Whether the asker may see a dataset, by source and dataset name.
Visibility = Callable[[str, str], bool]


@dataclass(frozen=True)
class DatasetEntry:
    """A dataset with its source, agency and (for files) its store table."""

    dataset: Dataset
    source: Source
    agency: Agency | None
    table_name: str | None


@dataclass(frozen=True)
class DatasetSearch:
    """What to look for; every given criterion must hold."""

    text: str | None = None
    agency: str | None = None
    sector: str | None = None
    access: str | None = None
    limit: int = 50
    offset: int = 0


def _base_query() -> sa.Select[Dataset, Source, Agency, str]:
    return (
        sa.select(Dataset, Source, Agency, FileDataset.table_name)
        .join(Source, Source.id == Dataset.source_id)
        .outerjoin(Agency, Agency.id == Source.agency_id)
        .outerjoin(FileDataset, FileDataset.dataset_id == Dataset.id)
        .options(selectinload(Dataset.columns))
    )


def _conditions(search: DatasetSearch) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if search.text:
        needle = search.text.strip().lower()
        haystack = [
            sa.func.lower(Dataset.title),
            sa.func.lower(Dataset.description),
            sa.func.lower(Dataset.name),
            sa.func.lower(sa.cast(Dataset.keywords, sa.Text)),
        ]
        conditions.append(
            sa.or_(*(field.contains(needle, autoescape=True) for field in haystack))
        )
    if search.agency:
        conditions.append(Agency.slug == search.agency)
    if search.sector:
        conditions.append(
            sa.func.lower(Dataset.sector) == search.sector.strip().lower()
        )
    if search.access:
        conditions.append(Dataset.access_level == search.access.strip().lower())
    return conditions


async def search_datasets(
    sessions: async_sessionmaker[AsyncSession],
    search: DatasetSearch,
    visible: Visibility | None = None,
) -> tuple[list[DatasetEntry], int]:
    """Matching datasets ordered by title, one page of them, and the total.

    With ``visible``, datasets it refuses are neither listed nor counted: the
    matches' names are read first (one light statement), then the page.
    """
    conditions = _conditions(search)
    async with sessions() as session:
        if visible is None:
            total = await session.scalar(_counting(conditions)) or 0
            paged = _base_query().where(*conditions)
        else:
            ids = await _visible_ids(session, conditions, visible)
            total = len(ids)
            paged = _base_query().where(Dataset.id.in_(ids))
        statement = (
            paged.order_by(Dataset.title, Dataset.id)
            .limit(max(0, min(search.limit, MAX_PAGE)))
            .offset(max(0, search.offset))
        )
        rows = (await session.execute(statement)).all()
    return [_entry(row) for row in rows], total


def _counting(conditions: list[sa.ColumnElement[bool]]) -> sa.Select[int]:
    return (
        sa.select(sa.func.count(Dataset.id))
        .join(Source, Source.id == Dataset.source_id)
        .outerjoin(Agency, Agency.id == Source.agency_id)
        .where(*conditions)
    )


async def _visible_ids(
    session: AsyncSession,
    conditions: list[sa.ColumnElement[bool]],
    visible: Visibility,
) -> list[int]:
    statement = (
        sa.select(Dataset.id, Source.name, Dataset.name)
        .join(Source, Source.id == Dataset.source_id)
        .outerjoin(Agency, Agency.id == Source.agency_id)
        .where(*conditions)
    )
    rows = (await session.execute(statement)).all()
    return [id_ for id_, source, name in rows if visible(source, name)]


async def get_dataset_entry(
    sessions: async_sessionmaker[AsyncSession], dataset_id: int
) -> DatasetEntry:
    """The dataset with this id; raises ``DatasetNotFoundError``."""
    async with sessions() as session:
        row = (
            await session.execute(_base_query().where(Dataset.id == dataset_id))
        ).first()
    if row is None:
        raise DatasetNotFoundError(dataset_id)
    return _entry(row)


async def find_dataset_entry(
    sessions: async_sessionmaker[AsyncSession], name: str
) -> DatasetEntry | None:
    """The dataset whose CKAN name (``<source>-<dataset>`` slug) or id is ``name``."""
    for entry in await list_dataset_entries(sessions):
        if ckan_name(entry) == name or str(entry.dataset.id) == name:
            return entry
    return None


async def list_dataset_entries(
    sessions: async_sessionmaker[AsyncSession],
) -> list[DatasetEntry]:
    """Every dataset of the catalog, by source and name (for exports)."""
    async with sessions() as session:
        statement = _base_query().order_by(Source.name, Dataset.name)
        rows = (await session.execute(statement)).all()
    return [_entry(row) for row in rows]


def _entry(row: sa.Row[Dataset, Source, Agency, str]) -> DatasetEntry:
    dataset, source, agency, table_name = row
    return DatasetEntry(dataset, source, agency, table_name)


def ckan_name(entry: DatasetEntry) -> str:
    """A URL-safe unique name: source and dataset, lower case, "-" separated."""
    raw = f"{entry.source.name}-{entry.dataset.name}".lower()
    return "".join(c if c.isalnum() else "-" for c in raw).strip("-")[:100]
