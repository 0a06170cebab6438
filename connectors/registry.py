"""The registry of configured sources: their connectors, states and datasets.

A source is ``configured`` until opened, ``ready`` once it has been described,
``down`` when it does not answer (its datasets keep their last description, so
the schema keeps their fields and they fail alone), and ``error`` when its
configuration cannot be used. Sources can be added, refreshed and removed while
the server runs; listeners learn of every change so the schema follows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from connectors.base import Connector, ConnectorError, DatasetInfo, UnknownDatasetError
from connectors.config import BigOneConfig, ConfigError, SourceConfig

logger = logging.getLogger(__name__)

SourceState = Literal["configured", "ready", "down", "error"]
ConnectorFactory = Callable[[SourceConfig], Connector]
ChangeListener = Callable[["SourceRegistry"], Awaitable[None]]

CONNECTOR_KINDS: dict[str, ConnectorFactory] = {}


def register_kind(kind: str, factory: ConnectorFactory) -> None:
    """Make sources of ``kind`` buildable by ``factory`` (one call per kind)."""
    CONNECTOR_KINDS[kind] = factory


def _register_builtin_kinds() -> None:
    from connectors.sql import SqlConnector

    register_kind("sql", SqlConnector)


@dataclass
class SourceEntry:
    """One source with its connector, last state and last description."""

    config: SourceConfig
    connector: Connector | None
    state: SourceState = "configured"
    error: str | None = None
    datasets: list[DatasetInfo] = field(default_factory=list)
    # A built-in source (the store's file datasets): not from the sources file,
    # kept by `load`, and catalogued by its own ingestion rather than by sync.
    builtin: bool = False


class SourceRegistry:
    """Every configured source; one per process, safe to share between tasks.

    Changes (``load``, ``refresh``, ``remove``) are serialised by a lock; readers
    see either the old or the new entry, never a half-built one.
    """

    def __init__(self) -> None:
        self.config = BigOneConfig()
        self._entries: dict[str, SourceEntry] = {}
        self._lock = asyncio.Lock()
        self._listeners: list[ChangeListener] = []
        self.version = 0

    def on_change(self, listener: ChangeListener) -> None:
        """Call ``listener`` after every change of sources or their datasets."""
        self._listeners.append(listener)

    @property
    def entries(self) -> list[SourceEntry]:
        return list(self._entries.values())

    def get(self, name: str) -> Connector:
        """The connector of source ``name``; raises ``UnknownDatasetError``."""
        entry = self._entries.get(name)
        if entry is None or entry.connector is None:
            raise UnknownDatasetError(f"no usable source named {name!r}", source=name)
        return entry.connector

    def find_entry(self, name: str) -> SourceEntry | None:
        return self._entries.get(name)

    async def load(self, config: BigOneConfig) -> None:
        """Make the sources those of ``config``: open new ones, reopen changed ones,
        close removed ones. A source that is down does not stop the others.
        """
        async with self._lock:
            self.config = config
            wanted = {source.name: source for source in config.sources}
            builtins = {n: e for n, e in self._entries.items() if e.builtin}
            for name in [n for n in self._entries if n not in wanted | builtins]:
                await self._close(self._entries.pop(name))
            await asyncio.gather(
                *(self._load_one(source) for source in wanted.values())
            )
            self._entries = {
                **builtins,
                **{name: self._entries[name] for name in wanted},
            }
        await self._changed()

    async def add_builtin(self, config: SourceConfig, connector: Connector) -> None:
        """Add a source that the sources file does not declare; ``load`` keeps it."""
        async with self._lock:
            entry = SourceEntry(config, connector, builtin=True)
            self._entries[config.name] = entry
            await self._describe(entry)
        await self._changed()

    async def _load_one(self, source: SourceConfig) -> None:
        current = self._entries.get(source.name)
        if current is not None and current.config == source:
            if current.state != "ready":
                await self._describe(current)
            return
        if current is not None:
            await self._close(current)
        entry = self._build(source)
        self._entries[source.name] = entry
        await self._describe(entry)

    def _build(self, source: SourceConfig) -> SourceEntry:
        if not CONNECTOR_KINDS:
            _register_builtin_kinds()
        factory = CONNECTOR_KINDS.get(source.kind)
        if factory is None:
            return SourceEntry(
                source,
                None,
                state="error",
                error=f"unknown source kind {source.kind!r}; known kinds are "
                f"{sorted(CONNECTOR_KINDS)}",
            )
        return SourceEntry(source, factory(source))

    async def _describe(self, entry: SourceEntry) -> None:
        if entry.connector is None:
            return
        try:
            await entry.connector.open()
            refresh = getattr(entry.connector, "refresh", None)
            datasets = await (refresh() if refresh else entry.connector.describe())
        except ConfigError as error:
            entry.state, entry.error = "error", str(error)
        except ConnectorError as error:
            entry.state, entry.error = "down", str(error)
            logger.warning("source.down source=%s error=%s", entry.config.name, error)
        else:
            entry.state, entry.error, entry.datasets = "ready", None, datasets
            logger.info(
                "source.ready source=%s datasets=%d", entry.config.name, len(datasets)
            )

    async def refresh(self, name: str) -> SourceEntry:
        """Reflect source ``name`` again (new tables, changed columns) and notify."""
        async with self._lock:
            entry = self._entries.get(name)
            if entry is None:
                raise ConfigError(f"no source named {name!r} is configured")
            await self._describe(entry)
        await self._changed()
        return entry

    async def ping(self, name: str) -> SourceEntry:
        """Check that source ``name`` answers, updating its state."""
        entry = self._entries[name]
        if entry.connector is None:
            return entry
        try:
            await entry.connector.ping()
        except ConnectorError as error:
            entry.state, entry.error = "down", str(error)
        else:
            if entry.state == "down" and entry.datasets:
                entry.state, entry.error = "ready", None
            elif entry.state != "ready":
                await self.refresh(name)
        return entry

    async def close(self) -> None:
        """Close every connector."""
        async with self._lock:
            for entry in self._entries.values():
                await self._close(entry)
            self._entries = {}

    async def _close(self, entry: SourceEntry) -> None:
        if entry.connector is not None:
            try:
                await entry.connector.close()
            except ConnectorError as error:
                logger.warning(
                    "source.close_failed source=%s error=%s", entry.config.name, error
                )

    async def _changed(self) -> None:
        self.version += 1
        for listener in self._listeners:
            await listener(self)
