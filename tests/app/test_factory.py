"""The dashboard's static files: client routes fall back to index.html."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from app.factory import SinglePageApp


def make_client(tmp_path: Path) -> TestClient:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    app = Starlette(routes=[Mount("/", SinglePageApp(directory=tmp_path, html=True))])
    return TestClient(app)


def test_a_client_route_gets_the_app(tmp_path: Path) -> None:
    client = make_client(tmp_path)

    response = client.get("/bigone?tab=entities")

    assert response.status_code == 200
    assert response.text == "<div id=root></div>"


def test_a_file_is_served_as_itself(tmp_path: Path) -> None:
    client = make_client(tmp_path)

    response = client.get("/assets/app.js")

    assert response.text == "console.log(1)"


def test_a_missing_asset_stays_not_found(tmp_path: Path) -> None:
    client = make_client(tmp_path)

    response = client.get("/assets/stale-1234.js")

    assert response.status_code == 404
