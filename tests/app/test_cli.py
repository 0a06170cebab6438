"""The bigone command: config, migrate, schema and demo."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    for name in ("BIGONE_NEO4J_URI", "BIGONE_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path))
    return CliRunner()


def test_config_prints_effective_settings_with_secrets_masked(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIGONE_SECRET_KEY", "top-secret-value")

    result = runner.invoke(main, ["config"])

    assert result.exit_code == 0, result.output
    settings = json.loads(result.output)
    assert settings["graph_backend"] == "embedded"
    assert settings["secret_key"] == "********"
    assert "top-secret-value" not in result.output


def test_bad_setting_is_a_clear_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIGONE_PORT", "not-a-port")

    result = runner.invoke(main, ["config"])

    assert result.exit_code != 0
    assert "invalid settings" in result.output
    assert "port" in result.output


def test_migrate_creates_the_store(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["migrate"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "bigone.db").exists()


def test_schema_prints_the_sdl(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])

    assert result.exit_code == 0
    assert "type Query {" in result.output


def test_demo_loads_data_idempotently(runner: CliRunner, tmp_path: Path) -> None:
    demo_dir = tmp_path / "demo"

    first = runner.invoke(main, ["demo", "--no-serve", "--data-dir", str(demo_dir)])
    second = runner.invoke(main, ["demo", "--no-serve", "--data-dir", str(demo_dir)])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "entities" in first.output
    assert (demo_dir / "bigone.db").exists()


def test_unreachable_store_is_a_clear_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIGONE_STORE_URL", "postgresql+asyncpg://u@127.0.0.1:1/nope")

    result = runner.invoke(main, ["migrate"])

    assert result.exit_code == 1
    assert "BIGONE_STORE_URL" in result.output
    assert "Traceback" not in result.output


def test_demo_ignores_a_neo4j_setting(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BIGONE_NEO4J_URI", "bolt://127.0.0.1:1")

    result = runner.invoke(
        main, ["demo", "--no-serve", "--data-dir", str(tmp_path / "d")]
    )

    assert result.exit_code == 0, result.output


def test_serve_refuses_a_port_in_use(runner: CliRunner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = runner.invoke(main, ["serve", "--port", str(port)])

    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_a_list_setting_that_is_not_json_is_a_clear_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIGONE_CORS_ORIGINS", "not json")

    result = runner.invoke(main, ["config"])

    assert result.exit_code != 0
    assert "cors_origins" in result.output
    assert "settings are JSON" in result.output
    assert not isinstance(result.exception, ValueError)


def test_a_binary_region_dump_is_a_clear_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    dump = tmp_path / "wilayah.sql"
    dump.write_bytes(b"INSERT INTO wilayah VALUES ('33', 'JAWA \xc4\x00TENGAH');\n")

    result = runner.invoke(main, ["ingest", "regions", str(dump)])

    assert result.exit_code == 1
    assert f"{dump}, row 1: byte 0xc4" in result.output
