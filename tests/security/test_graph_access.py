"""Entity records in the knowledge graph follow the dataset's policy."""

from __future__ import annotations

from typing import Any

from security.masking import mask_value
from tests.security.conftest import SecuredClient, token

NEIGHBOURS = """query ($id: ID!) {
  graphNode(id: $id) { id neighbours { nodes { id label name properties } } }
}"""
NODE = "query ($id: ID!) { graphNode(id: $id) { id name properties } }"


def slawi_records(client: SecuredClient) -> list[dict[str, Any]]:
    return [p for p in client.patients if p["kode_kecamatan"] == "33.28.10"][:3]


async def test_public_sees_the_place_but_not_the_records(
    secured: SecuredClient,
) -> None:
    record = slawi_records(secured)[0]

    place = await secured.data(NEIGHBOURS, id="place:33.28.10")
    hidden = await secured.data(NODE, id=f"record:dinkes.pasien:{record['id']}")

    nodes = place["graphNode"]["neighbours"]["nodes"]
    assert [node["id"] for node in nodes] == ["place:33.28.10"]
    assert hidden == {"graphNode": None}


async def test_analyst_sees_records_masked(secured: SecuredClient) -> None:
    bearer = token("analyst", district="33.28.10")
    record = slawi_records(secured)[0]

    data = await secured.data(NODE, bearer, id=f"record:dinkes.pasien:{record['id']}")
    around = await secured.data(NEIGHBOURS, bearer, id="place:33.28.10")

    node = data["graphNode"]
    assert node["name"] == mask_value("person_name", record["nama_pasien"])
    assert node["properties"]["nik"] == mask_value("nik", record["nik"])
    assert node["properties"]["email"] == mask_value("email", record["email"])
    assert node["properties"]["nama_pasien"] == mask_value(
        "person_name", record["nama_pasien"]
    )
    records = [
        n for n in around["graphNode"]["neighbours"]["nodes"] if n["label"] == "Record"
    ]
    assert len(records) == 3
    assert all("****" in n["properties"]["nik"] for n in records)


async def test_owning_agency_sees_records_unmasked(secured: SecuredClient) -> None:
    record = slawi_records(secured)[0]

    data = await secured.data(
        NODE,
        token("agency", agency="dinkes"),
        id=f"record:dinkes.pasien:{record['id']}",
    )

    assert data["graphNode"]["properties"]["nik"] == record["nik"]
    assert data["graphNode"]["name"] == record["nama_pasien"]
