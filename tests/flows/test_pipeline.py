"""The pipelined runner (``FlowRunner.run_many``): steps sent as receipts come in, one failing trade does not
stop the others, the journal stays exact, and gas estimates are batched and reused."""

import pytest

from tradefin.ebl import Status, TitleRegistry
from tradefin.errors import ContractRevert
from tradefin.flows import FLOWS, FlowRunner, Journal
from tradefin.flows.runner import FlowStepFailed
from tradefin.transactions import Transactor


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "pipeline.sqlite")
    yield journal
    journal.close()


@pytest.fixture
def registry(ctx, carrier) -> TitleRegistry:
    return TitleRegistry.deploy(ctx, carrier, symbol="PIPE")


def _deliveries(registry: TitleRegistry, *references: str) -> list:
    return [FLOWS["ebl-delivery"]({"reference": ref, "registry": registry.address}) for ref in references]


def test_many_trades_on_one_registry_all_land(ctx, journal, registry):
    flows = _deliveries(registry, *(f"PIPE-{n}" for n in range(8)))
    outcomes = FlowRunner(ctx, journal, FLOWS).run_many(flows)
    for outcome in outcomes:
        assert [r.name for r in outcome.results] == ["issue bill", "endorse to buyer", "surrender", "accept surrender"]
        bill = int(outcome.result("issue bill").event("TitleIssued")["id"], 16)
        assert registry.status(bill) is Status.ACCOMPLISHED
        assert [s.status for s in journal.steps(outcome.run_id)] == ["done"] * 4
        assert journal.run(outcome.run_id).status == "done"
    # every signed transaction landed exactly once: as many signed as done steps, and distinct
    signed = journal.signed_transactions()
    assert len(signed) == len(set(signed)) == 8 * 4


def test_a_failing_trade_does_not_stop_the_others(ctx, journal, registry):
    # the same reference twice: both issues pass estimation together, the second one to be mined reverts
    flows = _deliveries(registry, "TWIN", "SOLO-1", "TWIN", "SOLO-2")
    seen = []
    runner = FlowRunner(ctx, journal, FLOWS, on_step=seen.append)
    with pytest.raises(FlowStepFailed) as failure:
        runner.run_many(flows)
    assert failure.value.step == "issue bill"
    assert isinstance(failure.value.cause, ContractRevert)
    runs = journal.runs()
    statuses = sorted(run.status for run in runs)
    assert statuses == ["done", "done", "done", "failed"]
    failed = next(run for run in runs if run.status == "failed")
    [step] = journal.steps(failed.id)
    assert step.status == "failed" and step.error
    assert len(seen) == 3 * 4  # the three good trades, every step reported


def test_a_step_that_would_revert_is_never_sent(ctx, journal, registry, carrier):
    flows = _deliveries(registry, "ALREADY")
    FlowRunner(ctx, journal, FLOWS).run_many(flows)  # issued and accomplished
    before = ctx.chain.rpc("eth_getTransactionCount", [carrier.address, "latest"])
    with pytest.raises(FlowStepFailed):
        FlowRunner(ctx, journal, FLOWS).run_many(_deliveries(registry, "ALREADY"))
    assert ctx.chain.rpc("eth_getTransactionCount", [carrier.address, "latest"]) == before
    last = journal.runs()[-1]
    assert last.status == "failed"
    [step] = journal.steps(last.id)
    assert step.status == "failed" and step.tx_hash is None


def test_a_failed_pipelined_run_can_be_resumed_alone(ctx, journal, registry):
    runner = FlowRunner(ctx, journal, FLOWS)
    with pytest.raises(FlowStepFailed):
        runner.run_many(_deliveries(registry, "AGAIN", "AGAIN"))
    failed = next(run for run in journal.runs() if run.status == "failed")
    with pytest.raises(FlowStepFailed):  # the bill exists: resuming the twin fails the same clear way, sends nothing
        runner.resume(failed.id)
    done = next(run for run in journal.runs() if run.status == "done")
    again = runner.resume(done.id)
    assert [r.tx_hash for r in again.results] == [s.tx_hash for s in journal.steps(done.id)]


def test_gas_limits_estimate_two_of_a_shape_then_reuse(ctx, registry, carrier, shipper):
    transactor = Transactor(ctx.chain, ctx.transactor.decoder, reuse_gas_estimates=True)
    batches = []
    original = ctx.chain.rpc_batch

    def counting(calls):
        batches.append([method for method, _ in calls])
        return original(calls)

    ctx.chain.rpc_batch = counting
    try:
        data = [registry.contract.encode("hasRole", bytes(32), shipper.address) for _ in range(6)]
        limits = transactor.gas_limits([(carrier.address, registry.address, d, 0) for d in data])
    finally:
        del ctx.chain.rpc_batch
    assert batches == [["eth_estimateGas"] * 2]  # two agreed: the other four reuse the limit
    assert len(set(limits)) == 1 and all(isinstance(limit, int) and limit > 21_000 for limit in limits)


def test_gas_limits_report_a_revert_in_place(ctx, registry, carrier, shipper):
    transactor = Transactor(ctx.chain, ctx.transactor.decoder)
    good = registry.contract.encode("hasRole", bytes(32), shipper.address)
    bad = registry.contract.encode("acceptSurrender", 12345, b"")
    limits = transactor.gas_limits(
        [(carrier.address, registry.address, good, 0), (carrier.address, registry.address, bad, 0)]
    )
    assert isinstance(limits[0], int)
    assert isinstance(limits[1], ContractRevert)


def test_sent_never_overwrites_done(tmp_path):
    from tradefin.transactions.sender import SignedTransaction

    journal = Journal(tmp_path / "j.sqlite")
    run = journal.start_run("x", {}, 1)
    tx = SignedTransaction("0x" + "11" * 32, "0x" + "22" * 20, 0, {"data": "0x"}, b"\x02raw")
    journal.signed_many([(run, 0, "step", "carrier", {}, tx)])
    journal.done_many([(run, 0, {"status": 1}, {"name": "step"})])
    journal.sent_many([(run, 0)])  # a late acknowledgement from the sender thread
    [step] = journal.steps(run)
    assert step.status == "done"
    journal.close()
