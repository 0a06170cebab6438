"""Exceptions of the security layer; the tree is drawn in ``security/__init__``."""

from __future__ import annotations


class SecurityError(Exception):
    """Base of every error raised by the security layer."""


class AuthenticationError(SecurityError):
    """Raised when credentials are present but invalid, expired or revoked."""


class AccessDeniedError(SecurityError):
    """Raised when the principal may not read a dataset, column or field."""


class QueryRejectedError(SecurityError):
    """Raised when an operation breaks a limit; nothing has been executed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class RateLimitedError(SecurityError):
    """Raised when a principal sends more requests than its budget allows."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
