"""Every read path for every role: rows, relations, aggregates, search, profiles, graph.

The app runs over the real agency databases and the FEBRL clinic registry with
the store on SQLite and the embedded graph, on PostgreSQL with Neo4j, and on
PostgreSQL with the embedded graph (its JSONB property queries). The embedded
pair needs no server (its agency databases are SQLite files too); the others
skip without their servers locally and fail with ``CI=true``.
``dinkes.pasien`` is terbatas (analyst, steward; analysts see their district)
with personal columns, ``dinsos.penduduk_miskin`` tertutup, the rest terbuka.
Real vaccine tweets are ``social.posts`` (terbatas for analyst, steward and
agency; private authors' pseudonyms shown to analysts only) and a marketplace
snapshot ``market.listings`` (terbatas for analysts).

Expectations are computed from the fixtures through the policy's primitives
(``can_read``, ``row_filter``, ``mask_row``), never written out: if the policy
file or catalog levels change, the expectations follow. The graph answers
(paths, neighbourhoods, counts) are recomputed here over the fixture graph in
plain Python, so they check the server's graph filtering independently.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from analytics.sentiment import SentimentModel
from app.factory import create_app
from app.social_setup import SOCIAL_SERVICE
from connectors.base import Aggregate, AggregateQuery, RowQuery
from connectors.market import MarketConnector
from connectors.regency_names import RegencyNameResolver
from graph.base import EdgeInput, NodeInput
from graph.neo4j_store import Neo4jGraphStore
from indonesian.text import fold
from resolvers.context import Services
from security.access_index import AccessIndex
from security.filters import matches
from security.masking import HIDDEN, mask_text, mask_value
from security.policy import AccessPolicy, DatasetAccess
from security.principal import ANONYMOUS, Principal
from store.catalog import Dataset, Source
from store.engine import transaction
from store.linking import LinkAssignment, LinkEntity, LinkReview
from store.migrate import upgrade_store_async
from store.social import SocialPost
from tests.app.conftest import make_settings, neo4j_overrides, open_client
from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    clear_neo4j,
    require_service,
)
from tests.connectors.agency_databases import (
    build_dinsos,
    build_dkpp,
    build_dpmdes,
    sources_yaml,
)
from tests.connectors.conftest import AgencySources
from tests.market_support import WILAYAH, write_csv
from tests.security.conftest import (
    JWT_SECRET,
    POLICY,
    SecuredClient,
    apply_catalog_levels,
    sources_with_health,
    token,
)
from tests.security.health_registry import build_health_registry
from tests.social_support import (
    VACCINE_CONFIG,
    read_posts,
    trained_sentiment,
    vaccine_config,
)

__all__ = ["trained_sentiment"]

PASIEN = "dinkes.pasien"
SOCIAL_POSTS = "social.posts"
MARKET_LISTINGS = "market.listings"
HOUSEHOLD = (
    "entity:organisation:household"  # linked to a record of the tertutup dataset
)
VACCINE_TWEETS = ("vaksin-covid-tweets-2021", "sample-data.csv")
POSTS = 60
SEEN = datetime(2025, 9, 15, 3, tzinfo=UTC)
SNAPSHOT = [
    {"product_id": f"p{i}", "name": name, "shop_name": shop, "shop_location": place,
     "category": "Makanan", "price": price, "sold": sold}
    for i, (name, shop, place, price, sold) in enumerate([
        ("Beras Pandan Wangi 5 kg", "Toko Slawi", "Kab. Tegal", "75000", "1.250"),
        ("Gula Pasir 1 kg", "Grosir Adiwerna", "Kab. Tegal", "17500", "2rb+ terjual"),
        ("Kopi Tubruk 250 g", "Kopi Brebes", "Kab. Brebes", "25000", "300"),
    ])
]  # fmt: skip
MISKIN = "dinsos.penduduk_miskin"
SLAWI, MARGASARI = "33.28.10", "33.28.01"
PLACES = {SLAWI: "Slawi", MARGASARI: "Margasari"}
FIELDS = ("id", "nik", "nama_pasien", "no_hp", "email", "kode_kecamatan")


@dataclass(frozen=True)
class Role:
    name: str
    principal: Principal
    bearer: str | None


ROLES = (
    Role("admin", Principal("t", frozenset({"admin"})), token("admin")),
    Role("steward", Principal("t", frozenset({"steward"})), token("steward")),
    Role(
        "agency",
        Principal("t", frozenset({"agency"}), agency="dinkes"),
        token("agency", agency="dinkes"),
    ),
    Role(
        "analyst",
        Principal("t", frozenset({"analyst"}), attributes={"district": SLAWI}),
        token("analyst", district=SLAWI),
    ),
    Role("public", ANONYMOUS, None),
)


@dataclass
class GraphFixture:
    nodes: dict[str, NodeInput]
    edges: list[EdgeInput]
    patients: dict[str, dict[str, Any]]  # record id -> patient row


@dataclass
class Matrix:
    client: SecuredClient
    graph: GraphFixture
    index: AccessIndex
    policy: AccessPolicy
    catalog: list[tuple[int, str, str]]  # (id, source, dataset)
    miskin_count: int
    posts: list[SocialPost]  # as ingestion stored them
    post_nodes: set[str]  # posts with a graph node (they mention a tracked brand)


def record_id(dataset: str, key: Any) -> str:
    source, name = dataset.split(".")
    return f"record:{source}/{name}/{key}"


def build_graph(
    patients: list[dict[str, Any]], poor: list[dict[str, Any]], miskin_id: int
) -> GraphFixture:
    """Patients of two kecamatan linked to person entities, plus a tertutup bridge.

    Each place is reached from the other in two hops through a record of the
    tertutup dataset, and in four hops through visible nodes only. The tertutup
    dataset's own node (as place linking writes it) refers to Slawi; a news
    post mentions both clinics.
    """
    nodes: dict[str, NodeInput] = {}
    edges: list[EdgeInput] = []
    rows: dict[str, dict[str, Any]] = {}
    for code, name in PLACES.items():
        nodes[f"place:{code}"] = NodeInput(
            f"place:{code}", "Entity", name, "place", {"code": code}
        )
    for code in PLACES:
        for patient in [p for p in patients if p["kode_kecamatan"] == code][:2]:
            rid = record_id(PASIEN, patient["id"])
            entity = f"entity:person:{patient['id']}"
            props = {
                "source": "dinkes",
                "dataset": "pasien",
                "key": [str(patient["id"])],
            }
            nodes[rid] = NodeInput(
                rid, "Record", patient["nama_pasien"], "person",
                {**props, **{k: patient[k] for k in FIELDS if k != "id"}},
            )  # fmt: skip
            nodes[entity] = NodeInput(
                entity,
                "Entity",
                patient["nama_pasien"],
                "person",
                {"region_code": code},
            )
            evidence = {
                "name": {"level": "exact", "match_weight": 9.5,
                         "values": [patient["nama_pasien"]] * 2},
                "blocked_by": "name",
            }  # fmt: skip
            edges += [
                EdgeInput("REFERS_TO", rid, entity, {**props, "evidence": evidence}),
                EdgeInput("LOCATED_IN", entity, f"place:{code}"),
            ]
            rows[rid] = patient
    bridge = record_id(MISKIN, poor[0]["id"])
    nodes[bridge] = NodeInput(
        bridge, "Record", "rumah tangga", "organisation",
        {"source": "dinsos", "dataset": "penduduk_miskin", "key": [str(poor[0]["id"])]},
    )  # fmt: skip
    edges += [EdgeInput("LOCATED_IN", bridge, f"place:{code}") for code in PLACES]
    household = NodeInput(HOUSEHOLD, "Entity", "Rumah tangga", "organisation", {})
    nodes[household.id] = household
    edges.append(EdgeInput("REFERS_TO", bridge, household.id, nodes[bridge].properties))
    miskin = NodeInput(
        f"dataset:{miskin_id}", "Dataset", "Penduduk miskin", None,
        {"dataset_id": miskin_id},
    )  # fmt: skip
    nodes[miskin.id] = miskin
    edges.append(EdgeInput("REFERS_TO", miskin.id, f"place:{SLAWI}", key="kode"))
    post = NodeInput("post:news:1", "Post", "Berita", None, {})
    clinics = [
        NodeInput(f"entity:organisation:{c}", "Entity", f"Puskesmas {n}", "organisation", {})
        for c, n in PLACES.items()
    ]  # fmt: skip
    nodes.update({node.id: node for node in [post, *clinics]})
    for clinic, code in zip(clinics, PLACES, strict=True):
        edges += [
            EdgeInput("LOCATED_IN", clinic.id, f"place:{code}"),
            EdgeInput("MENTIONS", post.id, clinic.id),
        ]
    return GraphFixture(nodes, edges, rows)


@pytest.fixture(
    scope="module",
    params=["sqlite-embedded", "postgresql-neo4j", "postgresql-embedded"],
)
async def matrix(
    request: pytest.FixtureRequest,
    shared_data: Path,
    tmp_path_factory: pytest.TempPathFactory,
    trained_sentiment: tuple[SentimentModel, Path],
) -> AsyncIterator[Matrix]:
    """The app per backend pair; the embedded defaults need no server at all.

    On the PostgreSQL pairs the store, and the dinsos agency database, are
    PostgreSQL databases; a missing server skips them locally and fails in CI.
    """
    folder = tmp_path_factory.mktemp("matrix")
    (folder / "models").mkdir()
    shutil.copy(trained_sentiment[1], folder / "models" / "sentiment.joblib")
    admin_url = None
    if request.param != "sqlite-embedded":
        admin_url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
    overrides = neo4j_overrides() if request.param.endswith("neo4j") else {}
    databases: list[str] = []
    try:
        store_url = await _new_database(admin_url, folder / "store.db", databases)
        dinsos_url = await _new_database(admin_url, folder / "dinsos.db", databases)
        agencies = await _build_agencies(folder, shared_data, dinsos_url)
        dinkes_url = f"sqlite+aiosqlite:///{folder / 'dinkes.db'}"
        patients = await build_health_registry(dinkes_url, shared_data)
        config = folder / "sources.yaml"
        sources = sources_with_health(agencies, dinkes_url)
        config.write_text(sources + VACCINE_CONFIG, "utf-8")
        policy_file = folder / "policy.yaml"
        policy_file.write_text(POLICY, "utf-8")
        await upgrade_store_async(store_url)
        settings = make_settings(
            folder, store_url=store_url, config=config,
            access_policy_file=policy_file, jwt_secret=JWT_SECRET, **overrides,
        )  # fmt: skip
        app = create_app(settings)
        async for http in open_client(app):
            client = SecuredClient(app, http, patients, request.param)
            yield await _prepare(client, shared_data, folder)
            if isinstance(client.services.graph, Neo4jGraphStore):
                await clear_neo4j(client.services.graph)
    finally:
        for url in databases:
            assert admin_url is not None
            await _drop_postgres_database(admin_url, url)


async def _new_database(admin_url: str | None, path: Path, created: list[str]) -> str:
    """A SQLite file at ``path``, or a new PostgreSQL database (noted in ``created``)."""
    if admin_url is None:
        return f"sqlite+aiosqlite:///{path}"
    created.append(await _create_postgres_database(admin_url))
    return created[-1]


async def _build_agencies(
    folder: Path, shared_data: Path, dinsos_url: str
) -> AgencySources:
    dpmdes_url = f"sqlite+aiosqlite:///{folder / 'dpmdes.db'}"
    dkpp_url = f"sqlite+aiosqlite:///{folder / 'dkpp.db'}"
    await build_dpmdes(dpmdes_url, shared_data)
    await build_dinsos(dinsos_url, shared_data)
    await build_dkpp(dkpp_url, shared_data)
    config = folder / "agencies.yaml"
    config.write_text(sources_yaml(dpmdes_url, dinsos_url, dkpp_url), "utf-8")
    return AgencySources(dpmdes_url, dinsos_url, dkpp_url, config)


async def _prepare(client: SecuredClient, shared_data: Path, folder: Path) -> Matrix:
    services = client.services
    if isinstance(services.graph, Neo4jGraphStore):
        await clear_neo4j(services.graph)
    await apply_catalog_levels(services)
    dinsos = services.extras["sources"].get("dinsos")
    poor = (await dinsos.query(RowQuery(dataset="penduduk_miskin", limit=1))).rows
    count = await dinsos.aggregate(
        AggregateQuery("penduduk_miskin", (Aggregate("count"),))
    )
    catalog = await _catalog(services)
    miskin_id = next(i for i, s, n in catalog if f"{s}.{n}" == MISKIN)
    graph = build_graph(client.patients, poor, miskin_id)
    await services.graph.upsert_nodes(list(graph.nodes.values()))
    await services.graph.upsert_edges(graph.edges)
    await _store_links(services, graph)
    posts = read_posts(shared_data.joinpath(*VACCINE_TWEETS), "twitter")[:POSTS]
    await services.extras[SOCIAL_SERVICE].ingest(
        posts, kind="social", input_name="vaksin", input_checksum=None
    )
    regions = RegencyNameResolver.from_file(shared_data.joinpath(*WILAYAH))
    market = MarketConnector(
        "market:tokopedia", services.sessions, marketplace="tokopedia", regions=regions
    )
    await market.ingest(write_csv(folder / "snapshot.csv", SNAPSHOT), observed_at=SEEN)
    assert services.security is not None
    index = await services.security.access.get()
    stored = await _stored_posts(services)
    post_nodes = await _add_post_graph(services, graph, stored)
    return Matrix(
        client, graph, index, services.security.policy,
        catalog, int(count[0]["count__all"]), stored, post_nodes,
    )  # fmt: skip


async def _add_post_graph(
    services: Services, graph: GraphFixture, posts: list[SocialPost]
) -> set[str]:
    """Add what ingestion wrote to the graph (post nodes, mentions, brands) to ``graph``.

    Returns the ids of the post nodes: only posts that mention a brand have one.
    """
    found = await services.graph.list_nodes([post_id(post) for post in posts])
    nodes = [node for node in found if node is not None]
    for node in nodes:
        for edge in await services.graph.list_edges(node.id, direction="out"):
            graph.edges.append(EdgeInput(edge.type, edge.source_id, edge.target_id))
    brands = {brand.node_id for brand in vaccine_config().tracked_entities}
    ends = ({edge.target_id for edge in graph.edges} | brands) - set(graph.nodes)
    for node in [*nodes, *await services.graph.list_nodes(sorted(ends))]:
        assert node is not None
        graph.nodes[node.id] = NodeInput(
            node.id, node.label, node.name, node.kind, dict(node.properties)
        )
    return {node.id for node in nodes}


async def _stored_posts(services: Services) -> list[SocialPost]:
    async with services.sessions() as session:
        return list(await session.scalars(select(SocialPost)))


def review_pairs(graph: GraphFixture) -> list[tuple[str, str]]:
    """Candidate pairs for review: patients with each other and with the bridge."""
    patients = sorted(graph.patients)
    bridge = next(i for i in graph.nodes if i.startswith("record:dinsos/"))
    return [*pairwise(patients), (patients[0], bridge)]


async def _store_links(services: Services, graph: GraphFixture) -> None:
    """What linking keeps in the store for the fixture graph: entities, links, reviews."""
    async with transaction(services.sessions) as session:
        for rid, patient in graph.patients.items():
            entity = f"entity:person:{patient['id']}"
            session.add(LinkEntity(
                id=entity, kind="person", name=patient["nama_pasien"],
                search_name=fold(patient["nama_pasien"]),
                region_code=patient["kode_kecamatan"], record_count=1,
            ))  # fmt: skip
            session.add(LinkAssignment(
                record_id=rid, entity_id=entity, source="dinkes", dataset="pasien",
                record_key=[str(patient["id"])], kind="person",
                name=patient["nama_pasien"], method="test",
            ))  # fmt: skip
        bridge = next(i for i in graph.nodes if i.startswith("record:dinsos/"))
        session.add(LinkEntity(
            id=HOUSEHOLD, kind="organisation", name="Rumah tangga",
            search_name=fold("Rumah tangga"), record_count=1,
        ))  # fmt: skip
        session.add(LinkAssignment(
            record_id=bridge, entity_id=HOUSEHOLD, source="dinsos",
            dataset="penduduk_miskin", record_key=graph.nodes[bridge].properties["key"],
            kind="organisation", name="Rumah tangga", method="test",
        ))  # fmt: skip
        for i, (left, right) in enumerate(review_pairs(graph)):
            names = [graph.nodes[left].name, graph.nodes[right].name]
            session.add(LinkReview(
                id=f"review-{i}", record_id=left, candidate_record_id=right,
                kind="person", reason="uncertain", score=0.5 + i / 10,
                evidence={"name": {"level": "fuzzy", "match_weight": 1.0,
                                   "values": names}},
            ))  # fmt: skip


async def _catalog(services: Services) -> list[tuple[int, str, str]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(Dataset.id, Source.name, Dataset.name).join(Source)
        )
        return [(int(a), str(b), str(c)) for a, b, c in rows.all()]


# --- what the policy says each role sees ------------------------------------------


def access(m: Matrix, key: str) -> DatasetAccess:
    return m.index.get_key(key)


def visible_rows(m: Matrix, role: Role) -> list[dict[str, Any]] | None:
    """The patient rows ``role`` gets, masked; ``None`` when the dataset is refused."""
    ds = access(m, PASIEN)
    if not m.policy.can_read(role.principal, ds):
        return None
    rule = m.policy.row_filter(role.principal, ds)
    return [
        m.policy.mask_row(role.principal, ds, {k: p[k] for k in FIELDS})
        for p in m.client.patients
        if rule is None or matches(rule, p)
    ]


def record_visible(m: Matrix, role: Role, node: NodeInput) -> bool:
    """Whether ``role`` sees a node: records, posts and dataset nodes by their dataset."""
    props = node.properties
    if node.label == "Post":
        return m.policy.can_read(role.principal, access(m, SOCIAL_POSTS))
    if node.label == "Dataset":
        (key,) = [f"{s}.{n}" for i, s, n in m.catalog if i == props["dataset_id"]]
        return m.policy.can_read(role.principal, access(m, key))
    if node.label != "Record":
        return True
    ds = access(m, f"{props['source']}.{props['dataset']}")
    if not m.policy.can_read(role.principal, ds):
        return False
    rule = m.policy.row_filter(role.principal, ds)
    return rule is None or matches(rule, dict(props))


def hides_personal(m: Matrix, role: Role, key: str) -> bool:
    ds = access(m, key)
    has = any(column.personal for column in ds.columns.values())
    return has and not m.policy.sees_personal(role.principal, ds)


def shortest_visible_path(m: Matrix, role: Role, start: str, end: str) -> list[str]:
    shown = {i for i, n in m.graph.nodes.items() if record_visible(m, role, n)}
    around: dict[str, set[str]] = {}
    for edge in m.graph.edges:
        around.setdefault(edge.source_id, set()).add(edge.target_id)
        around.setdefault(edge.target_id, set()).add(edge.source_id)
    parents: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for there in sorted(around.get(here, ())):
            if there in shown and there not in parents:
                parents[there] = here
                queue.append(there)
    path, step = [], end if end in parents else None
    while step is not None:
        path.append(step)
        step = parents[step]
    return path[::-1]


# --- the read paths -----------------------------------------------------------------

ROWS = f"dinkesPasien(first: 1000) {{ totalCount nodes {{ {' '.join(FIELDS)} }} }}"


async def ask(m: Matrix, role: Role, document: str, **variables: Any) -> dict[str, Any]:
    return await m.client.execute(document, role.bearer, **variables)


def refused_field(body: dict[str, Any], field: str) -> bool:
    return any(
        f"Cannot query field '{field}'" in error["message"]
        for error in body.get("errors", [])
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_rows_and_aggregates(matrix: Matrix, role: Role) -> None:
    expected = visible_rows(matrix, role)

    body = await ask(matrix, role, f"{{ {ROWS} dinkesPasienAggregate {{ count }} }}")

    if expected is None:
        assert refused_field(body, "dinkesPasien"), body
        return
    assert "errors" not in body, body
    nodes = sorted(body["data"]["dinkesPasien"]["nodes"], key=lambda row: row["id"])
    assert nodes == sorted(expected, key=lambda row: row["id"])
    assert body["data"]["dinkesPasien"]["totalCount"] == len(expected)
    assert body["data"]["dinkesPasienAggregate"] == [{"count": len(expected)}]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_tertutup_aggregate(matrix: Matrix, role: Role) -> None:
    readable = matrix.policy.can_read(role.principal, access(matrix, MISKIN))

    body = await ask(matrix, role, "{ dinsosPendudukMiskinAggregate { count } }")

    if not readable:
        assert refused_field(body, "dinsosPendudukMiskinAggregate"), body
        return
    assert body["data"]["dinsosPendudukMiskinAggregate"] == [
        {"count": matrix.miskin_count}
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_relations(matrix: Matrix, role: Role) -> None:
    expected = visible_rows(matrix, role)
    document = "{ dinkesKecamatan(first: 50) { nodes { kode pasienList { id nik } } } }"

    body = await ask(matrix, role, document)

    if expected is None:
        # The relation to a hidden dataset is absent from the role's schema.
        assert refused_field(body, "pasienList"), body
        return
    listed = sorted(
        (row for node in body["data"]["dinkesKecamatan"]["nodes"]
         for row in node["pasienList"]),
        key=lambda row: row["id"],
    )  # fmt: skip
    assert listed == sorted(
        ({"id": row["id"], "nik": row["nik"]} for row in expected),
        key=lambda row: row["id"],
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_catalog_search_and_dataset(matrix: Matrix, role: Role) -> None:
    expected = sorted(
        (source, name)
        for _, source, name in matrix.catalog
        if matrix.policy.can_read(role.principal, matrix.index.get(source, name))
    )
    hidden = [i for i, s, n in matrix.catalog if (s, n) not in set(expected)]

    body = await ask(
        matrix, role, "{ datasets(first: 500) { totalCount items { source name } } }"
    )
    one = await ask(
        matrix, role, "query ($id: Int!) { dataset(id: $id) { id } }", id=hidden[0]
    ) if hidden else None  # fmt: skip

    page = body["data"]["datasets"]
    assert sorted((i["source"], i["name"]) for i in page["items"]) == expected
    assert page["totalCount"] == len(expected)
    if one is not None:
        assert one["data"] == {"dataset": None}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_dataset_profile(matrix: Matrix, role: Role) -> None:
    pasien_id = next(i for i, s, n in matrix.catalog if f"{s}.{n}" == PASIEN)
    expected = visible_rows(matrix, role)
    document = """query ($id: Int!) { dataset(id: $id) {
      profile { rows columns { name minimum maximum distinct } } } }"""

    body = await ask(matrix, role, document, id=pasien_id)

    if expected is None:
        assert body["data"] == {"dataset": None}
        return
    profile = body["data"]["dataset"]["profile"]
    assert profile["rows"] == len(expected)
    ds = access(matrix, PASIEN)
    raw = [p for p in matrix.client.patients if p["id"] in {r["id"] for r in expected}]
    for column in profile["columns"]:
        name = column["name"]
        if name not in FIELDS:
            continue
        assert column["distinct"] == len({p[name] for p in raw})
        if matrix.policy.is_masked(role.principal, ds, name):
            assert column["minimum"] is None
            assert column["maximum"] is None
        elif name != "id":
            assert column["minimum"] == min(p[name] for p in raw if p[name] is not None)


ENTITY = """query ($id: ID!) { entity(id: $id) {
  id name links { recordId evidence record { found row error } } } }"""


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_entity_records(matrix: Matrix, role: Role) -> None:
    for rid, patient in matrix.graph.patients.items():
        entity_id = f"entity:person:{patient['id']}"
        shown = record_visible(matrix, role, matrix.graph.nodes[rid])
        masked = hides_personal(matrix, role, PASIEN)

        body = await ask(matrix, role, ENTITY, id=entity_id)

        assert "errors" not in body, body
        entity = body["data"]["entity"]
        name = patient["nama_pasien"]
        assert entity["name"] == (
            mask_value("person_name", name) if masked or not shown else name
        )
        if not shown:
            assert entity["links"] == []
            continue
        (link,) = entity["links"]
        assert link["recordId"] == rid
        assert ("values" in link["evidence"]["name"]) is not masked
        row = visible_rows(matrix, role)
        assert row is not None
        expected = next(r for r in row if r["id"] == patient["id"])
        assert {k: link["record"]["row"][k] for k in FIELDS} == expected


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_entity_records_of_a_tertutup_dataset(matrix: Matrix, role: Role) -> None:
    bridge = next(i for i in matrix.graph.nodes if i.startswith("record:dinsos/"))
    readable = matrix.policy.can_read(role.principal, access(matrix, MISKIN))

    body = await ask(matrix, role, ENTITY, id=HOUSEHOLD)

    assert "errors" not in body, body
    links = body["data"]["entity"]["links"]
    assert [link["recordId"] for link in links] == ([bridge] if readable else [])
    if readable:
        key = matrix.graph.nodes[bridge].properties["key"][0]
        assert str(links[0]["record"]["row"]["id"]) == key


GRAPH_NODE = "query ($id: ID!) { graphNode(id: $id) { id name properties } }"
NEIGHBOURS = """query ($id: ID!) { graphNode(id: $id) {
  neighbours(depth: 2) { nodes { id } edges { sourceId targetId } } } }"""
PATH = """query ($a: ID!, $b: ID!) {
  graphPath(from: $a, to: $b) { nodes { id } }
  path(from: $a, to: $b) { nodes { id } } }"""
STATS = """{ graphStats { all: nodes records: nodes(label: "Record")
  datasets: nodes(label: "Dataset") posts: nodes(label: "Post") } }"""
GUARDED_LABELS = ("Record", "Dataset", "Post")


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_graph_nodes_neighbours_paths_and_counts(
    matrix: Matrix, role: Role
) -> None:
    graph = matrix.graph
    shown = {i for i, n in graph.nodes.items() if record_visible(matrix, role, n)}
    guarded = [i for i, n in graph.nodes.items() if n.label in GUARDED_LABELS]
    start = f"place:{SLAWI}"

    stats = await ask(matrix, role, STATS)
    path = await ask(matrix, role, PATH, a=start, b=f"place:{MARGASARI}")
    around = await ask(matrix, role, NEIGHBOURS, id=start)
    singles = {rid: await ask(matrix, role, GRAPH_NODE, id=rid) for rid in guarded}

    assert stats["data"]["graphStats"] == {"all": len(shown)} | {
        name: sum(1 for i in shown if graph.nodes[i].label == label)
        for name, label in (("records", "Record"), ("datasets", "Dataset"),
                            ("posts", "Post"))
    }  # fmt: skip
    expected_path = shortest_visible_path(matrix, role, start, f"place:{MARGASARI}")
    for field in ("graphPath", "path"):
        found = path["data"][field] or {"nodes": []}
        assert [n["id"] for n in found["nodes"]] == expected_path
    reach = _within(graph, shown, start, 2)
    got = {n["id"] for n in around["data"]["graphNode"]["neighbours"]["nodes"]}
    assert got == reach
    for rid, body in singles.items():
        node = body["data"]["graphNode"]
        assert (node is not None) == (rid in shown)
        if node is not None and rid in graph.patients:
            expected = visible_rows(matrix, role)
            assert expected is not None
            row = next(r for r in expected if r["id"] == graph.patients[rid]["id"])
            assert node["properties"]["nik"] == row["nik"]
            assert node["name"] == row["nama_pasien"]


def _within(graph: GraphFixture, shown: set[str], start: str, depth: int) -> set[str]:
    seen, frontier = {start}, {start}
    for _ in range(depth):
        step: set[str] = set()
        for edge in graph.edges:
            for a, b in (
                (edge.source_id, edge.target_id),
                (edge.target_id, edge.source_id),
            ):
                if a in frontier and b in shown and b not in seen:
                    step.add(b)
        seen |= step
        frontier = step
    return seen


async def test_portals_list_what_the_public_role_sees(matrix: Matrix) -> None:
    public = ROLES[-1]
    expected = sum(
        1 for _, s, n in matrix.catalog
        if matrix.policy.can_read(public.principal, matrix.index.get(s, n))
    )  # fmt: skip

    listed = (await matrix.client.http.get("/api/3/action/package_list")).json()
    dcat = (await matrix.client.http.get("/catalog.jsonld")).json()

    assert len(listed["result"]) == expected
    assert len(_dcat_datasets(dcat)) == expected


def _dcat_datasets(document: Any) -> list[Any]:
    datasets: list[Any] = document["dcat:dataset"]
    return datasets


SEARCH = """query ($s: String) {
  entities(search: $s, kind: "person") { total items { id name } } }"""
REVIEWS = "{ reviewQueue(limit: 50) { recordId candidateRecordId evidence } }"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_entity_search_finds_people_only_where_names_show(
    matrix: Matrix, role: Role
) -> None:
    ds = access(matrix, PASIEN)
    shows = matrix.policy.can_read(role.principal, ds) and not hides_personal(
        matrix, role, PASIEN
    )

    for patient in matrix.graph.patients.values():
        body = await ask(matrix, role, SEARCH, s=patient["nama_pasien"])

        found = [item["id"] for item in body["data"]["entities"]["items"]]
        assert (f"entity:person:{patient['id']}" in found) is shows


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_review_queue(matrix: Matrix, role: Role) -> None:
    graph = matrix.graph
    expected = [
        (left, right)
        for left, right in review_pairs(graph)
        if record_visible(matrix, role, graph.nodes[left])
        and record_visible(matrix, role, graph.nodes[right])
    ]

    body = await ask(matrix, role, REVIEWS)

    items = body["data"]["reviewQueue"]
    assert sorted((i["recordId"], i["candidateRecordId"]) for i in items) == sorted(
        expected
    )
    masked = hides_personal(matrix, role, PASIEN)
    for item in items:
        assert ("values" in item["evidence"]["name"]) is not masked


# --- published content: posts and listings ---------------------------------------

POSTS_PAGE = """{ posts(limit: 500) { total items { id author authorHashed title text url } }
  influencers(limit: 100) { author authorHashed }
  issueBreakdown { issue posts } }"""
SEARCH_POSTS = """query ($q: String!) {
  searchPosts(query: $q, limit: 10) { post { id author text url } } }"""
TEXT_FILTER = "query ($t: String) { posts(filter: {text: $t}) { total } }"
HANDLE = re.compile(r"@\w+")


def post_id(post: SocialPost) -> str:
    return f"post:{post.platform}:{post.post_id}"


def personal_of_posts(m: Matrix) -> set[str]:
    """What identifies private people in the posts: pseudonyms, their URLs, @handles."""
    hashed = [post for post in m.posts if post.author_hashed]
    found = {str(post.author) for post in hashed} | {
        str(p.url) for p in hashed if p.url
    }
    for post in m.posts:
        found |= set(HANDLE.findall(post.text))
    return found


def expected_post(m: Matrix, role: Role, post: SocialPost) -> dict[str, Any]:
    ds = access(m, SOCIAL_POSTS)
    hides = m.policy.is_masked(role.principal, ds, "author")
    hides_text = m.policy.is_masked(role.principal, ds, "text")
    hidden_author = hides and post.author_hashed
    return {
        "id": post_id(post),
        "author": HIDDEN if hidden_author else post.author,
        "authorHashed": post.author_hashed,
        "title": mask_text(post.title) if hides_text else post.title,
        "text": mask_text(post.text) if hides_text else post.text,
        "url": None if hidden_author else post.url,
    }


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_posts_and_accounts_mask_private_people(
    matrix: Matrix, role: Role
) -> None:
    ds = access(matrix, SOCIAL_POSTS)
    hides = hides_personal(matrix, role, SOCIAL_POSTS)
    personal = personal_of_posts(matrix)

    body = await ask(matrix, role, POSTS_PAGE)

    if not matrix.policy.can_read(role.principal, ds):
        assert refused_field(body, "posts"), body
        assert refused_field(body, "influencers"), body
        return
    assert "errors" not in body, body
    page = body["data"]["posts"]
    assert page["total"] == len(matrix.posts)
    assert sorted(page["items"], key=lambda item: item["id"]) == sorted(
        (expected_post(matrix, role, post) for post in matrix.posts),
        key=lambda item: item["id"],
    )
    authors = {item["author"] for item in body["data"]["influencers"]}
    assert authors <= {expected_post(matrix, role, p)["author"] for p in matrix.posts}
    shown = json.dumps(body, ensure_ascii=False)
    assert personal
    assert any(value in shown for value in personal) is not hides


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_search_and_post_nodes_mask_alike(matrix: Matrix, role: Role) -> None:
    ds = access(matrix, SOCIAL_POSTS)
    hides = hides_personal(matrix, role, SOCIAL_POSTS)
    mentioning = next(
        p for p in matrix.posts
        if post_id(p) in matrix.post_nodes and HANDLE.search(p.text[:100])
    )  # fmt: skip

    words = re.sub(r"@\w+|\d+", " ", mentioning.text)
    handle = HANDLE.findall(mentioning.text)[0]

    hits = await ask(matrix, role, SEARCH_POSTS, q=words)
    node = await ask(matrix, role, GRAPH_NODE, id=post_id(mentioning))
    probes = [
        await ask(matrix, role, SEARCH_POSTS, q=handle),
        await ask(matrix, role, TEXT_FILTER, t=handle),
    ]

    if not matrix.policy.can_read(role.principal, ds):
        assert refused_field(hits, "searchPosts"), hits
        assert node["data"]["graphNode"] is None
        return
    for probe in probes:
        refused = "not allowed" in str(probe.get("errors"))
        assert refused is hides, probe
    found = [hit["post"] for hit in hits["data"]["searchPosts"]]
    assert found[0]["id"] == post_id(mentioning)
    for item in found:
        post = next(p for p in matrix.posts if post_id(p) == item["id"])
        expected = expected_post(matrix, role, post)
        assert item == {k: expected[k] for k in ("id", "author", "text", "url")}
    shown = node["data"]["graphNode"]
    raw_name = mentioning.text[:120]
    assert shown["name"] == (mask_text(raw_name) if hides else raw_name)
    assert (HANDLE.findall(raw_name)[0] in shown["name"]) is not hides
    assert (shown["properties"]["url"] is None) is (hides and mentioning.author_hashed)


LISTINGS = """{ listings(limit: 100) { total items { title shop } }
  localSellers(region: "33.28") { shop } }"""


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
async def test_listings_follow_their_access_level(matrix: Matrix, role: Role) -> None:
    readable = matrix.policy.can_read(role.principal, access(matrix, MARKET_LISTINGS))

    body = await ask(matrix, role, LISTINGS)

    if not readable:
        assert refused_field(body, "listings"), body
        assert refused_field(body, "localSellers"), body
        return
    assert "errors" not in body, body
    listed = body["data"]["listings"]
    assert listed["total"] == len(SNAPSHOT)
    assert sorted(i["title"] for i in listed["items"]) == sorted(
        row["name"] for row in SNAPSHOT
    )
