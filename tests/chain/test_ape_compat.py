"""ape compiles and tests the same contracts with the same compiler (the launcher tradefin installs)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradefin.compiler import ensure_compiler

pytestmark = pytest.mark.ape

APE = Path(sys.executable).with_name("ape")


def _ape(project, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [str(APE), *args], cwd=project.root, capture_output=True, text=True, env=env, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def ape_ready(project):
    if not APE.is_file():
        pytest.fail("ape is a dev dependency and must be installed (make setup)")
    ensure_compiler(project)


def test_ape_compile_uses_the_pinned_compiler(project, ape_ready):
    result = _ape(project, "compile", "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0.8.28" in result.stdout + result.stderr


def test_ape_test_runs_against_the_same_contracts(project, ape_ready):
    result = _ape(
        project, "test", "tests/ape/ape_probe.py", "-o", "addopts=", "-p", "no:tradefin", "-p", "no:cacheprovider", "-q"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "2 passed" in result.stdout


def test_flows_run_with_ape_run_on_apes_foundry_network(project, ape_ready):
    env_path = f"{project.node_modules / '.bin'}:{os.environ.get('PATH', '')}"
    result = subprocess.run(
        [str(APE), "run", "settle", "--network", "ethereum:local:foundry"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": env_path},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "done:" in result.stdout and "transactions" in result.stdout
