"""Big Market timings on the real inputs, on an SQLite store in a temporary folder.

    PYTHONPATH=$PWD python bench/market_ingest.py [--products]

Prints seconds for: PRDECT-ID ingestion (5,400 rows), the same file again
(unchanged), the Bandung price series, staple alerts, top sellers and, with
``--products``, product linking (embedding every title once).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from analytics.market_service import MarketService, MarketSettings
from connectors.commodity_prices import ingest_commodity_prices
from connectors.market import MarketConnector
from connectors.regency_names import RegencyNameResolver
from graph.embedded import EmbeddedGraphStore
from linking.embedder import Embedder
from linking.products import ProductLinker
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


async def timed(label: str, work: object) -> object:
    started = time.perf_counter()
    result = await work  # type: ignore[misc]
    print(f"{label:<38} {time.perf_counter() - started:8.2f} s")
    return result


async def main(with_products: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bigone-bench-"))
    url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
    await upgrade_store_async(url)
    engine = create_store_engine(url)
    sessions = create_session_factory(engine)
    regions = RegencyNameResolver.from_file(DATA / "wilayah-kemendagri" / "wilayah.sql")
    market = MarketConnector(
        "bench", sessions, marketplace="tokopedia", regions=regions
    )
    prdect = DATA / "prdect-id" / "PRDECT-ID Dataset.csv"
    when = datetime(2022, 6, 1, tzinfo=UTC)
    service = MarketService(sessions, MarketSettings(regency_code="32.73"))

    await timed(
        "ingest PRDECT-ID (5,400 rows)", market.ingest(prdect, observed_at=when)
    )
    await timed(
        "ingest PRDECT-ID again (unchanged)", market.ingest(prdect, observed_at=when)
    )
    prices = DATA / "harga-pangan-bandung" / "harga_komoditas_konsumen_kota_bandung.csv"
    await timed(
        "ingest Bandung prices (1,625 rows)",
        ingest_commodity_prices(sessions, prices, region_code="32.73"),
    )
    await timed(
        "price alerts (10 %, 7 days)", service.list_price_alerts(service.settings.watch)
    )
    await timed("staple watch", service.list_staple_watch(service.settings.watch))
    await timed("top shops", service.list_top_sellers(by="shop"))
    if with_products:
        graph = EmbeddedGraphStore(engine)
        cold, fresh = Embedder(), Embedder()
        linker = ProductLinker(sessions, graph, cold)
        await timed("link products (encoding every title)", linker.link_products())
        # A new embedder has nothing in memory: the vectors come from the store.
        relinker = ProductLinker(sessions, graph, fresh)
        await timed("link products (vectors from the store)", relinker.link_products())
        cold.close()
        fresh.close()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main("--products" in sys.argv))
