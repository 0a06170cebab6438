"""A connector seen through the access policy of one principal.

Resolvers reach sources only through ``SecuredConnector``: lists, relations
(``load_by_keys``), aggregates and streams all apply the same dataset check,
row filter and masking, so no path shows what another path hides.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from connectors.base import (
    Aggregate,
    AggregateQuery,
    Connector,
    DatasetInfo,
    Filter,
    Row,
    RowPage,
    RowQuery,
)
from connectors.sql_json import JsonPage, JsonRowQuery
from security.audit_log import AccessLog
from security.errors import AccessDeniedError
from security.filters import matches
from security.policy import AccessPolicy, DatasetAccess, combine_filters, filter_columns
from security.principal import Principal

T = TypeVar("T")
ExactAggregates = ("count", "count_distinct")


class SourceObserver(Protocol):
    """Receives the duration and outcome of every source call (for metrics)."""

    def observe(
        self, source: str, operation: str, seconds: float, error: str | None
    ) -> None: ...


class AccessLookup(Protocol):
    """Finds the access metadata of a dataset of a source."""

    def get(self, source: str, dataset: str) -> DatasetAccess: ...


class SecuredConnector:
    """``Connector``'s reading methods, filtered and masked for one principal.

    Raises ``AccessDeniedError`` for unreadable datasets and for filters, sorts
    or groups over masked columns. Built per request; not safe to share.
    """

    def __init__(
        self,
        connector: Connector,
        principal: Principal,
        *,
        policy: AccessPolicy,
        lookup: AccessLookup,
        log: AccessLog | None = None,
        observer: SourceObserver | None = None,
    ) -> None:
        self.connector = connector
        self.principal = principal
        self.policy = policy
        self.lookup = lookup
        self.log = log if log is not None else AccessLog()
        self.observer = observer

    @property
    def name(self) -> str:
        return self.connector.name

    async def describe(self) -> list[DatasetInfo]:
        """The datasets ``principal`` may read; relations to hidden ones removed."""
        datasets = await self._observe("describe", self.connector.describe)
        visible = [ds for ds in datasets if self._readable(ds.name)]
        names = {ds.name for ds in visible}
        return [_without_relations_outside(ds, names) for ds in visible]

    async def query(self, query: RowQuery) -> RowPage:
        """Rows the principal may see, masked; the row filter is pushed down."""
        access = self._open(query.dataset)
        used = filter_columns(query.filter) | {sort.column for sort in query.order_by}
        self.policy.require_usable(self.principal, access, used, "filtering or sorting")
        secured = RowQuery(
            dataset=query.dataset,
            filter=combine_filters(query.filter, self._row_filter(access)),
            order_by=query.order_by,
            limit=query.limit,
            offset=query.offset,
            columns=query.columns,
            with_total=query.with_total,
        )
        page = await self._observe("query", lambda: self.connector.query(secured))
        rows = [self.policy.mask_row(self.principal, access, row) for row in page.rows]
        return RowPage(rows=rows, total=page.total)

    async def query_json(
        self, query: JsonRowQuery, *, with_total: bool
    ) -> JsonPage | None:
        """Like ``query``, with each row rendered as JSON texts by the source.

        ``None`` when the source cannot render the page so that the policy
        holds: it has no JSON rendering, or a selected column is masked for the
        principal (masks are applied in Python, by ``query``). The caller then
        uses ``query``.
        """
        access = self._open(query.dataset)
        sees_personal = self.policy.sees_personal(self.principal, access)
        if not sees_personal:
            used = filter_columns(query.filter) | {s.column for s in query.order_by}
            self.policy.require_usable(
                self.principal, access, used, "filtering or sorting"
            )
        selected = frozenset().union(*(shape.columns for shape in query.shapes))
        if not sees_personal and any(
            self.policy.is_masked(self.principal, access, c) for c in selected
        ):
            return None
        render = getattr(self.connector, "query_json", None)
        can_render = getattr(self.connector, "can_render_json", None)
        if render is None or can_render is None:
            return None
        if not await can_render(query.dataset, sorted(selected)):
            return None
        row_filter = self._row_filter(access)
        secured = query
        if row_filter is not None:
            secured = query.with_filter(combine_filters(query.filter, row_filter))
        page: JsonPage = await self._observe(
            "query", lambda: render(secured, with_total=with_total)
        )
        return page

    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        """Aggregates over the visible rows; none may reveal a masked value."""
        access = self._open(query.dataset)
        used = filter_columns(query.filter) | set(query.group_by)
        self.policy.require_usable(
            self.principal, access, used, "filtering or grouping"
        )
        revealing = {
            agg.column
            for agg in query.aggregates
            if agg.column and agg.function not in ExactAggregates
        }
        self.policy.require_usable(self.principal, access, revealing, "aggregating")
        secured = AggregateQuery(
            dataset=query.dataset,
            aggregates=query.aggregates,
            group_by=query.group_by,
            filter=combine_filters(query.filter, self._row_filter(access)),
            limit=query.limit,
        )
        return await self._observe(
            "aggregate", lambda: self.connector.aggregate(secured)
        )

    async def count(self, dataset: str, filter_: Filter | None = None) -> int:
        """Visible rows matching ``filter_``; the source's own count when it has one."""
        access = self._open(dataset)
        self.policy.require_usable(
            self.principal, access, filter_columns(filter_), "filtering"
        )
        secured = combine_filters(filter_, self._row_filter(access))
        count = getattr(self.connector, "count", None)
        if count is not None:
            return int(await self._observe("count", lambda: count(dataset, secured)))
        query = AggregateQuery(dataset, (Aggregate("count"),), filter=secured)
        rows = await self._observe("aggregate", lambda: self.connector.aggregate(query))
        return int(rows[0]["count__all"]) if rows else 0

    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        """Rows per key (relations), row-filtered and masked like ``query``."""
        access = self._open(dataset)
        self.policy.require_usable(self.principal, access, columns, "looking up")
        row_filter = self._row_filter(access)
        groups = await self._observe(
            "load_by_keys", lambda: self.connector.load_by_keys(dataset, columns, keys)
        )
        return [
            [
                self.policy.mask_row(self.principal, access, row)
                for row in rows
                if row_filter is None or matches(row_filter, row)
            ]
            for rows in groups
        ]

    async def load_by_keys_capped(
        self,
        dataset: str,
        columns: Sequence[str],
        keys: Sequence[tuple[Any, ...]],
        limit_per_key: int,
    ) -> list[list[Row]]:
        """Like ``load_by_keys`` with at most ``limit_per_key`` visible rows per key.

        Without a row filter the source caps (when it can); with one, the cap
        applies after the filter, so it is taken here over the filtered rows.
        """
        access = self._open(dataset)
        self.policy.require_usable(self.principal, access, columns, "looking up")
        row_filter = self._row_filter(access)
        capped = getattr(self.connector, "load_by_keys_capped", None)
        if row_filter is None and capped is not None:
            groups: list[list[Row]] = await self._observe(
                "load_by_keys",
                lambda: capped(dataset, columns, keys, limit_per_key),
            )
            return [self._mask_rows(access, rows) for rows in groups]
        groups = await self.load_by_keys(dataset, columns, keys)
        return [rows[:limit_per_key] for rows in groups]

    def _mask_rows(self, access: DatasetAccess, rows: list[Row]) -> list[Row]:
        return [self.policy.mask_row(self.principal, access, row) for row in rows]

    async def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        """Every row, for admins only: streaming exists for linking, not for users."""
        access = self._open(dataset)
        if not self.principal.is_admin:
            raise AccessDeniedError(
                f"streaming dataset {access.key!r} is reserved to admins"
            )
        async for batch in self.connector.stream(dataset, batch_size=batch_size):
            yield batch

    def masked_columns(self, dataset: str) -> set[str]:
        """The columns of ``dataset`` whose values reach the principal masked."""
        access = self.lookup.get(self.connector.name, dataset)
        return {
            name
            for name in access.columns
            if self.policy.is_masked(self.principal, access, name)
        }

    def has_row_filter(self, dataset: str) -> bool:
        """Whether row rules narrow what the principal sees of ``dataset``."""
        access = self.lookup.get(self.connector.name, dataset)
        try:
            return self.policy.row_filter(self.principal, access) is not None
        except AccessDeniedError:
            return True

    def _row_filter(self, access: DatasetAccess) -> Filter | None:
        try:
            return self.policy.row_filter(self.principal, access)
        except AccessDeniedError:
            self.log.record_denied(access)
            raise

    def _readable(self, dataset: str) -> bool:
        access = self.lookup.get(self.connector.name, dataset)
        return self.policy.can_read(self.principal, access)

    def _open(self, dataset: str) -> DatasetAccess:
        access = self.lookup.get(self.connector.name, dataset)
        if not self.policy.can_read(self.principal, access):
            self.log.record_denied(access)
        self.policy.require_read(self.principal, access)
        self.log.record_read(access)
        return access

    async def _observe(self, operation: str, call: Callable[[], Awaitable[T]]) -> T:
        started = time.perf_counter()
        try:
            result = await call()
        except Exception as error:
            self._report(operation, started, type(error).__name__)
            raise
        self._report(operation, started, None)
        return result

    def _report(self, operation: str, started: float, error: str | None) -> None:
        if self.observer is not None:
            seconds = time.perf_counter() - started
            self.observer.observe(self.connector.name, operation, seconds, error)


def _without_relations_outside(dataset: DatasetInfo, names: set[str]) -> DatasetInfo:
    kept = tuple(rel for rel in dataset.relations if rel.target_dataset in names)
    if len(kept) == len(dataset.relations):
        return dataset
    return DatasetInfo(
        name=dataset.name,
        columns=dataset.columns,
        key=dataset.key,
        relations=kept,
        title=dataset.title,
        description=dataset.description,
        metadata=dataset.metadata,
    )
