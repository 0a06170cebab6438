"""Compiled plans apply the access policy exactly as the schema's executor does.

Each document runs with plans on and off for several roles over the terbatas
``dinkes.pasien`` (personal columns, a row rule for analysts) and the tertutup
``dinsos.penduduk_miskin``; the responses must be equal. Masked columns and
refusals are left to the schema's path, so those must not be served by a plan.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.conftest import SecuredClient, token

BEARERS = {
    "anonymous": None,
    "analyst-slawi": token("analyst", district="33.28.10"),
    "analyst-without-district": token("analyst"),
    "steward": token("steward"),
    "admin": token("admin"),
    "dinkes": token("agency", agency="dinkes"),
    "dinsos": token("agency", agency="dinsos"),
}
PLAIN = """{ dinkesPasien(first: 40, orderBy: [{column: tahun_lahir}]) {
  totalCount nodes { id kode_kecamatan tahun_lahir } pageInfo { hasNextPage } } }"""
PERSONAL = "{ dinkesPasien(first: 40) { nodes { id nik nama_pasien no_hp email } } }"
BY_PERSONAL = '{ dinkesPasien(filter: {nik: {startsWith: "33"}}) { nodes { id } } }'
CLOSED = "{ dinsosPendudukMiskin(first: 5) { totalCount nodes { id jumlah } } }"

# (document, bearer name, whether a plan serves it)
CASES = [
    (PLAIN, "anonymous", False),
    (PLAIN, "analyst-slawi", True),
    (PLAIN, "analyst-without-district", False),
    (PLAIN, "steward", True),
    (PLAIN, "admin", True),
    (PLAIN, "dinkes", True),
    (PERSONAL, "analyst-slawi", False),
    (PERSONAL, "steward", False),
    (PERSONAL, "admin", True),
    (PERSONAL, "dinkes", True),
    (BY_PERSONAL, "steward", False),
    (BY_PERSONAL, "admin", True),
    (CLOSED, "steward", False),
    (CLOSED, "dinsos", True),
    (CLOSED, "admin", True),
]


def plans_served(client: SecuredClient) -> float:
    value: float = client.app.state.metrics.graphql_operations.labels(
        "plan"
    )._value.get()
    return value


@pytest.mark.parametrize(("document", "who", "planned"), CASES)
async def test_the_policy_answers_alike_with_and_without_plans(
    secured: SecuredClient, document: str, who: str, planned: bool
) -> None:
    endpoint = secured.app.state.graphql
    before = plans_served(secured)
    with_plan: dict[str, Any] = await secured.execute(document, BEARERS[who])
    served = plans_served(secured) > before
    endpoint.plans_enabled = False
    try:
        without: dict[str, Any] = await secured.execute(document, BEARERS[who])
    finally:
        endpoint.plans_enabled = True

    assert with_plan == without
    assert served is planned


async def test_rows_of_a_plan_obey_the_row_rule(secured: SecuredClient) -> None:
    data = await secured.data(PLAIN, BEARERS["analyst-slawi"])

    slawi = [p for p in secured.patients if p["kode_kecamatan"] == "33.28.10"]
    assert data["dinkesPasien"]["totalCount"] == len(slawi)
    assert {row["kode_kecamatan"] for row in data["dinkesPasien"]["nodes"]} == {
        "33.28.10"
    }


async def test_masked_columns_reach_no_one_through_either_path(
    secured: SecuredClient,
) -> None:
    raw = {str(p["nik"]) for p in secured.patients} | {
        str(p["no_hp"]) for p in secured.patients
    }

    data = await secured.data(PERSONAL, BEARERS["steward"])

    rows = data["dinkesPasien"]["nodes"]
    assert rows
    assert not raw & {str(row["nik"]) for row in rows}
    assert not raw & {str(row["no_hp"]) for row in rows}


async def test_datasets_a_principal_may_not_read_are_absent(
    secured: SecuredClient,
) -> None:
    before = plans_served(secured)

    body = await secured.execute(CLOSED, BEARERS["steward"])

    assert body["data"] is None
    assert "Cannot query field 'dinsosPendudukMiskin'" in body["errors"][0]["message"]
    assert plans_served(secured) == before


TRAIL = """query ($subject: String) { auditEvents(first: 1, subject: $subject) {
  subject roles agency datasets denied operation outcome } }"""

# (document, bearer name, subject of its audit events)
AUDITED = [
    (PLAIN, "analyst-slawi", "jwt:user-analyst-"),
    (CLOSED, "dinsos", "jwt:user-agency-dinsos"),
]


@pytest.mark.parametrize(("document", "who", "subject"), AUDITED)
async def test_plans_write_the_audit_record_the_schema_path_writes(
    secured: SecuredClient, document: str, who: str, subject: str
) -> None:
    endpoint = secured.app.state.graphql
    named = "query Audited " + document
    before = plans_served(secured)
    await secured.data(named, BEARERS[who])
    served = plans_served(secured) > before
    planned = await secured.data(TRAIL, token("admin"), subject=subject)
    endpoint.plans_enabled = False
    try:
        await secured.data(named, BEARERS[who])
    finally:
        endpoint.plans_enabled = True
    plain = await secured.data(TRAIL, token("admin"), subject=subject)

    assert served
    assert planned["auditEvents"] == plain["auditEvents"]
    assert planned["auditEvents"][0]["operation"] == "Audited"
    assert planned["auditEvents"][0]["outcome"] == "ok"
    assert planned["auditEvents"][0]["datasets"] != []
