"""Big Social settings from the config file: tracked entities and the issue taxonomy.

Self-contained pydantic models, so that the config loader can hand over the
``tracked_entities:`` and ``issues:`` sections as parsed YAML. Without an
``issues:`` section the shipped taxonomy (``analytics/data/issues.yaml``) is used.
For example::

    tracked_entities:
      - key: bupati
        name: Bupati Tegal
        kind: person
        aliases: [Pak Bupati, Bupati Kab Tegal]
      - key: dinkes
        name: Dinas Kesehatan Kabupaten Tegal
        aliases: [Dinkes Tegal, Dinkes Kab Tegal]
    issue_threshold: 0.5
    issues:            # optional: replaces the shipped taxonomy
      - key: roads
        label: Jalan
        description: jalan rusak dan perbaikan jalan
        seeds: [jalan rusak, berlubang, dalan rusak]
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analytics import SocialConfigError

EntityKind = Literal["person", "organisation", "brand", "place", "product", "topic"]


class TrackedEntity(BaseModel):
    """An official, agency or brand whose mentions, share of voice and mood we follow."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(
        pattern=r"^[a-z0-9_\-]+$", description="Stable id, e.g. 'sinovac'."
    )
    name: str
    kind: EntityKind = "organisation"
    aliases: tuple[str, ...] = ()
    graph_id: str | None = Field(
        default=None, description="Id of the entity's node in the graph, if it has one."
    )

    @property
    def node_id(self) -> str:
        return self.graph_id or f"entity:tracked:{self.key}"

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class IssueDefinition(BaseModel):
    """One issue of the taxonomy: its key, label, description and keyword seeds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    description: str = ""
    seeds: tuple[str, ...] = ()

    @field_validator("seeds")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(seed.lower().strip() for seed in value if seed.strip())


class SocialAnalyticsConfig(BaseModel):
    """The Big Social part of the config file."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tracked_entities: tuple[TrackedEntity, ...] = ()
    issues: tuple[IssueDefinition, ...] = ()
    issue_threshold: float = Field(default=0.5, ge=0.0, le=1.0)

    @field_validator("tracked_entities", "issues")
    @classmethod
    def _unique_keys(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        keys = [item.key for item in value]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate keys: {', '.join(duplicates)}")
        return value

    def taxonomy(self) -> tuple[IssueDefinition, ...]:
        """The configured issues, or the shipped taxonomy when none are."""
        return self.issues or load_default_taxonomy()


@cache
def load_default_taxonomy() -> tuple[IssueDefinition, ...]:
    """The shipped issue taxonomy with Indonesian and Javanese keyword seeds."""
    text = (
        resources.files("analytics").joinpath("data", "issues.yaml").read_text("utf-8")
    )
    return parse_social_config(yaml.safe_load(text)).issues


def parse_social_config(document: Any) -> SocialAnalyticsConfig:
    """The Big Social sections of a parsed config document (a mapping or ``None``).

    Raises ``SocialConfigError`` naming the invalid entry.
    """
    try:
        return SocialAnalyticsConfig.model_validate(document or {})
    except ValidationError as error:
        raise SocialConfigError(f"invalid Big Social config: {error}") from error
