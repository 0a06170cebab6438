"""Compiling the connector query model (filter, sort, page, aggregate) to SQLAlchemy.

Used by connectors whose rows live in an SQL table they know the columns of;
every column name is checked against the table before it reaches SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from connectors.base import (
    Aggregate,
    AggregateQuery,
    And,
    Condition,
    Filter,
    Not,
    Or,
    RowQuery,
    UnknownDatasetError,
)

MAX_LIMIT = 10_000


def column_of(table: sa.Table, name: str) -> sa.ColumnElement[Any]:
    """The column ``name`` of ``table``; raises ``UnknownDatasetError`` otherwise."""
    if name not in table.c:
        known = ", ".join(table.c.keys())
        raise UnknownDatasetError(
            f"dataset {table.name!r} has no column {name!r}; its columns are {known}"
        )
    return table.c[name]


def compile_filter(table: sa.Table, filter_: Filter) -> sa.ColumnElement[bool]:
    """The SQL condition of a filter tree."""
    if isinstance(filter_, And):
        return sa.and_(
            sa.true(), *(compile_filter(table, item) for item in filter_.items)
        )
    if isinstance(filter_, Or):
        return sa.or_(
            sa.false(), *(compile_filter(table, item) for item in filter_.items)
        )
    if isinstance(filter_, Not):
        return sa.not_(compile_filter(table, filter_.item))
    return _condition(column_of(table, filter_.column), filter_)


def _condition(column: sa.ColumnElement[Any], condition: Condition) -> Any:
    value = condition.value
    match condition.op:
        case "eq":
            return column.is_(None) if value is None else column == value
        case "ne":
            return column.is_not(None) if value is None else column != value
        case "lt":
            return column < value
        case "lte":
            return column <= value
        case "gt":
            return column > value
        case "gte":
            return column >= value
        case "in":
            return column.in_(list(value))
        case "not_in":
            return column.not_in(list(value))
        case "contains":
            return column.contains(str(value), autoescape=True)
        case "starts_with":
            return column.startswith(str(value), autoescape=True)
        case "is_null":
            return column.is_(None) if value in (None, True) else column.is_not(None)
    raise UnknownDatasetError(f"unknown operator {condition.op!r}")


def select_rows(table: sa.Table, query: RowQuery) -> sa.Select[Any]:
    """SELECT of a row query: columns, filter, order (then key for stability), page."""
    columns = (
        [column_of(table, name) for name in query.columns]
        if query.columns
        else list(table.c)
    )
    statement = sa.select(*columns)
    if query.filter is not None:
        statement = statement.where(compile_filter(table, query.filter))
    order = [
        column_of(table, sort.column).desc()
        if sort.descending
        else column_of(table, sort.column)
        for sort in query.order_by
    ]
    statement = statement.order_by(*order, *table.primary_key.columns)
    limit = min(query.limit, MAX_LIMIT) if query.limit is not None else MAX_LIMIT
    return statement.limit(limit).offset(query.offset)


def count_rows(table: sa.Table, filter_: Filter | None) -> sa.Select[Any]:
    statement = sa.select(sa.func.count()).select_from(table)
    if filter_ is not None:
        statement = statement.where(compile_filter(table, filter_))
    return statement


def select_aggregate(table: sa.Table, query: AggregateQuery) -> sa.Select[Any]:
    """SELECT of group columns and one labelled value per aggregate."""
    groups = [column_of(table, name) for name in query.group_by]
    values = [
        _aggregate(table, aggregate).label(aggregate.alias)
        for aggregate in query.aggregates
    ]
    statement = sa.select(*groups, *values)
    if query.filter is not None:
        statement = statement.where(compile_filter(table, query.filter))
    if groups:
        statement = statement.group_by(*groups).order_by(*groups)
    if query.limit is not None:
        statement = statement.limit(min(query.limit, MAX_LIMIT))
    return statement


def _aggregate(table: sa.Table, aggregate: Aggregate) -> sa.ColumnElement[Any]:
    if aggregate.column is None:
        if aggregate.function != "count":
            raise UnknownDatasetError(f"{aggregate.function} needs a column")
        return sa.func.count()
    column = column_of(table, aggregate.column)
    match aggregate.function:
        case "count":
            return sa.func.count(column)
        case "count_distinct":
            return sa.func.count(sa.distinct(column))
        case "sum":
            return sa.func.sum(column)
        case "avg":
            return sa.func.avg(column)
        case "min":
            return sa.func.min(column)
        case "max":
            return sa.func.max(column)
    raise UnknownDatasetError(f"unknown aggregate {aggregate.function!r}")


def select_by_keys(
    table: sa.Table, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> sa.Select[Any]:
    """One SELECT for all ``keys`` (tuples of values of ``columns``)."""
    targets = [column_of(table, name) for name in columns]
    if len(targets) == 1:
        condition = targets[0].in_([key[0] for key in keys])
    else:
        condition = sa.tuple_(*targets).in_([tuple(key) for key in keys])
    return sa.select(table).where(condition)
