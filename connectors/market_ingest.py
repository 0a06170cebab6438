"""Taking a marketplace export into the store as one snapshot, atomically.

One run reads the whole file first (so a bad value stops it before anything is
written), then writes the run record, the snapshot, new and updated listings and
one observation per listing in one transaction. The same file with the same
observed-at time is recognised by its checksum and not taken in twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.market_files import (
    INDONESIA_WEST,
    ListingRow,
    MarketInputError,
    RowParser,
    checksum_file,
    iter_records,
    time_from_file_name,
)
from connectors.market_profiles import MarketProfile
from connectors.regency_names import RegionMatch, RegionMatcher
from store.base import utcnow
from store.catalog import IngestionRun
from store.engine import transaction
from store.market import MarketListing, MarketObservation, MarketSnapshot

logger = logging.getLogger(__name__)

RUN_KIND = "market_snapshot"
BATCH = 500
ObservedAtSource = Literal["argument", "data", "file_name"]


@dataclass(frozen=True)
class SnapshotFile:
    """A parsed export: its rows (one per listing), time and what was set aside."""

    path: Path
    checksum: str
    observed_at: datetime
    observed_at_from: ObservedAtSource
    rows: dict[str, ListingRow]
    duplicate_rows: int
    conflicts: list[dict[str, Any]]


@dataclass(frozen=True)
class SnapshotResult:
    """What one ingestion run did."""

    run_id: int
    snapshot_id: int | None
    status: Literal["succeeded", "unchanged"]
    observed_at: datetime
    listings: int
    new_listings: int
    duplicate_rows: int
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    unresolved_locations: Mapping[str, str] = field(default_factory=dict)


def normalise_marketplace(name: str) -> str:
    """ "TikTok Shop" and "tiktok-shop" are both ``tiktok_shop``."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def listing_key(row: ListingRow) -> str:
    """The identity of a listing on its marketplace, stable across snapshots.

    The marketplace's own id when the export has one, else the URL without its
    query, else the title with the shop and location.
    """
    if row.listing_id:
        identity = f"id\x1f{row.listing_id}"
    elif row.url:
        parts = urlsplit(row.url)
        identity = f"url\x1f{parts.netloc.lower()}{parts.path.rstrip('/')}"
    else:
        title = " ".join(row.title.casefold().split())
        identity = f"name\x1f{title}\x1f{row.shop or ''}\x1f{row.shop_location or ''}"
    return hashlib.sha256(identity.encode()).hexdigest()


def read_snapshot_file(
    path: Path,
    profile: MarketProfile,
    *,
    observed_at: datetime | None = None,
    zone: tzinfo = INDONESIA_WEST,
) -> SnapshotFile:
    """Parse a whole export; the first row of a listing wins over later ones.

    The observed-at time is the argument, else the earliest time in the data,
    else the time in the file name. Raises ``MarketInputError`` when a value is
    wrong or no time can be found. Blocking: run it in a thread.
    """
    parser = RowParser(path, profile, zone)
    rows: dict[str, ListingRow] = {}
    duplicates = 0
    conflicts: list[dict[str, Any]] = []
    records = 0
    for line, record in iter_records(path):
        records += 1
        row = parser.parse(line, record)
        if row is None:
            continue
        key = listing_key(row)
        first = rows.setdefault(key, row)
        if first is not row:
            duplicates += 1
            if first.values != row.values:
                conflicts.append({"title": row.title, "lines": [first.line, row.line]})
    if not rows:
        raise _no_listings(path, profile, records)
    when, source = _snapshot_time(path, rows.values(), observed_at, zone)
    return SnapshotFile(
        path, checksum_file(path), when, source, rows, duplicates, conflicts
    )


def _no_listings(path: Path, profile: MarketProfile, records: int) -> MarketInputError:
    """The error for an export in which no row has a title: an empty snapshot
    would read as "everything sold out" rather than as a wrong file."""
    if not records:
        return MarketInputError(f"{path}: the file holds no rows; nothing to ingest")
    return MarketInputError(
        f"{path}: none of the profile's title columns "
        f"({' | '.join(profile.candidates('title'))}) has a value in any of its "
        f"{records} rows; is it an export of profile {profile.name!r}?"
    )


def _snapshot_time(
    path: Path,
    rows: Any,
    given: datetime | None,
    zone: tzinfo,
) -> tuple[datetime, ObservedAtSource]:
    if given is not None:
        return (given if given.tzinfo else given.replace(tzinfo=zone)), "argument"
    in_data = [row.observed_at for row in rows if row.observed_at is not None]
    if in_data:
        return min(in_data), "data"
    from_name = time_from_file_name(path, zone)
    if from_name is not None:
        return from_name, "file_name"
    raise MarketInputError(
        f"{path}: no observed-at time in the data or the file name; "
        "give one with --observed-at 2025-09-13T10:00+07:00"
    )


async def ingest_snapshot(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    marketplace: str,
    profile: MarketProfile,
    observed_at: datetime | None = None,
    regions: RegionMatcher | None = None,
) -> SnapshotResult:
    """Take one export into the store as one snapshot; idempotent and atomic.

    Returns what was done (``unchanged`` when this file at this time is already
    in). Raises ``MarketInputError`` for a bad file; on any error nothing of the
    snapshot is written and a failed run is recorded. Unsafe: two runs at once
    that both create the same new listing collide on its unique key; the later
    one fails (``IntegrityError``) and may simply be run again.
    """
    market = normalise_marketplace(marketplace)
    try:
        snapshot = await asyncio.to_thread(
            read_snapshot_file, path, profile, observed_at=observed_at
        )
    except MarketInputError as error:
        await _record_unreadable(sessions, market, path, error)
        raise
    started = time.monotonic()
    existing = await _find_snapshot(sessions, market, snapshot)
    if existing is not None:
        return await _record_unchanged(sessions, market, snapshot, existing)
    try:
        async with transaction(sessions) as session:
            result = await _write_snapshot(session, market, profile, snapshot, regions)
            await _finish_run(session, result.run_id, started)
    except Exception as error:
        await _record_failure(sessions, market, snapshot, error)
        raise
    logger.info(
        "market.ingested marketplace=%s file=%s listings=%d new=%d",
        market, path.name, result.listings, result.new_listings,
    )  # fmt: skip
    return result


async def _find_snapshot(
    sessions: async_sessionmaker[AsyncSession], market: str, snapshot: SnapshotFile
) -> MarketSnapshot | None:
    query = select(MarketSnapshot).where(
        MarketSnapshot.marketplace == market,
        MarketSnapshot.input_checksum == snapshot.checksum,
        MarketSnapshot.observed_at == snapshot.observed_at,
    )
    async with sessions() as session:
        return (await session.scalars(query)).first()


async def _record_unchanged(
    sessions: async_sessionmaker[AsyncSession],
    market: str,
    snapshot: SnapshotFile,
    existing: MarketSnapshot,
) -> SnapshotResult:
    async with transaction(sessions) as session:
        run = _new_run(market, snapshot, status="unchanged")
        run.details = {**run.details, "snapshot_id": existing.id}
        run.finished_at = utcnow()
        session.add(run)
        await session.flush()
    return SnapshotResult(
        run.id, existing.id, "unchanged", existing.observed_at,
        existing.listing_count, 0, snapshot.duplicate_rows,
    )  # fmt: skip


async def _record_failure(
    sessions: async_sessionmaker[AsyncSession],
    market: str,
    snapshot: SnapshotFile,
    error: Exception,
) -> None:
    async with transaction(sessions) as session:
        run = _new_run(market, snapshot, status="failed")
        run.errors = [f"{error.__class__.__name__}: {error}"]
        run.finished_at = utcnow()
        session.add(run)


async def _record_unreadable(
    sessions: async_sessionmaker[AsyncSession],
    market: str,
    path: Path,
    error: MarketInputError,
) -> None:
    checksum = await asyncio.to_thread(_checksum_if_file, path)
    async with transaction(sessions) as session:
        session.add(
            IngestionRun(
                kind=RUN_KIND,
                input_name=str(path),
                input_checksum=checksum,
                status="failed",
                errors=[str(error)],
                details={"marketplace": market},
                finished_at=utcnow(),
            )
        )


def _checksum_if_file(path: Path) -> str | None:
    return checksum_file(path) if path.is_file() else None


def _new_run(market: str, snapshot: SnapshotFile, *, status: str) -> IngestionRun:
    return IngestionRun(
        kind=RUN_KIND,
        input_name=str(snapshot.path),
        input_checksum=snapshot.checksum,
        status=status,
        details={
            "marketplace": market,
            "observed_at": snapshot.observed_at.isoformat(),
            "observed_at_from": snapshot.observed_at_from,
        },
    )


async def _write_snapshot(
    session: AsyncSession,
    market: str,
    profile: MarketProfile,
    snapshot: SnapshotFile,
    regions: RegionMatcher | None,
) -> SnapshotResult:
    run = _new_run(market, snapshot, status="running")
    session.add(run)
    await session.flush()
    stored = MarketSnapshot(
        marketplace=market,
        profile=profile.name,
        observed_at=snapshot.observed_at,
        observed_at_from=snapshot.observed_at_from,
        input_name=str(snapshot.path),
        input_checksum=snapshot.checksum,
        run_id=run.id,
        listing_count=len(snapshot.rows),
    )
    session.add(stored)
    await session.flush()

    matches = _resolve_locations(snapshot.rows.values(), regions)
    ids, new = await _upsert_listings(session, market, snapshot, matches)
    await _insert_observations(session, stored.id, snapshot, ids)

    unresolved = {m.text: _why(m) for m in matches.values() if m.code is None}
    run.counts = {
        "rows": len(snapshot.rows) + snapshot.duplicate_rows,
        "listings": len(snapshot.rows),
        "new_listings": new,
        "duplicate_rows": snapshot.duplicate_rows,
        "conflicting_duplicates": len(snapshot.conflicts),
    }
    run.details = {
        **run.details,
        "snapshot_id": stored.id,
        "conflicts": snapshot.conflicts,
        "unresolved_locations": unresolved,
    }
    return SnapshotResult(
        run.id, stored.id, "succeeded", snapshot.observed_at, len(snapshot.rows),
        new, snapshot.duplicate_rows, snapshot.conflicts, unresolved,
    )  # fmt: skip


def _why(match: RegionMatch) -> str:
    if match.candidates:
        return f"{match.reason}: {' or '.join(match.candidates)}"
    return match.reason


async def _finish_run(session: AsyncSession, run_id: int, started: float) -> None:
    run = await session.get_one(IngestionRun, run_id)
    run.status = "succeeded"
    run.finished_at = utcnow()
    run.duration_ms = int((time.monotonic() - started) * 1000)


def _resolve_locations(
    rows: Any, regions: RegionMatcher | None
) -> dict[str, RegionMatch]:
    if regions is None:
        return {}
    texts = {row.shop_location for row in rows if row.shop_location}
    return {text: regions.match_regency(text) for text in sorted(texts)}


async def _upsert_listings(
    session: AsyncSession,
    market: str,
    snapshot: SnapshotFile,
    matches: dict[str, RegionMatch],
) -> tuple[dict[str, int], int]:
    """Listing ids by key, creating the new ones; returns (ids, how many new)."""
    keys = list(snapshot.rows)
    found = await _find_listings(session, market, keys)
    when = snapshot.observed_at
    new_rows = [
        _listing_values(market, key, snapshot.rows[key], matches, when)
        for key in keys
        if key not in found
    ]
    for batch in _batches(new_rows):
        await session.execute(insert(MarketListing), list(batch))
    await _refresh_listings(session, found.values(), snapshot, matches)
    ids = await _find_listings(session, market, keys)
    return {key: listing.id for key, listing in ids.items()}, len(new_rows)


async def _find_listings(
    session: AsyncSession, market: str, keys: Sequence[str]
) -> dict[str, MarketListing]:
    found: dict[str, MarketListing] = {}
    for batch in _batches(keys):
        query = select(MarketListing).where(
            MarketListing.marketplace == market, MarketListing.listing_key.in_(batch)
        )
        for listing in await session.scalars(query):
            found[listing.listing_key] = listing
    return found


def _listing_values(
    market: str,
    key: str,
    row: ListingRow,
    matches: dict[str, RegionMatch],
    when: datetime,
) -> dict[str, Any]:
    return {
        "marketplace": market,
        "listing_key": key,
        "created_at": utcnow(),
        "first_seen_at": when,
        "last_seen_at": when,
        **_attributes(row, matches),
    }


def _attributes(row: ListingRow, matches: dict[str, RegionMatch]) -> dict[str, Any]:
    match = matches.get(row.shop_location or "")
    return {
        "external_id": row.listing_id,
        "url": row.url,
        "title": row.title,
        "shop": row.shop,
        "shop_location": row.shop_location,
        "region_code": match.code if match else None,
        "category": row.category,
    }


async def _refresh_listings(
    session: AsyncSession,
    listings: Any,
    snapshot: SnapshotFile,
    matches: dict[str, RegionMatch],
) -> None:
    """Widen the seen range; the newest snapshot's attributes win."""
    when = snapshot.observed_at
    changes: list[dict[str, Any]] = []
    for listing in listings:
        row = snapshot.rows[listing.listing_key]
        values: dict[str, Any] = {"id": listing.id}
        values["first_seen_at"] = min(listing.first_seen_at, when)
        values["last_seen_at"] = max(listing.last_seen_at, when)
        if when >= listing.last_seen_at:
            values.update(_attributes(row, matches))
            if values["region_code"] is None:
                values["region_code"] = listing.region_code
        changes.append(values)
    for batch in _batches(changes):
        await session.execute(update(MarketListing), list(batch))


async def _insert_observations(
    session: AsyncSession, snapshot_id: int, snapshot: SnapshotFile, ids: dict[str, int]
) -> None:
    rows = [
        {
            "listing_id": ids[key],
            "snapshot_id": snapshot_id,
            "observed_at": row.observed_at or snapshot.observed_at,
            "raw": row.raw,
            **row.values,
        }
        for key, row in snapshot.rows.items()
    ]
    for batch in _batches(rows):
        await session.execute(insert(MarketObservation), list(batch))


def _batches(items: Sequence[Any]) -> Any:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
