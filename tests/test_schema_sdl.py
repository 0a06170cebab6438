"""schema.graphql, the exported SDL, must match the schema the server builds."""

from __future__ import annotations

from pathlib import Path

from schema import build_schema

SDL_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_sdl_is_current() -> None:
    current = str(build_schema()).rstrip() + "\n"

    committed = SDL_FILE.read_text(encoding="utf-8")

    assert committed == current, (
        "schema.graphql is out of date: run `bigone schema --output schema.graphql`"
    )
