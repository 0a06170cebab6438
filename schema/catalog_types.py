"""GraphQL types of the Satu Data catalog: datasets, columns, history, profiles,
and the steward mutation that edits metadata."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info

from catalog.errors import CatalogError, DatasetNotFoundError, MetadataValidationError
from catalog.metadata import ColumnEdit, MetadataEdit
from catalog.profile import ColumnProfile, DatasetProfile
from catalog.search import DatasetEntry, DatasetSearch, ckan_name
from resolvers import catalog as catalog_resolvers
from resolvers.context import RequestContext
from schema.errors import register_public_error
from schema.scalars import JSON
from security.visibility import STEWARDS
from store.catalog import DatasetColumn
from store.stewardship import MetadataChange

register_public_error(CatalogError)


@strawberry.enum(name="AccessLevel", description="Satu Data access level of a dataset.")
class AccessLevel(Enum):
    TERBUKA = "terbuka"
    TERBATAS = "terbatas"
    TERTUTUP = "tertutup"


@strawberry.type(
    name="DatasetColumn", description="A column with its Satu Data metadata."
)
class DatasetColumnType:
    name: str
    position: int
    data_type: str = strawberry.field(
        description="text, integer, decimal, boolean, date, ..."
    )
    description: str
    concept: str | None
    definition: str | None
    unit: str | None = strawberry.field(
        description="Unit from the Satu Data vocabulary."
    )
    code_kind: str | None = strawberry.field(
        description="Reference-code kind: wilayah_kemendagri, wilayah_bps, nama_wilayah, nik, ..."
    )
    is_key: bool
    is_personal: bool = strawberry.field(
        description="Holds personal data (NIK, phone)."
    )

    @classmethod
    def of(cls, column: DatasetColumn) -> DatasetColumnType:
        return cls(
            name=column.name,
            position=column.position,
            data_type=column.data_type,
            description=column.description,
            concept=column.concept,
            definition=column.definition,
            unit=column.unit,
            code_kind=column.code_kind,
            is_key=column.is_key,
            is_personal=column.is_personal,
        )


@strawberry.type(
    name="MetadataChange", description="One steward edit: who, when, what."
)
class MetadataChangeType:
    changed_by: str
    changed_at: datetime
    column_name: str | None
    changes: JSON = strawberry.field(description='{"field": {"old": ..., "new": ...}}')

    @classmethod
    def of(cls, change: MetadataChange) -> MetadataChangeType:
        return cls(
            changed_by=change.changed_by,
            changed_at=change.changed_at,
            column_name=change.column_name,
            changes=cast(Any, change.changes),
        )


@strawberry.type(name="ColumnProfile")
class ColumnProfileType:
    name: str
    data_type: str
    nulls: int
    null_share: float = strawberry.field(
        description="Share of rows without a value, 0 to 1."
    )
    distinct: int
    minimum: JSON | None = strawberry.field(
        description="Smallest value; null when the column is masked for you."
    )
    maximum: JSON | None = strawberry.field(
        description="Largest value; null when the column is masked for you."
    )
    code_kind: str | None
    invalid_codes: int | None = strawberry.field(
        description="Rows whose value is not a valid reference code (code columns only)."
    )
    invalid_examples: list[str]

    @classmethod
    def of(cls, profile: ColumnProfile) -> ColumnProfileType:
        return cls(
            name=profile.name,
            data_type=profile.data_type,
            nulls=profile.nulls,
            null_share=profile.null_share,
            distinct=profile.distinct,
            minimum=_jsonable(profile.minimum),
            maximum=_jsonable(profile.maximum),
            code_kind=profile.code_kind,
            invalid_codes=profile.invalid_codes,
            invalid_examples=profile.invalid_examples,
        )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@strawberry.type(
    name="DatasetProfile",
    description="Data quality of a dataset, computed at its source.",
)
class DatasetProfileType:
    rows: int
    columns: list[ColumnProfileType]

    @classmethod
    def of(cls, profile: DatasetProfile) -> DatasetProfileType:
        return cls(
            rows=profile.rows,
            columns=[ColumnProfileType.of(c) for c in profile.columns],
        )


@strawberry.type(
    name="Dataset", description="A dataset of any source with its Satu Data metadata."
)
class DatasetType:
    id: int
    name: str
    ckan_name: str = strawberry.field(
        description="Its name in the CKAN API and DCAT export."
    )
    source: str
    source_kind: str
    agency: str | None = strawberry.field(description="Slug of the producing agency.")
    agency_name: str | None
    title: str
    description: str
    walidata: str | None
    sector: str | None
    frequency: str | None
    period: str | None
    licence: str | None
    access_level: AccessLevel
    keywords: list[str]
    version: int
    row_count: int | None
    updated_at: datetime
    table_name: str | None = strawberry.field(
        description="Store table of a file dataset."
    )
    columns: list[DatasetColumnType]

    @classmethod
    def of(cls, entry: DatasetEntry) -> DatasetType:
        dataset = entry.dataset
        return cls(
            id=dataset.id,
            name=dataset.name,
            ckan_name=ckan_name(entry),
            source=entry.source.name,
            source_kind=entry.source.kind,
            agency=entry.agency.slug if entry.agency else None,
            agency_name=entry.agency.name if entry.agency else None,
            title=dataset.title,
            description=dataset.description,
            walidata=dataset.walidata,
            sector=dataset.sector,
            frequency=dataset.frequency,
            period=dataset.period,
            licence=dataset.licence,
            access_level=AccessLevel(dataset.access_level),
            keywords=[str(keyword) for keyword in dataset.keywords or []],
            version=dataset.version,
            row_count=dataset.row_count,
            updated_at=dataset.updated_at,
            table_name=entry.table_name,
            columns=[DatasetColumnType.of(column) for column in dataset.columns],
        )

    @strawberry.field(
        description="Steward edits of this dataset's metadata, newest first."
    )
    async def history(
        self, info: Info[RequestContext, None]
    ) -> list[MetadataChangeType]:
        changes = await catalog_resolvers.get_history(info.context, self.id)
        return [MetadataChangeType.of(change) for change in changes]

    @strawberry.field(
        description="Rows, null share, distinct values, min/max, invalid codes."
    )
    async def profile(self, info: Info[RequestContext, None]) -> DatasetProfileType:
        profile = await catalog_resolvers.get_profile(info.context, self.id)
        return DatasetProfileType.of(profile)


@strawberry.type(name="DatasetPage")
class DatasetPageType:
    total_count: int
    items: list[DatasetType]


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        description="Search the catalog by text, agency slug, sector and access level."
    )
    async def datasets(
        self,
        info: Info[RequestContext, None],
        search: str | None = None,
        agency: str | None = None,
        sector: str | None = None,
        access: AccessLevel | None = None,
        first: Annotated[int, strawberry.argument(description="At most 500.")] = 50,
        offset: int = 0,
    ) -> DatasetPageType:
        query = DatasetSearch(
            search, agency, sector, access.value if access else None, first, offset
        )
        entries, total = await catalog_resolvers.get_datasets(info.context, query)
        return DatasetPageType(
            total_count=total, items=[DatasetType.of(e) for e in entries]
        )

    @strawberry.field(description="One dataset of the catalog by id.")
    async def dataset(
        self, info: Info[RequestContext, None], id: int
    ) -> DatasetType | None:
        try:
            return DatasetType.of(await catalog_resolvers.get_dataset(info.context, id))
        except DatasetNotFoundError:
            return None


@strawberry.input(
    name="ColumnMetadataInput",
    description="New metadata of one column; omitted fields stay.",
)
class ColumnMetadataInput:
    name: str
    description: str | None = None
    concept: str | None = None
    definition: str | None = None
    unit: str | None = None
    code_kind: str | None = None


@strawberry.input(
    name="DatasetMetadataInput",
    description="New metadata of a dataset; omitted fields stay.",
)
class DatasetMetadataInput:
    dataset_id: int
    changed_by: str | None = strawberry.field(
        default=None,
        description=(
            "A label for the edit; the history records the authenticated "
            "principal (followed by this label when it differs)."
        ),
    )
    title: str | None = None
    description: str | None = None
    walidata: str | None = None
    sector: str | None = None
    frequency: str | None = None
    period: str | None = None
    licence: str | None = None
    access_level: AccessLevel | None = None
    keywords: list[str] | None = None
    columns: list[ColumnMetadataInput] | None = None

    def to_edit(self) -> MetadataEdit:
        values: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "walidata": self.walidata,
            "sector": self.sector,
            "frequency": self.frequency,
            "period": self.period,
            "licence": self.licence,
            "access_level": self.access_level.value if self.access_level else None,
            "keywords": self.keywords,
        }
        columns = tuple(
            ColumnEdit(
                c.name,
                {
                    "description": c.description,
                    "concept": c.concept,
                    "definition": c.definition,
                    "unit": c.unit,
                    "code_kind": c.code_kind,
                },
            )
            for c in self.columns or []
        )
        return MetadataEdit(self.dataset_id, self.changed_by or "", values, columns)


@strawberry.type(name="MetadataUpdated")
class MetadataUpdated:
    dataset: DatasetType


@strawberry.type(
    name="MetadataInvalid",
    description="An edit outside the Satu Data vocabulary; nothing was saved.",
)
class MetadataInvalid:
    field: str
    value: str
    message: str
    allowed: list[str]


@strawberry.type(name="DatasetNotFound")
class DatasetNotFound:
    dataset_id: int
    message: str


UpdateMetadataResult = Annotated[
    MetadataUpdated | MetadataInvalid | DatasetNotFound,
    strawberry.union("UpdateMetadataResult"),
]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(
        description="Edit a dataset's Satu Data metadata (steward); keeps history.",
        metadata=STEWARDS,
    )
    async def update_dataset_metadata(
        self, info: Info[RequestContext, None], input: DatasetMetadataInput
    ) -> UpdateMetadataResult:
        try:
            entry = await catalog_resolvers.edit_metadata(info.context, input.to_edit())
        except MetadataValidationError as error:
            return MetadataInvalid(
                field=error.field,
                value=error.value,
                message=error.message,
                allowed=error.allowed,
            )
        except DatasetNotFoundError as error:
            return DatasetNotFound(dataset_id=error.dataset_id, message=str(error))
        return MetadataUpdated(dataset=DatasetType.of(entry))
