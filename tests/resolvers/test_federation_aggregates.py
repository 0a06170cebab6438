"""Grouped aggregates equal SQL GROUP BY; the cross-source aggregate equals their sum."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.resolvers.conftest import FederatedClient
from tests.resolvers.federation_helpers import sql_rows


def by_key(groups: list[dict[str, Any]], *columns: str) -> dict[tuple[Any, ...], Any]:
    return {
        tuple(group["key"][column] for column in columns): group for group in groups
    }


async def test_grouped_by_region_code_equals_sql_group_by_on_postgresql(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    data = await federated.query(
        """{ groups: dinsosPendudukMiskinAggregate(
               groupBy: [kode_wilayah], filter: {tahun: {gte: 2015}}) {
             key { kode_wilayah }
             count
             countDistinct { tahun }
             sum { jumlah }
             avg { jumlah }
             min { tahun jumlah }
             max { tahun jumlah }
           } }"""
    )
    expected = await sql_rows(
        direct_engines["dinsos"],
        """SELECT kode_wilayah, count(*) AS n, count(DISTINCT tahun) AS years,
                  sum(jumlah) AS total, avg(jumlah) AS mean, min(tahun) AS first_year,
                  min(jumlah) AS least, max(tahun) AS last_year, max(jumlah) AS most
           FROM penduduk_miskin WHERE tahun >= 2015 GROUP BY kode_wilayah""",
    )

    groups = by_key(data["groups"], "kode_wilayah")
    assert set(groups) == {(row["kode_wilayah"],) for row in expected}
    for row in expected:
        group = groups[(row["kode_wilayah"],)]
        assert group["count"] == row["n"]
        assert group["countDistinct"]["tahun"] == row["years"]
        assert group["sum"]["jumlah"] == pytest.approx(row["total"])
        assert group["avg"]["jumlah"] == pytest.approx(row["mean"])
        assert group["min"] == {"tahun": row["first_year"], "jumlah": row["least"]}
        assert group["max"] == {"tahun": row["last_year"], "jumlah": row["most"]}


async def test_grouped_by_two_columns_equals_sql_group_by_on_sqlite(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    data = await federated.query(
        """{ groups: dpmdesPencemaranAirAggregate(groupBy: [kode_kabupaten, status]) {
             key { kode_kabupaten status tahun }
             count
             countDistinct { kode_desa }
             min { tahun }
             max { kode_desa }
           } }"""
    )
    expected = await sql_rows(
        direct_engines["dpmdes"],
        """SELECT kode_kabupaten, status, count(*) AS n, count(DISTINCT kode_desa) AS desa,
                  min(tahun) AS first_year, max(kode_desa) AS last_desa
           FROM pencemaran_air GROUP BY kode_kabupaten, status""",
    )

    groups = by_key(data["groups"], "kode_kabupaten", "status")
    assert len(groups) == len(expected) == len(data["groups"])
    for row in expected:
        group = groups[(row["kode_kabupaten"], row["status"])]
        assert group["key"]["tahun"] is None
        assert group["count"] == row["n"]
        assert group["countDistinct"] == {"kode_desa": row["desa"]}
        assert group["min"] == {"tahun": row["first_year"]}
        assert group["max"] == {"kode_desa": row["last_desa"]}


async def test_dates_and_averages_per_commodity(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    data = await federated.query(
        """{ groups: dkppHargaPanganAggregate(groupBy: [komoditas],
               filter: {harga: {isNull: false}}) {
             key { komoditas } count avg { harga } min { tanggal } max { tanggal harga }
           } }"""
    )
    expected = await sql_rows(
        direct_engines["dkpp"],
        """SELECT komoditas, count(*) AS n, avg(harga) AS mean, min(tanggal) AS first_day,
                  max(tanggal) AS last_day, max(harga) AS most
           FROM harga_pangan WHERE harga IS NOT NULL GROUP BY komoditas""",
    )

    groups = by_key(data["groups"], "komoditas")
    assert len(groups) == len(expected)
    for row in expected:
        group = groups[(row["komoditas"],)]
        assert group["count"] == row["n"]
        assert group["avg"]["harga"] == pytest.approx(row["mean"])
        assert group["min"]["tanggal"] == row["first_day"]
        assert group["max"] == {"tanggal": row["last_day"], "harga": row["most"]}


async def test_without_group_by_there_is_one_group(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    data = await federated.query(
        "{ all: dinsosPendudukMiskinAggregate { count sum { jumlah } } }"
    )
    [expected] = await sql_rows(
        direct_engines["dinsos"],
        "SELECT count(*) AS n, sum(jumlah) AS total FROM penduduk_miskin",
    )

    assert data["all"] == [
        {"count": expected["n"], "sum": {"jumlah": pytest.approx(expected["total"])}}
    ]


async def test_aggregate_fragments_are_understood(federated: FederatedClient) -> None:
    data = await federated.query(
        """{ a: dinsosPendudukMiskinAggregate { ...Figures } }
           fragment Figures on DinsosPendudukMiskinAggregateGroup {
             count ... on DinsosPendudukMiskinAggregateGroup { max { tahun } }
           }"""
    )

    assert data["a"][0]["max"]["tahun"] == 2020


CROSS = """
query ($parts: [CrossAggregatePart!]!) {
  crossAggregate(parts: $parts) {
    groups { key total figures { source dataset function column value } }
    failures
  }
}"""


async def test_cross_source_count_is_the_sum_of_per_source_aggregates(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    parts = [
        {"source": "dinsos", "dataset": "penduduk_miskin", "keyColumn": "kode_wilayah"},
        {
            "source": "dpmdes",
            "dataset": "pencemaran_air",
            "keyColumn": "kode_kabupaten",
        },
    ]
    per_source = await federated.query(
        """{ dinsos: dinsosPendudukMiskinAggregate(groupBy: [kode_wilayah]) {
               key { kode_wilayah } count }
             dpmdes: dpmdesPencemaranAirAggregate(groupBy: [kode_kabupaten]) {
               key { kode_kabupaten } count } }"""
    )

    data = await federated.query(CROSS, parts=parts)

    expected: dict[str, dict[str, int]] = {}
    for group in per_source["dinsos"]:
        expected.setdefault(group["key"]["kode_wilayah"], {})["penduduk_miskin"] = (
            group["count"]
        )
    for group in per_source["dpmdes"]:
        expected.setdefault(group["key"]["kode_kabupaten"], {})["pencemaran_air"] = (
            group["count"]
        )
    result = data["crossAggregate"]
    assert result["failures"] == []
    assert {group["key"] for group in result["groups"]} == set(expected)
    for group in result["groups"]:
        figures = {figure["dataset"]: figure["value"] for figure in group["figures"]}
        assert figures == expected[group["key"]]
        assert group["total"] == sum(expected[group["key"]].values())
    [sql_total] = await sql_rows(
        direct_engines["dpmdes"], "SELECT count(*) AS n FROM pencemaran_air"
    )
    assert (
        sum(
            figure["value"]
            for group in result["groups"]
            for figure in group["figures"]
            if figure["dataset"] == "pencemaran_air"
        )
        == sql_total["n"]
    )


async def test_cross_source_sum_and_max(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine]
) -> None:
    measured = {"source": "dinsos", "keyColumn": "kode_wilayah", "column": "jumlah"}
    sums = [
        {**measured, "dataset": "penduduk_miskin", "function": "SUM"},
        {**measured, "dataset": "penduduk_miskin_2020", "function": "SUM"},
    ]

    data = await federated.query(CROSS, parts=sums)
    expected = await sql_rows(
        direct_engines["dinsos"],
        """SELECT kode_wilayah, sum(jumlah) + sum(CASE WHEN tahun = 2020 THEN jumlah END)
                  AS total
           FROM penduduk_miskin GROUP BY kode_wilayah""",
    )

    totals = {
        group["key"]: group["total"] for group in data["crossAggregate"]["groups"]
    }
    assert totals == {
        row["kode_wilayah"]: pytest.approx(row["total"]) for row in expected
    }
