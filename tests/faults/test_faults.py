"""Faults on the way to the node: transient RPC failures and timeouts (retried with backoff, then one clear
error), replies lost after the node acted, an outage mid-flow, a nonce taken by another process, a transaction
dropped from the pool. In every case the flow ends done or resumable, nothing is sent twice, and the journal
agrees with the chain."""

from __future__ import annotations

import threading
import time

import pytest

from tradefin.chain import Chain
from tradefin.errors import NodeUnreachable, TransactionError
from tradefin.flows import FLOWS, EblDeliveryFlow, FlowRunner, FlowStepFailed, Journal
from tradefin.transactions import sender

PARTY_STEPS = {"carrier": 4, "shipper": 1, "buyer": 1}
"""An ebl-delivery run: the carrier deploys, grants, issues and accepts; the shipper endorses; the buyer
surrenders. Each party's nonce must move by exactly its number of steps: no transaction twice, none lost."""


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "faults.sqlite")
    yield journal
    journal.close()


def _nonces(chain, accounts) -> dict[str, int]:
    return {
        role: int(chain.rpc("eth_getTransactionCount", [accounts.address(role), "latest"]), 16) for role in PARTY_STEPS
    }


def _moved(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {role: after[role] - before[role] for role in before}


def _check_journal(journal: Journal, run_id: int, chain) -> None:
    """Every step done, and each journaled transaction is on chain, successful, with the journaled hash."""
    for step in journal.steps(run_id):
        assert step.status == "done", step
        receipt = chain.rpc("eth_getTransactionReceipt", [step.tx_hash])
        assert receipt is not None and receipt["status"] == "0x1"


def test_transient_failures_and_timeouts_are_retried(flaky_ctx, proxy, journal, chain, accounts):
    proxy.add("status", status=503, times=2)
    proxy.add("drop", "eth_estimateGas")
    proxy.add("delay", "eth_getTransactionReceipt", delay=1.5)  # beyond the 1 s client timeout
    proxy.add("status", "eth_sendRawTransaction", status=429)
    before = _nonces(chain, accounts)
    outcome = FlowRunner(flaky_ctx, journal, FLOWS).start(EblDeliveryFlow({"reference": "FLAKY-1"}))
    assert _moved(before, _nonces(chain, accounts)) == PARTY_STEPS
    _check_journal(journal, outcome.run_id, chain)
    assert proxy.injected == {"status": 3, "drop": 1, "delay": 1}


def test_a_send_whose_reply_is_lost_is_not_sent_twice(flaky_ctx, proxy, journal, chain, accounts):
    # the node mines the transaction, the client never hears back and sends the same bytes again
    proxy.add("lost", "eth_sendRawTransaction", times=2)
    before = _nonces(chain, accounts)
    outcome = FlowRunner(flaky_ctx, journal, FLOWS).start(EblDeliveryFlow({"reference": "LOST-1"}))
    assert proxy.injected["lost"] == 2
    assert _moved(before, _nonces(chain, accounts)) == PARTY_STEPS
    _check_journal(journal, outcome.run_id, chain)


def test_pipelined_runs_survive_lost_batches(flaky_ctx, proxy, journal, chain, accounts):
    proxy.add("lost", "eth_sendRawTransaction", times=2)
    proxy.add("delay", "eth_getTransactionReceipt", delay=1.5)
    proxy.add("status", status=502, times=3)
    before = _nonces(chain, accounts)
    flows = [EblDeliveryFlow({"reference": f"LOST-MANY-{n}"}) for n in range(3)]
    outcomes = FlowRunner(flaky_ctx, journal, FLOWS).run_many(flows)
    assert _moved(before, _nonces(chain, accounts)) == {role: 3 * n for role, n in PARTY_STEPS.items()}
    for outcome in outcomes:
        _check_journal(journal, outcome.run_id, chain)
    assert proxy.injected["lost"] == 2


def test_an_outage_gives_one_clear_error_and_the_run_resumes(flaky_ctx, proxy, journal, chain, accounts):
    def outage(step) -> None:
        if step.name == "endorse to buyer":
            proxy.down = True

    before = _nonces(chain, accounts)
    runner = FlowRunner(flaky_ctx, journal, FLOWS, before_send=outage)
    with pytest.raises(FlowStepFailed) as caught:
        runner.start(EblDeliveryFlow({"reference": "OUTAGE-1"}))
    assert isinstance(caught.value.cause, NodeUnreachable)
    message = str(caught.value)
    assert "\n" not in message and "failed after 4 attempts" in message and proxy.url in message
    run_id = caught.value.run_id
    endorse = journal.step(run_id, 3)
    assert endorse is not None and endorse.name == "endorse to buyer" and endorse.status == "signed"
    assert endorse.raw_tx  # the signed bytes are kept: resuming sends these, not a new transaction
    proxy.down = False
    outcome = FlowRunner(flaky_ctx, journal, FLOWS).resume(run_id)
    assert outcome.result("endorse to buyer").tx_hash == endorse.tx_hash
    assert _moved(before, _nonces(chain, accounts)) == PARTY_STEPS
    _check_journal(journal, run_id, chain)


class Crash(BaseException):
    """The process dies between journaling a signed step and broadcasting it."""


def test_a_nonce_taken_by_another_process_is_detected_on_resume(ctx, journal, chain, accounts):
    def crash(step) -> None:
        if step.name == "endorse to buyer":
            raise Crash

    with pytest.raises(Crash):
        FlowRunner(ctx, journal, FLOWS, before_send=crash).start(EblDeliveryFlow({"reference": "NONCE-1"}))
    [run] = journal.runs()
    signed = journal.step(run.id, 3)
    assert signed is not None and signed.status == "signed"
    # another process, with the shipper's key, uses that very nonce for something else
    ctx.transactor.nonces.forget(accounts.address("shipper"))
    intruder = ctx.transactor.send(accounts["shipper"], to=accounts.address("buyer"), value=1)
    assert intruder.nonce == signed.nonce
    intruder.wait()
    outcome = FlowRunner(ctx, journal, FLOWS).resume(run.id)
    endorsed = outcome.result("endorse to buyer")
    assert endorsed.tx_hash != signed.tx_hash  # signed again, with the next nonce
    assert chain.rpc("eth_getTransactionByHash", [signed.tx_hash]) is None  # the first one can never land
    _check_journal(journal, run.id, chain)


def test_a_transaction_dropped_from_the_pool_is_sent_again(ctx, chain, accounts, monkeypatch):
    monkeypatch.setattr(sender, "DROP_CHECK_SECONDS", 0.2)
    chain.rpc("evm_setAutomine", [False])
    try:
        pending = ctx.transactor.send(accounts["buyer"], to=accounts.address("shipper"), value=7)
        assert chain.rpc("anvil_dropTransaction", [pending.tx_hash]) is not None
        assert chain.rpc("eth_getTransactionByHash", [pending.tx_hash]) is None
        receipts = []
        waiter = threading.Thread(target=lambda: receipts.append(pending.wait(timeout=30)))
        waiter.start()
        deadline = time.monotonic() + 20
        while chain.rpc("eth_getTransactionByHash", [pending.tx_hash]) is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the waiter notices the drop and sends the same bytes again
        chain.rpc("evm_mine")
        waiter.join(30)
    finally:
        chain.rpc("evm_setAutomine", [True])
    [receipt] = receipts
    assert receipt.tx_hash == pending.tx_hash and receipt.status == 1


def _stalled_automine(chain, monkeypatch) -> None:
    """Make ``chain`` look like Anvil's automine stall: the node says it automines, yet leaves accepted
    transactions unmined (the real stall cannot be caused on demand; only the node's answer is faked)."""
    monkeypatch.setattr(sender, "DROP_CHECK_SECONDS", 0.2)
    monkeypatch.setattr(type(chain), "automines", lambda self: True)
    chain.rpc("evm_setAutomine", [False])


def test_an_automine_stall_on_a_node_tradefin_started_is_cured_by_mining_a_block(
    ctx, chain, accounts, monkeypatch, caplog
):
    assert chain.node is not None  # the session's own Anvil
    _stalled_automine(chain, monkeypatch)
    try:
        pending = ctx.transactor.send(accounts["buyer"], to=accounts.address("shipper"), value=7)
        assert chain.rpc("eth_getTransactionByHash", [pending.tx_hash])["blockNumber"] is None
        with caplog.at_level("WARNING", logger="tradefin.transactions"):
            receipt = pending.wait(timeout=20)
    finally:
        chain.rpc("evm_setAutomine", [True])
    assert receipt.status == 1
    assert "left unmined by the automining node; mining a block" in caplog.text


def test_a_node_someone_else_runs_is_never_mined_by_hand(ctx, chain, accounts, monkeypatch):
    from tradefin.transactions import Transactor

    attached = Chain(chain.rpc_url, dev_chain_ids=chain.dev_chain_ids)  # the same node, not started by us
    assert attached.node is None
    _stalled_automine(attached, monkeypatch)
    try:
        transactor = Transactor(attached)
        pending = transactor.send(accounts["buyer"], to=accounts.address("shipper"), value=7)
        height = chain.block_number()
        with pytest.raises(TransactionError, match="no receipt within 1 s"):
            pending.wait(timeout=1.0)
        assert chain.block_number() == height  # waited, several stall checks, and nothing mined
        chain.rpc("evm_mine")
        assert pending.wait(timeout=20).status == 1
    finally:
        chain.rpc("evm_setAutomine", [True])
        attached.close()


def test_pipelined_runs_resend_a_dropped_transaction(ctx, journal, chain, accounts, monkeypatch):
    from tradefin.flows import runner as runner_module

    monkeypatch.setattr(runner_module, "DROP_CHECK_SECONDS", 0.2)
    dropped: list[str] = []
    stop = threading.Event()

    def node_operator() -> None:
        """Mines every 50 ms, and once drops the first transaction it sees pending."""
        while not stop.is_set():
            pool = chain.rpc("txpool_content") or {}
            hashes = [tx["hash"] for txs in pool.get("pending", {}).values() for tx in txs.values()]
            if hashes and not dropped:
                chain.rpc("anvil_dropTransaction", [hashes[0]])
                dropped.append(hashes[0])
            elif hashes:
                chain.rpc("evm_mine")
            time.sleep(0.05)

    before = _nonces(chain, accounts)
    chain.rpc("evm_setAutomine", [False])
    operator = threading.Thread(target=node_operator)
    operator.start()
    try:
        flows = [EblDeliveryFlow({"reference": f"DROPPED-{n}"}) for n in range(2)]
        outcomes = FlowRunner(ctx, journal, FLOWS).run_many(flows)
    finally:
        stop.set()
        operator.join()
        chain.rpc("evm_setAutomine", [True])
    assert dropped
    assert _moved(before, _nonces(chain, accounts)) == {role: 2 * n for role, n in PARTY_STEPS.items()}
    for outcome in outcomes:
        _check_journal(journal, outcome.run_id, chain)
    assert dropped[0] in {s.tx_hash for o in outcomes for s in journal.steps(o.run_id)}
