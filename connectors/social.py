"""The connector over stored social posts and news articles (dataset ``posts``).

Social and news sources are ingested into the store (their history is the
point), so their connector reads the store's ``social_posts`` table with
filters, sorting, paging and aggregates pushed down to SQL. Two more datasets
expose what analytics derived: ``post_issues`` and ``post_entities``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    func,
    not_,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.base import (
    Aggregate,
    AggregateQuery,
    And,
    ColumnInfo,
    Condition,
    Connector,
    DatasetInfo,
    DataType,
    Filter,
    Not,
    Or,
    RelationInfo,
    Row,
    RowPage,
    RowQuery,
    SourceQueryError,
    SourceUnavailableError,
    UnknownDatasetError,
)
from store.social import SocialPost, SocialPostEntity, SocialPostIssue

POST_COLUMNS: tuple[tuple[str, DataType, str], ...] = (
    ("id", "integer", "Store id of the post."),
    ("platform", "text", "twitter, facebook, instagram, tiktok, youtube or news."),
    ("post_id", "text", "Id at the platform, or h:<content hash> when it has none."),
    ("kind", "text", "post, comment or article."),
    ("author", "text", "Handle; a salted hash for private persons."),
    ("author_hashed", "boolean", "True when author is a pseudonym."),
    ("title", "text", "Headline of an article."),
    ("text", "text", "Text as published."),
    ("normalised_text", "text", "Slang expanded, elongation squeezed, lower case."),
    ("posted_at", "datetime", "When it was published (UTC)."),
    ("utc_offset_minutes", "integer", "Zone offset it was published in (WIB 420)."),
    ("likes", "integer", "Likes, reactions or votes."),
    ("shares", "integer", "Shares or retweets."),
    ("replies", "integer", "Replies or comments."),
    ("views", "integer", "Views, where the platform reports them."),
    ("url", "text", "Link to the post."),
    ("language", "text", "id, jv, en, mixed or und."),
    ("reply_to", "text", "post_id of the post this replies to."),
    ("quote_of", "text", "post_id of the post this quotes."),
    ("source_name", "text", "News outlet or feed title."),
    ("category", "text", "Section of a news outlet."),
    ("content_hash", "text", "SHA-256 of title and text."),
    ("sentiment", "text", "positive, negative or neutral."),
    ("sentiment_score", "float", "Probability of the sentiment label."),
)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


DATASETS: dict[str, tuple[Table, tuple[str, ...]]] = {
    "posts": (_table(SocialPost), ("id",)),
    "post_issues": (_table(SocialPostIssue), ("post_id", "issue")),
    "post_entities": (_table(SocialPostEntity), ("post_id", "entity")),
}


class SocialPostsConnector(Connector):
    """Reads stored posts through the store engine. Safe to share between tasks."""

    kind = "social"

    def __init__(self, name: str, engine: AsyncEngine) -> None:
        super().__init__(name)
        self.engine = engine

    async def ping(self) -> None:
        """Return when the store answers; raise ``SourceUnavailableError``."""
        await self._fetch(select(text("1")))

    async def describe(self) -> list[DatasetInfo]:
        """The ``posts``, ``post_issues`` and ``post_entities`` datasets."""
        posts = DatasetInfo(
            name="posts",
            title="Social media posts and news articles",
            columns=tuple(
                ColumnInfo(name, data_type, description=doc, is_key=name == "id")
                for name, data_type, doc in POST_COLUMNS
            ),
            key=("id",),
        )
        return [posts, derived_info("post_issues"), derived_info("post_entities")]

    async def query(self, query: RowQuery) -> RowPage:
        """Rows of a dataset with filter, order and paging executed in SQL.

        Raises ``UnknownDatasetError`` for unknown names, ``SourceQueryError`` for
        a value the database refuses.
        """
        table, key = dataset_table(query.dataset)
        columns = [column_of(table, name) for name in (query.columns or visible(table))]
        statement = select(*columns)
        if query.filter is not None:
            statement = statement.where(compile_filter(table, query.filter))
        order = [
            column_of(table, s.column).desc()
            if s.descending
            else column_of(table, s.column)
            for s in query.order_by
        ]
        statement = statement.order_by(*order, *(table.c[k] for k in key))
        statement = statement.offset(query.offset).limit(query.limit)
        rows = await self._fetch(statement)
        total = await self._count(table, query.filter) if query.with_total else None
        return RowPage(rows=rows, total=total)

    async def aggregate(self, query: AggregateQuery) -> list[Row]:
        """Grouped aggregates computed in SQL, one row per group."""
        table, _ = dataset_table(query.dataset)
        groups = [column_of(table, name) for name in query.group_by]
        values = [
            aggregate_expression(table, a).label(a.alias) for a in query.aggregates
        ]
        statement = select(*groups, *values).group_by(*groups).order_by(*groups)
        if query.filter is not None:
            statement = statement.where(compile_filter(table, query.filter))
        return await self._fetch(statement.limit(query.limit))

    async def load_by_keys(
        self, dataset: str, columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> list[list[Row]]:
        """For each key the matching rows, in key order, in one statement."""
        table, _ = dataset_table(dataset)
        if not keys:
            return []
        key_columns = [column_of(table, name) for name in columns]
        statement = select(*(table.c[n] for n in visible(table))).where(
            tuple_(*key_columns).in_([tuple(k) for k in keys])
        )
        grouped: dict[tuple[Any, ...], list[Row]] = {tuple(k): [] for k in keys}
        for row in await self._fetch(statement):
            grouped.setdefault(tuple(row[name] for name in columns), []).append(row)
        return [grouped[tuple(k)] for k in keys]

    async def stream(
        self, dataset: str, *, batch_size: int = 1000
    ) -> AsyncIterator[list[Row]]:
        """Every row in key order, in batches (keyset paging, no long transaction)."""
        table, key = dataset_table(dataset)
        last: tuple[Any, ...] | None = None
        while True:
            statement = select(*(table.c[n] for n in visible(table)))
            if last is not None:
                statement = statement.where(tuple_(*(table.c[k] for k in key)) > last)
            statement = statement.order_by(*(table.c[k] for k in key)).limit(batch_size)
            rows = await self._fetch(statement)
            if not rows:
                return
            yield rows
            last = tuple(rows[-1][k] for k in key)

    async def _count(self, table: Table, filter_: Filter | None) -> int:
        statement = select(func.count()).select_from(table)
        if filter_ is not None:
            statement = statement.where(compile_filter(table, filter_))
        rows = await self._fetch(statement)
        return int(next(iter(rows[0].values())))

    async def _fetch(self, statement: Select[Any]) -> list[Row]:
        try:
            async with self.engine.connect() as connection:
                result = await connection.execute(statement)
                return [dict(row._mapping) for row in result]
        except OperationalError as error:
            raise SourceUnavailableError(
                f"the store does not answer: {error.orig}", source=self.name
            ) from error
        except DBAPIError as error:
            raise SourceQueryError(
                f"the store refused the query: {error.orig}", source=self.name
            ) from error


def derived_info(name: str) -> DatasetInfo:
    table, key = DATASETS[name]
    columns = tuple(
        ColumnInfo(c.name, "float" if c.name == "confidence" else
                   "integer" if c.name == "post_id" else "text", is_key=c.name in key)
        for c in table.columns
    )  # fmt: skip
    relation = RelationInfo("post", ("post_id",), "posts", ("id",))
    return DatasetInfo(name=name, columns=columns, key=key, relations=(relation,))


def dataset_table(name: str) -> tuple[Table, tuple[str, ...]]:
    if name not in DATASETS:
        raise UnknownDatasetError(
            f"unknown dataset {name!r}; social datasets: {', '.join(DATASETS)}"
        )
    return DATASETS[name]


def visible(table: Table) -> list[str]:
    hidden = {
        "text_hash",
        "extra",
        "ingestion_run_id",
        "created_at",
        "hashtags",
        "mentions",
    }
    return [c.name for c in table.columns if c.name not in hidden]


def column_of(table: Table, name: str) -> Any:
    if name not in table.c or name not in visible(table):
        raise UnknownDatasetError(f"dataset {table.name!r} has no column {name!r}")
    return table.c[name]


def compile_filter(table: Table, item: Filter) -> ColumnElement[bool]:
    """A filter tree as an SQL expression over ``table``."""
    if isinstance(item, And):
        return and_(*(compile_filter(table, part) for part in item.items))
    if isinstance(item, Or):
        return or_(*(compile_filter(table, part) for part in item.items))
    if isinstance(item, Not):
        return not_(compile_filter(table, item.item))
    return compile_condition(column_of(table, item.column), item)


def compile_condition(column: Any, condition: Condition) -> ColumnElement[bool]:
    value, op = condition.value, condition.op
    operators: dict[str, Any] = {
        "eq": lambda: column == value, "ne": lambda: column != value,
        "lt": lambda: column < value, "lte": lambda: column <= value,
        "gt": lambda: column > value, "gte": lambda: column >= value,
        "in": lambda: column.in_(list(value)), "not_in": lambda: column.not_in(list(value)),
        "contains": lambda: column.contains(value, autoescape=True),
        "starts_with": lambda: column.startswith(value, autoescape=True),
        "is_null": lambda: column.is_(None) if value in (None, True) else column.is_not(None),
    }  # fmt: skip
    return operators[op]()  # type: ignore[no-any-return]


def aggregate_expression(table: Table, aggregate: Aggregate) -> Any:
    if aggregate.column is None:
        if aggregate.function != "count":
            raise SourceQueryError(f"{aggregate.function} needs a column")
        return func.count()
    column = column_of(table, aggregate.column)
    if aggregate.function == "count_distinct":
        return func.count(column.distinct())
    return getattr(func, aggregate.function)(column)
