"""What a resolver may reach: the process-wide services and per-request state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from graph.base import GraphStore
from linking.embedder import Embedder


@dataclass
class Services:
    """Created once at start-up and shared by every request. Safe to share."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    graph: GraphStore
    embedder: Embedder
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class RequestContext:
    """Per-request state; dataloaders are created here, never shared across requests."""

    services: Services
    request: Any = None
    response: Any = None
    loaders: dict[str, Any] = field(default_factory=dict)
