"""CKAN clients and DCAT harvesters read the catalog: ckanapi against the real
server on loopback, and the JSON-LD parsed by rdflib."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from ckanapi import NotFound, RemoteCKAN
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from app.factory import create_app
from connectors.file_ingest import FileOptions, ingest_path
from store.engine import create_session_factory, create_store_engine
from tests.app.conftest import make_settings

BIGONE = Namespace("https://bigone.example/ns#")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def catalog_dir(store_url: str, shared_data: Path) -> str:
    """A store holding the five Open Data Jabar datasets."""
    engine = create_store_engine(store_url)
    await ingest_path(
        create_session_factory(engine),
        shared_data / "opendata-jabar",
        FileOptions("jabar"),
    )
    await engine.dispose()
    return store_url


@pytest.fixture
def server(catalog_dir: str, tmp_path: Path) -> Iterator[str]:
    """The app served by uvicorn on a loopback port, in a thread of its own."""
    port = free_port()
    app = create_app(make_settings(tmp_path, store_url=catalog_dir))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=30)


def test_a_ckan_client_lists_shows_and_searches(server: str) -> None:
    ckan = RemoteCKAN(server, user_agent="bigone-tests/1.0")

    names = ckan.action.package_list()
    shown = ckan.action.package_show(id=names[0])
    found = ckan.action.package_search(q="miskin", fq="organization:jabar", rows=10)
    paged = ckan.action.package_search(rows=2, start=4)

    assert len(names) == 5
    assert all(name.startswith("files-jabar-") for name in names)
    assert shown["name"] == names[0]
    assert shown["organization"]["name"] == "jabar"
    assert shown["resources"][0]["format"] == "GraphQL"
    assert {f["id"] for f in shown["resources"][0]["fields"]} >= {
        "kode_provinsi",
        "tahun",
    }
    assert found["count"] == 1
    assert "miskin" in found["results"][0]["name"]
    assert (paged["count"], len(paged["results"])) == (5, 1)
    with pytest.raises(NotFound):
        ckan.action.package_show(id="no-such-dataset")


# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally (rdflib 7.x).
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_catalog_jsonld_is_dcat(server: str) -> None:
    response = httpx.get(f"{server}/catalog.jsonld")
    graph = Graph().parse(data=response.text, format="json-ld")

    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert response.headers["content-type"].startswith("application/ld+json")
    assert len(datasets) == 5
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert graph.value(dataset, DCTERMS.title) is not None
        assert graph.value(dataset, DCTERMS.accessRights) == Literal("terbuka")
        distribution = graph.value(dataset, DCAT.distribution)
        assert graph.value(distribution, DCAT.accessURL) == URIRef(f"{server}/graphql")
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert graph.value(publisher, FOAF.name) == Literal("jabar")
        assert graph.value(dataset, BIGONE.version) is not None
