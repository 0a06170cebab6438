"""What one request touched: the per-request record the audit trail is written from."""

from __future__ import annotations

from dataclasses import dataclass, field

from security.policy import DatasetAccess


@dataclass
class AccessLog:
    """Datasets read and refused during one request. Not safe to share between requests."""

    read: dict[str, str] = field(default_factory=dict)
    denied: dict[str, str] = field(default_factory=dict)

    def record_read(self, dataset: DatasetAccess) -> None:
        self.read.setdefault(dataset.key, dataset.access_level)

    def record_denied(self, dataset: DatasetAccess) -> None:
        self.denied.setdefault(dataset.key, dataset.access_level)

    @property
    def restricted(self) -> list[str]:
        """Keys of terbatas and tertutup datasets read or refused, sorted."""
        touched = {**self.read, **self.denied}
        return sorted(key for key, level in touched.items() if level != "terbuka")

    @property
    def needs_audit(self) -> bool:
        return bool(self.restricted)
