"""A realistic demo regency, written for Big One (no real people or businesses).

Place names and codes are the public Kemendagri reference for Kabupaten Tegal;
every business, official and post is invented, generated from a fixed seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PROVINCE = ("33", "Jawa Tengah")
REGENCY = ("33.28", "Kabupaten Tegal")
DISTRICTS = [
    ("33.28.01", "Margasari"), ("33.28.02", "Bumijawa"), ("33.28.03", "Bojong"),
    ("33.28.04", "Balapulang"), ("33.28.05", "Pagerbarang"), ("33.28.06", "Lebaksiu"),
    ("33.28.07", "Jatinegara"), ("33.28.08", "Kedungbanteng"), ("33.28.09", "Pangkah"),
    ("33.28.10", "Slawi"), ("33.28.11", "Adiwerna"), ("33.28.12", "Talang"),
    ("33.28.13", "Dukuhturi"), ("33.28.14", "Tarub"), ("33.28.15", "Kramat"),
    ("33.28.16", "Suradadi"), ("33.28.17", "Warureja"), ("33.28.18", "Dukuhwaru"),
]  # fmt: skip

AGENCIES = [
    ("dinkopukm", "Dinas Koperasi, Usaha Kecil dan Menengah"),
    ("dinkes", "Dinas Kesehatan"),
    ("disdikbud", "Dinas Pendidikan dan Kebudayaan"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("diskominfo", "Dinas Komunikasi dan Informatika"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("disperindag", "Dinas Perindustrian dan Perdagangan"),
]

BUSINESS_FORMS = ["Warung", "Toko", "UD", "CV", "Rumah Makan", "Kedai"]
BUSINESS_CORES = [
    ("Sate Kambing", "kuliner"), ("Teh Poci", "minuman"), ("Telur Asin", "kuliner"),
    ("Batik Tegalan", "fesyen"), ("Bawang Merah", "pertanian"), ("Kerupuk", "kuliner"),
    ("Tahu Aci", "kuliner"), ("Logam", "industri"), ("Gula Aren", "pertanian"),
    ("Kopi Bumijawa", "minuman"), ("Meubel Jati", "industri"), ("Kerajinan Bambu", "kerajinan"),
]  # fmt: skip
BUSINESS_SUFFIXES = [
    "Makmur",
    "Sejahtera",
    "Barokah",
    "Sumber Rejeki",
    "Jaya",
    "Lestari",
]
OWNER_FIRST = ["Slamet", "Sri", "Agus", "Siti", "Bambang", "Wati", "Eko", "Tri", "Dwi"]
OWNER_LAST = [
    "Riyanto",
    "Wahyuni",
    "Santoso",
    "Rahayu",
    "Prasetyo",
    "Lestari",
    "Hidayat",
]
OFFICIALS = [
    ("Bupati", "Bambang Sutejo (fiktif)"),
    ("Wakil Bupati", "Rina Kusumawati (fiktif)"),
    ("Sekretaris Daerah", "Hadi Purnomo (fiktif)"),
]
PRODUCTS = [
    ("Teh Poci Gula Batu 250 g", "minuman", 18_000),
    ("Telur Asin Brebes-Tegal isi 10", "makanan", 35_000),
    ("Kain Batik Tegalan Tulis", "fesyen", 450_000),
    ("Bawang Merah Super 1 kg", "sembako", 38_000),
    ("Beras Medium 5 kg", "sembako", 72_000),
    ("Cabai Rawit Merah 250 g", "sembako", 15_000),
    ("Minyak Goreng 2 L", "sembako", 36_000),
    ("Kerupuk Antor 500 g", "makanan", 22_000),
    ("Gula Aren Cetak 1 kg", "sembako", 28_000),
    ("Kopi Bubuk Bumijawa 200 g", "minuman", 30_000),
]


@dataclass
class DemoBusiness:
    id: int
    name: str
    owner: str
    sector: str
    district: tuple[str, str]
    monthly_turnover: int
    workers: int
    phone: str
    founded: int


@dataclass
class DemoData:
    businesses: list[DemoBusiness] = field(default_factory=list)


def generate_demo(seed: int = 28, businesses: int = 60) -> DemoData:
    """The demo regency's businesses; the same seed always gives the same data."""
    rng = random.Random(seed)
    data = DemoData()
    seen: set[str] = set()
    while len(data.businesses) < businesses:
        core, sector = rng.choice(BUSINESS_CORES)
        name = f"{rng.choice(BUSINESS_FORMS)} {core} {rng.choice(BUSINESS_SUFFIXES)}"
        if name in seen:
            continue
        seen.add(name)
        data.businesses.append(
            DemoBusiness(
                id=len(data.businesses) + 1,
                name=name,
                owner=f"{rng.choice(OWNER_FIRST)} {rng.choice(OWNER_LAST)}",
                sector=sector,
                district=rng.choice(DISTRICTS),
                monthly_turnover=rng.randrange(5, 400) * 100_000,
                workers=rng.randrange(1, 40),
                phone=f"08{rng.randrange(11, 99)}{rng.randrange(10**7, 10**8)}",
                founded=rng.randrange(1985, 2025),
            )
        )
    return data
