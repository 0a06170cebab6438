"""Resolvers over the Satu Data catalog: search, metadata edits, history, profiles."""

from __future__ import annotations

from catalog.access import describe_entry
from catalog.metadata import MetadataEdit, list_changes, update_metadata
from catalog.profile import DatasetProfile, profile_dataset
from catalog.search import (
    DatasetEntry,
    DatasetSearch,
    get_dataset_entry,
    search_datasets,
)
from resolvers.context import RequestContext
from resolvers.federation import get_registry
from store.stewardship import MetadataChange


async def get_datasets(
    context: RequestContext, search: DatasetSearch
) -> tuple[list[DatasetEntry], int]:
    return await search_datasets(context.services.sessions, search)


async def get_dataset(context: RequestContext, dataset_id: int) -> DatasetEntry:
    return await get_dataset_entry(context.services.sessions, dataset_id)


async def edit_metadata(context: RequestContext, edit: MetadataEdit) -> DatasetEntry:
    await update_metadata(context.services.sessions, edit)
    return await get_dataset_entry(context.services.sessions, edit.dataset_id)


async def get_history(context: RequestContext, dataset_id: int) -> list[MetadataChange]:
    return await list_changes(context.services.sessions, dataset_id)


async def get_profile(context: RequestContext, dataset_id: int) -> DatasetProfile:
    entry = await get_dataset_entry(context.services.sessions, dataset_id)
    connector, info = await describe_entry(get_registry(context), entry)
    return await profile_dataset(connector, info, context.services.sessions)
