"""``bigone ingest market`` and ``bigone ingest prices`` on the real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from tests.market_support import BANDUNG_PRICES, PRDECT_ID, WILAYAH, write_csv


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path / "data"))
    for name in ("BIGONE_STORE_URL", "BIGONE_NEO4J_URI", "BIGONE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_ingest_market_twice_is_idempotent(
    runner: CliRunner, shared_data: Path
) -> None:
    args = (
        "ingest", "market", str(shared_data.joinpath(*PRDECT_ID)),
        "--marketplace", "tokopedia", "--observed-at", "2022-06-01T12:00:00+07:00",
        "--regions", str(shared_data.joinpath(*WILAYAH)), "--skip-products",
    )  # fmt: skip

    first = invoke(runner, *args)
    again = invoke(runner, *args)

    assert first["status"] == "succeeded"
    assert first["listings"] == 1312
    assert first["unresolved_locations"] == {
        "Bandung": "ambiguous: 32.04 or 32.73",
        "Bekasi": "ambiguous: 32.16 or 32.75",
        "Pekalongan": "ambiguous: 33.26 or 33.75",
    }
    assert again["status"] == "unchanged"
    assert again["snapshot_id"] == first["snapshot_id"]


def test_ingest_market_with_a_profile_from_the_config_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    config = tmp_path / "bigone.yaml"
    config.write_text(
        "market:\n  profiles:\n    kios:\n      columns:\n"
        "        title: [Nama Produk]\n        price: [Harga]\n        sold: [Terjual]\n",
        encoding="utf-8",
    )
    export = write_csv(
        tmp_path / "kios_2025-09-13.csv",
        [
            {
                "Nama Produk": "Bawang Merah 1 kg",
                "Harga": "Rp42.000",
                "Terjual": "Terjual 750+",
            }
        ],
    )

    summary = invoke(
        runner, "--config", str(config), "ingest", "market", str(export),
        "--marketplace", "kios", "--profile", "kios",
    )  # fmt: skip

    assert summary["listings"] == 1
    assert summary["observed_at"] == "2025-09-13T00:00:00+07:00"
    assert summary["products"] == {
        "listings": 1,
        "products": 1,
        "shops": 0,
        "sold_by_edges": 0,
    }


def test_ingest_market_explains_a_bad_time_and_an_unknown_profile(
    runner: CliRunner, tmp_path: Path
) -> None:
    export = write_csv(tmp_path / "x.csv", [{"name": "Gula", "price": "1"}])

    bad_time = runner.invoke(
        main,
        [
            "ingest",
            "market",
            str(export),
            "--marketplace",
            "x",
            "--observed-at",
            "kemarin",
        ],
    )
    bad_profile = runner.invoke(
        main,
        ["ingest", "market", str(export), "--marketplace", "x", "--profile", "nope"],
    )

    assert bad_time.exit_code == 2
    assert "'kemarin' is not a time" in bad_time.output
    assert bad_profile.exit_code == 1
    assert "no market profile 'nope'" in bad_profile.output


def test_ingest_prices(runner: CliRunner, shared_data: Path) -> None:
    path = str(shared_data.joinpath(*BANDUNG_PRICES))

    first = invoke(runner, "ingest", "prices", path, "--region", "32.73")
    again = invoke(runner, "ingest", "prices", path, "--region", "32.73")

    assert first == {
        "status": "succeeded",
        "run_id": first["run_id"],
        "rows": 1625,
        "without_price": 299,
        "commodities": 25,
    }
    assert again["status"] == "unchanged"
