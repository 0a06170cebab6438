"""GraphQL types of the security domain: the viewer and the audit trail."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from resolvers import security as security_resolvers
from resolvers.context import RequestContext
from security.principal import Principal
from security.visibility import roles_field
from store.security import AuditEvent


@strawberry.type(name="Viewer", description="Who the current request acts as.")
class ViewerType:
    subject: str = strawberry.field(description="key:<prefix>, jwt:<sub> or anonymous.")
    roles: list[str] = strawberry.field(
        description="admin, steward, agency, analyst, public (always present)."
    )
    agency: str | None = strawberry.field(
        description="The agency slug the agency role is scoped to."
    )
    authenticated_by: str = strawberry.field(description="api_key, jwt or anonymous.")

    @classmethod
    def of(cls, principal: Principal) -> ViewerType:
        return cls(
            subject=principal.subject,
            roles=sorted(principal.roles),
            agency=principal.agency,
            authenticated_by=principal.via,
        )


@strawberry.type(
    name="AuditEvent",
    description="A request that touched terbatas or tertutup data.",
)
class AuditEventType:
    id: strawberry.ID
    at: datetime
    request_id: str
    subject: str
    roles: list[str]
    agency: str | None
    datasets: list[str] = strawberry.field(description="Restricted datasets read.")
    denied: list[str] = strawberry.field(description="Restricted datasets refused.")
    operation: str | None
    outcome: str = strawberry.field(description="ok, denied, error or timeout.")
    duration_ms: int | None

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventType:
        return cls(
            id=strawberry.ID(str(event.id)),
            at=event.at,
            request_id=event.request_id,
            subject=event.subject,
            roles=[str(role) for role in event.roles],
            agency=event.agency,
            datasets=[str(key) for key in event.datasets],
            denied=[str(key) for key in event.denied],
            operation=event.operation,
            outcome=event.outcome,
            duration_ms=event.duration_ms,
        )


@strawberry.type
class SecurityQuery:
    @strawberry.field(description="Who the current request acts as, with which roles.")
    def viewer(self, info: Info[RequestContext, None]) -> ViewerType:
        return ViewerType.of(security_resolvers.get_viewer(info.context))

    @strawberry.field(
        description="Requests that touched terbatas or tertutup data, newest first "
        "(admins only).",
        metadata=roles_field("admin"),
    )
    async def audit_events(
        self,
        info: Info[RequestContext, None],
        first: int = 50,
        since: datetime | None = None,
        subject: str | None = None,
    ) -> list[AuditEventType]:
        events = await security_resolvers.list_audit(
            info.context, first, since, subject
        )
        return [AuditEventType.of(event) for event in events]
