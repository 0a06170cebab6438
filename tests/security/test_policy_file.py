"""The access policy file: mistakes are refused with the file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import load_security_files
from app.settings import SettingsError
from security.policy_file import load_policy_rules
from tests.app.conftest import make_settings


def write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"dataset:\n  x.y:\n    roles: [analyst]\n", ":1:1: unknown top-level key 'dataset'"),
        (b"a: &a [*a]\n", ":1:1: unknown top-level key 'a'"),
        (b"datasets:\n  x.y: {roles: [a]\n", ":3:1: invalid YAML"),
        (b"- datasets\n", ":1:1: the policy must be a mapping"),
        (b"\n\ndatasets:\n  x.y: {rolez: [a]}\n", ":3: policy rules for 'x.y': unknown keys"),
    ],
)  # fmt: skip
def test_mistakes_name_the_file_and_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = write(tmp_path, content)

    with pytest.raises(SettingsError) as raised:
        load_security_files(make_settings(tmp_path, access_policy_file=path))

    assert f"{path}{expected}" in str(raised.value)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "datasets:\n  x.y: {roles: [café]}\n".encode("latin-1"))

    with pytest.raises(SettingsError) as raised:
        load_security_files(make_settings(tmp_path, access_policy_file=path))

    assert f"cannot read the access policy {path}: not UTF-8" in str(raised.value)


def test_a_valid_file_gives_its_rules(tmp_path: Path) -> None:
    path = write(tmp_path, b"datasets:\n  x.y:\n    roles: [analyst]\n")

    rules = load_policy_rules(path)

    assert rules["x.y"].roles == frozenset({"analyst"})
    assert load_policy_rules(write(tmp_path, b"")) == {}
