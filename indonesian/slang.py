"""The shipped dictionaries: chat slang and abbreviations, Javanese and Tegalan words.

Both files are written for this project and ship inside the package
(``indonesian/data``). Lookups are by lower-case token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class JavaneseWord:
    word: str
    indonesian: str
    variety: str  # jv, ngapak (Tegalan/Banyumasan) or krama


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("indonesian").joinpath("data", name).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def load_slang() -> dict[str, str]:
    """Slang or abbreviation → standard Indonesian; the first entry of a word wins."""
    table: dict[str, str] = {}
    for slang, standard in _data_lines("slang.tsv"):
        table.setdefault(slang, standard)
    return table


@cache
def load_javanese() -> dict[str, JavaneseWord]:
    """Javanese words (common, Ngapak/Tegalan, krama) with an Indonesian gloss."""
    table: dict[str, JavaneseWord] = {}
    for word, indonesian, variety in _data_lines("javanese.tsv"):
        table.setdefault(word, JavaneseWord(word, indonesian, variety))
    return table


def expand_slang(token: str) -> str:
    """The standard form of a lower-case token, or the token itself."""
    return load_slang().get(token, token)


def find_javanese(token: str) -> JavaneseWord | None:
    """The Javanese word a lower-case token is, or ``None``."""
    return load_javanese().get(token)
