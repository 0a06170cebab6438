"""docker-compose.yml must pass `docker compose config` with the example env file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent


def has_compose() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, check=False
    )
    return probe.returncode == 0


def test_compose_file_is_valid(tmp_path: Path) -> None:
    if not has_compose():
        message = "the docker compose plugin is missing: run scripts/compose-plugin"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    env = (ROOT / ".env.example").read_text(encoding="utf-8")
    filled = "\n".join(
        f"{line}test-value" if line.endswith("=") else line for line in env.splitlines()
    )
    env_file = tmp_path / ".env"
    env_file.write_text(filled, encoding="utf-8")

    result = subprocess.run(
        ["docker", "compose", "--env-file", str(env_file), "-f",
         str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
