"""Regions as Place entities in the knowledge graph, and dataset columns linked to them.

Every region becomes ``Entity``/``place`` node ``place:<code>`` with a
``LOCATED_IN`` edge to its parent. A dataset column that holds region codes
or names gets ``REFERS_TO`` edges from the dataset's node to the places its
values name, one per (column, place), carrying the raw values, the method and
the score as evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from graph.base import EdgeInput, GraphStore, NodeInput
from indonesian.identifiers import bps_to_kemendagri_prefix, is_kemendagri_code
from linking.region_matcher import RegionMatch, RegionMatcher

LEVEL_KINDS = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa_kelurahan"}
CODE_KINDS = frozenset({"wilayah_kemendagri", "wilayah_bps"})
NAME_KIND = "nama_wilayah"
# Share of a text column's distinct values that must name regions for it to be a region column.
NAME_COLUMN_SHARE = 0.8
SAMPLE_VALUES = 200
MAX_EVIDENCE_VALUES = 5


def place_id(code: str) -> str:
    return f"place:{code}"


def dataset_node_id(dataset_id: int) -> str:
    return f"dataset:{dataset_id}"


@dataclass(frozen=True)
class PlaceInput:
    """What a Place node needs from a region record."""

    code: str
    name: str
    level: int
    parent_code: str | None
    edition: str
    properties: dict[str, Any] = field(default_factory=dict)


def build_place_graph(
    places: Sequence[PlaceInput],
) -> tuple[list[NodeInput], list[EdgeInput]]:
    """Place nodes and the ``LOCATED_IN`` edges from each to its parent."""
    codes = {place.code for place in places}
    nodes = [
        NodeInput(
            id=place_id(place.code),
            label="Entity",
            kind="place",
            name=place.name,
            properties={
                "code": place.code,
                "level": place.level,
                "region_kind": LEVEL_KINDS[place.level],
                "edition": place.edition,
                **{k: v for k, v in place.properties.items() if v is not None},
            },
        )
        for place in places
    ]
    edges = [
        EdgeInput("LOCATED_IN", place_id(place.code), place_id(place.parent_code))
        for place in places
        if place.parent_code and place.parent_code in codes
    ]
    return nodes, edges


async def upsert_places(
    graph: GraphStore, places: Sequence[PlaceInput]
) -> tuple[int, int]:
    """Write Place nodes, then their edges; returns (nodes, edges) written. Idempotent."""
    nodes, edges = build_place_graph(places)
    written_nodes = await graph.upsert_nodes(nodes)
    written_edges = await graph.upsert_edges(edges)
    return written_nodes, written_edges


@dataclass(frozen=True)
class ColumnValues:
    """The distinct values of one dataset column with how many rows hold each."""

    name: str
    code_kind: str | None
    counts: dict[str, int]


@dataclass
class ColumnLinks:
    """How one column's values resolved to places."""

    column: str
    code_kind: str
    level: int | None = None
    linked: dict[str, str] = field(default_factory=dict)  # value → region code
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    method: Literal["code", "name"] = "code"


def link_code_column(column: ColumnValues, known_codes: set[str]) -> ColumnLinks:
    """Values of a code column resolved by code; BPS codes convert where they can."""
    links = ColumnLinks(column.name, column.code_kind or "wilayah_kemendagri")
    for value in column.counts:
        code = value if is_kemendagri_code(value) else bps_to_kemendagri_prefix(value)
        if code is not None and code in known_codes:
            links.linked[value] = code
        else:
            links.unmatched.append(value)
    return links


def find_scope(links: Iterable[ColumnLinks]) -> str | None:
    """The longest code prefix (province or regency) shared by all linked codes."""
    codes = {code for link in links for code in link.linked.values()}
    if not codes:
        return None
    parts = [code.split(".") for code in codes]
    shared: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1 or len(shared) == 2:
            break
        shared.append(level[0])
    return ".".join(shared) or None


def link_name_column(
    column: ColumnValues, matcher: RegionMatcher, scope: str | None
) -> ColumnLinks | None:
    """A text column resolved by name, or ``None`` when it does not hold region names.

    The column qualifies when most of a sample of its distinct values name a
    region, mostly of one level; every value is then matched at that level.
    """
    sample = list(column.counts)[:SAMPLE_VALUES]
    if not sample:
        return None
    probes = [matcher.match(value, within=scope) for value in sample]
    levels = Counter(
        _level_of(match) for match in probes if match.status != "unmatched"
    )
    named = sum(levels.values())
    if named < NAME_COLUMN_SHARE * len(sample) or not levels:
        return None
    level = levels.most_common(1)[0][0]
    links = ColumnLinks(column.name, NAME_KIND, level=level, method="name")
    for value in column.counts:
        _record(links, matcher.match(value, level=level, within=scope))
    return links


def _level_of(match: RegionMatch) -> int:
    if match.region is not None:
        return match.region.level
    return Counter(c.level for c in match.candidates).most_common(1)[0][0]


def _record(links: ColumnLinks, match: RegionMatch) -> None:
    if match.region is not None:
        links.linked[match.text] = match.region.code
    elif match.status == "ambiguous":
        links.ambiguous[match.text] = [c.code for c in match.candidates]
    else:
        links.unmatched.append(match.text)


def build_dataset_links(
    dataset_id: int,
    title: str,
    columns: Sequence[ColumnValues],
    links: Sequence[ColumnLinks],
) -> tuple[NodeInput, list[EdgeInput]]:
    """The dataset's node and one ``REFERS_TO`` edge per (column, place)."""
    node = NodeInput(
        id=dataset_node_id(dataset_id),
        label="Dataset",
        name=title,
        properties={"dataset_id": dataset_id},
    )
    counts = {column.name: column.counts for column in columns}
    edges: list[EdgeInput] = []
    for link in links:
        by_place: dict[str, list[str]] = defaultdict(list)
        for value, code in link.linked.items():
            by_place[code].append(value)
        for code, values in sorted(by_place.items()):
            edges.append(
                EdgeInput(
                    "REFERS_TO",
                    node.id,
                    place_id(code),
                    key=link.column,
                    properties={
                        "column": link.column,
                        "values": values[:MAX_EVIDENCE_VALUES],
                        "rows": sum(counts[link.column].get(v, 0) for v in values),
                        "method": link.method,
                        "score": 1.0,
                        "status": "auto",
                    },
                )
            )
    return node, edges
