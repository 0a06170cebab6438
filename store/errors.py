"""Exceptions of the store layer; the tree is drawn in ``store/__init__``."""


class StoreError(Exception):
    """Base of every error raised by the store."""

    retryable = False


class StoreUnavailableError(StoreError):
    """Raised when the store database does not answer; retrying may succeed."""

    retryable = True


class MigrationError(StoreError):
    """Raised when alembic cannot bring the store schema up to date."""
