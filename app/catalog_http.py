"""Catalog endpoints for portals: ``/catalog.jsonld`` (DCAT) and the CKAN read API.

Portals harvest without credentials, so these endpoints show what the access
policy lets an anonymous (public) principal see, like GraphQL does for it.

Also starts the built-in ``files`` source, so that ingested file datasets get
their generated GraphQL fields like every configured source.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from catalog.access import FILES_SOURCE
from catalog.ckan import build_package, search_packages
from catalog.dcat import build_dcat_catalog
from catalog.search import DatasetEntry, find_dataset_entry, list_dataset_entries
from connectors.config import SourceConfig
from connectors.file import FileConnector
from connectors.registry import SourceRegistry
from resolvers.context import Services
from security.principal import ANONYMOUS

CATALOG_TITLE = "Katalog Satu Data — Big One"
JSONLD = "application/ld+json"
Handler = Callable[[Request, Services, dict[str, Any]], Awaitable[Response]]


async def start_file_source(services: Services) -> None:
    """Register the store's file datasets as the built-in source ``files``."""
    registry: SourceRegistry = services.extras["sources"]
    config = SourceConfig(name=FILES_SOURCE, kind="file", title="Agency files")
    await registry.add_builtin(config, FileConnector(FILES_SOURCE, services.engine))


def catalog_routes(services_ref: dict[str, Services]) -> list[Route]:
    """The DCAT document and CKAN ``package_list``/``package_show``/``package_search``."""

    def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            params = await _params(request)
            return await handler(request, services_ref["services"], params)

        return run

    actions = {
        "package_list": _package_list,
        "package_show": _package_show,
        "package_search": _package_search,
    }
    # CKAN answers under /api/3/action and /api/action alike; clients use both.
    return [
        Route("/catalog.jsonld", endpoint(_dcat), methods=["GET"]),
        *(
            Route(f"{prefix}/{name}", endpoint(handler), methods=["GET", "POST"])
            for prefix in ("/api/3/action", "/api/action")
            for name, handler in actions.items()
        ),
    ]


async def _params(request: Request) -> dict[str, Any]:
    """Query parameters, overlaid with a JSON body (CKAN clients POST JSON)."""
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        body = await request.body()
        if body:
            try:
                decoded = json.loads(body)
            except json.JSONDecodeError:
                decoded = None
            if isinstance(decoded, dict):
                params.update(decoded)
    return params


async def _visible(
    services: Services, entries: list[DatasetEntry]
) -> list[DatasetEntry]:
    """The entries an anonymous principal may read, by the access policy."""
    security = services.security
    if security is None:
        return entries
    index = await security.access.get()
    return [
        entry
        for entry in entries
        if security.policy.can_read(
            ANONYMOUS, index.get(entry.source.name, entry.dataset.name)
        )
    ]


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _dcat(
    request: Request, services: Services, _params: dict[str, Any]
) -> Response:
    entries = await _visible(services, await list_dataset_entries(services.sessions))
    document = build_dcat_catalog(entries, _base_url(request), CATALOG_TITLE)
    return JSONResponse(document, media_type=JSONLD)


def _ckan(result: Any, request: Request, status: int = 200) -> Response:
    action = request.url.path.rsplit("/", 1)[-1]
    help_url = f"{_base_url(request)}/api/3/action/help_show?name={action}"
    if status != 200:
        return JSONResponse(
            {"help": help_url, "success": False, "error": result}, status_code=status
        )
    return JSONResponse({"help": help_url, "success": True, "result": result})


async def _package_list(
    request: Request, services: Services, params: dict[str, Any]
) -> Response:
    entries = await _visible(services, await list_dataset_entries(services.sessions))
    names = [build_package(entry, "")["name"] for entry in entries]
    offset = _int(params.get("offset"), 0)
    limit = _int(params.get("limit"), len(names))
    return _ckan(names[offset : offset + limit], request)


async def _package_show(
    request: Request, services: Services, params: dict[str, Any]
) -> Response:
    name = str(params.get("id") or params.get("name_or_id") or "")
    if not name:
        return _ckan(
            {"__type": "Validation Error", "id": ["Missing value"]}, request, 409
        )
    entry = await find_dataset_entry(services.sessions, name)
    if entry is None or not await _visible(services, [entry]):
        return _ckan(
            {"__type": "Not Found Error", "message": "Not found"}, request, 404
        )
    return _ckan(build_package(entry, _base_url(request)), request)


async def _package_search(
    request: Request, services: Services, params: dict[str, Any]
) -> Response:
    entries = await _visible(services, await list_dataset_entries(services.sessions))
    count, page = search_packages(
        entries,
        q=str(params.get("q") or ""),
        fq=str(params.get("fq") or ""),
        rows=_int(params.get("rows"), 10),
        start=_int(params.get("start"), 0),
    )
    base = _base_url(request)
    result = {
        "count": count,
        "results": [build_package(entry, base) for entry in page],
        "sort": "title_string asc",
        "facets": {},
        "search_facets": {},
    }
    return _ckan(result, request)


def _int(value: Any, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default
