import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import linking.pipeline as pipeline_module
from graph.base import GraphStore
from graph.embedded import EmbeddedGraphStore
from graph.neo4j_store import Neo4jGraphStore
from linking.decisions import DecisionService
from linking.pipeline import LinkingPipeline
from linking.records import LinkRecord
from linking.state import list_assignments
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async
from tests.conftest import clear_neo4j, neo4j_settings
from tests.linking.febrl import febrl_pair, truth_of
from tests.linking.test_engine import FEBRL_CONFIG


@pytest.fixture
async def pipeline(store_engine: AsyncEngine) -> AsyncIterator[LinkingPipeline]:
    graph = EmbeddedGraphStore(store_engine)
    await graph.start()
    return LinkingPipeline(
        create_session_factory(store_engine), graph, config=FEBRL_CONFIG
    )


async def graph_groups(
    graph: GraphStore, records: list[LinkRecord]
) -> dict[str, list[str]]:
    """Entity id -> record ids, read back from the graph's REFERS_TO edges."""
    groups: dict[str, list[str]] = defaultdict(list)
    for record in records:
        edges = await graph.list_edges(record.id, types=["REFERS_TO"], direction="out")
        assert len(edges) == 1, f"{record.id} refers to {len(edges)} entities"
        groups[edges[0].target_id].append(record.id)
    return {entity: sorted(ids) for entity, ids in groups.items()}


async def test_a_rerun_with_one_new_file_changes_no_entity_id(
    pipeline: LinkingPipeline, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=300)
    first = await pipeline.run(left + right[:150])
    new_file = [LinkRecord(**{**r.__dict__, "dataset": "b2"}) for r in right[150:]]

    second = await pipeline.run(left + right[:150] + new_file)

    for record_id, entity_id in first.entity_of.items():
        assert second.entity_of[record_id] == entity_id
    truth = truth_of(left)
    joined = sum(
        1
        for record in new_file
        if any(
            first.entity_of[a.id] == second.entity_of[record.id]
            for a in left
            if truth[a.id] == record.key[0].split("-")[1]
        )
    )
    assert second.new_links == len(new_file)
    assert joined >= 0.97 * len(new_file)


async def test_rejected_stays_rejected_and_accepted_stays_accepted(
    pipeline: LinkingPipeline, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=200)
    records = left + right
    report = await pipeline.run(records)
    members = defaultdict(list)
    for record_id, entity_id in report.entity_of.items():
        members[entity_id].append(record_id)
    pairs = [sorted(ids) for ids in members.values() if len(ids) == 2]
    rejected_record, rejected_entity = pairs[0][1], report.entity_of[pairs[0][1]]
    accepted_record, accepted_entity = pairs[1][1], report.entity_of[pairs[1][1]]
    decisions = DecisionService(pipeline.sessions, pipeline.graph)

    await decisions.reject_link(rejected_record, rejected_entity, "reviewer:ani")
    await decisions.accept_link(accepted_record, accepted_entity, "reviewer:ani")
    again = await pipeline.run(records)

    assert again.entity_of[rejected_record] != rejected_entity
    assert again.entity_of[pairs[0][0]] == rejected_entity
    assert again.entity_of[accepted_record] == accepted_entity
    edges = await pipeline.graph.list_edges(accepted_record, types=["REFERS_TO"])
    assert [e.target_id for e in edges] == [accepted_entity]
    assert edges[0].properties["status"] == "accepted"
    assert edges[0].properties["decided_by"] == "reviewer:ani"
    assert await pipeline.graph.list_edges(
        rejected_record, types=["REFERS_TO"], direction="out"
    ) == [
        e
        for e in await pipeline.graph.list_edges(rejected_record, types=["REFERS_TO"])
        if e.target_id == again.entity_of[rejected_record]
    ]


async def test_merge_and_split_survive_a_rerun(
    pipeline: LinkingPipeline, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=120)
    records = left + right
    report = await pipeline.run(records)
    members = defaultdict(list)
    for record_id, entity_id in report.entity_of.items():
        members[entity_id].append(record_id)
    one, two, three = [e for e, ids in sorted(members.items()) if len(ids) == 2][:3]
    decisions = DecisionService(pipeline.sessions, pipeline.graph)

    kept = await decisions.merge_entities(one, two, "reviewer:budi")
    split_off = await decisions.split_entity(
        three, [sorted(members[three])[0]], "reviewer:budi"
    )
    again = await pipeline.run(records)

    assert kept == one
    assert {again.entity_of[r] for r in members[one] + members[two]} == {one}
    assert again.entity_of[sorted(members[three])[0]] == split_off
    assert again.entity_of[sorted(members[three])[1]] == three


async def test_every_refers_to_link_carries_provenance(
    pipeline: LinkingPipeline, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=100)

    await pipeline.run(left + right)

    groups = await graph_groups(pipeline.graph, left + right)
    for entity_id in groups:
        for edge in await pipeline.graph.list_edges(entity_id, types=["REFERS_TO"]):
            props = edge.properties
            assert {
                "source",
                "dataset",
                "key",
                "method",
                "model_version",
                "score",
                "evidence",
                "status",
                "decided_by",
                "decided_at",
            } <= set(props)
            assert props["source"] == "febrl"
            if props["method"] != "singleton":
                assert props["score"] >= 0.9
                assert props["evidence"]["matched_record"].startswith("record:febrl/")


async def test_concurrent_runs_create_no_duplicates(
    pipeline: LinkingPipeline, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=100)
    records = left + right

    first, second = await asyncio.gather(pipeline.run(records), pipeline.run(records))

    assert first.entity_of == second.entity_of
    entities = set(first.entity_of.values())
    assert await pipeline.graph.count_nodes("Entity") == len(entities)
    assert await pipeline.graph.count_nodes("Record") == len(records)


async def test_a_run_overtaken_by_another_builds_on_its_entities(
    pipeline: LinkingPipeline, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    left, right = febrl_pair(shared_data, below=100)
    real_load = pipeline_module.load_engine_state
    overtaken = []

    async def load_then_let_another_run_finish(sessions: Any) -> Any:
        state = await real_load(sessions)
        if not overtaken:
            overtaken.append(True)
            await pipeline.run(left[:50] + right)  # commits in between
        return state

    monkeypatch.setattr(
        pipeline_module, "load_engine_state", load_then_let_another_run_finish
    )

    report = await pipeline.run(left + right)

    stored = await list_assignments(pipeline.sessions, list(report.entity_of.values()))
    assert {row.record_id: row.entity_id for row in stored} == report.entity_of
    entities = set(report.entity_of.values())
    assert await pipeline.graph.count_nodes("Entity") == len(entities)
    groups = await graph_groups(pipeline.graph, left + right)
    assert set(groups) == entities
    assert sum(len(ids) == 2 for ids in groups.values()) >= 95


@pytest.fixture
async def neo4j_pipeline(store_engine: AsyncEngine) -> AsyncIterator[LinkingPipeline]:
    """A pipeline over the store (SQLite or PostgreSQL) and the real Neo4j."""
    uri, user, password = neo4j_settings()
    graph = Neo4jGraphStore(uri, user, password)
    await graph.start()
    await clear_neo4j(graph)
    yield LinkingPipeline(
        create_session_factory(store_engine), graph, config=FEBRL_CONFIG
    )
    await clear_neo4j(graph)
    await graph.close()


async def test_concurrent_runs_on_neo4j_create_no_duplicates(
    neo4j_pipeline: LinkingPipeline, shared_data: Path
) -> None:
    left, right = febrl_pair(shared_data, below=100)
    records = left + right

    reports = await asyncio.gather(*(neo4j_pipeline.run(records) for _ in range(3)))

    assert reports[0].entity_of == reports[1].entity_of == reports[2].entity_of
    graph = neo4j_pipeline.graph
    entities = set(reports[0].entity_of.values())
    assert await graph.count_nodes("Entity") == len(entities)
    assert await graph.count_nodes("Record") == len(records)
    groups = await graph_groups(graph, records)
    assert set(groups) == entities
    for entity_id in entities:
        edges = await graph.list_edges(entity_id, types=["REFERS_TO"], direction="in")
        assert len(edges) == len({e.id for e in edges}) == len(groups[entity_id])


async def test_neo4j_and_embedded_give_the_same_entities(
    tmp_path: Path, shared_data: Path
) -> None:
    uri, user, password = neo4j_settings()
    left, right = febrl_pair(shared_data, below=150)
    records = left + right
    found = []
    for name in ("embedded", "neo4j"):
        url = f"sqlite+aiosqlite:///{tmp_path / name}.db"
        await upgrade_store_async(url)
        engine = create_store_engine(url)
        graph: GraphStore = (
            EmbeddedGraphStore(engine)
            if name == "embedded"
            else Neo4jGraphStore(uri, user, password)
        )
        await graph.start()
        if isinstance(graph, Neo4jGraphStore):
            await clear_neo4j(graph)
        pipeline = LinkingPipeline(
            create_session_factory(engine), graph, config=FEBRL_CONFIG
        )
        try:
            await pipeline.run(records)
            found.append(await graph_groups(graph, records))
        finally:
            if isinstance(graph, Neo4jGraphStore):
                await clear_neo4j(graph)
            await graph.close()
            await engine.dispose()

    assert found[0] == found[1]
    assert sum(len(ids) == 2 for ids in found[0].values()) >= 140
