"""Big Social through the ASGI app: every query field, on each store × graph backend."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from analytics.sentiment import SentimentModel
from app.factory import create_app
from app.social_setup import SOCIAL_SERVICE
from tests.app.conftest import make_settings, neo4j_overrides, open_client
from tests.social_support import VACCINE_CONFIG, read_posts, trained_sentiment

__all__ = ["trained_sentiment"]

POSTS = 150


@pytest.fixture(params=["embedded", "neo4j"])
async def social_client(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    store_url: str,
    shared_data: Path,
    trained_sentiment: tuple[SentimentModel, Path],
) -> AsyncIterator[httpx.AsyncClient]:
    """The app over the first vaccine tweets, ingested with embeddings."""
    (tmp_path / "models").mkdir()
    shutil.copy(trained_sentiment[1], tmp_path / "models" / "sentiment.joblib")
    config = tmp_path / "bigone.yaml"
    config.write_text(VACCINE_CONFIG, "utf-8")
    overrides: dict[str, object] = {"store_url": store_url, "config": config}
    if request.param == "neo4j":
        overrides.update(neo4j_overrides())
    app = create_app(make_settings(tmp_path, **overrides))
    posts = read_posts(
        shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv", "twitter"
    )
    async for client in open_client(app):
        service = app.state.services_ref["services"].extras[SOCIAL_SERVICE]
        await service.ingest(posts[:POSTS], kind="social", input_name="vaksin",
                             input_checksum=None)  # fmt: skip
        yield client


async def run(
    client: httpx.AsyncClient, query: str, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def test_every_read_field(social_client: httpx.AsyncClient) -> None:
    """One app per backend pair is costly, so one test reads every field."""
    await check_posts_page(social_client)
    await check_aggregates(social_client)


async def check_posts_page(social_client: httpx.AsyncClient) -> None:
    data = await run(social_client, """
        query ($f: PostFilterInput) {
          posts(filter: $f, limit: 5, order: NEWEST) {
            total
            items { id platform postId authorHashed postedAt sentiment language
                    issues { issue confidence method } }
          }
        }""", f={"platforms": ["twitter"]})  # fmt: skip

    page = data["posts"]
    assert page["total"] == POSTS
    assert len(page["items"]) == 5
    assert all(item["authorHashed"] for item in page["items"])
    assert all(item["issues"] for item in page["items"])
    stamps = [item["postedAt"] for item in page["items"]]
    assert stamps == sorted(stamps, reverse=True)


async def check_aggregates(social_client: httpx.AsyncClient) -> None:
    data = await run(social_client, """
        {
          socialTrends(dimension: TOTAL, granularity: MONTH) {
            key total points { bucket count isSpike } }
          hashtags: socialTrends(dimension: HASHTAG, granularity: DAY, limit: 3) {
            key total }
          socialTopTerms(limit: 5) { term posts }
          sentimentSeries(granularity: MONTH, filter: {entities: ["sinovac"]}) {
            bucket sentiment { positive neutral negative total net } }
          issueBreakdown { issue label posts share meanConfidence }
          shareOfVoice { entity name posts share sentiment { net } }
          influencers(limit: 3) { platform author posts engagement }
        }""")  # fmt: skip

    assert data["socialTrends"][0]["total"] == POSTS
    assert sum(p["count"] for p in data["socialTrends"][0]["points"]) == POSTS
    assert len(data["socialTopTerms"]) == 5
    voice = {row["entity"]: row["posts"] for row in data["shareOfVoice"]}
    sinovac_series = sum(p["sentiment"]["total"] for p in data["sentimentSeries"])
    assert sinovac_series == voice["sinovac"]
    assert abs(sum(row["share"] for row in data["shareOfVoice"]) - 1.0) < 1e-6
    assert {row["issue"] for row in data["issueBreakdown"]} & {"health", "other"}
    assert len(data["influencers"]) == 3


async def test_search_posts_by_meaning_with_filters(
    social_client: httpx.AsyncClient,
) -> None:
    data = await run(social_client, """
        query ($q: String!) {
          searchPosts(query: $q, limit: 5, filter: {platforms: ["twitter"]}) {
            score post { text } }
          none: searchPosts(query: $q, filter: {platforms: ["tiktok"]}) { score }
        }""", q="vaksin Sinovac halal")  # fmt: skip

    hits = data["searchPosts"]
    assert len(hits) == 5
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert any("sinovac" in hit["post"]["text"].lower() for hit in hits)
    assert data["none"] == []
