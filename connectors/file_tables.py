"""The ``ds_*`` store tables that hold file datasets: names and column types."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from connectors.base import DataType

TABLE_PREFIX = "ds_"
ROW_COLUMN = "_row"
MAX_NAME = 63  # PostgreSQL truncates identifiers longer than this

SQL_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "text": sa.Text(),
    "integer": sa.BigInteger(),
    "bigint": sa.BigInteger(),
    "decimal": sa.Double(),
    "float": sa.Double(),
    "boolean": sa.Boolean(),
    "date": sa.Date(),
    "datetime": sa.DateTime(),
    "json": sa.JSON(),
}


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by "_": "Dinas Kesehatan" → "dinas_kesehatan"."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def table_name_for(agency: str, dataset: str) -> str:
    """``ds_<agency>__<dataset>``, shortened with a hash suffix past 63 characters."""
    name = f"{TABLE_PREFIX}{slugify(agency)}__{slugify(dataset)}"
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_NAME - 9]}_{digest}"


def build_table(name: str, columns: Sequence[tuple[str, DataType]]) -> sa.Table:
    """A ``Table`` (in its own metadata) with ``_row`` as key and the given columns."""
    if not name.startswith(TABLE_PREFIX):
        raise ValueError(
            f"file dataset tables must be named {TABLE_PREFIX}*, not {name!r}"
        )
    metadata = sa.MetaData()
    return sa.Table(
        name,
        metadata,
        sa.Column(ROW_COLUMN, sa.Integer, primary_key=True, autoincrement=False),
        *(sa.Column(column, SQL_TYPES[data_type]) for column, data_type in columns),
    )
