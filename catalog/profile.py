"""Data-quality profiles: rows, null share, distinct values, min/max, invalid codes.

Profiles are computed through the connector interface (aggregates pushed
down to the source), so they work alike for file datasets and live SQL
sources. Region-code columns are checked against the master data. Columns
whose values the asker may not see get counts only: no minimum, maximum or
invalid examples, which would be values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.base import (
    Aggregate,
    AggregateQuery,
    ColumnInfo,
    DatasetInfo,
    Row,
)
from connectors.regions import find_current_edition
from indonesian.identifiers import (
    bps_to_kemendagri_prefix,
    is_bps_code,
    is_kemendagri_code,
)
from store.regions import Region

ORDERED_TYPES = ("integer", "bigint", "decimal", "float", "date", "datetime", "text")
MAX_INVALID_EXAMPLES = 10
MAX_DISTINCT_CHECKED = 100_000


class Aggregating(Protocol):
    """What profiling needs of a source: a connector, or one seen through a policy."""

    async def aggregate(self, query: AggregateQuery) -> list[Row]: ...


@dataclass
class ColumnProfile:
    name: str
    data_type: str
    nulls: int
    null_share: float
    distinct: int
    minimum: Any = None
    maximum: Any = None
    code_kind: str | None = None
    invalid_codes: int | None = None
    invalid_examples: list[str] = field(default_factory=list)


@dataclass
class DatasetProfile:
    rows: int
    columns: list[ColumnProfile]


async def profile_dataset(
    connector: Aggregating,
    info: DatasetInfo,
    sessions: async_sessionmaker[AsyncSession],
    hidden_values: Collection[str] = (),
) -> DatasetProfile:
    """The profile of one dataset: one aggregate query, plus one per code column.

    ``hidden_values`` names columns profiled by counts only (masked ones).
    Raises the connector's errors when the source cannot answer.
    """
    columns = [
        column for column in info.columns if not column.is_key or len(info.key) == 1
    ]
    aggregates = [Aggregate("count")]
    for column in columns:
        aggregates += [
            Aggregate("count", column.name),
            Aggregate("count_distinct", column.name),
        ]
        if column.data_type in ORDERED_TYPES and column.name not in hidden_values:
            aggregates += [Aggregate("min", column.name), Aggregate("max", column.name)]
    result = (await connector.aggregate(AggregateQuery(info.name, tuple(aggregates))))[
        0
    ]
    rows = int(result["count__all"])
    profiles = [_column_profile(column, result, rows) for column in columns]
    for profile in profiles:
        if profile.name in hidden_values:
            continue
        if profile.code_kind in ("wilayah_kemendagri", "wilayah_bps"):
            await _check_codes(profile, connector, info.name, sessions)
    return DatasetProfile(rows=rows, columns=profiles)


def _column_profile(
    column: ColumnInfo, result: dict[str, Any], rows: int
) -> ColumnProfile:
    filled = int(result[f"count__{column.name}"])
    return ColumnProfile(
        name=column.name,
        data_type=column.data_type,
        nulls=rows - filled,
        null_share=round((rows - filled) / rows, 4) if rows else 0.0,
        distinct=int(result[f"count_distinct__{column.name}"]),
        minimum=result.get(f"min__{column.name}"),
        maximum=result.get(f"max__{column.name}"),
        code_kind=column.code_kind,
    )


async def _check_codes(
    profile: ColumnProfile,
    connector: Aggregating,
    dataset: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    query = AggregateQuery(
        dataset,
        (Aggregate("count"),),
        group_by=(profile.name,),
        limit=MAX_DISTINCT_CHECKED,
    )
    groups = await connector.aggregate(query)
    values = {
        str(row[profile.name]): int(row["count__all"])
        for row in groups
        if row[profile.name] is not None
    }
    known = await _known_codes(sessions, values)
    invalid = [
        value for value in values if not _is_valid(value, profile.code_kind, known)
    ]
    profile.invalid_codes = sum(values[value] for value in invalid)
    profile.invalid_examples = sorted(invalid)[:MAX_INVALID_EXAMPLES]


def _is_valid(value: str, kind: str | None, known: set[str]) -> bool:
    """A Kemendagri code must exist; a BPS code must be well formed and, at
    province and regency level where the two systems agree, exist."""
    if kind == "wilayah_kemendagri":
        return is_kemendagri_code(value) and value in known
    if not is_bps_code(value):
        return False
    converted = bps_to_kemendagri_prefix(value)
    return converted is None or converted in known


async def _known_codes(
    sessions: async_sessionmaker[AsyncSession], values: dict[str, int]
) -> set[str]:
    candidates = {v for v in values if is_kemendagri_code(v)}
    candidates |= {c for v in values if (c := bps_to_kemendagri_prefix(v))}
    if not candidates:
        return set()
    async with sessions() as session:
        edition = await find_current_edition(session)
        found: set[str] = set()
        ordered = sorted(candidates)
        for start in range(0, len(ordered), 5000):
            chunk: Sequence[str] = ordered[start : start + 5000]
            statement = sa.select(Region.code).where(
                Region.edition == edition, Region.code.in_(chunk)
            )
            found.update(await session.scalars(statement))
    return found
