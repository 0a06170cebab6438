"""Checks of the paging arguments of list fields, shared by their resolvers.

A value out of range is refused with the argument named, rather than clamped:
a client asking for 501 rows or offset -1 has a bug it should hear about.
"""

from __future__ import annotations

from graphql import GraphQLError


def check_page(
    *, first: int | None = None, maximum: int, offset: int = 0, name: str = "first"
) -> None:
    """Raise a ``GraphQLError`` (``BAD_USER_INPUT``) for an out-of-range page."""
    if first is not None and not 0 <= first <= maximum:
        raise _bad_input(f"{name} must be between 0 and {maximum}, got {first}")
    if offset < 0:
        raise _bad_input(f"offset must be 0 or more, got {offset}")


def _bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
