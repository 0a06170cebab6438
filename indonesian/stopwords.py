"""The Indonesian stop-word list used when ranking terms (shipped, our own)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_stopwords() -> frozenset[str]:
    """Function words, pronouns, particles and their chat spellings."""
    text = resources.files("indonesian").joinpath("data", "stopwords.txt")
    lines = text.read_text("utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line and not line.startswith("#")
    )


def is_stopword(token: str) -> bool:
    return token in load_stopwords()
