"""A running Big One on loopback over real agency data, for the benchmarks.

Builds SQLite agency databases from ../shared/data (village pollution and
region codes, poverty per regency, Bandung food prices, a clinic registry from
FEBRL), a policy with terbatas and tertutup datasets and personal columns,
graph records, then starts ``bigone serve`` in a subprocess on a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
if not SHARED.is_dir():  # a worktree sits one level deeper than the main checkout
    SHARED = Path("/work/shared/data")
sys.path.insert(0, str(ROOT))

from store.catalog import Dataset, DatasetColumn, Source  # noqa: E402
from tests.connectors.agency_databases import (  # noqa: E402
    build_dinsos,
    build_dkpp,
    build_dpmdes,
)
from tests.security.conftest import POLICY, sources_with_health  # noqa: E402
from tests.security.health_registry import build_health_registry  # noqa: E402

JWT_SECRET = "bench-secret-" + "x" * 40
ADMIN_SECRET = "bench-admin-" + "y" * 40


@dataclass
class Stack:
    url: str
    folder: Path

    def bearer(self, *roles: str, agency: str | None = None, **claims: str) -> str:
        body: dict[str, object] = {
            "sub": f"bench-{'-'.join(roles)}",
            "roles": list(roles),
            "exp": int(time.time()) + 7200,
            **claims,
        }
        if agency:
            body["agency"] = agency
        return jwt.encode(body, JWT_SECRET, algorithm="HS256")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _build_sources(folder: Path) -> Path:
    urls = {name: f"sqlite+aiosqlite:///{folder / f'{name}.db'}" for name in
            ("dpmdes", "dinsos", "dkpp", "dinkes")}  # fmt: skip
    await build_dpmdes(urls["dpmdes"], SHARED)
    await build_dinsos(urls["dinsos"], SHARED)
    await build_dkpp(urls["dkpp"], SHARED)
    await build_health_registry(urls["dinkes"], SHARED)

    class Agencies:
        dpmdes_url, dinsos_url, dkpp_url = urls["dpmdes"], urls["dinsos"], urls["dkpp"]

    config = folder / "sources.yaml"
    config.write_text(sources_with_health(Agencies, urls["dinkes"]), "utf-8")  # type: ignore[arg-type]
    return config


async def _apply_levels(store_url: str) -> None:
    from sqlalchemy import select, update

    from store.engine import create_session_factory, create_store_engine, transaction

    engine = create_store_engine(store_url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            rows = await session.execute(
                select(Source.name, Dataset.name, Dataset.id).join(Source)
            )
            ids = {f"{s}.{d}": i for s, d, i in rows}
            await session.execute(
                update(Dataset).where(Dataset.id == ids["dinkes.pasien"])
                .values(access_level="terbatas")
            )  # fmt: skip
            await session.execute(
                update(Dataset).where(Dataset.id == ids["dinsos.penduduk_miskin"])
                .values(access_level="tertutup")
            )  # fmt: skip
            await session.execute(
                update(DatasetColumn)
                .where(DatasetColumn.dataset_id == ids["dinkes.pasien"])
                .where(DatasetColumn.name.in_(("nik", "nama_pasien", "no_hp", "email")))
                .values(is_personal=True)
            )
    finally:
        await engine.dispose()


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError("the server did not become ready within 120 s")


@contextlib.contextmanager
def running_stack(**settings: str) -> Iterator[Stack]:
    """Start the server on loopback; stop it (and remove its files) on exit."""
    with tempfile.TemporaryDirectory(prefix="bigone-bench-") as tmp:
        folder = Path(tmp)
        config = asyncio.run(_build_sources(folder))
        policy = folder / "policy.yaml"
        policy.write_text(POLICY, "utf-8")
        port = _free_port()
        store_url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BIGONE_DATA_DIR": str(folder),
            "BIGONE_STORE_URL": store_url,
            "BIGONE_CONFIG": str(config),
            "BIGONE_ACCESS_POLICY_FILE": str(policy),
            "BIGONE_JWT_SECRET": JWT_SECRET,
            "BIGONE_SECRET_KEY": ADMIN_SECRET,
            "BIGONE_RATE_LIMIT_PER_MINUTE": "0",
            "BIGONE_LOG_LEVEL": "WARNING",
            "BIGONE_PORT": str(port),
            **settings,
        }
        env.pop("BIGONE_NEO4J_URI", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve"], cwd=ROOT, env=env
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(url, process)
            asyncio.run(_apply_levels(store_url))
            reload = httpx.post(
                f"{url}/admin/sources/reload",
                headers={"authorization": f"Bearer {ADMIN_SECRET}"},
                timeout=60,
            )
            reload.raise_for_status()
            yield Stack(url, folder)
        finally:
            process.terminate()
            process.wait(timeout=30)
