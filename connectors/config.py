"""The sources file: agencies and the sources they own, declared in YAML.

The smallest file names one agency and one source::

    agencies:
      - slug: dinkop
        name: Dinas Koperasi dan UKM
    sources:
      - name: dinkop
        kind: sql
        agency: dinkop
        url: sqlite+aiosqlite:///path/to/dinkop.db

Secrets never live in the file: any string may reference an environment
variable as ``${NAME}`` (``url: ${DINKOP_DB_URL}``), or a source names the
variable holding its URL with ``url_env: DINKOP_DB_URL``. Unknown keys, bad
values and unset variables raise ``ConfigError`` naming the file and line.

Keys of a source (all optional but ``name`` and ``kind``): ``agency`` (a declared
slug), ``title``, ``access_level`` (terbuka, terbatas or tertutup: the level its
datasets get when first catalogued; the server's uncatalogued level when
unset), ``url`` or ``url_env``, ``schema`` (database schema to
reflect), ``include``/``exclude`` (table names), ``statement_timeout_ms``
(5000), ``connect_timeout_ms`` (3000), ``pool_size`` (5), ``max_overflow`` (5),
and ``options`` (a mapping for kinds that need more).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from connectors.base import ConnectorError

ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class ConfigError(ConnectorError):
    """Raised when the sources file cannot be read, parsed or validated."""


class AgencyConfig(BaseModel):
    """A producing agency (OPD)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=NAME_PATTERN, max_length=64)
    name: str = Field(min_length=1, max_length=255)


class SourceConfig(BaseModel):
    """One connector instance; ``url`` is resolved from the environment when needed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN, max_length=63)
    kind: str = Field(min_length=1)
    agency: str | None = None
    title: str = ""
    access_level: Literal["terbuka", "terbatas", "tertutup"] | None = Field(
        default=None,
        description=(
            "Access level of this source's datasets when first catalogued; "
            "BIGONE_UNCATALOGUED_ACCESS_LEVEL when unset. Stewards change it later."
        ),
    )
    url: str | None = None
    url_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    db_schema: str | None = Field(
        default=None, alias="schema", description="Database schema to reflect."
    )
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    statement_timeout_ms: int = Field(default=5000, gt=0)
    connect_timeout_ms: int = Field(
        default=3000, gt=0, description="How long a down source may hold a request."
    )
    pool_size: int = Field(default=5, gt=0, le=100)
    max_overflow: int = Field(default=5, ge=0, le=100)
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_url(self) -> SourceConfig:
        if self.url and self.url_env:
            raise ValueError("give either url or url_env, not both")
        return self

    def resolve_url(self) -> str:
        """The connection URL, read from ``url_env`` when the file names a variable.

        Raises ``ConfigError`` when neither is given or the variable is unset.
        """
        if self.url:
            return self.url
        if self.url_env:
            value = os.environ.get(self.url_env)
            if not value:
                raise ConfigError(
                    f"source {self.name!r}: environment variable {self.url_env} "
                    "is not set; export it with the connection URL",
                    source=self.name,
                )
            return value
        raise ConfigError(
            f"source {self.name!r} has neither url nor url_env", source=self.name
        )


class BigOneConfig(BaseModel):
    """The whole sources file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agencies: tuple[AgencyConfig, ...] = ()
    sources: tuple[SourceConfig, ...] = ()
    # Sections of the same file that other domains read and validate themselves:
    # Big Social's tracked entities, issue taxonomy and export profiles, and
    # Big Market's profiles and settings.
    tracked_entities: Any = None
    issues: Any = None
    social_profiles: Any = None
    market: Any = None

    @model_validator(mode="after")
    def _check_references(self) -> BigOneConfig:
        _require_unique("agency slug", [agency.slug for agency in self.agencies])
        _require_unique("source name", [source.name for source in self.sources])
        slugs = {agency.slug for agency in self.agencies}
        for source in self.sources:
            if source.agency is not None and source.agency not in slugs:
                raise ValueError(
                    f"source {source.name!r} names agency {source.agency!r}, which is "
                    f"not declared under agencies (declared: {sorted(slugs)})"
                )
        return self

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(f"no source named {name!r} in the configuration")


def _require_unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is declared twice")
        seen.add(value)


def load_config(path: Path) -> BigOneConfig:
    """Read and validate the sources file at ``path``.

    Returns the configuration with ``${NAME}`` references replaced from the
    environment. Raises ``ConfigError`` naming the file and line of the fault.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read the sources file {path}: {error}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}:{line}: byte {data[error.start]:#04x} is not UTF-8; save the "
            "sources file as UTF-8"
        ) from error
    return parse_config(text, origin=str(path))


def parse_config(text: str, *, origin: str = "<config>") -> BigOneConfig:
    """Validate the YAML ``text``; ``origin`` names it in error messages."""
    node = _compose(text, origin)
    data = _to_python(node, origin) if node is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping")
    try:
        return BigOneConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, node, origin)) from error


def _compose(text: str, origin: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{origin}:{mark.line + 1}:{mark.column + 1}" if mark else origin
        raise ConfigError(f"{where}: invalid YAML: {error.problem}") from error


def _to_python(
    node: yaml.Node, origin: str, within: frozenset[int] = frozenset()
) -> Any:
    """Construct plain values, replacing ``${NAME}`` in strings from the environment.

    ``within`` holds the collections being built: an alias inside its own
    anchor (``a: &a [*a]``) would otherwise recurse without end.
    """
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if id(node) in within:
            line = node.start_mark.line + 1
            raise ConfigError(f"{origin}:{line}: an alias refers to its own anchor")
        within = within | {id(node)}
    if isinstance(node, yaml.MappingNode):
        return {
            _to_python(key, origin, within): _to_python(value, origin, within)
            for key, value in node.value
        }
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, origin, within) for item in node.value]
    value = yaml.SafeLoader("").construct_object(node)
    if isinstance(value, str):
        return _expand(value, node, origin)
    return value


def _expand(value: str, node: yaml.Node, origin: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            line = node.start_mark.line + 1
            raise ConfigError(
                f"{origin}:{line}: environment variable {name} is referenced but "
                "not set; export it before starting"
            )
        return os.environ[name]

    return ENV_REFERENCE.sub(replace, value)


def _describe(error: ValidationError, root: yaml.Node | None, origin: str) -> str:
    problems = []
    for item in error.errors():
        location = tuple(item["loc"])
        line = _line_of(root, location)
        where = f"{origin}:{line}" if line else origin
        dotted = ".".join(str(part) for part in location) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (check its spelling against the documented keys)"
        problems.append(f"{where}: {dotted}: {message} (got {item.get('input')!r})")
    return "invalid sources file:\n  " + "\n  ".join(problems)


def _line_of(node: yaml.Node | None, location: tuple[Any, ...]) -> int | None:
    """The 1-based line of the key or item at ``location``, or of its nearest ancestor."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        found = _child(node, part)
        if found is None:
            break
        node, line = found
    return line


def _child(node: yaml.Node | None, part: Any) -> tuple[yaml.Node, int] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value, key.start_mark.line + 1
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        items: list[yaml.Node] = node.value
        if part < len(items):
            return items[part], items[part].start_mark.line + 1
    return None


def source_settings(source: SourceConfig) -> Mapping[str, Any]:
    """What the catalog records of a source: its settings without any secret."""
    settings = source.model_dump(mode="json", by_alias=True, exclude={"url"})
    settings["url"] = "(from environment)" if source.url_env else _mask(source.url)
    return settings


def _mask(url: str | None) -> str | None:
    if url is None:
        return None
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    hidden = f"{user}:********" if has_password else user
    return f"{scheme}://{hidden}@{location}"
