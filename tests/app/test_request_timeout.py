"""A request that outlives the timeout is stopped with a clear error."""

from __future__ import annotations

from pathlib import Path

from app.factory import create_app
from tests.app.conftest import make_settings, open_client


async def test_slow_request_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, request_timeout_seconds=1e-6))

    async for client in open_client(app):
        response = await client.post(
            "/graphql", json={"query": "{ graphStats { nodes } }"}
        )

        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert "longer than 1e-06 s" in error["message"]
