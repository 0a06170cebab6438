"""Exceptions of the catalog layer; the tree is drawn in ``catalog/__init__``."""

from __future__ import annotations

from collections.abc import Sequence


class CatalogError(Exception):
    """Base of every error raised by the catalog."""


class DatasetNotFoundError(CatalogError):
    """Raised when no dataset has the id asked for."""

    def __init__(self, dataset_id: int) -> None:
        super().__init__(f"no dataset has id {dataset_id}")
        self.dataset_id = dataset_id


class MetadataValidationError(CatalogError):
    """Raised when a metadata edit uses a value outside the Satu Data vocabulary."""

    def __init__(
        self, field: str, value: str, message: str, allowed: Sequence[str] = ()
    ) -> None:
        super().__init__(f"{field}: {message} (value {value!r})")
        self.field = field
        self.value = value
        self.message = message
        self.allowed = list(allowed)
