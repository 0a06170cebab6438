"""GraphQL types of the region master data (Kemendagri codes)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from connectors.regions import LEVEL_NAMES, RegionFilter
from linking.places import place_id
from linking.region_matcher import RegionCandidate, RegionMatch
from resolvers import regions as region_resolvers
from resolvers.context import RequestContext
from store.regions import Region


@strawberry.type(
    name="Region",
    description="A Kemendagri region: province, regency/city, district or village.",
)
class RegionType:
    code: str = strawberry.field(description='Kemendagri code, e.g. "33.28.10.1008".')
    name: str
    level: int = strawberry.field(
        description="1 province, 2 regency/city, 3 district, 4 village."
    )
    level_name: str = strawberry.field(
        description="provinsi, kabupaten_kota, kecamatan or desa_kelurahan."
    )
    parent_code: str | None
    edition: str = strawberry.field(
        description='Year of the code list ("2025", "2020").'
    )
    population_male: int | None
    population_female: int | None
    population_total: int | None
    area_km2: float | None = strawberry.field(description="Area in km² (BIG).")
    place_id: strawberry.ID = strawberry.field(
        description="Id of its Place entity in the knowledge graph."
    )

    @classmethod
    def of(cls, region: Region) -> RegionType:
        return cls(
            code=region.code,
            name=region.name,
            level=region.level,
            level_name=LEVEL_NAMES[region.level],
            parent_code=region.parent_code,
            edition=region.edition,
            population_male=region.population_male,
            population_female=region.population_female,
            population_total=region.population_total,
            area_km2=region.area_km2,
            place_id=strawberry.ID(place_id(region.code)),
        )

    @strawberry.field(description="The region one level up.")
    async def parent(self, info: Info[RequestContext, None]) -> RegionType | None:
        if self.parent_code is None:
            return None
        region = await region_resolvers.get_region(
            info.context, self.parent_code, self.edition
        )
        return RegionType.of(region) if region else None


@strawberry.type(
    name="RegionPage", description="One page of regions and how many match in all."
)
class RegionPageType:
    total_count: int
    items: list[RegionType]


@strawberry.type(name="RegionCandidate")
class RegionCandidateType:
    code: str
    name: str
    level: int
    score: float = strawberry.field(
        description="100 for an exact name, lower for a fuzzy one."
    )

    @classmethod
    def of(cls, candidate: RegionCandidate) -> RegionCandidateType:
        return cls(
            code=candidate.code,
            name=candidate.name,
            level=candidate.level,
            score=candidate.score,
        )


@strawberry.type(
    name="RegionMatch",
    description="How a written name resolved: MATCHED with one region, AMBIGUOUS with "
    "candidates (never chosen silently), or UNMATCHED.",
)
class RegionMatchType:
    text: str
    status: str
    method: str
    region: RegionCandidateType | None
    candidates: list[RegionCandidateType]

    @classmethod
    def of(cls, match: RegionMatch) -> RegionMatchType:
        return cls(
            text=match.text,
            status=match.status.upper(),
            method=match.method,
            region=RegionCandidateType.of(match.region) if match.region else None,
            candidates=[RegionCandidateType.of(c) for c in match.candidates],
        )


@strawberry.type
class RegionQuery:
    @strawberry.field(
        description="One region by Kemendagri code (newest edition unless given)."
    )
    async def region(
        self, info: Info[RequestContext, None], code: str, edition: str | None = None
    ) -> RegionType | None:
        region = await region_resolvers.get_region(info.context, code, edition)
        return RegionType.of(region) if region else None

    @strawberry.field(
        description="Regions below `parent` (its children; with `level`, every region of "
        "that level under it), of a `level`, whose name contains `search`."
    )
    async def regions(
        self,
        info: Info[RequestContext, None],
        parent: str | None = None,
        level: int | None = None,
        search: str | None = None,
        edition: str | None = None,
        first: Annotated[int, strawberry.argument(description="At most 1000.")] = 100,
        offset: int = 0,
    ) -> RegionPageType:
        query = RegionFilter(parent, level, search, edition, first, offset)
        items, total = await region_resolvers.get_regions(info.context, query)
        return RegionPageType(
            total_count=total, items=[RegionType.of(r) for r in items]
        )

    @strawberry.field(
        description='Resolve a written region name ("Kab. Tegal", "kec slawi", "Ds. Procot") '
        "to a code; `within` limits it to regions below a code."
    )
    async def match_region(
        self,
        info: Info[RequestContext, None],
        text: str,
        level: int | None = None,
        within: str | None = None,
    ) -> RegionMatchType | None:
        match = await region_resolvers.match_region(info.context, text, level, within)
        return RegionMatchType.of(match) if match else None
