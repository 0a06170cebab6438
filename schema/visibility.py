"""One schema per visibility profile: fields a principal may not use are absent.

The full schema is built once; its guarded fields (those with security
metadata) are listed, and a principal's profile is the set of guarded fields
hidden from it. Schemas are built per profile on first use and cached, so a
handful of roles cost a handful of schemas.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType

from security.access_index import AccessIndex
from security.policy import AccessPolicy
from security.principal import Principal
from security.visibility import DATASET_KEY, is_guarded, is_visible

Coordinate = tuple[str, str]
FieldFilter = Callable[[str, Any], bool]
SchemaFactory = Callable[[FieldFilter | None], strawberry.Schema]
MAX_VARIANTS = 64


class SchemaVariants:
    """The full schema and its per-profile restrictions. Safe to share."""

    def __init__(self, factory: SchemaFactory) -> None:
        self._factory = factory
        self.full = factory(None)
        self._guarded = _guarded_fields(self.full)
        self._needs_index = any(
            DATASET_KEY in metadata for metadata in self._guarded.values()
        )
        self._cache: OrderedDict[frozenset[Coordinate], strawberry.Schema] = (
            OrderedDict()
        )
        self._locks: dict[frozenset[Coordinate], asyncio.Lock] = {}
        # Visibility depends on the principal's roles and agency only (see
        # security.visibility), so the hidden fields are remembered per those,
        # for as long as the policy and access index are the same objects.
        self._profiles: dict[Any, tuple[Any, AccessIndex, frozenset[Coordinate]]] = {}

    @property
    def needs_index(self) -> bool:
        """Whether visibility depends on dataset access (and so on the catalog)."""
        return self._needs_index

    async def for_principal(
        self, principal: Principal, policy: AccessPolicy, index: AccessIndex
    ) -> strawberry.Schema:
        """The schema ``principal`` is served.

        A profile's first schema is built in a worker thread (it takes about a
        second for a few dozen datasets) so other requests keep being served.
        """
        hidden = self.hidden_fields(principal, policy, index)
        if not hidden:
            return self.full
        schema = self._cache.get(hidden)
        if schema is not None:
            return schema
        async with self._locks.setdefault(hidden, asyncio.Lock()):
            schema = self._cache.get(hidden)
            if schema is None:
                schema = await asyncio.to_thread(self._factory, _hiding(hidden))
                self._cache[hidden] = schema
                if len(self._cache) > MAX_VARIANTS:
                    self._cache.popitem(last=False)
        self._locks.pop(hidden, None)
        return schema

    def hidden_fields(
        self, principal: Principal, policy: AccessPolicy, index: AccessIndex
    ) -> frozenset[Coordinate]:
        """The guarded fields ``principal`` may not see."""
        key = principal.profile
        known = self._profiles.get(key)
        if known is not None and known[0] is policy and known[1] is index:
            return known[2]
        hidden = frozenset(
            coordinate
            for coordinate, metadata in self._guarded.items()
            if not is_visible(metadata, principal, policy, index)
        )
        if len(self._profiles) >= MAX_VARIANTS:
            self._profiles.clear()
        self._profiles[key] = (policy, index, hidden)
        return hidden


def _hiding(hidden: frozenset[Coordinate]) -> FieldFilter:
    def keep(type_name: str, field: Any) -> bool:
        return (type_name, field.graphql_name or field.python_name) not in hidden

    return keep


def _guarded_fields(schema: strawberry.Schema) -> dict[Coordinate, Any]:
    guarded: dict[Coordinate, Any] = {}
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field in type_.fields.values():
            definition = (field.extensions or {}).get("strawberry-definition")
            metadata = getattr(definition, "metadata", None) or {}
            if definition is not None and is_guarded(metadata):
                key_name = definition.graphql_name or definition.python_name
                guarded[(type_.name, key_name)] = metadata
    return guarded
