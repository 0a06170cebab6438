"""Configured sources in the running server: load, follow changes, reload.

At start-up the sources file (``--config`` / ``BIGONE_CONFIG``) is loaded into
the registry; every later change (``POST /admin/sources/reload`` re-reads the
file, ``POST /admin/sources/{name}/refresh`` reflects one source again) syncs the
catalog and swaps the GraphQL schema without a restart. Admin routes need
``Authorization: Bearer <BIGONE_SECRET_KEY>``.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.settings import Settings
from connectors.base import ConnectorError
from connectors.catalog_sync import sync_catalog
from connectors.config import BigOneConfig, load_config
from connectors.registry import SourceRegistry
from resolvers.context import Services
from schema import build_schema
from schema.dataset_types import build_dataset_query
from schema.errors import register_public_error
from schema.execution import mark_row_type
from schema.visibility import FieldFilter
from store.errors import StoreError

logger = logging.getLogger(__name__)

register_public_error(ConnectorError)


class SchemaHolder:
    """Owns the endpoint's current schema and rebuilds it when sources change."""

    def __init__(self, endpoint: Any) -> None:
        self.endpoint = endpoint

    async def rebuild(self, registry: SourceRegistry) -> None:
        self.endpoint.use_schema(
            lambda keep: build_sources_schema(registry, field_filter=keep)
        )
        logger.info("schema.rebuilt version=%d", registry.version)


def build_sources_schema(
    registry: SourceRegistry, field_filter: FieldFilter | None = None
) -> Any:
    """The full schema: the static part plus the generated types of every dataset.

    ``field_filter`` leaves out the fields one visibility profile may not see.
    """
    static = build_schema()
    taken = set(static.schema_converter.type_map) | _root_fields(static)
    datasets = {
        entry.config.name: entry.datasets
        for entry in registry.entries
        if entry.datasets
    }
    part = build_dataset_query(datasets, taken_fields=taken)
    if part is None:
        return build_schema(field_filter=field_filter) if field_filter else static
    schema = build_schema((part.query_type,), field_filter=field_filter)
    for type_name, fields in part.plain_types.items():
        if type_name in schema._schema.type_map:
            mark_row_type(schema._schema, type_name, fields)
    query_type = schema._schema.query_type
    assert query_type is not None
    root_fields = query_type.fields
    for name, resolver in part.raw_resolvers.items():
        if name in root_fields:  # absent when hidden from this profile
            root_fields[name].resolve = resolver
    schema.bigone_datasets = {  # type: ignore[attr-defined]
        name: spec for name, spec in part.specs.items() if name in root_fields
    }
    return schema


def _root_fields(schema: Any) -> set[str]:
    return set(schema._schema.query_type.fields)


async def start_sources(settings: Settings, services: Services, endpoint: Any) -> None:
    """Load the sources file into a registry kept in ``services.extras``."""
    registry = SourceRegistry()
    services.extras["sources"] = registry
    holder = SchemaHolder(endpoint)
    services.extras["schema_holder"] = holder

    async def on_change(changed: SourceRegistry) -> None:
        await holder.rebuild(changed)
        try:
            await sync_catalog(
                changed,
                services.sessions,
                default_level=settings.uncatalogued_access_level,
            )
        except StoreError as error:
            logger.warning("catalog.sync_failed error=%s", error)
        if services.security is not None:
            services.security.access.invalidate()

    registry.on_change(on_change)
    await registry.load(read_config(settings))


def read_config(settings: Settings) -> BigOneConfig:
    """The sources file of ``settings``, or an empty configuration without one."""
    if settings.config is None:
        return BigOneConfig()
    return load_config(settings.config)


async def stop_sources(services: Services) -> None:
    registry: SourceRegistry | None = services.extras.get("sources")
    if registry is not None:
        await registry.close()


def admin_routes(settings: Settings, services_ref: dict[str, Services]) -> list[Route]:
    """``POST /admin/sources/reload`` and ``POST /admin/sources/{name}/refresh``."""

    def authorised(request: Request) -> bool:
        given = request.headers.get("authorization", "").removeprefix("Bearer ")
        secret = settings.secret_key.get_secret_value()
        return hmac.compare_digest(given.encode(), secret.encode())

    async def reload(request: Request) -> Response:
        if not authorised(request):
            return JSONResponse({"error": "unauthorised"}, status_code=401)
        registry: SourceRegistry = services_ref["services"].extras["sources"]
        try:
            await registry.load(read_config(settings))
        except ConnectorError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        return JSONResponse(_states(registry))

    async def refresh(request: Request) -> Response:
        if not authorised(request):
            return JSONResponse({"error": "unauthorised"}, status_code=401)
        registry: SourceRegistry = services_ref["services"].extras["sources"]
        try:
            await registry.refresh(request.path_params["name"])
        except ConnectorError as error:
            return JSONResponse({"error": str(error)}, status_code=404)
        return JSONResponse(_states(registry))

    return [
        Route("/admin/sources/reload", reload, methods=["POST"]),
        Route("/admin/sources/{name}/refresh", refresh, methods=["POST"]),
    ]


def _states(registry: SourceRegistry) -> dict[str, Any]:
    return {
        "sources": [
            {
                "name": entry.config.name,
                "state": entry.state,
                "error": entry.error,
                "datasets": [dataset.name for dataset in entry.datasets],
            }
            for entry in registry.entries
        ]
    }
