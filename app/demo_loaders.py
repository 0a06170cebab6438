"""Loading the demo feeds through each domain's own ingestion."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from analytics import ModelNotTrainedError
from analytics.sentiment import save_sentiment_model, train_sentiment_model
from app.demo_data import DemoData
from app.demo_feeds import (
    generate_posts,
    write_agency_files,
    write_commodity_prices,
    write_market_snapshots,
    write_region_dump,
)
from app.market_setup import load_config_profiles
from app.settings import Settings
from app.social_setup import SOCIAL_SERVICE, sentiment_model_path
from connectors.base import Connector
from connectors.commodity_prices import ingest_commodity_prices
from connectors.file import FileConnector
from connectors.file_ingest import FileOptions, ingest_path
from connectors.market import MarketConnector
from connectors.regency_names import Regency, RegencyNameResolver
from connectors.regions import load_regions
from linking.dataset_places import link_dataset_places, load_region_matcher
from linking.engine import EngineConfig
from linking.pipeline import LinkingPipeline
from linking.places import PlaceInput, upsert_places
from linking.products import ProductLinker
from linking.sources import RecordMapping, collect_link_records
from resolvers.context import Services

logger = logging.getLogger(__name__)

SMSA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "indonlu-smsa"

# Enough of the Kemendagri list to tell the regency from its namesake city
# and its neighbour; the demo's shops are in one of these.
DEMO_REGENCIES = [
    Regency("33.28", "Kabupaten Tegal", "kabupaten"),
    Regency("33.76", "Kota Tegal", "kota"),
    Regency("33.29", "Kabupaten Brebes", "kabupaten"),
]


async def load_demo_feeds(
    settings: Settings, services: Services, data: DemoData
) -> dict[str, Any]:
    """Posts, marketplace snapshots and commodity prices; idempotent."""
    feeds = settings.data_dir / "feeds"
    counts = await _load_regions(services, feeds)
    counts |= await _load_agency_files(services, data, feeds)
    counts |= await _link_businesses(services)
    counts |= await _load_market(settings, services, data, feeds)
    counts |= await _load_prices(services, feeds, settings.regency_code or "33.28")
    counts |= await _load_posts(settings, services, data)
    return counts


async def _load_posts(
    settings: Settings, services: Services, data: DemoData
) -> dict[str, Any]:
    if not _ensure_sentiment_model(settings):
        return {"posts": 0}
    report = await services.extras[SOCIAL_SERVICE].ingest(
        generate_posts(data),
        kind="social",
        input_name="demo-posts",
        input_checksum=None,
    )
    return {"posts": report.counts()}


def _ensure_sentiment_model(settings: Settings) -> bool:
    """Train the sentiment model from IndoNLU SmSA when the data folder has none."""
    path = sentiment_model_path(settings)
    if path.exists():
        return True
    if not SMSA_DIR.is_dir():
        logger.warning("demo.posts_skipped reason=no_smsa_data path=%s", SMSA_DIR)
        return False
    try:
        save_sentiment_model(train_sentiment_model(SMSA_DIR), path)
    except ModelNotTrainedError as error:
        logger.warning("demo.posts_skipped reason=%s", error)
        return False
    return True


async def _load_market(
    settings: Settings, services: Services, data: DemoData, feeds: Path
) -> dict[str, Any]:
    connector = MarketConnector(
        "market:tokopedia",
        services.sessions,
        marketplace="tokopedia",
        profiles=load_config_profiles(settings.config),
        regions=RegencyNameResolver(DEMO_REGENCIES),
    )
    snapshots = write_market_snapshots(feeds / "market", data)
    for path, observed_at in snapshots:
        await connector.ingest(path, observed_at=observed_at)
    linked = await ProductLinker(
        services.sessions, services.graph, services.embedder
    ).link_products()
    return {"snapshots": len(snapshots), "products": linked.products}


async def _load_prices(services: Services, feeds: Path, region: str) -> dict[str, Any]:
    path = write_commodity_prices(feeds / "harga-konsumen.csv")
    result = await ingest_commodity_prices(services.sessions, path, region_code=region)
    return {"commodity_prices": result.rows}


async def _load_regions(services: Services, feeds: Path) -> dict[str, Any]:
    load = await load_regions(services.sessions, write_region_dump(feeds / "wilayah"))
    places = [
        PlaceInput(r.code, r.name, r.level, r.parent_code, r.edition, {})
        for r in load.records
        if r.edition == load.current
    ]
    await upsert_places(services.graph, places)
    return {"regions": len(places)}


async def _load_agency_files(
    services: Services, data: DemoData, feeds: Path
) -> dict[str, Any]:
    """Agency spreadsheets through file ingestion, their region columns linked."""
    matcher = await load_region_matcher(services.sessions)
    connector = FileConnector("files", services.engine)
    rows = 0
    for agency, path in write_agency_files(feeds / "opd", data).items():
        for outcome in await ingest_path(services.sessions, path, FileOptions(agency)):
            rows += outcome.rows or 0
            if matcher is not None and outcome.table_name:
                await link_dataset_places(
                    services.sessions, connector, services.graph, matcher,
                    outcome.table_name,
                )  # fmt: skip
    return {"agency_rows": rows}


# The two agency registers of businesses, linked into organisation entities.
BUSINESS_MAPPINGS = (
    RecordMapping(
        source="files",
        dataset="dinkopukm__umkm_binaan",
        kind="organisation",
        key_columns=("_row",),  # the file datasets' key, so records read back
        name_column="nama_usaha",
        columns={"phone": "telepon", "region_code": "kode_wilayah"},
    ),
    RecordMapping(
        source="files",
        dataset="disperindag__izin_usaha",
        kind="organisation",
        key_columns=("_row",),  # the file datasets' key, so records read back
        name_column="nama_usaha",
        columns={"phone": "telepon", "region_code": "kode_wilayah"},
    ),
)


async def _link_businesses(services: Services) -> dict[str, Any]:
    """Run entity linking over the agency registers; doubtful pairs go to review."""
    connectors: dict[str, Connector] = {
        "files": FileConnector("files", services.engine)
    }
    records = await collect_link_records(connectors, list(BUSINESS_MAPPINGS))
    config = EngineConfig(
        duplicate_free=frozenset(f"files/{m.dataset}" for m in BUSINESS_MAPPINGS)
    )
    pipeline = LinkingPipeline(
        services.sessions, services.graph, config=config, embedder=services.embedder
    )
    report = await pipeline.run(records)
    return {
        "linked_records": report.records,
        "business_entities": report.entities,
        "review_items": report.review_items,
    }
