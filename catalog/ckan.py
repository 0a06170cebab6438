"""The catalog as CKAN API 3 packages, for CKAN harvesters and clients.

Only the read actions are served: ``package_list``, ``package_show`` and
``package_search``. Datasets of access level ``tertutup`` are not listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog.dcat import PUBLIC_ACCESS
from catalog.search import DatasetEntry, ckan_name

MAX_ROWS = 1000


def public(entries: Sequence[DatasetEntry]) -> list[DatasetEntry]:
    return [entry for entry in entries if entry.dataset.access_level in PUBLIC_ACCESS]


def build_package(entry: DatasetEntry, base_url: str) -> dict[str, Any]:
    """A CKAN package dict of one dataset, its columns as a resource's fields."""
    dataset = entry.dataset
    base = base_url.rstrip("/")
    name = ckan_name(entry)
    return {
        "id": str(dataset.id),
        "name": name,
        "title": dataset.title or dataset.name,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "license_id": dataset.licence or "",
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": dataset.updated_at.isoformat(),
        "version": str(dataset.version),
        "owner_org": entry.agency.slug if entry.agency else None,
        "organization": _organization(entry),
        "tags": [{"name": str(keyword)} for keyword in dataset.keywords or []],
        "num_tags": len(dataset.keywords or []),
        "extras": _extras(entry),
        "num_resources": 1,
        "resources": [
            {
                "id": f"{dataset.id}-graphql",
                "package_id": str(dataset.id),
                "name": f"{dataset.title or dataset.name} (GraphQL)",
                "url": f"{base}/graphql",
                "format": "GraphQL",
                "description": "Query the rows with filters, sorting, paging and aggregates.",
                "fields": [
                    {
                        "id": c.name,
                        "type": c.data_type,
                        "info": {
                            "notes": c.description,
                            "unit": c.unit,
                            "code_kind": c.code_kind,
                        },
                    }
                    for c in dataset.columns
                ],
            }
        ],
        "url": f"{base}/api/3/action/package_show?id={name}",
    }


def _organization(entry: DatasetEntry) -> dict[str, Any] | None:
    if entry.agency is None:
        return None
    return {
        "id": entry.agency.slug,
        "name": entry.agency.slug,
        "title": entry.agency.name,
        "type": "organization",
    }


def _extras(entry: DatasetEntry) -> list[dict[str, str]]:
    dataset = entry.dataset
    values = {
        "walidata": dataset.walidata,
        "sector": dataset.sector,
        "frequency": dataset.frequency,
        "period": dataset.period,
        "access_level": dataset.access_level,
        "row_count": None if dataset.row_count is None else str(dataset.row_count),
        "source": entry.source.name,
    }
    return [{"key": key, "value": value} for key, value in values.items() if value]


def search_packages(
    entries: Sequence[DatasetEntry], q: str, fq: str, rows: int, start: int
) -> tuple[int, list[DatasetEntry]]:
    """CKAN ``package_search`` over the public datasets: free text ``q`` and
    ``fq`` terms ``organization:<slug>``, ``tags:<tag>``, ``res_format:<f>``."""
    found = [
        entry
        for entry in public(entries)
        if _matches_text(entry, q) and _matches_filters(entry, fq)
    ]
    bounded = max(0, min(rows, MAX_ROWS))
    return len(found), found[start : start + bounded]


def _matches_text(entry: DatasetEntry, q: str) -> bool:
    words = [word for word in q.lower().replace("*:*", "").split() if word]
    dataset = entry.dataset
    text = " ".join(
        [
            dataset.name,
            dataset.title,
            dataset.description,
            *map(str, dataset.keywords or []),
        ]
    ).lower()
    return all(word in text for word in words)


def _matches_filters(entry: DatasetEntry, fq: str) -> bool:
    for term in fq.split():
        field, _, value = term.partition(":")
        value = value.strip('"')
        if field == "organization" and (
            entry.agency is None or entry.agency.slug != value
        ):
            return False
        if field == "tags" and value not in map(str, entry.dataset.keywords or []):
            return False
    return True
