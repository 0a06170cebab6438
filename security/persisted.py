"""Persisted queries: an allow-list of documents known by their SHA-256.

In allow-list mode the server runs only listed documents: a client sends the
document itself or just its hash (``extensions.persistedQuery.sha256Hash``, as
Apollo clients do), and anything else is refused before parsing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from security.errors import QueryRejectedError


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    """Documents by hash. Safe to share between tasks."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self._documents = dict(documents)

    @classmethod
    def from_documents(cls, documents: list[str]) -> PersistedQueries:
        return cls({query_hash(document): document for document in documents})

    @classmethod
    def load(cls, path: Path) -> PersistedQueries:
        """Read a JSON object ``{sha256: document}`` or a list of documents.

        Raises ``ValueError`` naming the file and the first bad entry.
        """
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(
                f"cannot read persisted queries {path}: {error}"
            ) from error
        if isinstance(raw, list):
            return cls.from_documents([str(item) for item in raw])
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: expected a JSON object of sha256 -> document")
        for digest, document in raw.items():
            if query_hash(str(document)) != digest:
                raise ValueError(
                    f"{path}: entry {digest[:12]}... does not match the SHA-256 of its "
                    "document"
                )
        return cls(raw)

    def __len__(self) -> int:
        return len(self._documents)

    def find(self, digest: str) -> str | None:
        """The listed document of ``digest``, or None."""
        return self._documents.get(digest)

    def resolve(self, query: str | None, extensions: Mapping[str, Any] | None) -> str:
        """The document to run; raises ``QueryRejectedError`` when it is not listed."""
        digest = requested_hash(extensions)
        if query:
            digest = digest or query_hash(query)
            if query_hash(query) != digest:
                raise QueryRejectedError(["the query does not match its sha256Hash"])
        if digest and digest in self._documents:
            return self._documents[digest]
        raise QueryRejectedError(
            ["only persisted queries are accepted here; this document is not listed"]
        )


def requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The ``extensions.persistedQuery.sha256Hash`` of a request, or None."""
    persisted = (extensions or {}).get("persistedQuery")
    if isinstance(persisted, Mapping):
        digest = persisted.get("sha256Hash")
        return str(digest) if digest else None
    return None
