"""Static GraphQL types of federated sources: comparison inputs, paging, status.

The per-dataset types (rows, filters, connections, aggregates) are generated
from the sources' descriptions by ``schema.dataset_types``; they reuse the
comparison inputs and ``PageInfo`` declared here, which is why these appear in
the exported SDL even without configured sources.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from resolvers import federation
from schema.scalars import BigInt


@strawberry.enum(description="Sort direction of one ``orderBy`` entry.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum(description="An aggregate function computed by the source.")
class AggregateFunction(Enum):
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    SUM = "sum"
    AVG = "avg"
    MIN = "min"
    MAX = "max"


def _comparison(name: str, scalar: type, *, ordered: bool, text: bool) -> type:
    """An input of the operators that make sense for ``scalar``."""
    annotations: dict[str, object] = {
        "eq": scalar | None,
        "ne": scalar | None,
        "in_": list[scalar] | None,  # type: ignore[valid-type]
        "not_in": list[scalar] | None,  # type: ignore[valid-type]
        "is_null": bool | None,
    }
    if ordered:
        for op in ("lt", "lte", "gt", "gte"):
            annotations[op] = scalar | None
    if text:
        annotations["contains"] = str | None
        annotations["starts_with"] = str | None
    namespace: dict[str, object] = {"__annotations__": annotations}
    for attribute in annotations:
        namespace[attribute] = strawberry.field(
            default=None, name="in" if attribute == "in_" else None
        )
    cls = type(name, (), namespace)
    description = (
        f"Conditions on a {scalar.__name__} column; all given conditions must hold. "
        "`contains` and `startsWith` are case-sensitive."
        if text
        else f"Conditions on a {scalar.__name__} column; all given conditions must hold."
    )
    return strawberry.input(cls, name=name, description=description)


StringComparison = _comparison("StringComparison", str, ordered=True, text=True)
IntComparison = _comparison("IntComparison", int, ordered=True, text=False)
BigIntComparison = _comparison("BigIntComparison", BigInt, ordered=True, text=False)
FloatComparison = _comparison("FloatComparison", float, ordered=True, text=False)
BooleanComparison = _comparison("BooleanComparison", bool, ordered=False, text=False)
DateComparison = _comparison("DateComparison", dt.date, ordered=True, text=False)
DateTimeComparison = _comparison(
    "DateTimeComparison", dt.datetime, ordered=True, text=False
)
COMPARISON_OPERATORS = (
    "eq", "ne", "lt", "lte", "gt", "gte", "in_", "not_in", "contains", "starts_with",
    "is_null",
)  # fmt: skip


@strawberry.type(description="Relay paging state of a connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="A configured source and whether it answers.")
class SourceStatus:
    name: str
    kind: str
    agency: str | None
    state: str = strawberry.field(
        description="configured, ready, down (does not answer) or error (bad config)."
    )
    error: str | None
    datasets: list[str] = strawberry.field(description="Dataset names of the source.")


@strawberry.input(description="One dataset's contribution to a cross-source aggregate.")
class CrossAggregatePart:
    source: str
    dataset: str
    key_column: str = strawberry.field(
        description="The column shared across datasets, e.g. a region code."
    )
    function: AggregateFunction = AggregateFunction.COUNT
    column: str | None = strawberry.field(
        default=None, description="Measured column; omit for COUNT of rows."
    )


@strawberry.type(description="One dataset's figure inside a merged group.")
class CrossAggregateFigure:
    source: str
    dataset: str
    function: AggregateFunction
    column: str | None
    value: float | None


@strawberry.type(
    description="One value of the shared key with the figure of each dataset."
)
class CrossAggregateGroup:
    key: str | None = strawberry.field(description="The key value, as text.")
    total: float | None = strawberry.field(
        description="Figures combined: summed for COUNT and SUM, least for MIN, "
        "greatest for MAX; null when the parts mix functions or use AVG."
    )
    figures: list[CrossAggregateFigure]


@strawberry.type(
    description="Groups merged across datasets; sources that failed are listed."
)
class CrossAggregateResult:
    groups: list[CrossAggregateGroup]
    failures: list[str] = strawberry.field(
        description="One message per part whose source failed; its figures are missing."
    )


@strawberry.type
class FederationQuery:
    @strawberry.field(description="Configured sources with their state, checked now.")
    async def sources(self, info: strawberry.Info) -> list[SourceStatus]:
        statuses = await federation.list_sources(info.context)
        return [SourceStatus(**status) for status in statuses]

    @strawberry.field(
        description="Group rows of several datasets, possibly of different sources, by a "
        "shared key column and merge the groups; each figure names its dataset."
    )
    async def cross_aggregate(
        self, info: strawberry.Info, parts: list[CrossAggregatePart]
    ) -> CrossAggregateResult:
        merged = await federation.cross_aggregate(
            info.context,
            [
                federation.CrossPart(
                    part.source,
                    part.dataset,
                    part.key_column,
                    part.function.value,
                    part.column,
                )
                for part in parts
            ],
        )
        return CrossAggregateResult(
            groups=[
                CrossAggregateGroup(
                    key=group.key,
                    total=group.total,
                    figures=[
                        CrossAggregateFigure(
                            source=figure.part.source,
                            dataset=figure.part.dataset,
                            function=AggregateFunction(figure.part.function),
                            column=figure.part.column,
                            value=figure.value,
                        )
                        for figure in group.figures
                    ],
                )
                for group in merged.groups
            ],
            failures=merged.failures,
        )
