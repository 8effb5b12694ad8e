"""Throughput on one Anvil, in one run: (a) the ceiling — the very transactions tradefin signed, replayed from
their raw bytes, pipelined, awaited in batches; (b) tradefin — complete letter-of-credit settlements (the same
transactions) driven by the flow runner, pipelined across independent trades, every step built, estimated,
signed, journaled, sent and decoded. Prints both rates and their ratio (target: tradefin >= 0.7 of the ceiling).

Each repetition starts from the same chain snapshot and runs the three cases back to back, so a noisy machine
moves them together; the medians are reported.

    python bench/throughput.py [TRADES] [REPETITIONS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tradefin.context import Context
from tradefin.flows import FLOWS, FlowRunner, Journal
from tradefin.flows.common import REGISTRY
from tradefin.flows.credit import CALENDAR, CREDITS, DEPOSIT_STEP, LEDGER
from tradefin.project import Project
from tradefin.transactions import Contract, Transactor

TARGET = 0.7
INFRASTRUCTURE = (REGISTRY, DEPOSIT_STEP, CALENDAR, LEDGER, CREDITS)


def ceiling(ctx: Context, raws: list[bytes], *, batched: bool) -> float:
    """Send ``raws`` in order without waiting for any receipt (pipelined) — one request each, or JSON-RPC batches
    of 500 — then await the receipts in batches: tx/s with nothing but the node's own work and the transport."""
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


def shared_contracts(ctx: Context, folder: Path) -> dict[str, str]:
    """One set-up run of the flow deploys the registry, token, calendar and credit contract all trades share."""
    journal = Journal(folder / "setup-journal.sqlite")
    setup = FlowRunner(ctx, journal, FLOWS).start(FLOWS["lc-clean"]({"reference": "BENCH-SETUP"}))
    journal.close()
    contracts = {name: setup.result(name).contract_address or "" for name in INFRASTRUCTURE}
    # The buyer's standing authorisation for the credit contract to take each credit's cover.
    token = Contract(ctx.transactor, contracts[DEPOSIT_STEP], ctx.build["DepositToken"].abi, "DepositToken")
    token.transact(ctx.accounts["buyer"], "approve", contracts[CREDITS], 2**255)
    return contracts


def settlements(ctx: Context, contracts: dict[str, str], trades: int, journal_path: Path) -> tuple[list[bytes], float]:
    """``trades`` LC settlements side by side, from a cold transactor (no gas estimates known yet); (the signed
    transactions in the order they were sent, tx/s)."""
    ctx.transactor = Transactor(ctx.chain, ctx.transactor.decoder, reuse_gas_estimates=True)
    journal = Journal(journal_path)
    runner = FlowRunner(ctx, journal, FLOWS)
    flows = [FLOWS["lc-clean"]({"reference": f"BENCH-{n:04d}", "contracts": contracts}) for n in range(trades)]
    started = time.perf_counter()
    outcomes = runner.run_many(flows)
    elapsed = time.perf_counter() - started
    raws = journal.signed_transactions()
    journal.close()
    assert len(raws) == sum(len(o.results) for o in outcomes)
    return raws, len(raws) / elapsed


def main() -> None:
    trades = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rates: dict[str, list[float]] = {"ours": [], "one": [], "batched": []}
    with (
        tempfile.TemporaryDirectory() as tmp,
        Context.create(Project.find(Path(__file__)), deployments_dir=Path(tmp)) as ctx,
    ):
        contracts = shared_contracts(ctx, Path(tmp))
        start = ctx.chain.snapshot()
        for rep in range(repetitions):
            ctx.chain.revert(start)
            start = ctx.chain.snapshot()
            raws, ours = settlements(ctx, contracts, trades, Path(tmp) / f"journal-{rep}.sqlite")
            rates["ours"].append(ours)
            for key, batched in (("batched", True), ("one", False)):
                ctx.chain.revert(start)  # each ceiling replays the same transactions on the same state
                start = ctx.chain.snapshot()
                rates[key].append(ceiling(ctx, raws, batched=batched))
    sent = len(raws)
    median = {key: statistics.median(values) for key, values in rates.items()}
    ratio = {key: statistics.median(o / c for o, c in zip(rates["ours"], rates[key], strict=True)) for key in rates}
    print(f"{trades} letter-of-credit settlements x {sent // trades} transactions = {sent} transactions")
    print(f"medians of {repetitions} repetitions (each from the same snapshot, the three cases back to back)")
    print(f"{'case':<54}{'tx/s':>8}{'tradefin/it':>13}")
    print(
        f"{'(a) ceiling: same txs pre-signed, JSON-RPC batches':<54}{median['batched']:>8.1f}{ratio['batched']:>13.2f}"
    )
    print(f"{'(a) ceiling: same txs pre-signed, one request each':<54}{median['one']:>8.1f}{ratio['one']:>13.2f}")
    print(f"{'(b) tradefin: LC settlements, pipelined':<54}{median['ours']:>8.1f}")
    verdict = "meets" if ratio["batched"] >= TARGET else "misses"
    print(f"tradefin / batched ceiling: {ratio['batched']:.2f}, {verdict} the {TARGET} target")


if __name__ == "__main__":
    main()
