"""Hostile operations are rejected before any statement runs; dashboards pass."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from schema import build_schema
from security.errors import QueryRejectedError
from security.limits import QueryLimits, analyse_operation, check_operation
from tests.security.conftest import SecuredClient, token

ANALYST = token("analyst", district="33.28.10")


def nested(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"neighbours {{ nodes {{ {inner} }} }}"
    return f'{{ graphNode(id: "place:33.28.10") {{ {inner} }} }}'


def chained_fragments(levels: int) -> str:
    fragments = [
        f"fragment L{i} on GraphNode {{ neighbours {{ nodes {{ id ...L{i + 1} }} }} }}"
        for i in range(levels)
    ]
    fragments.append(f"fragment L{levels} on GraphNode {{ id }}")
    return '{ graphNode(id: "place:33.28.10") { ...L0 } }\n' + "\n".join(fragments)


HIDDEN_ALIASES = (
    '{ graphNode(id: "place:33.28.10") { ...Many } }\n'
    "fragment Many on GraphNode { " + " ".join(f"a{i}: id" for i in range(40)) + " }"
)
INLINE_ALIASES = (
    '{ graphNode(id: "place:33.28.10") { ... on GraphNode { '
    + " ".join(f"b{i}: name" for i in range(40))
    + " } } }"
)
CIRCULAR = """{ graphNode(id: "place:33.28.10") { ...A } }
fragment A on GraphNode { neighbours { nodes { ...B } } }
fragment B on GraphNode { id ...A }"""
COSTLY = "{ dinkesKecamatan(first: 1000) { nodes { pasienList { id nik } } } }"
HUGE_PAGE = "{ dinkesPasien(first: 5000) { nodes { id } } }"
# Both would read the store if they ran, so the statement count tells.
MANY_ROOTS = "{ " + " ".join(f"v{i}: graphStats {{ nodes }}" for i in range(25)) + " }"
TOKENS = "{ graphStats { " + "nodes " * 4100 + "} }"

DASHBOARD = """query Dashboard {
  viewer { roles }
  regencies: dinsosKabupatenKota(first: 30) { totalCount nodes { kode nama } }
  pollution: dpmdesPencemaranAirAggregate(groupBy: [tahun, status]) {
    key { tahun status } count
  }
  prices: dkppHargaPangan(first: 50, orderBy: [{column: tanggal, direction: DESC}]) {
    nodes { tanggal komoditas harga }
    pageInfo { hasNextPage endCursor }
  }
  priceStats: dkppHargaPanganAggregate(groupBy: [komoditas]) {
    key { komoditas } count avg { harga } min { harga } max { harga }
  }
  patients: dinkesPasienAggregate(groupBy: [kode_kecamatan]) {
    key { kode_kecamatan } count
  }
  kecamatan: dinkesKecamatan(first: 20) { nodes { kode nama pasienList { id } } }
  place: graphNode(id: "place:33.28.10") { name neighbours { nodes { id label } } }
}"""


# Reads the store's catalog and graph tables and the health source: all counted.
WARM_UP = """{ dinkesPasien(first: 1) { totalCount }
  graphNode(id: "place:33.28.10") { neighbours { nodes { id } } } }"""


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine (store or source) runs meanwhile."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (nested(8), "query depth"),
        (chained_fragments(8), "query depth"),
        (HIDDEN_ALIASES, "aliases exceed"),
        (INLINE_ALIASES, "aliases exceed"),
        (CIRCULAR, "Cannot spread fragment 'A' within itself"),
        (COSTLY, "estimated cost"),
        (HUGE_PAGE, "maximum page size"),
        (MANY_ROOTS, "root fields exceed"),
        (TOKENS, "more than 4000 tokens"),
    ],
    ids=[
        "deep",
        "deep-in-fragments",
        "aliases-in-fragment",
        "aliases-inline",
        "circular-fragments",
        "cost",
        "page-size",
        "root-fields",
        "tokens",
    ],
)
async def test_hostile_operations_are_rejected_before_any_statement(
    secured: SecuredClient, statements: list[str], document: str, problem: str
) -> None:
    await secured.data(WARM_UP, ANALYST)
    assert statements, "the listener must see the statements an accepted query runs"
    statements.clear()

    body = await secured.execute(document, ANALYST)

    assert statements == []
    assert body.get("data") is None, body
    assert problem in body["errors"][0]["message"]


async def test_realistic_dashboard_query_passes(secured: SecuredClient) -> None:
    data = await secured.data(DASHBOARD, ANALYST)

    assert len(data["regencies"]["nodes"]) == data["regencies"]["totalCount"] > 0
    assert len(data["prices"]["nodes"]) == 50
    assert data["patients"] == [
        {"key": {"kode_kecamatan": "33.28.10"}, "count": data["patients"][0]["count"]}
    ]
    assert data["place"]["name"] == "Slawi"


def test_cost_multiplies_nested_lists_through_fragments() -> None:
    schema = build_schema()._schema
    document = _parse(
        """query ($n: Int) { auditEvents(first: $n) { ...E } }
        fragment E on AuditEvent { id datasets }"""
    )

    analysis = analyse_operation(schema, document, QueryLimits(), variables={"n": 40})

    assert analysis.cost == 40
    assert analysis.depth == 2
    assert not analysis.problems


def test_every_problem_is_reported_at_once() -> None:
    schema = build_schema()._schema
    limits = QueryLimits(max_depth=2, max_aliases=1, max_root_fields=1)
    document = _parse(
        '{ a: graphNode(id: "x") { neighbours { nodes { id } } } b: version }'
    )

    with pytest.raises(QueryRejectedError) as raised:
        check_operation(schema, document, limits)

    assert len(raised.value.problems) == 3


def _parse(source: str) -> Any:
    from graphql import parse

    return parse(source)


def test_exponential_fragment_fan_out_is_cut_short() -> None:
    schema = build_schema()._schema
    fragments = [
        f"fragment F{i} on GraphNode {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30)
    ]
    fragments.append("fragment F30 on GraphNode { id }")
    document = _parse('{ graphNode(id: "x") { ...F0 } }\n' + "\n".join(fragments))

    analysis = analyse_operation(schema, document, QueryLimits())

    assert "the operation is too large to analyse" in analysis.problems
