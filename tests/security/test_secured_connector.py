"""Each role sees exactly its rows, masked as it should, in lists, aggregates and relations.

Runs the app over the real agency databases (dinsos on PostgreSQL, the others on
SQLite) plus a clinic registry built from FEBRL, with the store on SQLite and on
PostgreSQL. ``dinkes.pasien`` is terbatas (analyst, steward) with personal
columns; ``dinsos.penduduk_miskin`` is tertutup; the rest is terbuka.
"""

from __future__ import annotations

from typing import Any

import pytest

from security.masking import mask_value
from tests.security.conftest import SecuredClient, token

SLAWI = "33.28.10"
ROWS = "dinkesPasien(first: 1000) { nodes { id nik nama_pasien no_hp email kode_kecamatan } }"


def masked(patient: dict[str, Any]) -> dict[str, Any]:
    return {
        **patient,
        "nik": mask_value("nik", patient["nik"]),
        "nama_pasien": mask_value("person_name", patient["nama_pasien"]),
        "no_hp": mask_value("phone", patient["no_hp"]),
        "email": mask_value("email", patient["email"]),
    }


def visible(patients: list[dict[str, Any]], kecamatan: str | None = None) -> list[Any]:
    return [
        {key: value for key, value in p.items() if key != "tahun_lahir"}
        for p in patients
        if kecamatan is None or p["kode_kecamatan"] == kecamatan
    ]


async def test_owning_agency_reads_every_row_unmasked(secured: SecuredClient) -> None:
    data = await secured.data(f"{{ {ROWS} }}", token("agency", agency="dinkes"))

    assert data["dinkesPasien"]["nodes"] == visible(secured.patients)


async def test_admin_reads_every_row_unmasked(secured: SecuredClient) -> None:
    data = await secured.data(f"{{ {ROWS} }}", token("admin"))

    assert data["dinkesPasien"]["nodes"] == visible(secured.patients)


async def test_steward_reads_every_row_with_personal_columns_masked(
    secured: SecuredClient,
) -> None:
    data = await secured.data(f"{{ {ROWS} }}", token("steward"))

    expected = [masked(row) for row in visible(secured.patients)]
    assert data["dinkesPasien"]["nodes"] == expected
    assert expected[0]["nik"].startswith(expected[0]["kode_kecamatan"].replace(".", ""))
    assert expected[0]["email"].endswith("@surel.example")


async def test_analyst_reads_only_the_rows_of_its_district_masked(
    secured: SecuredClient,
) -> None:
    data = await secured.data(f"{{ {ROWS} }}", token("analyst", district=SLAWI))

    expected = [masked(row) for row in visible(secured.patients, SLAWI)]
    assert data["dinkesPasien"]["nodes"] == expected
    assert 0 < len(expected) < len(secured.patients)


async def test_analyst_without_the_district_claim_gets_no_rows(
    secured: SecuredClient,
) -> None:
    body = await secured.execute(f"{{ {ROWS} }}", token("analyst"))

    assert body["data"] == {"dinkesPasien": None}
    assert "no rows of dataset 'dinkes.pasien'" in body["errors"][0]["message"]


async def test_several_roles_see_the_union_of_what_each_grants(
    secured: SecuredClient,
) -> None:
    bearer = token("analyst", "agency", agency="dinsos", district="33.28.01")

    data = await secured.data(
        f"{{ {ROWS} dinsosPendudukMiskinAggregate {{ count }} }}", bearer
    )

    expected = [masked(row) for row in visible(secured.patients, "33.28.01")]
    assert data["dinkesPasien"]["nodes"] == expected
    assert data["dinsosPendudukMiskinAggregate"][0]["count"] > 0


async def test_total_count_and_aggregates_obey_the_row_filter(
    secured: SecuredClient,
) -> None:
    document = """{
      dinkesPasien { totalCount }
      all: dinkesPasienAggregate { count countDistinct { nik } }
      perKecamatan: dinkesPasienAggregate(groupBy: [kode_kecamatan]) {
        key { kode_kecamatan } count
      }
    }"""

    data = await secured.data(document, token("analyst", district=SLAWI))

    rows = visible(secured.patients, SLAWI)
    slawi, distinct = len(rows), len({row["nik"] for row in rows})
    assert data["dinkesPasien"]["totalCount"] == slawi
    assert data["all"] == [{"count": slawi, "countDistinct": {"nik": distinct}}]
    assert data["perKecamatan"] == [{"key": {"kode_kecamatan": SLAWI}, "count": slawi}]


@pytest.mark.parametrize(
    ("document", "refused"),
    [
        (
            '{ dinkesPasien(filter: {nik: {eq: "3328100101010001"}}) { totalCount } }',
            "nik",
        ),
        (
            "{ dinkesPasien(orderBy: [{column: nama_pasien}]) { totalCount } }",
            "nama_pasien",
        ),
        ("{ dinkesPasienAggregate(groupBy: [no_hp]) { count } }", "no_hp"),
        ("{ dinkesPasienAggregate { min { nama_pasien } } }", "nama_pasien"),
    ],
)
async def test_masked_columns_cannot_be_probed_through_filters_or_aggregates(
    secured: SecuredClient, document: str, refused: str
) -> None:
    body = await secured.execute(document, token("steward"))

    assert body["errors"], body
    message = body["errors"][0]["message"]
    assert refused in message
    assert "personal data" in message


async def test_owning_agency_may_filter_by_personal_columns(
    secured: SecuredClient,
) -> None:
    patient = secured.patients[0]
    document = """query ($nik: String!) {
      dinkesPasien(filter: {nik: {eq: $nik}}) { nodes { id nama_pasien } }
    }"""

    data = await secured.data(
        document, token("agency", agency="dinkes"), nik=patient["nik"]
    )

    assert {"id": patient["id"], "nama_pasien": patient["nama_pasien"]} in data[
        "dinkesPasien"
    ]["nodes"]


async def test_relations_apply_the_same_rows_and_masks(secured: SecuredClient) -> None:
    document = """{
      dinkesKecamatan(first: 50) { nodes { kode pasienList { id nik } } }
      dinkesPasien(first: 5) { nodes { id kecamatan { kode nama } } }
    }"""

    data = await secured.data(document, token("analyst", district=SLAWI))

    lists = {
        node["kode"]: node["pasienList"] for node in data["dinkesKecamatan"]["nodes"]
    }
    expected = [
        {"id": p["id"], "nik": mask_value("nik", p["nik"])}
        for p in visible(secured.patients, SLAWI)
    ]
    assert sorted(lists[SLAWI], key=lambda row: row["id"]) == expected
    assert all(rows == [] for kode, rows in lists.items() if kode != SLAWI)
    assert all(
        node["kecamatan"]["kode"] == SLAWI for node in data["dinkesPasien"]["nodes"]
    )


async def test_tertutup_dataset_is_read_by_its_agency_and_admin_only(
    secured: SecuredClient,
) -> None:
    document = "{ dinsosPendudukMiskinAggregate { count } }"

    owner = await secured.data(document, token("agency", agency="dinsos"))
    admin = await secured.data(document, token("admin"))
    other = await secured.execute(document, token("agency", agency="dinkes"))
    analyst = await secured.execute(document, token("analyst", district=SLAWI))

    assert owner == admin
    assert owner["dinsosPendudukMiskinAggregate"][0]["count"] > 0
    for body in (other, analyst):
        assert (
            "Cannot query field 'dinsosPendudukMiskinAggregate'"
            in (body["errors"][0]["message"])
        )


async def test_capped_relations_cap_after_the_row_filter(
    secured: SecuredClient,
) -> None:
    document = (
        "{ dinkesKecamatan(first: 50) { nodes { kode pasienList(first: 2) { id } } } }"
    )

    analyst = await secured.data(document, token("analyst", district=SLAWI))
    owner = await secured.data(document, token("agency", agency="dinkes"))

    lists = {n["kode"]: n["pasienList"] for n in analyst["dinkesKecamatan"]["nodes"]}
    slawi_ids = [p["id"] for p in visible(secured.patients, SLAWI)][:2]
    assert lists[SLAWI] == [{"id": id_} for id_ in slawi_ids]
    assert all(rows == [] for kode, rows in lists.items() if kode != SLAWI)
    assert all(len(n["pasienList"]) == 2 for n in owner["dinkesKecamatan"]["nodes"])
