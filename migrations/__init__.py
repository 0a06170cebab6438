"""Alembic migrations of the store; run them with ``bigone migrate``."""
