"""Fuzz: valid queries generated from the served schema, per role, with hypothesis-graphql.

Run: ``PYTHONPATH=$PWD python bench/fuzz.py [--examples 100]`` (per role). For each role the
schema is read by introspection as that role is served it, queries are generated
from it, and every response is checked: no 5xx and no internal exception text
(``Internal server error``, tracebacks, driver exception names). Prints figures
per role and the first offending queries, if any.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from _stack import Stack, running_stack
from graphql import build_client_schema, get_introspection_query
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

INTERNAL = re.compile(
    r"Internal server error|Traceback|sqlalchemy\.|asyncpg\.|aiosqlite|"
    r"OperationalError|ProgrammingError|KeyError|TypeError|AttributeError|"
    r"ValueError|RuntimeError|AssertionError|neo4j\.exceptions"
)
QUOTED = re.compile(r"'[^']*'")
SCALARS = {
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
    "DateTime": st.datetimes().map(lambda d: nodes.String(d.isoformat() + "+00:00")),
    "JSON": st.just(nodes.String("{}")),
    "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: nodes.String(str(d))
    ),
}


@dataclass
class Figures:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    error_codes: Counter[str] = field(default_factory=Counter)
    with_data: int = 0
    offending: list[str] = field(default_factory=list)
    seconds: float = 0.0


def served_schema(http: httpx.Client, headers: dict[str, str]) -> object:
    response = http.post(
        "/graphql", json={"query": get_introspection_query()}, headers=headers
    )
    response.raise_for_status()
    return build_client_schema(response.json()["data"])


def fuzz_role(
    http: httpx.Client, headers: dict[str, str], examples: int, seed: int | None
) -> Figures:
    figures = Figures()
    schema = served_schema(http, headers)
    started = time.monotonic()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(queries(schema, custom_scalars=SCALARS))  # type: ignore[arg-type]
    def check(query: str) -> None:
        response = http.post("/graphql", json={"query": query}, headers=headers)
        figures.requests += 1
        figures.statuses[response.status_code] += 1
        if response.status_code >= 500 or INTERNAL.search(response.text):
            # Recorded, not raised: shrinking over HTTP takes longer than the run.
            figures.offending.append(
                f"{query}\n  -> {response.status_code} {response.text[:400]}"
            )
            return
        body = response.json()
        if body.get("data"):
            figures.with_data += 1
        for error in body.get("errors") or ():
            code = (error.get("extensions") or {}).get("code")
            figures.error_codes[code or QUOTED.sub("'…'", error["message"])[:60]] += 1

    (check if seed is None else hypothesis_seed(seed)(check))()
    figures.seconds = time.monotonic() - started
    return figures


def roles(stack: Stack) -> dict[str, dict[str, str]]:
    def bearer(*names: str, **claims: str) -> dict[str, str]:
        return {"authorization": f"Bearer {stack.bearer(*names, **claims)}"}

    return {
        "public": {},
        "analyst": bearer("analyst", district="33.28.10"),
        "agency:dinkes": bearer("agency", agency="dinkes"),
        "admin": bearer("admin"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None, help="replay a run")
    parser.add_argument("--role", action="append", help="only these roles")
    args = parser.parse_args()
    results: dict[str, Figures] = {}
    quiet = {
        "BIGONE_LOG_LEVEL": "ERROR"
    }  # crashes still print; expected failures don't
    with (
        running_stack(**quiet) as stack,
        httpx.Client(base_url=stack.url, timeout=60) as http,
    ):
        for role, headers in roles(stack).items():
            if args.role and role not in args.role:
                continue
            results[role] = fuzz_role(http, headers, args.examples, args.seed)
    total = 0
    for role, figures in results.items():
        total += figures.requests
        print(
            f"{role:<14} requests={figures.requests} seconds={figures.seconds:.0f} "
            f"statuses={dict(figures.statuses)} with_data={figures.with_data} "
            f"offending={len(figures.offending)}"
        )
        common = ", ".join(
            f"{code}: {n}" for code, n in figures.error_codes.most_common(5)
        )
        print(f"{'':<14} most common errors: {common or 'none'}")
        for failure in figures.offending[:3]:
            print(f"{'':<14} OFFENDING: {failure}")
    bad = sum(len(figures.offending) for figures in results.values())
    print(f"total requests={total} roles={len(results)} offending={bad}")


if __name__ == "__main__":
    main()
