"""A graphql-core executor that completes plain dataset rows in one step.

graphql-core resolves every field of every row on its own (resolve info, resolver,
leaf completion), which costs several microseconds per field: a 100-row page of
five columns spends most of its time there. Rows of generated dataset types are
plain dicts, so when a selection on such a type asks only for columns (scalars
with the default resolver, ``__typename`` included) the executor builds the
result dict directly, serialising each value with its scalar's own ``serialize``.

Anything else (relation fields, ``@defer``, a null in a non-null column, a value
the scalar rejects) takes graphql-core's ordinary path, so errors and their
paths are exactly what graphql-core would report.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

ROW_FIELDS = "bigone_row_fields"  # GraphQL field name -> dict key, on row types
TYPENAME = object()

# (response key, dict key or TYPENAME, serialize (or the type name), non-null)
Plan = tuple[tuple[str, Any, Any, bool], ...]


def mark_row_type(
    schema: GraphQLSchema, type_name: str, fields: dict[str, str]
) -> None:
    """Let the executor complete ``type_name`` directly when only ``fields`` are asked."""
    graphql_type = schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    graphql_type.extensions = {**(graphql_type.extensions or {}), ROW_FIELDS: fields}


class RowFastExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor plus the direct completion of plain row selections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[int, int], tuple[Any, Plan | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if type(result) is dict and return_type.extensions.get(ROW_FIELDS):
            plan = self._plan(return_type, field_details_list)
            if plan is not None:
                completed = _complete(plan, result)
                if completed is not None:
                    return completed
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def complete_list_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        item_type = return_type.of_type
        row_type = (
            item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        )
        if (
            type(result) is list
            and isinstance(row_type, GraphQLObjectType)
            and row_type.extensions.get(ROW_FIELDS)
        ):
            plan = self._plan(row_type, field_details_list)
            if plan is not None:
                completed = _complete_all(plan, result)
                if completed is not None:
                    return completed
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan(
        self, return_type: GraphQLObjectType, field_details_list: Any
    ) -> Plan | None:
        key = (id(return_type), id(field_details_list))
        cached = self._plans.get(key)
        if cached is None:
            # Keep the list alive with its plan so that its id cannot be reused.
            cached = (
                field_details_list,
                self._build_plan(return_type, field_details_list),
            )
            self._plans[key] = cached
        return cached[1]

    def _build_plan(
        self, return_type: GraphQLObjectType, field_details_list: Any
    ) -> Plan | None:
        collected = self.collect_subfields(return_type, field_details_list)
        if collected.new_defer_usages:
            return None
        row_fields: dict[str, str] = return_type.extensions[ROW_FIELDS]
        steps = []
        for response_key, details in collected.grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                steps.append((response_key, TYPENAME, return_type.name, True))
                continue
            step = _column_step(return_type, row_fields, response_key, name)
            if step is None:
                return None
            steps.append(step)
        return tuple(steps)


def _column_step(
    return_type: GraphQLObjectType,
    row_fields: dict[str, str],
    response_key: str,
    name: str,
) -> tuple[str, Any, Any, bool] | None:
    attribute = row_fields.get(name)
    field = return_type.fields.get(name)
    if attribute is None or field is None or field.args:
        return None
    field_type = field.type
    non_null = isinstance(field_type, GraphQLNonNull)
    leaf = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return None
    return (response_key, attribute, _serializer(leaf), non_null)


INT_RANGE = range(-(2**31), 2**31)


def _serializer(leaf: GraphQLScalarType | GraphQLEnumType) -> Any:
    """The scalar's ``serialize``, short-cut for values already of the output type."""
    serialize = leaf.serialize
    if leaf.name == "String":
        return lambda value: value if type(value) is str else serialize(value)
    if leaf.name == "Int":
        return lambda value: (
            value if type(value) is int and value in INT_RANGE else serialize(value)
        )
    if leaf.name == "Boolean":
        return lambda value: value if type(value) is bool else serialize(value)
    return serialize


def _complete_all(plan: Plan, rows: list[Any]) -> list[dict[str, Any]] | None:
    completed = []
    for row in rows:
        item = _complete(plan, row) if type(row) is dict else None
        if item is None:
            return None
        completed.append(item)
    return completed


def _complete(plan: Plan, row: dict[str, Any]) -> dict[str, Any] | None:
    """The completed row, or None to let graphql-core report what is wrong."""
    completed: dict[str, Any] = {}
    try:
        for response_key, attribute, serialize, non_null in plan:
            if attribute is TYPENAME:
                completed[response_key] = serialize  # the type's name
                continue
            value = row.get(attribute)
            if value is None:
                if non_null:
                    return None
                completed[response_key] = None
            else:
                completed[response_key] = serialize(value)
    except (GraphQLError, ValueError, TypeError):
        return None
    return completed
