"""GraphQL types generated from the datasets of the configured sources.

For a dataset ``umkm`` of source ``dinkop`` the schema gains:

- ``DinkopUmkm``: one field per column (comments become descriptions), one field
  per foreign key (``wilayah``) and one per foreign key pointing at it
  (``umkmList`` on the target type), both resolved through dataloaders;
- ``dinkopUmkm(filter, orderBy, first, after, last, before)``: a Relay
  connection with ``edges``, ``nodes``, ``pageInfo`` and ``totalCount``;
- ``dinkopUmkmAggregate(filter, groupBy)``: one group per distinct value of the
  ``groupBy`` columns with ``count`` and ``countDistinct``/``sum``/``avg``/
  ``min``/``max`` per column.

Names are made valid GraphQL and unique across sources. Everything is executed
by the source as SQL; see ``resolvers.federation``.
"""

# No `from __future__ import annotations` here: the generated classes and resolvers
# carry real type objects in their annotations, which strawberry reads as they are.

import datetime as dt
import keyword
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField
from strawberry.utils.str_converters import to_camel_case

from connectors.base import (
    Aggregate,
    And,
    ColumnInfo,
    Condition,
    DatasetInfo,
    Filter,
    Not,
    Or,
    RelationInfo,
    Row,
    Sort,
)
from resolvers import federation
from schema.federation_types import (
    BigIntComparison,
    BooleanComparison,
    DateComparison,
    DateTimeComparison,
    FloatComparison,
    IntComparison,
    PageInfo,
    SortDirection,
    StringComparison,
)
from schema.scalars import JSON, BigInt
from security.access_index import dataset_key
from security.visibility import dataset_field

SCALARS: dict[str, Any] = {
    "text": str,
    "integer": int,
    "bigint": BigInt,
    "decimal": float,
    "float": float,
    "boolean": bool,
    "date": dt.date,
    "datetime": dt.datetime,
    "json": JSON,
}
COMPARISONS: dict[str, Any] = {
    "text": StringComparison,
    "integer": IntComparison,
    "bigint": BigIntComparison,
    "decimal": FloatComparison,
    "float": FloatComparison,
    "boolean": BooleanComparison,
    "date": DateComparison,
    "datetime": DateTimeComparison,
}
NUMERIC = ("integer", "bigint", "decimal", "float")
ORDERED = ("text", "integer", "bigint", "decimal", "float", "date", "datetime")
RESERVED_VALUES = {"true", "false", "null"}


def to_identifier(name: str) -> str:
    """A GraphQL- and Python-safe form of ``name`` (letters, digits, underscores)."""
    cleaned = re.sub(r"\W+", "_", name, flags=re.ASCII).strip("_") or "field"
    if cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    return cleaned


def to_pascal(name: str) -> str:
    return "".join(
        part[:1].upper() + part[1:] for part in to_identifier(name).split("_")
    )


def to_camel(name: str) -> str:
    pascal = to_pascal(name)
    return pascal[:1].lower() + pascal[1:]


class UniqueNames:
    """Hands out names, suffixing a number when one is taken."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)

    def claim(self, wanted: str) -> str:
        name, number = wanted, 2
        while name in self._taken:
            name, number = f"{wanted}{number}", number + 1
        self._taken.add(name)
        return name


@dataclass
class DatasetSpec:
    """Names and generated classes of one dataset."""

    source: str
    info: DatasetInfo
    type_name: str
    field_name: str
    python_names: dict[str, str]  # column -> python attribute (== GraphQL name)
    row_type: Any = None
    filter_type: Any = None
    column_enum: Any = None
    relations: list[tuple[str, Callable[..., Any], Any, str]] = field(
        default_factory=list
    )
    raw_resolvers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    columns_by_name: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.columns_by_name = {
            python: column for column, python in self.python_names.items()
        }

    @property
    def key(self) -> str:
        """The qualified dataset name the access policy knows it by."""
        return dataset_key(self.source, self.info.name)

    @property
    def renamed(self) -> bool:
        return any(column != python for column, python in self.python_names.items())

    def to_graphql_row(self, row: Row) -> Row:
        """``row`` keyed by attribute names (unchanged when no column was renamed)."""
        if not self.renamed:
            return row
        return {python: row[column] for column, python in self.python_names.items()}

    def to_graphql_rows(self, rows: list[Row]) -> list[Row]:
        if not self.renamed:
            return rows
        return [self.to_graphql_row(row) for row in rows]

    def column_of(self, python_name: str) -> str:
        return self.columns_by_name[python_name]


@dataclass(frozen=True)
class DatasetQuery:
    """The generated root fields, and what to install on the built schema.

    ``plain_types``: types ``schema.execution`` may complete directly (type name
    -> GraphQL field name -> dict key). ``raw_resolvers``: graphql-core resolvers
    of root fields taking the coerced arguments as they are, which spares
    strawberry's conversion of the nested filter inputs on every request.
    """

    query_type: type
    plain_types: dict[str, dict[str, str]]
    raw_resolvers: dict[str, Callable[..., Any]]
    specs: dict[str, DatasetSpec] = field(default_factory=dict)  # by root field


def build_dataset_query(
    datasets: Mapping[str, Sequence[DatasetInfo]], taken_fields: Iterable[str] = ()
) -> DatasetQuery | None:
    """A strawberry ``Query`` part with two root fields per dataset, or None."""
    specs = _name_datasets(datasets, taken_fields)
    if not specs:
        return None
    for spec in specs:
        _declare_row_type(spec)
    by_dataset = {(spec.source, spec.info.name): spec for spec in specs}
    for spec in specs:
        _add_relations(spec, by_dataset)
    for spec in specs:
        _finish_row_type(spec)
    namespace: dict[str, Any] = {}
    for spec in specs:
        namespace[spec.field_name] = _connection_field(spec)
        namespace[f"{spec.field_name}_aggregate"] = _aggregate_field(spec)
    query_type = strawberry.type(
        type("DatasetsQuery", (), namespace), name="DatasetsQuery"
    )
    resolvers = {
        name: raw for spec in specs for name, raw in spec.raw_resolvers.items()
    }
    by_field = {spec.field_name: spec for spec in specs}
    return DatasetQuery(query_type, _plain_types(specs), resolvers, by_field)


def _plain_types(specs: Sequence[DatasetSpec]) -> dict[str, dict[str, str]]:
    plain = {}
    for spec in specs:
        columns = {python: python for python in spec.python_names.values()}
        plain[spec.type_name] = columns
        for suffix in ("GroupKey", "Counts", "Numbers", "Values"):
            plain[f"{spec.type_name}{suffix}"] = columns
    return plain


def _name_datasets(
    datasets: Mapping[str, Sequence[DatasetInfo]], taken_fields: Iterable[str]
) -> list[DatasetSpec]:
    type_names = UniqueNames(_STATIC_TYPE_NAMES)
    field_names = UniqueNames(taken_fields)
    specs = []
    for source in sorted(datasets):
        for info in sorted(datasets[source], key=lambda item: item.name):
            base = f"{to_pascal(source)}{to_pascal(info.name)}"
            type_name = type_names.claim(base)
            for suffix in _TYPE_SUFFIXES:
                type_names.claim(f"{type_name}{suffix}")
            field_name = field_names.claim(to_camel(f"{source}_{info.name}"))
            field_names.claim(f"{field_name}Aggregate")
            specs.append(
                DatasetSpec(source, info, type_name, field_name, _python_names(info))
            )
    return specs


_STATIC_TYPE_NAMES = (
    "Query", "Mutation", "PageInfo", "SortDirection", "AggregateFunction", "JSON",
    "StringComparison", "IntComparison", "BigIntComparison", "BigInt", "FloatComparison",
    "BooleanComparison",
    "DateComparison", "DateTimeComparison", "SourceStatus", "CrossAggregatePart",
    "CrossAggregateFigure", "CrossAggregateGroup", "CrossAggregateResult", "DatasetsQuery",
)  # fmt: skip
_TYPE_SUFFIXES = (
    "Filter", "OrderBy", "Column", "Edge", "Connection", "AggregateGroup", "GroupKey",
    "Counts", "Numbers", "Values",
)  # fmt: skip


def _python_names(info: DatasetInfo) -> dict[str, str]:
    names = UniqueNames()
    result = {}
    for column in info.columns:
        wanted = to_identifier(column.name)
        if keyword.iskeyword(wanted) or wanted in RESERVED_VALUES:
            wanted = f"{wanted}_"
        result[column.name] = names.claim(wanted)
    return result


def _scalar(column: ColumnInfo) -> Any:
    scalar = SCALARS[column.data_type]
    return scalar if not column.nullable else scalar | None


def _declare_row_type(spec: DatasetSpec) -> None:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    for column in spec.info.columns:
        python = spec.python_names[column.name]
        annotations[python] = _scalar(column)
        namespace[python] = strawberry.field(
            name=python, description=column.description or None
        )
    spec.row_type = type(spec.type_name, (), namespace)
    members = {python: column for column, python in spec.python_names.items()}
    column_enum: Any = Enum(f"{spec.type_name}Column", members)  # type: ignore[misc]
    spec.column_enum = strawberry.enum(
        column_enum,
        name=f"{spec.type_name}Column",
        description=f"Columns of {spec.type_name}.",
    )
    spec.filter_type = _filter_type(spec)


def _filter_type(spec: DatasetSpec) -> Any:
    cls = type(f"{spec.type_name}Filter", (), {})
    annotations: dict[str, Any] = {}
    for column in spec.info.columns:
        comparison = COMPARISONS.get(column.data_type)
        if comparison is not None:
            python = spec.python_names[column.name]
            annotations[python] = comparison | None
            setattr(cls, python, strawberry.field(default=None, name=python))
    for python, graphql, kind in (
        ("and_", "and", list[cls] | None),  # type: ignore[valid-type]
        ("or_", "or", list[cls] | None),  # type: ignore[valid-type]
        ("not_", "not", cls | None),
    ):
        annotations[python] = kind
        setattr(cls, python, strawberry.field(default=None, name=graphql))
    cls.__annotations__ = annotations
    return strawberry.input(
        cls,
        name=f"{spec.type_name}Filter",
        description=f"Conditions on {spec.type_name} rows; all given ones must hold.",
    )


def _add_relations(
    spec: DatasetSpec, by_dataset: Mapping[tuple[str, str], DatasetSpec]
) -> None:
    for relation in spec.info.relations:
        target = by_dataset.get((spec.source, relation.target_dataset))
        if target is None:
            continue  # the target table is excluded from the source
        _add_relation_pair(spec, target, relation)


def _add_relation_pair(
    child: DatasetSpec, parent: DatasetSpec, relation: RelationInfo
) -> None:
    forward_name = _free_name(child, to_camel(relation.target_dataset), relation)
    reverse_name = _free_name(parent, f"{to_camel(child.info.name)}List", relation)
    forward = _forward_resolver(child, parent, relation)
    reverse = _reverse_resolver(child, parent, relation)
    child.relations.append((forward_name, forward, parent.row_type | None, parent.key))
    parent.relations.append(
        (reverse_name, reverse, list[child.row_type], child.key)  # type: ignore[name-defined]
    )


def _free_name(spec: DatasetSpec, wanted: str, relation: RelationInfo) -> str:
    taken = set(spec.python_names.values()) | {name for name, *_ in spec.relations}
    if wanted not in taken:
        return wanted
    return UniqueNames(taken).claim(
        f"{wanted}By{to_pascal('_'.join(relation.columns))}"
    )


def _forward_resolver(
    child: DatasetSpec, parent: DatasetSpec, relation: RelationInfo
) -> Callable[..., Any]:
    keys = tuple(child.python_names[column] for column in relation.columns)

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        rows = await federation.load_related(
            info.context,
            parent.source,
            parent.info.name,
            relation.target_columns,
            tuple(root[key] for key in keys),
        )
        return parent.to_graphql_row(rows[0]) if rows else None

    return resolve


def _reverse_resolver(
    child: DatasetSpec, parent: DatasetSpec, relation: RelationInfo
) -> Callable[..., Any]:
    keys = tuple(parent.python_names[column] for column in relation.target_columns)

    async def resolve(root: Any, info: strawberry.Info, first: int = 100) -> Any:
        rows = await federation.load_related(
            info.context,
            child.source,
            child.info.name,
            relation.columns,
            tuple(root[key] for key in keys),
            limit=first,
        )
        return child.to_graphql_rows(rows)

    resolve.__annotations__ = {"root": Any, "info": strawberry.Info, "first": int}
    return resolve


def _finish_row_type(spec: DatasetSpec) -> None:
    cls = spec.row_type
    for name, resolver, graphql_type, target in spec.relations:
        # A relation into a dataset the principal may not read is absent from its schema.
        many = "first" in resolver.__annotations__
        description = (
            "Rows pointing at this one through a foreign key, in key order; the "
            "first 100 by default, at most 1000."
            if many
            else "The row this one points at through a foreign key."
        )
        setattr(
            cls,
            name,
            strawberry.field(
                resolver=resolver,
                graphql_type=graphql_type,
                name=name,
                metadata=dataset_field(target),
                description=description,
            ),
        )
    description = spec.info.description or (
        f"A row of dataset {spec.info.name!r} of source {spec.source!r}."
    )
    strawberry.type(cls, name=spec.type_name, description=description)


def _connection_field(spec: DatasetSpec) -> Any:
    edge = _edge_type(spec)
    connection = _connection_type(spec, edge)
    order_by = strawberry.input(
        type(
            f"{spec.type_name}OrderBy",
            (),
            {
                "__annotations__": {
                    "column": spec.column_enum,
                    "direction": SortDirection,
                },
                "direction": SortDirection.ASC,
            },
        ),
        name=f"{spec.type_name}OrderBy",
    )

    async def resolve_raw(_root: Any, info: Any, **arguments: Any) -> Any:
        filter_, sorts, page = rows_request(spec, arguments)
        return await federation.list_rows(
            info.context, spec.source, spec.info.name, filter_, sorts, page
        )

    spec.raw_resolvers[spec.field_name] = resolve_raw

    async def resolve(
        info: strawberry.Info,
        filter: Any = None,
        order_by: Any = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        # Only runs when the raw resolver was not installed (see DatasetQuery).
        arguments = {"filter": filter, "orderBy": order_by, "first": first,
                     "after": after, "last": last, "before": before}  # fmt: skip
        return await resolve_raw(None, info, **to_arguments(arguments))

    resolve.__annotations__ = {
        "info": strawberry.Info,
        "filter": spec.filter_type | None,
        "order_by": list[order_by] | None,  # type: ignore[valid-type]
        "first": int | None,
        "after": str | None,
        "last": int | None,
        "before": str | None,
        "return": connection | None,
    }
    return strawberry.field(
        resolver=resolve,
        name=spec.field_name,
        metadata=dataset_field(spec.key),
        description=f"Rows of {spec.source}.{spec.info.name}, filtered, ordered and "
        "paged by the source. Defaults to the first 100 rows; at most 1000 per page.",
    )


def rows_request(
    spec: DatasetSpec, arguments: Mapping[str, Any]
) -> tuple[Filter | None, list[Sort], federation.PageRequest]:
    """Filter, sorts and page of the coerced arguments of a connection field."""
    sorts = [
        Sort(_plain(item["column"]), _plain(item.get("direction")) == "desc")
        for item in arguments.get("orderBy") or ()
    ]
    page = federation.PageRequest(
        arguments.get("first"),
        arguments.get("after"),
        arguments.get("last"),
        arguments.get("before"),
    )
    return filter_from_arguments(spec, arguments.get("filter")), sorts, page


def _edge_type(spec: DatasetSpec) -> Any:
    return strawberry.type(
        type(
            f"{spec.type_name}Edge",
            (),
            {"__annotations__": {"cursor": str, "node": spec.row_type}},
        ),
        name=f"{spec.type_name}Edge",
    )


def _connection_type(spec: DatasetSpec, edge: Any) -> Any:
    def edges(root: Any) -> Any:
        return [
            {"cursor": item["cursor"], "node": spec.to_graphql_row(item["node"])}
            for item in root.edges()
        ]

    def nodes(root: Any) -> Any:
        return spec.to_graphql_rows(root.rows)

    def page_info(root: Any) -> PageInfo:
        return PageInfo(**root.page_info())

    async def total_count(root: Any) -> int:
        total: int = await root.total()
        return total

    row_type: Any = spec.row_type
    edges.__annotations__ = {"root": Any, "return": list[edge]}
    nodes.__annotations__ = {"root": Any, "return": list[row_type]}
    namespace = {
        "edges": strawberry.field(resolver=edges),
        "nodes": strawberry.field(resolver=nodes),
        "page_info": strawberry.field(resolver=page_info),
        "total_count": strawberry.field(
            resolver=total_count, description="Rows matching the filter, all pages."
        ),
    }
    return strawberry.type(
        type(f"{spec.type_name}Connection", (), namespace),
        name=f"{spec.type_name}Connection",
    )


def _aggregate_field(spec: DatasetSpec) -> Any:
    group = _aggregate_group_type(spec)

    async def resolve(
        info: strawberry.Info, filter: Any = None, group_by: Any = None
    ) -> Any:
        columns = [item.value for item in group_by or ()]
        aggregates = requested_aggregates(spec, info.selected_fields[0].selections)
        rows = await federation.aggregate_rows(
            info.context,
            spec.source,
            spec.info.name,
            aggregates,
            columns,
            filter_from_arguments(spec, to_arguments(filter)),
        )
        return [_to_group(spec, row, columns, aggregates) for row in rows]

    resolve.__annotations__ = {
        "info": strawberry.Info,
        "filter": spec.filter_type | None,
        "group_by": list[spec.column_enum] | None,  # type: ignore[name-defined]
        "return": list[group] | None,  # type: ignore[valid-type]
    }
    return strawberry.field(
        resolver=resolve,
        name=f"{spec.field_name}Aggregate",
        metadata=dataset_field(spec.key),
        description=f"Aggregates of {spec.source}.{spec.info.name}, one group per "
        "distinct value of the groupBy columns (one group without groupBy), "
        "computed by the source.",
    )


def _aggregate_group_type(spec: DatasetSpec) -> Any:
    columns = spec.info.columns
    name = spec.type_name
    parts: dict[str, Any] = {
        "key": _columns_type(f"{name}GroupKey", spec, columns, _nullable),
        "count": int,
        "count_distinct": _columns_type(f"{name}Counts", spec, columns, lambda _c: int),
    }
    numeric = [column for column in columns if column.data_type in NUMERIC]
    if numeric:
        numbers = _columns_type(
            f"{name}Numbers", spec, numeric, lambda _c: float | None
        )
        parts["sum"] = numbers
        parts["avg"] = numbers
    ordered = [column for column in columns if column.data_type in ORDERED]
    if ordered:
        values = _columns_type(f"{name}Values", spec, ordered, _nullable)
        parts["min"] = values
        parts["max"] = values
    return strawberry.type(
        type(f"{name}AggregateGroup", (), {"__annotations__": parts}),
        name=f"{name}AggregateGroup",
        description="One group: its key columns and the requested aggregates.",
    )


def _nullable(column: ColumnInfo) -> Any:
    return SCALARS[column.data_type] | None


def _columns_type(
    name: str,
    spec: DatasetSpec,
    columns: Sequence[ColumnInfo],
    scalar: Callable[[ColumnInfo], Any],
) -> Any:
    annotations = {spec.python_names[column.name]: scalar(column) for column in columns}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    for python in annotations:
        namespace[python] = strawberry.field(name=python)
    return strawberry.type(type(name, (), namespace), name=name)


AGGREGATE_FIELDS = {
    "countDistinct": "count_distinct",
    "sum": "sum",
    "avg": "avg",
    "min": "min",
    "max": "max",
}


def requested_aggregates(
    spec: DatasetSpec, selections: Sequence[Any]
) -> list[Aggregate]:
    """The aggregates a group selection asks for; ``count`` of rows always."""
    aggregates = [Aggregate("count")]
    for selected in _flatten(selections):
        function = AGGREGATE_FIELDS.get(selected.name)
        if function is None:
            continue
        for column in _flatten(selected.selections):
            if column.name != "__typename":
                aggregates.append(Aggregate(function, spec.column_of(column.name)))  # type: ignore[arg-type]
    return aggregates


def _flatten(selections: Iterable[Any]) -> list[SelectedField]:
    fields: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, FragmentSpread | InlineFragment):
            fields.extend(_flatten(selection.selections))
        else:
            fields.append(selection)
    return fields


def _to_group(
    spec: DatasetSpec,
    row: Row,
    group_by: Sequence[str],
    aggregates: Sequence[Aggregate],
) -> dict[str, Any]:
    group: dict[str, Any] = {
        "key": {spec.python_names[column]: row[column] for column in group_by},
        "count": row["count__all"],
    }
    for function in ("count_distinct", "sum", "avg", "min", "max"):
        group[function] = {}
    for aggregate in aggregates:
        if aggregate.column is None:
            continue
        value = row[aggregate.alias]
        if aggregate.function in ("sum", "avg"):
            value = federation.to_float(value)
        group[aggregate.function][spec.python_names[aggregate.column]] = value
    return group


RAW_OPERATORS = {
    "eq": "eq", "ne": "ne", "lt": "lt", "lte": "lte", "gt": "gt", "gte": "gte",
    "in": "in", "notIn": "not_in", "contains": "contains", "startsWith": "starts_with",
    "isNull": "is_null",
}  # fmt: skip


def filter_from_arguments(spec: DatasetSpec, given: Any) -> Filter | None:
    """The connector filter of a coerced ``filter`` argument (None when empty)."""
    if not given:
        return None
    items: list[Filter] = []
    for name, value in given.items():
        if value is None:
            continue
        if name == "and":
            items.append(And(tuple(_required(spec, item) for item in value)))
        elif name == "or":
            items.append(Or(tuple(_required(spec, item) for item in value)))
        elif name == "not":
            items.append(Not(_required(spec, value)))
        else:
            items.extend(_conditions(spec.column_of(name), value))
    return items[0] if len(items) == 1 else And(tuple(items))


def _required(spec: DatasetSpec, given: Any) -> Filter:
    return filter_from_arguments(spec, given) or And(())


def _conditions(column: str, comparison: dict[str, Any]) -> list[Filter]:
    return [
        Condition(column, RAW_OPERATORS[operator], value)  # type: ignore[arg-type]
        for operator, value in comparison.items()
        if value is not None
    ]


def _plain(value: Any) -> Any:
    """Enum arguments arrive as members (strawberry's enum values): their value."""
    return value.value if isinstance(value, Enum) else value


def to_arguments(value: Any) -> Any:
    """Strawberry input objects back to coerced argument values (GraphQL names)."""
    if isinstance(value, dict):
        return {key: to_arguments(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_arguments(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is None:
        return value
    return {
        field.graphql_name or to_camel_case(field.python_name): to_arguments(
            getattr(value, field.python_name)
        )
        for field in definition.fields
    }
