"""Febrl4 (dataset4a against dataset4b): our linking beside plain Splink, same run.

Prints precision, recall, F1 and wall time of each. Run from the repository
root: ``PYTHONPATH=$PWD python bench/linking_febrl.py [--data DIR]``.

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


def run_ours(data: Path) -> tuple[float, tuple[int, int, int]]:
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
    result = link_batch(records, config)
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


def run_splink(data: Path) -> tuple[float, tuple[int, int, int]]:
    import duckdb
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    started = time.perf_counter()
    con = duckdb.connect()
    for name in ("a", "b"):
        path = data / f"dataset4{name}.csv"
        con.execute(
            f"CREATE TABLE febrl_{name} AS SELECT rec_id AS unique_id, * EXCLUDE (rec_id) "
            f"FROM read_csv('{path}', all_varchar=true, normalize_names=true)"
        )
    db_api = DuckDBAPI(connection=con)
    tables = [db_api.register(f"febrl_{name}") for name in ("a", "b")]
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
    rows = con.sql(
        f"SELECT cluster_id, unique_id FROM {clusters.physical_name}"
    ).fetchall()
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
        f"{name:<12} precision={precision:.4f} recall={recall:.4f} f1={f1:.4f} "
        f"tp={tp} fp={fp} fn={fn} wall={elapsed:.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs each")
    args = parser.parse_args()
    import splink  # noqa: F401 - import cost paid once, by neither timing

    import linking.engine  # noqa: F401

    for _ in range(args.rounds):
        report("splink", *run_splink(args.data))
        report("bigone", *run_ours(args.data))


if __name__ == "__main__":
    main()
