"""Plans: common documents compiled once to one SQL statement per root field.

Most requests an app sends are one shape: a dataset's connection field with
``filter``/``orderBy``/paging arguments, plain columns under ``nodes`` or
``edges { cursor node }``, maybe ``pageInfo`` and ``totalCount``. For such a
document, resolving each field of each row in graphql-core costs far more than
the query; a plan instead has the source render every row as its JSON object
(``connectors.sql_json``) and only assembles the envelope around the texts.

A plan is compiled once per schema variant (so per visibility profile),
document text and operation name, and covers only what it can answer exactly
as the schema would: root fields that are dataset connections or
``__typename``; under them ``nodes``, ``edges`` (``cursor``, ``node``),
``pageInfo``, ``totalCount`` and ``__typename``; under rows only columns and
``__typename``; aliases, fragments and variables anywhere. Directives,
relation fields, aggregates and every other field leave the document to the
schema. At run time the access policy (levels, row filters, masked columns)
applies through ``SecuredConnector.query_json``; whenever the plan cannot
answer exactly (a masked column, a value the check flags, an error of any
kind) it answers None and the caller executes the document normally, which
then reports what is wrong as GraphQL does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_operation_ast,
    is_leaf_type,
    parse,
    validate,
    visit,
)
from graphql.execution.values import VariableValues

from connectors.base import ConnectorError
from connectors.sql_json import JsonField, JsonRowQuery, JsonShape
from resolvers import federation
from resolvers.context import RequestContext
from schema.dataset_types import DatasetSpec, rows_request
from schema.plan_arguments import ArgumentsBuilder
from schema.plan_variables import VariablesCoercer
from security.errors import QueryRejectedError, SecurityError
from security.limits import SLICING_ARGUMENTS, QueryLimits, check_operation

logger = logging.getLogger(__name__)

MAX_PLANS = 1000
PAGE_INFO_FIELDS = ("hasNextPage", "hasPreviousPage", "startCursor", "endCursor")

# A part of an object: (kind, response key, what the kind needs).
Part = tuple[str, str, Any]
Fields = dict[str, list[FieldNode]]


@dataclass(frozen=True)
class ConnectionPlan:
    """One root connection field: its arguments, shapes and parts in order."""

    spec: DatasetSpec
    arguments: ArgumentsBuilder
    shapes: tuple[JsonShape, ...]
    parts: tuple[Part, ...]
    with_total: bool


@dataclass(frozen=True)
class OperationPlan:
    """A compiled query operation; ``parts`` are the root fields in order."""

    document: DocumentNode
    operation: OperationDefinitionNode
    parts: tuple[Part, ...]
    variables: VariablesCoercer
    size_variables: tuple[str, ...] = ()
    limit_outcomes: dict[Any, bool] = field(default_factory=dict, compare=False)

    @property
    def operation_name(self) -> str | None:
        return self.operation.name.value if self.operation.name else None


class PlanError(Exception):
    """Raised while compiling when the document has a shape plans do not cover."""


def find_plan(
    schema: Any, query: str, operation_name: str | None, max_tokens: int
) -> OperationPlan | None:
    """The plan of ``query`` in ``schema``, compiled on first use; None when the
    document is not one plans cover (or not valid: the schema reports that)."""
    cache: dict[tuple[str, str | None, int], OperationPlan | None] | None = getattr(
        schema, "bigone_plans", None
    )
    if cache is None:
        cache = {}
        schema.bigone_plans = cache
    key = (query, operation_name, max_tokens)
    if key in cache:
        return cache[key]
    plan = compile_plan(schema, query, operation_name, max_tokens)
    if len(cache) >= MAX_PLANS:
        cache.clear()
    cache[key] = plan
    return plan


def compile_plan(
    schema: Any, query: str, operation_name: str | None, max_tokens: int
) -> OperationPlan | None:
    """Compile ``query``; None when plans do not cover it."""
    datasets: Mapping[str, DatasetSpec] = getattr(schema, "bigone_datasets", {})
    if not datasets:
        return None
    graphql_schema: GraphQLSchema = schema._schema
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return None
    if validate(graphql_schema, document):
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    try:
        parts = _compile_root(graphql_schema, datasets, document, operation)
    except PlanError:
        return None
    except Exception as error:  # a plan is never worth a failed request
        logger.warning("graphql.plan_not_compiled error=%s", type(error).__name__,
                       exc_info=error)  # fmt: skip
        return None
    variables = VariablesCoercer(graphql_schema, operation.variable_definitions or ())
    return OperationPlan(
        document, operation, parts, variables, _size_variables(document)
    )


def _size_variables(document: DocumentNode) -> tuple[str, ...]:
    """Variables given to list-size arguments anywhere in ``document``."""
    names: set[str] = set()

    class Sizes(Visitor):
        def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
            if node.name.value in SLICING_ARGUMENTS and isinstance(
                node.value, VariableNode
            ):
                names.add(node.value.name.value)

    visit(document, Sizes())
    return tuple(sorted(names))


def _compile_root(
    schema: GraphQLSchema,
    datasets: Mapping[str, DatasetSpec],
    document: DocumentNode,
    operation: OperationDefinitionNode,
) -> tuple[Part, ...]:
    if operation.directives:
        raise PlanError("directives")
    fragments = _fragments(document)
    query_type = schema.query_type
    assert query_type is not None
    roots = _collect([operation.selection_set], query_type, fragments)
    parts: list[Part] = []
    for key, nodes in roots.items():
        name = nodes[0].name.value
        if name == "__typename":
            parts.append(("typename", key, query_type.name))
            continue
        spec = datasets.get(name)
        if spec is None:
            raise PlanError(f"root field {name}")
        field = query_type.fields[name]
        parts.append(
            ("connection", key, _compile_connection(spec, field, nodes, fragments))
        )
    if not any(kind == "connection" for kind, _, _ in parts):
        raise PlanError("no connection")
    return tuple(parts)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    fragments = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            if definition.directives:
                raise PlanError("fragment directives")
            fragments[definition.name.value] = definition
    return fragments


def _collect(
    selection_sets: Sequence[SelectionSetNode | None],
    parent: GraphQLObjectType,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> Fields:
    """Fields by response key, as graphql-core collects them (no directives)."""
    fields: Fields = {}
    for selection_set in selection_sets:
        if selection_set is None:
            raise PlanError("leaf where an object is expected")
        _collect_into(selection_set, parent, fragments, fields)
    return fields


def _collect_into(
    selection_set: SelectionSetNode,
    parent: GraphQLObjectType,
    fragments: Mapping[str, FragmentDefinitionNode],
    fields: Fields,
) -> None:
    for selection in selection_set.selections:
        if selection.directives:
            raise PlanError("directives")
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            fields.setdefault(key, []).append(selection)
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                raise PlanError("unknown fragment")
            condition: NamedTypeNode | None = fragment.type_condition
            inner = fragment.selection_set
        else:
            assert isinstance(selection, InlineFragmentNode)
            condition, inner = selection.type_condition, selection.selection_set
        if condition is not None and condition.name.value != parent.name:
            raise PlanError("fragment on another type")  # an interface, say
        _collect_into(inner, parent, fragments, fields)


def _object_type(field: GraphQLField) -> GraphQLObjectType:
    named = get_named_type(field.type)
    if not isinstance(named, GraphQLObjectType):
        raise PlanError("not an object")
    return named


def _compile_connection(
    spec: DatasetSpec,
    field: GraphQLField,
    nodes: list[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> ConnectionPlan:
    connection = _object_type(field)
    shapes: list[JsonShape] = []
    parts: list[Part] = []
    for key, children in _collect(
        [n.selection_set for n in nodes], connection, fragments
    ).items():
        name = children[0].name.value
        if name == "__typename":
            parts.append(("typename", key, connection.name))
        elif name == "totalCount":
            parts.append(("totalCount", key, None))
        elif name == "nodes":
            row_type = _object_type(connection.fields[name])
            parts.append(
                (
                    "nodes",
                    key,
                    _shape_index(shapes, spec, row_type, children, fragments),
                )
            )
        elif name == "edges":
            edge = _object_type(connection.fields[name])
            parts.append(
                ("edges", key, _edge_parts(spec, edge, children, fragments, shapes))
            )
        elif name == "pageInfo":
            info = _object_type(connection.fields[name])
            parts.append(("pageInfo", key, _page_info_parts(info, children, fragments)))
        else:
            raise PlanError(f"connection field {name}")
    with_total = any(kind == "totalCount" for kind, _, _ in parts)
    arguments = ArgumentsBuilder(field, nodes[0])
    return ConnectionPlan(spec, arguments, tuple(shapes), tuple(parts), with_total)


def _edge_parts(
    spec: DatasetSpec,
    edge: GraphQLObjectType,
    nodes: list[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    shapes: list[JsonShape],
) -> tuple[Part, ...]:
    parts: list[Part] = []
    for key, children in _collect(
        [n.selection_set for n in nodes], edge, fragments
    ).items():
        name = children[0].name.value
        if name == "__typename":
            parts.append(("typename", key, edge.name))
        elif name == "cursor":
            parts.append(("cursor", key, None))
        elif name == "node":
            row_type = _object_type(edge.fields[name])
            parts.append(
                ("node", key, _shape_index(shapes, spec, row_type, children, fragments))
            )
        else:
            raise PlanError(f"edge field {name}")
    return tuple(parts)


def _page_info_parts(
    info: GraphQLObjectType,
    nodes: list[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> tuple[Part, ...]:
    parts: list[Part] = []
    for key, children in _collect(
        [n.selection_set for n in nodes], info, fragments
    ).items():
        name = children[0].name.value
        if name == "__typename":
            parts.append(("typename", key, info.name))
        elif name in PAGE_INFO_FIELDS:
            parts.append(("value", key, name))
        else:
            raise PlanError(f"pageInfo field {name}")
    return tuple(parts)


def _shape_index(
    shapes: list[JsonShape],
    spec: DatasetSpec,
    row_type: GraphQLObjectType,
    nodes: list[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> int:
    members: list[JsonField] = []
    for key, children in _collect(
        [n.selection_set for n in nodes], row_type, fragments
    ).items():
        name = children[0].name.value
        if name == "__typename":
            members.append(JsonField(key, None))
            continue
        column = spec.columns_by_name.get(name)
        field = row_type.fields.get(name)
        if column is None or field is None or field.args:
            raise PlanError(f"row field {name}")  # a relation, say
        leaf = (
            field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        )
        if isinstance(leaf, GraphQLList) or not is_leaf_type(leaf):
            raise PlanError(f"row field {name} is not a scalar")
        members.append(JsonField(key, column, isinstance(field.type, GraphQLNonNull)))
    shape = JsonShape(tuple(members), row_type.name)
    if shape not in shapes:
        shapes.append(shape)
    return shapes.index(shape)


# ---------------------------------------------------------------- running


def within_limits(
    plan: OperationPlan, schema: GraphQLSchema, limits: QueryLimits, request: Any
) -> bool:
    """Whether the operation passes ``security.limits`` as the schema checks it.

    The analysis reads variables only for list sizes (``first``/``last``/
    ``limit``), so its outcome is kept per plan, limits and those values.
    """
    variables = request.variables or {}
    sizes = tuple(repr(variables.get(name)) for name in plan.size_variables)
    key = (id(limits), request.operation_name, sizes)
    outcome = plan.limit_outcomes.get(key)
    if outcome is None:
        try:
            check_operation(
                schema,
                plan.document,
                limits,
                operation_name=request.operation_name,
                variables=variables,
            )
            outcome = True
        except QueryRejectedError:
            outcome = False
        if len(plan.limit_outcomes) > MAX_PLANS:
            plan.limit_outcomes.clear()
        plan.limit_outcomes[key] = outcome
    return outcome


async def run_plan(
    plan: OperationPlan, context: RequestContext, variables: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The ``data`` of the response (JSON texts as ``orjson.Fragment``), or None
    when the document must be executed normally instead."""
    coerced = plan.variables.coerce(variables or {})
    if isinstance(coerced, list):
        return None
    connections = [payload for kind, _, payload in plan.parts if kind == "connection"]
    try:
        if len(connections) == 1:
            results = [await _run_connection(connections[0], context, coerced)]
        else:
            results = await asyncio.gather(
                *(_run_connection(item, context, coerced) for item in connections)
            )
    except (ConnectorError, SecurityError, GraphQLError):
        return None  # the schema's path reports it, with its error shape
    except Exception as error:
        logger.warning(
            "graphql.plan_failed error=%s", type(error).__name__, exc_info=error
        )
        return None
    if any(result is None for result in results):
        return None
    found = iter(results)
    data: dict[str, Any] = {}
    for kind, key, payload in plan.parts:
        if kind == "typename":
            data[key] = payload
        else:
            result = next(found)
            assert result is not None
            data[key] = _connection_data(payload, result)
    return data


async def _run_connection(
    plan: ConnectionPlan, context: RequestContext, variables: VariableValues
) -> federation.JsonRowConnection | None:
    arguments = plan.arguments.build(variables)
    filter_, sorts, page = rows_request(plan.spec, arguments)
    query = JsonRowQuery(plan.spec.info.name, plan.shapes, filter_, tuple(sorts))
    return await federation.list_rows_json(
        context, plan.spec.source, query, page, with_total=plan.with_total
    )


def _connection_data(
    plan: ConnectionPlan, result: federation.JsonRowConnection
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    rows = result.rows
    for kind, key, payload in plan.parts:
        if kind == "nodes":
            data[key] = orjson.Fragment(
                "[" + ",".join(row[payload] for row in rows) + "]"
            )
        elif kind == "edges":
            data[key] = [
                _edge(payload, result.start + index, row)
                for index, row in enumerate(rows)
            ]
        elif kind == "pageInfo":
            info = result.page_info()
            data[key] = {
                item_key: info[name] if kind_ == "value" else name
                for kind_, item_key, name in payload
            }
        elif kind == "totalCount":
            data[key] = result.total
        else:
            data[key] = payload
    return data


def _edge(
    parts: tuple[Part, ...], position: int, row: tuple[str, ...]
) -> dict[str, Any]:
    edge: dict[str, Any] = {}
    for kind, key, payload in parts:
        if kind == "cursor":
            edge[key] = federation.encode_cursor(position)
        elif kind == "node":
            edge[key] = orjson.Fragment(row[payload])
        else:
            edge[key] = payload
    return edge
