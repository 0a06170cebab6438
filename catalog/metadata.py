"""Steward edits of dataset and column metadata: validated, and kept as history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from catalog.errors import DatasetNotFoundError, MetadataValidationError
from catalog.vocabulary import ACCESS_LEVELS, CODE_KINDS, FREQUENCIES, SECTORS, UNITS
from store.catalog import Dataset, DatasetColumn
from store.engine import transaction
from store.stewardship import MetadataChange

DATASET_FIELDS = (
    "title", "description", "walidata", "sector", "frequency", "period", "licence",
    "access_level", "keywords",
)  # fmt: skip
COLUMN_FIELDS = ("description", "concept", "definition", "unit", "code_kind")


@dataclass(frozen=True)
class ColumnEdit:
    """New values for one column; ``None`` leaves a field as it is, "" clears it."""

    name: str
    values: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class MetadataEdit:
    """New values for a dataset's fields (``None`` = unchanged) and its columns."""

    dataset_id: int
    changed_by: str
    values: dict[str, Any] = field(default_factory=dict)
    columns: tuple[ColumnEdit, ...] = ()


def validate_edit(edit: MetadataEdit, column_names: Sequence[str]) -> None:
    """Raise ``MetadataValidationError`` for the first value outside the vocabulary."""
    if not edit.changed_by.strip():
        raise MetadataValidationError("changedBy", edit.changed_by, "name who edits")
    _check_vocabulary("accessLevel", edit.values.get("access_level"), ACCESS_LEVELS)
    _check_vocabulary("sector", edit.values.get("sector"), SECTORS)
    _check_vocabulary("frequency", edit.values.get("frequency"), FREQUENCIES)
    title = edit.values.get("title")
    if title is not None and not title.strip():
        raise MetadataValidationError("title", title, "a dataset needs a title")
    for column in edit.columns:
        if column.name not in column_names:
            raise MetadataValidationError(
                "columns.name",
                column.name,
                "the dataset has no such column",
                column_names,
            )
        _check_vocabulary(
            f"columns.{column.name}.unit", column.values.get("unit"), UNITS
        )
        _check_vocabulary(
            f"columns.{column.name}.codeKind",
            column.values.get("code_kind"),
            CODE_KINDS,
        )


def _check_vocabulary(
    name: str, value: str | None, allowed: Sequence[str] | frozenset[str]
) -> None:
    if value is None or value == "":
        return
    if value.strip().lower() not in allowed:
        raise MetadataValidationError(
            name, value, "not in the Satu Data vocabulary", sorted(allowed)
        )


async def update_metadata(
    sessions: async_sessionmaker[AsyncSession], edit: MetadataEdit
) -> Dataset:
    """Apply a validated edit and record what changed, in one transaction.

    Returns the dataset with its columns. Raises ``DatasetNotFoundError`` or
    ``MetadataValidationError``; nothing is written then.
    """
    async with transaction(sessions) as session:
        dataset = await _get_dataset(session, edit.dataset_id)
        validate_edit(edit, [column.name for column in dataset.columns])
        changes = _apply(
            dataset, {k: v for k, v in edit.values.items() if v is not None}
        )
        if changes:
            session.add(
                MetadataChange(
                    dataset_id=dataset.id, changed_by=edit.changed_by, changes=changes
                )
            )
        by_name = {column.name: column for column in dataset.columns}
        for column_edit in edit.columns:
            column = by_name[column_edit.name]
            values = {k: v for k, v in column_edit.values.items() if v is not None}
            column_changes = _apply(column, _normalised(values))
            if column_changes:
                session.add(
                    MetadataChange(
                        dataset_id=dataset.id,
                        column_name=column.name,
                        changed_by=edit.changed_by,
                        changes=column_changes,
                    )
                )
        await session.flush()
    return dataset


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Units and code kinds in their vocabulary form; "" clears a field."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("unit", "code_kind") and isinstance(value, str):
            value = value.strip().lower() or None
        result[key] = value
    return result


def _apply(target: Dataset | DatasetColumn, values: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key == "access_level" or key == "sector" or key == "frequency":
            value = value.strip().lower()
        old = getattr(target, key)
        if old != value:
            changes[key] = {"old": old, "new": value}
            setattr(target, key, value)
    return changes


async def _get_dataset(session: AsyncSession, dataset_id: int) -> Dataset:
    statement = (
        sa.select(Dataset)
        .where(Dataset.id == dataset_id)
        .options(selectinload(Dataset.columns))
    )
    dataset = await session.scalar(statement)
    if dataset is None:
        raise DatasetNotFoundError(dataset_id)
    return dataset


async def list_changes(
    sessions: async_sessionmaker[AsyncSession], dataset_id: int
) -> list[MetadataChange]:
    """The dataset's metadata history, newest first."""
    async with sessions() as session:
        statement = (
            sa.select(MetadataChange)
            .where(MetadataChange.dataset_id == dataset_id)
            .order_by(MetadataChange.id.desc())
        )
        return list(await session.scalars(statement))
