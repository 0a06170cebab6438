"""Custom scalars shared by every domain of the schema."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

__all__ = ["BIGINT_SCALAR", "JSON", "SCALAR_MAP", "BigInt"]

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def _serialize_bigint(value: int) -> int:
    return int(value)


def _parse_bigint(value: object) -> int:
    """An int from a JSON number or a string of digits, within 64 bits."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"BigInt cannot represent {value!r}: give an integer")
    try:
        number = int(value)
    except ValueError as error:
        raise ValueError(
            f"BigInt cannot represent {value!r}: give an integer"
        ) from error
    if not BIGINT_MIN <= number <= BIGINT_MAX:
        raise ValueError(f"BigInt cannot represent {value!r}: it exceeds 64 bits")
    return number


# Hasura's `bigint`, as a JSON number: exact in JSON and in GraphQL clients that
# read integers exactly; JavaScript's JSON.parse rounds past 2^53, so such a
# client reads these columns with a BigInt-aware parser. Inputs also accept a
# string of digits, which is how JavaScript sends a bigint.
BigInt = NewType("BigInt", int)
BIGINT_SCALAR = strawberry.scalar(
    name="BigInt",
    description=(
        "A 64-bit signed integer (a BIGINT column), written as a JSON number; "
        "accepted as a number or a string of digits. JavaScript's JSON.parse "
        "rounds values past 2^53: read them with a BigInt-aware parser."
    ),
    serialize=_serialize_bigint,
    parse_value=_parse_bigint,
)

# The schema's StrawberryConfig.scalar_map: our scalars by their Python type.
SCALAR_MAP: dict[object, ScalarDefinition] = {BigInt: BIGINT_SCALAR}
