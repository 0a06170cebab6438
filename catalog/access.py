"""Which connector answers for a catalog dataset, and under which dataset name."""

from __future__ import annotations

from catalog.search import DatasetEntry
from connectors.base import Connector, DatasetInfo, UnknownDatasetError
from connectors.file import FileConnector, dataset_name_of
from connectors.registry import SourceRegistry

FILES_SOURCE = "files"


def find_connector(
    registry: SourceRegistry, entry: DatasetEntry
) -> tuple[Connector, str]:
    """The connector and dataset name serving ``entry``.

    Raises ``UnknownDatasetError`` when its source is not running.
    """
    if entry.table_name is not None:
        return registry.get(FILES_SOURCE), dataset_name_of(entry.table_name)
    return registry.get(entry.source.name), entry.dataset.name


async def describe_entry(
    registry: SourceRegistry, entry: DatasetEntry
) -> tuple[Connector, DatasetInfo]:
    """The connector and current description of a catalog dataset.

    File datasets are described from the store, so a file ingested after the
    server started is profiled as it is now.
    """
    connector, name = find_connector(registry, entry)
    if isinstance(connector, FileConnector):
        return connector, await connector.describe_dataset(name)
    source = registry.find_entry(entry.source.name)
    for info in source.datasets if source else []:
        if info.name == name:
            return connector, info
    raise UnknownDatasetError(f"source {entry.source.name!r} has no dataset {name!r}")
