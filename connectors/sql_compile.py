"""Compiling connector queries (filter, sort, page, aggregate) to SQLAlchemy Core.

Works on any ``sqlalchemy.Table``: the SQL connector uses it on reflected
tables, the file connector and store-backed datasets on their own ``ds_*``
tables. Every function is pure: it builds statements and never executes them.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    Table,
    and_,
    false,
    func,
    not_,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy import types as sqltypes

from connectors.base import (
    Aggregate,
    AggregateQuery,
    And,
    Condition,
    DataType,
    Filter,
    Not,
    Or,
    Row,
    RowQuery,
    Sort,
    SourceQueryError,
    UnknownDatasetError,
)

MAX_PAGE = 10_000
# Statements with more bound parameters than this split keys into several IN lists
# for SQLite, whose default limit is 32,766; the others allow far more.
MAX_KEYS_PER_STATEMENT = 5_000


def get_column(table: Table, name: str) -> Column[Any]:
    """The column ``name`` of ``table``; raises ``UnknownDatasetError``."""
    try:
        return table.c[name]
    except KeyError:
        raise UnknownDatasetError(
            f"dataset {table.name!r} has no column {name!r}; "
            f"columns are {[column.name for column in table.columns]}"
        ) from None


def compile_filter(table: Table, filter_: Filter | None) -> ColumnElement[bool]:
    """The boolean SQL expression of ``filter_`` (true when there is none)."""
    if filter_ is None:
        return true()
    if isinstance(filter_, Condition):
        return _compile_condition(get_column(table, filter_.column), filter_)
    if isinstance(filter_, And):
        return and_(true(), *(compile_filter(table, item) for item in filter_.items))
    if isinstance(filter_, Or):
        return or_(false(), *(compile_filter(table, item) for item in filter_.items))
    if isinstance(filter_, Not):
        return not_(compile_filter(table, filter_.item))
    raise SourceQueryError(f"unsupported filter {filter_!r}")


def _compile_condition(
    column: Column[Any], condition: Condition
) -> ColumnElement[bool]:
    op, value = condition.op, condition.value
    if op == "is_null":
        return column.is_(None) if value else column.is_not(None)
    if value is None:
        raise SourceQueryError(
            f"filter {op} on column {column.name!r} needs a value; use isNull for nulls"
        )
    if op in ("in", "not_in"):
        values = list(value)
        return column.in_(values) if op == "in" else column.not_in(values)
    if op == "contains":
        return column.contains(str(value), autoescape=True)
    if op == "starts_with":
        return column.startswith(str(value), autoescape=True)
    comparison: ColumnElement[bool] = _COMPARISONS[op](column, value)
    return comparison


_COMPARISONS: dict[str, Any] = {
    "eq": lambda column, value: column == value,
    "ne": lambda column, value: column != value,
    "lt": lambda column, value: column < value,
    "lte": lambda column, value: column <= value,
    "gt": lambda column, value: column > value,
    "gte": lambda column, value: column >= value,
}


def stable_order(
    table: Table, order_by: Sequence[Sort], key: Sequence[str]
) -> tuple[Sort, ...]:
    """``order_by`` completed with the key (or every column) so pages never overlap."""
    named = {sort.column for sort in order_by}
    tiebreak = key or [column.name for column in table.columns]
    extra = tuple(Sort(name) for name in tiebreak if name not in named)
    return (*order_by, *extra)


def select_rows(table: Table, query: RowQuery) -> Select[Any]:
    """The page of rows of ``query``: filter, order, then limit and offset."""
    columns = (
        [get_column(table, name) for name in query.columns]
        if query.columns
        else list(table.columns)
    )
    statement = select(*columns).where(compile_filter(table, query.filter))
    for sort in query.order_by:
        column = get_column(table, sort.column)
        statement = statement.order_by(column.desc() if sort.descending else column)
    limit = MAX_PAGE if query.limit is None else min(query.limit, MAX_PAGE)
    return statement.limit(limit).offset(query.offset or None)


def select_count(table: Table, filter_: Filter | None) -> Select[Any]:
    """How many rows match ``filter_``."""
    return select(func.count()).select_from(table).where(compile_filter(table, filter_))


def select_aggregate(table: Table, query: AggregateQuery) -> Select[Any]:
    """One row per group: the group columns, then one labelled value per aggregate."""
    groups = [get_column(table, name) for name in query.group_by]
    values = [_aggregate_expression(table, item) for item in query.aggregates]
    statement = (
        select(*groups, *values)
        .select_from(table)
        .where(compile_filter(table, query.filter))
    )
    if groups:
        statement = statement.group_by(*groups).order_by(*groups)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    return statement


def _aggregate_expression(table: Table, item: Aggregate) -> ColumnElement[Any]:
    if item.column is None:
        if item.function != "count":
            raise SourceQueryError(f"{item.function} needs a column")
        return func.count().label(item.alias)
    column = get_column(table, item.column)
    if item.function == "count":
        return func.count(column).label(item.alias)
    if item.function == "count_distinct":
        return func.count(column.distinct()).label(item.alias)
    if item.function in ("sum", "avg") and data_type_of(column.type) not in (
        "integer",
        "bigint",
        "decimal",
        "float",
    ):
        raise SourceQueryError(
            f"{item.function} needs a numeric column; {column.name!r} is "
            f"{data_type_of(column.type)}"
        )
    function: Any = getattr(func, item.function)
    labelled: ColumnElement[Any] = function(column).label(item.alias)
    return labelled


def select_by_keys(
    table: Table, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> Select[Any]:
    """Every row whose ``columns`` equal one of ``keys``: one IN list."""
    targets = [get_column(table, name) for name in columns]
    distinct = list(dict.fromkeys(keys))
    if len(targets) == 1:
        condition = targets[0].in_([key[0] for key in distinct])
    else:
        condition = tuple_(*targets).in_(distinct)
    order = [column for column in table.primary_key.columns] or targets
    return select(table).where(condition).order_by(*order)


def select_by_keys_capped(
    table: Table,
    columns: Sequence[str],
    keys: Sequence[tuple[Any, ...]],
    limit_per_key: int,
) -> Select[Any]:
    """Like ``select_by_keys`` but at most ``limit_per_key`` rows per key, first
    in key order: one statement with ``row_number() OVER (PARTITION BY ...)``."""
    ranked_by = list(table.primary_key.columns) or [
        get_column(table, c) for c in columns
    ]
    rank = (
        func.row_number()
        .over(partition_by=[get_column(table, c) for c in columns], order_by=ranked_by)
        .label("bigone_rank")
    )
    inner = (
        select(*table.columns, rank)
        .where(select_by_keys(table, columns, keys).whereclause)  # type: ignore[arg-type]
        .subquery()
    )
    return (
        select(*(inner.c[column.name] for column in table.columns))
        .where(inner.c.bigone_rank <= limit_per_key)
        .order_by(*(inner.c[column.name] for column in ranked_by))
    )


def group_by_keys(
    rows: Sequence[Row], columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> list[list[Row]]:
    """Rows split per key, in the order of ``keys`` (the dataloader contract)."""
    found: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        found.setdefault(tuple(row[name] for name in columns), []).append(row)
    return [found.get(tuple(key), []) for key in keys]


def data_type_of(type_: sqltypes.TypeEngine[Any]) -> DataType:
    """The connector data type of an SQL column type (``text`` when unknown)."""
    if isinstance(type_, sqltypes.BigInteger):
        return "bigint"
    try:
        python_type = type_.python_type
    except NotImplementedError:
        return "text"
    for candidate, data_type in _PYTHON_TYPES:
        if issubclass(python_type, candidate):
            return data_type
    return "text"


_PYTHON_TYPES: tuple[tuple[type, DataType], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (decimal.Decimal, "decimal"),
    (float, "float"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
    (dict, "json"),
    (list, "json"),
    (str, "text"),
)
