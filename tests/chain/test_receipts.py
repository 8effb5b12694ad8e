"""BlockScanner: receipts of transactions in flight, read once per new block, hash by hash when it must."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tradefin.transactions import Contract
from tradefin.transactions import receipts as scanner_module
from tradefin.transactions.receipts import BlockScanner

LIMIT = 2**64
"""RevertProbe.count refuses once its counter passes the limit given: never, here."""


@pytest.fixture(scope="module")
def probe(ctx, deployer) -> Contract:
    return ctx.deployments.deploy(deployer, "RevertProbe")


@pytest.fixture
def calls(chain, monkeypatch) -> Counter[str]:
    """JSON-RPC methods the chain is asked, counted."""
    counted: Counter[str] = Counter()
    rpc_raw, rpc_batch = chain.rpc_raw, chain.rpc_batch

    def raw(method, params=()):
        counted[method] += 1
        return rpc_raw(method, params)

    def batch(items):
        counted.update(method for method, _ in items)
        return rpc_batch(items)

    monkeypatch.setattr(chain, "rpc_raw", raw)
    monkeypatch.setattr(chain, "rpc_batch", batch)
    return counted


def _await(scanner: BlockScanner, pending, seconds: float = 30.0):
    found, deadline = {}, time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting = [p for p in pending if p.tx_hash not in found]
        if not waiting:
            return [found[p.tx_hash] for p in pending]
        for item, receipt in zip(waiting, scanner.poll(waiting), strict=True):
            if receipt is not None:
                found[item.tx_hash] = receipt
        time.sleep(0.002)
    raise AssertionError("receipts never found")


def test_receipts_come_from_each_new_block_once(ctx, probe, shipper, buyer, calls, monkeypatch):
    monkeypatch.setattr(scanner_module, "HASH_LOOK_SECONDS", 3600.0)  # no idle hash look, however slow the machine
    scanner = BlockScanner(ctx.transactor)
    pending = [probe.send(who, "count", LIMIT) for who in (shipper, buyer, shipper, buyer)]
    receipts = _await(scanner, pending)
    assert [r.tx_hash for r in receipts] == [p.tx_hash for p in pending]
    assert receipts == [ctx.transactor.receipt(p.tx_hash) for p in pending]  # the same as asked hash by hash
    blocks = {r.block_number for r in receipts}
    assert calls["eth_getBlockReceipts"] == len(blocks)  # each block read once
    assert calls["eth_getTransactionReceipt"] == 4  # only the comparison above asked by hash


def test_nothing_in_flight_asks_nothing(ctx, calls):
    scanner = BlockScanner(ctx.transactor)
    calls.clear()
    assert scanner.poll([]) == []
    assert not calls


def test_a_chain_gone_back_is_asked_hash_by_hash(ctx, chain, probe, shipper):
    before = chain.snapshot()
    chain.mine(5)
    scanner = BlockScanner(ctx.transactor)
    chain.revert(before)  # the head is now below what the scanner has seen
    pending = [probe.send(shipper, "count", LIMIT)]
    [receipt] = _await(scanner, pending)
    assert receipt.status == 1 and receipt.tx_hash == pending[0].tx_hash
    assert scanner.scanned <= chain.block_number()


def test_a_node_without_block_receipts_is_asked_hash_by_hash(ctx, chain, probe, shipper, monkeypatch):
    rpc_batch = chain.rpc_batch

    def without_block_receipts(items):
        if any(method == "eth_getBlockReceipts" for method, _ in items):
            return [{"error": {"code": -32601, "message": "Method not found"}} for _ in items]
        return rpc_batch(items)

    monkeypatch.setattr(chain, "rpc_batch", without_block_receipts)
    scanner = BlockScanner(ctx.transactor)
    pending = [probe.send(shipper, "count", LIMIT), probe.send(shipper, "count", LIMIT)]
    receipts = _await(scanner, pending)
    assert not scanner.by_block
    assert [r.tx_hash for r in receipts] == [p.tx_hash for p in pending]


def test_a_block_not_yet_readable_is_read_on_a_later_look(ctx, chain, probe, shipper, monkeypatch):
    rpc_batch, refused = chain.rpc_batch, Counter[str]()

    def busy_once(items):
        if items and items[0][0] == "eth_getBlockReceipts" and not refused:
            refused["busy"] += 1
            return [{"error": {"code": -32000, "message": "busy"}} for _ in items]
        return rpc_batch(items)

    monkeypatch.setattr(chain, "rpc_batch", busy_once)
    scanner = BlockScanner(ctx.transactor)
    pending = [probe.send(shipper, "count", LIMIT)]
    [receipt] = _await(scanner, pending)
    assert refused["busy"] == 1 and scanner.by_block and receipt.status == 1


def test_an_idle_scanner_looks_hash_by_hash_now_and_then(ctx, probe, shipper, monkeypatch, calls):
    scanner = BlockScanner(ctx.transactor)
    pending = probe.send(shipper, "count", LIMIT)
    pending.wait()  # mined before the look below
    calls.clear()
    scanner.scanned = 10**9  # as if the block were already scanned: only the idle hash-by-hash look finds it
    monkeypatch.setattr(scanner, "_last_look", 0.0)
    [receipt] = scanner.poll([pending])
    assert receipt is not None and calls["eth_getTransactionReceipt"] == 1
