"""Resolvers over federated sources: pages with cursors, aggregates, relations.

Cursors are opaque; they encode the position of a row in the filtered, ordered
result, so ``after``/``before`` combine freely with any ``orderBy``. Relations
go through per-request dataloaders: one statement per relation per page.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import decimal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from connectors.base import (
    Aggregate,
    AggregateQuery,
    ConnectorError,
    Filter,
    Row,
    RowQuery,
    Sort,
    SourceQueryError,
)
from connectors.registry import SourceRegistry
from connectors.sql_json import JsonRowQuery
from resolvers.context import RequestContext
from security.secured_connector import SecuredConnector

DEFAULT_PAGE = 100
MAX_PAGE = 1000
CURSOR_PREFIX = "row:"
MAX_POSITION = 2**62


def get_registry(context: RequestContext) -> SourceRegistry:
    registry: SourceRegistry | None = context.services.extras.get("sources")
    if registry is None:
        registry = SourceRegistry()
        context.services.extras["sources"] = registry
    return registry


async def get_connector(context: RequestContext, source: str) -> SecuredConnector:
    """Source ``source`` as the request's principal may see it (policy applied)."""
    return await context.secure(get_registry(context).get(source))


async def list_sources(context: RequestContext) -> list[dict[str, Any]]:
    """Every source with its state, after pinging each (concurrently).

    Only the datasets the principal may read are named.
    """
    registry = get_registry(context)
    await asyncio.gather(
        *(registry.ping(entry.config.name) for entry in registry.entries)
    )
    return [
        {
            "name": entry.config.name,
            "kind": entry.config.kind,
            "agency": entry.config.agency,
            "state": entry.state,
            "error": entry.error,
            "datasets": [
                dataset.name
                for dataset in entry.datasets
                if await context.readable(entry.config.name, dataset.name)
            ],
        }
        for entry in get_registry(context).entries
    ]


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The row position in ``cursor``; raises ``SourceQueryError`` when it is not ours."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(CURSOR_PREFIX):
            digits = text[len(CURSOR_PREFIX) :]
            # Positions fit a database's 64-bit OFFSET, with room for the page.
            if digits.isdigit() and int(digits) <= MAX_POSITION:
                return int(digits)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise SourceQueryError(
        f"invalid cursor {cursor!r}: it was not issued by this API; pass an "
        "edge's cursor or pageInfo's endCursor/startCursor unchanged"
    )


@dataclass
class RowConnection:
    """A page of rows at ``start`` with lazily counted total."""

    connector: SecuredConnector
    dataset: str
    filter: Filter | None
    rows: list[Row]
    start: int
    has_next: bool
    known_total: int | None = None
    _count: asyncio.Task[int] | None = field(default=None, repr=False)

    async def total(self) -> int:
        if self.known_total is None:
            self.known_total = await count_rows(
                self.connector, self.dataset, self.filter
            )
        return self.known_total

    def page_info(self) -> dict[str, Any]:
        end = self.start + len(self.rows) - 1
        return {
            "has_next_page": self.has_next,
            "has_previous_page": self.start > 0,
            "start_cursor": encode_cursor(self.start) if self.rows else None,
            "end_cursor": encode_cursor(end) if self.rows else None,
        }

    def edges(self) -> list[dict[str, Any]]:
        return [
            {"cursor": encode_cursor(self.start + index), "node": row}
            for index, row in enumerate(self.rows)
        ]


async def count_rows(
    connector: SecuredConnector, dataset: str, filter_: Filter | None
) -> int:
    return await connector.count(dataset, filter_)


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


async def list_rows(
    context: RequestContext,
    source: str,
    dataset: str,
    filter_: Filter | None,
    order_by: Sequence[Sort],
    page: PageRequest,
) -> RowConnection:
    """One page of ``dataset``: one statement, plus a count only for ``last`` alone."""
    connector = await get_connector(context, source)
    start, end, total = await _window(connector, dataset, filter_, page)
    limit = max(end - start, 0)
    result = await connector.query(
        RowQuery(
            dataset,
            filter=filter_,
            order_by=tuple(order_by),
            limit=limit + 1,
            offset=start,
        )
    )
    rows = result.rows
    return RowConnection(
        connector,
        dataset,
        filter_,
        rows[:limit],
        start,
        has_next=len(rows) > limit,
        known_total=total,
    )


@dataclass
class JsonRowConnection:
    """A page of rows as JSON texts (one per shape) at ``start``."""

    rows: list[tuple[str, ...]]
    start: int
    has_next: bool
    total: int | None

    def page_info(self) -> dict[str, Any]:
        end = self.start + len(self.rows) - 1
        return {
            "hasNextPage": self.has_next,
            "hasPreviousPage": self.start > 0,
            "startCursor": encode_cursor(self.start) if self.rows else None,
            "endCursor": encode_cursor(end) if self.rows else None,
        }


async def list_rows_json(
    context: RequestContext,
    source: str,
    query: JsonRowQuery,
    page: PageRequest,
    *,
    with_total: bool,
) -> JsonRowConnection | None:
    """``list_rows`` with the rows rendered as JSON by the source, or None when
    the source cannot render them (see ``SecuredConnector.query_json``).

    ``query`` gives the dataset, shapes, filter and sorts; the window is taken
    from ``page`` exactly as ``list_rows`` takes it.
    """
    connector = await get_connector(context, source)
    start, end, total = await _window(connector, query.dataset, query.filter, page)
    limit = max(end - start, 0)
    windowed = query.with_window(limit + 1, offset=start)
    result = await connector.query_json(
        windowed, with_total=with_total and total is None
    )
    if result is None or result.suspect:
        return None
    rows = result.rows
    known = total if total is not None else result.total
    return JsonRowConnection(rows[:limit], start, len(rows) > limit, known)


async def _window(
    connector: SecuredConnector,
    dataset: str,
    filter_: Filter | None,
    page: PageRequest,
) -> tuple[int, int, int | None]:
    for name, value in (("first", page.first), ("last", page.last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise SourceQueryError(
                f"{name} must be between 0 and {MAX_PAGE}, got {value}"
            )
    start = decode_cursor(page.after) + 1 if page.after else 0
    end = decode_cursor(page.before) if page.before else None
    total = None
    if page.first is not None:
        end = start + page.first if end is None else min(end, start + page.first)
    if page.last is not None:
        if end is None:
            total = await count_rows(connector, dataset, filter_)
            end = total
        start = max(start, end - page.last)
    if end is None:
        end = start + DEFAULT_PAGE
    return start, end, total


async def aggregate_rows(
    context: RequestContext,
    source: str,
    dataset: str,
    aggregates: Sequence[Aggregate],
    group_by: Sequence[str],
    filter_: Filter | None,
) -> list[Row]:
    """Grouped aggregates, computed by the source in one statement."""
    connector = await get_connector(context, source)
    query = AggregateQuery(
        dataset, tuple(dict.fromkeys(aggregates)), tuple(group_by), filter_
    )
    return await connector.aggregate(query)


def get_relation_loader(
    context: RequestContext,
    source: str,
    dataset: str,
    columns: tuple[str, ...],
    limit_per_key: int | None = None,
) -> DataLoader[tuple[Any, ...], list[Row]]:
    """The request's loader of ``dataset`` rows by ``columns``, created once.

    With ``limit_per_key``, each key gets at most that many rows (in key order)
    from connectors that can cap in SQL; others are capped after loading.
    """
    name = f"rows:{source}:{dataset}:{','.join(columns)}:{limit_per_key}"
    loader: DataLoader[tuple[Any, ...], list[Row]] | None = context.loaders.get(name)
    if loader is None:

        async def load(keys: list[tuple[Any, ...]]) -> list[list[Row]]:
            connector = await get_connector(context, source)
            if limit_per_key is None:
                return await connector.load_by_keys(dataset, columns, keys)
            return await connector.load_by_keys_capped(
                dataset, columns, keys, limit_per_key
            )

        loader = DataLoader(load_fn=load)
        context.loaders[name] = loader
    return loader


async def load_related(
    context: RequestContext,
    source: str,
    dataset: str,
    columns: tuple[str, ...],
    key: tuple[Any, ...],
    limit: int | None = None,
) -> list[Row]:
    """Rows of ``dataset`` whose ``columns`` equal ``key``, batched per request;
    at most ``limit`` (0 to 1000) when given."""
    if limit is not None and not 0 <= limit <= MAX_PAGE:
        raise SourceQueryError(f"first must be between 0 and {MAX_PAGE}, got {limit}")
    if any(value is None for value in key):
        return []
    loader = get_relation_loader(context, source, dataset, columns, limit)
    return await loader.load(key)


@dataclass(frozen=True)
class CrossPart:
    source: str
    dataset: str
    key_column: str
    function: str
    column: str | None


@dataclass
class CrossFigure:
    part: CrossPart
    value: float | None


@dataclass
class CrossGroup:
    key: str | None
    figures: list[CrossFigure] = field(default_factory=list)
    total: float | None = None


@dataclass
class CrossResult:
    groups: list[CrossGroup]
    failures: list[str]


async def cross_aggregate(
    context: RequestContext, parts: Sequence[CrossPart]
) -> CrossResult:
    """Each part grouped by its key column at its source, concurrently, then merged."""
    results = await asyncio.gather(
        *(_aggregate_part(context, part) for part in parts), return_exceptions=True
    )
    groups: dict[str | None, CrossGroup] = {}
    failures: list[str] = []
    for part, result in zip(parts, results, strict=True):
        if isinstance(result, ConnectorError):
            failures.append(str(result))
            continue
        if isinstance(result, BaseException):
            raise result
        for key, value in result:
            group = groups.setdefault(key, CrossGroup(key))
            group.figures.append(CrossFigure(part, value))
    merged = sorted(
        groups.values(), key=lambda group: (group.key is None, group.key or "")
    )
    functions = {part.function for part in parts}
    for group in merged:
        group.total = _combine(functions, [figure.value for figure in group.figures])
    return CrossResult(merged, failures)


async def _aggregate_part(
    context: RequestContext, part: CrossPart
) -> list[tuple[str | None, float | None]]:
    aggregate = Aggregate(part.function, part.column)  # type: ignore[arg-type]
    rows = await aggregate_rows(
        context, part.source, part.dataset, [aggregate], [part.key_column], None
    )
    try:
        return [
            (
                None if row[part.key_column] is None else str(row[part.key_column]),
                to_float(row[aggregate.alias]),
            )
            for row in rows
        ]
    except (TypeError, ValueError) as error:
        raise SourceQueryError(
            f"{part.function} of {part.source}.{part.dataset}.{part.column} is not a "
            "number; cross-source figures must be numeric",
            source=part.source,
        ) from error


def _combine(functions: set[str], values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    if len(functions) != 1 or not present:
        return None
    function = next(iter(functions))
    if function in ("count", "sum"):
        return sum(present)
    if function == "min":
        return min(present)
    if function == "max":
        return max(present)
    return None


def to_float(value: Any) -> float | None:
    """A numeric aggregate as a float; raises ``TypeError`` for other values."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, decimal.Decimal | int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)
