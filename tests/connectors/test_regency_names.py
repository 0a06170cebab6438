"""Seller locations as marketplaces print them, resolved on the real Kemendagri file."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.regency_names import (
    RegencyNameResolver,
    RegionFileError,
    normalise_place,
    read_regencies,
)


@pytest.fixture(scope="module")
def resolver(shared_data: Path) -> RegencyNameResolver:
    return RegencyNameResolver.from_file(shared_data / "wilayah-kemendagri" / "wilayah.sql")


@pytest.mark.parametrize(
    ("text", "code", "reason"),
    [
        ("Kab. Bandung", "32.04", "exact"),
        ("Kab Bandung", "32.04", "exact"),
        ("Kabupaten Bandung", "32.04", "exact"),
        ("Kota Bandung", "32.73", "exact"),
        ("Kab. Bandung Barat", "32.17", "exact"),
        ("Jakarta Barat", "31.73", "unique_name"),
        (" Jakarta Pusat", "31.71", "unique_name"),
        ("Jakarta Utara ", "31.72", "unique_name"),
        ("Kab. Tegal", "33.28", "exact"),
        ("Kota Tegal", "33.76", "exact"),
        ("Kab.\ufffdBekasi", "32.16", "exact"),
        ("Kabupaten Sukoharjo", "33.11", "exact"),
        ("Kota Palangkaraya", "62.71", "exact"),
        ("Kota Palangka Raya", "62.71", "exact"),
        ("Surabaya", "35.78", "unique_name"),
        ("Sidoarjo", "35.15", "unique_name"),
    ],
)
def test_regency_names_resolve(
    resolver: RegencyNameResolver, text: str, code: str, reason: str
) -> None:
    match = resolver.match_regency(text)

    assert (match.code, match.reason) == (code, reason)


def test_a_bare_name_of_both_a_kabupaten_and_a_kota_is_ambiguous(
    resolver: RegencyNameResolver,
) -> None:
    match = resolver.match_regency("Bandung")

    assert match.code is None
    assert match.reason == "ambiguous"
    assert match.candidates == ("32.04", "32.73")


def test_unknown_names_resolve_to_nothing(resolver: RegencyNameResolver) -> None:
    assert resolver.match_regency("Kota Atlantis").reason == "unknown"
    assert resolver.match_regency("Atlantis").reason == "unknown"
    assert resolver.match_regency("  ").reason == "empty"


def test_the_file_has_all_514_regencies(shared_data: Path) -> None:
    regencies = read_regencies(shared_data / "wilayah-kemendagri" / "wilayah.sql")

    assert len(regencies) == 514
    assert sum(r.kind == "kota" for r in regencies) == len(
        [r for r in regencies if r.name.startswith("Kota")]
    )


def test_a_file_without_regencies_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "wilayah.sql"
    empty.write_text("-- nothing here\n", encoding="utf-8")

    with pytest.raises(RegionFileError, match="no regency rows"):
        read_regencies(empty)


def test_normalise_place() -> None:
    assert normalise_place("KAB.\xa0Bekasi ") == "kab bekasi"
