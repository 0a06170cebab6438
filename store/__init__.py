"""The store: Big One's own database (catalog, runs, posts, listings, graph tables).

PostgreSQL through asyncpg in production, SQLite through aiosqlite by default.
Exceptions::

    StoreError                  base of this layer
     ├── StoreUnavailableError  the database cannot be reached (retryable)
     └── MigrationError         the schema could not be brought up to date
"""

from store.errors import MigrationError, StoreError, StoreUnavailableError

__all__ = ["MigrationError", "StoreError", "StoreUnavailableError"]
