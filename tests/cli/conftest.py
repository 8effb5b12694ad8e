"""The ``cli`` fixture: run ``tradefin`` in-process against the session chain, deployments in a temp folder."""

import datetime as dt
import json
from pathlib import Path

import pytest

from tradefin.cli.main import main

DAY = 86_400


@pytest.fixture
def deployments_dir(tmp_path) -> Path:
    """Where the commands record deployments (a module may share one across its tests)."""
    return tmp_path / "deployments"


@pytest.fixture
def cli(capsys, project, monkeypatch, session_chain, deployments_dir):
    """``cli(*argv) -> (exit code, stdout, stderr)``; chain commands get ``--rpc-url`` of the session chain."""
    monkeypatch.chdir(project.root)
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: deployments_dir))

    def run(*argv: str) -> tuple[int, str, str]:
        offline = "--help" in argv or argv[:2] == ("bl", "sample")
        code = main(list(argv) if offline else [*argv, "--rpc-url", session_chain.rpc_url])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def ok(cli):
    """Like ``cli``, asserting success; the stdout."""

    def run(*argv: str) -> str:
        code, out, err = cli(*argv)
        assert code == 0, f"{argv}: {err}"
        return out

    return run


@pytest.fixture
def day(session_chain):
    """``day(n)``: the ISO date ``n`` days from the chain's now (UTC)."""
    return lambda days: iso_day(session_chain, days)


def iso_day(chain, days: int) -> str:
    return dt.datetime.fromtimestamp(chain.timestamp() + days * DAY, dt.UTC).date().isoformat()


@pytest.fixture
def bill(ok, day, tmp_path) -> str:
    """The registry deployed and a to-order bill, shipped on board today, issued to the shipper; its id."""
    document = json.loads(ok("bl", "sample", "--reference", "OTCLSHA-CLI-1"))
    document["shippedOnBoardDate"] = document["issueDate"] = day(0)
    path = tmp_path / "bill.json"
    path.write_text(json.dumps(document))
    ok("bl", "deploy")
    return ok("bl", "issue", str(path), "--to", "shipper").split()[2]


@pytest.fixture
def hkd(ok):
    """The issuing bank's HKD deposit token; the buyer and the financier hold HKD 1,000,000.00 each."""
    ok("money", "deploy", "--as", "issuing_bank", "--currency", "HKD")
    for holder in ("buyer", "financier"):
        ok("money", "mint", holder, "1000000.00")


@pytest.fixture
def invoice(tmp_path) -> Path:
    path = tmp_path / "invoice.txt"
    path.write_text("Commercial invoice HX-2025-0314: 1,200 LED monitors, HKD 486,000.00\n")
    return path
