"""The app serving the three agency databases, shared by the federation tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from app.factory import create_app
from connectors.registry import SourceRegistry
from tests.app.conftest import make_settings, open_client
from tests.connectors.conftest import AgencySources, agency_sources, direct_engines

__all__ = ["agency_sources", "direct_engines"]


class FederatedClient:
    """An in-process client of the app plus its source registry."""

    def __init__(self, app: Starlette, http: httpx.AsyncClient) -> None:
        self.app = app
        self.http = http

    @property
    def registry(self) -> SourceRegistry:
        registry: SourceRegistry = self.app.state.services_ref["services"].extras[
            "sources"
        ]
        return registry

    async def query(self, document: str, **variables: Any) -> dict[str, Any]:
        """``data`` of the response; fails the test on any GraphQL error."""
        body = await self.execute(document, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def execute(self, document: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": document, "variables": variables}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(scope="module")
async def federated(
    agency_sources: AgencySources, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FederatedClient]:
    folder = tmp_path_factory.mktemp("app")
    app = create_app(make_settings(folder, config=agency_sources.config_path))
    async for http in open_client(app):
        yield FederatedClient(app, http)
