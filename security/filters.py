"""Evaluating a connector ``Filter`` on a row in Python.

Used where a source cannot apply the row filter itself (rows loaded by keys for
a relation), so that those rows obey the same rule as pushed-down queries.
"""

from __future__ import annotations

from typing import Any

from connectors.base import And, Condition, Filter, Not, Or, Row


def matches(item: Filter, row: Row) -> bool:
    """Whether ``row`` satisfies ``item``; a missing column counts as null."""
    if isinstance(item, And):
        return all(matches(child, row) for child in item.items)
    if isinstance(item, Or):
        return any(matches(child, row) for child in item.items)
    if isinstance(item, Not):
        return not matches(item.item, row)
    return _holds(item, row.get(item.column))


def _holds(condition: Condition, actual: Any) -> bool:
    op, expected = condition.op, condition.value
    if op == "is_null":
        return (actual is None) == bool(expected if expected is not None else True)
    if actual is None:
        return op in ("ne", "not_in") and expected is not None
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    # Case-sensitive, as the SQL connector compiles them.
    if op == "contains":
        return str(expected) in str(actual)
    if op == "starts_with":
        return str(actual).startswith(str(expected))
    return _compare(op, actual, expected)


def _compare(op: str, actual: Any, expected: Any) -> bool:
    try:
        if op == "lt":
            return bool(actual < expected)
        if op == "lte":
            return bool(actual <= expected)
        if op == "gt":
            return bool(actual > expected)
        return bool(actual >= expected)
    except TypeError:
        return False
