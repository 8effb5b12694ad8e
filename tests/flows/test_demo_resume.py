"""`tradefin demo --resume`: a demo whose process and node died mid-trade finishes from its journal and the
node's state file (the run it was in, then the flows it had not started), sends nothing twice, and reports the
same figures as a demo that never stopped."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from rich.console import Console

from tradefin.chain.local import start_local_chain
from tradefin.context import Context
from tradefin.demo import DEMO_START, run_demo
from tradefin.errors import ConfigError
from tradefin.flows import EblDeliveryFlow
from tradefin.flows import runner as runner_module
from tradefin.flows.journal import Journal

CRASH_AFTER = "waive"
"""A step of the demo's second flow (lc-discrepant): the first flow is done, two are not started."""


class Crash(BaseException):
    """The process dying right after a broadcast (as ``TRADEFIN_FAULT`` does, without ending pytest)."""


def _demo(project, build, state: Path, out: Path, *, resume: bool = False, genesis: int | None = None):
    chain = start_local_chain(project, state_file=state, genesis_timestamp=genesis)
    ctx = Context.on(project, chain, build, deployments_dir=out / "deployments", owns_chain=True)
    console = Console(file=io.StringIO(), width=200)
    return ctx, lambda: run_demo(ctx, console=console, journal_path=out / "demo-journal.sqlite", resume=resume)


def _figures(report: Path) -> list[tuple[str, str, str, int, int]]:
    """Per step: flow, step, party, block time, gas; what must not depend on an interruption."""
    data = json.loads(report.with_suffix(".json").read_text())
    return [
        (f["name"], s["name"], s["party"], s["timestamp"], s["gas_used"]) for f in data["flows"] for s in f["steps"]
    ]


def test_a_demo_killed_mid_trade_resumes_and_reports_the_same_figures(project, build, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(type(project), "reports_dir", property(lambda self: out / "reports"))
    reference, run = _demo(project, build, tmp_path / "reference.json", tmp_path / "reference", genesis=DEMO_START)
    try:
        whole = run()
    finally:
        reference.close()
    expected = _figures(whole.report)

    def crash_after(name: str) -> None:
        if name == f"after-sent:{CRASH_AFTER}":
            raise Crash

    state = tmp_path / "chain.json"
    ctx, run = _demo(project, build, state, out, genesis=DEMO_START)
    monkeypatch.setattr(runner_module, "_fault_point", crash_after)
    with pytest.raises(Crash):
        run()
    time.sleep(1.5)  # Anvil saves its state every second; then the node dies too
    assert ctx.chain.node is not None
    ctx.chain.node.kill()
    ctx.close()
    monkeypatch.undo()
    monkeypatch.setattr(type(project), "reports_dir", property(lambda self: out / "reports"))

    ctx, run = _demo(project, build, state, out, resume=True)
    try:
        resumed = run()
        journal = Journal(out / "demo-journal.sqlite")
        runs = journal.runs()
        steps = [step for r in runs for step in journal.steps(r.id)]
        journal.close()
        # one run per flow, every step done, and each party's nonce moved by exactly its steps: nothing twice
        assert [r.flow for r in runs] == ["lc-clean", "lc-discrepant", "collection-dp", "ebl-financing"]
        assert all(r.status == "done" for r in runs) and all(s.status == "done" for s in steps)
        for role in {s.party for s in steps}:
            sent = int(ctx.chain.rpc("eth_getTransactionCount", [ctx.accounts.address(role), "latest"]), 16)
            assert sent == sum(s.party == role for s in steps), role
    finally:
        ctx.close()
    assert resumed.transactions == whole.transactions and resumed.gas == whole.gas
    assert _figures(resumed.report) == expected


def test_resume_without_a_demo_on_the_chain_is_one_clear_error(project, build, tmp_path):
    ctx, run = _demo(project, build, tmp_path / "chain.json", tmp_path, resume=True)
    try:
        with pytest.raises(ConfigError, match="no demo to resume on chain 31337"):
            run()
    finally:
        ctx.close()


def test_resume_refuses_a_demo_journaled_on_another_chain_with_the_same_id(project, build, tmp_path, monkeypatch):
    monkeypatch.setattr(type(project), "reports_dir", property(lambda self: tmp_path / "reports"))
    ctx, run = _demo(project, build, tmp_path / "first.json", tmp_path, genesis=DEMO_START)
    try:
        run()  # a whole demo, journaled; its chain then goes away
    finally:
        ctx.close()
    ctx, run = _demo(project, build, tmp_path / "other.json", tmp_path, resume=True)  # a new chain, same id
    try:
        with pytest.raises(ConfigError, match="ran on another chain with id 31337"):
            run()
        assert ctx.chain.block_number() == 0  # nothing sent
    finally:
        ctx.close()


def test_a_second_demo_on_the_same_state_file_runs_on_the_demos_day(project, build, tmp_path, monkeypatch):
    """A chain kept in a state file and restarted for another demo runs on the wall clock, and Anvil refuses block
    times before it: the demo sets it back to its latest block's time, so the pinned times are accepted."""
    monkeypatch.setattr(type(project), "reports_dir", property(lambda self: tmp_path / "reports"))
    state = tmp_path / "chain.json"
    days = []
    for genesis in (DEMO_START, None):  # a new chain, then the same chain restarted
        chain = start_local_chain(project, state_file=state, genesis_timestamp=genesis)
        ctx = Context.on(project, chain, build, deployments_dir=tmp_path / "deployments", owns_chain=True)
        try:
            console = Console(file=io.StringIO(), width=200)
            result = run_demo(ctx, console, [EblDeliveryFlow()], journal_path=tmp_path / "journal.sqlite")
        finally:
            ctx.close()
        days.append({time.strftime("%m-%d", time.gmtime(s.timestamp)) for r in result.records for s in r.results})
    assert days == [{"03-14"}, {"03-14"}]
