import pytest

from indonesian.identifiers import (
    bps_to_kemendagri_prefix,
    detect_identifier_kind,
    is_kemendagri_code,
    is_nik,
    is_npwp,
    is_phone,
    parent_region_code,
    region_code_level,
)


def test_region_codes_and_their_levels() -> None:
    assert is_kemendagri_code("33.28.10.1008")
    assert not is_kemendagri_code("33.28.1")
    assert region_code_level("33.28") == 2
    assert parent_region_code("33.28.10") == "33.28"
    assert parent_region_code("33") is None
    assert bps_to_kemendagri_prefix("3328") == "33.28"
    assert bps_to_kemendagri_prefix("3328010") is None


def test_personal_identifiers() -> None:
    assert is_nik("3328015507900001")  # a woman born on 15 July 1990 (55 = 15 + 40)
    assert not is_nik("3328019913900001")  # day 99
    assert is_npwp("01.234.567.8-901.000")
    assert is_phone("0812-3456-7890")
    assert is_phone("+62 283 491234")
    assert not is_phone("12345")


@pytest.mark.parametrize(
    ("column", "values", "kind"),
    [
        ("kode_kabupaten", ["3201.0", "3202.0"], "wilayah_bps"),
        ("kode_wilayah", ["33.28.01", "33.28.02.2001"], "wilayah_kemendagri"),
        ("lokasi", ["33.28.01", "33.28.02"], "wilayah_kemendagri"),
        ("nik", ["3328015507900001", "3328014101850002"], "nik"),
        ("no_hp", ["081234567890", "0283-491234"], "telepon"),
        ("nib", ["9120001234567", "9120001234568"], "nib"),
        ("jumlah", ["3201", "3202"], None),
        ("harga", ["12.50", "33.28"], None),
    ],
)
def test_column_identifier_kind(
    column: str, values: list[str], kind: str | None
) -> None:
    assert detect_identifier_kind(column, values) == kind
