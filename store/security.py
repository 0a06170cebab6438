"""Security tables: API keys (stored as hashes), the audit trail, rate-limit buckets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime, utcnow


class ApiKey(Base):
    """An API key; only the SHA-256 of the secret is kept, never the secret."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255), default="")
    roles: Mapped[list[Any]] = mapped_column(default=list)
    agency: Mapped[str | None] = mapped_column(String(64))
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """One request that touched terbatas or tertutup data: who, what, when, outcome."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    request_id: Mapped[str] = mapped_column(String(64), default="")
    subject: Mapped[str] = mapped_column(String(255), index=True)
    roles: Mapped[list[Any]] = mapped_column(default=list)
    agency: Mapped[str | None] = mapped_column(String(64))
    datasets: Mapped[list[Any]] = mapped_column(default=list)
    denied: Mapped[list[Any]] = mapped_column(default=list)
    operation: Mapped[str | None] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(16))
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class RateLimitBucket(Base):
    """One subject's token bucket, shared by every server process of the store.

    ``tokens`` is what was left at ``updated_at`` (seconds since the epoch, as
    the servers' clocks tell it); the bucket refills continuously from there.
    """

    __tablename__ = "rate_limit_buckets"

    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float, index=True)
    allowed: Mapped[bool] = mapped_column(default=True)
