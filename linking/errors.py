"""Exceptions of the linking layer; the tree is drawn in ``linking/__init__``."""


class LinkingError(Exception):
    """Base of every error raised by linking."""


class ModelLoadError(LinkingError):
    """Raised when the embedding model named in settings cannot be loaded."""
