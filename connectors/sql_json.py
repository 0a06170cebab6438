"""Row pages whose JSON the database builds: the SQL of the GraphQL fast path.

A page of rows selected as plain columns does not need Python to touch each
value: PostgreSQL (``json_build_object``) and SQLite (``json_object``) render
every row as the JSON object the API answers with, so the server forwards
text. The statement is written here as text with the driver's own parameter
marks (it runs on the raw driver connection) and follows ``sql_compile`` to
the letter: the same conditions, the same LIKE escaping, the same order and
window, so both paths return the same rows.

Each row also carries a check column: true when a value would not come out
of the database as the GraphQL scalar would serialise it (a null in a non-null
column, an integer beyond GraphQL's 32 bits, a float that is not a number, a
value of another type than its column's in SQLite). The caller then answers
through the ordinary path, which reports the problem as GraphQL does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Table
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Dialect

from connectors.base import And, Condition, Filter, Not, Or, Sort, SourceQueryError
from connectors.sql_compile import MAX_PAGE, data_type_of, get_column, stable_order

JSON_DIALECTS = frozenset({"postgresql", "sqlite"})
# json_build_object takes at most 100 arguments; SQLite's json_object 127.
MAX_JSON_FIELDS = 50
INT32 = (-(2**31), 2**31 - 1)
TYPENAME = None  # the column of a field that is the row's type name


@dataclass(frozen=True)
class JsonField:
    """One member of a row object: its response key and column (or TYPENAME)."""

    key: str
    column: str | None
    non_null: bool = False


@dataclass(frozen=True)
class JsonShape:
    """A row object as the API answers it: its members in order, its type name."""

    fields: tuple[JsonField, ...]
    type_name: str

    @cached_property
    def columns(self) -> frozenset[str]:
        """The columns the shape selects."""
        return frozenset(f.column for f in self.fields if f.column is not None)

    @cached_property
    def _hash(self) -> int:
        return hash((self.fields, self.type_name))

    def __hash__(self) -> int:
        # A plan's shapes key the statement caches on every request; hashing
        # every field each time would cost more than the lookup saves.
        return self._hash


@dataclass(frozen=True)
class JsonRowQuery:
    """A page of rows rendered as JSON, one text column per shape."""

    dataset: str
    shapes: tuple[JsonShape, ...]
    filter: Filter | None = None
    order_by: tuple[Sort, ...] = ()
    limit: int = 100
    offset: int = 0

    # Built per request, so built directly: dataclasses.replace costs more.
    def with_filter(self, filter_: Filter | None) -> JsonRowQuery:
        return JsonRowQuery(
            self.dataset, self.shapes, filter_, self.order_by, self.limit, self.offset
        )

    def with_order(self, order_by: tuple[Sort, ...]) -> JsonRowQuery:
        return JsonRowQuery(
            self.dataset, self.shapes, self.filter, order_by, self.limit, self.offset
        )

    def with_window(self, limit: int, offset: int) -> JsonRowQuery:
        return JsonRowQuery(
            self.dataset, self.shapes, self.filter, self.order_by, limit, offset
        )


@dataclass(frozen=True)
class JsonPage:
    """One tuple of JSON texts per row (one per shape); ``suspect`` when a row
    failed its check and the page must be answered another way."""

    rows: list[tuple[str, ...]]
    suspect: bool
    total: int | None = None


def is_json_column(table: Table, column: str) -> bool:
    """Whether the database renders ``column`` exactly as the API serialises it."""
    try:
        return _kind(get_column(table, column).type) is not None
    except SourceQueryError:
        return False


def _kind(type_: sqltypes.TypeEngine[Any]) -> str | None:
    # Only types whose Python value the GraphQL scalar serialises as the
    # database's JSON renders it; datetimes (time zones, fractions) and JSON
    # values keep the ordinary path.
    if isinstance(type_, sqltypes.Boolean):
        return "boolean"
    if isinstance(type_, sqltypes.Integer):
        return "bigint" if isinstance(type_, sqltypes.BigInteger) else "integer"
    if isinstance(type_, sqltypes.Numeric):
        return "float"
    if isinstance(type_, sqltypes.Date) and not isinstance(type_, sqltypes.DateTime):
        return "date" if data_type_of(type_) == "date" else None
    if isinstance(type_, sqltypes.CHAR | sqltypes.NCHAR):
        return None  # the JSON of a blank-padded char drops the padding
    if isinstance(type_, sqltypes.String) and data_type_of(type_) == "text":
        return "text"
    return None


class JsonStatements:
    """Writes the statements of one table for one dialect. Safe to share."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        if dialect.name not in JSON_DIALECTS:
            raise SourceQueryError(f"no JSON rendering for {dialect.name}")
        self.table = table
        self.dialect = dialect.name
        self._quote = dialect.identifier_preparer.quote
        self._from = dialect.identifier_preparer.format_table(table)
        self._quoted: dict[str, str] = {}
        self._renders: dict[tuple[str, ...], bool] = {}
        self._selects: dict[tuple[JsonShape, ...], str] = {}
        self._orders: dict[tuple[Sort, ...], tuple[Sort, ...]] = {}
        self._order_sql: dict[tuple[Sort, ...], str] = {}
        self._bindable: set[str] = set()

    def stable_order(self, order_by: tuple[Sort, ...]) -> tuple[Sort, ...]:
        """``sql_compile.stable_order`` with the table's key, kept per order."""
        found = self._orders.get(order_by)
        if found is None:
            key = [column.name for column in self.table.primary_key.columns]
            found = stable_order(self.table, order_by, key)
            if len(self._orders) > 1000:
                self._orders.clear()
            self._orders[order_by] = found
        return found

    def renders(self, columns: tuple[str, ...]) -> bool:
        """Whether every one of ``columns`` renders as the API serialises it."""
        found = self._renders.get(columns)
        if found is None:
            found = all(is_json_column(self.table, column) for column in columns)
            self._renders[columns] = found
        return found

    def select_page(self, query: JsonRowQuery) -> tuple[str, list[Any]]:
        """``SELECT`` of the page: one JSON text per shape, then the check."""
        params: list[Any] = []
        where = self._condition(query.filter, params)
        order = self._order(query.order_by)
        sql = f"{self._select(query.shapes)} WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        limit = min(query.limit, MAX_PAGE)
        sql += f" LIMIT {self._mark(params, limit)}"
        if query.offset:
            sql += f" OFFSET {self._mark(params, query.offset)}"
        return sql, params

    def select_count(self, filter_: Filter | None) -> tuple[str, list[Any]]:
        """How many rows match ``filter_``."""
        params: list[Any] = []
        where = self._condition(filter_, params)
        return f"SELECT count(*) FROM {self._from} WHERE {where}", params

    # ------------------------------------------------------------ row objects

    def _select(self, shapes: tuple[JsonShape, ...]) -> str:
        found = self._selects.get(shapes)
        if found is None:
            columns = [self._object(shape) for shape in shapes]
            columns.append(self._check(shapes))
            found = f"SELECT {', '.join(columns)} FROM {self._from}"
            if len(self._selects) > 1000:  # documents are cached, shapes few
                self._selects.clear()
            self._selects[shapes] = found
        return found

    def _object(self, shape: JsonShape) -> str:
        if len(shape.fields) > MAX_JSON_FIELDS:
            raise SourceQueryError(f"more than {MAX_JSON_FIELDS} fields in one row")
        members = []
        for field in shape.fields:
            members.append(_literal(field.key))
            if field.column is TYPENAME:
                members.append(_literal(shape.type_name))
            else:
                members.append(self._value(field.column))
        if self.dialect == "postgresql":
            return f"json_build_object({', '.join(members)})::text"
        return f"json_object({', '.join(members)})"

    def _value(self, name: str) -> str:
        column = self._column(name)
        kind = self._kind_of(name)
        if kind == "float":
            cast = "double precision" if self.dialect == "postgresql" else "REAL"
            return f"CAST({column} AS {cast})"
        if kind == "boolean" and self.dialect == "sqlite":
            return (
                f"json(CASE WHEN {column} IS NULL THEN 'null' WHEN {column} "
                "THEN 'true' ELSE 'false' END)"
            )
        return column

    def _check(self, shapes: Sequence[JsonShape]) -> str:
        problems: list[str] = []
        seen: set[tuple[str, bool]] = set()
        for shape in shapes:
            for field in shape.fields:
                if field.column is None or (field.column, field.non_null) in seen:
                    continue
                seen.add((field.column, field.non_null))
                problems.extend(self._problems(field))
        if not problems:
            return "0"
        return f"CASE WHEN {' OR '.join(problems)} THEN 1 ELSE 0 END"

    def _problems(self, field: JsonField) -> list[str]:
        assert field.column is not None
        column = self._column(field.column)
        kind = self._kind_of(field.column)
        problems = [f"{column} IS NULL"] if field.non_null else []
        if self.dialect == "sqlite":
            problems.append(_sqlite_problem(column, kind))
        elif kind == "bigint":
            problems.append(f"{column} NOT BETWEEN {INT32[0]} AND {INT32[1]}")
        elif kind == "float":
            problems.append(
                f"CAST({column} AS double precision) IN "
                "('NaN', 'Infinity', '-Infinity')"
            )
        return problems

    def _kind_of(self, name: str) -> str:
        kind = _kind(get_column(self.table, name).type)
        if kind is None:
            raise SourceQueryError(f"column {name!r} is not rendered as JSON here")
        return kind

    def _column(self, name: str) -> str:
        found = self._quoted.get(name)
        if found is None:
            found = self._quote(get_column(self.table, name).name)
            self._quoted[name] = found
        return found

    # ------------------------------------------------------------ conditions

    def _condition(self, filter_: Filter | None, params: list[Any]) -> str:
        # Mirrors sql_compile.compile_filter: an empty And holds, an empty Or not.
        if filter_ is None:
            return "1 = 1"
        if isinstance(filter_, Condition):
            return self._comparison(filter_, params)
        if isinstance(filter_, And | Or):
            if not filter_.items:
                return "1 = 1" if isinstance(filter_, And) else "1 = 0"
            joiner = " AND " if isinstance(filter_, And) else " OR "
            parts = (self._condition(item, params) for item in filter_.items)
            return "(" + joiner.join(parts) + ")"
        if isinstance(filter_, Not):
            return f"NOT ({self._condition(filter_.item, params)})"
        raise SourceQueryError(f"unsupported filter {filter_!r}")

    def _comparison(self, condition: Condition, params: list[Any]) -> str:
        column = self._column(condition.column)
        op, value = condition.op, condition.value
        if op == "is_null":
            return f"{column} IS NULL" if value else f"{column} IS NOT NULL"
        if value is None:
            raise SourceQueryError(
                f"filter {op} on column {condition.column!r} needs a value; "
                "use isNull for nulls"
            )
        self._require_bindable(condition.column)
        if op in ("in", "not_in"):
            values = list(value)
            if not values:  # an empty IN holds for no row, an empty NOT IN for all
                return "1 = 0" if op == "in" else "1 = 1"
            marks = ", ".join(self._mark(params, item) for item in values)
            return f"{column} {'IN' if op == 'in' else 'NOT IN'} ({marks})"
        if op in ("contains", "starts_with"):
            pattern = _escape_like(str(value)) + "%"
            if op == "contains":
                pattern = "%" + pattern
            return f"{column} LIKE {self._mark(params, pattern)} ESCAPE '/'"
        return f"{column} {_OPERATORS[op]} {self._mark(params, value)}"

    def _require_bindable(self, name: str) -> None:
        # SQLAlchemy writes datetimes for SQLite in its own text format; the raw
        # driver would write another, and the comparison would differ.
        if name in self._bindable:
            return
        type_ = get_column(self.table, name).type
        if self.dialect == "sqlite" and isinstance(type_, sqltypes.DateTime):
            raise SourceQueryError(f"datetime condition on {name!r} in SQLite")
        self._bindable.add(name)

    def _order(self, order_by: tuple[Sort, ...]) -> str:
        found = self._order_sql.get(order_by)
        if found is None:
            found = ", ".join(self._sort(sort) for sort in order_by)
            if len(self._order_sql) > 1000:
                self._order_sql.clear()
            self._order_sql[order_by] = found
        return found

    def _sort(self, sort: Sort) -> str:
        column = self._column(sort.column)
        return f"{column} DESC" if sort.descending else column

    def _mark(self, params: list[Any], value: Any) -> str:
        params.append(value)
        return f"${len(params)}" if self.dialect == "postgresql" else "?"


_OPERATORS = {"eq": "=", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def _escape_like(text: str) -> str:
    # SQLAlchemy's autoescape: '/' escapes itself and the LIKE wildcards.
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sqlite_problem(column: str, kind: str) -> str:
    # SQLite keeps any value in any column; only the column's own type is safe.
    allowed = {
        "integer": "'integer'", "bigint": "'integer'", "boolean": "'integer'",
        "float": "'integer', 'real'", "text": "'text'", "date": "'text'",
    }[kind]  # fmt: skip
    problem = f"typeof({column}) NOT IN ({allowed}, 'null')"
    if kind in ("integer", "bigint"):
        problem += f" OR {column} NOT BETWEEN {INT32[0]} AND {INT32[1]}"
    if kind == "date":
        problem += f" OR {column} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
    return problem
