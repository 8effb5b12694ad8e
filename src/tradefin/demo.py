"""The demo run by ``tradefin demo``: a Shanghai exporter, a carrier, a Hong Kong buyer (and, as the finance
flows land, their banks) settling trades on a local chain, each party with its own key, every step journaled.

Block times are pinned (the run starts at a fixed date and each step is a fixed interval later), so the same
run gives the same figures, hashes included. The report goes to ``reports/settlement.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tradefin.context import Context
from tradefin.errors import ConfigError
from tradefin.flows import FLOWS, Flow, FlowRunner, Journal, Step, StepResult
from tradefin.flows.journal import JournalError
from tradefin.flows.report import FlowRecord, write_report
from tradefin.flows.runner import check_history

DEMO_START = 1_741_914_000  # 2025-03-14 09:00 Hong Kong time, the shipment's on-board day
"""Genesis time of the demo's own chain (``tradefin demo`` starts Anvil at it)."""
STEP_SECONDS = 600


@dataclass(frozen=True)
class DemoResult:
    report: Path
    records: list[FlowRecord]

    @property
    def transactions(self) -> int:
        return sum(len(r.results) for r in self.records)

    @property
    def gas(self) -> int:
        return sum(s.gas_used for r in self.records for s in r.results)


def demo_flows() -> list[Flow]:
    """The flows the demo runs, in order."""
    return [FLOWS[name]() for name in ("lc-clean", "lc-discrepant", "collection-dp", "ebl-financing")]


class PinnedClock:
    """On a dev chain, gives every step's block a fixed time: start, start + interval, ..."""

    def __init__(self, ctx: Context, start: int, interval: int) -> None:
        self.ctx, self.next = ctx, max(start, ctx.chain.timestamp() + 1)
        self.interval = interval

    def __call__(self, step: Step) -> None:
        if self.ctx.chain.steerable:
            self.ctx.chain.set_next_block_timestamp(self.next)
            self.next += self.interval


def demo_journal(ctx: Context) -> Path:
    return ctx.project.root / ".tradefin" / "demo-journal.sqlite"


def run_demo(
    ctx: Context,
    console: Console | None = None,
    flows: Sequence[Flow] | None = None,
    journal_path: Path | None = None,
    *,
    resume: bool = False,
) -> DemoResult:
    """Run the demo's flows (``resume``: finish the latest demo on this chain from the journal, its unfinished run
    and the flows it had not started; nothing is sent twice) and write the report."""
    console = console or Console(highlight=False)
    flows = list(flows if flows is not None else demo_flows())
    journal = Journal(journal_path or demo_journal(ctx))
    session = journal.last_session(ctx.chain.chain_id, [flow.name for flow in flows]) if resume else []
    if resume and not session:
        journal.close()
        raise ConfigError(
            f"no demo to resume on chain {ctx.chain.chain_id} in {journal.path}: run tradefin demo without --resume"
        )
    try:
        if session:
            check_history(journal, session[0].id, lambda ledger: ctx.chain, whole=True)
    except JournalError as exc:
        journal.close()
        raise ConfigError(f"the demo's {exc}; give the chain it ran on (--state-file, --rpc-url)") from None
    console.print(
        f"[bold]tradefin demo[/] on {ctx.chain.name} (chain id {ctx.chain.chain_id}, {ctx.chain.client_version})"
        + (f", resuming from run {session[0].id}" if session else "")
    )
    total = sum(len(flow.plan()) for flow in flows)
    records: list[FlowRecord] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("settling", total=total)

        def show(step: StepResult) -> None:
            stamp = datetime.fromtimestamp(step.timestamp, UTC).strftime("%m-%d %H:%M")
            progress.console.print(
                f"  {stamp} [bold]{step.party:<12.12}[/] {step.label:<34.34} {step.gas_used:>9,} {step.tx_hash[:10]}",
                no_wrap=True,
                overflow="ellipsis",
            )
            progress.advance(task)

        clock = PinnedClock(ctx, ctx.chain.timestamp() + STEP_SECONDS if session else DEMO_START, STEP_SECONDS)
        # A local chain restarted from its state file runs on the wall clock (and refuses block times before it)
        # while the demo's blocks carry pinned times (March 2025): back to its latest block's, so the pinned times
        # are accepted and checks and gas estimates see the run's time. A no-op on nodes tradefin did not start.
        ctx.chain.rewind_clock(ctx.chain.timestamp())
        runner = FlowRunner(ctx, journal, FLOWS, on_step=show, before_send=clock)
        for n, flow in enumerate(flows):
            progress.console.print(f"[bold cyan]{flow.name}[/]: {flow.description}")
            run = runner.resume(session[n].id) if n < len(session) else runner.start(flow)
            records.append(FlowRecord(flow.name, flow.description, run.run_id, run.results))
    journal.close()
    names = {ctx.accounts.address(role): role for flow in flows for role in flow.parties}
    names["0x" + "00" * 20] = "(minted)"
    tokens: dict[str, tuple[str, int]] = {}
    for record in records:
        for step in record.results:
            if step.contract_address:
                names.setdefault(step.contract_address, step.name.removeprefix("deploy "))
                if step.contract == "DepositToken":
                    tokens[step.contract_address] = (step.name.rsplit(" ", 1)[-1], 2)
    chain = {"chain_id": ctx.chain.chain_id, "client": ctx.chain.client_version}
    report = write_report(ctx.project.reports_dir, records, names=names, tokens=tokens, chain=chain)
    result = DemoResult(report, records)
    console.print(f"[bold]done[/]: {result.transactions} transactions, {result.gas:,} gas")
    console.print(f"report: {report}")
    return result
