"""``bigone sources``: the configured sources with their state and datasets."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click

from app.cli import load_settings, main
from app.sources import read_config
from connectors.base import ConnectorError
from connectors.config import BigOneConfig
from connectors.registry import SourceRegistry


@main.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def list_sources(ctx: click.Context, as_json: bool) -> None:
    """List configured sources: kind, agency, state (ready/down/error), datasets."""
    settings = load_settings(config=ctx.obj["config"])
    if settings.config is None:
        raise click.ClickException(
            "no sources file: pass --config FILE or set BIGONE_CONFIG"
        )
    try:
        config = read_config(settings)
    except ConnectorError as error:
        raise click.ClickException(str(error)) from error
    rows = asyncio.run(_describe_sources(config))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'SOURCE':<20} {'KIND':<6} {'AGENCY':<12} {'STATE':<10} DATASETS")
    for row in rows:
        datasets = ", ".join(row["datasets"]) or row["error"] or "-"
        agency = row["agency"] or "-"
        click.echo(
            f"{row['name']:<20} {row['kind']:<6} {agency:<12} {row['state']:<10} {datasets}"
        )


async def _describe_sources(config: BigOneConfig) -> list[dict[str, Any]]:
    registry = SourceRegistry()
    try:
        await registry.load(config)
        return [
            {
                "name": entry.config.name,
                "kind": entry.config.kind,
                "agency": entry.config.agency,
                "state": entry.state,
                "error": entry.error,
                "datasets": [dataset.name for dataset in entry.datasets],
            }
            for entry in registry.entries
        ]
    finally:
        await registry.close()
