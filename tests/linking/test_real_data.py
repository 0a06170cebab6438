"""Cross-source linking on real Indonesian reference data (read from ../shared/data)."""

from collections import Counter
from pathlib import Path

from connectors.base import Connector
from indonesian.addresses import parse_place_name
from linking.blocking import BlockingConfig
from linking.embedder import Embedder
from linking.engine import EngineConfig, EngineResult, link_batch
from linking.evaluation import measure_link_quality
from linking.features import embedding_text
from linking.records import LinkRecord, record_node_id
from linking.sources import collect_link_records
from tests.linking.rows_connector import RowsConnector
from tests.linking.shared_sources import (
    JABAR_MAPPING,
    PRDECT_MAPPING,
    read_jabar_villages,
    read_prdect_locations,
    read_wilayah,
    wilayah_edition_mapping,
    wilayah_mapping,
)

WILAYAH = "wilayah-kemendagri"


def group_of(result: EngineResult) -> dict[str, int]:
    return {
        record: index
        for index, group in enumerate(result.clusters.groups)
        for record in group
    }


def wilayah_connector(shared_data: Path, **kwargs: object) -> RowsConnector:
    folder = shared_data / WILAYAH
    return RowsConnector(
        "wilayah",
        {
            "v2020": (
                ("kode",),
                read_wilayah(folder / "archive/wilayah_2020.sql", **kwargs),
            ),  # type: ignore[arg-type]
            "v2025": (("kode",), read_wilayah(folder / "wilayah.sql", **kwargs)),  # type: ignore[arg-type]
        },
    )


def edition_truth(records: list[LinkRecord]) -> dict[str, str]:
    """Places whose (name, level) occurs exactly once in each edition are one place."""
    keys: dict[str, Counter[tuple[str, str | None]]] = {
        "v2020": Counter(),
        "v2025": Counter(),
    }
    parsed = {}
    for record in records:
        place = parse_place_name(record.name)
        parsed[record.id] = (place.name, place.level or record.category)
        keys[record.dataset][parsed[record.id]] += 1
    return {
        record.id: "|".join(str(part) for part in parsed[record.id])
        for record in records
        if keys["v2020"][parsed[record.id]] == 1
        and keys["v2025"][parsed[record.id]] == 1
    }


async def test_region_editions_2020_and_2025_link_renamed_and_recoded_places(
    shared_data: Path,
) -> None:
    connector = wilayah_connector(shared_data, max_depth=2)
    records = await collect_link_records(
        {"wilayah": connector},
        [wilayah_edition_mapping("v2020"), wilayah_edition_mapping("v2025")],
    )
    truth = edition_truth(records)
    config = EngineConfig(
        blocking=BlockingConfig(neighbours=0, cross_origin_only=True),
        duplicate_free=frozenset({"wilayah/v2020", "wilayah/v2025"}),
    )

    result = link_batch(records, config, truth=truth)

    quality = measure_link_quality(result.clusters.groups, truth)
    group = group_of(result)
    old = lambda code: record_node_id("wilayah", "v2020", (code,))  # noqa: E731
    new = lambda code: record_node_id("wilayah", "v2025", (code,))  # noqa: E731
    assert len(truth) >= 450
    assert quality.precision >= 0.99
    assert quality.recall >= 0.98
    assert group[old("91")] == group[new("91")]  # "P A P U A" is "Papua"
    # Jayawijaya moved from Papua (91.02) to Papua Pegunungan (95.01) in 2022:
    # linked, or put before a reviewer with the evidence.
    recoded = tuple(sorted((old("91.02"), new("95.01"))))
    assert group[old("91.02")] == group[new("95.01")] or any(
        (item.pair.left, item.pair.right) == recoded for item in result.clusters.review
    )
    assert group[old("33.28")] == group[new("33.28")]  # "KAB. TEGAL"
    assert group[new("33.28")] != group[new("33.76")]  # Kabupaten vs Kota Tegal


async def test_jabar_bps_villages_link_to_kemendagri_codes(shared_data: Path) -> None:
    regencies = ("3201",)
    villages = read_jabar_villages(
        shared_data
        / "opendata-jabar"
        / "dpmdes-idm_sts_kejadian_pencemaran_air__des_kel_data.csv",
        regencies=regencies,
    )
    connectors: dict[str, Connector] = {
        "jabar": RowsConnector(
            "jabar", {"idm_desa": (("bps_kode_desa_kelurahan",), villages)}
        ),
        "wilayah": wilayah_connector(shared_data, max_depth=4, prefixes=("32.01.",)),
    }
    mappings = [JABAR_MAPPING, wilayah_mapping("v2025")]
    records = await collect_link_records(connectors, mappings)
    kemendagri = {r.key[0] for r in records if r.source == "wilayah"}
    truth = {
        record_node_id("jabar", "idm_desa", (v["bps_kode_desa_kelurahan"],)): v[
            "kemendagri_kode_desa_kelurahan"
        ]
        for v in villages
        if v["kemendagri_kode_desa_kelurahan"] in kemendagri
    }
    truth.update(
        {record_node_id("wilayah", "v2025", (code,)): code for code in kemendagri}
    )
    village_records = [r for r in records if r.category != "kecamatan"]
    config = EngineConfig(
        blocking=BlockingConfig(neighbours=0, cross_origin_only=True),
        duplicate_free=frozenset({"jabar/idm_desa", "wilayah/v2025"}),
    )

    result = link_batch(village_records, config, truth=truth)

    quality = measure_link_quality(result.clusters.groups, truth)
    assert len(villages) >= 400
    assert result.blocking_recall is not None
    assert result.blocking_recall >= 0.97
    assert quality.precision >= 0.99
    assert quality.recall >= 0.78


PRDECT_EXPECTED = {
    "Jakarta Utara": "31.72",
    "Kab. Bandung": "32.04",
    "Kab Bekasi": "32.16",
    "Kota Bandung": "32.73",
    "Kota Palangkaraya": "62.71",
    "Kota Tangerang Selatan": "36.74",
    "Kab. Tegal": "33.28",
    "Kabupaten Sukoharjo": "33.11",
    "Surabaya": "35.78",
    "Sidoarjo": "35.15",
    "Kab. Bandung Barat": "32.17",
}
PRDECT_AMBIGUOUS = ("Bandung", "Bekasi", "Pekalongan")


async def test_prdect_seller_cities_link_to_region_names(
    shared_data: Path, embedder: Embedder
) -> None:
    connectors: dict[str, Connector] = {
        "prdect": RowsConnector(
            "prdect",
            {
                "seller_locations": (
                    ("lokasi",),
                    read_prdect_locations(
                        shared_data / "prdect-id" / "PRDECT-ID Dataset.csv"
                    ),
                )
            },
        ),
        "wilayah": wilayah_connector(shared_data, max_depth=2),
    }
    records = await collect_link_records(
        connectors, [PRDECT_MAPPING, wilayah_mapping("v2025")]
    )
    vectors = await embedder.encode_async([embedding_text(r) for r in records])
    config = EngineConfig(
        blocking=BlockingConfig(neighbours=3, cross_origin_only=True),
        duplicate_free=frozenset({"wilayah/v2025"}),
    )

    result = link_batch(records, config, vectors=vectors)

    group = group_of(result)
    seller = lambda name: record_node_id("prdect", "seller_locations", (name,))  # noqa: E731
    region = lambda code: record_node_id("wilayah", "v2025", (code,))  # noqa: E731
    for location, code in PRDECT_EXPECTED.items():
        assert group[seller(location)] == group[region(code)], location
    for location in PRDECT_AMBIGUOUS:
        members = result.clusters.groups[group[seller(location)]]
        assert members == [seller(location)], f"{location} was linked to {members}"
        assert any(
            item.reason == "ambiguous"
            and seller(location) in (item.pair.left, item.pair.right)
            for item in result.clusters.review
        ), location
    assert "embedding" in result.pairs[0].evidence
