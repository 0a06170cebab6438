"""The Starlette application: /graphql, /healthz and the dashboard at /."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.catalog_http import catalog_routes, start_file_source
from app.http import GraphQLEndpoint
from app.observability import Metrics, RequestMiddleware
from app.services import close_services, load_security_files, open_services
from app.settings import Settings
from app.sources import admin_routes, start_sources, stop_sources
from graph.base import GraphError
from resolvers.context import Services
from schema import build_schema
from schema.visibility import SchemaVariants
from store.catalog import IngestionRun
from store.engine import ping_store
from store.errors import StoreError
from store.migrate import upgrade_store_async

logger = logging.getLogger(__name__)

FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"

LANDING_PAGE = """<!doctype html><html lang="id"><meta charset="utf-8">
<title>Big One</title><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Big One</h1><p>The dashboard has not been built yet
(<code>npm --prefix frontend run build</code>).</p>
<p><a href="/graphql">GraphiQL</a> · <a href="/healthz">health</a></p></body></html>"""


class SinglePageApp(StaticFiles):
    """The built dashboard; a path it does not know is a client route: index.html."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404 or _is_asset(path):
                raise
            return await super().get_response("index.html", scope)


def _is_asset(path: str) -> bool:
    # A missing file with an extension (a stale /assets/x.js) stays a 404, so a
    # broken build shows up as a failed load instead of HTML served as script.
    return "." in path.rsplit("/", 1)[-1]


def create_app(settings: Settings, *, migrate: bool = True) -> Starlette:
    """Build the ASGI app; services are opened in its lifespan, once."""
    settings.check_production()
    load_security_files(settings)  # fail at start-up, not at the first request
    services_ref: dict[str, Services] = {}
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if migrate:
            await upgrade_store_async(settings.effective_store_url)
        services = await open_services(settings, observer=metrics)
        services_ref["services"] = services
        await start_sources(settings, services, graphql)
        await start_file_source(services)
        logger.info(
            "server.started store=%s graph=%s",
            services.engine.url.get_backend_name(),
            services.graph.backend,
        )
        try:
            yield
        finally:
            await stop_sources(services)
            await close_services(services)

    graphql = GraphQLEndpoint(
        SchemaVariants(lambda keep: build_schema(field_filter=keep)),
        services_ref,
        metrics,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
    )

    async def healthz(_request: Request) -> Response:
        return await _health(services_ref["services"])

    async def metrics_page(_request: Request) -> Response:
        await _refresh_ingestion_metrics(services_ref["services"], metrics)
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    routes: list[Route | Mount] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        *admin_routes(settings, services_ref),
        *catalog_routes(services_ref),
    ]
    if settings.metrics_enabled:
        routes.append(Route("/metrics", metrics_page, methods=["GET"]))
    if (FRONTEND_DIST / "index.html").exists():
        routes.append(Mount("/", SinglePageApp(directory=FRONTEND_DIST, html=True)))
    else:
        routes.append(Route("/", lambda _r: HTMLResponse(LANDING_PAGE)))
    app = Starlette(
        routes=routes, lifespan=lifespan, middleware=_middleware(settings, metrics)
    )
    app.state.services_ref = services_ref
    app.state.graphql = graphql
    app.state.metrics = metrics
    return app


HEALTH_TIMEOUT_SECONDS = 3.0


async def _check(name: str, probe: Awaitable[None], backend: str) -> dict[str, str]:
    """Run one reachability probe with a deadline; never raises."""
    try:
        await asyncio.wait_for(probe, HEALTH_TIMEOUT_SECONDS)
    except (StoreError, GraphError) as error:
        return {"status": "down", "backend": backend, "error": str(error)}
    except TimeoutError:
        return {
            "status": "down",
            "backend": backend,
            "error": f"the {name} did not answer within {HEALTH_TIMEOUT_SECONDS:.0f} s",
        }
    except Exception as error:
        logger.error("health.check_crashed check=%s", name, exc_info=error)
        return {"status": "down", "backend": backend, "error": "unexpected failure"}
    return {"status": "ok", "backend": backend}


def _middleware(settings: Settings, metrics: Metrics) -> list[Middleware]:
    middleware = [Middleware(RequestMiddleware, metrics=metrics)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "x-api-key",
                    "x-request-id",
                ],
                expose_headers=["x-request-id"],
                max_age=600,
            )
        )
    return middleware


async def _refresh_ingestion_metrics(services: Services, metrics: Metrics) -> None:
    """Ingestion runs are recorded by CLI processes too: read them from the store."""
    counts = select(IngestionRun.kind, IngestionRun.status, func.count()).group_by(
        IngestionRun.kind, IngestionRun.status
    )
    last = (
        select(IngestionRun.kind, func.max(IngestionRun.finished_at))
        .where(IngestionRun.status == "succeeded")
        .group_by(IngestionRun.kind)
    )
    try:
        async with services.sessions() as session:
            count_rows = (await session.execute(counts)).all()
            last_rows = (await session.execute(last)).all()
    except (StoreError, SQLAlchemyError) as error:
        logger.warning("metrics.ingestion_unavailable error=%s", error)
        return
    metrics.ingestion_runs.clear()
    for kind, status, count in count_rows:
        metrics.ingestion_runs.labels(kind, status).set(count)
    for kind, finished in last_rows:
        if finished is not None:
            metrics.ingestion_last_success.labels(kind).set(finished.timestamp())


async def _health(services: Services) -> Response:
    checks: dict[str, dict[str, str]] = {}
    try:
        await ping_store(services.engine)
        checks["store"] = {
            "status": "ok",
            "backend": services.engine.url.get_backend_name(),
        }
    except StoreError as error:
        checks["store"] = {"status": "down", "error": str(error)}
    try:
        await services.graph.ping()
        checks["graph"] = {"status": "ok", "backend": services.graph.backend}
    except GraphError as error:
        checks["graph"] = {"status": "down", "error": str(error)}
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "down", "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503)
