"""The file connector as a built-in source of the registry."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.config import BigOneConfig, SourceConfig
from connectors.file import FileConnector
from connectors.file_ingest import FileOptions, ingest_file
from connectors.registry import SourceRegistry
from store.engine import create_session_factory


async def test_the_files_source_survives_a_reload_and_sees_new_files(
    store_engine: AsyncEngine, tmp_path: Path
) -> None:
    registry = SourceRegistry()
    connector = FileConnector("files", store_engine)
    await registry.add_builtin(SourceConfig(name="files", kind="file"), connector)
    path = tmp_path / "pasar.csv"
    path.write_text("pasar,pedagang\nPasar Slawi,120\nPasar Banjaran,80\n")
    await ingest_file(
        create_session_factory(store_engine), path, FileOptions("disperindag")
    )

    await registry.load(BigOneConfig())
    entry = await registry.refresh("files")
    batches = [
        batch async for batch in connector.stream("disperindag__pasar", batch_size=1)
    ]
    rows = await connector.load_by_keys(
        "disperindag__pasar", ["_row"], [(3,), (9,), (2,)]
    )

    assert [e.config.name for e in registry.entries] == ["files"]
    assert entry.state == "ready"
    assert [info.name for info in entry.datasets] == ["disperindag__pasar"]
    assert [[row["_row"] for row in batch] for batch in batches] == [[2], [3]]
    assert [[r["pasar"] for r in found] for found in rows] == [
        ["Pasar Banjaran"],
        [],
        ["Pasar Slawi"],
    ]
