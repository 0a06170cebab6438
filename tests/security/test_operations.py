"""Operations over the secured app: metrics of requests, errors, sources and ingestion."""

from __future__ import annotations

from datetime import UTC, datetime

from store.catalog import IngestionRun
from store.engine import transaction
from tests.security.conftest import SecuredClient, token


async def test_metrics_expose_requests_errors_sources_and_ingestion(
    secured: SecuredClient,
) -> None:
    async with transaction(secured.services.sessions) as session:
        finished = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
        session.add(
            IngestionRun(
                kind="file", input_name="harga.csv", status="succeeded",
                finished_at=finished,
            )
        )  # fmt: skip
    await secured.data("{ dkppHargaPanganAggregate { count } }", token("analyst"))
    await secured.execute("{ nope }")

    text = (await secured.http.get("/metrics")).text

    assert (
        'bigone_http_requests_total{method="POST",route="/graphql",status="200"}'
        in text
    )
    assert (
        'bigone_http_request_duration_seconds_bucket{le="0.005",method="POST"' in text
    )
    assert 'bigone_graphql_errors_total{kind="invalid"}' in text
    assert (
        'bigone_source_request_duration_seconds_count{operation="aggregate",source="dkpp"}'
        in text
    )
    assert 'bigone_ingestion_runs{kind="file",status="succeeded"} 1.0' in text
    assert "bigone_ingestion_last_success_timestamp_seconds" in text
