"""Plan argument builders give what graphql-core's ``get_argument_values`` gives."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    build_schema,
    parse,
)
from graphql.execution.values import get_argument_values, get_variable_values

from schema.plan_arguments import ArgumentsBuilder

SCHEMA = build_schema(
    """
    enum Direction { ASC DESC }
    input IntComparison { eq: Int, ne: Int, in: [Int!], isNull: Boolean }
    input Filter {
      id: IntComparison, name: IntComparison
      and: [Filter!], or: [Filter!], not: Filter
    }
    input Sort { column: String!, direction: Direction = ASC }
    type Query {
      rows(filter: Filter, orderBy: [Sort!], first: Int = 100, after: String): [Int]
    }
    """
)

CASES: list[tuple[str, dict[str, Any]]] = [
    ("{ rows(first: 1) }", {}),
    ('{ rows(filter: {id: {eq: 3}}, orderBy: [{column: "id"}]) }', {}),
    ("query ($id: Int!) { rows(filter: {id: {eq: $id}}, first: 1) }", {"id": 4242}),
    ("query ($ids: [Int!]) { rows(filter: {id: {in: $ids}}) }", {"ids": [1, 2]}),
    ("query ($id: Int) { rows(filter: {id: {in: $id}}) }", {"id": 7}),
    ("query ($id: Int!) { rows(filter: {id: {in: [1, $id]}}) }", {"id": 7}),
    ("query ($id: Int) { rows(filter: {id: {eq: $id}}) }", {"id": None}),
    ("query ($id: Int) { rows(filter: {id: {eq: $id}}) }", {}),
    ("query ($n: Int) { rows(first: $n) }", {}),
    ("query ($n: Int = 5) { rows(first: $n) }", {}),
    ("query ($a: String) { rows(after: $a, first: 2) }", {"a": "abc"}),
    (
        "query ($d: Direction!, $f: Filter) { rows(filter: {or: [$f, {not: $f}]}, "
        'orderBy: [{column: "x", direction: $d}, {column: "y"}]) }',
        {"d": "DESC", "f": {"name": {"ne": 2}}},
    ),
    ("query ($f: Filter!) { rows(filter: $f) }", {"f": {"and": [{"id": {"eq": 1}}]}}),
]


def field_and_node(document: str) -> tuple[Any, FieldNode, OperationDefinitionNode]:
    parsed = parse(document)
    operation = parsed.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    node = operation.selection_set.selections[0]
    assert isinstance(node, FieldNode)
    assert SCHEMA.query_type is not None
    return SCHEMA.query_type.fields["rows"], node, operation


@pytest.mark.parametrize(("document", "variables"), CASES)
def test_builder_matches_graphql_core(document: str, variables: dict[str, Any]) -> None:
    field, node, operation = field_and_node(document)
    coerced = get_variable_values(
        SCHEMA, operation.variable_definitions or (), variables
    )
    assert not isinstance(coerced, list), coerced

    built = ArgumentsBuilder(field, node).build(coerced)

    assert built == get_argument_values(field, node, coerced)


def test_a_null_for_a_required_argument_raises_as_graphql_core_does() -> None:
    schema = build_schema("type Query { row(id: Int!): Int }")
    parsed = parse("query ($id: Int) { row(id: $id) }")
    operation = parsed.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    node = operation.selection_set.selections[0]
    assert isinstance(node, FieldNode)
    assert schema.query_type is not None
    coerced = get_variable_values(schema, operation.variable_definitions, {"id": None})
    assert not isinstance(coerced, list)

    with pytest.raises(GraphQLError, match="not to be None"):
        ArgumentsBuilder(schema.query_type.fields["row"], node).build(coerced)
