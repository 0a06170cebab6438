"""Linking a file dataset's region columns to Place entities, and tagging them.

Code columns were tagged when the file was read; name columns are found here
by matching their values against the region master data. The dataset's
previous ``REFERS_TO`` edges are replaced, so re-linking a new version leaves
no stale link behind.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.base import Aggregate, AggregateQuery
from connectors.file import FileConnector, dataset_name_of
from connectors.regions import find_current_edition, list_all_regions
from graph.base import GraphStore
from linking.places import (
    CODE_KINDS,
    NAME_KIND,
    ColumnLinks,
    ColumnValues,
    build_dataset_links,
    find_scope,
    link_code_column,
    link_name_column,
)
from linking.region_matcher import RegionEntry, RegionMatcher
from store.catalog import DatasetColumn
from store.engine import transaction
from store.regions import Region

logger = logging.getLogger(__name__)


async def load_region_matcher(
    sessions: async_sessionmaker[AsyncSession],
) -> RegionMatcher | None:
    """A matcher over the newest edition in the store, or ``None`` before any load."""
    async with sessions() as session:
        edition = await find_current_edition(session)
        if edition is None:
            return None
        regions = await list_all_regions(session, edition)
    return RegionMatcher(RegionEntry(r.code, r.name, r.level) for r in regions)


async def link_dataset_places(
    sessions: async_sessionmaker[AsyncSession],
    connector: FileConnector,
    graph: GraphStore,
    matcher: RegionMatcher,
    table_name: str,
) -> list[ColumnLinks]:
    """Find, tag and link the region columns of one file dataset.

    Returns the links per column (with ambiguous and unmatched values).
    Raises ``ConnectorError`` for an unknown dataset, ``GraphError`` when the
    graph refuses the write.
    """
    info = await connector.describe_dataset(dataset_name_of(table_name))
    dataset_id = int(info.metadata["dataset_id"])
    texts = [c for c in info.columns if c.data_type == "text" and not c.is_key]
    values = [
        await _column_values(connector, info.name, c.name, c.code_kind) for c in texts
    ]
    known = await _known_codes(sessions)
    links = [link_code_column(v, known) for v in values if v.code_kind in CODE_KINDS]
    scope = find_scope(links)
    for column in values:
        if column.code_kind is None:
            found = link_name_column(column, matcher, scope)
            if found is not None:
                links.append(found)
    await _tag_name_columns(sessions, dataset_id, links)
    await _write_links(graph, dataset_id, info.title, values, links)
    logger.info(
        "places.linked dataset=%s columns=%d places=%d",
        table_name,
        len(links),
        sum(len(set(link.linked.values())) for link in links),
    )
    return links


async def _column_values(
    connector: FileConnector, dataset: str, column: str, code_kind: str | None
) -> ColumnValues:
    query = AggregateQuery(dataset, (Aggregate("count"),), group_by=(column,))
    rows = await connector.aggregate(query)
    counts = {row[column]: row["count__all"] for row in rows if row[column] is not None}
    return ColumnValues(column, code_kind, counts)


async def _known_codes(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessions() as session:
        edition = await find_current_edition(session)
        result = await session.scalars(
            sa.select(Region.code).where(Region.edition == edition)
        )
        return set(result)


async def _tag_name_columns(
    sessions: async_sessionmaker[AsyncSession],
    dataset_id: int,
    links: list[ColumnLinks],
) -> None:
    names = [link.column for link in links if link.code_kind == NAME_KIND]
    if not names:
        return
    async with transaction(sessions) as session:
        await session.execute(
            sa.update(DatasetColumn)
            .where(
                DatasetColumn.dataset_id == dataset_id,
                DatasetColumn.name.in_(names),
                DatasetColumn.code_kind.is_(None),
            )
            .values(code_kind=NAME_KIND)
        )


async def _write_links(
    graph: GraphStore,
    dataset_id: int,
    title: str,
    values: list[ColumnValues],
    links: list[ColumnLinks],
) -> None:
    node, edges = build_dataset_links(dataset_id, title, values, links)
    await graph.upsert_nodes([node])
    old = await graph.list_edges(node.id, types=["REFERS_TO"], direction="out")
    keep = {edge.id for edge in edges}
    await graph.delete_edges([edge.id for edge in old if edge.id not in keep])
    await graph.upsert_edges(edges)
