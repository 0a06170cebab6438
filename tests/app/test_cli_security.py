"""``bigone keys``: create (shown once, stored hashed), list, revoke."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from security.keys import hash_key


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    for name in ("BIGONE_NEO4J_URI", "BIGONE_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["migrate"]).exit_code == 0
    return runner


def test_create_list_and_revoke_a_key(runner: CliRunner, tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "bigone.db") as store:
        store.execute(
            "INSERT INTO agencies (slug, name, created_at) "
            "VALUES ('dinkes', 'Dinas Kesehatan', '2026-01-01 00:00:00')"
        )
    created = runner.invoke(
        main, ["keys", "create", "--role", "agency,analyst", "--agency", "dinkes",
               "--name", "dashboard dinkes"],
    )  # fmt: skip
    key = created.output.strip().splitlines()[-1]
    prefix = key.split("_")[1]
    listed = runner.invoke(main, ["keys", "list"])
    revoked = runner.invoke(main, ["keys", "revoke", prefix])
    after = runner.invoke(main, ["keys", "list"])

    assert created.exit_code == 0, created.output
    stored = (
        sqlite3.connect(tmp_path / "bigone.db")
        .execute("SELECT secret_hash FROM api_keys")
        .fetchall()
    )
    assert stored == [(hash_key(key),)]
    assert json.loads(listed.output)["roles"] == ["agency", "analyst"]
    assert key not in listed.output
    assert revoked.exit_code == 0
    assert json.loads(after.output)["revoked"] is True


def test_agency_role_needs_an_agency(runner: CliRunner) -> None:
    result = runner.invoke(main, ["keys", "create", "--role", "agency"])

    assert result.exit_code != 0
    assert "the agency role needs --agency" in result.output


def test_unknown_role_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["keys", "create", "--role", "superuser"])

    assert result.exit_code != 0
    assert "unknown role" in result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--role", "nosuchrole"], "unknown role(s) nosuchrole: roles are admin"),
        (["--role", "analyst", "--rate-limit", "-5"], "Invalid value for '--rate-limit'"),
        (["--role", "analyst", "--expires-in-days", "-1"], "'--expires-in-days'"),
        (["--role", "agency", "--agency", "nosuch"], "no agency 'nosuch' in the catalog"),
    ],
)  # fmt: skip
def test_bad_grants_are_refused_clearly(
    runner: CliRunner, options: list[str], message: str
) -> None:
    result = runner.invoke(main, ["keys", "create", *options])

    assert result.exit_code != 0
    assert message in result.output
    assert "'check'" not in result.output


def test_a_public_key_can_be_created(runner: CliRunner) -> None:
    result = runner.invoke(main, ["keys", "create", "--role", "public"])
    listed = runner.invoke(main, ["keys", "list"])

    assert result.exit_code == 0, result.output
    assert json.loads(listed.output)["roles"] == ["public"]
