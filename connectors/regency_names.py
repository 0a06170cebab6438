"""Regency and city names as marketplaces print them, resolved to Kemendagri codes.

Marketplaces show a seller's location at regency level in a few styles:
"Kab. Bandung", "Kabupaten Sukoharjo", "Kota Bandung", "Jakarta Barat" (which is
Kota Administrasi Jakarta Barat) or a bare "Surabaya". ``RegencyNameResolver``
reads the regency rows of a Kemendagri code file (``wilayah.sql`` of
cahyadsn/wilayah) and resolves such a text to one code, or to none with the
reason: unknown, or ambiguous when a bare name is both a kabupaten and a kota
("Bandung", "Bekasi").

Anything that resolves region names can stand in for it through the
``RegionMatcher`` protocol, so the general region matcher can replace this one
without touching its callers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from connectors.base import ConnectorError

RegencyKind = Literal["kabupaten", "kota"]
REGENCY_ROW = re.compile(r"\('(\d{2}\.\d{2})',\s*'((?:[^'\\]|\\.|'')*)'\)")
KIND_PREFIXES: tuple[tuple[str, RegencyKind], ...] = (
    ("kabupaten administrasi ", "kabupaten"),
    ("kabupaten ", "kabupaten"),
    ("kab adm ", "kabupaten"),
    ("kab ", "kabupaten"),
    ("kota administrasi ", "kota"),
    ("kota adm ", "kota"),
    ("kota ", "kota"),
)


class RegionFileError(ConnectorError):
    """Raised when a Kemendagri code file cannot be read or holds no regencies."""


@dataclass(frozen=True)
class Regency:
    """A kabupaten or kota with its Kemendagri code ("33.28")."""

    code: str
    name: str
    kind: RegencyKind


@dataclass(frozen=True)
class RegionMatch:
    """The outcome of resolving one name: a code, or none and why."""

    text: str
    code: str | None
    name: str | None
    reason: Literal["exact", "unique_name", "ambiguous", "unknown", "empty"]
    candidates: tuple[str, ...] = ()


class RegionMatcher(Protocol):
    """Anything that resolves a marketplace location text to a region."""

    def match_regency(self, text: str) -> RegionMatch:
        """The regency ``text`` names; ``code`` is ``None`` when it names none."""
        ...


def normalise_place(text: str) -> str:
    """Lower case ASCII words: "Kab.\\xa0Bekasi " and "KAB BEKASI" both "kab bekasi"."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_only).split())


def split_kind(text: str) -> tuple[RegencyKind | None, str]:
    """The kind a name states ("kab ", "kota ") and the name without it."""
    normal = normalise_place(text)
    for prefix, kind in KIND_PREFIXES:
        if normal.startswith(prefix):
            return kind, normal.removeprefix(prefix)
    return None, normal


def _key(base: str) -> str:
    # "Palangka Raya" and "Palangkaraya" are the same city.
    return base.replace(" ", "")


def read_regencies(path: Path) -> list[Regency]:
    """The kabupaten and kota rows of a Kemendagri ``wilayah`` SQL dump.

    Raises ``RegionFileError`` when the file is missing or holds no regency row.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RegionFileError(
            f"cannot read region codes from {path}: {error}"
        ) from error
    regencies = [_to_regency(code, name) for code, name in REGENCY_ROW.findall(text)]
    if not regencies:
        raise RegionFileError(
            f"{path} holds no regency rows like ('33.28','Kabupaten Tegal'): "
            "give the wilayah.sql file of cahyadsn/wilayah"
        )
    return regencies


def _to_regency(code: str, raw_name: str) -> Regency:
    name = " ".join(raw_name.replace("''", "'").replace("\\'", "'").split())
    kind, _ = split_kind(name)
    # Kemendagri codes kota as xx.7x and kabupaten below; trust the code if
    # the name states no kind.
    return Regency(code, name, kind or ("kota" if code[3] == "7" else "kabupaten"))


class RegencyNameResolver:
    """Resolves regency-level location names to Kemendagri codes. Safe to share."""

    def __init__(self, regencies: Iterable[Regency]) -> None:
        self._by_kind: dict[tuple[RegencyKind, str], Regency] = {}
        self._by_base: dict[str, list[Regency]] = defaultdict(list)
        for regency in regencies:
            _, base = split_kind(regency.name)
            self._by_kind[(regency.kind, _key(base))] = regency
            self._by_base[_key(base)].append(regency)

    @classmethod
    def from_file(cls, path: Path) -> RegencyNameResolver:
        """A resolver over the regencies of ``path``; raises ``RegionFileError``."""
        return cls(read_regencies(path))

    def match_regency(self, text: str) -> RegionMatch:
        """The regency ``text`` names, by stated kind or by a name used only once."""
        kind, base = split_kind(text)
        if not base:
            return RegionMatch(text, None, None, "empty")
        if kind is not None:
            found = self._by_kind.get((kind, _key(base)))
            if found:
                return RegionMatch(text, found.code, found.name, "exact")
            return RegionMatch(text, None, None, "unknown")
        return self._match_bare(text, base)

    def _match_bare(self, text: str, base: str) -> RegionMatch:
        candidates = self._by_base.get(_key(base), [])
        if len(candidates) == 1:
            only = candidates[0]
            return RegionMatch(text, only.code, only.name, "unique_name")
        if candidates:
            codes = tuple(sorted(regency.code for regency in candidates))
            return RegionMatch(text, None, None, "ambiguous", codes)
        return RegionMatch(text, None, None, "unknown")
