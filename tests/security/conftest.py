"""The app over real agency databases with an access policy, and tokens per role."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette

from app.factory import create_app
from graph.base import EdgeInput, NodeInput
from resolvers.context import Services
from store.catalog import Dataset, DatasetColumn, Source
from store.engine import transaction
from store.migrate import upgrade_store_async
from tests.app.conftest import make_settings, open_client
from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    require_service,
)
from tests.connectors.agency_databases import sources_yaml
from tests.connectors.conftest import AgencySources, agency_sources
from tests.security.health_registry import build_health_registry

__all__ = ["agency_sources"]

JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256-0123456789"
PERSONAL = ("nik", "nama_pasien", "no_hp", "email")
POLICY = """
datasets:
  dinkes.pasien:
    roles: [analyst, steward]
    row_rules:
      analyst: {column: kode_kecamatan, op: eq, value: $district}
  social.posts:
    access_level: terbatas
    roles: [analyst, steward, agency]
    personal_roles: [analyst]
  market.listings:
    access_level: terbatas
    roles: [analyst]
"""


def token(*roles: str, agency: str | None = None, **claims: Any) -> str:
    body: dict[str, Any] = {
        "sub": f"user-{'-'.join(roles) or 'none'}-{agency or ''}",
        "roles": list(roles),
        "exp": int(time.time()) + 3600,
        **claims,
    }
    if agency:
        body["agency"] = agency
    return jwt.encode(body, JWT_SECRET, algorithm="HS256")


@dataclass
class SecuredClient:
    app: Starlette
    http: httpx.AsyncClient
    patients: list[dict[str, Any]]
    store_backend: str
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services_ref["services"]
        return services

    async def post(
        self, document: str, bearer: str | None = None, **variables: Any
    ) -> httpx.Response:
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        return await self.http.post(
            "/graphql",
            json={"query": document, "variables": variables},
            headers=headers,
        )

    async def execute(
        self, document: str, bearer: str | None = None, **variables: Any
    ) -> dict[str, Any]:
        response = await self.post(document, bearer, **variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, document: str, bearer: str | None = None, **variables: Any
    ) -> dict[str, Any]:
        body = await self.execute(document, bearer, **variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result


def sources_with_health(agencies: AgencySources, dinkes_url: str) -> str:
    base = sources_yaml(agencies.dpmdes_url, agencies.dinsos_url, agencies.dkpp_url)
    agencies_part, sources_part = base.split("sources:")
    return (
        agencies_part.rstrip()
        + "\n  - slug: dinkes\n    name: Dinas Kesehatan\nsources:"
        + sources_part.rstrip()
        + "\n  - name: dinkes\n    kind: sql\n    agency: dinkes"
        + f"\n    access_level: terbuka\n    url: {dinkes_url}\n"
    )


async def apply_catalog_levels(services: Services) -> None:
    """What a steward sets in the catalog: levels and personal columns."""
    async with transaction(services.sessions) as session:
        ids = dict(
            (await session.execute(
                select(Source.name + "." + Dataset.name, Dataset.id).join(Source)
            )).all()
        )  # fmt: skip
        await session.execute(
            update(Dataset)
            .where(Dataset.id == ids["dinkes.pasien"])
            .values(access_level="terbatas")
        )
        await session.execute(
            update(Dataset)
            .where(Dataset.id == ids["dinsos.penduduk_miskin"])
            .values(access_level="tertutup")
        )
        await session.execute(
            update(DatasetColumn)
            .where(DatasetColumn.dataset_id == ids["dinkes.pasien"])
            .where(DatasetColumn.name.in_(PERSONAL))
            .values(is_personal=True)
        )
    assert services.security is not None
    services.security.access.invalidate()


async def load_records(services: Services, patients: list[dict[str, Any]]) -> None:
    """Patient records linked to the Slawi kecamatan entity, as linking would."""
    place = NodeInput(
        "place:33.28.10", "Entity", "Slawi", "place", {"code": "33.28.10"}
    )
    slawi = [p for p in patients if p["kode_kecamatan"] == "33.28.10"][:3]
    records = [
        NodeInput(
            f"record:dinkes.pasien:{p['id']}",
            "Record",
            p["nama_pasien"],
            None,
            {"dataset": "dinkes.pasien", **{k: v for k, v in p.items() if k != "id"}},
        )
        for p in slawi
    ]
    await services.graph.upsert_nodes([place, *records])
    await services.graph.upsert_edges(
        [EdgeInput("LOCATED_IN", record.id, place.id) for record in records]
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def secured(
    request: pytest.FixtureRequest,
    agency_sources: AgencySources,
    shared_data: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[SecuredClient]:
    folder = tmp_path_factory.mktemp("secured")
    dinkes_url = f"sqlite+aiosqlite:///{folder / 'dinkes.db'}"
    patients = await build_health_registry(dinkes_url, shared_data)
    config = folder / "sources.yaml"
    config.write_text(sources_with_health(agency_sources, dinkes_url), "utf-8")
    policy = folder / "policy.yaml"
    policy.write_text(POLICY, "utf-8")
    admin_url = None
    if request.param == "sqlite":
        store_url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
    else:
        admin_url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
        store_url = await _create_postgres_database(admin_url)
    await upgrade_store_async(store_url)
    settings = make_settings(
        folder,
        store_url=store_url,
        config=config,
        access_policy_file=policy,
        jwt_secret=JWT_SECRET,
    )
    app = create_app(settings)
    try:
        async for http in open_client(app):
            client = SecuredClient(app, http, patients, request.param)
            await apply_catalog_levels(client.services)
            await load_records(client.services, patients)
            yield client
    finally:
        if admin_url is not None:
            await _drop_postgres_database(admin_url, store_url)
