"""The transaction layer: sending, nonces, batches, and reverts raised as named exceptions."""

import pytest

from tradefin import errors
from tradefin.errors import Panic, RevertedWithReason, UnknownRevert
from tradefin.transactions import Contract


@pytest.fixture(scope="session")
def probe(ctx, deployer) -> Contract:
    return ctx.deployments.deploy(deployer, "RevertProbe")


def test_custom_error_is_raised_by_name_with_arguments(probe, shipper):
    with pytest.raises(errors.ProbeRejected) as caught:
        probe.call("rejectWith", 7, b"\x01" * 32, sender=shipper.address)
    assert caught.value.code == 7
    assert caught.value.who == shipper.address
    assert caught.value.tag == b"\x01" * 32
    assert caught.value.arguments == {"code": 7, "who": shipper.address, "tag": b"\x01" * 32}
    assert "ProbeRejected(code=7" in str(caught.value) and "RevertProbe" in str(caught.value)


def test_error_without_arguments(probe):
    with pytest.raises(errors.ProbeEmpty) as caught:
        probe.call("rejectEmpty")
    assert caught.value.arguments == {}


def test_named_error_classes_are_shared_and_part_of_the_tree():
    assert errors.ProbeRejected is errors.revert_class("ProbeRejected")
    assert issubclass(errors.ProbeRejected, errors.ContractRevert)
    assert issubclass(errors.ProbeRejected, errors.TradefinError)


def test_panic_is_decoded_with_its_meaning(probe):
    with pytest.raises(Panic) as caught:
        probe.call("divide", 1, 0)
    assert caught.value.code == 0x12
    assert "division or modulo by zero" in str(caught.value)


def test_string_reason_and_bare_revert(probe):
    with pytest.raises(RevertedWithReason) as caught:
        probe.call("rejectWithReason", "no way")
    assert caught.value.reason == "no way"
    with pytest.raises(UnknownRevert):
        probe.call("rejectBare")


def test_transaction_revert_raises_before_sending(ctx, probe, shipper, chain):
    before = chain.rpc("eth_getTransactionCount", [shipper.address, "latest"])
    with pytest.raises(errors.ProbeRejected) as caught:
        probe.transact(shipper, "count", 0)
    assert caught.value.code == 1
    assert chain.rpc("eth_getTransactionCount", [shipper.address, "latest"]) == before


def test_mined_failure_is_decoded_from_the_receipt(probe, shipper):
    # A preset gas limit skips estimation, so the revert happens on chain and is recovered by replay.
    pending = probe.send(shipper, "count", 0, gas=100_000)
    with pytest.raises(errors.ProbeRejected):
        pending.wait()


def test_many_transactions_in_flight_then_awaited_in_one_batch(ctx, probe, shipper, buyer):
    pending = [probe.send(account, "count", 1_000, gas=80_000) for _ in range(10) for account in (shipper, buyer)]
    receipts = ctx.transactor.wait_all(pending)
    assert [r.status for r in receipts] == [1] * 20
    assert probe.call("counted") == 20
    nonces = sorted(p.nonce for p in pending if p.sender == shipper.address)
    assert nonces == list(range(nonces[0], nonces[0] + 10))
    values = [probe.decode_logs(r)[0]["value"] for r in receipts]
    assert sorted(values) == list(range(1, 21))


def test_nonces_follow_a_snapshot_revert(ctx, probe, shipper, chain):
    snapshot = chain.snapshot()
    probe.transact(shipper, "count", 1_000)
    chain.revert(snapshot)
    probe.transact(shipper, "count", 1_000)  # would fail with a nonce gap if the cache survived the revert
    assert probe.call("counted") == 1


def test_events_are_queried_and_decoded(probe, shipper):
    receipt = probe.transact(shipper, "count", 1_000)
    found = probe.get_logs(from_block=receipt.block_number, events=["ProbeCounted"])
    assert [(e.name, e["by"], e["value"]) for e in found] == [("ProbeCounted", shipper.address, 1)]


def test_unknown_function_is_a_clear_error(probe):
    with pytest.raises(errors.TradefinError, match="no function 'nope'"):
        probe.call("nope")


def test_wrong_argument_count_is_a_clear_error(probe):
    with pytest.raises(errors.TradefinError, match="takes 2 arguments, got 1"):
        probe.call("rejectWith", 1)


def test_contract_at_other_address_labels_the_revert(ctx, probe):
    other = Contract(ctx.transactor, probe.address, probe.abi, "Renamed")
    with pytest.raises(errors.ProbeEmpty, match="in Renamed"):
        other.call("rejectEmpty")


def test_gas_estimates_are_reused_per_call_shape_when_enabled(ctx, probe, shipper):
    from tradefin.transactions import Transactor

    transactor = Transactor(ctx.chain, ctx.transactor.decoder, reuse_gas_estimates=True)
    calls = []
    original = transactor.estimate_gas

    def counting(request):
        calls.append(request)
        return original(request)

    transactor.estimate_gas = counting
    data = probe.encode("count", 1_000)
    for _ in range(6):
        transactor.send(shipper, to=probe.address, data=data).wait()
    # the first count writes a fresh slot; the next two estimates agree, after which the limit is reused
    assert len(calls) == 3
    assert probe.call("counted") == 6


def test_gas_estimates_are_not_reused_by_default(ctx, probe, shipper):
    assert not ctx.transactor.gas.enabled
