"""Finding tracked entities (officials, agencies, brands) in normalised post text.

Names and aliases are normalised exactly like post text (so "#VaksinMerahPutih",
"vaksin merah putih" and "Vaksin Merah Putih" all match the alias "Vaksin Merah
Putih"), then matched as whole words, case-insensitively. A post mentions an
entity at most once; the first alias found is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analytics.social_config import TrackedEntity
from indonesian.normalise import normalise_text


@dataclass(frozen=True)
class Mention:
    entity: str  # TrackedEntity.key
    alias: str


class MentionMatcher:
    """Matches every tracked entity in one pass per entity. Safe to share."""

    def __init__(self, entities: Sequence[TrackedEntity]) -> None:
        self.entities = tuple(entities)
        self._patterns = [(e.key, compile_aliases(e.all_names())) for e in entities]

    def find(self, normalised_text: str) -> list[Mention]:
        """Entities mentioned in a normalised text, in configuration order."""
        found = []
        for key, pattern in self._patterns:
            match = pattern.search(normalised_text)
            if match:
                found.append(Mention(key, match.group(0)))
        return found


def normalise_alias(alias: str) -> str:
    return normalise_text(alias, expand=False).text


def compile_aliases(aliases: Sequence[str]) -> re.Pattern[str]:
    """One whole-word pattern for the aliases, longest first."""
    forms = sorted(
        {normalise_alias(a) for a in aliases if a.strip()}, key=len, reverse=True
    )
    alternatives = "|".join(re.escape(form) for form in forms if form)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
