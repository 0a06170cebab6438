"""Security: who is asking (principals), what they may read (policy), limits and audit.

Resolvers and services call ``AccessPolicy`` for every dataset they touch; the
app authenticates requests (API keys, JWT) and enforces operation limits before
anything executes. Nothing here imports strawberry.

Exceptions::

    SecurityError               base of this layer
     ├── AuthenticationError    credentials present but invalid, expired or revoked
     ├── AccessDeniedError      the principal may not read a dataset or column
     ├── QueryRejectedError     an operation breaks a limit (depth, cost, ...)
     └── RateLimitedError       too many requests for the principal's budget
"""

from security.errors import (
    AccessDeniedError,
    AuthenticationError,
    QueryRejectedError,
    RateLimitedError,
    SecurityError,
)
from security.principal import ANONYMOUS, ROLES, Principal

__all__ = [
    "ANONYMOUS",
    "ROLES",
    "AccessDeniedError",
    "AuthenticationError",
    "Principal",
    "QueryRejectedError",
    "RateLimitedError",
    "SecurityError",
]
