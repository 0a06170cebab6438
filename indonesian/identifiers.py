"""Identifiers that look like numbers but are text: region codes, NIK, NPWP, NIB, phones.

Their zeros, dots and length carry meaning, so they must never be read as
numbers. Each ``is_*`` function checks one value; ``detect_identifier_kind``
decides for a whole column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

IdentifierKind = Literal[
    "wilayah_kemendagri", "wilayah_bps", "nik", "npwp", "nib", "telepon"
]

REGION_LEVELS = {
    1: "provinsi",
    2: "kabupaten_kota",
    3: "kecamatan",
    4: "desa_kelurahan",
}
BPS_LEVEL_DIGITS = {2: 1, 4: 2, 7: 3, 10: 4}

_KEMENDAGRI = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
_NPWP_FORMATTED = re.compile(r"^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$")
_PHONE = re.compile(r"^(?:\+62|62|0)(?:8\d{7,11}|[2-7]\d{6,10})$")
_PHONE_NOISE = re.compile(r"[\s().-]")
_FLOAT_ARTEFACT = re.compile(r"^(\d+)\.0+$")
# Column names that announce an identifier ("kode_kabupaten", "no_hp", "nik_pemilik").
_NAME_HINT = re.compile(
    r"(?:^|_)(?:kode|kd|code|nik|npwp|nib|telp|telepon|phone|hp|wa|nomor_induk)(?:_|$)"
)


def is_kemendagri_code(text: str) -> bool:
    """True for a dotted Kemendagri region code: "33", "33.28", "33.28.10", "33.28.10.1008"."""
    return bool(_KEMENDAGRI.match(text))


def region_code_level(code: str) -> int:
    """1 province, 2 regency/city, 3 district, 4 village, for a Kemendagri code."""
    return code.count(".") + 1


def parent_region_code(code: str) -> str | None:
    """The code one level up ("33.28.10" → "33.28"), ``None`` for a province."""
    head, dot, _ = code.rpartition(".")
    return head if dot else None


def is_bps_code(text: str) -> bool:
    """True for a BPS region code: 2, 4, 7 or 10 digits ("32", "3201", "3201190006")."""
    return text.isdigit() and len(text) in BPS_LEVEL_DIGITS


def bps_to_kemendagri_prefix(code: str) -> str | None:
    """The Kemendagri code of a BPS province or regency code ("3201" → "32.01").

    Below regency level the two systems number districts and villages
    differently, so there is no conversion and ``None`` is returned.
    """
    if len(code) == 2 and code.isdigit():
        return code
    if len(code) == 4 and code.isdigit():
        return f"{code[:2]}.{code[2:]}"
    return None


def is_nik(text: str) -> bool:
    """True for a plausible NIK: 16 digits, a region prefix and a birth date.

    Women's NIKs add 40 to the day of birth, so the day runs 01–31 or 41–71.
    """
    if len(text) != 16 or not text.isdigit():
        return False
    province = int(text[:2])
    day, month = int(text[6:8]), int(text[8:10])
    day_ok = 1 <= day <= 31 or 41 <= day <= 71
    return 11 <= province <= 96 and day_ok and 1 <= month <= 12


def is_npwp(text: str) -> bool:
    """True for an NPWP: "01.234.567.8-901.000", 15 digits, or the 16-digit form."""
    if _NPWP_FORMATTED.match(text):
        return True
    return text.isdigit() and len(text) in (15, 16)


def is_nib(text: str) -> bool:
    """True for an NIB (Nomor Induk Berusaha of OSS): 13 digits."""
    return text.isdigit() and len(text) == 13


def is_phone(text: str) -> bool:
    """True for an Indonesian phone number: "0812-3456-7890", "+62 283 491234"."""
    return bool(_PHONE.match(_PHONE_NOISE.sub("", text)))


def strip_float_artefact(text: str) -> str:
    """ "3201.0" → "3201": undo a program that wrote an integer code as a float."""
    match = _FLOAT_ARTEFACT.match(text)
    return match.group(1) if match else text


def has_identifier_name(column: str) -> bool:
    """True when a column's name announces an identifier ("kode_kabupaten", "no_hp")."""
    name = re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")
    return bool(_NAME_HINT.search(name))


def detect_identifier_kind(
    column: str, values: Sequence[str], *, share: float = 0.98
) -> IdentifierKind | None:
    """The identifier kind of a column, or ``None`` when it holds no identifiers.

    ``values`` are the column's non-empty texts. A kind is chosen when at least
    ``share`` of them match it. BPS codes and NIBs are digit strings that also
    read as counts, so they need a name that announces an identifier; dotted
    region codes, NIKs, NPWPs and phone numbers are recognised by shape alone.
    """
    if not values:
        return None
    named = has_identifier_name(column)
    cleaned = [strip_float_artefact(value) for value in values] if named else values
    checks: tuple[tuple[IdentifierKind, bool], ...] = (
        ("wilayah_kemendagri", named or _all_dotted(cleaned)),
        ("nik", True),
        ("npwp", True),
        ("telepon", True),
        ("nib", named),
        ("wilayah_bps", named),
    )
    for kind, allowed in checks:
        if allowed and _share(cleaned, _CHECKS[kind]) >= share:
            return kind
    return None


def _all_dotted(values: Sequence[str]) -> bool:
    # "12.50" could be a price; a district or village code ("33.28.10") cannot.
    return any(value.count(".") >= 2 for value in values)


def _share(values: Sequence[str], check: Callable[[str], bool]) -> float:
    return sum(1 for value in values if check(value)) / len(values)


_CHECKS: dict[IdentifierKind, Callable[[str], bool]] = {
    "wilayah_kemendagri": is_kemendagri_code,
    "wilayah_bps": is_bps_code,
    "nik": is_nik,
    "npwp": is_npwp,
    "nib": is_nib,
    "telepon": is_phone,
}
