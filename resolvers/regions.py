"""Resolvers over the region master data: lookups, listings and name matching."""

from __future__ import annotations

import asyncio

from connectors.regions import MAX_REGIONS, RegionFilter, find_region, list_regions
from linking.dataset_places import load_region_matcher
from linking.region_matcher import RegionMatch, RegionMatcher
from resolvers.context import RequestContext
from resolvers.paging import check_page
from store.regions import Region

MATCHER_KEY = "region_matcher"
_matcher_lock = asyncio.Lock()


async def get_region(
    context: RequestContext, code: str, edition: str | None
) -> Region | None:
    async with context.services.sessions() as session:
        return await find_region(session, code.strip(), edition)


async def get_regions(
    context: RequestContext, query: RegionFilter
) -> tuple[list[Region], int]:
    check_page(first=query.limit, maximum=MAX_REGIONS, offset=query.offset)
    async with context.services.sessions() as session:
        return await list_regions(session, query)


async def match_region(
    context: RequestContext, text: str, level: int | None, within: str | None
) -> RegionMatch | None:
    """``None`` before any region codes are loaded."""
    matcher = await _matcher(context)
    return matcher.match(text, level=level, within=within) if matcher else None


async def _matcher(context: RequestContext) -> RegionMatcher | None:
    """One matcher per process, built on first use (about 92,000 regions)."""
    extras = context.services.extras
    async with _matcher_lock:
        if extras.get(MATCHER_KEY) is None:
            extras[MATCHER_KEY] = await load_region_matcher(context.services.sessions)
    matcher: RegionMatcher | None = extras[MATCHER_KEY]
    return matcher
