"""Indonesian person names: honorifics and degrees kept apart from the name itself.

``"Dra. Hj. Siti Aminah, S.Pd., M.M."`` becomes the name ``"siti aminah"`` with
the titles ``("Dra.", "Hj.")`` and the degrees ``("S.Pd.", "M.M.")`` kept as
attributes. The many spellings of Muhammad (Moh., Moch., Mochammad, Muhamad,
...) become one form; a bare ``"M."`` may be Muhammad or any other name, so it
stays an initial and is reported as ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from indonesian.text import fold

# Folded spelling -> what it is. "dr" is a physician, "Dr" a doctorate: both titles.
HONORIFICS = frozenset(
    {
        "h", "hj", "haji", "hajah", "hajjah", "dr", "drs", "dra", "ir", "prof",
        "kh", "ust", "ustadz", "ustadzah", "bpk", "bapak", "ibu", "sdr", "sdri",
        "tn", "ny", "nn", "raden", "rr", "r", "ki", "nyai", "gus",
    }
)  # fmt: skip
# Honorifics that are also common single-letter initials: a title only when first.
AMBIGUOUS_HONORIFICS = frozenset({"h", "r"})
KNOWN_DEGREES = frozenset(
    {
        "spd", "se", "mm", "sh", "mh", "ssos", "msi", "st", "mt", "skom", "mkom",
        "sag", "mag", "spdi", "sip", "mpd", "ssi", "sked", "skm", "sp", "mp",
        "ak", "amd", "amdkeb", "amdkep", "ag", "sthi", "ssit", "mba", "phd",
        "mkes", "skep", "ners", "sfarm", "apt", "sikom", "mhum", "shi",
        "spt", "stp", "mpa", "map", "me", "msc", "bsc",
    }
)  # fmt: skip
MUHAMMAD_SPELLINGS = frozenset(
    {
        "muhammad", "muhamad", "muhammed", "mohammad", "mohamad", "mohammed",
        "mohamed", "muhamed", "moh", "moch", "mochammad", "mochamad", "mochamat",
        "mokhammad", "mokhamad", "muh", "mhd", "mohd", "md", "much", "muchammad",
        "muchamad", "mukhammad", "mukhamad",
    }
)  # fmt: skip
MUHAMMAD = "muhammad"


@dataclass(frozen=True)
class PersonName:
    """A parsed person name; ``name`` is what linking compares."""

    raw: str
    name: str
    titles: tuple[str, ...] = ()
    degrees: tuple[str, ...] = ()
    ambiguous_initials: tuple[str, ...] = ()

    @property
    def tokens(self) -> list[str]:
        return self.name.split() if self.name else []

    @property
    def key(self) -> str:
        """Order-free key for blocking: the sorted words of the name."""
        return " ".join(sorted(self.tokens))


def parse_person_name(raw: str) -> PersonName:
    """Split ``raw`` into the name, leading titles and trailing degrees.

    Returns a ``PersonName``; never raises (an empty input gives an empty name).
    """
    head, degrees = _split_degrees(raw)
    words = head.replace(".", ". ").split()
    titles: list[str] = []
    while words and _is_title(words, titles):
        titles.append(words.pop(0))

    name_words: list[str] = []
    ambiguous: list[str] = []
    for word in words:
        folded = fold(word).replace(" ", "")
        if not folded:
            continue
        if folded in MUHAMMAD_SPELLINGS and (len(folded) > 1):
            name_words.append(MUHAMMAD)
        elif folded == "m" and word.endswith("."):
            ambiguous.append("m")
            name_words.append("m")
        else:
            name_words.append(folded)
    return PersonName(
        raw=raw,
        name=" ".join(name_words),
        titles=tuple(titles),
        degrees=tuple(degrees),
        ambiguous_initials=tuple(ambiguous),
    )


def _is_title(words: list[str], taken: list[str]) -> bool:
    folded = fold(words[0]).replace(" ", "")
    if folded not in HONORIFICS or len(words) == 1:
        return False
    if folded in AMBIGUOUS_HONORIFICS:
        # "H. Ahmad" is Haji Ahmad, but "R" alone may be a name's initial: only
        # a dotted form before the name counts.
        return words[0].endswith(".") and not taken
    return True


def _split_degrees(raw: str) -> tuple[str, list[str]]:
    """The part before the degrees, and the degrees (after commas or trailing)."""
    parts = [part.strip() for part in raw.split(",")]
    head, tail = parts[0], [part for part in parts[1:] if part]
    degrees = [part for part in tail if is_degree(part)]
    extra = [part for part in tail if not is_degree(part)]
    if extra:
        head = " ".join([head, *extra])
    words = head.split()
    while len(words) > 1 and is_degree(words[-1]) and "." in words[-1]:
        degrees.insert(0, words.pop())
    return " ".join(words), degrees


def is_degree(text: str) -> bool:
    """Whether ``text`` is an academic degree such as ``S.Pd.``, ``M.M.`` or ``S.E``."""
    compact = fold(text).replace(" ", "")
    return compact in KNOWN_DEGREES
