"""What a role may not read is absent from the schema it is served."""

from __future__ import annotations

import pytest

from tests.security.conftest import SecuredClient, token

FIELDS = "{ __type(name: $name) { fields { name } } }"
ROOT_FIELDS = (
    "dinkesPasien", "dinkesPasienAggregate", "dinsosPendudukMiskin",
    "dinsosPendudukMiskinAggregate", "dinkesKecamatan", "auditEvents",
)  # fmt: skip

# role -> root fields it sees among ROOT_FIELDS, and relations it sees
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "public": ({"dinkesKecamatan"}, set()),
    "analyst": (
        {"dinkesKecamatan", "dinkesPasien", "dinkesPasienAggregate"},
        {"pasienList"},
    ),
    "steward": (
        {"dinkesKecamatan", "dinkesPasien", "dinkesPasienAggregate"},
        {"pasienList"},
    ),
    "dinkes": (
        {"dinkesKecamatan", "dinkesPasien", "dinkesPasienAggregate"},
        {"pasienList"},
    ),
    "dinsos": (
        {"dinkesKecamatan", "dinsosPendudukMiskin", "dinsosPendudukMiskinAggregate"},
        {"pendudukMiskinList"},
    ),
    "admin": (set(ROOT_FIELDS), {"pasienList", "pendudukMiskinList"}),
}
BEARERS = {
    "public": None,
    "analyst": token("analyst", district="33.28.10"),
    "steward": token("steward"),
    "dinkes": token("agency", agency="dinkes"),
    "dinsos": token("agency", agency="dinsos"),
    "admin": token("admin"),
}


async def fields_of(
    client: SecuredClient, type_name: str, bearer: str | None
) -> set[str]:
    data = await client.data(f"query ($name: String!) {FIELDS}", bearer, name=type_name)
    return {field["name"] for field in data["__type"]["fields"]}


@pytest.mark.parametrize("role", sorted(EXPECTED))
async def test_each_role_is_served_exactly_its_fields(
    secured: SecuredClient, role: str
) -> None:
    roots, relations = EXPECTED[role]

    query = await fields_of(secured, "Query", BEARERS[role])
    kecamatan = await fields_of(secured, "DinkesKecamatan", BEARERS[role])
    kabupaten = await fields_of(secured, "DinsosKabupatenKota", BEARERS[role])

    assert query & set(ROOT_FIELDS) == roots
    assert (kecamatan | kabupaten) & {"pasienList", "pendudukMiskinList"} == relations
    assert "viewer" in query


async def test_hidden_field_is_refused_as_if_it_did_not_exist(
    secured: SecuredClient,
) -> None:
    body = await secured.execute("{ dinkesPasien { totalCount } }")

    assert body["data"] is None
    assert body["errors"][0]["message"].startswith(
        "Cannot query field 'dinkesPasien' on type 'Query'."
    )


async def test_hidden_row_type_is_absent_from_introspection(
    secured: SecuredClient,
) -> None:
    data = await secured.data('{ __type(name: "DinkesPasien") { name } }')

    assert data == {"__type": None}


async def test_viewer_reports_roles_and_agency(secured: SecuredClient) -> None:
    data = await secured.data(
        "{ viewer { subject roles agency authenticatedBy } }",
        token("agency", "analyst", agency="dinkes"),
    )

    assert data["viewer"] == {
        "subject": "jwt:user-agency-analyst-dinkes",
        "roles": ["agency", "analyst", "public"],
        "agency": "dinkes",
        "authenticatedBy": "jwt",
    }


async def test_source_listing_names_only_readable_datasets(
    secured: SecuredClient,
) -> None:
    document = "{ sources { name datasets } }"

    public = await secured.data(document)
    owner = await secured.data(document, token("agency", agency="dinsos"))

    listed = {source["name"]: source["datasets"] for source in public["sources"]}
    owned = {source["name"]: source["datasets"] for source in owner["sources"]}
    assert "penduduk_miskin" not in listed["dinsos"]
    assert "pasien" not in listed["dinkes"]
    assert "penduduk_miskin" in owned["dinsos"]
