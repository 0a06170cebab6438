"""The access policy: which datasets a principal reads, which rows, and what is masked.

Access levels follow Satu Data Indonesia: ``terbuka`` datasets are public,
``terbatas`` ones are read by the roles the dataset names, ``tertutup`` ones
only by their owning agency and admins. Personal-data columns are masked for
everyone but admins, the owning agency and the roles a dataset names for them.
Every path that returns dataset data (lists, relations, aggregates, search,
graph records) asks this one class, so that the answers agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from connectors.base import And, Condition, Filter, Not, Or, Row
from security.errors import AccessDeniedError
from security.masking import PersonalKind, mask_value
from security.principal import Principal

AccessLevel = Literal["terbuka", "terbatas", "tertutup"]
RESTRICTED_LEVELS: frozenset[str] = frozenset({"terbatas", "tertutup"})
DEFAULT_TERBATAS_ROLES: frozenset[str] = frozenset({"steward", "analyst"})


@dataclass(frozen=True)
class ColumnAccess:
    """What the policy needs of a column: its name and personal-data kind."""

    name: str
    personal: PersonalKind | None = None


@dataclass(frozen=True)
class DatasetAccess:
    """What the policy needs of a dataset, read from the catalog and policy file.

    ``key`` is the dataset's qualified name (``source.dataset``); ``roles`` read
    a ``terbatas`` dataset; ``row_rules`` map a role to a filter whose ``$name``
    values are taken from the principal (``$agency``, ``$subject``, attributes);
    ``personal_roles`` see personal columns unmasked.
    """

    key: str
    access_level: AccessLevel = "terbuka"
    agency: str | None = None
    roles: frozenset[str] = DEFAULT_TERBATAS_ROLES
    columns: Mapping[str, ColumnAccess] = field(default_factory=dict)
    row_rules: Mapping[str, Filter] = field(default_factory=dict)
    personal_roles: frozenset[str] = frozenset()
    id: int | None = None  # the catalog id, for graph nodes that name datasets by it

    @property
    def is_restricted(self) -> bool:
        return self.access_level in RESTRICTED_LEVELS

    def personal_kind(self, column: str) -> PersonalKind | None:
        found = self.columns.get(column)
        return found.personal if found else None


class AccessPolicy:
    """Decisions over ``DatasetAccess``; pure and safe to share between tasks."""

    def can_read(self, principal: Principal, dataset: DatasetAccess) -> bool:
        """Whether ``principal`` may read any row of ``dataset``."""
        if principal.is_admin or principal.belongs_to(dataset.agency):
            return True
        if dataset.access_level == "terbuka":
            return True
        if dataset.access_level == "terbatas":
            return bool(principal.roles & dataset.roles)
        return False

    def require_read(self, principal: Principal, dataset: DatasetAccess) -> None:
        """Return when ``principal`` may read ``dataset``; raise ``AccessDeniedError``."""
        if not self.can_read(principal, dataset):
            raise AccessDeniedError(
                f"dataset {dataset.key!r} is {dataset.access_level} and not readable "
                "with your roles; ask its owning agency or an admin for access"
            )

    def row_filter(self, principal: Principal, dataset: DatasetAccess) -> Filter | None:
        """The rows ``principal`` may see as a filter, ``None`` for all rows.

        A principal with several roles sees the union of what each role that
        opens the dataset sees; such a role without a rule sees every row.
        Raises ``AccessDeniedError`` when no role grants any row (a rule names
        a claim the principal lacks).
        """
        self.require_read(principal, dataset)
        if principal.is_admin or principal.belongs_to(dataset.agency):
            return None
        if not dataset.row_rules:
            return None
        granted: list[Filter] = []
        for role in sorted(self._granting_roles(principal, dataset)):
            rule = dataset.row_rules.get(role)
            if rule is None:
                return None
            bound = bind_filter(rule, principal)
            if bound is not None:
                granted.append(bound)
        if not granted:
            raise AccessDeniedError(
                f"no rows of dataset {dataset.key!r} are visible with your roles "
                "and claims"
            )
        return granted[0] if len(granted) == 1 else Or(tuple(granted))

    def _granting_roles(
        self, principal: Principal, dataset: DatasetAccess
    ) -> frozenset[str]:
        # Only the roles that open the dataset count: the implicit public role
        # must not widen a terbatas dataset's rows.
        if dataset.access_level == "terbuka":
            return principal.roles
        return principal.roles & dataset.roles

    def sees_personal(self, principal: Principal, dataset: DatasetAccess) -> bool:
        """Whether personal columns of ``dataset`` reach ``principal`` unmasked."""
        if principal.is_admin or principal.belongs_to(dataset.agency):
            return True
        return bool(principal.roles & dataset.personal_roles)

    def is_masked(
        self, principal: Principal, dataset: DatasetAccess, column: str
    ) -> bool:
        """Whether ``column`` of ``dataset`` is masked for ``principal``."""
        if dataset.personal_kind(column) is None:
            return False
        return not self.sees_personal(principal, dataset)

    def mask(
        self, principal: Principal, dataset: DatasetAccess, column: str, value: Any
    ) -> Any:
        """``value`` of ``column`` as ``principal`` may see it."""
        kind = dataset.personal_kind(column)
        if kind is None or self.sees_personal(principal, dataset):
            return value
        return mask_value(kind, value)

    def mask_row(self, principal: Principal, dataset: DatasetAccess, row: Row) -> Row:
        """A copy of ``row`` with every personal column masked as needed."""
        if self.sees_personal(principal, dataset):
            return row
        return {
            name: self.mask(principal, dataset, name, value)
            for name, value in row.items()
        }

    def require_usable(
        self,
        principal: Principal,
        dataset: DatasetAccess,
        columns: Iterable[str],
        purpose: str,
    ) -> None:
        """Refuse filtering, sorting or grouping by a column masked for ``principal``.

        Filtering by a masked NIK would let a caller test guesses of it, so a
        masked column may appear in results but never in a condition.
        """
        masked = sorted(
            {name for name in columns if self.is_masked(principal, dataset, name)}
        )
        if masked:
            raise AccessDeniedError(
                f"{purpose} by {', '.join(masked)} of dataset {dataset.key!r} is not "
                "allowed: these columns hold personal data you may not see"
            )

    def visible_datasets(
        self, principal: Principal, datasets: Iterable[DatasetAccess]
    ) -> list[DatasetAccess]:
        """The datasets ``principal`` may read, in the given order."""
        return [ds for ds in datasets if self.can_read(principal, ds)]


def bind_filter(rule: Filter, principal: Principal) -> Filter | None:
    """``rule`` with ``$name`` values taken from ``principal``; ``None`` if one lacks."""
    if isinstance(rule, Condition):
        value = _bind_value(rule.value, principal)
        return None if value is _MISSING else replace(rule, value=value)
    if isinstance(rule, Not):
        inner = bind_filter(rule.item, principal)
        return None if inner is None else Not(inner)
    items = [bind_filter(item, principal) for item in rule.items]
    if any(item is None for item in items):
        return None
    bound = tuple(item for item in items if item is not None)
    return And(bound) if isinstance(rule, And) else Or(bound)


_MISSING = object()


def _bind_value(value: Any, principal: Principal) -> Any:
    if isinstance(value, list | tuple):
        bound = [_bind_value(item, principal) for item in value]
        return _MISSING if _MISSING in bound else type(value)(bound)
    if not isinstance(value, str) or not value.startswith("$"):
        return value
    name = value[1:]
    if name == "agency":
        return principal.agency if principal.agency else _MISSING
    if name == "subject":
        return principal.subject
    return principal.attributes.get(name, _MISSING)


def combine_filters(*filters: Filter | None) -> Filter | None:
    """The conjunction of the given filters, ignoring ``None``."""
    present = tuple(item for item in filters if item is not None)
    if not present:
        return None
    return present[0] if len(present) == 1 else And(present)


def filter_columns(item: Filter | None) -> set[str]:
    """Every column a filter refers to."""
    if item is None:
        return set()
    if isinstance(item, Condition):
        return {item.column}
    if isinstance(item, Not):
        return filter_columns(item.item)
    return set().union(*(filter_columns(child) for child in item.items))
