"""From connector rows to link records: one ``RecordMapping`` per linked dataset.

This is where every source kind meets linking: whatever the connector (SQL
databases, files, region codes, posts, listings), its rows arrive through
``Connector.stream`` and a mapping names the columns that hold the key, the
name and the compared fields.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.base import Connector, Row
from linking.errors import LinkingError
from linking.records import ENTITY_KINDS, LinkRecord

Transform = Callable[[Any], str | None]
FIELDS = (
    "description", "identifier", "region_code", "phone", "postal_code", "date",
    "category",
)  # fmt: skip


@dataclass(frozen=True)
class RecordMapping:
    """Which columns of ``source``/``dataset`` describe an entity of ``kind``.

    ``columns`` maps a ``LinkRecord`` field (``description``, ``identifier``,
    ``region_code``, ``phone``, ``postal_code``, ``date``, ``category``) to a
    column; ``address_columns`` are joined with commas; ``transforms`` rewrite a
    field's raw value (e.g. a BPS regency code into a Kemendagri one);
    ``constants`` set a field for every row (e.g. ``category="desa"``).
    """

    source: str
    dataset: str
    kind: str
    key_columns: tuple[str, ...]
    name_column: str
    columns: Mapping[str, str] = field(default_factory=dict)
    address_columns: tuple[str, ...] = ()
    transforms: Mapping[str, Transform] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in ENTITY_KINDS:
            raise LinkingError(
                f"mapping {self.source}/{self.dataset}: kind {self.kind!r} is not one "
                f"of {', '.join(ENTITY_KINDS)}"
            )
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise LinkingError(
                f"mapping {self.source}/{self.dataset}: unknown fields {unknown}; "
                f"known: {', '.join(FIELDS)}"
            )

    @property
    def needed_columns(self) -> set[str]:
        return {
            *self.key_columns,
            self.name_column,
            *self.columns.values(),
            *self.address_columns,
        }


def to_link_record(row: Row, mapping: RecordMapping, *, line: int) -> LinkRecord | None:
    """The link record of one row, or ``None`` when the row has no name.

    Raises ``LinkingError`` naming the dataset, row number and column when a
    needed column is missing or a key part is empty.
    """
    missing = sorted(mapping.needed_columns - set(row))
    if missing:
        raise LinkingError(
            f"{mapping.source}/{mapping.dataset} row {line}: columns {missing} are "
            f"missing; the row has {sorted(row)}"
        )
    key = tuple(_text(row[column]) for column in mapping.key_columns)
    if not all(key):
        raise LinkingError(
            f"{mapping.source}/{mapping.dataset} row {line}: empty key "
            f"{dict(zip(mapping.key_columns, key, strict=True))}"
        )
    name = _text(row[mapping.name_column])
    if not name:
        return None
    values = {name_: _value(row, mapping, name_) for name_ in FIELDS}
    address = ", ".join(
        text for column in mapping.address_columns if (text := _text(row[column]))
    )
    return LinkRecord(
        source=mapping.source,
        dataset=mapping.dataset,
        key=key,
        kind=mapping.kind,
        name=name,
        address=address or None,
        description=values["description"] or "",
        identifier=values["identifier"],
        region_code=values["region_code"],
        phone=values["phone"],
        postal_code=values["postal_code"],
        date=values["date"],
        category=values["category"],
    )


def _value(row: Row, mapping: RecordMapping, field_name: str) -> str | None:
    if field_name in mapping.constants:
        return mapping.constants[field_name]
    column = mapping.columns.get(field_name)
    if column is None:
        return None
    raw = row[column]
    transform = mapping.transforms.get(field_name)
    return transform(raw) if transform else (_text(raw) or None)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


async def stream_link_records(
    connector: Connector, mapping: RecordMapping, *, batch_size: int = 1000
) -> AsyncIterator[list[LinkRecord]]:
    """Link records of every row of the mapped dataset, in batches.

    Raises ``LinkingError`` for a bad row and ``ConnectorError`` from the source.
    """
    line = 0
    async for rows in connector.stream(mapping.dataset, batch_size=batch_size):
        batch = []
        for row in rows:
            line += 1
            record = to_link_record(row, mapping, line=line)
            if record is not None:
                batch.append(record)
        yield batch


async def collect_link_records(
    connectors: Mapping[str, Connector], mappings: Sequence[RecordMapping]
) -> list[LinkRecord]:
    """Every mapped dataset's records; raises ``LinkingError`` for an unknown source."""
    records: list[LinkRecord] = []
    for mapping in mappings:
        connector = connectors.get(mapping.source)
        if connector is None:
            raise LinkingError(
                f"mapping {mapping.source}/{mapping.dataset} names source "
                f"{mapping.source!r}, which is not configured; configured: "
                f"{', '.join(sorted(connectors)) or 'none'}"
            )
        async for batch in stream_link_records(connector, mapping):
            records.extend(batch)
    return records
