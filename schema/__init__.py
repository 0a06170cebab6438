"""GraphQL types and the root schema (strawberry); exported SDL in schema.graphql."""

from schema.root import build_schema

__all__ = ["build_schema"]
