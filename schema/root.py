"""The root schema: one ``Query`` (and ``Mutation``) composed from each domain."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.catalog_types import CatalogMutation, CatalogQuery
from schema.errors import log_errors, register_public_error, should_mask
from schema.execution import RowFastExecutor
from schema.federation_types import FederationQuery
from schema.graph_types import GraphQuery
from schema.linking_types import LinkingMutation, LinkingQuery
from schema.market_types import MarketQuery
from schema.region_types import RegionQuery
from schema.scalars import SCALAR_MAP
from schema.security_extension import OperationGuard
from schema.security_types import SecurityQuery
from schema.social_types import SocialQuery
from schema.visibility import FieldFilter
from security.errors import SecurityError


@strawberry.type
class MetaQuery:
    @strawberry.field(description="The running Big One version.")
    def version(self) -> str:
        from importlib.metadata import version

        return version("bigone")


QUERY_PARTS: tuple[type, ...] = (
    MetaQuery,
    GraphQuery,
    FederationQuery,
    CatalogQuery,
    RegionQuery,
    SocialQuery,
    MarketQuery,
    LinkingQuery,
    SecurityQuery,
)
MUTATION_PARTS: tuple[type, ...] = (CatalogMutation, LinkingMutation)

register_public_error(SecurityError)


class BigOneSchema(strawberry.Schema):
    """A strawberry schema that logs errors once, through ``schema.errors``.

    ``field_filter`` leaves out fields a principal may not use (``schema.visibility``).
    """

    def __init__(
        self, *args: Any, field_filter: FieldFilter | None = None, **kwargs: Any
    ):
        self._field_filter = field_filter
        super().__init__(*args, **kwargs)

    def get_fields(self, type_definition: Any) -> list[Any]:
        fields = super().get_fields(type_definition)
        if self._field_filter is None:
            return fields
        keep = self._field_filter
        return [field for field in fields if keep(type_definition.name, field)]

    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any = None
    ) -> None:
        log_errors(errors, execution_context)


def build_schema(
    extra_query_parts: tuple[type, ...] = (),
    field_filter: FieldFilter | None = None,
) -> strawberry.Schema:
    """The schema with every domain's query fields; documents are cached."""
    query = merge_types("Query", (*QUERY_PARTS, *extra_query_parts))
    mutation = merge_types("Mutation", MUTATION_PARTS) if MUTATION_PARTS else None
    if mutation is not None and not _any_field_kept(mutation, field_filter):
        # A principal without any mutation gets a schema without the type:
        # GraphQL forbids an object type with no fields.
        mutation = None
    return BigOneSchema(
        query=query,
        config=StrawberryConfig(default_resolver=get_member, scalar_map=SCALAR_MAP),
        field_filter=field_filter,
        execution_context_class=RowFastExecutor,
        mutation=mutation,
        extensions=[
            OperationGuard,
            lambda: ParserCache(maxsize=1000),
            lambda: ValidationCache(maxsize=1000),
            lambda: MaskErrors(should_mask_error=should_mask),
        ],
    )


def _any_field_kept(type_: type, field_filter: FieldFilter | None) -> bool:
    if field_filter is None:
        return True
    definition = type_.__strawberry_definition__  # type: ignore[attr-defined]
    return any(field_filter(definition.name, field) for field in definition.fields)


def get_member(source: Any, name: str) -> Any:
    """Fields without a resolver read attributes, or keys of plain dict rows."""
    if type(source) is dict:
        return source.get(name)
    return getattr(source, name)
