"""A language tag per post: ``id``, ``jv``, ``en``, ``mixed`` (or ``und``).

Counting, not a model: each token is evidence for Indonesian (stop words, and
the slang dictionary at half weight), Javanese (the shipped Javanese and Tegalan list) or English (a
list of English function words below). A language with at least 70% of the
evidence names the post; two languages with a quarter each make it ``mixed``.
Posts with less than two tokens of evidence are ``und`` (undetermined).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Literal

from indonesian.normalise import tokenise
from indonesian.slang import find_javanese, load_slang
from indonesian.stopwords import load_stopwords

LanguageTag = Literal["id", "jv", "en", "mixed", "und"]

# A word list is clearer as one string than as a list literal.
ENGLISH_WORDS = frozenset(
    """the a an and or but if of to in on at for with from by about as is are was
    were be been being have has had do does did not no yes this that these those it
    its i you he she we they me him her us them my your our their what which who
    when where why how all any some more most very can could will would should
    just so than then there here out up down over again only also good great bad
    love like thank thanks please because get got""".split()  # noqa: SIM905
)
DOMINANT_SHARE = 0.7
MIXED_SHARE = 0.25


def count_language_evidence(tokens: Sequence[str]) -> Counter[str]:
    """Evidence per language; a token counts for one language only.

    Chat slang counts half for Indonesian: Javanese speakers write it too.
    """
    counts: Counter[str] = Counter()
    stopwords, slang = load_stopwords(), load_slang()
    for token in tokens:
        if find_javanese(token) is not None:
            counts["jv"] += 2
        elif token in ENGLISH_WORDS:
            counts["en"] += 2
        elif token in stopwords:
            counts["id"] += 2
        elif token in slang:
            counts["id"] += 1
    return counts


def detect_language(text: str) -> LanguageTag:
    """The language tag of a raw post text."""
    counts = count_language_evidence(tokenise(text))
    total = sum(counts.values())
    if total < 4:
        return "und"

    ranked = counts.most_common()
    top, top_count = ranked[0]
    if top_count / total >= DOMINANT_SHARE:
        return top  # type: ignore[return-value]
    second_share = ranked[1][1] / total if len(ranked) > 1 else 0.0
    if second_share >= MIXED_SHARE:
        return "mixed"
    return top  # type: ignore[return-value]
