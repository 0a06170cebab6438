"""The Big Social commands: train the model, ingest a social export and a news dump."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.sentiment import MODEL_VERSION
from app.cli import main


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BIGONE_STORE_URL", raising=False)
    monkeypatch.delenv("BIGONE_NEO4J_URI", raising=False)
    return tmp_path


def first_rows(source: Path, target: Path, count: int) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    rows = list(csv.reader(lines))
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows[: count + 1])
    return target


def last_json(output: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return result


def test_train_then_ingest_twice(shared_data: Path, data_env: Path) -> None:
    runner = CliRunner()
    tweets = first_rows(
        shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv",
        data_env / "t.csv",
        300,
    )

    trained = runner.invoke(
        main, ["train", "sentiment", "--smsa-dir", str(shared_data / "indonlu-smsa")]
    )
    first = runner.invoke(
        main, ["ingest", "social", str(tweets), "--platform", "twitter", "--no-embed"]
    )
    again = runner.invoke(
        main, ["ingest", "social", str(tweets), "--platform", "twitter", "--no-embed"]
    )
    news = runner.invoke(
        main,
        [
            "ingest",
            "news",
            str(shared_data / "click-id-news" / "pos_metro.csv"),
            "--no-embed",
        ],
    )

    assert trained.exit_code == 0, trained.output
    model = last_json(trained.output)
    assert model["version"] == MODEL_VERSION
    assert (data_env / "models" / "sentiment.joblib").is_file()
    assert first.exit_code == 0, first.output
    assert last_json(first.output)["inserted"] == 300
    assert "twitter_snscrape" in first.output
    assert "300/300 posts" in first.output
    assert last_json(again.output)["inserted"] == 0
    assert last_json(again.output)["status"] == "unchanged"
    assert last_json(news.output)["inserted"] == 307


def test_ingest_without_a_model_says_how_to_train(
    shared_data: Path, data_env: Path
) -> None:
    tweets = first_rows(
        shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv",
        data_env / "t.csv",
        5,
    )

    result = CliRunner().invoke(
        main, ["ingest", "social", str(tweets), "--platform", "twitter", "--no-embed"]
    )

    assert result.exit_code != 0
    assert "bigone train sentiment" in result.output


def test_unknown_profile_lists_the_known_ones(
    shared_data: Path, data_env: Path
) -> None:
    tweets = shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv"

    result = CliRunner().invoke(
        main,
        ["ingest", "social", str(tweets), "--platform", "twitter", "--profile", "nope"],
    )

    assert result.exit_code != 0
    assert "twitter_snscrape" in result.output
