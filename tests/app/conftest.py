"""Fixtures that run the real ASGI app, lifespan included, on each backend pair."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from app.factory import create_app
from app.settings import Settings
from tests.conftest import neo4j_settings


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "environment": "test",
        "store_url": None,
        "neo4j_uri": None,
        "config": None,
        # Suites send hundreds of requests a minute; rate limits have their own tests.
        "rate_limit_per_minute": 0,
    }
    values.update(overrides)
    return Settings.model_validate(values)


def neo4j_overrides() -> dict[str, object]:
    uri, user, password = neo4j_settings()
    return {"neo4j_uri": uri, "neo4j_user": user, "neo4j_password": password}


async def open_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to ``app`` in-process, with its lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bigone.test"
        ) as client:
            yield client


@pytest.fixture(params=["embedded", "neo4j"])
async def client(
    request: pytest.FixtureRequest, tmp_path: Path, store_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The app on each store backend (sqlite, postgresql) × graph backend."""
    overrides = {"store_url": store_url}
    if request.param == "neo4j":
        overrides.update(neo4j_overrides())
    app = create_app(make_settings(tmp_path, **overrides))
    async for http in open_client(app):
        yield http
