"""``bigone link`` end to end on Febrl rows: progress, quality figures, stable re-runs."""

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from app.cli_linking import read_linking_file
from app.settings import Settings
from connectors.base import Connector
from tests.linking.febrl import truth_label
from tests.linking.rows_connector import RowsConnector

MAPPING = """
  - source: febrl
    dataset: {dataset}
    kind: person
    key: [rec_id]
    name: full_name
    columns: {{identifier: soc_sec_id, date: date_of_birth, postal_code: postcode,
               region_code: state}}
    address: [street_number, address_1, address_2, suburb]
"""
LINKING_FILE = (
    """
duplicate_free: [febrl/a, febrl/b]
cross_origin_only: true
embeddings: false
mappings:
"""
    + MAPPING.format(dataset="a")
    + MAPPING.format(dataset="b")
)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (SHARED / "febrl" / f"dataset4{name}.csv").open(encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle, skipinitialspace=True)
            if int(truth_label(row["rec_id"])) < 150
        ]
    for row in rows:
        row["full_name"] = f"{row['given_name']} {row['surname']}"
    return rows


async def febrl_connectors(_settings: Settings) -> dict[str, Connector]:
    """The ``--connectors`` factory of this test: Febrl files as one source."""
    datasets = {name: (("rec_id",), _rows(name)) for name in ("a", "b")}
    return {"febrl": RowsConnector("febrl", datasets)}


def test_link_prints_quality_and_a_rerun_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mappings = tmp_path / "linking.yaml"
    mappings.write_text(LINKING_FILE, encoding="utf-8")
    truth = tmp_path / "truth.csv"
    with truth.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "entity"])
        for name in ("a", "b"):
            for row in _rows(name):
                writer.writerow(
                    [f"record:febrl/{name}/{row['rec_id']}", truth_label(row["rec_id"])]
                )
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BIGONE_STORE_URL", raising=False)
    monkeypatch.delenv("BIGONE_NEO4J_URI", raising=False)
    args = [
        "link", "--mappings", str(mappings), "--truth", str(truth),
        "--connectors", "tests.app.test_cli_linking:febrl_connectors",
    ]  # fmt: skip

    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)

    assert first.exit_code == 0, first.output
    figures = dict(re.findall(r"(\w+)=([0-9.]+)", first.output))
    assert float(figures["precision"]) >= 0.99
    assert float(figures["recall"]) >= 0.98
    assert float(figures["f1"]) >= 0.98
    assert figures["new_links"] == "300"
    assert second.exit_code == 0, second.output
    assert re.search(r"new_links=0 ", second.output)
    assert re.search(r"new_entities=0 ", second.output)


def test_link_names_the_file_and_entry_of_a_bad_mapping(tmp_path: Path) -> None:
    mappings = tmp_path / "linking.yaml"
    mappings.write_text(
        "mappings:\n  - source: febrl\n    dataset: a\n", encoding="utf-8"
    )

    result = CliRunner().invoke(main, ["link", "--mappings", str(mappings)])

    assert result.exit_code != 0
    assert f"{mappings}: mappings[0] lacks 'kind'" in result.output


async def two_row_connectors(_settings: Settings) -> dict[str, Connector]:
    """The ``--connectors`` factory of a dataset with no duplicates at all."""
    rows = [
        {"id": "1", "nama": "Toko Sumber Rejeki", "kecamatan": "Slawi"},
        {"id": "2", "nama": "Warung Bu Siti", "kecamatan": "Adiwerna"},
    ]
    return {"umkm": RowsConnector("umkm", {"toko": (("id",), rows)})}


def test_link_on_a_dataset_without_duplicates_finishes_with_one_entity_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mappings = tmp_path / "linking.yaml"
    mappings.write_text(
        "embeddings: false\nmappings:\n  - source: umkm\n    dataset: toko\n"
        "    kind: organisation\n    key: [id]\n    name: nama\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BIGONE_STORE_URL", raising=False)
    monkeypatch.delenv("BIGONE_NEO4J_URI", raising=False)
    args = [
        "link", "--mappings", str(mappings),
        "--connectors", "tests.app.test_cli_linking:two_row_connectors",
    ]  # fmt: skip

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    assert re.search(r"records=2 entities=2 ", result.output), result.output
    assert re.search(r"pairs_scored=0 ", result.output), result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "the top level must be a mapping"),
        ('mappings: ["string"]\n', "mappings[0] must be a mapping"),
        ("mappings: toko\n", "`mappings` must be a list"),
        (
            "mapings: []\nmappings: [{source: a}]\n",
            "the top level has unknown key 'mapings'",
        ),
        (
            "mappings:\n  - {source: a, dataset: b, kind: person, key: [id], nama: n}\n",
            "mappings[0] has unknown key 'nama'",
        ),
        ("mappings: &a [*a]\n", "mappings[0] must be a mapping"),
        (
            "mappings:\n  - {source: a, dataset: b, kind: person, key: id, name: n, "
            "columns: x}\n",
            "mappings[0] has a value of the wrong shape",
        ),
    ],
)
def test_a_malformed_linking_file_is_one_clear_line(
    tmp_path: Path, text: str, message: str
) -> None:
    mappings = tmp_path / "linking.yaml"
    mappings.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(main, ["link", "--mappings", str(mappings)])

    assert result.exit_code == 1, result.output
    assert f"{mappings}: {message}" in result.output


def test_a_linking_key_given_as_one_string_is_one_column(tmp_path: Path) -> None:
    mappings = tmp_path / "linking.yaml"
    mappings.write_text(
        "mappings:\n  - {source: a, dataset: b, kind: person, key: id, name: n}\n",
        encoding="utf-8",
    )

    plan = read_linking_file(mappings)

    assert plan.mappings[0].key_columns == ("id",)
