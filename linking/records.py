"""What linking knows of a source record, and the stable ids of records and entities.

A ``LinkRecord`` holds just enough of one row to link it: its address
(source, dataset, key), the kind of entity it describes and the fields that
are compared. Full rows are always read back from the source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from linking.errors import LinkingError

EntityKind = Literal["organisation", "place", "person", "product", "topic"]
ENTITY_KINDS: tuple[str, ...] = ("organisation", "place", "person", "product", "topic")
RECORD_PREFIX = "record:"
ENTITY_PREFIX = "entity:"
KEY_SEPARATOR = "|"


@dataclass(frozen=True)
class LinkRecord:
    """One source row as linking sees it; every field but the address is optional."""

    source: str
    dataset: str
    key: tuple[str, ...]
    kind: str
    name: str
    description: str = ""
    identifier: str | None = None  # NIB, NPWP, NIK, ... whatever the source keys on
    region_code: str | None = None  # Kemendagri code, e.g. 33.28.10
    phone: str | None = None
    address: str | None = None
    postal_code: str | None = None
    date: str | None = None  # ISO date: founding, birth, registration
    category: str | None = None  # compared exactly: a place's level, a legal form
    attributes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return record_node_id(self.source, self.dataset, self.key)

    @property
    def origin(self) -> str:
        """``source/dataset``: thresholds and duplicate-freedom are set per origin."""
        return f"{self.source}/{self.dataset}"


def record_node_id(source: str, dataset: str, key: tuple[str, ...]) -> str:
    """``record:<source>/<dataset>/<key>``, key parts joined by ``|``.

    Raises ``LinkingError`` when the source or dataset name contains ``/``.
    """
    if "/" in source or "/" in dataset:
        raise LinkingError(
            f"source {source!r} and dataset {dataset!r} must not contain '/': "
            "record ids are built from them"
        )
    return f"{RECORD_PREFIX}{source}/{dataset}/{KEY_SEPARATOR.join(key)}"


def parse_record_node_id(record_id: str) -> tuple[str, str, tuple[str, ...]]:
    """The (source, dataset, key) of a record id; raises ``LinkingError`` when malformed."""
    if not record_id.startswith(RECORD_PREFIX):
        raise LinkingError(f"{record_id!r} is not a record id (record:<source>/...)")
    parts = record_id[len(RECORD_PREFIX) :].split("/", 2)
    if len(parts) != 3 or not all(parts):
        raise LinkingError(
            f"{record_id!r} is not a record id: expected record:<source>/<dataset>/<key>"
        )
    source, dataset, key = parts
    return source, dataset, tuple(key.split(KEY_SEPARATOR))


def new_entity_id(kind: str, founding_record_id: str) -> str:
    """The id of an entity first formed around ``founding_record_id``.

    Derived, not random: two concurrent runs that form the same new entity give
    it the same id, so the graph's unique ids make a duplicate impossible.
    """
    digest = hashlib.sha256(founding_record_id.encode()).hexdigest()[:20]
    return f"{ENTITY_PREFIX}{kind}:{digest}"
