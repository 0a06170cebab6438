"""Big Social benchmark: ingestion, embedding overhead, sentiment.

Run from the project root:
``PYTHONPATH=$PWD python bench/social.py [--posts N] [--backend onnx-int8]``.
Prints, on real posts (the 2021 vaccine tweets, then the hate-speech corpus):

- posts/s ingested without and with embeddings (fresh SQLite store each time);
- our embedding throughput (the pipeline's store-cached, batched, off-loop
  path on the chosen backend, ``--backend``, default onnx-int8) divided by
  bare sentence-transformers ``encode`` (torch) on the same texts in the same
  run, the goal being at least 0.9; and divided by the bare ``encode`` of the
  same backend, which is the pipeline's own overhead;
- the time to ingest 10,000 posts with embeddings (goal: under two minutes);
- sentiment macro-F1 on the SmSA test split and scoring speed.

The load average is printed too: figures taken on a shared machine are lower
than on an idle one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from analytics.sentiment import train_sentiment_model
from analytics.social_config import parse_social_config
from analytics.social_ingest import (
    IngestReport,
    build_analysers,
    embed_posts,
    ingest_posts,
)
from analytics.social_prepare import prepare_posts
from connectors.social_files import choose_profile, iter_raw_posts, read_source_file
from connectors.social_profiles import list_profiles
from connectors.social_records import RawPost
from linking.embedder import BACKENDS, Embedder
from store.engine import create_session_factory, create_store_engine, transaction
from store.migrate import upgrade_store_async

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BRANDS = {
    "tracked_entities": [
        {"key": "sinovac", "name": "Sinovac", "kind": "brand"},
        {"key": "astrazeneca", "name": "AstraZeneca", "kind": "brand"},
        {"key": "pfizer", "name": "Pfizer", "kind": "brand"},
        {"key": "moderna", "name": "Moderna", "kind": "brand"},
    ]
}


def read(path: Path) -> list[RawPost]:
    source = read_source_file(path)
    profile = choose_profile(source, list_profiles(), platform="twitter", name=None)
    return list(iter_raw_posts(source, profile))


def load_posts(count: int) -> list[RawPost]:
    posts = read(DATA / "vaksin-covid-tweets-2021" / "sample-data.csv")
    posts += read(DATA / "id-hatespeech-abusive" / "re_dataset.csv")
    return posts[:count]


async def fresh_sessions(folder: Path, name: str):  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{folder / name}"
    await upgrade_store_async(url)
    engine = create_store_engine(url)
    return engine, create_session_factory(engine)


async def time_ingest(
    posts: list[RawPost], folder: Path, name: str, *, embed: bool, model, embedder
) -> tuple[IngestReport, float]:  # type: ignore[no-untyped-def]
    engine, sessions = await fresh_sessions(folder, name)
    analysers = build_analysers(
        parse_social_config(BRANDS),
        sentiment=model,
        embedder=embedder,
        author_salt="bench",
    )
    started = time.perf_counter()
    report = await ingest_posts(
        posts,
        sessions=sessions,
        graph=None,
        analysers=analysers,
        kind="social",
        input_name=name,
        embed=embed,
    )
    seconds = time.perf_counter() - started
    await engine.dispose()
    return report, seconds


async def embedding_overhead(
    posts: list[RawPost], folder: Path, count: int, backend: str
) -> None:
    prepared = list(prepare_posts(posts[:count], "bench"))
    unique = list({p.text_hash: p for p in prepared}.values())
    texts = [p.normalised_text for p in unique]
    bare_torch = Embedder().model
    embedder = Embedder(backend=backend, cache_dir=folder / "onnx")
    bare_same = embedder.model
    for model in (bare_torch, bare_same):  # warm up
        model.encode(texts[:64], batch_size=embedder.batch_size)

    # Interleaved chunk by chunk, so that a change in the machine's load hits
    # every path alike; each chunk's texts are new to the pipeline's caches.
    engine, sessions = await fresh_sessions(folder, "overhead.db")
    report = IngestReport(run_id=None, input_name="overhead")
    seconds = {"torch": 0.0, "same": 0.0, "ours": 0.0}
    for start in range(0, len(unique), 256):
        chunk = unique[start : start + 256]
        for name, model in (("torch", bare_torch), ("same", bare_same)):
            started = time.perf_counter()
            model.encode(
                [p.normalised_text for p in chunk],
                batch_size=embedder.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            seconds[name] += time.perf_counter() - started
        started = time.perf_counter()
        async with transaction(sessions) as session:
            await embed_posts(session, chunk, embedder, report)
        seconds["ours"] += time.perf_counter() - started
    rate = {name: len(texts) / value for name, value in seconds.items()}
    await engine.dispose()
    embedder.close()
    print(
        f"embedding over {len(texts)} texts: bare sentence-transformers encode "
        f"(torch) {rate['torch']:.1f} texts/s; bare {backend} encode "
        f"{rate['same']:.1f} texts/s; our pipeline ({backend}) {rate['ours']:.1f} "
        f"texts/s\n"
        f"embedding ratio pipeline/bare torch encode {rate['ours'] / rate['torch']:.3f}"
        f" (goal >= 0.9); pipeline/bare {backend} encode "
        f"{rate['ours'] / rate['same']:.3f} (our overhead)"
    )


async def main(count: int, overhead_texts: int, backend: str) -> None:
    print(f"load average at start: {os.getloadavg()}")
    started = time.perf_counter()
    model = train_sentiment_model(DATA / "indonlu-smsa")
    print(
        f"sentiment: trained in {time.perf_counter() - started:.1f} s; "
        f"macro-F1 valid {model.metrics['valid']['macro_f1']:.4f}, "
        f"test {model.metrics['test']['macro_f1']:.4f}"
    )
    posts = load_posts(count)
    started = time.perf_counter()
    model.predict([p.text for p in posts])
    scoring = time.perf_counter() - started
    print(
        f"sentiment: scored {len(posts)} posts in {scoring:.2f} s "
        f"({len(posts) / scoring:.0f} posts/s)"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        await embedding_overhead(posts, path, overhead_texts, backend)
        report, seconds = await time_ingest(
            posts, path, "plain.db", embed=False, model=model, embedder=None
        )
        print(
            f"ingest without embeddings: {report.inserted} posts in {seconds:.1f} s "
            f"({report.inserted / seconds:.0f} posts/s)"
        )
        embedder = Embedder(backend=backend, cache_dir=path / "onnx")
        print(f"embedding model: {embedder.version}")  # loaded before the clock
        report, seconds = await time_ingest(
            posts, path, "embed.db", embed=True, model=model, embedder=embedder
        )
        embedder.close()
        print(
            f"ingest with embeddings: {report.inserted} posts ({report.embedded} "
            f"embedded, {backend}) in {seconds:.1f} s "
            f"({report.inserted / seconds:.0f} posts/s; goal: 10,000 in under 120 s)"
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--overhead-texts", type=int, default=2_000)
    parser.add_argument("--backend", choices=BACKENDS, default="onnx-int8")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.posts, arguments.overhead_texts, arguments.backend))
