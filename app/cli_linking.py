"""``bigone link``: link every mapped dataset of every source into entities.

The linking file (YAML) names, per dataset, the kind of entity its rows
describe and the columns to compare::

    duplicate_free: [dukcapil/penduduk]      # origins without duplicates
    cross_origin_only: false
    embeddings: true                         # embed names for blocking/scoring
    thresholds:                              # per kind, or kind + two origins
      - {kind: organisation, accept: 0.95, review: 0.6}
    mappings:
      - source: dinkop                       # a source of the sources file
        dataset: umkm
        kind: organisation
        key: [nib]
        name: nama_usaha
        columns: {identifier: nib, phone: telepon, region_code: kode_desa}
        address: [alamat, desa, kecamatan]

Sources come from the sources file (``--config``) through the source
registry; ``--connectors module:function`` names another factory (called
with the settings, returning ``{source name: Connector}``).
"""

from __future__ import annotations

import asyncio
import csv
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click
import yaml

from app.cli import configure_logging, load_settings, main
from app.settings import Settings
from connectors.base import Connector
from linking.blocking import BlockingConfig
from linking.clustering import DEFAULT_POLICY, ThresholdPolicy, Thresholds
from linking.engine import EngineConfig
from linking.errors import LinkingError
from linking.pipeline import LinkRunReport
from linking.sources import RecordMapping

STAGES = ("records", "state", "embeddings", "scoring", "store", "graph")


@main.command("link")
@click.option(
    "--mappings",
    "mappings_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    required=True,
    help="YAML file naming the datasets to link and their columns.",
)
@click.option(
    "--truth",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="CSV with columns record_id,entity: prints precision, recall and F1.",
)
@click.option(
    "--connectors",
    "factory_name",
    default=None,
    help="module:function returning {source: Connector}; default: the sources file.",
)
@click.pass_context
def link(
    ctx: click.Context,
    mappings_path: Path,
    truth: Path | None,
    factory_name: str | None,
) -> None:
    """Link every mapped dataset into entities with stable ids and provenance."""
    settings = load_settings(config=ctx.obj["config"])
    configure_logging(settings.log_level)
    try:
        plan = read_linking_file(mappings_path)
        report = asyncio.run(_run(settings, plan, truth, factory_name))
    except LinkingError as error:
        raise click.ClickException(str(error)) from error
    print_report(report)


class LinkingPlan:
    """The parsed linking file."""

    def __init__(
        self, mappings: list[RecordMapping], config: EngineConfig, embed: bool
    ):
        self.mappings = mappings
        self.config = config
        self.embed = embed


PLAN_KEYS = (
    "mappings",
    "cross_origin_only",
    "embeddings",
    "duplicate_free",
    "thresholds",
)
MAPPING_KEYS = (
    "source", "dataset", "kind", "key", "name", "columns", "address", "constants"
)  # fmt: skip


def read_linking_file(path: Path) -> LinkingPlan:
    """Parse the linking file; raises ``LinkingError`` naming the file and entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as error:
        raise LinkingError(f"{path}: cannot be read as UTF-8 text: {error}") from error
    except (yaml.YAMLError, RecursionError) as error:
        raise LinkingError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise LinkingError(f"{path}: the top level must be a mapping with `mappings`")
    _check_keys(path, "the top level", data, PLAN_KEYS)
    entries = data.get("mappings") or []
    if not entries:
        raise LinkingError(f"{path}: no `mappings` to link")
    if not isinstance(entries, list):
        raise LinkingError(f"{path}: `mappings` must be a list of mappings")
    mappings = [_mapping(path, index, entry) for index, entry in enumerate(entries)]
    config = EngineConfig(
        blocking=BlockingConfig(
            cross_origin_only=bool(data.get("cross_origin_only", False)),
            neighbours=5 if data.get("embeddings", True) else 0,
        ),
        duplicate_free=frozenset(data.get("duplicate_free") or ()),
        policy=_policy(path, data.get("thresholds") or []),
    )
    return LinkingPlan(mappings, config, bool(data.get("embeddings", True)))


def _check_keys(
    path: Path, where: str, entry: Mapping[str, Any], known: tuple[str, ...]
) -> None:
    unknown = sorted(str(key) for key in entry if key not in known)
    if unknown:
        raise LinkingError(
            f"{path}: {where} has unknown key {unknown[0]!r}; known keys are "
            f"{', '.join(known)}"
        )


def _mapping(path: Path, index: int, entry: Any) -> RecordMapping:
    if not isinstance(entry, dict):
        raise LinkingError(
            f"{path}: mappings[{index}] must be a mapping with source, dataset, kind, "
            f"key and name, not {entry!r}"
        )
    _check_keys(path, f"mappings[{index}]", entry, MAPPING_KEYS)
    try:
        return RecordMapping(
            source=str(entry["source"]),
            dataset=str(entry["dataset"]),
            kind=str(entry["kind"]),
            key_columns=_column_list(entry["key"]),
            name_column=str(entry["name"]),
            columns=dict(entry.get("columns") or {}),
            address_columns=_column_list(entry.get("address") or ()),
            constants=dict(entry.get("constants") or {}),
        )
    except KeyError as error:
        raise LinkingError(
            f"{path}: mappings[{index}] lacks {error.args[0]!r} "
            "(needs source, dataset, kind, key, name)"
        ) from error
    except (TypeError, ValueError) as error:
        raise LinkingError(
            f"{path}: mappings[{index}] has a value of the wrong shape: key and "
            "address take a column or a list of columns, columns and constants a "
            f"mapping ({error})"
        ) from error


def _column_list(value: Any) -> tuple[str, ...]:
    """Column names of ``key``/``address``: `key: id` is one column, not "i", "d"."""
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    if isinstance(value, dict):
        raise TypeError(f"expected a column or a list of columns, not {value!r}")
    return (str(value),)


def _policy(path: Path, entries: list[Mapping[str, Any]]) -> ThresholdPolicy:
    by_key = dict(DEFAULT_POLICY.by_key)
    for index, entry in enumerate(entries):
        try:
            key = (str(entry["kind"]), *sorted(entry.get("origins") or ()))
            by_key[key] = Thresholds(
                accept=float(entry["accept"]),
                review=float(entry.get("review", 0.5)),
                strong=float(entry.get("strong", 0.999)),
            )
        except (KeyError, ValueError) as error:
            raise LinkingError(
                f"{path}: thresholds[{index}] needs kind and accept: {error}"
            ) from error
    return ThresholdPolicy(by_key=by_key)


async def _run(
    settings: Settings, plan: LinkingPlan, truth: Path | None, factory_name: str | None
) -> LinkRunReport:
    from app.services import close_services, create_linking_backend, open_services
    from linking.pipeline import LinkingPipeline
    from linking.sources import collect_link_records
    from store.migrate import upgrade_store_async

    await upgrade_store_async(settings.effective_store_url)
    backend = create_linking_backend(settings)
    services = await open_services(settings)
    connectors = await _open_connectors(settings, factory_name)
    try:
        with click.progressbar(length=len(STAGES), label="linking") as bar:
            records = await collect_link_records(connectors, plan.mappings)
            bar.update(1)
            pipeline = LinkingPipeline(
                services.sessions,
                services.graph,
                config=plan.config,
                embedder=services.embedder if plan.embed else None,
                backend=backend,
            )
            labels = read_truth(truth) if truth else None
            return await pipeline.run(
                records, truth=labels, progress=lambda _stage: bar.update(1)
            )
    finally:
        for connector in connectors.values():
            await connector.close()
        await close_services(services)
        backend.close()


async def _open_connectors(
    settings: Settings, factory_name: str | None
) -> dict[str, Connector]:
    factory = _factory(factory_name) if factory_name else _sources_file_connectors
    connectors = await factory(settings)
    for connector in connectors.values():
        await connector.open()
    return connectors


def _factory(name: str) -> Callable[[Settings], Any]:
    module_name, _, function = name.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as error:
        raise LinkingError(
            f"--connectors {name!r}: cannot import it: {error}"
        ) from error


async def _sources_file_connectors(settings: Settings) -> dict[str, Connector]:
    """Connectors of the sources file, through the source registry ([B2])."""
    try:
        config_module = importlib.import_module("connectors.config")
        registry_module = importlib.import_module("connectors.registry")
    except ImportError as error:
        raise LinkingError(
            "no source registry in this build (connectors.registry); pass "
            "--connectors module:function"
        ) from error
    if settings.config is None:
        raise LinkingError("no sources file: pass --config or set BIGONE_CONFIG")
    registry = registry_module.SourceRegistry()
    await registry.load(config_module.load_config(settings.config))
    return {
        entry.config.name: registry.get(entry.config.name) for entry in registry.entries
    }


def read_truth(path: Path) -> dict[str, str]:
    """``record_id,entity`` rows; raises ``LinkingError`` naming the bad line."""
    truth: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            record, entity = row.get("record_id"), row.get("entity")
            if not record or not entity:
                raise LinkingError(
                    f"{path}:{line}: needs record_id and entity, got {dict(row)}"
                )
            truth[record] = entity
    return truth


def print_report(report: LinkRunReport) -> None:
    click.echo(
        f"records={report.records} entities={report.entities} "
        f"new_entities={report.new_entities} new_links={report.new_links} "
        f"review={report.review_items} pairs_blocked={report.pairs_blocked} "
        f"pairs_scored={report.pairs_scored} model={report.model_version} "
        f"seconds={report.seconds.get('total', 0.0):.2f}"
    )
    if report.blocking_recall is not None:
        click.echo(f"blocking_recall={report.blocking_recall:.4f}")
    if report.quality is not None:
        quality = report.quality
        click.echo(
            f"precision={quality.precision:.4f} recall={quality.recall:.4f} "
            f"f1={quality.f1:.4f}"
        )
