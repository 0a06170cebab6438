"""Argument values of a planned field, coerced as graphql-core coerces them.

graphql-core coerces an argument literal on every request, walking every field
of every input type it meets (a dataset filter has one per column, each
comparison eleven): tens of microseconds for a one-row lookup. The literal is
fixed by the document, so a plan coerces its constant parts once and only
reads the variables at run time; the walk mirrors ``coerce_input_literal``
(defaults of absent input fields, a single value for a list, ``out_type``).

Whenever a variable the arguments use is absent or null, the builder gives
up (``None``) and the caller asks graphql-core, which knows every rule about
defaults and nulls and reports the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    ListValueNode,
    ObjectValueNode,
    Undefined,
    ValueNode,
    VariableNode,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.utilities.coerce_input_value import (
    coerce_default_value,
    coerce_input_literal,
)

Build = Callable[[dict[str, Any]], Any]
GIVE_UP = object()


class ArgumentsBuilder:
    """The coerced arguments of one field node, from the request's variables."""

    def __init__(self, field: GraphQLField, node: FieldNode) -> None:
        self._field = field
        self._node = node
        self._build = _compile_arguments(field, node)

    def build(self, variables: VariableValues) -> dict[str, Any]:
        """What ``get_argument_values`` returns (and raises) for ``variables``."""
        if self._build is not None:
            built = self._build(variables.coerced)
            if built is not GIVE_UP:
                result: dict[str, Any] = built
                return result
        return get_argument_values(self._field, self._node, variables)


def _compile_arguments(field: GraphQLField, node: FieldNode) -> Build | None:
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    parts: list[tuple[str, Build]] = []
    for name, argument in field.args.items():
        value = given.get(name)
        if value is None:
            default = coerce_default_value(argument)
            if default is not Undefined:
                parts.append((name, _constant(default)))
            continue
        built = _compile_value(value, argument.type)
        if built is None:
            return None
        parts.append((name, built))

    def build(variables: dict[str, Any]) -> Any:
        result = {}
        for name, part in parts:
            value = part(variables)
            if value is GIVE_UP:
                return GIVE_UP
            result[name] = value
        return result

    return build


def _compile_value(node: ValueNode, type_: GraphQLInputType) -> Build | None:
    if not _has_variables(node):
        value = coerce_input_literal(node, type_)
        return None if value is Undefined else _constant(value)
    if isinstance(node, VariableNode):
        name = node.name.value

        def variable(variables: dict[str, Any]) -> Any:
            value = variables.get(name)
            return GIVE_UP if value is None else value

        return variable
    if isinstance(type_, GraphQLNonNull):
        return _compile_value(node, type_.of_type)
    if isinstance(type_, GraphQLList):
        return _compile_list(node, type_)
    if isinstance(type_, GraphQLInputObjectType) and isinstance(node, ObjectValueNode):
        return _compile_object(node, type_)
    return None  # a scalar literal holding variables: graphql-core's business


def _compile_list(node: ValueNode, type_: GraphQLList[Any]) -> Build | None:
    if not isinstance(node, ListValueNode):
        item = _compile_value(node, type_.of_type)
        if item is None:
            return None
        single = item
        return lambda variables: _all_or_give_up([single(variables)])
    items = [_compile_value(value, type_.of_type) for value in node.values]
    if any(item is None for item in items):
        return None
    compiled = [item for item in items if item is not None]
    return lambda variables: _all_or_give_up([item(variables) for item in compiled])


def _compile_object(
    node: ObjectValueNode, type_: GraphQLInputObjectType
) -> Build | None:
    given = {field.name.value: field.value for field in node.fields or ()}
    parts: list[tuple[str, Build]] = []
    for name, field in type_.fields.items():
        value = given.get(name)
        if value is None:
            default = coerce_default_value(field)
            if default is not Undefined:
                parts.append((field.out_name or name, _constant(default)))
            continue
        built = _compile_value(value, field.type)
        if built is None:
            return None
        parts.append((field.out_name or name, built))
    out_type = type_.out_type

    def build(variables: dict[str, Any]) -> Any:
        result = {}
        for name, part in parts:
            value = part(variables)
            if value is GIVE_UP:
                return GIVE_UP
            result[name] = value
        return out_type(result)

    return build


def _all_or_give_up(values: list[Any]) -> Any:
    return GIVE_UP if any(value is GIVE_UP for value in values) else values


def _constant(value: Any) -> Build:
    return lambda _variables: value


def _has_variables(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(_has_variables(value) for value in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_has_variables(field.value) for field in node.fields)
    return False
