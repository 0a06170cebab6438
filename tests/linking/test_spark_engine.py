"""The Spark linking engine, on Spark's local mode, against the DuckDB one.

One Spark session serves the whole module: starting the JVM takes longer than
any test here. Without pyspark or Java the tests skip locally and fail in CI.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pytest

from graph.embedded import EmbeddedGraphStore
from linking.backends import (
    DuckDBBackend,
    LinkingBackend,
    SparkBackend,
    Workspace,
    create_linking_backend,
)
from linking.errors import LinkingError
from linking.pipeline import LinkingPipeline, LinkRunReport
from linking.records import LinkRecord
from linking.state import list_assignments
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async
from tests.conftest import IN_CI
from tests.linking.febrl import febrl_pair, truth_of
from tests.linking.test_engine import FEBRL_CONFIG

pytestmark = pytest.mark.slow

# Tuned for a few hundred rows on a busy two-core machine: one partition, and
# no whole-stage code generation or adaptive planning, whose compile and
# re-planning time dwarfs the work at this size.
SMALL_RUN = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
    "spark.driver.memory": "1g",
}
# Splink's Spark similarity functions (a Scala jar) and DuckDB's built-in
# jaro_winkler disagree slightly on some strings near a threshold, which moves
# the u values of the Jaro-Winkler levels a little; every other parameter
# agrees to 1e-7. Scores of the same pair may differ by a few hundredths.
SCORE_TOLERANCE = 0.05


def _missing_spark() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: `pip install -e '.[spark]'`"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java on PATH or in JAVA_HOME: Spark 4 needs Java 17 or 21"
    return None


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkBackend]:
    missing = _missing_spark()
    if missing:
        if IN_CI:
            pytest.fail(f"the Spark linking engine cannot be tested: {missing}")
        pytest.skip(missing)
    backend = SparkBackend.create(master="local[2]", config=SMALL_RUN)
    backend.session.sparkContext.setLogLevel("ERROR")
    yield backend
    backend.close()


@pytest.fixture(params=["duckdb", "spark"])
def workspace(request: pytest.FixtureRequest) -> Iterator[Workspace]:
    backend: LinkingBackend = (
        DuckDBBackend(threads=1)
        if request.param == "duckdb"
        else request.getfixturevalue("spark")
    )
    opened = backend.open()
    yield opened
    opened.close()


def test_workspace_round_trips_a_table_with_missing_values(
    workspace: Workspace,
) -> None:
    table = pa.table(
        {
            "unique_id": pa.array(["a", "b"], pa.string()),
            "name": pa.array(["Siti Aminah", None], pa.string()),
        }
    )

    workspace.load_table("people", table)

    assert workspace.columns("people") == ["unique_id", "name"]
    assert workspace.records("SELECT * FROM people ORDER BY unique_id") == [
        {"unique_id": "a", "name": "Siti Aminah"},
        {"unique_id": "b", "name": None},
    ]


def test_workspace_binds_parameters_instead_of_pasting_them(
    workspace: Workspace,
) -> None:
    names = ["Warung Bu Ida", "Toko O'Brien", "x' OR '1'='1"]
    workspace.load_table("shops", pa.table({"name": pa.array(names, pa.string())}))

    workspace.create_table(
        "picked",
        f"SELECT name FROM shops WHERE name = {workspace.param('name')}",
        {"name": "Toko O'Brien"},
    )

    assert workspace.rows("SELECT name FROM picked") == [("Toko O'Brien",)]


def test_workspaces_of_one_backend_keep_their_tables_apart(
    spark: SparkBackend,
) -> None:
    one, two = spark.open(), spark.open()
    try:
        one.load_table("link_features", pa.table({"x": pa.array(["one"])}))
        two.load_table("link_features", pa.table({"x": pa.array(["two"])}))

        assert one.rows("SELECT x FROM link_features") == [("one",)]
        assert two.rows("SELECT x FROM link_features") == [("two",)]
    finally:
        one.close()
        two.close()


def test_an_unknown_engine_is_refused_with_the_choices() -> None:
    with pytest.raises(LinkingError, match=r"'flink'.*duckdb.*spark"):
        create_linking_backend("flink")


async def _run_pipeline(
    path: Path, records: Sequence[LinkRecord], backend: LinkingBackend | None
) -> tuple[LinkRunReport, dict[str, float | None]]:
    """A full run into a fresh SQLite store and embedded graph; link scores too."""
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_store_async(url)
    engine = create_store_engine(url)
    graph = EmbeddedGraphStore(engine)
    await graph.start()
    sessions = create_session_factory(engine)
    try:
        pipeline = LinkingPipeline(
            sessions, graph, config=FEBRL_CONFIG, backend=backend
        )
        report = await pipeline.run(records, truth=truth_of(list(records)))
        stored = await list_assignments(sessions, list(report.entity_of.values()))
        return report, {row.record_id: row.score for row in stored}
    finally:
        await graph.close()
        await engine.dispose()


async def test_pipeline_on_spark_links_as_on_duckdb(
    spark: SparkBackend, tmp_path: Path, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=100)
    records = left + right

    duck, duck_scores = await _run_pipeline(tmp_path / "duck.db", records, None)
    on_spark, spark_scores = await _run_pipeline(tmp_path / "spark.db", records, spark)

    assert on_spark.pairs_blocked == duck.pairs_blocked
    assert on_spark.pairs_scored == duck.pairs_scored
    assert on_spark.blocking_recall == duck.blocking_recall == 1.0
    assert on_spark.entity_of == duck.entity_of
    assert on_spark.quality is not None
    assert on_spark.quality.f1 >= 0.99
    linked = [r for r, score in duck_scores.items() if score is not None]
    assert len(linked) >= 190
    for record_id in linked:
        spark_score = spark_scores[record_id]
        assert spark_score is not None, f"{record_id} linked on DuckDB only"
        assert spark_score == pytest.approx(duck_scores[record_id], abs=SCORE_TOLERANCE)
