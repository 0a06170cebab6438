"""Load test: 100 concurrent clients for 30 s on loopback, dashboard-like queries.

Run: ``PYTHONPATH=$PWD python bench/load.py [--clients 100] [--seconds 30]``.
Prints requests/s, latency p50/p95/p99, GraphQL errors and 5xx responses per
query kind and overall. The goal is zero 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import httpx
from _stack import Stack, running_stack

DASHBOARD = """query Dashboard {
  viewer { roles }
  regencies: dinsosKabupatenKota(first: 30) { totalCount nodes { kode nama } }
  pollution: dpmdesPencemaranAirAggregate(groupBy: [tahun, status]) {
    key { tahun status } count
  }
  prices: dkppHargaPangan(first: 50, orderBy: [{column: tanggal, direction: DESC}]) {
    nodes { tanggal komoditas harga } pageInfo { hasNextPage endCursor }
  }
  priceStats: dkppHargaPanganAggregate(groupBy: [komoditas]) {
    key { komoditas } count avg { harga } min { harga } max { harga }
  }
  patients: dinkesPasienAggregate(groupBy: [kode_kecamatan]) { key { kode_kecamatan } count }
}"""
PUBLIC_PRICES = """query Prices($k: String) {
  dkppHargaPangan(first: 100, filter: {komoditas: {eq: $k}},
                  orderBy: [{column: tanggal, direction: DESC}]) {
    nodes { tanggal harga }
  }
}"""
VILLAGES = """query Villages {
  dpmdesPencemaranAir(first: 100, filter: {tahun: {eq: 2021}}) {
    totalCount nodes { kode_desa status wilayah { nama } }
  }
}"""
PATIENTS = """query Patients {
  dinkesKecamatan(first: 10) { nodes { kode nama pasienList { id nik nama_pasien } } }
}"""
POVERTY = """query Poverty {
  dinsosPendudukMiskinAggregate(groupBy: [tahun]) { key { tahun } sum { jumlah } }
}"""
COMMODITIES = [
    "Beras Premium",
    "Cabai Merah Keriting",
    "Bawang Merah",
    "Telur Ayam Ras",
]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    graphql_errors: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)


def mix(stack: Stack) -> list[tuple[str, str, dict[str, object], str | None]]:
    analyst = stack.bearer("analyst", district="33.28.10")
    dinkes = stack.bearer("agency", agency="dinkes")
    dinsos = stack.bearer("agency", agency="dinsos")
    return [
        ("dashboard/analyst", DASHBOARD, {}, analyst),
        ("dashboard/analyst", DASHBOARD, {}, analyst),
        ("prices/public", PUBLIC_PRICES, {"k": ""}, None),
        ("prices/public", PUBLIC_PRICES, {"k": ""}, None),
        ("villages/public", VILLAGES, {}, None),
        ("patients/dinkes", PATIENTS, {}, dinkes),
        ("patients/analyst", PATIENTS, {}, analyst),
        ("poverty/dinsos", POVERTY, {}, dinsos),
    ]


async def client_loop(
    http: httpx.AsyncClient, stack: Stack, deadline: float, tally: Tally, seed: int
) -> None:
    rng = random.Random(seed)
    queries = mix(stack)
    while time.monotonic() < deadline:
        name, document, variables, bearer = rng.choice(queries)
        if "k" in variables:
            variables = {"k": rng.choice(COMMODITIES)}
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        started = time.perf_counter()
        try:
            response = await http.post(
                "/graphql", json={"query": document, "variables": variables},
                headers=headers,
            )  # fmt: skip
        except httpx.HTTPError as error:
            tally.failures[type(error).__name__] += 1
            continue
        tally.latencies[name].append(time.perf_counter() - started)
        tally.statuses[response.status_code] += 1
        if response.status_code == 200 and response.json().get("errors"):
            tally.graphql_errors[name] += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def run(stack: Stack, clients: int, seconds: float) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=stack.url, timeout=60, limits=limits) as http:
        await http.post("/graphql", json={"query": DASHBOARD})  # warm caches
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(
                client_loop(http, stack, deadline, tally, seed)
                for seed in range(clients)
            )
        )
    return tally


def report(tally: Tally, seconds: float, clients: int) -> None:
    every = [value for values in tally.latencies.values() for value in values]
    print(f"clients={clients} duration_s={seconds:g} requests={len(every)}")
    print(
        f"{'query':<20} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'gql errors':>10}"
    )
    for name, values in sorted(tally.latencies.items()):
        print(
            f"{name:<20} {len(values):>6} {percentile(values, 0.5):>8.1f} "
            f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f} "
            f"{tally.graphql_errors[name]:>10}"
        )
    five = sum(count for status, count in tally.statuses.items() if status >= 500)
    print(
        f"overall: requests_per_s={len(every) / seconds:.1f} "
        f"p50_ms={percentile(every, 0.5):.1f} p99_ms={percentile(every, 0.99):.1f} "
        f"mean_ms={statistics.fmean(every) * 1000:.1f}"
    )
    print(
        f"statuses={dict(sorted(tally.statuses.items()))} 5xx={five} "
        f"graphql_errors={sum(tally.graphql_errors.values())} "
        f"transport_failures={dict(tally.failures)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with running_stack() as stack:
        tally = asyncio.run(run(stack, args.clients, args.seconds))
    report(tally, args.seconds, args.clients)


if __name__ == "__main__":
    main()
