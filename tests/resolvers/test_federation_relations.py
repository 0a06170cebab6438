"""Foreign keys as relation fields both ways, at a constant statement count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.sql import SqlConnector
from tests.resolvers.conftest import FederatedClient
from tests.resolvers.federation_helpers import sql_rows


@contextmanager
def count_statements(
    client: FederatedClient, *sources: str
) -> Iterator[dict[str, int]]:
    """Statements each source executes inside the block (``before_cursor_execute``)."""
    counts = dict.fromkeys(sources, 0)
    listeners = []
    for source in sources:
        connector = client.registry.get(source)
        assert isinstance(connector, SqlConnector)

        def count(*_args: Any, source: str = source) -> None:
            counts[source] += 1

        event.listen(connector.engine.sync_engine, "before_cursor_execute", count)
        listeners.append((connector.engine.sync_engine, count))
    try:
        yield counts
    finally:
        for engine, listener in listeners:
            event.remove(engine, "before_cursor_execute", listener)


PAGE_WITH_PARENT = """
query ($first: Int!) {
  dpmdesPencemaranAir(first: $first, orderBy: [{column: id}]) {
    edges { node { id kode_desa wilayah { kode nama tingkat } } }
  }
}"""


@pytest.mark.parametrize("first", [1, 10, 100])
async def test_page_with_parent_relation_costs_two_statements(
    federated: FederatedClient, first: int
) -> None:
    with count_statements(federated, "dpmdes") as counts:
        data = await federated.query(PAGE_WITH_PARENT, first=first)

    edges = data["dpmdesPencemaranAir"]["edges"]
    assert len(edges) == first
    assert counts == {"dpmdes": 2}  # the page, then every parent in one IN list


async def test_parent_relation_matches_the_join(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    data = await federated.query(PAGE_WITH_PARENT, first=100)
    expected = await sql_rows(
        direct_engines["dpmdes"],
        """SELECT p.id, w.kode, w.nama, w.tingkat FROM pencemaran_air p
           JOIN wilayah w ON w.kode = p.kode_desa ORDER BY p.id LIMIT 100""",
    )

    got = [
        {"id": edge["node"]["id"], **edge["node"]["wilayah"]}
        for edge in data["dpmdesPencemaranAir"]["edges"]
    ]
    assert got == expected


CHILDREN = """
query ($first: Int!) {
  dinsosKabupatenKota(first: $first, orderBy: [{column: kode}]) {
    nodes {
      kode
      pendudukMiskinList { id tahun jumlah kabupatenKota { kode } }
    }
  }
}"""


@pytest.mark.parametrize("first", [3, 27])
async def test_children_and_back_cost_three_statements(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine], first: int
) -> None:
    with count_statements(federated, "dinsos") as counts:
        data = await federated.query(CHILDREN, first=first)

    expected = await sql_rows(
        direct_engines["dinsos"],
        f"""SELECT k.kode, m.id FROM (SELECT kode FROM kabupaten_kota ORDER BY kode
              LIMIT {first}) k JOIN penduduk_miskin m ON m.kode_wilayah = k.kode
            ORDER BY k.kode, m.id""",
    )
    nodes = data["dinsosKabupatenKota"]["nodes"]
    got = [
        (node["kode"], child["id"])
        for node in nodes
        for child in node["pendudukMiskinList"]
    ]
    assert got == [(row["kode"], row["id"]) for row in expected]
    assert all(
        child["kabupatenKota"]["kode"] == node["kode"]
        for node in nodes
        for child in node["pendudukMiskinList"]
    )
    assert counts == {"dinsos": 3}  # page, children, parents of the children


async def test_two_sources_in_one_request_cost_their_own_statements(
    federated: FederatedClient,
) -> None:
    with count_statements(federated, "dpmdes", "dinsos", "dkpp") as counts:
        await federated.query(
            """{ a: dpmdesPencemaranAir(first: 100) { nodes { wilayah { nama } } }
                 b: dinsosPendudukMiskin(first: 100) { totalCount nodes { kabupatenKota { nama } } }
               }"""
        )

    assert counts == {"dpmdes": 2, "dinsos": 3, "dkpp": 0}
