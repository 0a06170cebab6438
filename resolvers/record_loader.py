"""A per-request dataloader of source records, batched per (source, dataset).

Linked records are never copied into the graph: each is read live from its
source, through the request's access policy like every other read path (row
rules applied, personal columns masked). All keys of one (source, dataset)
asked for while resolving one request become one ``load_by_keys`` call.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from strawberry.dataloader import DataLoader

from connectors.base import Connector, ConnectorError, DatasetInfo, Row
from resolvers.context import RequestContext, Services
from security.errors import SecurityError
from security.secured_connector import SecuredConnector

RecordKey = tuple[str, str, tuple[str, ...]]  # (source, dataset, key values)
LOADER_NAME = "linked_records"
SOURCES_EXTRA = "sources"  # the source registry of [B2]: anything with .get(name)
CONNECTORS_EXTRA = "connectors"  # or a plain mapping name -> Connector
Secure = Callable[[Connector], Awaitable[SecuredConnector]]


class ConnectorLookup(Protocol):
    def get(self, name: str) -> Connector | None: ...


@dataclass(frozen=True)
class LoadedRecord:
    """The row of a linked record, or why it could not be read."""

    row: Row | None
    error: str | None = None


def find_connector(services: Services, source: str) -> Connector | None:
    """The connector of ``source`` from the registry in ``services.extras``."""
    for name in (SOURCES_EXTRA, CONNECTORS_EXTRA):
        lookup: ConnectorLookup | None = services.extras.get(name)
        if lookup is None:
            continue
        try:
            connector = lookup.get(source)
        except ConnectorError:
            connector = None
        if connector is not None:
            return connector
    return None


def get_record_loader(context: RequestContext) -> DataLoader[RecordKey, LoadedRecord]:
    """The request's record loader, created on first use."""
    loader: DataLoader[RecordKey, LoadedRecord] | None = context.loaders.get(
        LOADER_NAME
    )
    if loader is None:
        services = context.services
        secure = context.secure if services.security is not None else None

        async def load(keys: list[RecordKey]) -> list[LoadedRecord]:
            return await load_records(services, keys, secure)

        loader = DataLoader(load_fn=load)
        context.loaders[LOADER_NAME] = loader
    return loader


async def load_records(
    services: Services, keys: Sequence[RecordKey], secure: Secure | None = None
) -> list[LoadedRecord]:
    """One result per key, in key order; one source call per (source, dataset).

    With ``secure`` every source is read as the request's principal may see
    it; without, as stored (servers without security services, tools).
    """
    groups: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    for source, dataset, key in keys:
        groups[(source, dataset)].append(key)
    loaded = await asyncio.gather(
        *(_load_group(services, s, d, k, secure) for (s, d), k in groups.items())
    )
    found: dict[RecordKey, LoadedRecord] = {}
    for ((source, dataset), group_keys), results in zip(
        groups.items(), loaded, strict=True
    ):
        for key, result in zip(group_keys, results, strict=True):
            found[(source, dataset, key)] = result
    return [found[key] for key in keys]


async def _load_group(
    services: Services,
    source: str,
    dataset: str,
    keys: list[tuple[str, ...]],
    secure: Secure | None,
) -> list[LoadedRecord]:
    connector = find_connector(services, source)
    if connector is None:
        return [LoadedRecord(None, f"source {source!r} is not configured")] * len(keys)
    try:
        info = await _describe(connector, dataset)
        typed = [_typed_key(info, key) for key in keys]
        reader = await secure(connector) if secure is not None else None
        if reader is not None:
            rows = await reader.load_by_keys(dataset, info.key, typed)
            missing = _missing_reason(reader, dataset)
        else:
            rows = await connector.load_by_keys(dataset, info.key, typed)
            missing = "no longer in the source"
    except (ConnectorError, SecurityError) as error:
        return [LoadedRecord(None, str(error))] * len(keys)
    except ValueError as error:
        # A stored key that no longer fits the column type (the source changed).
        return [LoadedRecord(None, f"the record key does not fit: {error}")] * len(keys)
    return [
        LoadedRecord(found[0]) if found else LoadedRecord(None, missing)
        for found in rows
    ]


def _missing_reason(reader: SecuredConnector, dataset: str) -> str:
    if reader.has_row_filter(dataset):
        return (
            "no longer in the source, or outside the rows of "
            f"{reader.name}.{dataset} that your roles may see"
        )
    return "no longer in the source"


async def _describe(connector: Connector, dataset: str) -> DatasetInfo:
    for info in await connector.describe():
        if info.name == dataset:
            if not info.key:
                raise ConnectorError(
                    f"dataset {dataset!r} has no key columns, so its records "
                    "cannot be read back",
                    source=connector.name,
                )
            return info
    raise ConnectorError(
        f"the source has no dataset {dataset!r}", source=connector.name
    )


def _typed_key(info: DatasetInfo, key: tuple[str, ...]) -> tuple[Any, ...]:
    """Key parts as the column types want them (record ids hold text)."""
    converters: Mapping[str, Any] = {
        "integer": int,
        "bigint": int,
        "float": float,
        "decimal": float,
    }
    values = []
    for column, value in zip(info.key, key, strict=True):
        convert = converters.get(info.column(column).data_type)
        values.append(convert(value) if convert else value)
    return tuple(values)
