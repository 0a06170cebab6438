"""Requests touching terbatas or tertutup data are recorded; admins read the trail."""

from __future__ import annotations

from typing import Any

from tests.security.conftest import SecuredClient, token

TRAIL = """query ($subject: String) {
  auditEvents(first: 20, subject: $subject) {
    subject roles agency datasets denied operation outcome requestId at
  }
}"""


async def trail(client: SecuredClient, subject: str) -> list[dict[str, Any]]:
    data = await client.data(TRAIL, token("admin"), subject=subject)
    events: list[dict[str, Any]] = data["auditEvents"]
    return events


async def test_reading_a_terbatas_dataset_is_recorded(secured: SecuredClient) -> None:
    bearer = token("analyst", district="33.28.11")
    response = await secured.post(
        "query Patients { dinkesPasien(first: 3) { nodes { id } } }", bearer
    )

    events = await trail(secured, "jwt:user-analyst-")

    assert events[0]["datasets"] == ["dinkes.pasien"]
    assert events[0]["denied"] == []
    assert events[0]["outcome"] == "ok"
    assert events[0]["operation"] == "Patients"
    assert events[0]["requestId"] == response.headers["x-request-id"]
    assert events[0]["roles"] == ["analyst", "public"]


async def test_refused_rows_are_recorded_as_denied(secured: SecuredClient) -> None:
    await secured.execute("{ dinkesPasien { totalCount } }", token("analyst"))

    events = await trail(secured, "jwt:user-analyst-")

    assert events[0]["denied"] == ["dinkes.pasien"]
    assert events[0]["outcome"] == "denied"


async def test_tertutup_reads_by_the_owner_are_recorded(secured: SecuredClient) -> None:
    await secured.data(
        "{ dinsosPendudukMiskinAggregate { count } }", token("agency", agency="dinsos")
    )

    events = await trail(secured, "jwt:user-agency-dinsos")

    assert events[0]["datasets"] == ["dinsos.penduduk_miskin"]
    assert events[0]["agency"] == "dinsos"


async def test_terbuka_reads_leave_no_trace(secured: SecuredClient) -> None:
    await secured.data("{ dkppHargaPanganAggregate { count } }", token("steward"))

    assert await trail(secured, "jwt:user-steward-") == []
