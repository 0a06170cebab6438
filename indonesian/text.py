"""Low-level text folding shared by the name, address and phone normalisers."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ASCII with accents stripped and every run of other characters a space.

    ``"  Jl. Raya  Slawi–Tegal "`` becomes ``"jl raya slawi tegal"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", ascii_only)).strip()


def tokens(text: str) -> list[str]:
    """The folded words of ``text``."""
    folded = fold(text)
    return folded.split(" ") if folded else []


def collapse_spelled_out(text: str) -> str:
    """Join single letters written apart: ``"P A P U A"`` becomes ``"PAPUA"``.

    Only runs of three or more single letters are joined, so initials such as
    ``"M. Yusuf"`` stay as they are.
    """
    words = text.split()
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        out.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if word:
            out.append(word)
    return " ".join(out)
