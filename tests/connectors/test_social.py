"""The connector over stored posts: describe, push-down query and aggregate,
load by keys in one statement, stream in key order; on both store backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from analytics.sentiment import SentimentModel
from analytics.social_ingest import build_analysers, ingest_posts
from connectors.base import (
    Aggregate,
    AggregateQuery,
    And,
    Condition,
    RowQuery,
    Sort,
    UnknownDatasetError,
)
from connectors.social import SocialPostsConnector
from store.engine import create_session_factory
from tests.social_support import read_posts, vaccine_config


@pytest.fixture
async def connector(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
) -> SocialPostsConnector:
    posts = read_posts(
        shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv", "twitter"
    )
    analysers = build_analysers(
        vaccine_config(), sentiment=trained_sentiment[0], embedder=None, author_salt="t"
    )
    await ingest_posts(
        posts[:600],
        sessions=create_session_factory(store_engine),
        graph=None,
        analysers=analysers,
        kind="social",
        input_name="vaksin",
        embed=False,
    )
    return SocialPostsConnector("social", store_engine)


async def test_describe_names_the_datasets(connector: SocialPostsConnector) -> None:
    datasets = {d.name: d for d in await connector.describe()}

    assert set(datasets) == {"posts", "post_issues", "post_entities"}
    assert datasets["posts"].column("posted_at").data_type == "datetime"
    assert datasets["post_entities"].relations[0].target_dataset == "posts"


async def test_query_filters_sorts_and_pages_in_sql(
    connector: SocialPostsConnector,
) -> None:
    query = RowQuery(
        dataset="posts",
        filter=And((Condition("platform", "eq", "twitter"),
                    Condition("text", "contains", "Sinovac"))),
        order_by=(Sort("posted_at", descending=True),),
        limit=5,
        columns=("id", "post_id", "posted_at", "text", "sentiment"),
        with_total=True,
    )  # fmt: skip

    page = await connector.query(query)

    assert page.total is not None
    assert page.total >= len(page.rows) == 5
    times = [row["posted_at"] for row in page.rows]
    assert times == sorted(times, reverse=True)
    assert all("sinovac" in row["text"].lower() for row in page.rows)


async def test_aggregate_counts_by_sentiment(connector: SocialPostsConnector) -> None:
    rows = await connector.aggregate(
        AggregateQuery(
            dataset="posts",
            aggregates=(Aggregate("count"), Aggregate("avg", "sentiment_score")),
            group_by=("sentiment",),
        )
    )

    assert sum(row["count__all"] for row in rows) == 600
    assert {row["sentiment"] for row in rows} <= {"positive", "neutral", "negative"}


async def test_load_by_keys_keeps_key_order(connector: SocialPostsConnector) -> None:
    page = await connector.query(RowQuery("posts", columns=("id",), limit=3))
    keys = [(row["id"],) for row in reversed(page.rows)] + [(-1,)]

    found = await connector.load_by_keys("posts", ["id"], keys)

    assert [rows[0]["id"] if rows else None for rows in found] == [
        k[0] for k in keys[:3]
    ] + [None]


async def test_stream_visits_every_row_once(connector: SocialPostsConnector) -> None:
    seen = [row["id"] async for batch in connector.stream("posts", batch_size=128)
            for row in batch]  # fmt: skip

    assert len(seen) == len(set(seen)) == 600
    assert seen == sorted(seen)


async def test_unknown_names_are_refused(connector: SocialPostsConnector) -> None:
    with pytest.raises(UnknownDatasetError, match="listings"):
        await connector.query(RowQuery("listings"))
    with pytest.raises(UnknownDatasetError, match="password"):
        await connector.query(RowQuery("posts", columns=("password",)))
