"""Yes/no answers as Indonesian forms write them: "Ya"/"Tidak", "Benar"/"Salah"."""

from __future__ import annotations

TRUE_WORDS = frozenset({"ya", "iya", "y", "yes", "true", "benar"})
FALSE_WORDS = frozenset({"tidak", "tdk", "no", "n", "false", "salah", "bukan"})


def parse_boolean(text: str) -> bool | None:
    """``True`` for "Ya", ``False`` for "Tidak" (and kin), ``None`` for anything else."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None
