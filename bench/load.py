"""Load: hundreds of bills settled at once on one node, then an audit that no step was lost or done twice.

Every trade is a complete eBL delivery on one shared registry (issue, endorse, surrender, accomplish) and each
is journaled as its own run; the runner pipelines them all. Afterwards the audit checks, from the chain and the
journal independently: every run done, every step's transaction mined once and successful, the transactions
all distinct, each party's nonce moved by exactly its number of steps, every bill accomplished. The rate is
printed against the same transactions replayed pre-signed in JSON-RPC batches (the node's own ceiling).

    python bench/load.py [BILLS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tradefin.context import Context
from tradefin.ebl import Status, TitleRegistry
from tradefin.flows import FLOWS, FlowRunner, Journal
from tradefin.project import Project
from tradefin.transactions import Transactor

sys.path.insert(0, str(Path(__file__).parent))
from throughput import ceiling


def audit(
    ctx: Context, journal: Journal, registry: TitleRegistry, runs: list[int], before: dict[str, int]
) -> list[str]:
    """What is wrong, if anything (empty: nothing lost, nothing twice)."""
    problems: list[str] = []
    steps = [step for run in runs for step in journal.steps(run)]
    party_steps = Counter(step.party for step in steps)
    problems += [f"run {run} is {journal.run(run).status}" for run in runs if journal.run(run).status != "done"]
    problems += [f"run {s.run_id} step {s.name} is {s.status}" for s in steps if s.status != "done"]
    hashes = [s.tx_hash for s in steps]
    if len(set(hashes)) != len(hashes):
        problems.append(f"{len(hashes) - len(set(hashes))} transaction hashes journaled twice")
    replies = ctx.chain.rpc_batch([("eth_getTransactionReceipt", [h]) for h in hashes])
    problems += [
        f"{h} not mined or failed"
        for h, r in zip(hashes, replies, strict=True)
        if (r.get("result") or {}).get("status") != "0x1"
    ]
    for role, count in party_steps.items():
        moved = int(ctx.chain.rpc("eth_getTransactionCount", [ctx.accounts.address(role), "latest"]), 16) - before[role]
        if moved != count:
            problems.append(f"{role}: {moved} transactions on chain for {count} journaled steps")
    for run in runs:
        issued = next(s for s in journal.steps(run) if s.name == "issue bill")
        assert issued.result is not None
        bill = next(int(e["args"]["id"], 16) for e in issued.result["events"] if e["name"] == "TitleIssued")
        if registry.status(bill) is not Status.ACCOMPLISHED:
            problems.append(f"run {run}: bill {bill:#x} is {registry.status(bill).name}")
    return problems


def main() -> None:
    bills = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with (
        tempfile.TemporaryDirectory() as tmp,
        Context.create(Project.find(Path(__file__)), deployments_dir=Path(tmp)) as ctx,
    ):
        registry = TitleRegistry.deploy(ctx, ctx.accounts["carrier"], symbol="LOAD")
        roles = ("carrier", "shipper", "buyer")
        before = {
            r: int(ctx.chain.rpc("eth_getTransactionCount", [ctx.accounts.address(r), "latest"]), 16) for r in roles
        }
        start = ctx.chain.snapshot()
        ctx.transactor = Transactor(ctx.chain, ctx.transactor.decoder, reuse_gas_estimates=True)
        journal = Journal(Path(tmp) / "load.sqlite")
        flows = [
            FLOWS["ebl-delivery"]({"reference": f"LOAD-{n:05d}", "registry": registry.address}) for n in range(bills)
        ]
        started = time.perf_counter()
        outcomes = FlowRunner(ctx, journal, FLOWS).run_many(flows)
        elapsed = time.perf_counter() - started
        runs = [o.run_id for o in outcomes]
        problems = audit(ctx, journal, registry, runs, before)
        raws = journal.signed_transactions()
        journal.close()
        ctx.chain.revert(start)
        node = ceiling(ctx, raws, batched=True)
    ours = len(raws) / elapsed
    print(f"{bills} bills settled side by side on one node: {len(raws)} transactions in {elapsed:.1f} s")
    print(f"tradefin {ours:.0f} tx/s; the same transactions replayed in JSON-RPC batches {node:.0f} tx/s", end="")
    print(f"; ratio {ours / node:.2f}")
    print(
        f"audit: {len(runs)} runs, {len(raws)} steps: "
        + ("nothing lost, nothing twice" if not problems else f"{len(problems)} problems")
    )
    for problem in problems[:20]:
        print("  " + problem)
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
