"""Indonesian addresses and administrative place names.

An address such as ``"Jln. Raya Procot No. 12 RT 02/RW 05, Ds. Procot, Kec.
Slawi, Kab. Tegal 52411"`` is split into street, house number, RT/RW, village,
district, regency and postal code, each spelled one way (``jalan raya procot``,
``rt="2"``, ...). Place names from different code editions (``"KAB. TEGAL"``,
``"Kabupaten Tegal"``, ``"P A P U A"``) fold to one comparable name with the
administrative level kept as an attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indonesian.text import collapse_spelled_out, fold

STREET_WORDS = {
    "jl": "jalan",
    "jln": "jalan",
    "jalan": "jalan",
    "jl raya": "jalan raya",
}
LEVEL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("kabupaten administrasi", "kabupaten"), ("kab adm", "kabupaten"),
    ("kabupaten", "kabupaten"), ("kab", "kabupaten"),
    ("kota administrasi", "kota"), ("kota adm", "kota"), ("kota", "kota"),
    ("provinsi", "provinsi"), ("prov", "provinsi"), ("propinsi", "provinsi"),
    ("kecamatan", "kecamatan"), ("kec", "kecamatan"),
    ("kelurahan", "kelurahan"), ("kel", "kelurahan"),
    ("desa", "desa"), ("ds", "desa"),
    ("dusun", "dusun"), ("dsn", "dusun"),
)  # fmt: skip
_POSTAL_CODE = re.compile(r"(?<!\d)([1-9]\d{4})(?!\d)")
_RT_RW = re.compile(
    r"\brt\.?\s*0*(\d{1,3})\s*(?:/|,|\s)\s*(?:rw\.?\s*)?0*(\d{1,3})\b", re.IGNORECASE
)
_RT_ONLY = re.compile(r"\brt\.?\s*0*(\d{1,3})\b", re.IGNORECASE)
_RW_ONLY = re.compile(r"\brw\.?\s*0*(\d{1,3})\b", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"\b(?:no|nomor|nomer)\.?\s*([0-9]+[a-z]?)\b", re.IGNORECASE)
_GANG = re.compile(r"\b(?:gg|gang)\.?\s+([^,]+?)(?=,|$|\bno\b|\brt\b)", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceName:
    """An administrative place name; ``name`` is what linking compares."""

    raw: str
    name: str
    level: str | None = None


@dataclass(frozen=True)
class Address:
    """A parsed address; empty parts are ``None``."""

    raw: str
    street: str | None = None
    house_number: str | None = None
    gang: str | None = None
    rt: str | None = None
    rw: str | None = None
    village: str | None = None
    village_level: str | None = None
    district: str | None = None
    regency: str | None = None
    regency_level: str | None = None
    province: str | None = None
    postal_code: str | None = None
    rest: tuple[str, ...] = field(default=())

    @property
    def normalised(self) -> str:
        """One comparable string: street, number, RT/RW, village, district, regency."""
        parts = [
            self.street,
            self.house_number and f"no {self.house_number}",
            self.gang and f"gang {self.gang}",
            self.rt and f"rt {self.rt}",
            self.rw and f"rw {self.rw}",
            self.village,
            self.district,
            self.regency,
            *self.rest,
        ]
        return " ".join(part for part in parts if part)


def parse_place_name(raw: str) -> PlaceName:
    """Fold an administrative place name and take its level word off.

    ``"KAB. TEGAL"`` and ``"Kabupaten Tegal"`` both give ``PlaceName(name="tegal",
    level="kabupaten")``; ``"P A P U A"`` gives ``"papua"``. Never raises.
    """
    folded = fold(collapse_spelled_out(raw.replace(".", ". ")))
    for prefix, level in LEVEL_PREFIXES:
        if folded.startswith(prefix + " "):
            return PlaceName(raw=raw, name=folded[len(prefix) + 1 :], level=level)
    return PlaceName(raw=raw, name=folded)


def normalise_street(raw: str) -> str:
    """``"Jln. Raya Slawi"`` and ``"Jl Raya Slawi"`` both give ``"jalan raya slawi"``."""
    folded = fold(raw)
    for spelled in sorted(STREET_WORDS, key=len, reverse=True):
        if folded == spelled or folded.startswith(spelled + " "):
            return STREET_WORDS[spelled] + folded[len(spelled) :]
    return folded


def parse_address(raw: str) -> Address:
    """Split an address into its parts; unrecognised parts are kept in ``rest``.

    Returns an ``Address``; never raises.
    """
    text, postal_code = _take_postal_code(raw)
    text, rt, rw = _take_rt_rw(text)
    values: dict[str, str | None] = {"rt": rt, "rw": rw, "postal_code": postal_code}
    rest: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            _assign_part(part, values, rest)
    return Address(raw=raw, rest=tuple(rest), **values)


def _take_postal_code(text: str) -> tuple[str, str | None]:
    matches = list(_POSTAL_CODE.finditer(text))
    if not matches:
        return text, None
    last = matches[-1]
    return text[: last.start()] + text[last.end() :], last.group(1)


def _take_rt_rw(text: str) -> tuple[str, str | None, str | None]:
    both = _RT_RW.search(text)
    if both:
        return _RT_RW.sub(" ", text, count=1), both.group(1), both.group(2)
    rt, rw = _RT_ONLY.search(text), _RW_ONLY.search(text)
    text = _RW_ONLY.sub(" ", _RT_ONLY.sub(" ", text, count=1), count=1)
    return text, rt.group(1) if rt else None, rw.group(1) if rw else None


def _assign_part(part: str, values: dict[str, str | None], rest: list[str]) -> None:
    place = parse_place_name(part)
    slot = {
        "desa": "village",
        "kelurahan": "village",
        "dusun": "village",
        "kecamatan": "district",
        "kabupaten": "regency",
        "kota": "regency",
        "provinsi": "province",
    }.get(place.level or "")
    if slot and not values.get(slot):
        values[slot] = place.name
        if slot in {"village", "regency"}:
            values[f"{slot}_level"] = place.level
        return
    folded = fold(part)
    if _is_street(folded) and not values.get("street"):
        _assign_street(part, values)
        return
    gang = _GANG.search(part)
    if gang and not values.get("gang"):
        values["gang"] = fold(gang.group(1))
        return
    if place.name:
        rest.append(place.name)


def _is_street(folded: str) -> bool:
    return any(folded.startswith(word + " ") for word in STREET_WORDS)


def _assign_street(part: str, values: dict[str, str | None]) -> None:
    number = _HOUSE_NUMBER.search(part)
    if number:
        values["house_number"] = number.group(1).lower()
        part = part[: number.start()] + part[number.end() :]
    gang = _GANG.search(part)
    if gang:
        values["gang"] = fold(gang.group(1))
        part = part[: gang.start()] + part[gang.end() :]
    values["street"] = normalise_street(part)
