"""Comparable fields of a record: names, keys and codes folded one way per kind.

The rows built here are the input table of blocking and of the Splink model;
the attributes taken off names (titles, degrees, legal form, outlet type) are
kept for the record's node and the evidence of its links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indonesian.addresses import parse_address, parse_place_name
from indonesian.businesses import parse_business_name
from indonesian.names import parse_person_name
from indonesian.phones import parse_phone
from indonesian.text import fold
from linking.records import LinkRecord

FEATURE_COLUMNS: tuple[str, ...] = (
    "unique_id", "origin", "kind", "name", "name_key", "name_first", "name_last",
    "name_prefix_key", "name_compact_prefix", "identifier", "date", "phone",
    "region_code", "regency_code", "address", "postal_code", "category",
)  # fmt: skip


def normalise_name(record: LinkRecord) -> tuple[str, dict[str, Any]]:
    """The comparable name of ``record`` and the attributes taken off it."""
    if record.kind == "person":
        person = parse_person_name(record.name)
        return person.name, _present(
            titles=list(person.titles),
            degrees=list(person.degrees),
            ambiguous_initials=list(person.ambiguous_initials),
        )
    if record.kind == "organisation":
        business = parse_business_name(record.name)
        return business.name, _present(
            legal_form=business.legal_form,
            outlet_type=business.outlet_type,
            listed=business.listed or None,
        )
    if record.kind == "place":
        place = parse_place_name(record.name)
        return place.name, _present(level=place.level)
    return fold(record.name), {}


def build_feature_row(record: LinkRecord) -> dict[str, Any]:
    """One input row of blocking and scoring; empty values are ``None``."""
    name, attributes = normalise_name(record)
    words = name.split()
    phone = parse_phone(record.phone) if record.phone else None
    address = parse_address(record.address).normalised if record.address else ""
    region = (record.region_code or "").strip() or None
    return {
        "unique_id": record.id,
        "origin": record.origin,
        "kind": record.kind,
        "name": name or None,
        "name_key": " ".join(sorted(words)) or None,
        "name_first": words[0] if words else None,
        "name_last": words[-1] if len(words) > 1 else None,
        "name_prefix_key": _prefix_key(words),
        "name_compact_prefix": "".join(words)[:4] or None,
        "identifier": fold(record.identifier or "").replace(" ", "") or None,
        "date": (record.date or "").strip() or None,
        "phone": phone.e164 if phone else None,
        "region_code": region,
        "regency_code": region[:5] if region and len(region) >= 5 else None,
        "address": address or None,
        "postal_code": (record.postal_code or "").strip() or None,
        "category": _category(record, attributes),
    }


def build_feature_rows(records: Sequence[LinkRecord]) -> list[dict[str, Any]]:
    """Feature rows of ``records`` in order."""
    return [build_feature_row(record) for record in records]


def embedding_text(record: LinkRecord) -> str:
    """What the embedder reads of a record: its normalised name and description."""
    name, _ = normalise_name(record)
    return f"{name}. {record.description}".strip(" .") if record.description else name


def _prefix_key(words: list[str]) -> str | None:
    """First two letters of the first and the last word, in alphabetical order.

    Order-free so that a swapped given name and surname still share the key.
    """
    if len(words) < 2:
        return words[0][:4] if words else None
    return "".join(sorted((words[0][:2], words[-1][:2])))


def _category(record: LinkRecord, attributes: dict[str, Any]) -> str | None:
    """The given category, else what the name says: a place's level, a legal form."""
    given = fold(record.category or "")
    derived = attributes.get("level") or attributes.get("legal_form")
    return given or (fold(str(derived)) if derived else None)


def _present(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value}
