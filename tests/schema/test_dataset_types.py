"""Generated dataset types: names, and the strawberry path equal to the raw one."""

from __future__ import annotations

from connectors.base import ColumnInfo, DatasetInfo
from resolvers.context import RequestContext
from schema import build_schema
from schema.dataset_types import build_dataset_query, to_camel, to_identifier, to_pascal
from tests.resolvers.conftest import (
    FederatedClient,
    agency_sources,
    direct_engines,
    federated,
)

__all__ = ["agency_sources", "direct_engines", "federated"]


def test_names_are_valid_graphql() -> None:
    assert to_identifier("Harga Kemarin (Rp)") == "Harga_Kemarin_Rp"
    assert to_identifier("2019 total") == "_2019_total"
    assert to_pascal("harga_pangan") == "HargaPangan"
    assert to_camel("dkpp_harga_pangan") == "dkppHargaPangan"


def test_names_stay_unique_across_sources() -> None:
    columns = (
        ColumnInfo("id", "integer", nullable=False, is_key=True),
        ColumnInfo("class", "text"),
        ColumnInfo("Nilai (Rp)", "decimal"),
        ColumnInfo("nilai_rp", "decimal"),
    )
    datasets = {
        "a_b": [DatasetInfo("c", columns, key=("id",))],
        "a": [DatasetInfo("b_c", columns, key=("id",))],
    }

    part = build_dataset_query(datasets, taken_fields={"sources"})
    assert part is not None
    schema = build_schema((part.query_type,))
    sdl = str(schema)

    assert "type ABC {" in sdl
    assert "type ABC2 {" in sdl
    assert "aBC(" in sdl
    assert "aBC2(" in sdl
    assert "class_: String" in sdl
    assert "Nilai_Rp: Float" in sdl
    assert "nilai_rp: Float" in sdl


async def test_strawberry_resolvers_answer_as_the_installed_raw_ones(
    federated: FederatedClient,
) -> None:
    registry = federated.registry
    datasets = {entry.config.name: entry.datasets for entry in registry.entries}
    part = build_dataset_query(datasets)
    assert part is not None
    plain = build_schema((part.query_type,))  # raw resolvers not installed
    document = """{
      dinsosPendudukMiskin(
        filter: {or: [{kode_wilayah: {in: ["32.01", "32.73"]}},
                      {not: {tahun: {lt: 2019}}, jumlah: {isNull: false}}]},
        orderBy: [{column: jumlah, direction: DESC}], first: 30) {
        totalCount nodes { id jumlah }
      }
      dinsosPendudukMiskinAggregate(groupBy: [tahun], filter: {tahun: {gte: 2018}}) {
        key { tahun } count sum { jumlah }
      }
    }"""
    services = federated.app.state.services_ref["services"]

    result = await plain.execute(
        document, context_value=RequestContext(services=services)
    )
    served = await federated.query(document)

    assert result.errors is None
    assert result.data == served
