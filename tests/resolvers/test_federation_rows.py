"""Filters, sorting and paging through /graphql return exactly what SQL returns."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.resolvers.conftest import FederatedClient
from tests.resolvers.federation_helpers import all_pages, sql_rows

DATASETS = {
    "dinsos": (
        "dinsosPendudukMiskin",
        "penduduk_miskin",
        "id kode_wilayah tahun jumlah",
    ),
    "dpmdes": ("dpmdesPencemaranAir", "pencemaran_air", "id kode_desa status tahun"),
    "dkpp": ("dkppHargaPangan", "harga_pangan", "id tanggal komoditas harga"),
}

# (source, GraphQL filter, the SQL condition it must equal)
FILTERS = [
    ("dinsos", "{tahun: {eq: 2019}}", "tahun = 2019"),
    ("dinsos", "{tahun: {ne: 2019}}", "tahun <> 2019"),
    ("dinsos", "{jumlah: {lt: 100}}", "jumlah < 100"),
    ("dinsos", "{jumlah: {lte: 100.5}}", "jumlah <= 100.5"),
    ("dinsos", "{jumlah: {gt: 500}}", "jumlah > 500"),
    ("dinsos", "{tahun: {gte: 2018}}", "tahun >= 2018"),
    (
        "dinsos",
        '{kode_wilayah: {in: ["32.01", "32.73", "32.79"]}}',
        "kode_wilayah IN ('32.01', '32.73', '32.79')",
    ),
    (
        "dinsos",
        '{kode_wilayah: {notIn: ["32.01", "32.73"]}}',
        "kode_wilayah NOT IN ('32.01', '32.73')",
    ),
    ("dinsos", '{kode_wilayah: {contains: ".7"}}', "strpos(kode_wilayah, '.7') > 0"),
    (
        "dinsos",
        '{kode_wilayah: {startsWith: "32.7"}}',
        "left(kode_wilayah, 4) = '32.7'",
    ),
    ("dinsos", "{jumlah: {isNull: true}}", "jumlah IS NULL"),
    ("dinsos", "{jumlah: {isNull: false}}", "jumlah IS NOT NULL"),
    (
        "dinsos",
        "{or: [{tahun: {lt: 2005}}, {and: [{tahun: {gte: 2019}}, "
        '{not: {kode_wilayah: {startsWith: "32.7"}}}]}]}',
        "tahun < 2005 OR (tahun >= 2019 AND NOT left(kode_wilayah, 4) = '32.7')",
    ),
    (
        "dinsos",
        "{tahun: {gte: 2010, lt: 2012}, jumlah: {gt: 200}}",
        "tahun >= 2010 AND tahun < 2012 AND jumlah > 200",
    ),
    (
        "dpmdes",
        '{status: {eq: "ADA"}, tahun: {eq: 2021}}',
        "status = 'ADA' AND tahun = 2021",
    ),
    (
        "dpmdes",
        '{kode_desa: {startsWith: "32.04.0"}}',
        "substr(kode_desa, 1, 7) = '32.04.0'",
    ),
    ("dpmdes", '{status: {contains: "ada"}}', "instr(status, 'ada') > 0"),
    ("dpmdes", '{status: {contains: "K AD"}}', "instr(status, 'K AD') > 0"),
    (
        "dpmdes",
        '{status: {in: ["ADA"]}, kode_kabupaten: {notIn: ["32.01", "32.02"]}}',
        "status IN ('ADA') AND kode_kabupaten NOT IN ('32.01', '32.02')",
    ),
    (
        "dpmdes",
        "{not: {or: [{tahun: {eq: 2019}}, {status: {isNull: true}}]}}",
        "NOT (tahun = 2019 OR status IS NULL)",
    ),
    (
        "dpmdes",
        '{status: {ne: "ADA"}, tahun: {lte: 2019}}',
        "status <> 'ADA' AND tahun <= 2019",
    ),
    (
        "dkpp",
        '{tanggal: {gte: "2025-11-01"}, komoditas: {startsWith: "Cabai"}}',
        "tanggal >= '2025-11-01' AND substr(komoditas, 1, 5) = 'Cabai'",
    ),
    ("dkpp", "{harga: {isNull: true}}", "harga IS NULL"),
    (
        "dkpp",
        '{tanggal: {lt: "2025-09-20"}, harga: {gt: 50000}}',
        "tanggal < '2025-09-20' AND harga > 50000",
    ),
    ("dkpp", '{komoditas: {contains: "%"}}', "instr(komoditas, '%') > 0"),
    ("dkpp", '{komoditas: {contains: "Bawang"}}', "instr(komoditas, 'Bawang') > 0"),
    (
        "dkpp",
        '{tanggal: {in: ["2025-10-01", "2025-10-02"]}, harga: {ne: 0}}',
        "tanggal IN ('2025-10-01', '2025-10-02') AND harga <> 0",
    ),
]


@pytest.mark.parametrize(("source", "graphql_filter", "condition"), FILTERS)
async def test_filter_returns_the_rows_sql_returns(
    federated: FederatedClient,
    direct_engines: dict[str, AsyncEngine],
    source: str,
    graphql_filter: str,
    condition: str,
) -> None:
    field, table, selection = DATASETS[source]
    columns = ", ".join(selection.split())

    got = await all_pages(
        federated,
        field,
        selection,
        f"filter: {graphql_filter}, orderBy: [{{column: id}}],",
    )
    expected = await sql_rows(
        direct_engines[source],
        f"SELECT {columns} FROM {table} WHERE {condition} ORDER BY id",
    )
    total = await federated.query(
        f"{{ page: {field}(filter: {graphql_filter}) {{ totalCount }} }}"
    )

    assert got == expected
    assert total["page"]["totalCount"] == len(expected)


# (source, GraphQL orderBy, the SQL ORDER BY it must equal, key last as tiebreak)
ORDERS = [
    ("dinsos", "[{column: jumlah, direction: DESC}]", "jumlah DESC, id"),
    (
        "dinsos",
        "[{column: tahun}, {column: jumlah, direction: DESC}]",
        "tahun, jumlah DESC, id",
    ),
    (
        "dinsos",
        "[{column: kode_wilayah, direction: DESC}, {column: tahun, direction: DESC}]",
        "kode_wilayah DESC, tahun DESC, id",
    ),
    ("dkpp", "[{column: harga, direction: DESC}]", "harga DESC, id"),
    (
        "dkpp",
        "[{column: komoditas}, {column: tanggal, direction: DESC}]",
        "komoditas, tanggal DESC, id",
    ),
    (
        "dpmdes",
        "[{column: kode_desa, direction: DESC}, {column: tahun}]",
        "kode_desa DESC, tahun, id",
    ),
]

# (paging arguments, as a function of cursors; the OFFSET/LIMIT it must equal)
PAGES = [
    ("first: 7", 0, 7),
    ("first: 7, after: $c3", 4, 7),
    ("last: 5", None, 5),
    ("last: 5, before: $c20", 15, 5),
    ("first: 4, before: $c20", 0, 4),
    ("last: 4, after: $c3, before: $c20", 16, 4),
    ("first: 30, after: $c3, before: $c20", 4, 16),
    ("first: 0", 0, 0),
]


@pytest.mark.parametrize(("source", "order_by", "sql_order"), ORDERS)
@pytest.mark.parametrize(("arguments", "offset", "limit"), PAGES)
async def test_sort_and_page_return_the_rows_sql_returns(
    federated: FederatedClient,
    direct_engines: dict[str, AsyncEngine],
    source: str,
    order_by: str,
    sql_order: str,
    arguments: str,
    offset: int | None,
    limit: int,
) -> None:
    field, table, _ = DATASETS[source]
    engine = direct_engines[source]
    ordered = [
        row["id"]
        for row in await sql_rows(
            engine, f"SELECT id FROM {table} ORDER BY {sql_order}"
        )
    ]
    cursors = await federated.query(
        f"{{ page: {field}(orderBy: {order_by}, first: 21) {{ edges {{ cursor }} }} }}"
    )
    edges = cursors["page"]["edges"]
    start = len(ordered) - limit if offset is None else offset

    cursors_by_name = {"c3": edges[3]["cursor"], "c20": edges[20]["cursor"]}
    used = {
        name: cursor
        for name, cursor in cursors_by_name.items()
        if f"${name}" in arguments
    }
    declared = ", ".join(f"${name}: String" for name in used)

    data = await federated.query(
        f"""query {f"({declared})" if declared else ""} {{
          page: {field}(orderBy: {order_by}, {arguments}) {{
            nodes {{ id }}
            pageInfo {{ hasNextPage hasPreviousPage }}
          }}
        }}""",
        **used,
    )

    page = data["page"]
    assert [node["id"] for node in page["nodes"]] == ordered[start : start + limit]
    assert page["pageInfo"]["hasPreviousPage"] == (start > 0)
    assert page["pageInfo"]["hasNextPage"] == (start + limit < len(ordered))


@pytest.mark.parametrize("source", ["dinsos", "dpmdes"])
async def test_walking_forward_and_backward_covers_every_row_once(
    federated: FederatedClient, direct_engines: dict[str, AsyncEngine], source: str
) -> None:
    field, table, _ = DATASETS[source]
    condition = "tahun >= 2015" if source == "dinsos" else "kode_kabupaten = '32.04'"
    graphql_filter = (
        "{tahun: {gte: 2015}}"
        if source == "dinsos"
        else '{kode_kabupaten: {eq: "32.04"}}'
    )
    expected = [
        row["id"]
        for row in await sql_rows(
            direct_engines[source],
            f"SELECT id FROM {table} WHERE {condition} ORDER BY tahun DESC, id",
        )
    ]
    order = "[{column: tahun, direction: DESC}]"

    forward = await all_pages(
        federated,
        field,
        "id",
        f"filter: {graphql_filter}, orderBy: {order},",
        page_size=37,
    )
    backward: list[int] = []
    before = None
    while True:
        data = await federated.query(
            f"""query ($before: String) {{
              page: {field}(filter: {graphql_filter}, orderBy: {order}, last: 37,
                            before: $before) {{
                nodes {{ id }} pageInfo {{ hasPreviousPage startCursor }}
              }}
            }}""",
            before=before,
        )
        backward = [node["id"] for node in data["page"]["nodes"]] + backward
        if not data["page"]["pageInfo"]["hasPreviousPage"]:
            break
        before = data["page"]["pageInfo"]["startCursor"]

    assert [row["id"] for row in forward] == expected
    assert backward == expected


async def test_column_comments_become_descriptions(federated: FederatedClient) -> None:
    data = await federated.query(
        '{ __type(name: "DinsosPendudukMiskin") { description fields { name description } } }'
    )

    described = {
        field["name"]: field["description"] for field in data["__type"]["fields"]
    }
    assert data["__type"]["description"] == "Jumlah penduduk miskin per kabupaten/kota"
    assert described["jumlah"] == "Penduduk miskin, ribu jiwa"


async def test_filters_are_typed_per_column(federated: FederatedClient) -> None:
    body = await federated.execute(
        '{ dinsosPendudukMiskin(filter: {tahun: {eq: "2019"}}) { totalCount } }'
    )
    dates = await federated.execute(
        '{ dkppHargaPangan(filter: {harga: {contains: "1"}}) { totalCount } }'
    )

    assert "Int cannot represent non-integer value" in body["errors"][0]["message"]
    assert "contains" in dates["errors"][0]["message"]


async def test_foreign_cursor_is_refused_with_a_clear_error(
    federated: FederatedClient,
) -> None:
    body = await federated.execute(
        '{ dinsosPendudukMiskin(after: "bm9wZQ==") { totalCount } }'
    )

    assert body["data"]["dinsosPendudukMiskin"] is None
    assert "invalid cursor" in body["errors"][0]["message"]


@pytest.mark.parametrize("position", ["10000000000000000000000", "-999", "1e3"])
async def test_out_of_range_cursor_is_refused_as_invalid(
    federated: FederatedClient, position: str
) -> None:
    cursor = base64.urlsafe_b64encode(f"row:{position}".encode()).decode()

    body = await federated.execute(
        f'{{ dinsosPendudukMiskin(after: "{cursor}") {{ totalCount nodes {{ id }} }} }}'
    )

    assert body["data"]["dinsosPendudukMiskin"] is None
    assert "invalid cursor" in body["errors"][0]["message"]
