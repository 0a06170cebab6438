"""Resolvers of the security domain: who is asking, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from resolvers.context import RequestContext
from security.audit import list_audit_events
from security.principal import Principal
from store.security import AuditEvent


def get_viewer(context: RequestContext) -> Principal:
    return context.principal


async def list_audit(
    context: RequestContext,
    first: int,
    since: datetime | None,
    subject: str | None,
) -> list[AuditEvent]:
    return await list_audit_events(
        context.services.sessions,
        context.principal,
        limit=first,
        since=since,
        subject=subject,
    )
