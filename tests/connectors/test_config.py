"""The sources file: the minimal form, environment references, errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.config import ConfigError, load_config, parse_config, source_settings

MINIMAL = """\
agencies:
  - slug: dinkop
    name: Dinas Koperasi dan UKM
sources:
  - name: dinkop
    kind: sql
    agency: dinkop
    url: sqlite+aiosqlite:///path/to/dinkop.db
"""


def test_minimal_file_loads_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(MINIMAL, encoding="utf-8")

    config = load_config(path)

    assert [agency.slug for agency in config.agencies] == ["dinkop"]
    source = config.source("dinkop")
    assert source.kind == "sql"
    assert source.agency == "dinkop"
    assert source.resolve_url() == "sqlite+aiosqlite:///path/to/dinkop.db"


def test_url_from_environment_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DINKOP_DB_URL", "postgresql+asyncpg://u:secret@db/dinkop")
    text = MINIMAL.replace("sqlite+aiosqlite:///path/to/dinkop.db", "${DINKOP_DB_URL}")

    source = parse_config(text).source("dinkop")

    assert source.resolve_url() == "postgresql+asyncpg://u:secret@db/dinkop"
    assert "secret" not in str(source_settings(source))


def test_url_env_is_read_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    text = MINIMAL.replace(
        "url: sqlite+aiosqlite:///path/to/dinkop.db", "url_env: DINKOP_DB_URL"
    )
    monkeypatch.delenv("DINKOP_DB_URL", raising=False)
    source = parse_config(text).source("dinkop")

    with pytest.raises(ConfigError, match="DINKOP_DB_URL is not set"):
        source.resolve_url()

    monkeypatch.setenv("DINKOP_DB_URL", "sqlite+aiosqlite:///x.db")
    assert source.resolve_url() == "sqlite+aiosqlite:///x.db"


def test_unset_reference_names_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_THERE", raising=False)
    text = MINIMAL.replace("sqlite+aiosqlite:///path/to/dinkop.db", "${NOT_THERE}")

    with pytest.raises(
        ConfigError, match=r"sources\.yaml:8: environment variable NOT_THERE"
    ):
        parse_config(text, origin="sources.yaml")


def test_unknown_key_names_file_line_and_key() -> None:
    text = MINIMAL.replace("    kind: sql", "    kind: sql\n    urll: typo")

    with pytest.raises(ConfigError) as caught:
        parse_config(text, origin="sources.yaml")

    assert "sources.yaml:7: sources.0.urll: unknown key" in str(caught.value)
    assert "'typo'" in str(caught.value)


def test_bad_yaml_names_line_and_column() -> None:
    with pytest.raises(ConfigError, match=r"sources\.yaml:2:\d+: invalid YAML"):
        parse_config("agencies: [\n  - : :\n", origin="sources.yaml")


def test_unknown_agency_is_rejected() -> None:
    text = MINIMAL.replace("agency: dinkop", "agency: dinsos")

    with pytest.raises(
        ConfigError, match="names agency 'dinsos', which is not declared"
    ):
        parse_config(text)


def test_duplicate_source_is_rejected() -> None:
    text = MINIMAL + MINIMAL.split("sources:\n", 1)[1]

    with pytest.raises(ConfigError, match="source name 'dinkop' is declared twice"):
        parse_config(text)


def test_url_and_url_env_together_are_rejected() -> None:
    text = MINIMAL.replace("    kind: sql", "    kind: sql\n    url_env: X")

    with pytest.raises(ConfigError, match="either url or url_env"):
        parse_config(text)


def test_empty_file_is_an_empty_configuration() -> None:
    assert parse_config("").sources == ()


def test_a_sources_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_bytes(b"sources:\n  - name: caf\xe9\n")

    with pytest.raises(ConfigError, match=r"sources.yaml:2: byte 0xe9 is not UTF-8"):
        load_config(path)


def test_an_alias_inside_its_own_anchor_is_an_error() -> None:
    with pytest.raises(
        ConfigError, match=r"x\.yaml:1: an alias refers to its own anchor"
    ):
        parse_config("a: &a [*a]\n", origin="x.yaml")
