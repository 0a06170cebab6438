"""The demo regency's feeds: posts, marketplace snapshots and commodity prices.

Everything is generated from a fixed seed over a fixed period, written as the
files each domain takes in, and loaded through that domain's own ingestion, so
the demo exercises the same code as real data. Names are invented.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from app.demo_data import AGENCIES, DISTRICTS, OFFICIALS, DemoData
from connectors.social_records import RawPost

PERIOD_END = date(2026, 11, 30)
DISTRICTS_CODES = [code for code, _ in DISTRICTS]
PERIOD_DAYS = 56
SNAPSHOTS = 8  # weekly marketplace snapshots
WIB = timedelta(hours=7)


def official_id(role: str) -> str:
    return f"person:{role.lower().replace(' ', '-')}"


def demo_config(data: DemoData) -> dict[str, Any]:
    """The demo's config file: tracked entities tied to the demo graph's nodes."""
    tracked: list[dict[str, Any]] = [
        {
            "key": official_id(role).split(":")[1],
            "name": name.replace(" (fiktif)", ""),
            "kind": "person",
            "aliases": [role, f"Pak {role}" if role != "Wakil Bupati" else "Bu Wabup"],
            "graph_id": official_id(role),
        }
        for role, name in OFFICIALS
    ]
    tracked += [
        {
            "key": slug,
            "name": name,
            "kind": "organisation",
            "aliases": [slug],
            "graph_id": f"org:agency:{slug}",
        }
        for slug, name in AGENCIES
        if slug in {"dinkes", "disdikbud", "dpupr", "disperindag"}
    ]
    tracked.append(
        {"key": "teh-poci", "name": "Teh Poci", "kind": "brand", "aliases": ["tehpoci"]}
    )
    return {"tracked_entities": tracked}


def write_demo_config(path: Path, data: DemoData) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(demo_config(data), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


# (text template, weight); {d} is a district, {b} a business, {h} a hashtag.
POST_TEMPLATES: list[tuple[str, int]] = [
    ("Jalan di {d} rusak parah, banyak lubang, kapan diperbaiki DPUPR? {h}", 6),
    ("Alhamdulillah jalan {d} sudah mulus, terima kasih Pak Bupati {h}", 4),
    ("Harga cabai rawit di pasar {d} naik terus, emak-emak pusing {h}", 6),
    ("Beras medium makin mahal, tolong Disperindag pantau harga {h}", 3),
    ("Pelayanan puskesmas {d} cepat dan ramah, mantap Dinkes {h}", 4),
    ("Antrean di puskesmas {d} lama banget, pasien nunggu berjam-jam {h}", 4),
    ("Sekolah di {d} butuh ruang kelas baru, Disdikbud tolong dicek {h}", 3),
    ("Wakil Bupati resmikan sekolah baru di {d}, warga senang {h}", 2),
    ("Ngopi sore pakai Teh Poci asli Slawi, seger pol {h}", 5),
    ("{b} ramai pembeli, UMKM Tegal makin maju {h}", 4),
    ("Sampah menumpuk di sungai {d}, bau dan kotor {h}", 3),
    ("Bupati ajak warga {d} gotong royong bersih desa {h}", 3),
    ("Pembuatan KTP di Disdukcapil sekarang cepat, cukup sehari {h}", 2),
    ("Lampu jalan di {d} mati semua, rawan kejahatan malam hari {h}", 3),
]
FLOOD_TEMPLATES = [
    "Banjir merendam rumah warga di {d}, air setinggi lutut {h}",
    "Warga {d} mengungsi karena banjir, butuh bantuan segera {h}",
    "Tanggul jebol, banjir di {d} makin tinggi, BPBD mana? {h}",
]
HASHTAGS = ["#KabTegal", "#Slawi", "#TegalLaka", "#InfoTegal", "#UMKMTegal"]
PLATFORMS = [("twitter", 5), ("facebook", 3), ("instagram", 2), ("news", 1)]
AUTHORS = [f"warga_tegal{n:02d}" for n in range(1, 41)] + [
    "infotegal",
    "radartegal",
    "panturapost",
]
PUBLIC_AUTHORS = {"infotegal", "radartegal", "panturapost"}
FLOOD_DAYS = (PERIOD_DAYS - 12, PERIOD_DAYS - 11, PERIOD_DAYS - 10)


def generate_posts(data: DemoData, seed: int = 33) -> list[RawPost]:
    """About three hundred posts over the period, with a flood spike near its end."""
    rng = random.Random(seed)
    start = datetime.combine(
        PERIOD_END - timedelta(days=PERIOD_DAYS - 1), datetime.min.time(), UTC
    )
    templates = [t for t, w in POST_TEMPLATES for _ in range(w)]
    posts: list[RawPost] = []
    for day in range(PERIOD_DAYS):
        count = rng.randrange(3, 8)
        floods = 15 if day in FLOOD_DAYS else 0
        for index in range(count + floods):
            template = rng.choice(FLOOD_TEMPLATES if index < floods else templates)
            posts.append(
                _post(rng, data, template, start + timedelta(days=day), len(posts))
            )
    return posts


def _post(
    rng: random.Random, data: DemoData, template: str, day: datetime, n: int
) -> RawPost:
    district = rng.choice(data.businesses).district[1]
    text = template.format(
        d=district, b=rng.choice(data.businesses).name, h=rng.choice(HASHTAGS)
    )
    platform = rng.choices([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])[0]
    author = rng.choice(AUTHORS)
    posted = day + timedelta(minutes=rng.randrange(6 * 60, 23 * 60)) - WIB
    reach = 40 if author in PUBLIC_AUTHORS else 1
    return RawPost(
        platform=platform,
        text=text,
        posted_at=posted,
        post_id=f"demo-{n:05d}",
        kind="article" if platform == "news" else "post",
        author=author,
        author_public=author in PUBLIC_AUTHORS,
        title=text[:60] if platform == "news" else None,
        likes=rng.randrange(0, 60) * reach,
        shares=rng.randrange(0, 15) * reach,
        replies=rng.randrange(0, 20),
        line=n + 1,
    )


@dataclass(frozen=True)
class Commodity:
    name: str
    unit: str
    price: int
    trend: float  # relative change over the whole period
    spike: float = 0.0  # extra jump over the last ten days


COMMODITIES = [
    Commodity("Beras Medium", "Rp./Kg", 13_200, 0.03),
    Commodity("Beras Premium", "Rp./Kg", 15_800, 0.02),
    Commodity("Cabai Rawit Merah", "Rp./Kg", 42_000, 0.05, spike=0.32),
    Commodity("Cabai Merah Keriting", "Rp./Kg", 38_000, 0.04, spike=0.15),
    Commodity("Bawang Merah", "Rp./Kg", 34_000, -0.06),
    Commodity("Bawang Putih", "Rp./Kg", 36_000, 0.01),
    Commodity("Minyak Goreng Kemasan", "Rp./Liter", 18_500, 0.02),
    Commodity("Gula Pasir", "Rp./Kg", 17_500, 0.0),
    Commodity("Telur Ayam Ras", "Rp./Kg", 28_000, 0.04),
    Commodity("Daging Ayam Ras", "Rp./Kg", 36_000, -0.02),
]
PRICE_COLUMNS = ["Timestamp", "ID", "Komoditas", "Satuan", "Harga"]


def write_commodity_prices(path: Path, seed: int = 34) -> Path:
    """Daily consumer prices in the Badan Pangan format, rounded to Rp50."""
    rng = random.Random(seed)
    rows = []
    for day in range(PERIOD_DAYS):
        when = PERIOD_END - timedelta(days=PERIOD_DAYS - 1 - day)
        for number, item in enumerate(COMMODITIES, start=1):
            price = _price_on(item, day, rng)
            rows.append([when.isoformat(), number, item.name, item.unit, price])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PRICE_COLUMNS)
        writer.writerows(rows)
    return path


def _price_on(item: Commodity, day: int, rng: random.Random) -> int:
    level = 1 + item.trend * day / PERIOD_DAYS
    if day >= PERIOD_DAYS - 10:
        level += item.spike * (day - (PERIOD_DAYS - 11)) / 10
    noise = 1 + rng.uniform(-0.012, 0.012)
    return round(item.price * level * noise / 50) * 50


MARKET_COLUMNS = [
    "product_id", "name", "shop_name", "shop_location", "category",
    "price", "sold", "rating", "review_count",
]  # fmt: skip
SHOP_LOCATIONS = ["Kab. Tegal", "Kab. Tegal", "Kab. Tegal", "Kota Tegal", "Brebes"]
STAPLE_LISTINGS = [
    ("Beras Medium 5 kg", "Sembako", 68_000),
    ("Cabai Rawit Merah 250 g", "Sembako", 11_000),
    ("Bawang Merah Brebes 1 kg", "Sembako", 36_000),
    ("Minyak Goreng 2 L", "Sembako", 37_000),
    ("Telur Ayam Negeri 1 kg", "Sembako", 29_000),
]


def snapshot_times() -> list[datetime]:
    """Weekly snapshot times, the last on the period's final day at 10:00 WIB."""
    last = datetime.combine(PERIOD_END, datetime.min.time(), UTC) + timedelta(hours=3)
    return [last - timedelta(weeks=SNAPSHOTS - 1 - n) for n in range(SNAPSHOTS)]


def write_market_snapshots(
    folder: Path, data: DemoData, seed: int = 35
) -> list[tuple[Path, datetime]]:
    """One Tokopedia-style CSV per week; sold counts only grow, prices drift."""
    rng = random.Random(seed)
    listings = _demo_listings(rng, data)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for week, observed in enumerate(snapshot_times()):
        path = folder / f"tokopedia-{observed:%Y%m%d}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(MARKET_COLUMNS)
            for listing in listings:
                writer.writerow(_listing_row(rng, listing, week))
        files.append((path, observed))
    return files


def _demo_listings(rng: random.Random, data: DemoData) -> list[dict[str, Any]]:
    from app.demo_data import PRODUCTS

    catalogue = [(t, c.capitalize(), p) for t, c, p in PRODUCTS] + STAPLE_LISTINGS
    listings = []
    for index in range(48):
        title, category, price = catalogue[index % len(catalogue)]
        business = data.businesses[(index * 5) % len(data.businesses)]
        listings.append(
            {
                "id": f"demo-{index + 1:03d}",
                "title": title,
                "shop": business.name,
                "location": rng.choice(SHOP_LOCATIONS),
                "category": category,
                "price": price * rng.uniform(0.9, 1.15),
                "sold": rng.randrange(5, 400),
                "rate": rng.randrange(1, 30),
                "rating": round(rng.uniform(4.3, 5.0), 1),
            }
        )
    return listings


def _listing_row(rng: random.Random, listing: dict[str, Any], week: int) -> list[Any]:
    chilli = "Cabai" in listing["title"] and week >= SNAPSHOTS - 2
    price = listing["price"] * (1 + 0.01 * week) * (1.3 if chilli else 1)
    sold = listing["sold"] + listing["rate"] * week + rng.randrange(0, 3)
    return [
        listing["id"],
        listing["title"],
        listing["shop"],
        listing["location"],
        listing["category"],
        f"Rp{round(price / 100) * 100:,}".replace(",", "."),
        f"{sold} terjual",
        str(listing["rating"]).replace(".", ","),
        sold // 3,
    ]


def write_region_dump(path: Path) -> Path:
    """The demo regency's codes as a Kemendagri ``wilayah`` SQL dump (2025 list)."""
    from app.demo_data import DISTRICTS, PROVINCE, REGENCY

    rows = [PROVINCE, REGENCY, *DISTRICTS, ("33.29", "Kabupaten Brebes")]
    rows.append(("33.76", "Kota Tegal"))
    values = ",\n".join(f"('{code}','{name}')" for code, name in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"INSERT INTO wilayah_2025 (kode, nama) VALUES\n{values};\n", encoding="utf-8"
    )
    return path


def write_agency_files(folder: Path, data: DemoData, seed: int = 36) -> dict[str, Path]:
    """Two agency spreadsheets as CSV: registered small businesses and health facilities."""
    from app.demo_data import DISTRICTS

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    umkm = folder / "umkm_binaan.csv"
    with umkm.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            ["No", "Nama Usaha", "Sektor", "Kecamatan", "Kode Wilayah",
             "Telepon", "Omzet per Bulan (Rp)", "Tenaga Kerja", "Tahun Berdiri"]
        )  # fmt: skip
        for b in data.businesses:
            turnover = f"{b.monthly_turnover:,}".replace(",", ".")
            writer.writerow(
                [b.id, b.name, b.sector, b.district[1], b.district[0],
                 b.phone, turnover, b.workers, b.founded]
            )  # fmt: skip
    health = folder / "fasilitas_kesehatan.csv"
    with health.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Kode Wilayah", "Kecamatan", "Puskesmas", "Posyandu", "Tenaga Kesehatan"]
        )
        for code, name in DISTRICTS:
            writer.writerow(
                [code, name, rng.randrange(1, 4), rng.randrange(25, 90),
                 rng.randrange(20, 140)]
            )  # fmt: skip
    permits = write_permits(folder / "izin_usaha.csv", data, rng)
    return {"dinkopukm": umkm, "dinkes": health, "disperindag": permits}


def write_permits(path: Path, data: DemoData, rng: random.Random) -> Path:
    """Disperindag's business permits: half the registered businesses again,
    written as a second agency writes them (form moved, other phone, typos),
    so that linking has clear matches and doubtful ones for review."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Nomor Izin", "Nama Usaha", "Kode Wilayah", "Telepon"])
        for number, business in enumerate(data.businesses[::2], start=1):
            name, phone = _as_written_elsewhere(rng, business.name, business.phone)
            code = business.district[0]
            if number % 5 == 0:  # registered at the owner's home district
                code = rng.choice(DISTRICTS_CODES)
            writer.writerow([f"IU-{number:04d}", name, code, phone])
    return path


def _as_written_elsewhere(rng: random.Random, name: str, phone: str) -> tuple[str, str]:
    form, _, rest = name.partition(" ")
    variant = rng.randrange(4)
    if variant == 0:
        return f"{rest}, {form}", phone
    if variant == 1:
        return name.upper(), "+62" + phone[1:]
    if variant == 2:
        return rest, f"08{rng.randrange(11, 99)}{rng.randrange(10**7, 10**8)}"
    return name.replace("a", "o", 1), phone
