"""Ingesting the real corpora: counts, idempotence, mentions, share of voice,
monthly volume, and our sentiment against the tweets' emotion labels."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from analytics.reputation import issue_breakdown, share_of_voice
from analytics.sentiment import SentimentModel
from analytics.social_filters import PostFilter
from analytics.social_ingest import SocialAnalysers, build_analysers, ingest_posts
from analytics.social_prepare import prepare_posts
from analytics.trends import compute_trends, load_post_facts
from connectors.news import read_news
from graph.base import GraphStore
from linking.embedder import Embedder
from store.engine import create_session_factory
from store.social import SocialEmbedding, SocialPost, SocialPostEntity, SocialPostIssue
from tests.social_support import read_posts, vaccine_config

EMOTIONS = ["netral", "terkejut", "bahagia", "marah", "takut", "jijik", "sedih"]
EMOTION_POLARITY = {
    "netral": "neutral", "bahagia": "positive", "marah": "negative",
    "takut": "negative", "jijik": "negative", "sedih": "negative",
}  # fmt: skip


def vaccine_file(shared_data: Path) -> Path:
    return shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv"


def analysers_for(model: SentimentModel) -> SocialAnalysers:
    return build_analysers(
        vaccine_config(), sentiment=model, embedder=None, author_salt="t"
    )


def plain_words(text: str) -> str:
    """Lower-case words of a tweet: handles and links dropped, CamelCase hashtags split."""
    text = re.sub(r"https?://\S+|@\w+", " ", text)
    text = re.sub(
        r"#(\w+)", lambda m: " " + re.sub(r"(?<=[a-z])(?=[A-Z])", " ", m[1]), text
    )
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def independent_brand_counts(path: Path) -> Counter[str]:
    """Posts per brand by plain regular expressions over the raw text."""
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [plain_words(row["content"]) for row in csv.DictReader(handle)]
    for entity in vaccine_config().tracked_entities:
        forms = {
            " ".join(re.sub(r"[^0-9a-z]+", " ", n.lower()).split())
            for n in entity.all_names()
        }
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, forms)) + r")\b")
        counts[entity.key] = sum(1 for text in texts if pattern.search(text))
    return counts


async def test_vaccine_tweets_ingest_once_and_link_brands(
    shared_data: Path,
    store_engine: AsyncEngine,
    graph_store: GraphStore,
    trained_sentiment: tuple[SentimentModel, Path],
) -> None:
    sessions = create_session_factory(store_engine)
    posts = read_posts(vaccine_file(shared_data), "twitter")
    analysers = analysers_for(trained_sentiment[0])

    first = await ingest_posts(posts, sessions=sessions, graph=graph_store,
                               analysers=analysers, kind="social", input_name="vaksin",
                               embed=False)  # fmt: skip
    again = await ingest_posts(posts, sessions=sessions, graph=graph_store,
                               analysers=analysers, kind="social", input_name="vaksin",
                               embed=False)  # fmt: skip

    assert (first.read, first.inserted, first.duplicates) == (3595, 3595, 0)
    assert (again.inserted, again.duplicates, again.status) == (0, 3595, "unchanged")
    async with sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(SocialPost))
        mentions = await session.scalar(
            select(func.count()).select_from(SocialPostEntity)
        )
        hashed = await session.scalar(
            select(func.count()).where(SocialPost.author_hashed.is_(True))
        )
    assert stored == 3595
    assert hashed == 3595
    assert first.edges == mentions == first.mentions
    sinovac = await graph_store.list_edges(
        "entity:tracked:sinovac", types=["MENTIONS"], direction="in"
    )
    expected = independent_brand_counts(vaccine_file(shared_data))
    assert len(sinovac) == expected["sinovac"] > 0


async def test_share_of_voice_equals_an_independent_count(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
) -> None:
    sessions = create_session_factory(store_engine)
    posts = read_posts(vaccine_file(shared_data), "twitter")
    await ingest_posts(posts, sessions=sessions, graph=None,
                       analysers=analysers_for(trained_sentiment[0]), kind="social",
                       input_name="vaksin", embed=False)  # fmt: skip

    async with sessions() as session:
        shares = await share_of_voice(
            session, vaccine_config().tracked_entities, PostFilter()
        )
        # Filtering by entity joins the mention table twice (found by the fuzzer).
        sinovac_only = await share_of_voice(
            session, vaccine_config().tracked_entities, PostFilter(entities=["sinovac"])
        )
        every_issue = await issue_breakdown(session, PostFilter())
        health_only = await issue_breakdown(session, PostFilter(issues=["health"]))

    expected = independent_brand_counts(vaccine_file(shared_data))
    by_entity = {s.entity: s.posts for s in sinovac_only}
    assert by_entity["sinovac"] == expected["sinovac"]
    assert all(by_entity[key] <= expected[key] for key in by_entity)
    health = next(item.posts for item in every_issue if item.issue == "health")
    assert health > 0
    assert next(i.posts for i in health_only if i.issue == "health") == health
    assert {s.entity: s.posts for s in shares} == {
        e.key: expected[e.key] for e in vaccine_config().tracked_entities
    }
    total = sum(expected.values())
    for share in shares:
        assert share.share == round(expected[share.entity] / total, 6)
    print("\nshare of voice:", {s.name: f"{s.posts} ({s.share:.1%})" for s in shares})


async def test_monthly_volume_matches_an_independent_count(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
) -> None:
    sessions = create_session_factory(store_engine)
    posts = read_posts(vaccine_file(shared_data), "twitter")
    await ingest_posts(posts, sessions=sessions, graph=None,
                       analysers=analysers_for(trained_sentiment[0]), kind="social",
                       input_name="vaksin", embed=False)  # fmt: skip

    async with sessions() as session:
        facts = await load_post_facts(session, PostFilter())
    series = compute_trends(facts, dimension="total", granularity="month")[0]

    with vaccine_file(shared_data).open(encoding="utf-8", newline="") as handle:
        months = Counter(
            (datetime.fromisoformat(row["date"]) + timedelta(hours=7)).strftime("%Y-%m")
            for row in csv.DictReader(handle)
        )  # months in WIB, the regency's zone
    assert {p.bucket.strftime("%Y-%m"): p.count for p in series.points} == dict(months)
    assert len(series.points) == 12 or "2022-01" in months


async def test_emotion_labels_against_our_sentiment_per_brand(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
) -> None:
    sessions = create_session_factory(store_engine)
    posts = read_posts(vaccine_file(shared_data), "twitter")
    await ingest_posts(posts, sessions=sessions, graph=None,
                       analysers=analysers_for(trained_sentiment[0]), kind="social",
                       input_name="vaksin", embed=False)  # fmt: skip
    with vaccine_file(shared_data).open(encoding="utf-8", newline="") as handle:
        labels = {
            row["url"].rsplit("/", 1)[1]: row["label"] for row in csv.DictReader(handle)
        }

    async with sessions() as session:
        rows = (await session.execute(
            select(SocialPost.post_id, SocialPost.sentiment, SocialPostEntity.entity)
            .outerjoin(SocialPostEntity, SocialPostEntity.post_id == SocialPost.id)
        )).all()  # fmt: skip

    agreement: dict[str, list[bool]] = {}
    for post_id, sentiment, entity in rows:
        label = labels[post_id]
        if label == "" or EMOTIONS[int(label)] not in EMOTION_POLARITY:
            continue
        same = EMOTION_POLARITY[EMOTIONS[int(label)]] == sentiment
        agreement.setdefault(entity or "(no brand)", []).append(same)
        agreement.setdefault("(all)", []).append(same)
    report = {
        k: f"{sum(v) / len(v):.1%} of {len(v)}" for k, v in sorted(agreement.items())
    }
    print("\nemotion vs sentiment agreement:", report)

    overall = agreement["(all)"]
    assert len(overall) > 2000
    # Three-way chance agreement is about a third; the labels are emotions, not
    # polarity, so agreement is expected to be moderate.
    assert sum(overall) / len(overall) > 0.4


async def test_hatespeech_tweets_without_ids_keep_their_repeats(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
) -> None:
    sessions = create_session_factory(store_engine)
    posts = read_posts(
        shared_data / "id-hatespeech-abusive" / "re_dataset.csv", "twitter"
    )
    analysers = analysers_for(trained_sentiment[0])

    first = await ingest_posts(posts, sessions=sessions, graph=None, analysers=analysers,
                               kind="social", input_name="hs", embed=False)  # fmt: skip
    again = await ingest_posts(posts, sessions=sessions, graph=None, analysers=analysers,
                               kind="social", input_name="hs", embed=False)  # fmt: skip

    assert first.inserted == 13_169
    assert again.inserted == 0
    assert again.duplicates == 13_169


async def test_news_dumps_ingest_once(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
) -> None:
    sessions = create_session_factory(store_engine)
    analysers = analysers_for(trained_sentiment[0])
    counts = {}
    for name in ("tribunnews.csv", "pos_metro.csv"):
        articles = read_news(str(shared_data / "click-id-news" / name))
        first = await ingest_posts(articles, sessions=sessions, graph=None,
                                   analysers=analysers, kind="news", input_name=name,
                                   embed=False)  # fmt: skip
        again = await ingest_posts(articles, sessions=sessions, graph=None,
                                   analysers=analysers, kind="news", input_name=name,
                                   embed=False)  # fmt: skip
        counts[name] = (first.inserted, again.inserted)

    assert counts == {"tribunnews.csv": (1500, 0), "pos_metro.csv": (307, 0)}


async def test_embeddings_are_pipelined_and_cached_once_per_text(
    shared_data: Path,
    store_engine: AsyncEngine,
    trained_sentiment: tuple[SentimentModel, Path],
    embedder: Embedder,
) -> None:
    sessions = create_session_factory(store_engine)
    posts = read_posts(vaccine_file(shared_data), "twitter")[:12]
    # The same texts again under new ids: in later batches, so their vectors are
    # looked up before the first batches' vectors are written.
    posts += [replace(p, post_id=f"copy-{p.post_id}") for p in posts]
    analysers = build_analysers(
        vaccine_config(), sentiment=trained_sentiment[0], embedder=embedder,
        author_salt="t",
    )  # fmt: skip
    done: list[int] = []

    report = await ingest_posts(posts, sessions=sessions, graph=None,
                                analysers=analysers, kind="social", input_name="v",
                                batch_size=5, progress=lambda n, _: done.append(n))  # fmt: skip

    async with sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(SocialEmbedding))
        issues = await session.scalar(select(func.count()).select_from(SocialPostIssue))
    hashes = {p.text_hash for p in prepare_posts(posts, "t")}
    assert report.inserted == 24
    assert report.embedded == stored == len(hashes)
    assert len(hashes) <= 12
    assert issues is not None
    assert issues >= 24
    assert done == [5, 10, 15, 20, 24]
