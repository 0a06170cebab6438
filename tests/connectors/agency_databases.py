"""Agency databases built from the real files in ../shared/data.

- ``dpmdes`` (SQLite, Dinas Pemberdayaan Masyarakat dan Desa): ``wilayah`` with
  every Kemendagri code of West Java (province 32) parsed from wilayah.sql, and
  ``pencemaran_air`` (village water pollution 2019-2021, Open Data Jabar) whose
  ``kode_desa`` references ``wilayah.kode``.
- ``dinsos`` (PostgreSQL, Dinas Sosial): ``kabupaten_kota`` (regencies of West
  Java with commented columns), ``penduduk_miskin`` (poor population per regency
  and year) referencing it, and the view ``penduduk_miskin_2020``.
- ``dkpp`` (SQLite, Dinas Ketahanan Pangan): daily ``harga_pangan`` of Kota
  Bandung with dates and prices.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import re
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    text,
)
from sqlalchemy.ext.asyncio import create_async_engine

WILAYAH_ROW = re.compile(r"\('([0-9.]+)','((?:[^']|'')*)'\)")
PROVINCE = "32"


def read_wilayah(shared_data: Path, prefix: str = PROVINCE) -> list[dict[str, Any]]:
    """Region codes and names under ``prefix`` from the INSERT tuples of wilayah.sql."""
    sql = (shared_data / "wilayah-kemendagri" / "wilayah.sql").read_text("utf-8")
    rows = []
    for code, name in WILAYAH_ROW.findall(sql):
        if code == prefix or code.startswith(f"{prefix}."):
            level = code.count(".") + 1
            rows.append(
                {"kode": code, "nama": name.replace("''", "'"), "tingkat": level}
            )
    return rows


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def bps_to_kemendagri(code: str) -> str:
    """``3201`` (or ``3201.0``) as the Kemendagri regency code ``32.01``."""
    digits = str(int(float(code)))
    return f"{digits[:2]}.{digits[2:]}"


def dpmdes_tables(metadata: MetaData) -> tuple[Table, Table]:
    wilayah = Table(
        "wilayah",
        metadata,
        Column("kode", String(13), primary_key=True),
        Column("nama", String(100), nullable=False),
        Column("tingkat", Integer, nullable=False),
    )
    pencemaran = Table(
        "pencemaran_air",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("kode_desa", String(13), ForeignKey("wilayah.kode"), nullable=False),
        Column("kode_kabupaten", String(5), nullable=False),
        Column("status", String(16)),
        Column("tahun", Integer, nullable=False),
    )
    return wilayah, pencemaran


def dpmdes_rows(shared_data: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    wilayah = read_wilayah(shared_data)
    known = {row["kode"] for row in wilayah}
    path = (
        shared_data
        / "opendata-jabar"
        / ("dpmdes-idm_sts_kejadian_pencemaran_air__des_kel_data.csv")
    )
    pencemaran = [
        {
            "id": int(row["id"]),
            "kode_desa": row["kemendagri_kode_desa_kelurahan"],
            "kode_kabupaten": row["kemendagri_kode_desa_kelurahan"][:5],
            "status": row["status_pencemaran_air"] or None,
            "tahun": int(float(row["tahun"])),
        }
        for row in read_csv(path)
        if row["kemendagri_kode_desa_kelurahan"] in known
    ]
    return wilayah, pencemaran


def dinsos_tables(metadata: MetaData) -> tuple[Table, Table]:
    kabupaten = Table(
        "kabupaten_kota",
        metadata,
        Column("kode", String(5), primary_key=True, comment="Kode wilayah Kemendagri"),
        Column("nama", String(100), nullable=False, comment="Nama kabupaten/kota"),
        comment="Kabupaten dan kota di Jawa Barat",
    )
    miskin = Table(
        "penduduk_miskin",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "kode_wilayah",
            String(5),
            ForeignKey("kabupaten_kota.kode"),
            nullable=False,
            comment="Kode kabupaten/kota",
        ),
        Column("tahun", Integer, nullable=False),
        Column("jumlah", Numeric(10, 1), comment="Penduduk miskin, ribu jiwa"),
        Column("satuan", String(32)),
        comment="Jumlah penduduk miskin per kabupaten/kota",
    )
    return kabupaten, miskin


def dinsos_rows(shared_data: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    path = (
        shared_data
        / "opendata-jabar"
        / ("jumlah_penduduk_miskin_berdasarkan_kabupatenkota_data.csv")
    )
    source = read_csv(path)
    regencies = {row["kode"]: row["nama"] for row in read_wilayah(shared_data)}
    kabupaten = {}
    miskin = []
    for row in source:
        code = bps_to_kemendagri(row["kode_kabupaten_kota"])
        kabupaten[code] = regencies.get(code, row["nama_kabupaten_kota"])
        miskin.append(
            {
                "id": int(row["id"]),
                "kode_wilayah": code,
                "tahun": int(row["tahun"]),
                "jumlah": decimal.Decimal(row["jumlah_penduduk_miskin"])
                if row["jumlah_penduduk_miskin"]
                else None,
                "satuan": row["satuan"],
            }
        )
    return [{"kode": k, "nama": v} for k, v in sorted(kabupaten.items())], miskin


def dkpp_table(metadata: MetaData) -> Table:
    return Table(
        "harga_pangan",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("tanggal", Date, nullable=False),
        Column("komoditas", String(100), nullable=False),
        Column("satuan", String(32)),
        Column("harga", Integer),
    )


def dkpp_rows(shared_data: Path) -> list[dict[str, Any]]:
    path = (
        shared_data
        / "harga-pangan-bandung"
        / "harga_komoditas_konsumen_kota_bandung.csv"
    )
    return [
        {
            "id": number,
            "tanggal": dt.date.fromisoformat(row["Timestamp"]),
            "komoditas": row["Komoditas"],
            "satuan": row["Satuan"],
            "harga": int(row["Harga"]) or None,
        }
        for number, row in enumerate(read_csv(path), start=1)
    ]


async def create_database(
    url: str, tables: list[tuple[Table, list[dict[str, Any]]]]
) -> None:
    """Create ``tables`` at ``url`` and insert their rows (a writable connection)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            metadata = tables[0][0].metadata
            await connection.run_sync(metadata.create_all)
            for table, rows in tables:
                if rows:
                    await connection.execute(table.insert(), rows)
    finally:
        await engine.dispose()


async def build_dpmdes(url: str, shared_data: Path) -> None:
    wilayah_table, pencemaran_table = dpmdes_tables(MetaData())
    wilayah, pencemaran = dpmdes_rows(shared_data)
    await create_database(
        url, [(wilayah_table, wilayah), (pencemaran_table, pencemaran)]
    )


async def build_dinsos(url: str, shared_data: Path) -> None:
    kabupaten_table, miskin_table = dinsos_tables(MetaData())
    kabupaten, miskin = dinsos_rows(shared_data)
    await create_database(url, [(kabupaten_table, kabupaten), (miskin_table, miskin)])
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "CREATE VIEW penduduk_miskin_2020 AS SELECT id, kode_wilayah, jumlah "
                    "FROM penduduk_miskin WHERE tahun = 2020"
                )
            )
    finally:
        await engine.dispose()


async def build_dkpp(url: str, shared_data: Path) -> None:
    table = dkpp_table(MetaData())
    await create_database(url, [(table, dkpp_rows(shared_data))])


def sources_yaml(dpmdes_url: str, dinsos_url: str, dkpp_url: str) -> str:
    # Test data of no real person: catalogued terbuka; suites close what they test.
    return f"""
agencies:
  - slug: dpmdes
    name: Dinas Pemberdayaan Masyarakat dan Desa
  - slug: dinsos
    name: Dinas Sosial
  - slug: dkpp
    name: Dinas Ketahanan Pangan dan Pertanian
sources:
  - name: dpmdes
    kind: sql
    agency: dpmdes
    access_level: terbuka
    url: {dpmdes_url}
  - name: dinsos
    kind: sql
    agency: dinsos
    access_level: terbuka
    url: {dinsos_url}
  - name: dkpp
    kind: sql
    agency: dkpp
    access_level: terbuka
    url: {dkpp_url}
"""
