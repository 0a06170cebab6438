"""Operations: JSON logs carrying request ids, and Prometheus metrics.

Log messages keep the project's one style, ``event key=value ...``; the JSON
formatter splits that into ``event`` and ``fields`` so that log tools can query
them, and adds the request id of the request being served.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.metrics import MetricWrapperBase
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_FIELD = re.compile(r"(\w+)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, fields, request id."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        event, _, rest = message.partition(" ")
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": event,
            "message": message,
        }
        fields = {key: value.strip("'\"") for key, value in _FIELD.findall(rest)}
        if fields:
            body["fields"] = fields
        request_id = getattr(record, "request_id", "") or request_id_var.get()
        if request_id:
            body["request_id"] = request_id
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, for text formats too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(level: str, log_format: str = "json") -> None:
    """Route every logger to stderr in the chosen format, with request ids."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class Metrics:
    """The server's Prometheus series, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self.requests = Counter(
            "bigone_http_requests", "HTTP requests served.",
            ["method", "route", "status"], registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "bigone_http_request_duration_seconds", "HTTP request latency.",
            ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.graphql_errors = Counter(
            "bigone_graphql_errors", "GraphQL errors by kind.",
            ["kind"], registry=self.registry,
        )  # fmt: skip
        self.graphql_operations = Counter(
            "bigone_graphql_operations",
            "GraphQL operations by the path that answered them: a compiled plan "
            "(schema.plan) or the schema's executor.",
            ["path"], registry=self.registry,
        )  # fmt: skip
        self.source_latency = Histogram(
            "bigone_source_request_duration_seconds", "Latency of calls to sources.",
            ["source", "operation"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.source_errors = Counter(
            "bigone_source_errors", "Failed calls to sources.",
            ["source", "operation", "error"], registry=self.registry,
        )  # fmt: skip
        self.ingestion_runs = Gauge(
            "bigone_ingestion_runs", "Ingestion runs recorded in the store.",
            ["kind", "status"], registry=self.registry,
        )  # fmt: skip
        self.ingestion_last_success = Gauge(
            "bigone_ingestion_last_success_timestamp_seconds",
            "When the last successful ingestion run of a kind finished.",
            ["kind"], registry=self.registry,
        )  # fmt: skip

    def series(self, metric: MetricWrapperBase, *labels: str) -> Any:
        """``metric.labels(*labels)``, kept: each request updates a few series,
        and ``labels`` validates and locks on every call. Label values must be
        bounded (routes, statuses, sources), as for any Prometheus label."""
        key = (id(metric), labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    def observe(
        self, source: str, operation: str, seconds: float, error: str | None
    ) -> None:
        """A source call's latency and outcome (``SourceObserver``)."""
        self.series(self.source_latency, source, operation).observe(seconds)
        if error is not None:
            self.series(self.source_errors, source, operation, error).inc()

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class RequestMiddleware:
    """Gives each HTTP request an id, logs one line for it and counts it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.logger = logging.getLogger("bigone.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._finish(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)

    def _finish(self, scope: Scope, status: int, seconds: float) -> None:
        route = _route_of(scope["path"])
        method = scope["method"]
        self.metrics.series(self.metrics.requests, method, route, str(status)).inc()
        self.metrics.series(self.metrics.latency, method, route).observe(seconds)
        level = logging.ERROR if status >= 500 else logging.INFO
        self.logger.log(
            level,
            "http.request method=%s path=%s status=%d duration_ms=%.1f",
            method, scope["path"], status, seconds * 1000,
        )  # fmt: skip


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            given = str(value.decode("latin-1"))
            if _SAFE_REQUEST_ID.match(given):
                return given
    return secrets.token_hex(16)  # as long as a uuid4's hex, a third of the cost


def _route_of(path: str) -> str:
    # Bounded label values: unknown paths share one series.
    for route in ("/graphql", "/healthz", "/metrics"):
        if path == route:
            return route
    return "/static" if path.startswith("/assets") else "other"
