"""Masking of personal data (UU PDP 27/2022): NIK, phone, e-mail, names of people.

A masked value keeps only what is not personal (the region code inside a NIK,
an e-mail's domain) and never the length of what it hides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

PersonalKind = Literal["nik", "phone", "email", "person_name", "other"]
PERSONAL_KINDS: tuple[PersonalKind, ...] = (
    "nik", "phone", "email", "person_name", "other",
)  # fmt: skip
HIDDEN = "****"

_NAME_HINTS: tuple[tuple[PersonalKind, re.Pattern[str]], ...] = (
    (
        "nik",
        re.compile(r"(^|_)(nik|no_ktp|ktp|nomor_induk_kependudukan|no_kk|nkk)($|_)"),
    ),
    (
        "phone",
        re.compile(
            r"(^|_)(phone|telepon|telp|tlp|hp|no_hp|handphone|wa|whatsapp)($|_)"
        ),
    ),
    ("email", re.compile(r"(^|_)(email|e_mail|surel)($|_)")),
    (
        "person_name",
        re.compile(
            r"(^|_)(nama_(pemilik|penduduk|pasien|warga|lengkap|ibu|ayah|kepala_keluarga)|owner_name|full_name|person_name)($|_)"
        ),
    ),
)


def classify_personal_column(
    name: str, code_kind: str | None = None
) -> PersonalKind | None:
    """The personal-data kind a column name or code kind suggests, or ``None``.

    Stewards confirm the suggestion in the catalog (``is_personal``); the policy
    masks what the catalog marks, classified by this function for the format.
    """
    if code_kind in PERSONAL_KINDS:
        return code_kind
    normalised = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    for kind, pattern in _NAME_HINTS:
        if pattern.search(normalised):
            return kind
    return None


def mask_value(kind: PersonalKind, value: Any) -> Any:
    """``value`` with its personal part hidden; ``None`` stays ``None``."""
    if value is None:
        return None
    text = str(value)
    if kind == "nik":
        return _mask_nik(text)
    if kind == "phone":
        return _mask_phone(text)
    if kind == "email":
        return _mask_email(text)
    if kind == "person_name":
        return _mask_name(text)
    return HIDDEN


def _mask_nik(text: str) -> str:
    # The first six digits are the kecamatan code, public reference data.
    digits = re.sub(r"\D", "", text)
    return f"{digits[:6]}{HIDDEN}" if len(digits) >= 6 else HIDDEN


def _mask_phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return f"{digits[:4]}{HIDDEN}" if len(digits) >= 8 else HIDDEN


def _mask_email(text: str) -> str:
    _, at, domain = text.rpartition("@")
    return f"{HIDDEN}@{domain}" if at and domain else HIDDEN


def _mask_name(text: str) -> str:
    initials = [word[0].upper() + "." for word in text.split() if word[:1].isalpha()]
    return " ".join(initials) if initials else HIDDEN


_TEXT_PATTERNS: tuple[tuple[PersonalKind | None, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("nik", re.compile(r"(?<!\d)\d{16}(?!\d)")),
    (
        "phone",
        re.compile(r"(?<![\w+])(?:\+62[\s.-]?|62|0)8\d(?:[\s.-]?\d){6,11}(?!\d)"),
    ),
    # An @handle names an account; a private person's is personal data.
    (None, re.compile(r"(?<![\w@*])@\w{1,30}")),
)


def mask_text(text: str | None) -> str | None:
    """Free text with e-mail addresses, NIKs, phone numbers and @handles masked.

    For text a person wrote (posts, comments), where personal data has no column
    of its own. ``None`` stays ``None``.
    """
    if text is None:
        return None
    for kind, pattern in _TEXT_PATTERNS:
        text = pattern.sub(_masker(kind), text)
    return text


def _masker(kind: PersonalKind | None) -> Callable[[re.Match[str]], str]:
    def mask(found: re.Match[str]) -> str:
        if kind is None:
            return f"@{HIDDEN}"
        return str(mask_value(kind, found.group()))

    return mask
