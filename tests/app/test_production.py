"""Production settings: no default secrets, no introspection, no GraphiQL; allow-lists."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.factory import create_app
from app.settings import Settings, SettingsError
from tests.app.conftest import make_settings, open_client

STRONG = "k3y-" + "x" * 40


def production(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"environment": "production", "secret_key": STRONG}
    values.update(overrides)
    return make_settings(tmp_path, **values)


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"secret_key": "change-me"}, "BIGONE_SECRET_KEY"),
        ({"secret_key": "short"}, "BIGONE_SECRET_KEY"),
        ({"jwt_secret": "secret"}, "BIGONE_JWT_SECRET"),
        (
            {
                "neo4j_uri": "bolt://db:7687",
                "neo4j_user": "neo4j",
                "neo4j_password": "neo4j",
            },
            "BIGONE_NEO4J_PASSWORD",
        ),
        ({"store_url": "postgresql+asyncpg://bigone:postgres@db/bigone"}, "STORE_URL"),
        ({"persisted_queries_only": True}, "PERSISTED_QUERIES_FILE"),
        ({"anonymous_roles": ["steward"]}, "BIGONE_ANONYMOUS_ROLES"),
    ],
)
def test_production_refuses_default_or_weak_secrets(
    tmp_path: Path, overrides: dict[str, object], complaint: str
) -> None:
    settings = production(tmp_path, **overrides)

    with pytest.raises(SettingsError, match=complaint):
        create_app(settings)


def test_production_with_strong_secrets_starts(tmp_path: Path) -> None:
    settings = production(tmp_path, jwt_secret=SecretStr("j" * 48))

    settings.check_production()

    assert not settings.graphiql_enabled
    assert not settings.introspection_enabled


async def test_production_answers_no_introspection_and_no_graphiql(
    tmp_path: Path,
) -> None:
    app = create_app(production(tmp_path))

    async for client in open_client(app):
        introspection = await client.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}
        )
        graphiql = await client.get("/graphql", headers={"accept": "text/html"})
        typename = await client.post(
            "/graphql", json={"query": "{ __typename version }"}
        )

        assert (
            "introspection has been disabled"
            in introspection.json()["errors"][0]["message"]
        )
        assert graphiql.status_code == 404
        assert typename.json()["data"]["__typename"] == "Query"


async def test_allow_list_mode_runs_only_persisted_documents(tmp_path: Path) -> None:
    allowed = "query Version { version }"
    digest = hashlib.sha256(allowed.encode()).hexdigest()
    listing = tmp_path / "persisted.json"
    listing.write_text(json.dumps({digest: allowed}), "utf-8")
    app = create_app(
        make_settings(
            tmp_path, persisted_queries_file=listing, persisted_queries_only=True
        )
    )
    by_hash = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}

    async for client in open_client(app):
        by_text = await client.post("/graphql", json={"query": allowed})
        hashed = await client.post("/graphql", json=by_hash)
        other = await client.post("/graphql", json={"query": "{ version }"})

        assert by_text.json()["data"]["version"]
        assert hashed.json() == by_text.json()
        assert "only persisted queries" in other.json()["errors"][0]["message"]


def test_persisted_queries_file_must_match_its_hashes(tmp_path: Path) -> None:
    listing = tmp_path / "persisted.json"
    listing.write_text(json.dumps({"0" * 64: "{ version }"}), "utf-8")

    with pytest.raises(SettingsError, match="does not match"):
        create_app(make_settings(tmp_path, persisted_queries_file=listing))


async def test_anonymous_roles_give_requests_without_credentials_their_roles(
    tmp_path: Path,
) -> None:
    async def viewer_roles(**overrides: object) -> list[str]:
        app = create_app(make_settings(tmp_path, **overrides))
        async for client in open_client(app):
            answer = await client.post(
                "/graphql", json={"query": "{ viewer { roles } }"}
            )
            return sorted(answer.json()["data"]["viewer"]["roles"])
        raise AssertionError("the app did not start")

    assert await viewer_roles() == ["public"]
    assert await viewer_roles(anonymous_roles=["steward"]) == ["public", "steward"]
