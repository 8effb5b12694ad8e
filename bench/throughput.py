"""Throughput on one Anvil, in one run: (a) the ceiling — N pre-signed raw transactions sent pipelined and awaited
in batches; (b) tradefin — complete letter-of-credit settlements (the same number of transactions) driven by the
flow runner, pipelined across independent trades, every step signed, journaled and decoded. Prints both rates and
their ratio (target: tradefin >= 0.7 of the ceiling).

    python bench/throughput.py [TRADES]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tradefin.context import Context
from tradefin.flows import FLOWS, FlowRunner, Journal
from tradefin.flows.common import REGISTRY
from tradefin.flows.credit import CALENDAR, CREDITS, DEPOSIT_STEP
from tradefin.project import Project
from tradefin.transactions import Contract, Transactor

TARGET = 0.7
INFRASTRUCTURE = (REGISTRY, DEPOSIT_STEP, CALENDAR, CREDITS)


def ceiling(ctx: Context, raws: list[bytes], *, batched: bool) -> float:
    """Send the very transactions tradefin sent (their signed bytes, from the journal), in the same order, without
    waiting for any receipt (pipelined) — one request each, or JSON-RPC batches of 500 — then await the receipts in
    batches: tx/s with nothing but the node's own work and the transport."""
    started = time.perf_counter()
    if batched:
        hashes = []
        for chunk in range(0, len(raws), 500):
            batch = [("eth_sendRawTransaction", ["0x" + raw.hex()]) for raw in raws[chunk : chunk + 500]]
            hashes += [reply["result"] for reply in ctx.chain.rpc_batch(batch)]
    else:
        hashes = [ctx.chain.rpc("eth_sendRawTransaction", ["0x" + raw.hex()]) for raw in raws]
    outstanding = hashes
    while outstanding:
        replies = ctx.chain.rpc_batch([("eth_getTransactionReceipt", [h]) for h in outstanding])
        outstanding = [h for h, r in zip(outstanding, replies, strict=True) if not r.get("result")]
    return len(raws) / (time.perf_counter() - started)


def settlements(ctx: Context, trades: int, folder: Path) -> tuple[list[bytes], float, str]:
    """Set up the shared contracts once, then ``trades`` LC settlements side by side; (the signed transactions in
    the order they were sent, tx/s, a snapshot of the chain just before them)."""
    journal = Journal(folder / "bench-journal.sqlite")
    setup = FlowRunner(ctx, journal, FLOWS).start(FLOWS["lc-clean"]({"reference": "BENCH-SETUP"}))
    contracts = {name: setup.result(name).contract_address for name in INFRASTRUCTURE}
    # The buyer's standing authorisation for the credit contract to take each credit's cover.
    token = Contract(ctx.transactor, contracts[DEPOSIT_STEP], ctx.build["DepositToken"].abi, "DepositToken")
    token.transact(ctx.accounts["buyer"], "approve", contracts[CREDITS], 2**255)
    ctx.transactor = Transactor(ctx.chain, ctx.transactor.decoder, reuse_gas_estimates=True)
    runner = FlowRunner(ctx, journal, FLOWS)
    flows = [FLOWS["lc-clean"]({"reference": f"BENCH-{n:04d}", "contracts": contracts}) for n in range(trades)]
    before = ctx.chain.snapshot()
    started = time.perf_counter()
    outcomes = runner.run_many(flows)
    elapsed = time.perf_counter() - started
    rounds = max(len(o.results) for o in outcomes)
    raws = [
        step.raw_tx
        for seq in range(rounds)
        for o in outcomes
        for step in [journal.step(o.run_id, seq)]
        if step is not None and step.raw_tx is not None
    ]
    journal.close()
    return raws, len(raws) / elapsed, before


def main() -> None:
    trades = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with (
        tempfile.TemporaryDirectory() as tmp,
        Context.create(Project.find(Path(__file__)), deployments_dir=Path(tmp)) as ctx,
    ):
        raws, ours, before = settlements(ctx, trades, Path(tmp))
        rates = {}
        for batched in (False, True):
            ctx.chain.revert(before)  # each ceiling replays the same transactions on the same state
            before = ctx.chain.snapshot()
            rates[batched] = ceiling(ctx, raws, batched=batched)
    sent = len(raws)
    print(f"{trades} letter-of-credit settlements x {sent // trades} transactions = {sent} transactions")
    print(f"{'case':<52}{'tx/s':>8}{'tradefin/it':>13}")
    print(f"{'(a) ceiling: same txs pre-signed, one request each':<52}{rates[False]:>8.1f}{ours / rates[False]:>13.2f}")
    print(f"{'(a) ceiling: same txs pre-signed, JSON-RPC batches':<52}{rates[True]:>8.1f}{ours / rates[True]:>13.2f}")
    print(f"{'(b) tradefin: LC settlements, pipelined':<52}{ours:>8.1f}")
    for batched, label in ((False, "one request per transaction"), (True, "batched raw transactions")):
        ratio = ours / rates[batched]
        verdict = "meets" if ratio >= TARGET else "misses"
        print(f"against {label}: {ratio:.2f}, {verdict} the {TARGET} target")


if __name__ == "__main__":
    main()
