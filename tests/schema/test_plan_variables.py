"""A plan's variable coercer gives what graphql-core's ``get_variable_values`` gives."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError, OperationDefinitionNode, build_schema, parse
from graphql.execution.values import get_variable_values

from schema.plan_variables import VariablesCoercer

SCHEMA = build_schema(
    """
    scalar Date
    enum Direction { ASC DESC }
    input Comparison { eq: Int, in: [Int!], on: Date }
    type Query {
      rows(id: Int, name: String, key: ID, flag: Boolean, direction: Direction,
           ids: [Int!], where: Comparison, day: Date, share: Float): [Int]
    }
    """
)

DEFINITIONS = (
    "$id: Int, $name: String, $key: ID, $flag: Boolean, $direction: Direction, "
    "$ids: [Int!], $where: Comparison, $day: Date, $share: Float"
)
REQUIRED = "$id: Int!, $name: String!, $flag: Boolean!"
DEFAULTS = (
    '$id: Int = 5, $name: String = "x", $ids: [Int!] = [1, 2], $flag: Boolean = null'
)

CASES: list[tuple[str, dict[str, Any]]] = [
    (DEFINITIONS, {}),
    (DEFINITIONS, {"id": 4242, "name": "a", "key": "k", "flag": True}),
    (DEFINITIONS, {"id": None, "name": None, "flag": None}),
    (DEFINITIONS, {"key": 7, "id": 3.0, "share": 2}),
    (DEFINITIONS, {"direction": "DESC", "ids": 4, "day": "2024-01-02"}),
    (DEFINITIONS, {"ids": [1, 2, 3], "where": {"eq": 1, "in": [2]}}),
    (DEFINITIONS, {"id": 2**31 - 1, "unknown": "ignored"}),
    (REQUIRED, {"id": 1, "name": "", "flag": False}),
    (DEFAULTS, {}),
    (DEFAULTS, {"id": 9, "flag": True}),
    # Not coercible: the errors are graphql-core's own.
    (DEFINITIONS, {"id": True}),
    (DEFINITIONS, {"id": 2**31}),
    (DEFINITIONS, {"id": "12"}),
    (DEFINITIONS, {"flag": 1}),
    (DEFINITIONS, {"name": 5}),
    (DEFINITIONS, {"direction": "SIDEWAYS"}),
    (DEFINITIONS, {"where": {"eq": "x"}}),
    (REQUIRED, {"id": 1, "name": "a"}),
    (REQUIRED, {"id": None, "name": "a", "flag": True}),
]


def coerced_both_ways(definitions: str, variables: dict[str, Any]) -> tuple[Any, Any]:
    document = parse(f"query ({definitions}) {{ rows }}")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    definitions_ = operation.variable_definitions

    ours = VariablesCoercer(SCHEMA, definitions_).coerce(variables)
    theirs = get_variable_values(SCHEMA, definitions_, variables)
    return ours, theirs


def comparable(result: Any) -> Any:
    if isinstance(result, list):
        return [(error.message, error.path) for error in result]
    # Signatures hold types built per call ([Int!] is a new GraphQLList each time).
    sources = {
        name: (str(source.signature.type), source.signature.default, source.value)
        for name, source in result.sources.items()
    }
    return result.coerced, sources


@pytest.mark.parametrize(("definitions", "variables"), CASES)
def test_coercer_matches_graphql_core(
    definitions: str, variables: dict[str, Any]
) -> None:
    ours, theirs = coerced_both_ways(definitions, variables)

    assert comparable(ours) == comparable(theirs)


def test_values_of_built_in_scalars_are_taken_as_they_are() -> None:
    ours, _ = coerced_both_ways(REQUIRED, {"id": 4242, "name": "a", "flag": True})

    assert not isinstance(ours, list)
    assert ours.coerced == {"id": 4242, "name": "a", "flag": True}
    assert type(ours.coerced["id"]) is int


def test_bad_values_are_reported() -> None:
    ours, _ = coerced_both_ways(DEFINITIONS, {"id": "12"})

    assert isinstance(ours, list)
    assert all(isinstance(error, GraphQLError) for error in ours)
    assert "Int cannot represent non-integer value" in ours[0].message
