"""``bigone ingest file`` and ``bigone ingest regions``: agency files and master data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from app.cli import ingest, load_settings
from connectors.file_ingest import FileOptions, IngestionOutcome, ingest_path
from connectors.file_problems import FileFormatError
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async


@ingest.command("file")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--agency", required=True, help="Slug of the producing agency (OPD).")
@click.option("--dataset", default=None, help="Dataset name; default the file name.")
@click.option("--encoding", default=None, help="Claim the encoding instead of detecting it.")
@click.option("--delimiter", default=None, help="Claim the delimiter instead of detecting it.")
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
        outcomes = asyncio.run(_ingest(settings.effective_store_url, path, options))
    except FileFormatError as error:
        raise click.ClickException(str(error)) from error
    for outcome in outcomes:
        click.echo(_describe(outcome))
    if any(outcome.status == "failed" for outcome in outcomes):
        raise click.ClickException("some files were rejected; the store keeps their previous state")


def _delimiter(value: str | None) -> str | None:
    return {"tab": "\t", "\\t": "\t"}.get(value or "", value)


async def _ingest(url: str, path: Path, options: FileOptions) -> list[IngestionOutcome]:
    await upgrade_store_async(url)
    engine = create_store_engine(url)
    try:
        return await ingest_path(create_session_factory(engine), path, options)
    finally:
        await engine.dispose()


def _describe(outcome: IngestionOutcome) -> str:
    if outcome.status == "failed":
        problems = "\n  ".join(problem.describe() for problem in outcome.problems)
        return f"REJECTED {outcome.file}:\n  {problems}"
    warnings = f", {len(outcome.problems)} warnings" if outcome.problems else ""
    return (
        f"{outcome.status} {outcome.file} → {outcome.table_name} "
        f"(version {outcome.version}, {outcome.rows} rows{warnings}, run {outcome.run_id})"
    )
