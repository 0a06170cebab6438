"""Creating and closing the process-wide services from settings."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from app.market_setup import create_market_service
from app.settings import Settings
from graph.base import GraphStore
from graph.embedded import EmbeddedGraphStore
from graph.neo4j_store import Neo4jGraphStore
from linking.embedder import Embedder
from resolvers.context import Services
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


async def open_services(settings: Settings) -> Services:
    """Engines, graph and model, created once; the graph may still be down."""
    engine = create_store_engine(settings.effective_store_url)
    graph = create_graph_store(settings, engine)
    try:
        await graph.start()
    except Exception as error:
        logger.warning("graph.start_failed backend=%s error=%s", graph.backend, error)
    sessions = create_session_factory(engine)
    services = Services(
        engine=engine,
        sessions=sessions,
        graph=graph,
        embedder=Embedder(settings.embedding_model),
        extras={"market": create_market_service(settings, sessions)},
    )
    from app.social_setup import SOCIAL_SERVICE, create_social_service

    services.extras[SOCIAL_SERVICE] = create_social_service(settings, services)
    return services


async def close_services(services: Services) -> None:
    await services.graph.close()
    services.embedder.close()
    await services.engine.dispose()
