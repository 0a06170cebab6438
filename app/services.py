"""Creating and closing the process-wide services from settings."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.market_setup import create_market_service
from app.settings import Settings, SettingsError
from graph.base import GraphStore
from graph.embedded import EmbeddedGraphStore
from graph.neo4j_store import Neo4jGraphStore
from linking.backends import LinkingBackend
from linking.backends import create_linking_backend as create_backend
from linking.embedder import Embedder
from resolvers.context import Services
from security.access_index import (
    AccessIndexCache,
    DatasetRules,
)
from security.authenticate import Authenticator
from security.keys import ApiKeyVerifier
from security.limits import QueryLimits
from security.persisted import PersistedQueries
from security.policy import AccessPolicy
from security.policy_file import load_policy_rules
from security.principal import Principal
from security.ratelimit import Limiter, RateLimiter, StoreRateLimiter
from security.secured_connector import SourceObserver
from security.service import SecurityServices
from security.tokens import TokenSettings, TokenVerifier, load_jwks
from store.engine import create_session_factory, create_store_engine

logger = logging.getLogger(__name__)


def create_graph_store(settings: Settings, engine: AsyncEngine) -> GraphStore:
    """Neo4j when a URI is configured, else the embedded backend over the store."""
    if settings.neo4j_uri:
        password = (
            settings.neo4j_password.get_secret_value()
            if settings.neo4j_password
            else ""
        )
        return Neo4jGraphStore(settings.neo4j_uri, settings.neo4j_user or "", password)
    return EmbeddedGraphStore(engine)


def create_linking_backend(settings: Settings) -> LinkingBackend:
    """The engine batch linking blocks and scores on (``BIGONE_LINKING_ENGINE``).

    Raises ``LinkingError`` when Spark is chosen but cannot start.
    """
    return create_backend(
        settings.linking_engine,
        spark_master=settings.spark_master,
        spark_config=settings.spark_config,
        spark_checkpoint_dir=settings.spark_checkpoint_dir,
    )


async def open_services(
    settings: Settings, observer: SourceObserver | None = None
) -> Services:
    """Engines, graph and model, created once; the graph may still be down."""
    engine = create_store_engine(settings.effective_store_url)
    sessions = create_session_factory(engine)
    security = create_security(settings, engine, sessions, observer)
    graph = create_graph_store(settings, engine)
    try:
        await graph.start()
    except Exception as error:
        logger.warning("graph.start_failed backend=%s error=%s", graph.backend, error)
    services = Services(
        engine=engine,
        sessions=sessions,
        graph=graph,
        embedder=create_embedder(settings),
        extras={"market": create_market_service(settings, sessions)},
        security=security,
    )
    from app.social_setup import SOCIAL_SERVICE, create_social_service

    services.extras[SOCIAL_SERVICE] = create_social_service(settings, services)
    return services


def create_embedder(settings: Settings) -> Embedder:
    """The embedder of the settings' model and backend; ONNX exports in the data folder."""
    return Embedder(
        settings.embedding_model,
        backend=settings.embedding_backend,
        cache_dir=settings.effective_model_cache_dir,
    )


def query_limits(settings: Settings) -> QueryLimits:
    return QueryLimits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_query_aliases,
        max_root_fields=settings.max_root_fields,
        max_tokens=settings.max_query_tokens,
        max_cost=settings.max_query_cost,
        max_page_size=settings.max_page_size,
        default_list_size=settings.default_list_size,
    )


def create_rate_limiter(settings: Settings, engine: AsyncEngine) -> Limiter:
    """Buckets in the store (shared by every worker) or in the process."""
    if settings.rate_limit_scope == "process":
        return RateLimiter(
            settings.rate_limit_per_minute, burst=settings.rate_limit_burst
        )
    return StoreRateLimiter(
        engine, settings.rate_limit_per_minute, burst=settings.rate_limit_burst
    )


def create_security(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    observer: SourceObserver | None = None,
) -> SecurityServices:
    """Authentication, policy, limits and audit from the settings.

    Raises ``SettingsError`` when a referenced file (JWKS, policy, persisted
    queries) cannot be read.
    """
    tokens, rules, persisted = load_security_files(settings)
    return SecurityServices(
        policy=AccessPolicy(),
        authenticator=Authenticator(
            ApiKeyVerifier(sessions),
            TokenVerifier(tokens),
            allow_anonymous=settings.allow_anonymous,
            anonymous=Principal(
                subject="anonymous", roles=frozenset(settings.anonymous_roles)
            ),
        ),
        rate_limiter=create_rate_limiter(settings, engine),
        limits=query_limits(settings),
        access=AccessIndexCache(
            sessions, rules=rules, default_level=settings.uncatalogued_access_level
        ),
        persisted=persisted,
        persisted_only=settings.persisted_queries_only,
        audit_enabled=settings.audit_enabled,
        request_timeout=settings.request_timeout_seconds,
        introspection=settings.introspection_enabled,
        observer=observer,
    )


def load_security_files(
    settings: Settings,
) -> tuple[TokenSettings, dict[str, DatasetRules], PersistedQueries | None]:
    """JWKS, access policy and persisted queries named by the settings.

    Raises ``SettingsError`` naming the file that cannot be read or is invalid.
    """
    try:
        tokens = _token_settings(settings)
        rules = _policy_rules(settings.access_policy_file)
        persisted = (
            PersistedQueries.load(settings.persisted_queries_file)
            if settings.persisted_queries_file
            else None
        )
    except ValueError as error:
        raise SettingsError(str(error)) from error
    return tokens, rules, persisted


def _token_settings(settings: Settings) -> TokenSettings:
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    jwks = load_jwks(settings.jwt_jwks_file) if settings.jwt_jwks_file else None
    return TokenSettings(
        secret=secret,
        jwks=jwks,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        roles_claim=settings.jwt_roles_claim,
        agency_claim=settings.jwt_agency_claim,
    )


def _policy_rules(path: Path | None) -> dict[str, DatasetRules]:
    return {} if path is None else load_policy_rules(path)


async def close_services(services: Services) -> None:
    await services.graph.close()
    services.embedder.close()
    await services.engine.dispose()
