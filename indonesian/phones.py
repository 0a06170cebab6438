"""Indonesian phone numbers: ``0812…``, ``+62812…``, ``62812…`` and ``(0283) 491…``.

Every spelling of one number gives the same E.164 form (``+6281234567890``);
mobile numbers (``08…``) are told apart from landlines, whose area code
(``0283`` for Tegal) is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_DIGIT = re.compile(r"[^\d+]")
# Landline area codes are two to four digits after the trunk 0; Jakarta is 021.
_TWO_DIGIT_AREAS = frozenset({"21", "22", "24", "31", "61"})


@dataclass(frozen=True)
class PhoneNumber:
    """A parsed number; ``e164`` is what linking compares."""

    raw: str
    e164: str
    kind: str  # "mobile" or "landline"
    area_code: str | None = None

    @property
    def national(self) -> str:
        """The number as dialled inside Indonesia, with the trunk 0."""
        return "0" + self.e164[3:]


def parse_phone(raw: str) -> PhoneNumber | None:
    """The number in ``raw``, or ``None`` when it is not an Indonesian number.

    Accepts separators (spaces, dots, dashes, brackets) and the prefixes ``0``,
    ``62``, ``+62`` and ``0062``. Never raises.
    """
    compact = _NOT_DIGIT.sub("", raw)
    subscriber = _strip_prefix(compact)
    if subscriber is None or not 7 <= len(subscriber) <= 12:
        return None
    if subscriber.startswith("8"):
        if len(subscriber) < 9:
            return None
        return PhoneNumber(raw=raw, e164="+62" + subscriber, kind="mobile")
    area = subscriber[:2] if subscriber[:2] in _TWO_DIGIT_AREAS else subscriber[:3]
    return PhoneNumber(
        raw=raw, e164="+62" + subscriber, kind="landline", area_code="0" + area
    )


def _strip_prefix(compact: str) -> str | None:
    for prefix in ("+62", "0062", "62", "0"):
        if compact.startswith(prefix):
            rest = compact[len(prefix) :]
            return rest if rest[:1] not in {"", "0", "+"} else None
    return None
