"""Ingesting agency files into the store: atomic per file, idempotent by checksum.

For each table of a file the catalog (agency, source, dataset, columns), the
``ds_*`` table with the rows and the ingestion run are written in ONE
transaction, so a failure leaves the store exactly as it was; only the failed
run itself is recorded, in a transaction of its own. The same bytes again
change nothing (the run is recorded as ``unchanged``); changed bytes replace
the rows and raise the dataset's version.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.file_problems import FileFormatError, FileProblem, reject
from connectors.file_reader import (
    SUFFIXES,
    ParsedFile,
    ParsedTable,
    checksum_of,
    read_file,
)
from connectors.file_tables import ROW_COLUMN, build_table, slugify, table_name_for
from store.base import utcnow
from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.engine import transaction
from store.files import FileDataset

logger = logging.getLogger(__name__)

INSERT_BATCH = 1000
PERSONAL_KINDS = frozenset({"nik", "npwp", "telepon"})
RunStatus = Literal["succeeded", "unchanged", "failed"]


@dataclass(frozen=True)
class FileOptions:
    """How to read and where to file the input; ``dataset`` defaults to the file name."""

    agency: str
    dataset: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


@dataclass
class IngestionOutcome:
    """What one run did to one dataset (or why the file was rejected)."""

    file: str
    status: RunStatus
    run_id: int
    dataset: str | None = None
    dataset_id: int | None = None
    table_name: str | None = None
    version: int | None = None
    rows: int = 0
    problems: list[FileProblem] = field(default_factory=list)


def list_input_files(path: Path) -> list[Path]:
    """``path`` itself, or the supported files under a folder in name order.

    Raises ``FileFormatError`` when there is nothing to ingest.
    """
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise reject(str(path), "no such file or folder")
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
    )
    if not files:
        raise reject(str(path), f"the folder holds no file of types {sorted(SUFFIXES)}")
    return files


async def ingest_path(
    sessions: async_sessionmaker[AsyncSession], path: Path, options: FileOptions
) -> list[IngestionOutcome]:
    """Ingest a file or every supported file of a folder, each atomically.

    A rejected file gives a ``failed`` outcome with its problems and does not
    stop the others. Unsafe to run concurrently for the same dataset.
    """
    files = list_input_files(path)
    outcomes: list[IngestionOutcome] = []
    for file in files:
        name = options.dataset
        if name and len(files) > 1:
            name = f"{name}_{file.stem}"
        file_options = FileOptions(
            options.agency, name, options.encoding, options.delimiter
        )
        outcomes.extend(await ingest_file(sessions, file, file_options))
    return outcomes


async def ingest_file(
    sessions: async_sessionmaker[AsyncSession], path: Path, options: FileOptions
) -> list[IngestionOutcome]:
    """Ingest one file: one outcome per table (a workbook may hold several)."""
    started = time.monotonic()
    try:
        parsed = await asyncio.to_thread(
            read_file, path, encoding=options.encoding, delimiter=options.delimiter
        )
    except FileFormatError as error:
        return [await _record_failure(sessions, path, options, error.problems, started)]
    try:
        return await _ingest_tables(sessions, parsed, options, started)
    except FileFormatError as error:
        return [await _record_failure(sessions, path, options, error.problems, started)]
    except (sa.exc.DataError, sa.exc.IntegrityError) as error:
        problem = FileProblem(
            file=parsed.path,
            message=f"the store refused a value: {error.orig or error}",
        )
        return [await _record_failure(sessions, path, options, [problem], started)]


async def _ingest_tables(
    sessions: async_sessionmaker[AsyncSession],
    parsed: ParsedFile,
    options: FileOptions,
    started: float,
) -> list[IngestionOutcome]:
    """Every table of the file in one transaction: all of them or none."""
    outcomes = []
    async with transaction(sessions) as session:
        for table in parsed.tables:
            name = _dataset_name(parsed, table, options)
            outcomes.append(
                await _ingest_table(session, parsed, table, name, options, started)
            )
    for outcome in outcomes:
        logger.info(
            "file.ingested file=%s dataset=%s status=%s rows=%d version=%s",
            outcome.file,
            outcome.dataset,
            outcome.status,
            outcome.rows,
            outcome.version,
        )
    return outcomes


def _dataset_name(parsed: ParsedFile, table: ParsedTable, options: FileOptions) -> str:
    base = options.dataset or Path(parsed.path).stem
    if table.sheet and len(parsed.tables) > 1:
        return slugify(f"{base} {table.sheet}")
    return slugify(base)


async def _ingest_table(
    session: AsyncSession,
    parsed: ParsedFile,
    table: ParsedTable,
    name: str,
    options: FileOptions,
    started: float,
) -> IngestionOutcome:
    dataset = await _ensure_dataset(session, options.agency, name, table)
    stored = await session.get(FileDataset, dataset.id)
    same = stored is not None and stored.checksum == parsed.checksum
    if same and stored is not None and stored.sheet == table.sheet:
        status: RunStatus = "unchanged"
    else:
        status = "succeeded"
        # Catalog rows are written before the table DDL on purpose: SQLite's
        # driver (pysqlite) autocommits DDL issued before the first DML of a
        # transaction, and the DDL must roll back with everything else.
        replacing = stored is not None
        stored = await _write_catalog(session, dataset, stored, parsed, table, options)
        await _replace_rows(session, stored.table_name, table, replacing=replacing)
    run = _run(parsed, table, dataset, status, started)
    session.add(run)
    await session.flush()
    return IngestionOutcome(
        file=parsed.path,
        status=status,
        run_id=run.id,
        dataset=name,
        dataset_id=dataset.id,
        table_name=stored.table_name,
        version=dataset.version,
        rows=dataset.row_count or 0,
        problems=table.problems,
    )


async def _ensure_dataset(
    session: AsyncSession, agency_slug: str, name: str, table: ParsedTable
) -> Dataset:
    """The dataset row, created (with agency and file source) on first sight."""
    slug = slugify(agency_slug)
    agency = await session.scalar(sa.select(Agency).where(Agency.slug == slug))
    if agency is None:
        agency = Agency(slug=slug, name=agency_slug)
        session.add(agency)
        await session.flush()
    source_name = f"files:{slug}"
    source = await session.scalar(sa.select(Source).where(Source.name == source_name))
    if source is None:
        source = Source(name=source_name, kind="file", agency_id=agency.id, settings={})
        session.add(source)
        await session.flush()
    query = sa.select(Dataset).where(
        Dataset.source_id == source.id, Dataset.name == name
    )
    dataset = await session.scalar(query)
    if dataset is None:
        dataset = Dataset(
            source_id=source.id, name=name, version=0, title=_title(table, name)
        )
        dataset.keywords = []
        session.add(dataset)
        await session.flush()
    return dataset


def _title(table: ParsedTable, name: str) -> str:
    return table.title or name.replace("_", " ").strip().capitalize()


async def _write_catalog(
    session: AsyncSession,
    dataset: Dataset,
    stored: FileDataset | None,
    parsed: ParsedFile,
    table: ParsedTable,
    options: FileOptions,
) -> FileDataset:
    dataset.version += 1
    dataset.row_count = len(table.rows)
    dataset.updated_at = utcnow()
    await _write_columns(session, dataset, table)
    if stored is None:
        agency = Path(options.agency).name
        stored = FileDataset(
            dataset_id=dataset.id, table_name=table_name_for(agency, dataset.name)
        )
        session.add(stored)
    stored.file_path = parsed.path
    stored.sheet = table.sheet
    stored.file_format = parsed.format
    stored.checksum = parsed.checksum
    stored.encoding = parsed.encoding
    stored.delimiter = parsed.delimiter
    stored.row_count = len(table.rows)
    stored.loaded_at = utcnow()
    await session.flush()
    return stored


async def _write_columns(
    session: AsyncSession, dataset: Dataset, table: ParsedTable
) -> None:
    """Columns as the file now has them; steward-written metadata of kept columns stays."""
    existing = {
        column.name: column
        for column in await session.scalars(
            sa.select(DatasetColumn).where(DatasetColumn.dataset_id == dataset.id)
        )
    }
    for position, parsed in enumerate(table.columns):
        column = existing.pop(parsed.name, None)
        if column is None:
            column = DatasetColumn(
                dataset_id=dataset.id, name=parsed.name, description=parsed.label
            )
            column.unit, column.code_kind = parsed.unit, parsed.code_kind
            session.add(column)
        column.position = position
        column.data_type = parsed.data_type
        column.code_kind = column.code_kind or parsed.code_kind
        column.is_personal = (column.code_kind or "") in PERSONAL_KINDS
    for stale in existing.values():
        await session.delete(stale)
    await session.flush()


async def _replace_rows(
    session: AsyncSession, table_name: str, table: ParsedTable, *, replacing: bool
) -> None:
    """Create the dataset's table anew and insert the rows.

    Raises ``FileFormatError`` when a new dataset's table name is already taken
    by a table no dataset owns: it is never dropped.
    """
    target = build_table(table_name, [(c.name, c.data_type) for c in table.columns])
    connection = await session.connection()
    exists = await connection.run_sync(
        lambda sync: sa.inspect(sync).has_table(table_name)
    )
    if exists and not replacing:
        raise reject(
            table.file,
            f"the store already holds a table {table_name} that no dataset owns; "
            "name the dataset differently (--dataset) or remove that table",
            sheet=table.sheet,
        )
    if exists:
        await connection.run_sync(target.drop)
    await connection.run_sync(target.create)
    names = [ROW_COLUMN, *(column.name for column in table.columns)]
    for start in range(0, len(table.rows), INSERT_BATCH):
        batch = [
            dict(zip(names, (number, *row), strict=True))
            for number, row in zip(
                table.row_numbers[start : start + INSERT_BATCH],
                table.rows[start : start + INSERT_BATCH],
                strict=True,
            )
        ]
        await connection.execute(target.insert(), batch)


def _run(
    parsed: ParsedFile,
    table: ParsedTable,
    dataset: Dataset,
    status: RunStatus,
    started: float,
) -> IngestionRun:
    return IngestionRun(
        kind="file",
        source_id=dataset.source_id,
        dataset_id=dataset.id,
        input_name=parsed.path,
        input_checksum=parsed.checksum,
        status=status,
        finished_at=utcnow(),
        duration_ms=int((time.monotonic() - started) * 1000),
        counts={
            **table.counts,
            "rows_loaded": len(table.rows) if status == "succeeded" else 0,
            "bytes": parsed.size,
        },
        errors=[problem.as_dict() for problem in table.problems],
        details={
            "format": parsed.format,
            "encoding": parsed.encoding,
            "delimiter": parsed.delimiter,
            "sheet": table.sheet,
            "version": dataset.version,
        },
    )


def _checksum_or_none(path: Path) -> str | None:
    return checksum_of(path.read_bytes()) if path.is_file() else None


async def _record_failure(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    options: FileOptions,
    problems: Sequence[FileProblem],
    started: float,
) -> IngestionOutcome:
    """Record the rejected run alone; nothing else of the store is touched."""
    checksum = await asyncio.to_thread(_checksum_or_none, path)
    details: dict[str, Any] = {"agency": options.agency, "dataset": options.dataset}
    async with transaction(sessions) as session:
        run = IngestionRun(
            kind="file",
            input_name=str(path),
            input_checksum=checksum,
            status="failed",
            finished_at=utcnow(),
            duration_ms=int((time.monotonic() - started) * 1000),
            counts={"rows_loaded": 0},
            errors=[problem.as_dict() for problem in problems],
            details=details,
        )
        session.add(run)
        await session.flush()
    logger.warning("file.rejected file=%s problems=%d", path, len(problems))
    return IngestionOutcome(
        file=str(path), status="failed", run_id=run.id, problems=list(problems)
    )
