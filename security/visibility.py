"""Which schema fields a principal sees at all: field metadata read by the policy.

Generated dataset fields carry ``dataset_field(key)``; fields for some roles only
carry ``roles_field(...)``. A field a principal may not use is absent from the
schema it is served, so introspection, validation and GraphiQL agree on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from security.access_index import AccessIndex
from security.policy import AccessPolicy
from security.principal import Principal

DATASET_KEY = "bigone.dataset"
ROLES_KEY = "bigone.roles"


def dataset_field(key: str) -> dict[str, Any]:
    """Metadata of a field that exposes dataset ``key`` (``source.dataset``)."""
    return {DATASET_KEY: key}


def roles_field(*roles: str) -> dict[str, Any]:
    """Metadata of a field only the given roles see."""
    return {ROLES_KEY: tuple(roles)}


# Curating metadata and deciding links is the walidata's work (and an admin's).
STEWARDS = roles_field("admin", "steward")


def is_guarded(metadata: Mapping[Any, Any]) -> bool:
    return DATASET_KEY in metadata or ROLES_KEY in metadata


def is_visible(
    metadata: Mapping[Any, Any],
    principal: Principal,
    policy: AccessPolicy,
    index: AccessIndex,
) -> bool:
    """Whether a field with ``metadata`` belongs to ``principal``'s schema."""
    roles = metadata.get(ROLES_KEY)
    if roles is not None and not (principal.roles & set(roles)):
        return False
    key = metadata.get(DATASET_KEY)
    if key is not None:
        return policy.can_read(principal, index.get_key(str(key)))
    return True
