"""Loading the generated demo regency into the embedded defaults."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from app.demo_data import (
    AGENCIES,
    DISTRICTS,
    OFFICIALS,
    PRODUCTS,
    PROVINCE,
    REGENCY,
    generate_demo,
)
from app.demo_feeds import write_demo_config
from app.demo_loaders import load_demo_feeds
from app.services import close_services, open_services
from app.settings import Settings
from graph.base import EdgeInput, NodeInput
from store.catalog import Agency
from store.engine import transaction
from store.migrate import upgrade_store_async

logger = logging.getLogger(__name__)


def place_id(code: str) -> str:
    return f"place:{code}"


def _entity(id_: str, name: str, kind: str, **properties: Any) -> NodeInput:
    return NodeInput(id_, "Entity", name, kind, properties)


def _place_nodes() -> list[NodeInput]:
    levels = [(PROVINCE, "province"), (REGENCY, "regency")]
    levels += [(district, "district") for district in DISTRICTS]
    return [
        _entity(place_id(code), name, "place", level=level, code=code)
        for (code, name), level in levels
    ]


def _place_edges() -> list[EdgeInput]:
    edges = [EdgeInput("LOCATED_IN", place_id(REGENCY[0]), place_id(PROVINCE[0]))]
    edges += [
        EdgeInput("LOCATED_IN", place_id(c), place_id(REGENCY[0])) for c, _ in DISTRICTS
    ]
    return edges


def prepare_demo_settings(settings: Settings) -> Settings:
    """The demo's settings: its config file (tracked entities), its regency, and
    visitors as stewards (unless set), so the review queue can be tried."""
    data = generate_demo()
    config = settings.config or write_demo_config(
        settings.data_dir / "bigone-demo.yaml", data
    )
    return settings.model_copy(
        update={
            "config": config,
            "regency_code": settings.regency_code or REGENCY[0],
            "anonymous_roles": (
                settings.anonymous_roles
                if "anonymous_roles" in settings.model_fields_set
                else ["steward"]
            ),
        }
    )


async def load_demo(settings: Settings) -> dict[str, Any]:
    """Migrate the store and load the demo regency and its feeds; idempotent."""
    await upgrade_store_async(settings.effective_store_url)
    services = await open_services(settings)
    try:
        await _load_agencies(services.sessions)
        counts = await _load_graph(services)
        counts |= await load_demo_feeds(settings, services, generate_demo())
    finally:
        await close_services(services)
    logger.info("demo.loaded %s", counts)
    return counts


async def _load_agencies(sessions: Any) -> None:
    async with transaction(sessions) as session:
        known = set(await session.scalars(select(Agency.slug)))
        session.add_all(
            Agency(slug=slug, name=name) for slug, name in AGENCIES if slug not in known
        )


async def _load_graph(services: Any) -> dict[str, Any]:
    data = generate_demo()
    nodes = _place_nodes()
    edges = _place_edges()
    for slug, name in AGENCIES:
        agency_id = f"org:agency:{slug}"
        nodes.append(_entity(agency_id, name, "organisation", type="agency", slug=slug))
        edges.append(
            EdgeInput("LOCATED_IN", f"org:agency:{slug}", place_id(REGENCY[0]))
        )
    for role, name in OFFICIALS:
        person_id = f"person:{role.lower().replace(' ', '-')}"
        nodes.append(_entity(person_id, name, "person", role=role))
    for business in data.businesses:
        node_id = f"org:business:{business.id}"
        nodes.append(
            _entity(
                node_id,
                business.name,
                "organisation",
                type="business",
                sector=business.sector,
            )
        )
        edges.append(EdgeInput("LOCATED_IN", node_id, place_id(business.district[0])))
    for index, (title, category, price) in enumerate(PRODUCTS, start=1):
        product_id = f"product:{index}"
        nodes.append(
            _entity(product_id, title, "product", category=category, typicalPrice=price)
        )
        seller = data.businesses[(index * 7) % len(data.businesses)]
        edges.append(EdgeInput("SOLD_BY", product_id, f"org:business:{seller.id}"))
    vectors = await services.embedder.encode_async([node.name for node in nodes])
    nodes = [
        NodeInput(n.id, n.label, n.name, n.kind, n.properties, vector.tolist())
        for n, vector in zip(nodes, vectors, strict=True)
    ]
    await services.graph.upsert_nodes(nodes)
    await services.graph.upsert_edges(edges)
    return {"entities": len(nodes), "links": len(edges), "agencies": len(AGENCIES)}
