"""Real shared data as connector rows and record mappings, for the linking tests."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from connectors.base import Row
from linking.sources import RecordMapping

_WILAYAH_ROW = re.compile(r"\('([0-9.]+)',\s*'((?:[^'\\]|\\.|'')*)'\)")
LEVEL_BY_DEPTH = {1: "provinsi", 2: None, 3: "kecamatan", 4: None}


def read_wilayah(
    path: Path, *, max_depth: int, prefixes: tuple[str, ...] = ()
) -> list[Row]:
    """Rows (kode, nama, parent, depth) of a wilayah SQL dump, to ``max_depth`` levels."""
    text = path.read_text(encoding="utf-8")
    names = {code: _unquote(name) for code, name in _WILAYAH_ROW.findall(text)}
    rows = []
    for code, name in names.items():
        depth = code.count(".") + 1
        if depth > max_depth or (prefixes and not code.startswith(prefixes)):
            continue
        parent = code.rsplit(".", 1)[0] if depth > 1 else None
        rows.append(
            {
                "kode": code,
                "nama": name,
                "induk": parent,
                "tingkat": LEVEL_BY_DEPTH[depth],
                "kecamatan": f"Kec. {names.get(code[:8], '')}" if depth == 4 else None,
                "kabupaten": names.get(code[:5]) if depth >= 3 else None,
                "induk_nama": names.get(parent) if parent else None,
            }
        )
    return rows


def _unquote(name: str) -> str:
    return name.replace("''", "'").replace("\\'", "'")


def wilayah_mapping(dataset: str) -> RecordMapping:
    """Places with their parent's code: for linking other sources to one edition."""
    return RecordMapping(
        source="wilayah",
        dataset=dataset,
        kind="place",
        key_columns=("kode",),
        name_column="nama",
        columns={"region_code": "induk", "category": "tingkat"},
        address_columns=("kecamatan", "kabupaten"),
    )


def wilayah_edition_mapping(dataset: str) -> RecordMapping:
    """Places with their parent's name, not code: codes are what editions change."""
    return RecordMapping(
        source="wilayah",
        dataset=dataset,
        kind="place",
        key_columns=("kode",),
        name_column="nama",
        columns={"category": "tingkat"},
        address_columns=("induk_nama",),
    )


def bps_regency_to_kemendagri(raw: object) -> str | None:
    """``3201.0`` (a BPS regency code written as a float) -> ``32.01``."""
    digits = str(raw).split(".")[0]
    return f"{digits[:2]}.{digits[2:4]}" if len(digits) == 4 else None


def read_jabar_villages(path: Path, *, regencies: tuple[str, ...]) -> list[Row]:
    """One row per BPS village (year 2019) of the given BPS regency codes."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            regency = row["bps_kode_kabupaten_kota"].split(".")[0]
            if row["tahun"].startswith("2019") and regency in regencies:
                row["bps_kode_desa_kelurahan"] = row["bps_kode_desa_kelurahan"].split(
                    "."
                )[0]
                row["kecamatan"] = "Kec. " + row["bps_nama_kecamatan"]
                rows.append(row)
    return rows


JABAR_MAPPING = RecordMapping(
    source="jabar",
    dataset="idm_desa",
    kind="place",
    key_columns=("bps_kode_desa_kelurahan",),
    name_column="bps_nama_desa_kelurahan",
    columns={"region_code": "bps_kode_kabupaten_kota"},
    address_columns=("kecamatan", "bps_nama_kabupaten_kota"),
    transforms={"region_code": bps_regency_to_kemendagri},
)


def read_prdect_locations(path: Path) -> list[Row]:
    """One row per distinct seller location, spelled as the marketplace shows it."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        locations = sorted({row["Location"] for row in csv.DictReader(handle)})
    return [
        {"lokasi": location} for location in sorted({loc.strip() for loc in locations})
    ]


PRDECT_MAPPING = RecordMapping(
    source="prdect",
    dataset="seller_locations",
    kind="place",
    key_columns=("lokasi",),
    name_column="lokasi",
)
