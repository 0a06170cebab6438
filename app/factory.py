"""The Starlette application: /graphql, /healthz and the dashboard at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.catalog_http import catalog_routes, start_file_source
from app.http import GraphQLEndpoint
from app.services import close_services, open_services
from app.settings import Settings
from app.sources import admin_routes, start_sources, stop_sources
from graph.base import GraphError
from resolvers.context import Services
from schema import build_schema
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
    services_ref: dict[str, Services] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if migrate:
            await upgrade_store_async(settings.effective_store_url)
        services = await open_services(settings)
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
        build_schema(),
        services_ref,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
    )

    async def healthz(_request: Request) -> Response:
        return await _health(services_ref["services"])

    routes: list[Route | Mount] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        *admin_routes(settings, services_ref),
        *catalog_routes(services_ref),
    ]
    if (FRONTEND_DIST / "index.html").exists():
        routes.append(Mount("/", SinglePageApp(directory=FRONTEND_DIST, html=True)))
    else:
        routes.append(Route("/", lambda _r: HTMLResponse(LANDING_PAGE)))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.services_ref = services_ref
    app.state.graphql = graphql
    return app


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
