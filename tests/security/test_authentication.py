"""API keys and bearer tokens: accepted, refused, revoked, expired; rate limits."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.factory import create_app
from resolvers.context import Services
from security.keys import create_api_key, revoke_api_key
from store.catalog import Agency
from store.engine import create_session_factory, create_store_engine
from tests.app.conftest import make_settings, open_client
from tests.security.conftest import JWT_SECRET

VIEWER = {"query": "{ viewer { subject roles agency authenticatedBy } }"}


def rsa_jwks(tmp_path: Path) -> tuple[rsa.RSAPrivateKey, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public.update(kid="bigone-test", use="sig", alg="RS256")
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [public]}), "utf-8")
    return key, path


@pytest.fixture
async def auth_app(
    tmp_path: Path, store_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Services, rsa.RSAPrivateKey]]:
    key, jwks = rsa_jwks(tmp_path)
    settings = make_settings(
        tmp_path,
        store_url=store_url,
        jwt_secret=JWT_SECRET,
        jwt_jwks_file=jwks,
        jwt_audience="bigone",
    )
    app = create_app(settings)
    async for client in open_client(app):
        yield client, app.state.services_ref["services"], key


async def test_api_key_authenticates_with_its_roles_and_agency(
    auth_app: tuple[httpx.AsyncClient, Services, rsa.RSAPrivateKey],
) -> None:
    client, services, _ = auth_app
    async with services.sessions() as session, session.begin():
        session.add(Agency(slug="dinkes", name="Dinas Kesehatan"))
    created = await create_api_key(
        services.sessions, roles=frozenset({"agency", "analyst"}), agency="dinkes"
    )

    by_header = await client.post(
        "/graphql", json=VIEWER, headers={"x-api-key": created.token}
    )
    by_bearer = await client.post(
        "/graphql", json=VIEWER, headers={"authorization": f"Bearer {created.token}"}
    )

    assert by_header.json() == by_bearer.json()
    assert by_header.json()["data"]["viewer"] == {
        "subject": f"key:{created.prefix}",
        "roles": ["agency", "analyst", "public"],
        "agency": "dinkes",
        "authenticatedBy": "api_key",
    }


async def test_wrong_and_revoked_keys_are_401(
    auth_app: tuple[httpx.AsyncClient, Services, rsa.RSAPrivateKey],
) -> None:
    client, services, _ = auth_app
    created = await create_api_key(services.sessions, roles=frozenset({"analyst"}))
    forged = created.token[:-4] + "AAAA"
    await revoke_api_key(services.sessions, created.prefix)
    assert services.security is not None
    services.security.authenticator._keys._cache.clear()

    wrong = await client.post("/graphql", json=VIEWER, headers={"x-api-key": forged})
    unknown = await client.post("/graphql", json=VIEWER, headers={"x-api-key": "nope"})
    revoked = await client.post(
        "/graphql", json=VIEWER, headers={"x-api-key": created.token}
    )

    assert wrong.status_code == revoked.status_code == unknown.status_code == 401
    # An API key was sent, so the answer is about the key, not bearer tokens.
    assert "API key is not known" in unknown.json()["errors"][0]["message"]
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    assert revoked.json()["errors"][0]["message"].endswith("has been revoked")


async def test_rs256_token_from_the_jwks_is_accepted(
    auth_app: tuple[httpx.AsyncClient, Services, rsa.RSAPrivateKey],
) -> None:
    client, _, key = auth_app
    claims = {
        "sub": "budi",
        "roles": "steward",
        "aud": "bigone",
        "exp": time.time() + 60,
    }
    bearer = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bigone-test"})

    response = await client.post(
        "/graphql", json=VIEWER, headers={"authorization": f"Bearer {bearer}"}
    )

    assert response.json()["data"]["viewer"]["subject"] == "jwt:budi"
    assert response.json()["data"]["viewer"]["roles"] == ["public", "steward"]


@pytest.mark.parametrize(
    ("claims", "secret", "algorithm", "message"),
    [
        ({"exp": -120}, JWT_SECRET, "HS256", "expired"),
        ({}, "another-secret-of-sufficient-length-0123456789", "HS256", "not valid"),
        ({"aud": "someone-else"}, JWT_SECRET, "HS256", "not valid"),
        ({"roles": ["root"]}, JWT_SECRET, "HS256", "unknown role"),
        ({"roles": ["agency"]}, JWT_SECRET, "HS256", "without an agency"),
        ({}, JWT_SECRET * 2, "HS512", "not accepted"),
        ({"roles": 5}, JWT_SECRET, "HS256", "'roles' claim must be a list"),
        ({"roles": [5]}, JWT_SECRET, "HS256", "'roles' claim must be a list"),
        ({"agency": {"x": 1}}, JWT_SECRET, "HS256", "'agency' claim must be a string"),
    ],
    ids=[
        "expired",
        "bad-signature",
        "audience",
        "unknown-role",
        "agency-without-slug",
        "alg",
        "roles-number",
        "roles-of-numbers",
        "agency-mapping",
    ],
)
async def test_bad_tokens_are_401(
    auth_app: tuple[httpx.AsyncClient, Services, rsa.RSAPrivateKey],
    claims: dict[str, object],
    secret: str,
    algorithm: str,
    message: str,
) -> None:
    client, _, _ = auth_app
    body = {"sub": "x", "aud": "bigone", "roles": ["analyst"], **claims}
    body["exp"] = time.time() + float(claims.get("exp", 60))  # type: ignore[arg-type]
    bearer = jwt.encode(body, secret, algorithm=algorithm)

    response = await client.post(
        "/graphql", json=VIEWER, headers={"authorization": f"Bearer {bearer}"}
    )

    assert response.status_code == 401
    assert message in response.json()["errors"][0]["message"]


async def test_unsigned_token_is_refused(
    auth_app: tuple[httpx.AsyncClient, Services, rsa.RSAPrivateKey],
) -> None:
    client, _, _ = auth_app
    bearer = jwt.encode({"sub": "x", "roles": ["admin"]}, None, algorithm="none")

    response = await client.post(
        "/graphql", json=VIEWER, headers={"authorization": f"Bearer {bearer}"}
    )

    assert response.status_code == 401


async def test_anonymous_requests_can_be_refused(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, allow_anonymous=False))

    async for client in open_client(app):
        response = await client.post("/graphql", json=VIEWER)

        assert response.status_code == 401
        assert "needs credentials" in response.json()["errors"][0]["message"]


async def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    # A token every 10 s: a slow machine cannot refill one during the test.
    app = create_app(
        make_settings(tmp_path, rate_limit_per_minute=6, rate_limit_burst=3)
    )

    async for client in open_client(app):
        statuses = [
            (await client.post("/graphql", json=VIEWER)).status_code for _ in range(5)
        ]
        limited = await client.post("/graphql", json=VIEWER)

        assert statuses == [200, 200, 200, 429, 429]
        assert limited.status_code == 429
        # The header is the wait rounded to whole seconds; a token
        # takes 10 s to refill, so the wait is at most that.
        message = limited.json()["errors"][0]["message"]
        wait = float(re.search(r"retry in ([\d.]+) s", message).group(1))  # type: ignore[union-attr]
        assert wait <= 10.0
        # (the message shows a tenth of a second, so the two may round apart by one
        # at the half second)
        assert abs(int(limited.headers["retry-after"]) - max(1.0, wait)) <= 0.55


async def test_keys_cannot_be_checked_while_the_store_is_down(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    down = create_store_engine("postgresql+asyncpg://bigone:x@127.0.0.1:9/absent")

    async for client in open_client(app):
        security = app.state.services_ref["services"].security
        # The key lookups now reach a store that refuses connections.
        security.authenticator._keys._sessions = create_session_factory(down)
        response = await client.post(
            "/graphql", json=VIEWER, headers={"x-api-key": "bo_abcd1234_secret"}
        )

        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert "store does not answer" in response.json()["errors"][0]["message"]
    await down.dispose()
