"""Chain of title from events, across every operation, and fast for many bills."""

import time

from eth_utils import keccak

from tradefin.ebl import ConsignmentForm, DocumentKind, Status, SurrenderReason


def test_history_follows_every_operation(registry, issue_bill, carrier, shipper, advising_bank, buyer, financier):
    bill = issue_bill(shipper, advising_bank, remark=b"issued")
    registry.transfer_holder(bill, shipper.address, sender=advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    registry.endorse(bill, buyer.address, sender=shipper)
    registry.reject_transfer_beneficiary(bill, sender=buyer)
    registry.transfer_owners(bill, buyer.address, buyer.address, sender=shipper)
    registry.endorse_in_blank(bill, sender=buyer)
    registry.transfer_holder(bill, financier.address, sender=buyer)
    registry.reject_transfer_holder(bill, sender=financier)
    registry.surrender(bill, sender=buyer)
    registry.reject_surrender(bill, sender=carrier)
    registry.surrender(bill, sender=buyer, reason=SurrenderReason.DELIVERY, remark="collect")
    registry.accept_surrender(bill, sender=carrier)

    history = registry.history(bill)
    actions = [e.action for e in history.entries]
    assert actions == [
        "issued",
        "holder_transferred",
        "nominated",
        "beneficiary_transferred",
        "beneficiary_transfer_rejected",
        "beneficiary_transferred",
        "holder_transferred",
        "endorsed_in_blank",
        "beneficiary_transferred",
        "holder_transferred",
        "beneficiary_transfer_rejected",
        "holder_transfer_rejected",
        "surrendered",
        "surrender_rejected",
        "surrendered",
        "surrender_accepted",
    ]
    assert history.entries[0].actor == carrier.address and history.entries[0].remark == b"issued"
    assert history.current.status is Status.ACCOMPLISHED
    assert history.beneficiaries() == [
        shipper.address,
        buyer.address,
        shipper.address,
        buyer.address,
        financier.address,
        buyer.address,
    ]
    blocks = [e.block for e in history.entries]
    assert blocks == sorted(blocks) and all(e.timestamp > 0 for e in history.entries)
    # the state after the last entry of each block matches the chain at that block
    last_per_block = {entry.block: entry for entry in history.entries}
    for entry in last_per_block.values():
        title = registry.contract.call("title", bill, block=entry.block)
        assert (title[0], title[1]) == (entry.beneficiary, entry.holder)


def test_histories_of_many_bills_in_few_queries(ctx, registry, carrier, shipper, buyer):
    pending = []
    ids = []
    for n in range(60):
        digest = keccak(text=f"many {n}")
        ids.append(int.from_bytes(digest, "big"))
        pending.append(
            registry.contract.send(
                carrier,
                "issue",
                digest,
                shipper.address,
                shipper.address,
                int(DocumentKind.NEGOTIABLE_BILL_OF_LADING),
                int(ConsignmentForm.TO_ORDER),
                0,
                b"",
            )
        )
    ctx.transactor.wait_all(pending)
    ctx.transactor.wait_all([registry.contract.send(shipper, "transferHolder", i, buyer.address, b"") for i in ids])
    calls = []
    original = ctx.chain.rpc

    def counting(method, params=()):
        calls.append(method)
        return original(method, params)

    ctx.chain.rpc = counting
    try:
        started = time.perf_counter()
        trails = registry.histories(ids)
        elapsed = time.perf_counter() - started
    finally:
        ctx.chain.rpc = original
    assert all([e.action for e in trails[i].entries] == ["issued", "holder_transferred"] for i in ids)
    assert calls.count("eth_getLogs") <= 2  # not one query per bill
    assert elapsed < 5


def test_history_of_unknown_bill_is_empty(registry):
    assert registry.history(424242).entries == []
