"""Exceptions of the linking layer; the tree is drawn in ``linking/__init__``."""


class LinkingError(Exception):
    """Base of every error raised by linking."""


class ModelLoadError(LinkingError):
    """Raised when the embedding model named in settings cannot be loaded."""


class LinkNotFoundError(LinkingError):
    """Raised when a record, entity or link named in a decision does not exist."""


class LinkConflictError(LinkingError):
    """Raised when a decision contradicts the current state (e.g. merging an entity
    into itself, or splitting off every record of an entity)."""


class ConcurrentRunError(LinkingError):
    """Raised when another linking run assigned some of a run's records first.

    Retryable: the run rolled back and, started again, reads the other run's
    assignments as existing ones.
    """
