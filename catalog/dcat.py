"""The catalog as DCAT (W3C Data Catalog Vocabulary) in JSON-LD, for harvesters.

Datasets of access level ``tertutup`` are left out: their existence may itself
be restricted. Each dataset is distributed through the GraphQL endpoint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog.search import DatasetEntry, ckan_name

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "bigone": "https://bigone.example/ns#",
}
PUBLIC_ACCESS = ("terbuka", "terbatas")


def build_dcat_catalog(
    entries: Sequence[DatasetEntry], base_url: str, title: str
) -> dict[str, Any]:
    """A ``dcat:Catalog`` JSON-LD document with one ``dcat:Dataset`` per public dataset."""
    base = base_url.rstrip("/")
    return {
        "@context": CONTEXT,
        "@id": f"{base}/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:language": "id",
        "dcat:dataset": [
            _dataset(entry, base)
            for entry in entries
            if entry.dataset.access_level in PUBLIC_ACCESS
        ],
    }


def _dataset(entry: DatasetEntry, base: str) -> dict[str, Any]:
    dataset = entry.dataset
    node: dict[str, Any] = {
        "@id": f"{base}/api/3/action/package_show?id={ckan_name(entry)}",
        "@type": "dcat:Dataset",
        "dct:identifier": ckan_name(entry),
        "dct:title": dataset.title or dataset.name,
        "dct:description": dataset.description,
        "dcat:keyword": list(dataset.keywords or []),
        "dct:accessRights": dataset.access_level,
        "dct:modified": {
            "@value": dataset.updated_at.isoformat(),
            "@type": "xsd:dateTime",
        },
        "bigone:version": dataset.version,
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": "GraphQL",
                "dcat:accessURL": {"@id": f"{base}/graphql"},
                "dct:format": "application/graphql-response+json",
            }
        ],
    }
    optional = {
        "dct:publisher": _publisher(entry),
        "dcat:theme": dataset.sector,
        "dct:accrualPeriodicity": dataset.frequency,
        "dct:temporal": dataset.period,
        "dct:license": dataset.licence,
        "dcat:contactPoint": dataset.walidata,
    }
    node.update({key: value for key, value in optional.items() if value})
    return node


def _publisher(entry: DatasetEntry) -> dict[str, Any] | None:
    if entry.agency is None:
        return None
    return {
        "@type": "foaf:Organization",
        "foaf:name": entry.agency.name,
        "dct:identifier": entry.agency.slug,
    }
