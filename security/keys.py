"""API keys: created once, shown once, stored as a SHA-256 hash.

A key reads ``bo_<prefix>_<secret>``. The prefix finds the row; the hash of the
whole key proves it. Keys carry 256 random bits, so an unsalted SHA-256 is as
strong as a slow password hash here and costs microseconds per request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from security.errors import AuthenticationError
from security.principal import ROLES, Principal
from store.base import utcnow
from store.catalog import Agency
from store.engine import transaction
from store.security import ApiKey

KEY_PREFIX = "bo_"


@dataclass(frozen=True)
class CreatedKey:
    """A new key: ``token`` is shown once and cannot be recovered later."""

    id: int
    prefix: str
    token: str


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_api_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX) and token.count("_") >= 2


def _split(token: str) -> tuple[str, str]:
    _, prefix, secret = token.split("_", 2)
    return prefix, secret


def validate_grant(roles: frozenset[str], agency: str | None) -> None:
    """Raise ``ValueError`` for no or unknown roles, or an agency role without one.

    A key with only ``public`` is allowed: it reads what anonymous callers read,
    under its own name and rate limit.
    """
    if not roles:
        raise ValueError(f"give at least one role among {', '.join(ROLES)}")
    unknown = sorted(roles - set(ROLES))
    if unknown:
        raise ValueError(
            f"unknown role(s) {', '.join(unknown)}: roles are {', '.join(ROLES)}"
        )
    if "agency" in roles and not agency:
        raise ValueError("the agency role needs --agency (the agency slug)")


async def _check_agency(session: AsyncSession, agency: str | None) -> None:
    if agency is None:
        return
    known = list(await session.scalars(select(Agency.slug).order_by(Agency.slug)))
    if agency not in known:
        raise ValueError(
            f"no agency {agency!r} in the catalog; known agencies: "
            f"{', '.join(known) or 'none (declare them in the sources file)'}"
        )


async def create_api_key(
    sessions: async_sessionmaker[AsyncSession],
    *,
    roles: frozenset[str],
    agency: str | None = None,
    name: str = "",
    rate_limit_per_minute: int | None = None,
    expires_at: datetime | None = None,
) -> CreatedKey:
    """Store a new key's hash and return the key.

    Raises ``ValueError`` on bad roles, an agency the catalog lacks, a negative
    rate limit or an expiry in the past.
    """
    validate_grant(roles, agency)
    if rate_limit_per_minute is not None and rate_limit_per_minute < 0:
        raise ValueError("the rate limit is requests per minute: 0 (none) or more")
    if expires_at is not None and expires_at <= utcnow():
        raise ValueError("the key would expire before it is used: give a future expiry")
    prefix = secrets.token_hex(4)
    token = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        prefix=prefix,
        secret_hash=hash_key(token),
        name=name,
        roles=sorted(roles),
        agency=agency,
        rate_limit_per_minute=rate_limit_per_minute,
        expires_at=expires_at,
    )
    async with transaction(sessions) as session:
        await _check_agency(session, agency)
        session.add(row)
        await session.flush()
        key_id = row.id
    return CreatedKey(id=key_id, prefix=prefix, token=token)


async def list_api_keys(sessions: async_sessionmaker[AsyncSession]) -> list[ApiKey]:
    async with sessions() as session:
        return list(await session.scalars(select(ApiKey).order_by(ApiKey.id)))


async def revoke_api_key(
    sessions: async_sessionmaker[AsyncSession], prefix: str
) -> bool:
    """Mark the key with ``prefix`` revoked; ``False`` when there is none."""
    async with transaction(sessions) as session:
        row = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        if row is None:
            return False
        row.revoked_at = row.revoked_at or utcnow()
        return True


@dataclass(frozen=True)
class KeyGrant:
    principal: Principal
    rate_limit_per_minute: int | None


class ApiKeyVerifier:
    """Verifies keys against the store, remembering answers for ``ttl`` seconds.

    A revoked key stops working within ``ttl``. Safe to share between tasks.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, ttl: float = 30.0
    ) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._cache: OrderedDict[str, tuple[float, KeyGrant]] = OrderedDict()

    async def verify(self, token: str) -> KeyGrant:
        """The grant of ``token``; raises ``AuthenticationError`` when it is not valid."""
        digest = hash_key(token)
        cached = self._cache.get(digest)
        if cached and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        grant = await self._load(token, digest)
        self._cache[digest] = (time.monotonic(), grant)
        if len(self._cache) > 10_000:
            self._cache.popitem(last=False)
        return grant

    async def _load(self, token: str, digest: str) -> KeyGrant:
        prefix, _ = _split(token)
        async with self._sessions() as session:
            row = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        if row is None or not hmac.compare_digest(row.secret_hash, digest):
            raise AuthenticationError("the API key is not valid")
        if row.revoked_at is not None:
            raise AuthenticationError(f"the API key {prefix} has been revoked")
        if row.expires_at is not None and row.expires_at <= utcnow():
            raise AuthenticationError(f"the API key {prefix} has expired")
        principal = Principal(
            subject=f"key:{prefix}",
            roles=frozenset(row.roles),
            agency=row.agency,
            via="api_key",
        )
        return KeyGrant(principal, row.rate_limit_per_minute)
