"""Ingesting posts and articles: analyse, deduplicate, store, link to entities.

One run is atomic in the store: every new post, its issues and mentions, the
embeddings it needs and the run record are written in one transaction. The
MENTIONS edges are written to the graph after that commit (the embedded graph
lives in the same SQLite file, which has one writer); graph writes are
idempotent, and a graph failure is reported in the run without losing the posts.
Posts already stored under the same ``(platform, post_id)`` are skipped, so
re-ingesting adds nothing.
Embeddings are computed in batches on the embedder's thread, off the event loop,
and cached in the store by text hash and model.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.issues import IssueClassifier, IssueScore
from analytics.mentions import Mention, MentionMatcher
from analytics.sentiment import SentimentModel
from analytics.social_config import SocialAnalyticsConfig
from analytics.social_prepare import PreparedPost, prepare_posts
from connectors.social_records import RawPost
from graph.base import EdgeInput, GraphError, GraphStore, NodeInput
from linking.embedder import Embedder, Vectors
from store.base import utcnow
from store.catalog import IngestionRun
from store.engine import transaction
from store.social import SocialEmbedding, SocialPost, SocialPostEntity, SocialPostIssue

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
KEY_CHUNK = 400


@dataclass
class SocialAnalysers:
    """What ingestion runs over each post. Created once; safe to share."""

    sentiment: SentimentModel | None
    issues: IssueClassifier
    mentions: MentionMatcher
    embedder: Embedder | None
    author_salt: str
    config: SocialAnalyticsConfig = field(default_factory=SocialAnalyticsConfig)

    async def prepare_issue_prototypes(self) -> None:
        if self.embedder is not None and self.issues.prototypes is None:
            vectors = await self.embedder.encode_async(self.issues.prototype_texts())
            self.issues.set_prototypes(vectors)


@dataclass
class IngestReport:
    run_id: int | None
    input_name: str
    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    embedded: int = 0
    embeddings_cached: int = 0
    mentions: int = 0
    edges: int = 0
    seconds: float = 0.0
    status: str = "running"
    details: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "embedded": self.embedded,
            "embeddings_cached": self.embeddings_cached,
            "mentions": self.mentions,
            "edges": self.edges,
        }


@dataclass(frozen=True)
class AnalysedPost:
    post: PreparedPost
    sentiment: str | None
    sentiment_score: float | None
    issues: list[IssueScore]
    mentions: list[Mention]


async def find_existing_keys(
    session: AsyncSession, keys: Sequence[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which ``(platform, post_id)`` keys are already stored."""
    found: set[tuple[str, str]] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        statement = select(SocialPost.platform, SocialPost.post_id).where(
            tuple_(SocialPost.platform, SocialPost.post_id).in_(chunk)
        )
        found.update((p, i) for p, i in (await session.execute(statement)).all())
    return found


async def load_cached_vectors(
    session: AsyncSession, hashes: Sequence[str], model: str
) -> dict[str, Vectors]:
    """Cached embeddings by text hash for ``model``."""
    found: dict[str, Vectors] = {}
    for start in range(0, len(hashes), KEY_CHUNK):
        statement = select(SocialEmbedding.text_hash, SocialEmbedding.vector).where(
            SocialEmbedding.model == model,
            SocialEmbedding.text_hash.in_(hashes[start : start + KEY_CHUNK]),
        )
        for text_hash, blob in (await session.execute(statement)).all():
            found[text_hash] = np.frombuffer(blob, dtype=np.float32)
    return found


@dataclass
class PendingVectors:
    """A batch's vectors: those found in the store, and the rest being encoded."""

    found: dict[str, Vectors]
    missing: list[str]
    encoding: asyncio.Future[Vectors] | None = None

    def cancel(self) -> None:
        if self.encoding is not None:
            self.encoding.cancel()


async def start_embedding(
    session: AsyncSession,
    posts: Sequence[PreparedPost],
    embedder: Embedder,
    report: IngestReport,
) -> PendingVectors:
    """Cached vectors by text hash; the missing texts start encoding off the loop.

    The encoding runs on the embedder's thread while the caller goes on (the
    next batch is encoded while this one is analysed and stored).
    """
    unique = {p.text_hash: p.normalised_text for p in posts}
    found = await load_cached_vectors(session, list(unique), embedder.cache_key)
    report.embeddings_cached += len(found)
    missing = [h for h in unique if h not in found]
    pending = PendingVectors(found, missing)
    if missing:
        texts = [unique[h] for h in missing]
        pending.encoding = asyncio.ensure_future(embedder.encode_async(texts))
    return pending


async def finish_embedding(
    session: AsyncSession,
    pending: PendingVectors,
    embedder: Embedder,
    report: IngestReport,
    written: set[str] | None = None,
) -> dict[str, Vectors]:
    """Wait for the encoding, cache the new vectors; returns all by text hash.

    ``written`` holds the hashes this run has cached already: a text repeated
    in the next batch was looked up before this batch's vectors were written,
    and is not written twice.
    """
    if pending.encoding is None:
        return pending.found
    encoded = await pending.encoding
    written = set() if written is None else written

    # Keyed by model and backend (not Embedder.version, which would load the
    # model just to learn its dimension).
    rows = [
        {"text_hash": h, "model": embedder.cache_key, "dimensions": int(v.shape[0]),
         "vector": v.astype(np.float32).tobytes()}
        for h, v in zip(pending.missing, encoded, strict=True)
        if h not in written
    ]  # fmt: skip
    if rows:
        await session.execute(insert(SocialEmbedding), rows)
    written.update(pending.missing)
    report.embedded += len(rows)
    return {**pending.found, **dict(zip(pending.missing, encoded, strict=True))}


async def embed_posts(
    session: AsyncSession,
    posts: Sequence[PreparedPost],
    embedder: Embedder,
    report: IngestReport,
) -> dict[str, Vectors]:
    """Vectors by text hash: from the store cache, else encoded and cached."""
    pending = await start_embedding(session, posts, embedder, report)
    return await finish_embedding(session, pending, embedder, report)


def analyse_batch(
    posts: Sequence[PreparedPost],
    vectors: dict[str, Vectors],
    analysers: SocialAnalysers,
) -> list[AnalysedPost]:
    """Sentiment, issues and mentions of a batch (CPU-bound)."""
    sentiments = (
        analysers.sentiment.predict([p.analysis_text for p in posts])
        if analysers.sentiment
        else [None] * len(posts)
    )
    analysed = []
    for post, sentiment in zip(posts, sentiments, strict=True):
        analysed.append(
            AnalysedPost(
                post=post,
                sentiment=sentiment.label if sentiment else None,
                sentiment_score=round(sentiment.score, 4) if sentiment else None,
                issues=analysers.issues.classify(
                    post.normalised_text, vectors.get(post.text_hash)
                ),
                mentions=analysers.mentions.find(post.normalised_text),
            )
        )
    return analysed


def build_analysers(
    config: SocialAnalyticsConfig,
    *,
    sentiment: SentimentModel | None,
    embedder: Embedder | None,
    author_salt: str,
) -> SocialAnalysers:
    """Analysers for a configuration: its taxonomy, tracked entities and models."""
    return SocialAnalysers(
        sentiment=sentiment,
        issues=IssueClassifier(config.taxonomy(), config.issue_threshold),
        mentions=MentionMatcher(config.tracked_entities),
        embedder=embedder,
        author_salt=author_salt,
        config=config,
    )


def post_row(item: AnalysedPost, run_id: int) -> dict[str, Any]:
    post, raw = item.post, item.post.raw
    offset = raw.posted_at.utcoffset() if raw.posted_at else None
    return {
        "platform": raw.platform, "post_id": post.post_id, "kind": raw.kind,
        "author": post.author, "author_hashed": post.author_hashed,
        "title": raw.title[:1000] if raw.title else None, "text": raw.text,
        "normalised_text": post.normalised_text, "posted_at": raw.posted_at,
        "utc_offset_minutes": int(offset.total_seconds() // 60) if offset else 420,
        "likes": raw.likes, "shares": raw.shares, "replies": raw.replies,
        "views": raw.views, "url": raw.url[:2000] if raw.url else None,
        "language": post.language, "reply_to": raw.reply_to, "quote_of": raw.quote_of,
        "source_name": raw.source_name, "category": raw.category,
        "content_hash": post.content_hash, "text_hash": post.text_hash,
        "hashtags": list(post.hashtags), "mentions": list(post.mentions),
        "sentiment": item.sentiment, "sentiment_score": item.sentiment_score,
        "extra": raw.extra, "ingestion_run_id": run_id, "created_at": utcnow(),
    }  # fmt: skip


async def store_batch(
    session: AsyncSession, items: Sequence[AnalysedPost], run_id: int
) -> dict[tuple[str, str], int]:
    """Insert posts with their issues and mentions; returns store ids by key."""
    result = await session.execute(
        insert(SocialPost).returning(
            SocialPost.id, SocialPost.platform, SocialPost.post_id
        ),
        [post_row(item, run_id) for item in items],
    )
    ids = {(platform, post_id): pk for pk, platform, post_id in result.all()}
    issue_rows = [
        {"post_id": ids[i.post.key], "issue": s.issue, "confidence": s.confidence,
         "method": s.method}
        for i in items for s in i.issues
    ]  # fmt: skip
    mention_rows = [
        {"post_id": ids[i.post.key], "entity": m.entity, "alias": m.alias}
        for i in items
        for m in i.mentions
    ]
    if issue_rows:
        await session.execute(insert(SocialPostIssue), issue_rows)
    if mention_rows:
        await session.execute(insert(SocialPostEntity), mention_rows)
    return ids


def post_node_id(platform: str, post_id: str) -> str:
    return f"post:{platform}:{post_id}"


async def link_mentions(
    graph: GraphStore, items: Sequence[AnalysedPost], analysers: SocialAnalysers
) -> int:
    """Post nodes and MENTIONS edges to tracked entities; returns edges written."""
    linked = [item for item in items if item.mentions]
    if not linked:
        return 0
    entities = {e.key: e for e in analysers.mentions.entities}
    await graph.upsert_nodes(
        [NodeInput(id=e.node_id, label="Entity", name=e.name, kind=e.kind,
                   properties={"tracked": True, "aliases": list(e.aliases)})
         for e in entities.values()]
    )  # fmt: skip
    await graph.upsert_nodes([post_node(item) for item in linked])
    edges = [
        EdgeInput(
            type="MENTIONS",
            source_id=post_node_id(*item.post.key),
            target_id=entities[m.entity].node_id,
            properties={"alias": m.alias, "method": "alias", "status": "auto",
                        "sentiment": item.sentiment},
        )
        for item in linked
        for m in item.mentions
    ]  # fmt: skip
    return await graph.upsert_edges(edges)


def post_node(item: AnalysedPost) -> NodeInput:
    raw = item.post.raw
    return NodeInput(
        id=post_node_id(*item.post.key),
        label="Post",
        name=(raw.title or raw.text)[:120],
        properties={
            "platform": raw.platform,
            "post_id": item.post.post_id,
            "posted_at": raw.posted_at.isoformat() if raw.posted_at else None,
            "sentiment": item.sentiment,
            "url": raw.url,
            # The access policy hides a private author's post URL (it names them).
            "author_hashed": item.post.author_hashed,
        },
    )


def unique_posts(
    posts: Iterable[PreparedPost], report: IngestReport
) -> list[PreparedPost]:
    """The first post of each key; repeats of an id within one input are duplicates."""
    unique: dict[tuple[str, str], PreparedPost] = {}
    for post in posts:
        if post.key in unique:
            report.duplicates += 1
            continue
        unique[post.key] = post
    return list(unique.values())


async def start_run(
    session: AsyncSession, kind: str, name: str, checksum: str | None
) -> int:
    run = IngestionRun(kind=kind, input_name=name[:1000], input_checksum=checksum)
    session.add(run)
    await session.flush()
    return run.id


async def ingest_posts(
    raw_posts: Sequence[RawPost],
    *,
    sessions: async_sessionmaker[AsyncSession],
    graph: GraphStore | None,
    analysers: SocialAnalysers,
    kind: str,
    input_name: str,
    input_checksum: str | None = None,
    embed: bool = True,
    batch_size: int = 512,
    progress: Progress | None = None,
) -> IngestReport:
    """Analyse and store new posts in one atomic run; see the module docstring.

    Returns the run's report. Raises store and graph errors unchanged (the run
    is rolled back). Not safe to run twice concurrently on the same input.
    """
    started = time.perf_counter()
    report = IngestReport(run_id=None, input_name=input_name, read=len(raw_posts))
    prepared = unique_posts(prepare_posts(raw_posts, analysers.author_salt), report)
    if embed:
        await analysers.prepare_issue_prototypes()
    linked: list[AnalysedPost] = []
    async with transaction(sessions) as session:
        run_id = await start_run(session, kind, input_name, input_checksum)
        report.run_id = run_id
        async for analysed, done in ingest_batches(
            session, prepared, analysers, run_id, report,
            embed=embed, batch_size=batch_size,
        ):  # fmt: skip
            linked.extend(item for item in analysed if item.mentions)
            if progress:
                progress(done, len(prepared))
        report.status = "succeeded" if report.inserted else "unchanged"
        await finish_run(session, run_id, report)

    if graph is not None:
        await link_after_commit(graph, linked, analysers, report)
    report.seconds = time.perf_counter() - started
    logger.info("social.ingested input=%s %s", input_name, report.counts())
    return report


async def link_after_commit(
    graph: GraphStore,
    linked: Sequence[AnalysedPost],
    analysers: SocialAnalysers,
    report: IngestReport,
) -> None:
    """MENTIONS edges for the run's new posts; a graph failure is reported, not raised."""
    try:
        for start in range(0, len(linked), 1000):
            report.edges += await link_mentions(
                graph, linked[start : start + 1000], analysers
            )
    except GraphError as error:
        report.details["graph_error"] = str(error)
        logger.warning("social.graph_link_failed error=%s", error)


@dataclass
class StagedBatch:
    """A batch's new posts, their vectors pending, and how far the input is done."""

    posts: list[PreparedPost]
    vectors: PendingVectors | None
    done: int


async def ingest_batches(
    session: AsyncSession,
    prepared: Sequence[PreparedPost],
    analysers: SocialAnalysers,
    run_id: int,
    report: IngestReport,
    *,
    embed: bool,
    batch_size: int,
) -> AsyncIterator[tuple[list[AnalysedPost], int]]:
    """Store the new posts batch by batch; yields each batch analysed, and the
    count of input posts done.

    Pipelined: batch n+1 is staged (its encoding started on the embedder's
    thread) before batch n is analysed and stored, so the model never waits
    for the store or the analysers, and they never wait for the model.
    """
    previous: StagedBatch | None = None
    written: set[str] = set()
    try:
        for start in range(0, len(prepared), batch_size):
            batch = prepared[start : start + batch_size]
            staged = await stage_batch(session, batch, analysers, report, embed=embed)
            staged.done = start + len(batch)
            if previous is not None:
                yield await store_staged(
                    session, previous, analysers, run_id, report, written
                )
            previous = staged
        if previous is not None:
            yield await store_staged(
                session, previous, analysers, run_id, report, written
            )
    finally:
        if previous is not None and previous.vectors is not None:
            previous.vectors.cancel()


async def stage_batch(
    session: AsyncSession,
    batch: Sequence[PreparedPost],
    analysers: SocialAnalysers,
    report: IngestReport,
    *,
    embed: bool,
) -> StagedBatch:
    """The batch's posts not stored yet, with their embedding started."""
    existing = await find_existing_keys(session, [p.key for p in batch])
    fresh = [p for p in batch if p.key not in existing]
    report.duplicates += len(batch) - len(fresh)
    vectors = None
    if fresh and embed and analysers.embedder is not None:
        vectors = await start_embedding(session, fresh, analysers.embedder, report)
    return StagedBatch(fresh, vectors, done=0)


async def store_staged(
    session: AsyncSession,
    staged: StagedBatch,
    analysers: SocialAnalysers,
    run_id: int,
    report: IngestReport,
    written: set[str],
) -> tuple[list[AnalysedPost], int]:
    """Analyse and store a staged batch; returns it analysed, and the count done."""
    if not staged.posts:
        return [], staged.done
    vectors: dict[str, Vectors] = {}
    if staged.vectors is not None and analysers.embedder is not None:
        vectors = await finish_embedding(
            session, staged.vectors, analysers.embedder, report, written
        )
    analysed = analyse_batch(staged.posts, vectors, analysers)
    await store_batch(session, analysed, run_id)
    report.inserted += len(analysed)
    report.mentions += sum(len(item.mentions) for item in analysed)
    return analysed, staged.done


async def finish_run(session: AsyncSession, run_id: int, report: IngestReport) -> None:
    run = await session.get(IngestionRun, run_id)
    assert run is not None
    run.status = report.status
    run.finished_at = utcnow()
    run.duration_ms = int(report.seconds * 1000)
    run.counts = report.counts()
    run.details = report.details
