"""The security services a server holds once and every request uses."""

from __future__ import annotations

from dataclasses import dataclass

from security.access_index import AccessIndexCache
from security.authenticate import Authenticator
from security.limits import QueryLimits
from security.persisted import PersistedQueries
from security.policy import AccessPolicy
from security.ratelimit import Limiter
from security.secured_connector import SourceObserver


@dataclass
class SecurityServices:
    """Created at start-up from the settings. Safe to share between requests."""

    policy: AccessPolicy
    authenticator: Authenticator
    rate_limiter: Limiter
    limits: QueryLimits
    access: AccessIndexCache
    persisted: PersistedQueries | None = None
    persisted_only: bool = False
    audit_enabled: bool = True
    request_timeout: float = 15.0
    introspection: bool = True
    observer: SourceObserver | None = None
