"""Matching free-text region names to Kemendagri codes.

Agencies write "Kab. Tegal", "KABUPATEN TEGAL", "kec slawi", "Ds. Procot".
The prefix says the level (and, for regencies, whether it is a kabupaten or
a kota); the rest is compared with the region names of that level, exactly
first, then fuzzily (rapidfuzz). Kabupaten Tegal (33.28) and Kota Tegal
(33.76) share a name, so the prefix is a hard filter, never a fuzzy hint, and
a name that fits several regions is reported as ambiguous with its candidates:
a match is never chosen silently.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

RegionKind = Literal["provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"]
MatchStatus = Literal["matched", "ambiguous", "unmatched"]

FUZZY_CUTOFF = 88.0
# A runner-up this close to the best fuzzy score makes the match ambiguous.
FUZZY_MARGIN = 4.0
MAX_CANDIDATES = 10

_PREFIXES: tuple[tuple[re.Pattern[str], int, RegionKind | None], ...] = (
    (re.compile(r"^(?:provinsi|propinsi|prov|prop)\b"), 1, "provinsi"),
    (re.compile(r"^(?:kabupaten|kab)(?: (?:administrasi|adm))?\b"), 2, "kabupaten"),
    (re.compile(r"^(?:kotamadya|kodya|kota)(?: (?:administrasi|adm))?\b"), 2, "kota"),
    (re.compile(r"^(?:kecamatan|kec|distrik)\b"), 3, "kecamatan"),
    (re.compile(r"^(?:desa|ds)\b"), 4, "desa"),
    (re.compile(r"^(?:kelurahan|kel)\b"), 4, "kelurahan"),
)
_SPACED_LETTERS = re.compile(r"\b(?:\w ){2,}\w\b")


@dataclass(frozen=True)
class RegionEntry:
    """A region as the matcher knows it."""

    code: str
    name: str
    level: int


@dataclass(frozen=True)
class RegionCandidate:
    code: str
    name: str
    level: int
    score: float


@dataclass(frozen=True)
class RegionMatch:
    """The outcome for one text: one region, several candidates, or none."""

    text: str
    status: MatchStatus
    region: RegionCandidate | None
    candidates: tuple[RegionCandidate, ...]
    method: Literal["exact", "fuzzy", "none"]


@dataclass(frozen=True)
class ParsedName:
    core: str
    level: int | None
    kind: RegionKind | None


def normalise_name(text: str) -> str:
    """Lower case, punctuation to spaces, "P A P U A" → "papua", spaces collapsed."""
    lowered = re.sub(r"[^\w]+", " ", text.lower()).strip()
    lowered = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), lowered)
    return " ".join(lowered.split())


def parse_name(text: str) -> ParsedName:
    """Split a written region name into its level/kind prefix and its core name."""
    normal = normalise_name(text)
    for pattern, level, kind in _PREFIXES:
        match = pattern.match(normal)
        if match and normal[match.end() :].strip():
            return ParsedName(normal[match.end() :].strip(), level, kind)
    return ParsedName(normal, None, None)


def kind_of(entry: RegionEntry) -> RegionKind:
    """The kind of a stored region: from its level, its name prefix or its code."""
    if entry.level == 1:
        return "provinsi"
    if entry.level == 2:
        return parse_name(entry.name).kind or "kabupaten"
    if entry.level == 3:
        return "kecamatan"
    return "kelurahan" if entry.code.rsplit(".", 1)[-1].startswith("1") else "desa"


class RegionMatcher:
    """An in-memory index of one edition's regions. Safe to share (read-only)."""

    def __init__(self, entries: Iterable[RegionEntry]) -> None:
        self._entries: list[tuple[RegionEntry, str, RegionKind]] = []
        self._by_core: dict[str, list[int]] = defaultdict(list)
        for entry in entries:
            index = len(self._entries)
            self._entries.append((entry, parse_name(entry.name).core, kind_of(entry)))
            self._by_core[self._entries[index][1]].append(index)

    def __len__(self) -> int:
        return len(self._entries)

    def match(
        self, text: str, *, level: int | None = None, within: str | None = None
    ) -> RegionMatch:
        """The region ``text`` names, at ``level`` and below the code ``within``.

        Returns ``matched`` with the region, ``ambiguous`` with every fitting
        candidate, or ``unmatched``.
        """
        parsed = parse_name(text)
        level = parsed.level or level
        exact = [
            i
            for i in self._by_core.get(parsed.core, [])
            if self._fits(i, parsed, level, within)
        ]
        if exact:
            return self._decide(text, [(i, 100.0) for i in exact], "exact")
        return self._fuzzy(text, parsed, level, within)

    def _fits(
        self, index: int, parsed: ParsedName, level: int | None, within: str | None
    ) -> bool:
        entry, _core, kind = self._entries[index]
        if level is not None and entry.level != level:
            return False
        if within and not entry.code.startswith(f"{within}."):
            return False
        # Only kabupaten/kota is a hard distinction: agencies write "Ds." for a
        # kelurahan too, but a regency is never its city namesake.
        return parsed.kind not in ("kabupaten", "kota") or parsed.kind == kind

    def _fuzzy(
        self, text: str, parsed: ParsedName, level: int | None, within: str | None
    ) -> RegionMatch:
        pool = [
            i for i in range(len(self._entries)) if self._fits(i, parsed, level, within)
        ]
        choices = {i: self._entries[i][1] for i in pool}
        found = process.extract(
            parsed.core,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=MAX_CANDIDATES,
        )
        if not found:
            return RegionMatch(text, "unmatched", None, (), "none")
        best = found[0][1]
        close = [
            (key, score) for _core, score, key in found if best - score < FUZZY_MARGIN
        ]
        return self._decide(text, close, "fuzzy")

    def _decide(
        self,
        text: str,
        scored: list[tuple[int, float]],
        method: Literal["exact", "fuzzy"],
    ) -> RegionMatch:
        candidates = tuple(
            RegionCandidate(entry.code, entry.name, entry.level, round(score, 1))
            for entry, score in ((self._entries[i][0], score) for i, score in scored)
        )[:MAX_CANDIDATES]
        if len(scored) == 1:
            return RegionMatch(text, "matched", candidates[0], candidates, method)
        return RegionMatch(text, "ambiguous", None, candidates, method)
