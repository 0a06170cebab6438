"""The ``bigone`` command."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from pydantic_settings import SettingsError as EnvSettingsError

from app.settings import Settings, SettingsError, describe_settings_error


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment with command-line overrides on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        raise click.ClickException(
            f"invalid settings:\n{describe_settings_error(error)}"
        ) from error
    except SettingsError as error:
        raise click.ClickException(f"invalid settings: {error}") from error
    except EnvSettingsError as error:
        # pydantic-settings reads list and mapping settings from the
        # environment as JSON, and says only which field failed.
        raise click.ClickException(
            f"invalid settings: {error}; list and mapping settings are JSON, e.g. "
            """BIGONE_CORS_ORIGINS='["https://dashboard.example"]'"""
        ) from error


def configure_logging(level: str, log_format: str = "text") -> None:
    if log_format == "json":
        from app.observability import configure_logging as configure_json_logging

        configure_json_logging(level, "json")
        return
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

    configure_logging(settings.log_level, settings.log_format)
    ensure_port_free(settings.host, settings.port)
    try:
        prepare_store(settings)
        app = create_app(settings, migrate=False)
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
    )


def ensure_port_free(host: str, port: int) -> None:
    """Fail before any work when another process already listens on the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({error.strerror}): another server "
                "is running there; stop it or choose --port / BIGONE_PORT"
            ) from error


def prepare_store(settings: Settings) -> None:
    """Migrate the store, turning an unreachable database into a clear error."""
    from store.errors import StoreError
    from store.migrate import upgrade_store

    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise click.ClickException(
            f"BIGONE_DATA_DIR {settings.data_dir} is a file, not a folder"
        )
    try:
        upgrade_store(settings.effective_store_url)
    except StoreError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Bring the store schema up to date (alembic upgrade head)."""
    settings = load_settings(config=ctx.obj["config"])
    prepare_store(settings)
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

    # The demo always runs on the embedded defaults, whatever the environment says.
    settings = load_settings(
        host=host, port=port, data_dir=data_dir, store_url="", neo4j_uri=""
    )
    settings = prepare_demo_settings(settings)
    configure_logging(settings.log_level)
    if not no_serve:
        ensure_port_free(settings.host, settings.port)
    prepare_store(settings)
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
    """Print (or write) the GraphQL SDL of the schema without configured sources.

    This is what schema.graphql holds: every static type, including the
    comparison inputs, PageInfo and cross-source aggregate types that generated
    dataset types use. The per-dataset types depend on each deployment's sources;
    a running server exposes them through introspection.
    """
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
    "app.cli_security",
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
