"""The ``bigone`` command."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from app.settings import Settings, SettingsError


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment with command-line overrides on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except (ValidationError, SettingsError) as error:
        raise click.ClickException(f"invalid settings: {error}") from error


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )


@click.group()
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="YAML file declaring agencies and sources (or BIGONE_CONFIG).",
)
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """Big One: one GraphQL endpoint over a regency's data."""
    ctx.obj = {"config": config_path}


@main.command()
@click.option("--host", default=None, help="Interface to bind (BIGONE_HOST).")
@click.option("--port", type=int, default=None, help="Port (BIGONE_PORT).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the server with the effective settings."""
    settings = load_settings(host=host, port=port, config=ctx.obj["config"])
    run_server(settings)


def run_server(settings: Settings) -> None:
    import uvicorn

    from app.factory import create_app

    configure_logging(settings.log_level)
    try:
        app = create_app(settings)
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
    )


@main.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Bring the store schema up to date (alembic upgrade head)."""
    from store.migrate import upgrade_store

    settings = load_settings(config=ctx.obj["config"])
    upgrade_store(settings.effective_store_url)
    click.echo(f"store migrated: {settings.masked()['store_url']}")


@main.command("config")
@click.pass_context
def show_config(ctx: click.Context) -> None:
    """Print the effective settings, secrets masked."""
    settings = load_settings(config=ctx.obj["config"])
    click.echo(json.dumps(settings.masked(), indent=2, default=str))


@main.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("data/demo"),
    show_default=True,
    help="Where the demo store and files are written.",
)
@click.option("--no-serve", is_flag=True, help="Only generate and load the demo data.")
def demo(host: str | None, port: int | None, data_dir: Path, no_serve: bool) -> None:
    """Generate demo data into embedded defaults and serve it."""
    from app.demo import load_demo, prepare_demo_settings

    settings = load_settings(
        host=host,
        port=port,
        data_dir=data_dir,
        store_url=None,
        neo4j_uri=None,
    )
    settings = settings.model_copy(update={"store_url": None, "neo4j_uri": None})
    settings = prepare_demo_settings(settings)
    configure_logging(settings.log_level)
    summary = asyncio.run(load_demo(settings))
    click.echo(f"demo data loaded into {data_dir}: {summary}")
    if no_serve:
        return
    click.echo(f"Big One demo: open http://{settings.host}:{settings.port}/")
    run_server(settings)


@main.command("schema")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the SDL to this file instead of printing it.",
)
def export_schema(output: Path | None) -> None:
    """Print (or write) the GraphQL SDL of the schema without configured sources."""
    from schema import build_schema

    sdl = str(build_schema()).rstrip() + "\n"
    if output is None:
        click.echo(sdl, nl=False)
        return
    output.write_text(sdl, encoding="utf-8")
    click.echo(f"wrote {output}")


@main.group()
def ingest() -> None:
    """Load files and feeds into the store (atomic per run, idempotent)."""


# Each domain registers its commands on `main` or `ingest` when imported here.
COMMAND_MODULES: tuple[str, ...] = (
    "app.cli_sources",
    "app.cli_files",
    "app.cli_social",
    "app.cli_market",
    "app.cli_linking",
)


def _register_commands() -> None:
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(module)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    # Domain modules register on `app.cli.main`; under `python -m app.cli` this
    # module is `__main__`, a second copy whose group they never saw.
    from app.cli import main as registered_main

    registered_main()
