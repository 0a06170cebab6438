"""Figures for file ingestion: reading (parse + type) and loading into SQLite.

Run: PYTHONPATH=. python bench/file_ingestion.py
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from connectors.file_ingest import FileOptions, ingest_file
from connectors.file_reader import read_file
from connectors.regions import read_region_inputs
from linking.region_matcher import RegionEntry, RegionMatcher
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BANDUNG = SHARED / "harga-pangan-bandung" / "harga_komoditas_konsumen_kota_bandung.csv"
FILES = [*sorted((SHARED / "opendata-jabar").glob("*.csv")), BANDUNG]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await upgrade_store_async(url)
        engine = create_store_engine(url)
        sessions = create_session_factory(engine)
        print(f"{'file':60} {'rows':>6} {'read s':>7} {'ingest s':>8} {'again s':>8}")
        for path in FILES:
            started = time.perf_counter()
            rows = len(read_file(path).tables[0].rows)
            read = time.perf_counter() - started
            started = time.perf_counter()
            await ingest_file(sessions, path, FileOptions("bench"))
            ingest = time.perf_counter() - started
            started = time.perf_counter()
            await ingest_file(sessions, path, FileOptions("bench"))
            again = time.perf_counter() - started
            print(
                f"{path.name[:60]:60} {rows:6d} {read:7.2f} {ingest:8.2f} {again:8.2f}"
            )
        await engine.dispose()
    started = time.perf_counter()
    load = read_region_inputs(SHARED / "wilayah-kemendagri")
    print(
        f"region dumps parsed: {len(load.records)} rows in {time.perf_counter() - started:.1f} s"
    )
    current = [r for r in load.records if r.edition == load.current]
    matcher = RegionMatcher(RegionEntry(r.code, r.name, r.level) for r in current)
    names = [r.name for r in current if r.level == 4][:2000]
    started = time.perf_counter()
    for name in names:
        matcher.match(name, level=4)
    elapsed = time.perf_counter() - started
    print(f"matcher: {len(names)} exact village names in {elapsed:.2f} s")
    started = time.perf_counter()
    for name in names[:50]:
        matcher.match(name + "x", level=4)
    print(f"matcher: 50 fuzzy village names in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
