"""The dashboard's own suites, run from pytest so that scripts/test covers them.

`npm test` runs the Vitest component tests; `npm run test:browser` drives
Debian's chromium with playwright-core against a `bigone demo` server that it
starts on a free loopback port with this interpreter, and saves a screenshot
per page under test-artifacts/. Without node_modules or chromium the tests are
skipped locally and fail with ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent.parent
FRONTEND = ROOT / "frontend"
CHROMIUM = Path(os.environ.get("BIGONE_CHROMIUM", "/usr/bin/chromium"))

pytestmark = pytest.mark.slow


def _skip_or_fail(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _run_npm(*arguments: str, timeout: int) -> None:
    npm = shutil.which("npm")
    if npm is None:
        _skip_or_fail("npm is not installed: the dashboard needs Node 20 and npm")
    if not (FRONTEND / "node_modules").is_dir():
        _skip_or_fail("frontend/node_modules is missing: run scripts/bootstrap first")
    env = {**os.environ, "BIGONE_PYTHON": sys.executable, "CI": "true"}
    completed = subprocess.run(
        [str(npm), *arguments],
        cwd=FRONTEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = completed.stdout[-20_000:] + completed.stderr[-10_000:]
    assert completed.returncode == 0, f"npm {' '.join(arguments)} failed:\n{output}"


def test_component_tests_pass() -> None:
    _run_npm("test", timeout=300)


def test_browser_tests_pass_against_the_demo_server() -> None:
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if not (FRONTEND / "dist" / "index.html").exists():
        _skip_or_fail("frontend/dist is missing: run scripts/bootstrap (npm run build)")

    started = time.time()

    _run_npm("run", "test:browser", timeout=600)

    shots = [
        path.name
        for path in (ROOT / "test-artifacts").glob("*.png")
        if path.stat().st_mtime >= started
    ]
    assert shots, "the browser suite saved no screenshot under test-artifacts/"
