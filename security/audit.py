"""The audit trail: requests that touched terbatas or tertutup data, kept in the store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from security.audit_log import AccessLog
from security.errors import AccessDeniedError
from security.principal import Principal
from store.engine import transaction
from store.security import AuditEvent

MAX_AUDIT_PAGE = 500


async def record_access(
    sessions: async_sessionmaker[AsyncSession],
    principal: Principal,
    log: AccessLog,
    *,
    outcome: str,
    operation: str | None = None,
    request_id: str = "",
    duration_ms: int | None = None,
) -> bool:
    """Write one event when ``log`` touched restricted data; ``True`` if written."""
    if not log.needs_audit:
        return False
    restricted = set(log.restricted)
    event = AuditEvent(
        request_id=request_id,
        subject=principal.subject,
        roles=sorted(principal.roles),
        agency=principal.agency,
        datasets=sorted(key for key in log.read if key in restricted),
        denied=sorted(key for key in log.denied if key in restricted),
        operation=(operation or "")[:255] or None,
        outcome="denied" if log.denied and outcome in ("ok", "error") else outcome,
        duration_ms=duration_ms,
    )
    async with transaction(sessions) as session:
        session.add(event)
    return True


async def list_audit_events(
    sessions: async_sessionmaker[AsyncSession],
    principal: Principal,
    *,
    limit: int = 50,
    since: datetime | None = None,
    subject: str | None = None,
) -> list[AuditEvent]:
    """Newest events first; admins only (raises ``AccessDeniedError``)."""
    if not principal.is_admin:
        raise AccessDeniedError("the audit trail is readable by admins only")
    statement = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    if subject is not None:
        statement = statement.where(AuditEvent.subject == subject)
    statement = statement.limit(max(1, min(limit, MAX_AUDIT_PAGE)))
    async with sessions() as session:
        return list(await session.scalars(statement))
