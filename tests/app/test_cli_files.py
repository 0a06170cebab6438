"""``bigone ingest file``: success, idempotency and a rejected file, on the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    for name in ("BIGONE_NEO4J_URI", "BIGONE_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_ingest_file_twice_then_a_broken_one(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "umkm.csv"
    path.write_text('nama;omzet\nWarung A;"Rp 1.250.000,00"\nWarung B;Rp 750.000\n')

    first = runner.invoke(main, ["ingest", "file", str(path), "--agency", "dinkop"])
    second = runner.invoke(main, ["ingest", "file", str(path), "--agency", "dinkop"])
    path.write_text("nama;omzet\nWarung A;1\nWarung B;2;3\n")
    broken = runner.invoke(main, ["ingest", "file", str(path), "--agency", "dinkop"])

    assert first.exit_code == 0, first.output
    assert "succeeded" in first.output
    assert "ds_dinkop__umkm (version 1, 2 rows" in first.output
    assert second.exit_code == 0
    assert "unchanged" in second.output
    assert broken.exit_code == 1
    assert "REJECTED" in broken.output
    assert "row 3" in broken.output
    assert "Warung B;2;3" in broken.output
