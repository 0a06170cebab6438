"""A clinic patient registry (Dinas Kesehatan) built from the real FEBRL records.

FEBRL (../shared/data/febrl) holds synthetic people with names, birth dates and
identity numbers. Each becomes a patient of a Kabupaten Tegal kecamatan with an
Indonesian-shaped NIK (kecamatan code, birth date DDMMYY, four serial digits), a
mobile number and an e-mail address derived from the same record, so that every
kind of personal column the policy masks is present in a real source.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from tests.connectors.agency_databases import create_database

KECAMATAN = [
    ("33.28.01", "Margasari"), ("33.28.02", "Bumijawa"), ("33.28.03", "Bojong"),
    ("33.28.04", "Balapulang"), ("33.28.10", "Slawi"), ("33.28.11", "Adiwerna"),
]  # fmt: skip
PATIENTS = 300


def health_tables(metadata: MetaData) -> tuple[Table, Table]:
    kecamatan = Table(
        "kecamatan",
        metadata,
        Column("kode", String(8), primary_key=True),
        Column("nama", String(100), nullable=False),
    )
    pasien = Table(
        "pasien",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("nik", String(16), nullable=False),
        Column("nama_pasien", String(200), nullable=False),
        Column("no_hp", String(20)),
        Column("email", String(200)),
        Column("kode_kecamatan", String(8), ForeignKey("kecamatan.kode")),
        Column("tahun_lahir", Integer),
    )
    return kecamatan, pasien


def patient_rows(shared_data: Path) -> list[dict[str, Any]]:
    path = shared_data / "febrl" / "dataset1.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        records = [
            {key.strip(): value.strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]
    usable = [
        r for r in records
        if r["given_name"] and r["surname"] and len(r["date_of_birth"]) == 8
        and r["soc_sec_id"].isdigit()
    ][:PATIENTS]  # fmt: skip
    return [_patient(index, record) for index, record in enumerate(usable, start=1)]


def _patient(index: int, record: dict[str, str]) -> dict[str, Any]:
    code, _ = KECAMATAN[index % len(KECAMATAN)]
    birth = record["date_of_birth"]  # YYYYMMDD
    serial = record["soc_sec_id"][-4:]
    given, surname = record["given_name"], record["surname"]
    return {
        "id": index,
        "nik": f"{code.replace('.', '')}{birth[6:8]}{birth[4:6]}{birth[2:4]}{serial}",
        "nama_pasien": f"{given.title()} {surname.title()}",
        "no_hp": f"0812{record['soc_sec_id'].zfill(8)[:8]}",
        "email": f"{given}.{surname}@surel.example",
        "kode_kecamatan": code,
        "tahun_lahir": int(birth[:4]),
    }


async def build_health_registry(url: str, shared_data: Path) -> list[dict[str, Any]]:
    """Create the registry at ``url``; returns the patient rows it holds."""
    kecamatan, pasien = health_tables(MetaData())
    rows = patient_rows(shared_data)
    await create_database(
        url,
        [
            (kecamatan, [{"kode": k, "nama": n} for k, n in KECAMATAN]),
            (pasien, rows),
        ],
    )
    return rows
