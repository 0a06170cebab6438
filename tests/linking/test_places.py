"""Regions become Place entities, and dataset region columns link to them,
on the embedded graph and on Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.file import FileConnector
from connectors.file_ingest import FileOptions, ingest_file
from connectors.regions import RegionLoad, read_region_inputs
from graph.base import GraphStore
from linking.dataset_places import link_dataset_places
from linking.places import PlaceInput, upsert_places
from linking.region_matcher import RegionEntry, RegionMatcher
from store.engine import create_session_factory
from store.regions import Region
from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def wilayah() -> RegionLoad:
    return read_region_inputs(SHARED_DATA / "wilayah-kemendagri" / "wilayah.sql")


def tegal_places(load: RegionLoad) -> list[PlaceInput]:
    """Central Java's province row and everything of Kabupaten and Kota Tegal."""
    return [
        PlaceInput(r.code, r.name, r.level, r.parent_code, r.edition)
        for r in load.records
        if r.code == "33" or r.code.startswith(("33.28", "33.76"))
    ]


async def test_places_with_located_in(
    graph_store: GraphStore, wilayah: RegionLoad
) -> None:
    places = tegal_places(wilayah)

    nodes, edges = await upsert_places(graph_store, places)
    again = await upsert_places(graph_store, places)
    slawi = await graph_store.list_neighbours(
        "place:33.28.10", depth=1, types=["LOCATED_IN"]
    )
    path = await graph_store.find_shortest_path("place:33.28.10.1008", "place:33")

    assert nodes == len(places) and edges == len(places) - 1
    assert again == (nodes, edges)
    assert await graph_store.count_nodes("Entity") == len(places)
    villages = [n for n in slawi.nodes if n.properties["level"] == 4]
    assert len(villages) == 10
    assert path is not None
    assert [n.id for n in path.nodes] == [
        "place:33.28.10.1008",
        "place:33.28.10",
        "place:33.28",
        "place:33",
    ]
    node = await graph_store.find_node("place:33.28")
    assert node is not None
    assert (node.label, node.kind, node.name) == ("Entity", "place", "Kabupaten Tegal")


async def test_dataset_columns_link_to_places(
    graph_store: GraphStore,
    wilayah: RegionLoad,
    store_engine: AsyncEngine,
    tmp_path: Path,
) -> None:
    sessions = create_session_factory(store_engine)
    places = tegal_places(wilayah)
    codes = {place.code for place in places}
    async with sessions() as session, session.begin():
        session.add_all(Region(**vars(r)) for r in wilayah.records if r.code in codes)
    await upsert_places(graph_store, places)
    path = tmp_path / "umkm.csv"
    path.write_text(
        "kode_kecamatan,kecamatan,desa,jumlah\n"
        "33.28.10,kec slawi,Procot,4\n33.28.10,Slawi,Kudaile,5\n33.28.99,Slawi,Ds. Kalisapu,1\n",
        encoding="utf-8",
    )
    outcome = (await ingest_file(sessions, path, FileOptions("dinkop")))[0]
    matcher = RegionMatcher(RegionEntry(p.code, p.name, p.level) for p in places)

    links = await link_dataset_places(
        sessions,
        FileConnector("files", store_engine),
        graph_store,
        matcher,
        outcome.table_name or "",
    )
    edges = await graph_store.list_edges(
        f"dataset:{outcome.dataset_id}", types=["REFERS_TO"], direction="out"
    )

    by_column = {link.column: link for link in links}
    assert by_column["kode_kecamatan"].linked == {"33.28.10": "33.28.10"}
    assert by_column["kode_kecamatan"].unmatched == ["33.28.99"]
    assert by_column["kecamatan"].code_kind == "nama_wilayah"
    assert by_column["kecamatan"].linked == {
        "kec slawi": "33.28.10",
        "Slawi": "33.28.10",
    }
    assert by_column["desa"].linked == {
        "Procot": "33.28.10.1008",
        "Kudaile": "33.28.10.1009",
        "Ds. Kalisapu": "33.28.10.2001",
    }
    targets = {(e.properties["column"], e.target_id) for e in edges}
    assert ("kode_kecamatan", "place:33.28.10") in targets
    assert ("kecamatan", "place:33.28.10") in targets
    assert ("desa", "place:33.28.10.1008") in targets
