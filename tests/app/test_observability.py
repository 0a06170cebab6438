"""JSON logs with request ids, the request id header, and CORS from settings."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.factory import create_app
from app.observability import JsonFormatter, request_id_var
from tests.app.conftest import make_settings, open_client


def test_json_logs_split_event_and_fields_and_carry_the_request_id() -> None:
    record = logging.LogRecord(
        "bigone.http", logging.INFO, __file__, 1,
        "http.request method=%s path=%s status=%d", ("POST", "/graphql", 200), None,
    )  # fmt: skip
    token = request_id_var.set("req-42")
    try:
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)

    body = json.loads(line)
    assert body["event"] == "http.request"
    assert body["fields"] == {"method": "POST", "path": "/graphql", "status": "200"}
    assert body["request_id"] == "req-42"
    assert body["level"] == "INFO"


async def test_request_id_is_echoed_or_created(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))

    async for client in open_client(app):
        given = await client.get("/healthz", headers={"x-request-id": "dash-123"})
        created = await client.get("/healthz")
        unsafe = await client.get("/healthz", headers={"x-request-id": "a b\tc"})

        assert given.headers["x-request-id"] == "dash-123"
        assert len(created.headers["x-request-id"]) == 32
        assert unsafe.headers["x-request-id"] != "a b\tc"


async def test_cors_allows_only_configured_origins(tmp_path: Path) -> None:
    app = create_app(
        make_settings(tmp_path, cors_origins=["https://dasbor.tegalkab.go.id"])
    )
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
    }

    async for client in open_client(app):
        allowed = await client.options(
            "/graphql", headers={"origin": "https://dasbor.tegalkab.go.id", **preflight}
        )
        refused = await client.options(
            "/graphql", headers={"origin": "https://evil.example", **preflight}
        )

        assert allowed.headers["access-control-allow-origin"] == (
            "https://dasbor.tegalkab.go.id"
        )
        assert "access-control-allow-origin" not in refused.headers


async def test_metrics_endpoint_serves_prometheus_text(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))

    async for client in open_client(app):
        await client.post("/graphql", json={"query": "{ version }"})
        response = await client.get("/metrics")

        assert response.headers["content-type"].startswith("text/plain")
        assert "# TYPE bigone_http_request_duration_seconds histogram" in response.text
        assert "# TYPE bigone_http_requests_total counter" in response.text
