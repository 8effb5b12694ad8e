"""``tradefin resume --cross-border``: a cross-border demo run killed mid-flow (``TRADEFIN_FAULT``, the process
dies right after broadcasting a step) is finished through the CLI with the demo's relayer and committee; every
transaction is sent once (each party's nonce on each ledger moves by its number of steps there)."""

import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from tradefin.chain.accounts import ROLES, dev_account
from tradefin.flows.journal import Journal

from .conftest import HONG_KONG_CHAIN_ID

DEMO = """
import sys
from pathlib import Path
from tradefin.crossborder.demo import run_cross_border_demo
from tradefin.crossborder.ledgers import Ledgers

work = Path(sys.argv[1])
urls = dict(arg.split("=", 1) for arg in sys.argv[2:])
with Ledgers.open(rpc_urls=urls, deployments_dir=work / "deployments") as ledgers:
    run_cross_border_demo(ledgers, work_dir=work, report_dir=work / "reports")
"""

ADDRESSES = {role: dev_account(i).address for i, role in enumerate(ROLES)}


def _nonces(ledgers) -> dict[tuple[str, str], int]:
    return {
        (name, role): int(chain.rpc("eth_getTransactionCount", [address, "latest"]), 16)
        for name, chain in ledgers.items()
        for role, address in ADDRESSES.items()
    }


def _crash_demo(project, tmp_path, ledgers, crash_after: str) -> None:
    env = {**os.environ, "TRADEFIN_FAULT": f"after-sent:{crash_after}"}
    env["TRADEFIN_DEV_CHAIN_IDS"] = str(HONG_KONG_CHAIN_ID)
    urls = [f"{name}={chain.rpc_url}" for name, chain in ledgers.items()]
    crashed = subprocess.run(
        [sys.executable, "-c", DEMO, str(tmp_path), *urls],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert crashed.returncode == 86, crashed.stdout + crashed.stderr


@pytest.mark.parametrize(
    ("crash_after", "unfinished"),
    [
        ("pledge to hong kong", "bridge-and-settle"),  # the relayer's claim and confirmation are still to come
        ("lock money", "cross-chain-dvp"),  # the first flow done, the second half-way
    ],
)
def test_demo_killed_mid_flow_resumes_through_the_cli(project, tmp_path, ledgers, run, crash_after, unfinished):
    before = _nonces(ledgers)
    _crash_demo(project, tmp_path, ledgers, crash_after)
    journal_path = tmp_path / "flows.sqlite"
    journal = Journal(journal_path)
    assert [r.status for r in journal.runs()][-1] == "running"  # the process died with the run half-way
    journal.close()
    urls = [arg for name, chain in ledgers.items() for arg in ("--ledger-url", f"{name}={chain.rpc_url}")]

    # the single-chain resume points at --cross-border in one line
    code, _, err = run("resume", "--journal", str(journal_path), "--rpc-url", ledgers["shanghai"].rpc_url, urls=False)
    assert code != 0 and err.count("\n") == 1 and "is a cross-border run" in err and "--cross-border" in err, err

    code, out, err = run("resume", "--cross-border", "--journal", str(journal_path), *urls, urls=False)
    assert code == 0, out + err
    journal = Journal(journal_path)
    try:
        runs = journal.runs()
        assert [r.flow for r in runs][-1] == unfinished
        assert all(r.status == "done" for r in runs)
        steps = [s for r in runs for s in journal.steps(r.id)]
        assert all(s.status == "done" for s in steps)
        resumed = runs[-1]
        count = len(journal.steps(resumed.id))
        assert f"resuming run {resumed.id} ({unfinished})" in out
        assert f"run {resumed.id} done: {count} steps" in out
        assert out.count("resuming run") == 1  # a finished run is not resumed again
        # the timeline: one line per step of the resumed run, naming its ledger and party
        timeline = [line for line in out.splitlines() if line.startswith("  ")]
        assert len(timeline) == count
        if unfinished == "bridge-and-settle":
            assert any("hong-kong" in line and "relayer" in line for line in timeline)
        # exactly one transaction per step: each party's nonce on each ledger moved by its steps there
        sent = Counter((s.result["chain"], s.party) for s in steps if s.result is not None)
        after = _nonces(ledgers)
        for (ledger, role), nonce in after.items():
            assert nonce - before[ledger, role] == sent[ledger, role], (ledger, role)
        for step in steps:
            chain = ledgers[step.result["chain"]]
            receipt = chain.rpc("eth_getTransactionReceipt", [step.result["tx_hash"]])  # (the relayer's too)
            assert receipt is not None and receipt["status"] == "0x1", step.name
    finally:
        journal.close()

    # resuming again finds nothing to do
    code, out, err = run("resume", "--cross-border", "--journal", str(journal_path), *urls, urls=False)
    assert code == 0 and "nothing to resume" in out, err
    assert _nonces(ledgers) == after


def test_demo_cross_border_resume_finishes_the_demo_and_writes_its_report(project, tmp_path, ledgers, run, monkeypatch):
    """Killed in the first flow: ``tradefin demo --cross-border --resume`` finishes it, runs the second flow it had
    not started and writes the report; again, it sends nothing and writes the same figures."""
    import json

    from tradefin.crossborder import demo as demo_module

    before = _nonces(ledgers)
    _crash_demo(project, tmp_path, ledgers, "pledge to hong kong")
    monkeypatch.setattr(demo_module, "WORK_DIR", tmp_path)  # where the crashed demo journaled
    monkeypatch.setattr(type(project), "reports_dir", property(lambda self: tmp_path / "reports"))
    urls = [arg for name, chain in ledgers.items() for arg in ("--ledger-url", f"{name}={chain.rpc_url}")]

    code, out, err = run("demo", "--cross-border", "--resume", *urls, urls=False)
    assert code == 0, out + err
    assert "(resuming run 1)" in out and "cross-chain-dvp" in out
    journal = Journal(tmp_path / "flows.sqlite")
    try:
        runs = journal.runs()
        assert [(r.flow, r.status) for r in runs] == [("bridge-and-settle", "done"), ("cross-chain-dvp", "done")]
        steps = [s for r in runs for s in journal.steps(r.id)]
    finally:
        journal.close()
    sent = Counter((s.result["chain"], s.party) for s in steps if s.result is not None)
    after = _nonces(ledgers)
    for (ledger, role), nonce in after.items():
        assert nonce - before[ledger, role] == sent[ledger, role], (ledger, role)
    report = json.loads((tmp_path / "reports" / "cross-border.json").read_text())
    assert [(f["name"], len(f["steps"])) for f in report["flows"]] == [
        ("bridge-and-settle", sum(s.run_id == runs[0].id for s in steps)),
        ("cross-chain-dvp", sum(s.run_id == runs[1].id for s in steps)),
    ]

    code, out, err = run("demo", "--cross-border", "--resume", *urls, urls=False)  # a finished demo: nothing sent
    assert code == 0, out + err
    assert _nonces(ledgers) == after
    assert json.loads((tmp_path / "reports" / "cross-border.json").read_text()) == report


def test_demo_cross_border_resume_without_a_demo_is_one_clear_error(project, tmp_path, ledgers, run, monkeypatch):
    from tradefin.crossborder import demo as demo_module

    monkeypatch.setattr(demo_module, "WORK_DIR", tmp_path)
    urls = [arg for name, chain in ledgers.items() for arg in ("--ledger-url", f"{name}={chain.rpc_url}")]
    code, _, err = run("demo", "--cross-border", "--resume", *urls, urls=False)
    assert code != 0 and err.count("\n") == 1 and "no cross-border demo to resume" in err, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["resume", "--ledger-url", "shanghai=http://127.0.0.1:1"], "add --cross-border"),
        (["resume", "--state-dir", "chains"], "add --cross-border"),
        (["resume", "--cross-border"], "needs the ledgers the runs were on"),
        (["resume", "--cross-border", "--rpc-url", "http://127.0.0.1:1"], "--ledger-url LEDGER=URL"),
        (["resume", "--cross-border", "--ledger-url", "tokyo=http://127.0.0.1:1"], "unknown ledger 'tokyo'"),
        (["resume", "--cross-border", "--ledger-url", "shanghai=http://127.0.0.1:1"], "missing hong-kong"),
        (["resume", "--cross-border", "--ledger-url", "shanghai"], "takes LEDGER=URL"),
        (["resume", "--cross-border", "--state-dir", "x", "--journal", "/nonexistent/flows.sqlite"], "no journal at"),
    ],
)
def test_resume_cross_border_option_errors_are_one_line(capsys, argv, message):
    from tradefin.cli.main import main

    assert main(argv) != 0
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err and "Traceback" not in err, err


LOCAL_DEMO = """
import sys
from pathlib import Path
from tradefin.crossborder.demo import DEMO_START, run_cross_border_demo
from tradefin.crossborder.ledgers import Ledgers

work = Path(sys.argv[1])
state, deployments = work / "state", work / "deployments"
with Ledgers.open(state_dir=state, deployments_dir=deployments, genesis_timestamp=DEMO_START) as ledgers:
    run_cross_border_demo(ledgers, work_dir=work, report_dir=work / "reports")
"""


@pytest.mark.parametrize("command", ["resume", "demo"])
def test_demo_on_local_chains_killed_then_resumed_from_the_state_dir(project, tmp_path, run, monkeypatch, command):
    """The demo on two local chains kept in a state dir, killed (its nodes die with it) while the hash-time locks
    run; resumed on chains restarted from their state files, whose clocks are set back to the demo's pinned day:
    by ``tradefin resume --cross-border --state-dir``, or by ``tradefin demo --cross-border --resume --state-dir``,
    which also writes the report."""
    import json

    from tradefin.crossborder import demo as demo_module

    crashed = subprocess.run(
        [sys.executable, "-c", LOCAL_DEMO, str(tmp_path)],
        cwd=project.root,
        env={**os.environ, "TRADEFIN_FAULT": "after-sent:lock money"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert crashed.returncode == 86, crashed.stdout + crashed.stderr
    journal_path, state = tmp_path / "flows.sqlite", tmp_path / "state"
    if command == "resume":
        code, out, err = run(
            "resume", "--cross-border", "--state-dir", str(state), "--journal", str(journal_path), urls=False
        )
        assert code == 0, out + err
        assert "resuming run 2 (cross-chain-dvp)" in out and "run 2 done: 12 steps" in out
        assert "03-14" in out.splitlines()[-2]  # still the demo's day
    else:
        monkeypatch.setattr(demo_module, "WORK_DIR", tmp_path)  # where the crashed demo journaled
        monkeypatch.setattr(type(project), "reports_dir", property(lambda self: tmp_path / "reports"))
        code, out, err = run("demo", "--cross-border", "--resume", "--state-dir", str(state), urls=False)
        assert code == 0, out + err
        assert "(resuming run 2)" in out and "done: " in out
        report = json.loads((tmp_path / "reports" / "cross-border.json").read_text())
        assert [f["name"] for f in report["flows"]] == ["bridge-and-settle", "cross-chain-dvp"]
        days = {time.strftime("%m-%d", time.gmtime(s["timestamp"])) for f in report["flows"] for s in f["steps"]}
        assert days == {"03-14"}  # every block on the demo's day, those after the restart too

    from tradefin.crossborder.ledgers import Ledgers

    journal = Journal(journal_path)
    try:
        steps = [s for r in journal.runs() for s in journal.steps(r.id)]
        assert all(r.status == "done" for r in journal.runs())
        sent = Counter((s.result["chain"], s.party) for s in steps)
        with Ledgers.open(project, state_dir=state, deployments_dir=tmp_path / "deployments") as ledgers:
            chains = {name: ctx.chain for name, ctx in ledgers.items()}
            for (ledger, role), nonce in _nonces(chains).items():
                assert nonce == sent[ledger, role], (ledger, role)
    finally:
        journal.close()
