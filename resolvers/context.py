"""What a resolver may reach: the process-wide services and per-request state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from connectors.base import Connector
from graph.base import GraphStore
from linking.embedder import Embedder
from security.audit_log import AccessLog
from security.errors import AccessDeniedError
from security.graph_access import GraphView
from security.principal import ANONYMOUS, Principal
from security.secured_connector import SecuredConnector
from security.service import SecurityServices


@dataclass
class Services:
    """Created once at start-up and shared by every request. Safe to share."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    graph: GraphStore
    embedder: Embedder
    extras: dict[str, Any] = field(default_factory=dict)
    security: SecurityServices | None = None


@dataclass
class RequestContext:
    """Per-request state; dataloaders are created here, never shared across requests.

    ``principal`` is who asks; ``access_log`` collects the datasets the request
    read or was refused, for the audit trail. Resolvers reach sources through
    ``secure`` and the graph through ``graph_view`` so the policy applies.
    """

    services: Services
    request: Any = None
    response: Any = None
    loaders: dict[str, Any] = field(default_factory=dict)
    principal: Principal = ANONYMOUS
    access_log: AccessLog = field(default_factory=AccessLog)
    request_id: str = ""
    operation_name: str | None = None

    def _security(self) -> SecurityServices:
        security = self.services.security
        if security is None:
            raise RuntimeError("security services are not configured on this server")
        return security

    def get_curator(self, claimed: str | None) -> str:
        """Who a curating mutation records as its author; raises if not a steward.

        With security configured the author is the authenticated principal,
        whatever name the caller typed (kept after it, as a label). Only an
        admin or a steward may curate; the schema hides these mutations from
        other roles, and this check holds even if a schema variant does not.
        """
        label = (claimed or "").strip()
        if self.services.security is None:
            return label or self.principal.subject
        if not self.principal.roles & {"admin", "steward"}:
            raise AccessDeniedError("only a steward or an admin may curate the catalog")
        subject = self.principal.subject
        return f"{subject} ({label})" if label and label != subject else subject

    async def secure(self, connector: Connector) -> SecuredConnector:
        """``connector`` as this request's principal may see it."""
        security = self._security()
        return SecuredConnector(
            connector,
            self.principal,
            policy=security.policy,
            lookup=await security.access.get(),
            log=self.access_log,
            observer=security.observer,
        )

    async def readable(self, source: str, dataset: str) -> bool:
        """Whether the principal may read ``source.dataset`` at all."""
        security = self._security()
        index = await security.access.get()
        return security.policy.can_read(self.principal, index.get(source, dataset))

    async def dataset_visibility(self) -> Callable[[str, str], bool] | None:
        """A test of ``(source, dataset)`` against the policy; ``None``: no policy."""
        security = self.services.security
        if security is None:
            return None
        index = await security.access.get()
        policy, principal = security.policy, self.principal

        def visible(source: str, dataset: str) -> bool:
            return policy.can_read(principal, index.get(source, dataset))

        return visible

    async def graph_view(self) -> GraphView:
        """A filter that hides graph records the principal may not read."""
        security = self._security()
        index = await security.access.get()
        return GraphView(
            self.services.graph,
            security.policy,
            self.principal,
            index,
            self.access_log,
        )
