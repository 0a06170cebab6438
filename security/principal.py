"""Principals: who is asking, with which roles and for which agency."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("admin", "steward", "agency", "analyst", "public")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller; every principal also holds the ``public`` role.

    ``agency`` is the slug of the one agency an ``agency`` role is scoped to;
    ``attributes`` carries further claims that row filters may refer to
    (``$district`` in a rule reads ``attributes["district"]``).
    """

    subject: str
    roles: frozenset[str] = frozenset({"public"})
    agency: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    via: str = "anonymous"

    def __post_init__(self) -> None:
        unknown = self.roles - set(ROLES)
        if unknown:
            raise ValueError(
                f"unknown role(s) {sorted(unknown)} for {self.subject!r}: "
                f"roles are {', '.join(ROLES)}"
            )
        if "agency" in self.roles and not self.agency:
            raise ValueError(
                f"principal {self.subject!r} has the agency role without an agency"
            )
        object.__setattr__(self, "roles", frozenset({*self.roles, "public"}))

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_anonymous(self) -> bool:
        return self.via == "anonymous"

    def belongs_to(self, agency: str | None) -> bool:
        """Whether this principal acts for ``agency`` (through the agency role)."""
        return agency is not None and "agency" in self.roles and self.agency == agency

    @property
    def profile(self) -> tuple[frozenset[str], str | None]:
        """What decides visibility: roles and agency, not the subject."""
        return self.roles, self.agency


ANONYMOUS = Principal(subject="anonymous")


def parse_roles(value: str | list[str] | tuple[str, ...] | None) -> frozenset[str]:
    """Roles from a claim or option: a list, or a comma- or space-separated string."""
    if value is None:
        return frozenset()
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    return frozenset(str(item).strip().lower() for item in items if str(item).strip())
