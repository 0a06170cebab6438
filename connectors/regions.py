"""Kemendagri region codes as master data: loading the dumps and reading the table.

``load_regions`` reads a folder (or one file) of the cahyadsn/wilayah dumps:
code lists of one or more editions (``wilayah.sql`` 2025, ``wilayah_2020.sql``)
and the population and area tables of the current edition. Each edition is
replaced in one transaction; the same bytes again change nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.file_problems import reject
from connectors.file_reader import checksum_of
from connectors.file_text import decode_bytes
from connectors.wilayah_sql import SqlRow, find_edition, read_insert_rows
from indonesian.identifiers import (
    REGION_LEVELS,
    is_kemendagri_code,
    parent_region_code,
    region_code_level,
)
from store.base import utcnow
from store.catalog import IngestionRun
from store.engine import transaction
from store.regions import Region

logger = logging.getLogger(__name__)

INSERT_BATCH = 2000
LEVEL_NAMES = REGION_LEVELS

MAX_REGIONS = 1000  # the most regions one page holds


@dataclass(frozen=True)
class RegionRecord:
    """One region of one edition, with population and area where known."""

    edition: str
    code: str
    name: str
    level: int
    parent_code: str | None
    population_male: int | None = None
    population_female: int | None = None
    population_total: int | None = None
    area_km2: float | None = None


@dataclass
class RegionLoad:
    """What ``load_regions`` found and did, per edition."""

    editions: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, Literal["succeeded", "unchanged"]] = field(default_factory=dict)
    current: str | None = None
    records: list[RegionRecord] = field(default_factory=list)
    # edition → (checksum over its input files, the files' names)
    inputs: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class _Inputs:
    codes: dict[str, list[SqlRow]] = field(default_factory=dict)
    population: dict[str, dict[str, Any]] = field(default_factory=dict)
    area: dict[str, float] = field(default_factory=dict)
    # (edition, or "current" for population/area files; file; checksum)
    files: list[tuple[str, str, str]] = field(default_factory=list)


def read_region_inputs(path: Path) -> RegionLoad:
    """Parse every ``*.sql`` dump under ``path`` into region records (blocking).

    Raises ``FileFormatError`` naming file and line of a bad tuple or code.
    """
    files = sorted(path.rglob("*.sql")) if path.is_dir() else [path]
    if not files:
        raise reject(str(path), "no .sql region dump found")
    inputs = _Inputs()
    for file in files:
        _read_dump(file, inputs)
    if not inputs.codes:
        raise reject(
            str(path), "no region code list (table wilayah or wilayah_YYYY) found"
        )
    current = max(inputs.codes)
    load = RegionLoad(current=current)
    for edition, rows in inputs.codes.items():
        extra = (inputs.population, inputs.area) if edition == current else ({}, {})
        records = [_record(edition, row, *extra) for row in rows]
        load.editions[edition] = len(records)
        load.records.extend(records)
        load.inputs[edition] = _fingerprint(inputs, edition, edition == current)
    return load


def _fingerprint(inputs: _Inputs, edition: str, current: bool) -> tuple[str, str]:
    mine = [
        (file, checksum)
        for owner, file, checksum in inputs.files
        if owner == edition or (current and owner == "current")
    ]
    combined = checksum_of("".join(checksum for _, checksum in sorted(mine)).encode())
    return combined, ", ".join(file for file, _ in sorted(mine))


def _read_dump(file: Path, inputs: _Inputs) -> None:
    data = file.read_bytes()
    text = decode_bytes(data, str(file), "utf-8").text
    rows = list(read_insert_rows(text, str(file)))
    if not rows:
        return
    table = rows[0].table
    owner = "current"
    if table.startswith("wilayah_penduduk"):
        inputs.population.update({str(r.values["kode"]): r.values for r in rows})
    elif table.startswith("wilayah_luas"):
        inputs.area.update(
            {str(r.values["kode"]): float(r.values["luas"]) for r in rows}
        )
    else:
        _check_codes(rows, str(file))
        owner = find_edition(text, table) or "unknown"
        inputs.codes.setdefault(owner, []).extend(rows)
    inputs.files.append((owner, str(file), checksum_of(data)))


def _check_codes(rows: Sequence[SqlRow], file: str) -> None:
    for row in rows:
        code = str(row.values.get("kode", ""))
        if not is_kemendagri_code(code):
            raise reject(
                file,
                "not a Kemendagri region code",
                row=row.line,
                column="kode",
                value=code,
            )


def _record(
    edition: str,
    row: SqlRow,
    population: dict[str, dict[str, Any]],
    area: dict[str, float],
) -> RegionRecord:
    code = str(row.values["kode"])
    people = population.get(code, {})
    return RegionRecord(
        edition=edition,
        code=code,
        name=" ".join(str(row.values["nama"]).split()),
        level=region_code_level(code),
        parent_code=parent_region_code(code),
        population_male=_int(people.get("pria")),
        population_female=_int(people.get("wanita")),
        population_total=_int(people.get("total")),
        area_km2=area.get(code),
    )


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


async def load_regions(
    sessions: async_sessionmaker[AsyncSession], path: Path
) -> RegionLoad:
    """Read the dumps under ``path`` and store each edition atomically.

    An edition whose inputs have the checksum of its last successful load is
    left as it is. Raises ``FileFormatError`` before touching the store.
    """
    load = await asyncio.to_thread(read_region_inputs, path)
    for edition, count in load.editions.items():
        checksum, files = load.inputs[edition]
        started = time.monotonic()
        records = [r for r in load.records if r.edition == edition]
        async with transaction(sessions) as session:
            unchanged = await _last_checksum(session, edition) == checksum
            if not unchanged:
                await _replace_edition(session, edition, records)
            session.add(_run(edition, files, checksum, count, unchanged, started))
        load.statuses[edition] = "unchanged" if unchanged else "succeeded"
        logger.info(
            "regions.loaded edition=%s regions=%d status=%s",
            edition,
            count,
            load.statuses[edition],
        )
    return load


async def _last_checksum(session: AsyncSession, edition: str) -> str | None:
    statement = (
        sa.select(IngestionRun.input_checksum)
        .where(
            IngestionRun.kind == "regions",
            IngestionRun.status == "succeeded",
            IngestionRun.details["edition"].as_string() == edition,
        )
        .order_by(IngestionRun.id.desc())
        .limit(1)
    )
    return await session.scalar(statement)


async def _replace_edition(
    session: AsyncSession, edition: str, records: Sequence[RegionRecord]
) -> None:
    await session.execute(sa.delete(Region).where(Region.edition == edition))
    rows = [record.__dict__ for record in records]
    for start in range(0, len(rows), INSERT_BATCH):
        await session.execute(sa.insert(Region), rows[start : start + INSERT_BATCH])


def _run(
    edition: str, files: str, checksum: str, count: int, unchanged: bool, started: float
) -> IngestionRun:
    return IngestionRun(
        kind="regions",
        input_name=files[:1000],
        input_checksum=checksum,
        status="unchanged" if unchanged else "succeeded",
        finished_at=utcnow(),
        duration_ms=int((time.monotonic() - started) * 1000),
        counts={"regions": count},
        details={"edition": edition},
    )


@dataclass(frozen=True)
class RegionFilter:
    """Which regions to list: children of ``parent`` (all levels below it when
    ``level`` is given), of a ``level``, whose name contains ``search``."""

    parent: str | None = None
    level: int | None = None
    search: str | None = None
    edition: str | None = None
    limit: int = 100
    offset: int = 0


async def find_current_edition(session: AsyncSession) -> str | None:
    """The newest edition in the store, or ``None`` before any load."""
    return await session.scalar(sa.select(sa.func.max(Region.edition)))


async def find_region(
    session: AsyncSession, code: str, edition: str | None = None
) -> Region | None:
    """The region with ``code`` in ``edition`` (default the newest), or ``None``."""
    edition = edition or await find_current_edition(session)
    return await session.get(Region, (edition, code)) if edition else None


async def list_regions(
    session: AsyncSession, query: RegionFilter
) -> tuple[list[Region], int]:
    """Regions matching ``query`` in code order, and how many match in all."""
    edition = query.edition or await find_current_edition(session)
    condition = _region_condition(query, edition)
    total = await session.scalar(
        sa.select(sa.func.count()).select_from(Region).where(condition)
    )
    statement = (
        sa.select(Region)
        .where(condition)
        .order_by(Region.code)
        .limit(max(0, min(query.limit, MAX_REGIONS)))
        .offset(max(0, query.offset))
    )
    return list(await session.scalars(statement)), total or 0


def _region_condition(
    query: RegionFilter, edition: str | None
) -> sa.ColumnElement[bool]:
    conditions: list[sa.ColumnElement[bool]] = [Region.edition == (edition or "")]
    if query.parent is not None and query.level is not None:
        conditions.append(Region.code.startswith(f"{query.parent}.", autoescape=True))
    elif query.parent is not None:
        conditions.append(Region.parent_code == query.parent)
    if query.level is not None:
        conditions.append(Region.level == query.level)
    if query.search:
        needle = query.search.strip().lower()
        conditions.append(sa.func.lower(Region.name).contains(needle, autoescape=True))
    return sa.and_(*conditions)


async def list_all_regions(session: AsyncSession, edition: str) -> list[Region]:
    """Every region of an edition (about 92,000 rows for the whole country)."""
    return list(
        await session.scalars(sa.select(Region).where(Region.edition == edition))
    )
