"""Comparing what /graphql returns with what the database itself answers."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.resolvers.conftest import FederatedClient


def plain(value: Any) -> Any:
    """A database value as it appears in JSON."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


async def sql_rows(engine: AsyncEngine, sql: str) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        result = await connection.execute(text(sql))
        return [
            {key: plain(value) for key, value in row.items()}
            for row in result.mappings()
        ]


async def all_pages(
    client: FederatedClient,
    field: str,
    selection: str,
    arguments: str,
    page_size: int = 1000,
) -> list[dict[str, Any]]:
    """Every node of a connection, walking forward with ``first``/``after``."""
    nodes: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        data = await client.query(
            f"""query ($after: String) {{
              page: {field}({arguments} first: {page_size}, after: $after) {{
                nodes {{ {selection} }}
                pageInfo {{ hasNextPage endCursor }}
              }}
            }}""",
            after=after,
        )
        page = data["page"]
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]
