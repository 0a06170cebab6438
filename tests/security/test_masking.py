"""Masking keeps what is not personal and hides the rest, without its length."""

from __future__ import annotations

import pytest

from security.masking import classify_personal_column, mask_value


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("nik", "3328101201990001", "332810****"),
        ("nik", "33.2810.120199.0001", "332810****"),
        ("phone", "+62 812-3456-7890", "6281****"),
        ("email", "budi.santoso@tegalkab.go.id", "****@tegalkab.go.id"),
        ("person_name", "Siti Nur Rahayu", "S. N. R."),
        ("other", "Jl. Merpati 4", "****"),
        ("nik", None, None),
        ("email", "not-an-address", "****"),
    ],
)
def test_mask_value(kind: str, value: str | None, masked: str | None) -> None:
    assert mask_value(kind, value) == masked  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("NIK", "nik"),
        ("no_ktp", "nik"),
        ("No. HP", "phone"),
        ("telepon_rumah", "phone"),
        ("Email", "email"),
        ("nama_pemilik", "person_name"),
        ("nama_usaha", None),
        ("kode_kecamatan", None),
        ("whatsapp", "phone"),
    ],
)
def test_classify_personal_column(name: str, kind: str | None) -> None:
    assert classify_personal_column(name) == kind
