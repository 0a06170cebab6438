"""``bigone ingest market`` and ``bigone ingest prices``: Big Market's inputs."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from app.cli import configure_logging, ingest, load_settings
from app.market_setup import create_region_resolver, load_config_profiles
from app.services import create_embedder, create_graph_store
from app.settings import Settings
from connectors.base import ConnectorError
from connectors.commodity_prices import ingest_commodity_prices
from connectors.market import MarketConnector
from connectors.market_files import parse_time
from connectors.market_ingest import normalise_marketplace
from connectors.market_profiles import MARKETPLACES
from graph.base import GraphError
from linking.errors import LinkingError
from linking.products import ProductLinker
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async


def _parse_observed_at(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as error:
        raise click.BadParameter(
            f"{value!r} is not a time; give ISO 8601 such as 2025-09-13T10:00+07:00"
        ) from error


@ingest.command("market")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--marketplace",
    required=True,
    help=f"The marketplace the export is from ({', '.join(MARKETPLACES)} or any name).",
)
@click.option(
    "--observed-at",
    callback=_parse_observed_at,
    help="When the snapshot was taken; else from the data or the file name.",
)
@click.option(
    "--profile", default=None, help="Column profile; default the marketplace's."
)
@click.option(
    "--regions",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Kemendagri wilayah.sql to resolve shop locations (BIGONE_REGION_CODES_FILE).",
)
@click.option("--skip-products", is_flag=True, help="Do not re-link products after.")
@click.pass_context
def ingest_market(
    ctx: click.Context,
    path: Path,
    marketplace: str,
    observed_at: datetime | None,
    profile: str | None,
    regions: Path | None,
    skip_products: bool,
) -> None:
    """Take a marketplace export (CSV, JSON, JSONL) in as one snapshot; idempotent."""
    settings = load_settings(config=ctx.obj["config"], region_codes_file=regions)
    configure_logging(settings.log_level)
    try:
        summary = asyncio.run(
            _ingest_market(
                settings, path, marketplace, observed_at, profile, skip_products
            )
        )
    except (ConnectorError, GraphError, LinkingError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(summary, indent=2, default=str, ensure_ascii=False))


async def _ingest_market(
    settings: Settings,
    path: Path,
    marketplace: str,
    observed_at: datetime | None,
    profile: str | None,
    skip_products: bool,
) -> dict[str, Any]:
    await upgrade_store_async(settings.effective_store_url)
    engine = create_store_engine(settings.effective_store_url)
    sessions = create_session_factory(engine)
    try:
        connector = MarketConnector(
            f"market:{normalise_marketplace(marketplace)}",
            sessions,
            marketplace=marketplace,
            profiles=load_config_profiles(settings.config),
            regions=create_region_resolver(settings.region_codes_file),
        )
        result = await connector.ingest(path, observed_at=observed_at, profile=profile)
        summary: dict[str, Any] = {
            "status": result.status,
            "run_id": result.run_id,
            "snapshot_id": result.snapshot_id,
            "observed_at": result.observed_at.isoformat(),
            "listings": result.listings,
            "new_listings": result.new_listings,
            "duplicate_rows": result.duplicate_rows,
            "conflicting_duplicates": len(result.conflicts),
            "unresolved_locations": dict(result.unresolved_locations),
        }
        if result.status == "succeeded" and not skip_products:
            summary["products"] = await _link_products(settings, engine, sessions)
        return summary
    finally:
        await engine.dispose()


async def _link_products(
    settings: Settings, engine: Any, sessions: Any
) -> dict[str, int]:
    graph = create_graph_store(settings, engine)
    embedder = create_embedder(settings)
    try:
        await graph.start()
        result = await ProductLinker(sessions, graph, embedder).link_products()
    finally:
        embedder.close()
        await graph.close()
    return {
        "listings": result.listings,
        "products": result.products,
        "shops": result.shops,
        "sold_by_edges": result.sold_by_edges,
    }


@ingest.command("prices")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--region", required=True, help="Kemendagri code of the region, e.g. 32.73."
)
@click.option("--source", default="badan_pangan", show_default=True)
@click.pass_context
def ingest_prices(ctx: click.Context, path: Path, region: str, source: str) -> None:
    """Take a daily commodity price file (Badan Pangan Nasional format) in; idempotent."""
    settings = load_settings(config=ctx.obj["config"])
    configure_logging(settings.log_level)
    try:
        result = asyncio.run(_ingest_prices(settings, path, region, source))
    except ConnectorError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(result, indent=2))


async def _ingest_prices(
    settings: Settings, path: Path, region: str, source: str
) -> dict[str, Any]:
    await upgrade_store_async(settings.effective_store_url)
    engine = create_store_engine(settings.effective_store_url)
    try:
        result = await ingest_commodity_prices(
            create_session_factory(engine), path, region_code=region, source=source
        )
    finally:
        await engine.dispose()
    return {
        "status": result.status,
        "run_id": result.run_id,
        "rows": result.rows,
        "without_price": result.without_price,
        "commodities": result.commodities,
    }
