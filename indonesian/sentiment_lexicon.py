"""A small Indonesian sentiment lexicon (shipped, our own) and negation marking.

``mark_polarity`` prefixes words under a negation ("tidak", "gak", "kurang", ...)
with ``not_`` and adds a ``lexpos``/``lexneg`` token after each lexicon word,
flipped under negation, so that a bag-of-words model sees "tidak enak" as
negative evidence even when the pair is rare in its training data.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

NEGATORS = frozenset(
    "tidak tak bukan belum enggak gak nggak ga kurang jangan tanpa ora bli mboten".split()  # noqa: SIM905
)
NEGATION_SPAN = 3
CLAUSE_BREAKS = frozenset(".,!?;:")


@cache
def load_lexicon() -> dict[str, int]:
    """Word → polarity, +1 or -1."""
    path = resources.files("indonesian").joinpath("data", "sentiment_lexicon.tsv")
    table: dict[str, int] = {}
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, polarity = line.split("\t")
            table[word] = int(polarity)
    return table


def mark_polarity(tokens: Sequence[str]) -> list[str]:
    """Tokens with negation scope and lexicon polarity marked (see module doc)."""
    lexicon = load_lexicon()
    marked: list[str] = []
    remaining = 0
    for token in tokens:
        if token in NEGATORS:
            marked.append(token)
            remaining = NEGATION_SPAN
            continue
        if token in CLAUSE_BREAKS:
            marked.append(token)
            remaining = 0
            continue

        polarity = lexicon.get(token, 0) * (-1 if remaining else 1)
        marked.append(f"not_{token}" if remaining else token)
        if polarity:
            marked.append("lexpos" if polarity > 0 else "lexneg")
        remaining = max(remaining - 1, 0)
    return marked
