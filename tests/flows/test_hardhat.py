"""The same flows, reverts and chain controls on a Hardhat node started by the test."""

from datetime import UTC, datetime

import pytest

from tradefin import errors
from tradefin.chain import start_local_chain
from tradefin.context import Context
from tradefin.ebl import Status, TitleRegistry
from tradefin.flows import FLOWS, FlowRunner, Journal


@pytest.fixture(scope="module")
def hardhat_ctx(project, build, tmp_path_factory):
    chain = start_local_chain(project, kind="hardhat")
    ctx = Context.on(project, chain, build, deployments_dir=tmp_path_factory.mktemp("hardhat-deployments"))
    yield ctx
    chain.close()


def test_it_is_really_hardhat(hardhat_ctx):
    assert hardhat_ctx.chain.is_hardhat and hardhat_ctx.chain.chain_id == 31337
    assert hardhat_ctx.chain.node.running


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_flow_on_hardhat_gives_the_same_result_as_on_anvil(hardhat_ctx, ctx, chain, tmp_path, name):
    today = datetime.fromtimestamp(min(hardhat_ctx.chain.timestamp(), chain.timestamp()), UTC).date()
    day = {"on_board": today.isoformat()}  # the same documents and dates on both nodes
    on_hardhat = FlowRunner(hardhat_ctx, Journal(tmp_path / "hh.sqlite"), FLOWS).start(FLOWS[name](day))
    on_anvil = FlowRunner(ctx, Journal(tmp_path / "anvil.sqlite"), FLOWS).start(FLOWS[name](day))
    assert [r.name for r in on_hardhat.results] == [r.name for r in on_anvil.results]
    # same bytecode, same calls: the same gas step by step, up to the calldata cost of addresses that differ
    # between the two chains (16 gas per nonzero byte instead of 4)
    for hh, anvil_step in zip(on_hardhat.results, on_anvil.results, strict=True):
        assert abs(hh.gas_used - anvil_step.gas_used) <= 2 * 20 * 12, hh.name
    registry = TitleRegistry.at(hardhat_ctx, on_hardhat.result("deploy registry").contract_address)
    bill = int(on_hardhat.result("issue bill").event("TitleIssued")["id"], 16)
    assert registry.status(bill) is Status.ACCOMPLISHED
    assert [e["name"] for r in on_hardhat.results for e in r.events] == [
        e["name"] for r in on_anvil.results for e in r.events
    ]


def test_custom_errors_decode_on_hardhat(hardhat_ctx):
    ctx = hardhat_ctx
    probe = ctx.deployments.deploy(ctx.accounts["deployer"], "RevertProbe")
    with pytest.raises(errors.ProbeRejected) as caught:
        probe.call("rejectWith", 3, b"\x02" * 32)
    assert caught.value.code == 3
    with pytest.raises(errors.ProbeRejected):  # at estimation, before sending
        probe.transact(ctx.accounts["shipper"], "count", 0)
    with pytest.raises(errors.ProbeRejected):  # mined, then decoded by replay
        probe.send(ctx.accounts["shipper"], "count", 0, gas=100_000).wait()
    with pytest.raises(errors.Panic):
        probe.call("divide", 1, 0)


def test_time_and_snapshots_on_hardhat(hardhat_ctx):
    chain = hardhat_ctx.chain
    snapshot = chain.snapshot()
    now = chain.timestamp()
    chain.set_next_block_timestamp(now + 5000)
    chain.mine()
    assert chain.timestamp() == now + 5000
    chain.increase_time(100)
    chain.mine(3)
    chain.revert(snapshot)
    assert chain.timestamp() == now
