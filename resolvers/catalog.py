"""Resolvers over the Satu Data catalog: search, metadata edits, history, profiles.

A dataset the principal may not read is absent here too: not found, not
counted, not profiled. Profiles run through the policy, so they count only
visible rows and give masked columns counts without values.
"""

from __future__ import annotations

from dataclasses import replace

from catalog.access import describe_entry
from catalog.errors import DatasetNotFoundError
from catalog.metadata import MetadataEdit, list_changes, update_metadata
from catalog.profile import DatasetProfile, profile_dataset
from catalog.search import (
    MAX_PAGE,
    DatasetEntry,
    DatasetSearch,
    get_dataset_entry,
    search_datasets,
)
from resolvers.context import RequestContext
from resolvers.federation import get_registry
from resolvers.paging import check_page
from store.stewardship import MetadataChange


async def get_datasets(
    context: RequestContext, search: DatasetSearch
) -> tuple[list[DatasetEntry], int]:
    check_page(first=search.limit, maximum=MAX_PAGE, offset=search.offset)
    visible = await context.dataset_visibility()
    return await search_datasets(context.services.sessions, search, visible)


async def get_dataset(context: RequestContext, dataset_id: int) -> DatasetEntry:
    """The dataset if the principal may read it; raises ``DatasetNotFoundError``."""
    entry = await get_dataset_entry(context.services.sessions, dataset_id)
    visible = await context.dataset_visibility()
    if visible is not None and not visible(entry.source.name, entry.dataset.name):
        # Refused and unknown look alike, so ids cannot probe for datasets.
        raise DatasetNotFoundError(dataset_id)
    return entry


async def edit_metadata(context: RequestContext, edit: MetadataEdit) -> DatasetEntry:
    """Save ``edit`` as the principal's; the next request sees a changed access level."""
    edit = replace(edit, changed_by=context.get_curator(edit.changed_by))
    await get_dataset(context, edit.dataset_id)
    await update_metadata(context.services.sessions, edit)
    if context.services.security is not None:
        context.services.security.access.invalidate()
    return await get_dataset_entry(context.services.sessions, edit.dataset_id)


async def get_history(context: RequestContext, dataset_id: int) -> list[MetadataChange]:
    await get_dataset(context, dataset_id)
    return await list_changes(context.services.sessions, dataset_id)


async def get_profile(context: RequestContext, dataset_id: int) -> DatasetProfile:
    entry = await get_dataset(context, dataset_id)
    connector, info = await describe_entry(get_registry(context), entry)
    sessions = context.services.sessions
    if context.services.security is None:
        return await profile_dataset(connector, info, sessions)
    secured = await context.secure(connector)
    hidden = secured.masked_columns(info.name)
    return await profile_dataset(secured, info, sessions, hidden)
