"""GraphQL-over-HTTP conventions, on the embedded defaults."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.factory import create_app
from tests.app.conftest import make_settings, open_client

RESPONSE_TYPE = "application/graphql-response+json"


@pytest.fixture
async def embedded_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in open_client(create_app(make_settings(tmp_path))):
        yield client


async def test_unparsable_json_body_is_400(embedded_client: httpx.AsyncClient) -> None:
    response = await embedded_client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 400


async def test_graphql_response_media_type_is_negotiated(
    embedded_client: httpx.AsyncClient,
) -> None:
    response = await embedded_client.post(
        "/graphql", json={"query": "{__typename}"}, headers={"accept": RESPONSE_TYPE}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(RESPONSE_TYPE)
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_syntax_error_is_400_with_graphql_response_type(
    embedded_client: httpx.AsyncClient,
) -> None:
    response = await embedded_client.post(
        "/graphql", json={"query": "{ __typename"}, headers={"accept": RESPONSE_TYPE}
    )

    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


async def test_syntax_error_is_200_with_plain_json(
    embedded_client: httpx.AsyncClient,
) -> None:
    response = await embedded_client.post(
        "/graphql",
        json={"query": "{ __typename"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json()["errors"]


async def test_unknown_field_names_the_field(
    embedded_client: httpx.AsyncClient,
) -> None:
    response = await embedded_client.post("/graphql", json={"query": "{ nope }"})

    assert "Cannot query field 'nope' on type 'Query'" in response.text


async def test_healthz_and_landing_page(embedded_client: httpx.AsyncClient) -> None:
    health = await embedded_client.get("/healthz")
    landing = await embedded_client.get("/")

    assert health.json()["checks"]["graph"]["backend"] == "embedded"
    assert landing.status_code == 200
    assert "Big One" in landing.text


@pytest.mark.parametrize("body", [b'"x"', b"123", b"null", b"true"])
async def test_json_body_that_is_not_an_object_is_400(
    embedded_client: httpx.AsyncClient, body: bytes
) -> None:
    response = await embedded_client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert "JSON object" in response.text


def test_json_values_with_non_text_keys_encode_as_json_does() -> None:
    from app.http import GraphQLEndpoint

    encoded = GraphQLEndpoint.encode_json(None, {"data": {"row": {1: "a", 2.5: "b"}}})  # type: ignore[arg-type]

    assert encoded == b'{"data":{"row":{"1":"a","2.5":"b"}}}'


@pytest.mark.parametrize("body", [{}, {"query": None}, {"query": ""}])
async def test_request_without_a_query_is_400_with_a_graphql_error(
    embedded_client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    response = await embedded_client.post("/graphql", json=body)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "no GraphQL query" in error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_get_without_a_query_is_400_with_a_graphql_error(
    embedded_client: httpx.AsyncClient,
) -> None:
    response = await embedded_client.get("/graphql", params={"query": ""})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_unknown_persisted_query_hash_is_not_found_like_apollo(
    embedded_client: httpx.AsyncClient,
) -> None:
    digest = "ab" * 32
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}

    response = await embedded_client.post("/graphql", json=body)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_listed_persisted_query_hash_runs_without_allow_list_mode(
    tmp_path: Path,
) -> None:
    document = "{ __typename }"
    listing = tmp_path / "persisted.json"
    listing.write_text(f'["{document}"]', encoding="utf-8")
    digest = hashlib.sha256(document.encode()).hexdigest()
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    app = create_app(make_settings(tmp_path, persisted_queries_file=listing))

    async for client in open_client(app):
        response = await client.post("/graphql", json=body)

        assert response.status_code == 200
        assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{ datasets(first: 501) { totalCount } }", "first must be between 0 and 500"),
        ("{ datasets(offset: -1) { totalCount } }", "offset must be 0 or more"),
        ("{ regions(offset: -1) { totalCount } }", "offset must be 0 or more"),
        ("{ posts(offset: -1) { total } }", "offset must be 0 or more"),
        (
            "{ priceAlerts(windowDays: 100000000) { staple } }",
            "windowDays must be between 1 and 3660",
        ),
    ],
)
async def test_out_of_range_paging_and_window_arguments_are_refused(
    embedded_client: httpx.AsyncClient, document: str, message: str
) -> None:
    response = await embedded_client.post("/graphql", json={"query": document})

    errors = response.json()["errors"]
    assert message in errors[0]["message"], errors
