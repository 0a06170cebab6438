"""``bigone ingest file`` and ``bigone ingest regions``: agency files and master data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from app.cli import ingest, load_settings
from app.services import create_graph_store
from app.settings import Settings
from connectors.file import FileConnector
from connectors.file_ingest import FileOptions, IngestionOutcome, ingest_path
from connectors.file_problems import FileFormatError
from connectors.regions import RegionLoad, load_regions
from linking.dataset_places import link_dataset_places, load_region_matcher
from linking.places import ColumnLinks, PlaceInput, upsert_places
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async


@ingest.command("file")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--agency", required=True, help="Slug of the producing agency (OPD).")
@click.option("--dataset", default=None, help="Dataset name; default the file name.")
@click.option(
    "--encoding", default=None, help="Claim the encoding instead of detecting it."
)
@click.option(
    "--delimiter", default=None, help="Claim the delimiter instead of detecting it."
)
@click.pass_context
def ingest_file_command(
    ctx: click.Context,
    path: Path,
    agency: str,
    dataset: str | None,
    encoding: str | None,
    delimiter: str | None,
) -> None:
    """Ingest a CSV/TSV/XLSX/JSON/JSONL file, or a folder of them, into the store."""
    settings = load_settings(config=ctx.obj["config"])
    options = FileOptions(agency, dataset, encoding, _delimiter(delimiter))
    try:
        outcomes = asyncio.run(_ingest(settings, path, options))
    except FileFormatError as error:
        raise click.ClickException(str(error)) from error
    for outcome in outcomes:
        click.echo(_describe(outcome))
    if any(outcome.status == "failed" for outcome in outcomes):
        raise click.ClickException(
            "some files were rejected; the store keeps their previous state"
        )


def _delimiter(value: str | None) -> str | None:
    return {"tab": "\t", "\\t": "\t"}.get(value or "", value)


async def _ingest(
    settings: Settings, path: Path, options: FileOptions
) -> list[IngestionOutcome]:
    """Ingest, then link region columns to places when the regions are loaded."""
    url = settings.effective_store_url
    await upgrade_store_async(url)
    engine = create_store_engine(url)
    sessions = create_session_factory(engine)
    graph = create_graph_store(settings, engine)
    try:
        outcomes = await ingest_path(sessions, path, options)
        matcher = await load_region_matcher(sessions)
        linked = [o for o in outcomes if o.status == "succeeded" and o.table_name]
        if matcher is not None and linked:
            await graph.start()
            connector = FileConnector("files", engine)
            for outcome in linked:
                assert outcome.table_name is not None
                links = await link_dataset_places(
                    sessions, connector, graph, matcher, outcome.table_name
                )
                click.echo(_describe_links(outcome.table_name, links))
        return outcomes
    finally:
        await graph.close()
        await engine.dispose()


def _describe_links(table_name: str, links: list[ColumnLinks]) -> str:
    parts = [
        f"{link.column} ({link.code_kind}): {len(link.linked)} linked, "
        f"{len(link.ambiguous)} ambiguous, {len(link.unmatched)} unmatched"
        for link in links
    ]
    return f"  places of {table_name}: " + ("; ".join(parts) or "no region column")


def _describe(outcome: IngestionOutcome) -> str:
    if outcome.status == "failed":
        problems = "\n  ".join(problem.describe() for problem in outcome.problems)
        return f"REJECTED {outcome.file}:\n  {problems}"
    warnings = f", {len(outcome.problems)} warnings" if outcome.problems else ""
    return (
        f"{outcome.status} {outcome.file} → {outcome.table_name} "
        f"(version {outcome.version}, {outcome.rows} rows{warnings}, run {outcome.run_id})"
    )


@ingest.command("regions")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.pass_context
def ingest_regions_command(ctx: click.Context, path: Path) -> None:
    """Load Kemendagri region codes (SQL dumps) as master data and Place entities."""
    settings = load_settings(config=ctx.obj["config"])
    try:
        load, written = asyncio.run(_ingest_regions(settings, path))
    except FileFormatError as error:
        raise click.ClickException(str(error)) from error
    for edition, count in sorted(load.editions.items()):
        click.echo(f"edition {edition}: {count} regions, {load.statuses[edition]}")
    click.echo(
        f"graph: {written[0]} places, {written[1]} LOCATED_IN edges (edition {load.current})"
    )


async def _ingest_regions(
    settings: Settings, path: Path
) -> tuple[RegionLoad, tuple[int, int]]:
    url = settings.effective_store_url
    await upgrade_store_async(url)
    engine = create_store_engine(url)
    graph = create_graph_store(settings, engine)
    try:
        load = await load_regions(create_session_factory(engine), path)
        await graph.start()
        places = [
            PlaceInput(
                r.code,
                r.name,
                r.level,
                r.parent_code,
                r.edition,
                {"population_total": r.population_total, "area_km2": r.area_km2},
            )
            for r in load.records
            if r.edition == load.current
        ]
        return load, await upsert_places(graph, places)
    finally:
        await graph.close()
        await engine.dispose()
