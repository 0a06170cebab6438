"""Reading the access policy file: YAML whose errors name the file and line.

The file holds one top-level key, ``datasets``; any other key is a mistake
(``dataset:`` would otherwise apply no rule at all), so it is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from security.access_index import DatasetRules, PolicyRulesError, parse_rules

TOP_LEVEL_KEYS = frozenset({"datasets"})


class PolicyFileError(ValueError):
    """Raised when the policy file cannot be read or holds invalid rules."""


def load_policy_rules(path: Path) -> dict[str, DatasetRules]:
    """The rules of the policy file at ``path``; raises ``PolicyFileError``."""
    node = _compose(path)
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise PolicyFileError(f"{_where(path, node)}: the policy must be a mapping")
    lines = _check_top_level(path, node)
    document = yaml.SafeLoader("").construct_document(node)
    try:
        return parse_rules(document)
    except PolicyRulesError as error:
        raise PolicyFileError(f"{path}:{lines['datasets']}: {error}") from error


def _compose(path: Path) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PolicyFileError(
            f"cannot read the access policy {path}: not UTF-8 text "
            f"(byte {error.start}: {error.reason})"
        ) from error
    except OSError as error:
        raise PolicyFileError(
            f"cannot read the access policy {path}: {error}"
        ) from error
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise PolicyFileError(f"{where}: invalid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise PolicyFileError(f"{path}: invalid YAML: {error}") from error


def _check_top_level(path: Path, node: yaml.MappingNode) -> dict[str, int]:
    """Line of each top-level key; raises on a key the policy does not know."""
    lines: dict[str, int] = {}
    for key, _ in node.value:
        name = str(key.value)
        if name not in TOP_LEVEL_KEYS:
            raise PolicyFileError(
                f"{_where(path, key)}: unknown top-level key {name!r}; "
                f"the policy file has {', '.join(sorted(TOP_LEVEL_KEYS))}"
            )
        lines[name] = key.start_mark.line + 1
    return lines


def _where(path: Path, node: Any) -> str:
    mark = node.start_mark
    return f"{path}:{mark.line + 1}:{mark.column + 1}"
