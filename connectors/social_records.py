"""What social and news connectors produce: raw posts, and their input errors.

Exceptions (under ``ConnectorError``, see ``connectors.base``)::

    ConnectorError
     └── SocialInputError          a file, feed or row that cannot be read
          └── UnknownProfileError  no column profile fits, or a name is unknown
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.base import ConnectorError


class SocialInputError(ConnectorError):
    """Raised when input cannot be read; names the file, line, field and raw value."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                f"file {path}" if path else "",
                f"line {line}" if line is not None else "",
                f"field {column!r}" if column else "",
                f"value {value!r}" if value is not None else "",
            )
            if part
        )
        super().__init__(f"{message} ({where})" if where else message, source=path)
        self.path = path
        self.line = line
        self.column = column
        self.value = value


class UnknownProfileError(SocialInputError):
    """Raised when no column profile fits a file, or a profile name is unknown."""


@dataclass(frozen=True)
class RawPost:
    """One post or article as read from its source, before analytics.

    ``post_id`` is ``None`` when the source has no id (the store then keys the
    post by its content hash). ``posted_at`` is aware; naive source times were
    read as WIB. ``line`` is where it came from, for error messages.
    """

    platform: str
    text: str
    posted_at: datetime | None
    post_id: str | None = None
    kind: str = "post"
    author: str | None = None
    author_public: bool = False
    title: str | None = None
    likes: int = 0
    shares: int = 0
    replies: int = 0
    views: int | None = None
    url: str | None = None
    language: str | None = None
    reply_to: str | None = None
    quote_of: str | None = None
    source_name: str | None = None
    category: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
