"""The access metadata of every catalogued dataset, read from the store's catalog.

The catalog says each dataset's access level, owning agency and personal
columns; the optional policy rules (a mapping the app reads from a YAML file)
add the roles of ``terbatas`` datasets, row rules and who sees personal data.
A dataset the catalog does not know gets the configured default level, so an
unregistered table is never public by accident. The exceptions are the stores
of published content, ``social.posts`` (posts and articles, private authors
already pseudonymised) and ``market.listings`` (public marketplace listings):
terbuka unless the catalog holds them or the policy rules give them another
``access_level``. A private author's pseudonym and the free text of a post are
personal data of ``social.posts`` (UU PDP counts pseudonymised data as
personal), so they are masked for roles without ``personal_roles`` there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast, get_args

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from catalog.access import FILES_SOURCE
from connectors.base import And, Condition, Filter, Not, Or
from connectors.file_tables import TABLE_PREFIX, table_name_for
from security.masking import classify_personal_column
from security.policy import AccessLevel, ColumnAccess, DatasetAccess
from store.catalog import Dataset, Source

OPERATORS = frozenset(
    {"eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "contains",
     "starts_with", "is_null"}
)  # fmt: skip


ACCESS_LEVELS: tuple[str, ...] = get_args(AccessLevel)
SOCIAL_POSTS = "social.posts"
MARKET_LISTINGS = "market.listings"
PUBLISHED_DATASETS: Mapping[str, DatasetAccess] = {
    SOCIAL_POSTS: DatasetAccess(
        key=SOCIAL_POSTS,
        columns={
            name: ColumnAccess(name, "other") for name in ("author", "title", "text")
        },
    ),
    MARKET_LISTINGS: DatasetAccess(key=MARKET_LISTINGS),
}


class PolicyRulesError(ValueError):
    """Raised when the policy rules mapping is malformed; names the dataset and key."""


@dataclass(frozen=True)
class DatasetRules:
    roles: frozenset[str] | None = None
    # Only for datasets the catalog lacks: a catalogued dataset's level is the catalog's.
    access_level: AccessLevel | None = None
    personal_roles: frozenset[str] = frozenset()
    row_rules: Mapping[str, Filter] = field(default_factory=dict)


def dataset_key(source: str, dataset: str) -> str:
    """The qualified name that identifies a dataset across sources."""
    return f"{source}.{dataset}"


class AccessIndex:
    """An immutable snapshot of dataset access metadata. Safe to share."""

    def __init__(
        self,
        datasets: Mapping[str, DatasetAccess],
        *,
        default_level: AccessLevel = "tertutup",
        rules: Mapping[str, DatasetRules] | None = None,
    ) -> None:
        self._datasets = dict(datasets)
        self._default_level = default_level
        self._rules = dict(rules or {})
        self._by_id = {ds.id: ds for ds in self._datasets.values() if ds.id is not None}

    def get(self, source: str, dataset: str) -> DatasetAccess:
        """The metadata of ``source.dataset``; the default level when uncatalogued."""
        return self.get_key(dataset_key(source, dataset))

    def get_key(self, key: str) -> DatasetAccess:
        found = self._datasets.get(key)
        if found is not None:
            return found
        published = PUBLISHED_DATASETS.get(key)
        if published is None:
            published = DatasetAccess(key=key, access_level=self._default_level)
        rules = self._rules.get(key)
        if rules is not None and rules.access_level is not None:
            published = replace(published, access_level=rules.access_level)
        return apply_rules(published, rules)

    def find_id(self, dataset_id: int) -> DatasetAccess | None:
        """The catalogued dataset with this id, or ``None``."""
        return self._by_id.get(dataset_id)

    def __iter__(self) -> Iterator[DatasetAccess]:
        return iter(self._datasets.values())

    def __len__(self) -> int:
        return len(self._datasets)


def apply_rules(access: DatasetAccess, rules: DatasetRules | None) -> DatasetAccess:
    if rules is None:
        return access
    return replace(
        access,
        roles=rules.roles if rules.roles is not None else access.roles,
        personal_roles=rules.personal_roles,
        row_rules=rules.row_rules,
    )


async def load_access_index(
    sessions: async_sessionmaker[AsyncSession],
    *,
    rules: Mapping[str, DatasetRules] | None = None,
    default_level: AccessLevel = "tertutup",
) -> AccessIndex:
    """Read every dataset of the catalog (one statement per table) into an index."""
    statement = select(Dataset).options(
        selectinload(Dataset.columns),
        selectinload(Dataset.source).selectinload(Source.agency),
    )
    async with sessions() as session:
        datasets = list(await session.scalars(statement))
    rules = rules or {}
    entries: dict[str, DatasetAccess] = {}
    for dataset in datasets:
        access = _access_of(dataset)
        entries[access.key] = apply_rules(access, rules.get(access.key))
        alias = _file_connector_key(dataset)
        if alias is not None:
            entries[alias] = apply_rules(replace(access, key=alias), rules.get(alias))
    return AccessIndex(entries, default_level=default_level, rules=rules)


def _file_connector_key(dataset: Dataset) -> str | None:
    """The key under which the built-in file source serves an ingested file dataset.

    Ingestion catalogs a file as ``files:<agency>`` / ``<name>``, while the file
    connector serves every agency's files as one source ``files`` whose datasets
    are named after their ``ds_*`` tables; both names must find the same access.
    """
    if dataset.source.kind != "file":
        return None
    agency = dataset.source.name.partition(":")[2] or (
        dataset.source.agency.slug if dataset.source.agency else ""
    )
    table = table_name_for(agency, dataset.name)
    return dataset_key(FILES_SOURCE, table.removeprefix(TABLE_PREFIX))


def _access_of(dataset: Dataset) -> DatasetAccess:
    columns = {
        column.name: ColumnAccess(
            column.name,
            (classify_personal_column(column.name, column.code_kind) or "other")
            if column.is_personal
            else None,
        )
        for column in dataset.columns
    }
    agency = dataset.source.agency
    return DatasetAccess(
        key=dataset_key(dataset.source.name, dataset.name),
        access_level=cast(AccessLevel, dataset.access_level),
        agency=agency.slug if agency else None,
        columns=columns,
        id=dataset.id,
    )


class AccessIndexCache:
    """Reloads the index at most every ``ttl`` seconds; one reload at a time.

    Catalog writers call ``invalidate`` so that a changed access level applies
    at the next request, not after the TTL.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        rules: Mapping[str, DatasetRules] | None = None,
        default_level: AccessLevel = "tertutup",
        ttl: float = 30.0,
    ) -> None:
        self._sessions = sessions
        self._rules = rules
        self._default_level = default_level
        self._ttl = ttl
        self._index: AccessIndex | None = None
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> AccessIndex:
        if self._index is not None and not self._stale():
            return self._index
        async with self._lock:
            if self._index is None or self._stale():
                self._index = await load_access_index(
                    self._sessions, rules=self._rules, default_level=self._default_level
                )
                self._loaded_at = time.monotonic()
        return self._index

    def invalidate(self) -> None:
        self._loaded_at = 0.0

    def _stale(self) -> bool:
        return time.monotonic() - self._loaded_at > self._ttl


def parse_rules(document: Mapping[str, Any]) -> dict[str, DatasetRules]:
    """Policy rules from ``{"datasets": {key: {roles, personal_roles, row_rules}}}``."""
    datasets = document.get("datasets") or {}
    if not isinstance(datasets, Mapping):
        raise PolicyRulesError("policy rules: 'datasets' must be a mapping of keys")
    return {
        str(key): _parse_dataset(str(key), body or {}) for key, body in datasets.items()
    }


def _parse_dataset(key: str, body: Mapping[str, Any]) -> DatasetRules:
    unknown = set(body) - {"roles", "personal_roles", "row_rules", "access_level"}
    if unknown:
        raise PolicyRulesError(
            f"policy rules for {key!r}: unknown keys {sorted(unknown)}"
        )
    roles = body.get("roles")
    level = body.get("access_level")
    if level is not None and level not in ACCESS_LEVELS:
        raise PolicyRulesError(
            f"policy rules for {key!r}: access_level must be one of "
            f"{', '.join(ACCESS_LEVELS)}, got {level!r}"
        )
    row_rules = {
        str(role): parse_filter(rule, f"{key}.row_rules.{role}")
        for role, rule in (body.get("row_rules") or {}).items()
    }
    return DatasetRules(
        roles=frozenset(roles) if roles is not None else None,
        access_level=cast(AccessLevel, level),
        personal_roles=frozenset(body.get("personal_roles") or ()),
        row_rules=row_rules,
    )


def parse_filter(raw: Any, where: str) -> Filter:
    """A filter from ``{column, op, value}``, ``{and: [...]}``, ``{or: [...]}``, ``{not: ...}``."""
    if not isinstance(raw, Mapping):
        raise PolicyRulesError(f"{where}: expected a mapping, got {raw!r}")
    if "and" in raw or "or" in raw:
        name = "and" if "and" in raw else "or"
        items = tuple(
            parse_filter(item, f"{where}.{name}[{i}]")
            for i, item in enumerate(raw[name])
        )
        return And(items) if name == "and" else Or(items)
    if "not" in raw:
        return Not(parse_filter(raw["not"], f"{where}.not"))
    op = raw.get("op", "eq")
    if "column" not in raw or op not in OPERATORS:
        raise PolicyRulesError(
            f"{where}: a condition needs 'column' and an 'op' among "
            f"{', '.join(sorted(OPERATORS))}; got {dict(raw)!r}"
        )
    return Condition(str(raw["column"]), op, raw.get("value"))
