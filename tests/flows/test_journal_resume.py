"""Flows are journaled step by step; an interrupted run resumes without sending any transaction twice."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tradefin.chain import connect
from tradefin.chain.local import start_local_chain
from tradefin.chain.node import anvil
from tradefin.context import Context
from tradefin.ebl import Status, TitleRegistry
from tradefin.flows import FLOWS, EblDeliveryFlow, FlowRunner, FlowStepFailed, Journal, TransactionLost
from tradefin.flows.journal import JournalError

TRADEFIN = Path(sys.executable).with_name("tradefin")


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite")
    yield journal
    journal.close()


def test_flow_runs_and_every_step_is_journaled(ctx, chain, journal):
    seen = []
    outcome = FlowRunner(ctx, journal, FLOWS, on_step=seen.append).start(EblDeliveryFlow())
    steps = journal.steps(outcome.run_id)
    assert [s.status for s in steps] == ["done"] * 6
    assert [s.name for s in steps] == [r.name for r in seen]
    assert len({s.tx_hash for s in steps}) == 6
    assert journal.run(outcome.run_id).status == "done"
    registry = TitleRegistry.at(ctx, outcome.result("deploy registry").contract_address)
    bill = int(outcome.result("issue bill").event("TitleIssued")["id"], 16)
    assert registry.status(bill) is Status.ACCOMPLISHED


def test_resuming_a_finished_run_sends_nothing(ctx, chain, journal, carrier):
    runner = FlowRunner(ctx, journal, FLOWS)
    outcome = runner.start(EblDeliveryFlow())
    nonce = chain.rpc("eth_getTransactionCount", [carrier.address, "latest"])
    again = runner.resume(outcome.run_id)
    assert [r.tx_hash for r in again.results] == [r.tx_hash for r in outcome.results]
    assert chain.rpc("eth_getTransactionCount", [carrier.address, "latest"]) == nonce


def test_failed_step_is_journaled_and_resumable(ctx, chain, journal, carrier, buyer):
    runner = FlowRunner(ctx, journal, FLOWS)
    registry = TitleRegistry.deploy(ctx, carrier, symbol="FLOWFAIL")
    registry.pause(sender=carrier)
    with pytest.raises(FlowStepFailed) as caught:
        runner.start(EblDeliveryFlow({"registry": registry.address, "reference": "FAIL-1"}))
    assert caught.value.step == "issue bill" and "EnforcedPause" in str(caught.value)
    run_id = caught.value.run_id
    assert journal.run(run_id).status == "failed"
    assert journal.step(run_id, 0).status == "failed"
    registry.unpause(sender=carrier)
    outcome = runner.resume(run_id)
    assert [r.name for r in outcome.results][-1] == "accept surrender"


def test_resume_refuses_another_chain(ctx, journal, project):
    run_id = journal.start_run("ebl-delivery", {}, chain_id=999)
    with pytest.raises(Exception, match="was on chain 999"):
        FlowRunner(ctx, journal, FLOWS).resume(run_id)


def test_resume_refuses_another_chain_with_the_same_id(project, build, tmp_path, journal, accounts):
    """Two dev chains share id 31337, not their history: a run journaled on one is not resumed on another that has
    reached the run's blocks without its transactions (it would replay the journal there); nothing is sent."""
    first = start_local_chain(project)
    ctx = Context.on(project, first, build, deployments_dir=tmp_path / "first", owns_chain=True)
    try:
        runner = FlowRunner(ctx, journal, FLOWS)
        run_id = runner.start(EblDeliveryFlow()).run_id
        height = first.block_number()
    finally:
        ctx.close()
    other = start_local_chain(project)
    ctx = Context.on(project, other, build, deployments_dir=tmp_path / "other", owns_chain=True)
    try:
        other.rpc("anvil_mine", [hex(height)])  # as high as the run went, with none of its transactions
        with pytest.raises(JournalError, match="ran on another chain with id 31337: its transaction 0x"):
            FlowRunner(ctx, journal, FLOWS).resume(run_id)
        assert other.block_number() == height
        assert all(_nonce(other, accounts.address(role)) == 0 for role in EblDeliveryFlow.parties)
        resumed = subprocess.run(
            [str(TRADEFIN), "resume", str(run_id), "--rpc-url", other.rpc_url, "--journal", str(journal.path)],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert resumed.returncode != 0
        [line] = resumed.stderr.strip().splitlines()
        assert "ran on another chain with id 31337" in line and "Traceback" not in resumed.stderr
        assert other.block_number() == height
    finally:
        ctx.close()


def test_a_lost_transaction_whose_effects_the_node_kept_is_not_sent_again(project, build, tmp_path, journal, accounts):
    """Anvil writes its state file while it mines: the file can hold a transaction's effects (its nonce used)
    without the transaction. Resuming must not take that nonce for "used by someone else" and sign the step
    again (it may have paid already): it stops with one clear error, and sends nothing."""
    state = tmp_path / "chain.json"
    ctx = Context.on(
        project, start_local_chain(project, state_file=state), build, deployments_dir=tmp_path, owns_chain=True
    )
    try:
        outcome = FlowRunner(ctx, journal, FLOWS).start(EblDeliveryFlow())
    finally:
        ctx.close()  # a graceful stop: a whole state file
    last = outcome.results[-1]
    data = json.loads(state.read_text())  # as written mid-block: the last block is not in it, its effects are
    data["blocks"] = [b for b in data["blocks"] if int(b["header"]["number"], 16) != last.block]
    data["transactions"] = [t for t in data["transactions"] if t["info"]["transaction_hash"] != last.tx_hash]
    data["best_block_number"] = last.block - 1
    state.write_text(json.dumps(data))

    chain = start_local_chain(project, state_file=state)
    ctx = Context.on(project, chain, build, deployments_dir=tmp_path, owns_chain=True)
    try:
        sender = accounts.address(last.party)
        nonce = _nonce(chain, sender)
        assert chain.rpc("eth_getTransactionReceipt", [last.tx_hash]) is None
        with pytest.raises(FlowStepFailed) as caught:
            FlowRunner(ctx, journal, FLOWS).resume(outcome.run_id)
        assert isinstance(caught.value.cause, TransactionLost)
        assert f"it lost {last.tx_hash} but kept its effects" in str(caught.value)
        assert _nonce(chain, sender) == nonce and chain.block_number() == last.block - 1  # nothing sent
        assert journal.step(outcome.run_id, len(outcome.results) - 1).status == "failed"
    finally:
        ctx.close()


def _nonce(chain, address: str) -> int:
    return int(chain.rpc("eth_getTransactionCount", [address, "latest"]), 16)


def _tx_count(url: str, address: str) -> int:
    chain = connect(url)
    try:
        return int(chain.rpc("eth_getTransactionCount", [address, "latest"]), 16)
    finally:
        chain.close()


@pytest.mark.parametrize(
    ("flow", "crash_after", "node_lives"),
    [
        ("ebl-delivery", "deploy registry", 1.5),
        ("ebl-delivery", "issue bill", 1.5),
        ("ebl-delivery", "surrender", 1.5),
        ("ebl-delivery", "surrender", 0.0),
        ("ebl-delivery", "accept surrender", 0.0),
        ("collection-dp", "pay against documents", 1.5),
        ("ebl-financing", "pledge and draw", 0.0),
    ],
)
def test_process_and_node_killed_mid_flow_then_resumed(project, tmp_path, accounts, flow, crash_after, node_lives):
    """The flow process dies right after broadcasting a step; then the node is killed (SIGKILL). With
    ``node_lives`` 0 its state file misses the latest blocks, so steps the journal saw land are gone from the chain
    and are re-sent as the same signed bytes. Either way `tradefin resume` finishes with every transaction once."""
    state = tmp_path / "anvil-state.json"
    journal_path = tmp_path / "journal.sqlite"
    node = anvil(project.anvil_binary, state_file=state).start()
    env = {**os.environ, "TRADEFIN_FAULT": f"after-sent:{crash_after}"}
    crashed = subprocess.run(
        [str(TRADEFIN), "flow", "run", flow, "--rpc-url", node.url, "--journal", str(journal_path)],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert crashed.returncode == 86, crashed.stderr
    time.sleep(node_lives)  # Anvil saves its state every second; then the node crashes too
    node.kill()

    node = anvil(project.anvil_binary, state_file=state).start()
    try:
        resumed = subprocess.run(
            [str(TRADEFIN), "resume", "--rpc-url", node.url, "--journal", str(journal_path)],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        expected = len(FLOWS[flow]().steps())
        assert f"done: {expected} steps" in resumed.stdout
        journal = Journal(journal_path)
        [run] = journal.runs()
        steps = journal.steps(run.id)
        assert run.status == "done" and [s.status for s in steps] == ["done"] * expected
        # exactly one transaction per step: each party's nonce equals its number of steps
        for party in {s.party for s in steps}:
            assert _tx_count(node.url, accounts.address(party)) == sum(s.party == party for s in steps), party
        chain = connect(node.url)
        try:
            for step in steps:
                receipt = chain.rpc("eth_getTransactionReceipt", [step.tx_hash])
                assert receipt is not None and receipt["status"] == "0x1"
        finally:
            chain.close()
    finally:
        node.stop()
