"""GraphQL federation against the physical limit: a raw asyncpg + JSON endpoint.

    python bench/federation.py [--duration 10] [--connections 16] [--rest-pool-reset]

Builds a PostgreSQL agency database from ../shared/data (West Java region codes
and village water-pollution records, 15,000 rows), then serves

- (a) ``/graphql`` of Big One with that database configured as a source, and
- (b) a plain Starlette endpoint doing the same query with asyncpg and encoding
  the rows as JSON (its pool does not reset connections on release, so it runs
  one statement per request; ``--rest-pool-reset`` restores asyncpg's default),

each by uvicorn in its own process on loopback, and drives both with ``wrk``
(Debian package ``wrk``) in one run: the same 1-row lookup, then the same
100-row page. Prints requests/s, p50 and p99 of each and the GraphQL/REST ratio.
Needs ``BIGONE_TEST_POSTGRES_URL`` (``scripts/services start``) or ``--admin-url``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED_DATA = ROOT.parent / "shared" / "data"
COLUMNS = "id kode_desa kode_kabupaten status tahun"
LOOKUP_ID = 4242
GRAPHQL_LOOKUP = (
    "query Lookup($id: Int!) { bench: dpmdesPencemaranAir(filter: {id: {eq: $id}}, "
    f"first: 1) {{ nodes {{ {COLUMNS} }} }} }}"
)
GRAPHQL_PAGE = (
    "query Page { bench: dpmdesPencemaranAir(first: 100, orderBy: [{column: id}]) "
    f"{{ nodes {{ {COLUMNS} }} }} }}"
)
SQL_COLUMNS = ", ".join(COLUMNS.split())
SQL_LOOKUP = f"SELECT {SQL_COLUMNS} FROM pencemaran_air WHERE id = $1"
SQL_PAGE = f"SELECT {SQL_COLUMNS} FROM pencemaran_air ORDER BY id LIMIT 100"


# ---------------------------------------------------------------- servers


def serve_graphql(config: Path, port: int, data_dir: Path) -> None:
    import uvicorn

    from app.factory import create_app
    from app.settings import Settings

    settings = Settings.model_validate(
        {
            "config": config,
            "data_dir": data_dir,
            "environment": "test",
            "log_level": "WARNING",
            "graphiql": False,
            # The bench measures throughput, not the per-caller rate limit.
            "rate_limit_per_minute": 0,
        }
    )
    uvicorn.run(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning",
        access_log=False,
    )  # fmt: skip


def serve_rest(dsn: str, port: int, reset: bool = False) -> None:
    import asyncpg
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    pool: dict[str, Any] = {}

    async def lookup(request: Request) -> JSONResponse:
        async with pool["pool"].acquire() as connection:
            row = await connection.fetchrow(SQL_LOOKUP, int(request.path_params["id"]))
        return JSONResponse({"data": {"bench": {"nodes": [dict(row)] if row else []}}})

    async def page(_request: Request) -> JSONResponse:
        async with pool["pool"].acquire() as connection:
            rows = await connection.fetch(SQL_PAGE)
        return JSONResponse({"data": {"bench": {"nodes": [dict(row) for row in rows]}}})

    async def keep_session(_connection: Any) -> None:
        # asyncpg runs a reset statement on every release by default: a second
        # statement per request, which the GraphQL side (whose connections, like
        # these, only ever run one SELECT) does not run either.
        return None

    async def lifespan(_app: Starlette) -> Any:
        pool["pool"] = await asyncpg.create_pool(
            dsn, min_size=5, max_size=5, reset=None if reset else keep_session
        )
        yield
        await pool["pool"].close()

    app = Starlette(
        routes=[Route("/rows/{id:int}", lookup), Route("/rows", page)],
        lifespan=lifespan,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# ---------------------------------------------------------------- setup


async def create_bench_database(admin_url: str) -> str:
    from tests.conftest import _create_postgres_database
    from tests.connectors.agency_databases import build_dpmdes

    url = await _create_postgres_database(admin_url)
    await build_dpmdes(url, SHARED_DATA)
    return url


async def drop_bench_database(admin_url: str, url: str) -> None:
    from tests.conftest import _drop_postgres_database

    await _drop_postgres_database(admin_url, url)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, __file__, *args], env=env)


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout:.0f}s")


# ---------------------------------------------------------------- load


@dataclass
class Figures:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    server_cpu_ms: float = 0.0  # server process CPU time per request


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
"""


def run_wrk(
    name: str,
    url: str,
    body: str | None,
    duration: int,
    connections: int,
    server_pid: int | None = None,
) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        method = "POST" if body else "GET"
        script.write(WRK_SCRIPT.format(method=method, body=_lua_string(body or "")))
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
        "-s", script.name, url,
    ]  # fmt: skip
    cpu_before = cpu_seconds(server_pid) if server_pid else 0.0
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu_used = cpu_seconds(server_pid) - cpu_before if server_pid else 0.0
    os.unlink(script.name)
    figures = _parse_wrk(name, output)
    if figures.requests:
        figures.server_cpu_ms = cpu_used * 1000 / figures.requests
    return figures


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _parse_wrk(name: str, output: str) -> Figures:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _latency(output, "50%")
    p99 = _latency(output, "99%")
    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: .*timeout (\d+)",
    ):
        found = re.search(pattern, output)
        errors += int(found.group(1)) if found else 0
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return Figures(name, rate, p50, p99, errors, requests)


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)", output)
    assert match, output
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def served_paths(graphql_url: str) -> dict[str, int]:
    """How many operations each path (plan, schema) has answered so far."""
    import httpx

    text = httpx.get(graphql_url.replace("/graphql", "/metrics")).text
    found = re.findall(
        r'bigone_graphql_operations_total\{path="(\w+)"\} ([\d.e+]+)', text
    )
    return {path: int(float(count)) for path, count in found}


def check_same_answer(
    graphql_url: str, rest_url: str, document: str, rest_path: str
) -> int:
    """Both endpoints must return the same rows; returns the row count."""
    import httpx

    variables = {"id": LOOKUP_ID} if "$id" in document else {}
    graphql = httpx.post(
        graphql_url, json={"query": document, "variables": variables}
    ).json()
    rest = httpx.get(rest_url + rest_path).json()
    assert "errors" not in graphql, graphql
    assert graphql == rest, (graphql, rest)
    return len(rest["data"]["bench"]["nodes"])


def report(pairs: list[tuple[str, Figures, Figures, float]]) -> None:
    print()
    print(
        f"{'case':<16}{'endpoint':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'server CPU ms/req':>19}"
    )
    for case, graphql, rest, _goal in pairs:
        for figures in (graphql, rest):
            print(
                f"{case:<16}{figures.name:<10}{figures.requests_per_second:>9.0f}"
                f"{figures.p50_ms:>9.2f}{figures.p99_ms:>9.2f}{figures.errors:>8}"
                f"{figures.server_cpu_ms:>19.3f}"
            )
    print()
    for case, graphql, rest, goal in pairs:
        ratio = graphql.requests_per_second / rest.requests_per_second
        cpu_ratio = rest.server_cpu_ms / graphql.server_cpu_ms
        verdict = "meets" if ratio >= 1 / goal else "misses"
        print(
            f"{case}: GraphQL/REST throughput = {ratio:.2f} (1/{1 / ratio:.2f}), "
            f"goal >= 1/{goal} -> {verdict}; by server CPU per request "
            f"1/{1 / cpu_ratio:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per case")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rest-pool-reset",
        action="store_true",
        help="let the REST pool reset each connection on release (asyncpg's "
        "default: one more statement per request; figures before 2026-12-04)",
    )
    parser.add_argument(
        "--admin-url", default=os.environ.get("BIGONE_TEST_POSTGRES_URL")
    )
    options = parser.parse_args()
    if not options.admin_url:
        sys.exit("set BIGONE_TEST_POSTGRES_URL (scripts/services start) or --admin-url")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    url = asyncio.run(create_bench_database(options.admin_url))
    folder = Path(tempfile.mkdtemp(prefix="bigone-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        results = run_cases(options, url, folder, processes)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        asyncio.run(drop_bench_database(options.admin_url, url))
        shutil.rmtree(folder, ignore_errors=True)
    report(results)


def run_cases(
    options: argparse.Namespace,
    url: str,
    folder: Path,
    processes: list[subprocess.Popen[bytes]],
) -> list[tuple[str, Figures, Figures, float]]:
    config = folder / "sources.yaml"
    config.write_text(
        "agencies:\n  - slug: dpmdes\n    name: Dinas PMD\nsources:\n"
        f"  - name: dpmdes\n    kind: sql\n    agency: dpmdes\n    url: {url}\n"
        # Open data: the bench measures federation, not a closed dataset's refusal.
        "    access_level: terbuka\n",
        encoding="utf-8",
    )
    graphql_port, rest_port = free_port(), free_port()
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    graphql_server = start(["graphql", str(config), str(graphql_port), str(folder)])
    rest_server = start(
        ["rest", dsn, str(rest_port), "reset" if options.rest_pool_reset else "-"]
    )
    processes.extend([graphql_server, rest_server])
    graphql_url = f"http://127.0.0.1:{graphql_port}/graphql"
    rest_url = f"http://127.0.0.1:{rest_port}"
    wait_until_up(f"http://127.0.0.1:{graphql_port}/healthz")
    wait_until_up(f"{rest_url}/rows")
    check_same_answer(graphql_url, rest_url, GRAPHQL_LOOKUP, f"/rows/{LOOKUP_ID}")
    rows = check_same_answer(graphql_url, rest_url, GRAPHQL_PAGE, "/rows")
    print(f"same answers checked; page has {rows} rows; {options.duration}s per case, "
          f"{options.connections} connections, {os.cpu_count()} CPUs")  # fmt: skip
    lookup_body = json.dumps({"query": GRAPHQL_LOOKUP, "variables": {"id": LOOKUP_ID}})
    page_body = json.dumps({"query": GRAPHQL_PAGE})
    results = []
    for case, body, rest_path, goal in (
        ("1-row lookup", lookup_body, f"/rows/{LOOKUP_ID}", 1.5),
        ("100-row page", page_body, "/rows", 2.5),
    ):
        run_wrk("warmup", graphql_url, body, 2, options.connections)
        run_wrk("warmup", rest_url + rest_path, None, 2, options.connections)
        before = served_paths(graphql_url)
        graphql = run_wrk(
            "graphql", graphql_url, body, options.duration, options.connections,
            graphql_server.pid,
        )  # fmt: skip
        after = served_paths(graphql_url)
        paths = {p: after.get(p, 0) - before.get(p, 0) for p in after}
        print(f"{case}: GraphQL requests served by path: {paths}")
        rest = run_wrk(
            "rest", rest_url + rest_path, None, options.duration, options.connections,
            rest_server.pid,
        )  # fmt: skip
        results.append((case, graphql, rest, goal))
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "graphql":
        serve_graphql(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "rest":
        serve_rest(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "reset")
    else:
        main()
