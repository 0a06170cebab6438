"""``bigone keys``: create, list and revoke API keys."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.cli import load_settings, main
from security.keys import create_api_key, list_api_keys, revoke_api_key
from security.principal import ROLES, parse_roles
from store.engine import create_session_factory, create_store_engine

T = TypeVar("T")


def _with_sessions(
    url: str, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]
) -> T:
    async def run() -> T:
        engine = create_store_engine(url)
        try:
            return await work(create_session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


@main.group()
def keys() -> None:
    """API keys (stored hashed; a new key is shown once)."""


@keys.command("create")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help=f"A role ({', '.join(ROLES)}); repeat or separate with commas.",
)
@click.option("--agency", default=None, help="Agency slug (needed by the agency role).")
@click.option("--name", default="", help="What the key is for, e.g. the app's name.")
@click.option(
    "--rate-limit",
    type=click.IntRange(min=0),
    default=None,
    help="Requests per minute (0: no limit; default: the server's).",
)
@click.option(
    "--expires-in-days",
    type=click.IntRange(min=1),
    default=None,
    help="Days until the key stops working (default: never).",
)
@click.pass_context
def create_key(
    ctx: click.Context,
    roles: tuple[str, ...],
    agency: str | None,
    name: str,
    rate_limit: int | None,
    expires_in_days: int | None,
) -> None:
    """Create a key and print it once."""
    settings = load_settings(config=ctx.obj["config"])
    granted = parse_roles(",".join(roles))
    expires = (
        datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    )
    try:
        created = _with_sessions(
            settings.effective_store_url,
            lambda sessions: create_api_key(
                sessions,
                roles=granted,
                agency=agency,
                name=name,
                rate_limit_per_minute=rate_limit,
                expires_at=expires,
            ),
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"key {created.prefix} created; store it now, it is not shown again:")
    click.echo(created.token)


@keys.command("list")
@click.pass_context
def list_keys(ctx: click.Context) -> None:
    """List keys (never their secrets) as JSON lines."""
    settings = load_settings(config=ctx.obj["config"])
    rows = _with_sessions(settings.effective_store_url, list_api_keys)
    for row in rows:
        click.echo(
            json.dumps(
                {
                    "prefix": row.prefix,
                    "name": row.name,
                    "roles": row.roles,
                    "agency": row.agency,
                    "created_at": row.created_at.isoformat(),
                    "revoked": row.revoked_at is not None,
                }
            )
        )


@keys.command("revoke")
@click.argument("prefix")
@click.pass_context
def revoke_key(ctx: click.Context, prefix: str) -> None:
    """Revoke the key with PREFIX (the part after ``bo_``)."""
    settings = load_settings(config=ctx.obj["config"])
    found = _with_sessions(
        settings.effective_store_url,
        lambda sessions: revoke_api_key(sessions, prefix),
    )
    if not found:
        raise click.ClickException(f"no key with prefix {prefix!r}")
    click.echo(f"key {prefix} revoked")
