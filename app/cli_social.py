"""Big Social commands: ``bigone ingest social``, ``bigone ingest news`` and
``bigone train sentiment``."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import click

from analytics import AnalyticsError
from analytics.sentiment import save_sentiment_model, train_sentiment_model
from app.cli import configure_logging, ingest, load_settings, main
from app.settings import Settings
from connectors.base import ConnectorError
from connectors.news import is_url, read_news
from connectors.social_files import choose_profile, iter_raw_posts, read_source_file
from connectors.social_profiles import list_profiles
from connectors.social_records import RawPost

DEFAULT_SMSA_DIR = Path("../shared/data/indonlu-smsa")


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_progress(label: str) -> Any:
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        click.echo(f"{label}: {done}/{total} posts ({rate:.0f}/s)", err=True)

    return report


async def run_ingest(
    settings: Settings,
    posts: list[RawPost],
    *,
    kind: str,
    input_name: str,
    checksum: str | None,
    embed: bool,
) -> dict[str, Any]:
    from app.services import close_services, open_services
    from app.social_setup import SOCIAL_SERVICE
    from store.migrate import upgrade_store_async

    await upgrade_store_async(settings.effective_store_url)
    services = await open_services(settings)
    try:
        report = await services.extras[SOCIAL_SERVICE].ingest(
            posts,
            kind=kind,
            input_name=input_name,
            input_checksum=checksum,
            embed=embed,
            progress=make_progress(kind),
        )
    finally:
        await close_services(services)
    return {"run": report.run_id, "status": report.status, **report.counts(),
            "seconds": round(report.seconds, 2), **report.details}  # fmt: skip


def read_social_file(
    settings: Settings, path: Path, platform: str, profile_name: str | None
) -> list[RawPost]:
    from app.social_setup import load_social_sections

    _, declared = load_social_sections(settings)
    source = read_source_file(path)
    profile = choose_profile(
        source, list_profiles(declared), platform=platform, name=profile_name
    )
    click.echo(
        f"reading {path} as {profile.name} ({source.format}, {source.encoding})",
        err=True,
    )
    return [
        post if post.platform == platform else _with_platform(post, platform)
        for post in iter_raw_posts(source, profile)
    ]


def _with_platform(post: RawPost, platform: str) -> RawPost:
    from dataclasses import replace

    return replace(post, platform=platform)


@ingest.command("social")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--platform",
    required=True,
    help="twitter, facebook, instagram, tiktok, youtube, ...",
)
@click.option(
    "--profile", "profile_name", default=None, help="Column profile; guessed if unset."
)
@click.option("--no-embed", is_flag=True, help="Skip embeddings (no semantic search).")
@click.pass_context
def ingest_social(
    ctx: click.Context,
    path: Path,
    platform: str,
    profile_name: str | None,
    no_embed: bool,
) -> None:
    """Ingest a CSV/JSON/JSONL export of social-media posts."""
    settings = load_settings(config=ctx.obj["config"])
    configure_logging(settings.log_level)
    try:
        posts = read_social_file(settings, path, platform.lower(), profile_name)
        summary = asyncio.run(
            run_ingest(settings, posts, kind="social", input_name=str(path),
                       checksum=file_checksum(path), embed=not no_embed)
        )  # fmt: skip
    except (ConnectorError, AnalyticsError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(summary))


@ingest.command("news")
@click.argument("location")
@click.option("--no-embed", is_flag=True, help="Skip embeddings (no semantic search).")
@click.pass_context
def ingest_news(ctx: click.Context, location: str, no_embed: bool) -> None:
    """Ingest news from an RSS/Atom file or URL, or a CSV article dump."""
    settings = load_settings(config=ctx.obj["config"])
    configure_logging(settings.log_level)
    try:
        from app.social_setup import load_social_sections

        _, declared = load_social_sections(settings)
        posts = read_news(location, declared)
        checksum = None if is_url(location) else file_checksum(Path(location))
        summary = asyncio.run(
            run_ingest(settings, posts, kind="news", input_name=location,
                       checksum=checksum, embed=not no_embed)
        )  # fmt: skip
    except (ConnectorError, AnalyticsError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(summary))


@main.group()
def train() -> None:
    """Rebuild the models derived from data."""


@train.command("sentiment")
@click.option(
    "--smsa-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_SMSA_DIR,
    show_default=True,
    help="Folder with IndoNLU SmSA train/valid/test_preprocess.tsv.",
)
@click.pass_context
def train_sentiment(ctx: click.Context, smsa_dir: Path) -> None:
    """Train the sentiment model on SmSA and write it into the data folder."""
    from app.social_setup import sentiment_model_path

    settings = load_settings(config=ctx.obj["config"])
    try:
        model = train_sentiment_model(smsa_dir)
    except AnalyticsError as error:
        raise click.ClickException(str(error)) from error
    path = sentiment_model_path(settings)
    save_sentiment_model(model, path)
    valid, test = model.metrics["valid"], model.metrics["test"]
    click.echo(
        json.dumps({
            "model": str(path), "version": model.version,
            "data_checksum": model.data_checksum,
            "valid_macro_f1": round(valid["macro_f1"], 4),
            "test_macro_f1": round(test["macro_f1"], 4),
            "test_texts_per_second": round(test["texts_per_second"] or 0, 1),
        })
    )  # fmt: skip


@train.command("embedder")
@click.pass_context
def train_embedder(ctx: click.Context) -> None:
    """Export the embedding model for its ONNX backend now, not on first use."""
    from app.services import create_embedder
    from linking.errors import ModelLoadError

    settings = load_settings(config=ctx.obj["config"])
    embedder = create_embedder(settings)
    try:
        dimensions = embedder.dimensions
    except ModelLoadError as error:
        raise click.ClickException(str(error)) from error
    finally:
        embedder.close()
    files = sorted(str(p) for p in embedder_files(settings))
    click.echo(
        json.dumps({
            "model": settings.embedding_model, "backend": settings.embedding_backend,
            "dimensions": dimensions, "files": files,
        })
    )  # fmt: skip


def embedder_files(settings: Settings) -> list[Path]:
    folder = settings.effective_model_cache_dir
    return list(folder.rglob("*.onnx")) if folder.is_dir() else []
