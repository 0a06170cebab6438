"""The connector interface every source kind implements.

A connector describes its datasets (columns, keys, relations), answers row and
aggregate queries with filters, sorting and paging pushed down to the source,
loads rows by keys (for dataloaders) and streams all rows (for linking).

Exceptions::

    ConnectorError                 base of this layer
     ├── SourceUnavailableError    the source does not answer (retryable)
     ├── ReadOnlyViolationError    something tried to write through a source
     ├── UnknownDatasetError       a dataset or column name the source lacks
     ├── SourceQueryError          the source refused a query (not retryable)
     └── FileFormatError           an agency file cannot be read as a table
                                   (connectors.file_problems; names file, row, column)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

# "integer" fits 32 bits (GraphQL's Int); "bigint" is any wider integer column.
DataType = Literal[
    "text",
    "integer",
    "bigint",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "json",
]
Operator = Literal[
    "eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "contains", "starts_with",
    "is_null",
]  # fmt: skip
AggregateFunction = Literal["count", "count_distinct", "sum", "avg", "min", "max"]
Row = dict[str, Any]


class ConnectorError(Exception):
    """Base of every connector error; ``source`` names the source at fault."""

    retryable = False

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source


class SourceUnavailableError(ConnectorError):
    """Raised when a source cannot be reached; retrying later may succeed."""

    retryable = True


class ReadOnlyViolationError(ConnectorError):
    """Raised when a statement would write through a read-only source connection."""


class UnknownDatasetError(ConnectorError):
    """Raised when a dataset or column is not part of the source."""


class SourceQueryError(ConnectorError):
    """Raised when the source refuses a query (bad value, timeout, ...)."""


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    data_type: DataType
    nullable: bool = True
    description: str = ""
    is_key: bool = False
    code_kind: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class RelationInfo:
    """A foreign key: ``columns`` of this dataset point at ``target_columns``."""

    name: str
    columns: tuple[str, ...]
    target_dataset: str
    target_columns: tuple[str, ...]


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    columns: tuple[ColumnInfo, ...]
    key: tuple[str, ...] = ()
    relations: tuple[RelationInfo, ...] = ()
    title: str = ""
    description: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> ColumnInfo:
        for column in self.columns:
            if column.name == name:
                return column
        raise UnknownDatasetError(f"dataset {self.name!r} has no column {name!r}")


@dataclass(frozen=True)
class Condition:
    column: str
    op: Operator
    value: Any = None


@dataclass(frozen=True)
class And:
    items: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    item: Filter


Filter = Condition | And | Or | Not


@dataclass(frozen=True)
class Sort:
    column: str
    descending: bool = False


@dataclass(frozen=True)
class RowQuery:
    """Rows of one dataset; ``limit``/``offset`` page after filter and order."""

    dataset: str
    filter: Filter | None = None
    order_by: tuple[Sort, ...] = ()
    limit: int | None = None
    offset: int = 0
    columns: tuple[str, ...] | None = None
    with_total: bool = False


@dataclass(frozen=True)
class RowPage:
    rows: list[Row]
    total: int | None = None


@dataclass(frozen=True)
class Aggregate:
    function: AggregateFunction
    column: str | None = None  # None only for count(*)

    @property
    def alias(self) -> str:
        return f"{self.function}__{self.column or 'all'}"


@dataclass(frozen=True)
class AggregateQuery:
    dataset: str
    aggregates: tuple[Aggregate, ...]
    group_by: tuple[str, ...] = ()
    filter: Filter | None = None
    limit: int | None = None


class Connector(ABC):
    """One configured source. Safe to share between concurrent tasks."""

    kind: ClassVar[str]

    def __init__(self, name: str) -> None:
        self.name = name

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Acquire resources (pools, files); idempotent."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources; the connector may be opened again."""

    @abstractmethod
    async def ping(self) -> None:
        """Return when the source answers; raise ``SourceUnavailableError``."""

    @abstractmethod
    async def describe(self) -> list[DatasetInfo]:
        """The datasets of the source with columns, keys and relations."""

    @abstractmethod
    async def query(self, query: RowQuery) -> RowPage:
        """Rows matching the query, executed by the source."""

    @abstractmethod
    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        """One row per group: group columns plus one value per ``Aggregate.alias``."""

    @abstractmethod
    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        """For each key (values of ``columns``), the rows that match, in key order.

        One statement per call whatever the number of keys: the contract that
        dataloaders rely on to avoid N+1 queries.
        """

    @abstractmethod
    def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        """Every row of a dataset in batches, for linking."""
