"""The root schema: one ``Query`` (and ``Mutation``) composed from each domain."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.catalog_types import CatalogMutation, CatalogQuery
from schema.errors import log_errors, should_mask
from schema.federation_types import FederationQuery
from schema.graph_types import GraphQuery
from schema.linking_types import LinkingMutation, LinkingQuery
from schema.market_types import MarketQuery
from schema.region_types import RegionQuery
from schema.social_types import SocialQuery


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
)
MUTATION_PARTS: tuple[type, ...] = (CatalogMutation, LinkingMutation)


class BigOneSchema(strawberry.Schema):
    """A strawberry schema that logs errors once, through ``schema.errors``."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any = None
    ) -> None:
        log_errors(errors, execution_context)


def build_schema(extra_query_parts: tuple[type, ...] = ()) -> strawberry.Schema:
    """The schema with every domain's query fields; documents are cached."""
    query = merge_types("Query", (*QUERY_PARTS, *extra_query_parts))
    mutation = merge_types("Mutation", MUTATION_PARTS) if MUTATION_PARTS else None
    return BigOneSchema(
        query=query,
        mutation=mutation,
        config=StrawberryConfig(default_resolver=get_member),
        extensions=[
            lambda: ParserCache(maxsize=1000),
            lambda: ValidationCache(maxsize=1000),
            lambda: MaskErrors(should_mask_error=should_mask),
        ],
    )


def get_member(source: Any, name: str) -> Any:
    """Fields without a resolver read attributes, or keys of plain dict rows."""
    if type(source) is dict:
        return source.get(name)
    return getattr(source, name)
