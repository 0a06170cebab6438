"""Enforcing operation limits and introspection settings before anything executes.

Runs after validation and before execution: a rejected operation never reaches
a resolver, so no statement runs against any source or the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from security.errors import QueryRejectedError
from security.limits import check_operation
from security.service import SecurityServices

REJECTED_CODE = "OPERATION_LIMIT"


class OperationGuard(SchemaExtension):
    """Token limit at parse time; depth, aliases, root fields and cost before execution."""

    def on_operation(self) -> Iterator[None]:
        security = _security_of(self.execution_context.context)
        if security is not None:
            self.execution_context.parse_options["max_tokens"] = (
                security.limits.max_tokens
            )
            if not security.introspection:
                self.execution_context.validation_rules = (
                    *self.execution_context.validation_rules,
                    NoSchemaIntrospectionCustomRule,
                )
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if hasattr(context.context, "operation_name"):
            context.context.operation_name = context.operation_name
        security = _security_of(context.context)
        if security is not None and context.graphql_document is not None:
            try:
                check_operation(
                    context.schema._schema,
                    context.graphql_document,
                    security.limits,
                    operation_name=context.operation_name,
                    variables=context.variables,
                )
            except QueryRejectedError as error:
                raise GraphQLError(
                    f"operation rejected: {error}",
                    extensions={"code": REJECTED_CODE, "problems": error.problems},
                ) from None
        yield


def _security_of(context: Any) -> SecurityServices | None:
    services = getattr(context, "services", None)
    return getattr(services, "security", None)
