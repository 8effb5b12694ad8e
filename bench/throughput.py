"""Throughput on Anvil, in one run (one binary, one set of flags; every case on a fresh node from the same state,
see below): (a) the ceiling — the very transactions tradefin signed, replayed from
their raw bytes, pipelined, awaited in batches; (b) tradefin — complete letter-of-credit settlements (the same
transactions) driven by the flow runner, pipelined across independent trades, every step built, estimated,
signed, journaled, sent and decoded. Prints both rates and their ratio (target: tradefin >= 0.7 of the ceiling).

(c) says how much of the gap is the flows' own shape: the same signed bytes replayed by a client that does
nothing else, in rounds: each trade's next transaction once its previous one is mined (and its sender's earlier
nonces are out), as tradefin must send them: a settlement is ten transactions in a row, each needing the last
one's effect, where (a) sends all of them at once.

Every case of every repetition runs on a fresh Anvil (same binary, same flags) loaded with the same state
(``anvil_dumpState`` after the shared contracts are deployed, ``anvil_loadState``): a long-lived Anvil slows down
with every block it has mined, reverted or not (tradefin's rate fell from 636 to 325 tx/s after two rounds of the
other cases on one node, snapshots reverted in between), so back to back on one node the order of the cases
decided the figures. Each repetition's rates are printed, then the medians (of rates, and of per-repetition
ratios), with each case's blocks and the node's own CPU time per transaction (Anvil's, from /proc): what the node
spends on a case bounds its rate on this 2-core machine whatever the client does.

    python bench/throughput.py [TRADES] [REPETITIONS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tradefin.context import Context
from tradefin.flows import FLOWS, FlowRunner, Journal
from tradefin.flows.common import REGISTRY
from tradefin.flows.credit import CALENDAR, CREDITS, DEPOSIT_STEP, LEDGER
from tradefin.project import Project
from tradefin.transactions import Contract, Transactor

TARGET = 0.7
INFRASTRUCTURE = (REGISTRY, DEPOSIT_STEP, CALENDAR, LEDGER, CREDITS)


@dataclass
class Load:
    """What one case cost the node: blocks mined and Anvil's CPU seconds (None where /proc cannot say)."""

    blocks: int
    node_cpu: float | None


def node_cpu_seconds(ctx: Context) -> float | None:
    """CPU seconds (user + system) the node process has used so far, from /proc; None when it cannot say."""
    pid = ctx.chain.node.pid if ctx.chain.node else None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def measuring(ctx: Context, loads: list[Load]) -> Iterator[None]:
    """Add the node's blocks and CPU time of the case run inside to ``loads``."""
    height, cpu = ctx.chain.block_number(), node_cpu_seconds(ctx)
    yield
    after = node_cpu_seconds(ctx)
    loads.append(Load(ctx.chain.block_number() - height, None if cpu is None or after is None else after - cpu))


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
        outstanding = await_some(ctx, outstanding)
    return len(raws) / (time.perf_counter() - started)


STALL_SECONDS = 2.0


def await_some(ctx: Context, hashes: list[str]) -> list[str]:
    """Wait until some of ``hashes`` are mined; those still not mined. Anvil's automine once left 147 accepted
    transactions unmined for minutes in a run of this bench: after STALL_SECONDS without progress a block is
    mined by hand (``evm_mine``) and that is said, so a stalled node shows instead of hanging the bench."""
    delay, since = 0.0005, time.perf_counter()
    while True:
        replies = ctx.chain.rpc_batch([("eth_getTransactionReceipt", [h]) for h in hashes])
        left = [h for h, r in zip(hashes, replies, strict=True) if not r.get("result")]
        if len(left) < len(hashes):
            return left
        if time.perf_counter() - since > STALL_SECONDS:
            print(f"  (node stalled with {len(left)} transactions accepted and unmined; mining a block)")
            ctx.chain.mine()
            since = time.perf_counter()
        time.sleep(delay)
        delay = min(2 * delay, 0.005)


Replayed = tuple[str, int, bytes, str]
"""(sender, nonce, raw bytes, hash) of one signed transaction."""


def dependency_order(ctx: Context, raws: list[bytes], journal: Journal) -> float:
    """Replay ``raws`` as the flows allow, in rounds: every transaction whose trade's previous one is mined (and
    whose sender's earlier nonces are out) goes in one batch, and the round's receipts are awaited. tx/s."""
    trades: list[list[Replayed]] = []
    for run in journal.runs():
        steps = journal.steps(run.id)
        trades.append([(str((s.request or {})["from"]), s.nonce or 0, s.raw_tx or b"", s.tx_hash or "") for s in steps])
    assert sum(len(t) for t in trades) == len(raws)
    next_nonce: dict[str, int] = {}
    for sender, nonce, _, _ in (tx for trade in trades for tx in trade):
        next_nonce[sender] = min(nonce, next_nonce.get(sender, nonce))
    position, in_flight = [0] * len(trades), dict[str, int]()
    started = time.perf_counter()
    while in_flight or any(p < len(t) for p, t in zip(position, trades, strict=True)):
        batch, sent = [], True
        while sent:  # a send can free the next nonce of a sender another trade waits on
            sent = False
            for n, trade in enumerate(trades):
                if n in in_flight.values() or position[n] == len(trade):
                    continue
                sender, nonce, raw, tx_hash = trade[position[n]]
                if nonce == next_nonce[sender]:
                    batch.append(("eth_sendRawTransaction", ["0x" + raw.hex()]))
                    next_nonce[sender], in_flight[tx_hash], sent = nonce + 1, n, True
        ctx.chain.rpc_batch(batch)
        while in_flight:  # in rounds: the node mines a round in the fewest blocks
            left = set(await_some(ctx, list(in_flight)))
            for tx_hash in [h for h in in_flight if h not in left]:
                position[in_flight.pop(tx_hash)] += 1
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


CASES = {
    "batched": "(a) ceiling: same txs pre-signed, JSON-RPC batches",
    "one": "(a) ceiling: same txs pre-signed, one request each",
    "ordered": "(c) same txs, in the flows order, nothing else",
    "ours": "(b) tradefin: LC settlements, pipelined",
}


@contextmanager
def fresh_node(project: Project, folder: Path, state: str) -> Iterator[Context]:
    """A new Anvil with ``state`` loaded (the shared contracts, their block height and time), stopped after."""
    folder.mkdir()
    with Context.create(project, deployments_dir=folder) as ctx:
        ctx.chain.rpc("anvil_loadState", [state])
        yield ctx


def main() -> None:
    trades = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rates: dict[str, list[float]] = {key: [] for key in ("ours", "one", "batched", "ordered")}
    loads: dict[str, list[Load]] = {key: [] for key in rates}
    project = Project.find(Path(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        with Context.create(project, deployments_dir=Path(tmp) / "setup") as ctx:
            contracts = shared_contracts(ctx, Path(tmp))
            state = str(ctx.chain.rpc("anvil_dumpState"))
        for rep in range(repetitions):
            journal_path = Path(tmp) / f"journal-{rep}.sqlite"
            with fresh_node(project, Path(tmp) / f"{rep}-ours", state) as ctx, measuring(ctx, loads["ours"]):
                raws, rate = settlements(ctx, contracts, trades, journal_path)
            rates["ours"].append(rate)
            for key, batched in (("batched", True), ("one", False)):
                with fresh_node(project, Path(tmp) / f"{rep}-{key}", state) as ctx, measuring(ctx, loads[key]):
                    rates[key].append(ceiling(ctx, raws, batched=batched))
            journal = Journal(journal_path)
            with fresh_node(project, Path(tmp) / f"{rep}-ordered", state) as ctx, measuring(ctx, loads["ordered"]):
                rates["ordered"].append(dependency_order(ctx, raws, journal))
            journal.close()
            print(f"repetition {rep + 1}: " + ", ".join(f"{key} {values[-1]:.0f}" for key, values in rates.items()))
    sent = len(raws)
    median = {key: statistics.median(values) for key, values in rates.items()}
    ratio = {key: statistics.median(o / c for o, c in zip(rates["ours"], rates[key], strict=True)) for key in rates}
    print(f"{trades} letter-of-credit settlements x {sent // trades} transactions = {sent} transactions")
    print(f"medians of {repetitions} repetitions (every case on a fresh Anvil loaded with the same state)")
    print(f"{'case':<54}{'tx/s':>8}{'tradefin/it':>13}{'blocks':>8}{'node CPU ms/tx':>16}")
    for key, label in CASES.items():
        blocks = statistics.median(load.blocks for load in loads[key])
        cpus = [load.node_cpu for load in loads[key] if load.node_cpu is not None]
        cpu = f"{1000 * statistics.median(cpus) / sent:.2f}" if cpus else "n/a"
        share = f"{ratio[key]:.2f}" if key != "ours" else ""
        print(f"{label:<54}{median[key]:>8.1f}{share:>13}{blocks:>8.0f}{cpu:>16}")
    verdict = "meets" if ratio["batched"] >= TARGET else "misses"
    print(f"tradefin / batched ceiling: {ratio['batched']:.2f}, {verdict} the {TARGET} target")
    shape = statistics.median(o / c for o, c in zip(rates["ordered"], rates["batched"], strict=True))
    print(f"the flows' order alone, with no client work, reaches {shape:.2f} of the batched ceiling")


if __name__ == "__main__":
    main()
