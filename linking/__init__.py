"""Entity linking: normalise, embed, block, score and cluster records into entities.

Exceptions::

    LinkingError              base of this layer
     ├── ModelLoadError       the embedding model cannot be loaded
     ├── LinkNotFoundError    a record, entity or link named in a decision is unknown
     ├── LinkConflictError    a decision contradicts the current state
     └── ConcurrentRunError   another run assigned the same records first (retryable)
"""

from linking.errors import (
    ConcurrentRunError,
    LinkConflictError,
    LinkingError,
    LinkNotFoundError,
    ModelLoadError,
)

__all__ = [
    "ConcurrentRunError",
    "LinkConflictError",
    "LinkNotFoundError",
    "LinkingError",
    "ModelLoadError",
]
