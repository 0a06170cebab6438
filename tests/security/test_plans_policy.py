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
