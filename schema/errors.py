"""Which errors reach clients with their message, and the one place errors are logged.

Errors of our layers (store, graph, linking, connectors) state what went wrong
and how to fix it without internals, so their messages are shown. Anything else
is an unexpected failure: logged once here with its traceback, and shown to the
client only as "Internal server error".
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from graph.base import GraphError
from linking.errors import LinkingError
from store.errors import StoreError

logger = logging.getLogger("bigone.graphql")

PUBLIC_ERRORS: tuple[type[Exception], ...] = (GraphError, StoreError, LinkingError)


def register_public_error(error_type: type[Exception]) -> None:
    """Let a layer's base exception reach clients with its message."""
    global PUBLIC_ERRORS
    if error_type not in PUBLIC_ERRORS:
        PUBLIC_ERRORS = (*PUBLIC_ERRORS, error_type)


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    return not isinstance(original, PUBLIC_ERRORS)


def log_errors(errors: list[GraphQLError], execution_context: Any = None) -> None:
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            logger.info("graphql.rejected message=%r", error.message)
        elif isinstance(original, PUBLIC_ERRORS):
            logger.warning(
                "graphql.failed path=%s error=%s message=%r",
                error.path,
                type(original).__name__,
                str(original),
            )
        else:
            logger.error("graphql.crashed path=%s", error.path, exc_info=original)
