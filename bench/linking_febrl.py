"""Febrl4 (dataset4a against dataset4b): our linking beside plain Splink, same run.

Prints precision, recall, F1 and wall time of each. Run from the repository
root: ``PYTHONPATH=$PWD python bench/linking_febrl.py [--data DIR] [--rounds N]
[--engine duckdb|spark] [--spark-master local[*]]``.

``--engine spark`` runs both on Spark (Splink's ``SparkAPI``; ours through
``linking.backends.SparkBackend``) in one session started before either is
timed: the figures show the engine's cost on this data, not the JVM's start.

Plain Splink follows Splink's own Febrl4 example: its blocking rules,
comparisons per column, u by random sampling (1e6 pairs), EM on two rules,
clusters at probability 0.9. Ours maps the same rows to generic
``LinkRecord``s (name, identifier, date, address, postal code, region) and
runs ``linking.engine.link_batch`` with both files declared duplicate-free.
Both include reading the CSV files.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "febrl"


def truth_label(rec_id: str) -> str:
    """``rec-1070-org`` and ``rec-1070-dup-0`` are one person: ``1070``."""
    return rec_id.split("-")[1]


def run_ours(data: Path, backend: object = None) -> tuple[float, tuple[int, int, int]]:
    from linking.blocking import BlockingConfig
    from linking.engine import EngineConfig, link_batch
    from linking.evaluation import measure_link_quality
    from linking.records import LinkRecord

    started = time.perf_counter()
    records: list[LinkRecord] = []
    for name in ("a", "b"):
        with (data / f"dataset4{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                records.append(_to_record(LinkRecord, name, row))
    config = EngineConfig(
        blocking=BlockingConfig(neighbours=0, cross_origin_only=True),
        duplicate_free=frozenset({"febrl/a", "febrl/b"}),
    )
    result = link_batch(records, config, backend=backend)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    truth = {r.id: truth_label(r.key[0]) for r in records}
    quality = measure_link_quality(result.clusters.groups, truth)
    return elapsed, (
        quality.true_positives,
        quality.false_positives,
        quality.false_negatives,
    )


def _to_record(record_type: type, dataset: str, row: dict[str, str]) -> object:
    street = " ".join(v for v in (row["street_number"], row["address_1"]) if v)
    address = ", ".join(v for v in (street, row["address_2"], row["suburb"]) if v)
    return record_type(
        source="febrl",
        dataset=dataset,
        key=(row["rec_id"],),
        kind="person",
        name=f"{row['given_name']} {row['surname']}",
        identifier=row["soc_sec_id"] or None,
        date=row["date_of_birth"] or None,
        address=address or None,
        postal_code=row["postcode"] or None,
        region_code=row["state"] or None,
    )


def _splink_tables(data: Path, spark: object) -> list[object]:
    """Splink's database API and the two Febrl tables, on DuckDB or on Spark."""
    if spark is not None:
        import pyarrow as pa
        from splink.backends.spark import SparkAPI

        db_api = SparkAPI(spark_session=spark, break_lineage_method="persist")
        tables = []
        for name in ("a", "b"):
            with (data / f"dataset4{name}.csv").open(encoding="utf-8") as handle:
                rows = [
                    {("unique_id" if k == "rec_id" else k): v for k, v in r.items()}
                    for r in csv.DictReader(handle, skipinitialspace=True)
                ]
            frame = spark.createDataFrame(pa.Table.from_pylist(rows))  # type: ignore[attr-defined]
            tables.append(db_api.register(frame, table_name=f"febrl_{name}"))
        return tables

    import duckdb
    from splink.backends.duckdb import DuckDBAPI

    con = duckdb.connect()
    for name in ("a", "b"):
        path = data / f"dataset4{name}.csv"
        con.execute(
            f"CREATE TABLE febrl_{name} AS SELECT rec_id AS unique_id, * EXCLUDE (rec_id) "
            f"FROM read_csv('{path}', all_varchar=true, normalize_names=true)"
        )
    db_api = DuckDBAPI(connection=con)
    return [db_api.register(f"febrl_{name}") for name in ("a", "b")]


def run_splink(data: Path, spark: object = None) -> tuple[float, tuple[int, int, int]]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    started = time.perf_counter()
    tables = _splink_tables(data, spark)
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("substr(given_name,1,2)", "substr(surname,1,2)", "date_of_birth"),
            block_on("address_1", "postcode"),
            block_on("soc_sec_id"),
            block_on("date_of_birth", "postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.PostcodeComparison("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.ExactMatch("state"),
        ],
    )
    linker = Linker(tables, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=7)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("substr(given_name,1,2)", "substr(surname,1,2)")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, 0.9
    )
    rows = [
        (row["cluster_id"], row["unique_id"])
        for row in clusters.as_record_list()  # type: ignore[attr-defined]
    ]
    elapsed = time.perf_counter() - started
    return elapsed, _pair_counts(rows)


def _pair_counts(rows: list[tuple[str, str]]) -> tuple[int, int, int]:
    from linking.evaluation import measure_link_quality

    groups: dict[str, list[str]] = {}
    for cluster_id, unique_id in rows:
        groups.setdefault(str(cluster_id), []).append(unique_id)
    truth = {uid: truth_label(uid) for _, uid in rows}
    quality = measure_link_quality(groups.values(), truth)
    return quality.true_positives, quality.false_positives, quality.false_negatives


def report(name: str, elapsed: float, counts: tuple[int, int, int]) -> None:
    tp, fp, fn = counts
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"{name:<14} precision={precision:.4f} recall={recall:.4f} f1={f1:.4f} "
        f"tp={tp} fp={fp} fn={fn} wall={elapsed:.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs each")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--spark-master", default="local[*]")
    args = parser.parse_args()
    import splink  # noqa: F401 - import cost paid once, by neither timing

    import linking.engine  # noqa: F401
    from linking.backends import SparkBackend

    backend = (
        SparkBackend.create(master=args.spark_master)
        if args.engine == "spark"
        else None
    )
    spark = backend.session if backend else None
    try:
        for _ in range(args.rounds):
            report(f"splink/{args.engine}", *run_splink(args.data, spark))
            report(f"bigone/{args.engine}", *run_ours(args.data, backend))
    finally:
        if backend:
            backend.close()


if __name__ == "__main__":
    main()
