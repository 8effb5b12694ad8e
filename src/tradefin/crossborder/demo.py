"""``tradefin demo --cross-border``: two ledgers, Shanghai and Hong Kong, each its own chain.

1. ``bridge-and-settle``: a Shanghai bill pledged to the bridge, attested by the committee (each member checking
   both chains itself) and claimed in Hong Kong by the relayer, the claim attested back so the Shanghai copy is
   final; then settled in Hong Kong (D/P collection in tokenized HKD), surrendered and accomplished.
2. ``cross-chain-dvp``: another Shanghai bill against HKD in Hong Kong by hash-time locks.

Both chains start at the demo's pinned genesis and every step's block gets a pinned time (one clock across the
two ledgers), so two runs give the same report byte for byte. The flows are journaled (``.tradefin/cross-border``)
and the relayer keeps its own journal beside them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tradefin.bridge.htlc import hashlock_of, new_secret
from tradefin.bridge.relayer import Relayer
from tradefin.crossborder.committee import DEFAULT_THRESHOLD, make_relayer, member_accounts, relay_until
from tradefin.crossborder.ledgers import Ledgers
from tradefin.crossborder.report import write_cross_border_report
from tradefin.demo import DEMO_START, STEP_SECONDS, DemoResult
from tradefin.errors import ConfigError
from tradefin.flows.crossborder import CROSS_BORDER_FLOWS, BridgeAndSettleFlow, CrossChainDvpFlow, demo_secret
from tradefin.flows.journal import Journal, JournalError, RunRecord
from tradefin.flows.ledgers import LedgerRunner, LedgerStep
from tradefin.flows.model import Call, Flow, FlowState, Step, StepResult
from tradefin.flows.report import FlowRecord
from tradefin.flows.runner import check_history
from tradefin.transactions.sender import Receipt

__all__ = [
    "DEMO_START",
    "FLOWS_JOURNAL",
    "RELAYER_JOURNAL",
    "WORK_DIR",
    "CrossBorderResult",
    "LedgerClock",
    "cross_border_runner",
    "run_cross_border_demo",
    "timeline_line",
]

WORK_DIR = Path(".tradefin") / "cross-border"
"""Where the demo keeps its journals (under the project's root)."""
FLOWS_JOURNAL = "flows.sqlite"
RELAYER_JOURNAL = "relayer.sqlite"
"""The flows' journal, and the relayer's beside it."""


CrossBorderResult = DemoResult
"""The report's path and each flow's record, as for the main demo."""


class LedgerClock:
    """One pinned clock across the ledgers: each step's block, on whichever ledger, gets start, start + interval,
    ... (only on chains tradefin started: a node you run keeps its own time)."""

    def __init__(self, ledgers: Ledgers, start: int, interval: int) -> None:
        self.ledgers = ledgers
        self.next = max(start, *(ctx.chain.timestamp() + 1 for ctx in ledgers.values()))
        self.interval = interval

    def __call__(self, step: Step) -> None:
        chain = self.ledgers[step.chain or self.ledgers.home].chain
        if chain.steerable:
            chain.set_next_block_timestamp(self.next)
            self.next += self.interval

    def rewind(self) -> None:
        """A local chain restarted from its state file runs on the wall clock (and refuses block times before it),
        while the demo's blocks carry pinned times (a day in March 2025): set its clock back to just before the next
        pinned block, so those times are accepted and the steps' checks and gas estimates see the run's time (a
        hash-time lock would look expired today). Nodes tradefin did not start keep their own time."""
        for ctx in self.ledgers.values():
            ctx.chain.rewind_clock(self.next - 1)


class _RelayerHook:
    """The ``relayer`` actor of the flows' external steps: a relayer over both bridges, built once they exist."""

    def __init__(self, ledgers: Ledgers, journal: Path, names: tuple[str, str]) -> None:
        self.ledgers, self.journal, self.names = ledgers, journal, names
        self.relayer: Relayer | None = None

    def __call__(self, step: LedgerStep, call: Call, state: FlowState) -> Receipt:
        if self.relayer is None:
            bridges = {name: state.address(f"deploy bridge {name}") for name in self.names}
            self.relayer = make_relayer(self.ledgers, bridges, member_accounts(self.ledgers), self.journal)
        pledge_id = call.args[0]
        assert isinstance(pledge_id, bytes) and call.function is not None
        return relay_until(self.relayer, pledge_id, call.function)

    def close(self) -> None:
        if self.relayer is not None:
            self.relayer.journal.close()


@contextmanager
def cross_border_runner(
    ledgers: Ledgers,
    journal_path: Path,
    *,
    on_step: Callable[[StepResult], None] | None = None,
    before_send: Callable[[Step], None] | None = None,
) -> Iterator[LedgerRunner]:
    """The runner of the cross-border flows over the first two ``ledgers``, as the demo and ``tradefin resume
    --cross-border`` set it up: journaled in ``journal_path``; the flows' ``relayer`` actor a relayer over both
    ledgers' bridges asking the committee (:func:`member_accounts`) to sign, with its journal beside
    (:data:`RELAYER_JOURNAL`). Both journals are closed at the end."""
    src, dst = list(ledgers)[:2]
    journal = Journal(journal_path)
    relay = _RelayerHook(ledgers, journal_path.parent / RELAYER_JOURNAL, (src, dst))
    try:
        yield LedgerRunner(
            ledgers,
            journal,
            CROSS_BORDER_FLOWS,
            on_step=on_step,
            before_send=before_send,
            external={"relayer": relay},
        )
    finally:
        journal.close()
        relay.close()


def _fresh_files(folder: Path, *names: str) -> None:
    for name in names:
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}{suffix}").unlink(missing_ok=True)


DEMO_FLOWS = ("bridge-and-settle", "cross-chain-dvp")
"""The cross-border demo's flows, in order."""


def demo_session(ledgers: Ledgers, journal_path: Path) -> list[RunRecord]:
    """The runs of the latest cross-border demo on these ``ledgers`` in the journal, oldest first (from its last
    ``bridge-and-settle`` run on). One clear error if there is none, if they are not the demo's flows in order, or
    if they ran on other chains with the same ids (their first transaction is not on its ledger)."""
    from tradefin.crossborder.resume import check_run_ledgers

    if not journal_path.is_file():
        raise ConfigError(f"no cross-border demo to resume: no journal at {journal_path}")
    journal = Journal(journal_path)
    try:
        session = journal.last_session(ledgers[ledgers.home].chain.chain_id, DEMO_FLOWS)
        if not session:
            raise ConfigError(f"no cross-border demo to resume on these ledgers in {journal_path}")
        for run in session:
            check_run_ledgers(run, ledgers)
        try:
            check_history(journal, session[0].id, lambda ledger: ledgers[ledger or ledgers.home].chain, whole=True)
        except JournalError as exc:
            raise ConfigError(f"the demo's {exc}") from None
    finally:
        journal.close()
    return session


def run_cross_border_demo(
    ledgers: Ledgers,
    console: Console | None = None,
    *,
    work_dir: Path | None = None,
    report_dir: Path | None = None,
    resume: bool = False,
) -> CrossBorderResult:
    """Run both cross-border flows on the first two ``ledgers`` (source/title, destination/money) and write
    ``reports/cross-border.html`` and ``.json``. ``resume``: finish the latest demo on these ledgers from its
    journal instead (the run it was in, then the flow it had not started; nothing is sent twice)."""
    if len(ledgers) < 2:
        raise ConfigError("the cross-border demo needs two ledgers")
    console = console or Console(highlight=False, width=None if sys.stdout.isatty() else 132)
    src, dst = list(ledgers)[:2]
    home = ledgers[src]
    work = work_dir or home.project.root / WORK_DIR
    work.mkdir(parents=True, exist_ok=True)
    fresh = ledgers.fresh
    if resume and fresh:
        raise ConfigError("a demo on chains started now has nothing to resume: give the ledgers it ran on")
    session = demo_session(ledgers, work / FLOWS_JOURNAL) if resume else []
    if fresh:  # new chains: the journals of earlier runs describe chains that are gone
        _fresh_files(work, FLOWS_JOURNAL, RELAYER_JOURNAL)
    members = member_accounts(ledgers)
    chain_ids = {name: ctx.chain.chain_id for name, ctx in ledgers.items()}
    console.print(
        "[bold]tradefin cross-border demo[/] on "
        + ", ".join(f"{n} (chain id {ctx.chain.chain_id})" for n, ctx in ledgers.items())
        + f"; committee {DEFAULT_THRESHOLD} of {len(members)}"
    )
    records: list[FlowRecord] = []
    clock = LedgerClock(ledgers, DEMO_START, STEP_SECONDS)
    clock.rewind()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("settling", total=None)
        with cross_border_runner(
            ledgers, work / FLOWS_JOURNAL, on_step=_timeline(progress, task), before_send=clock
        ) as runner:
            if session:
                records.append(_resume(runner, session[0], progress))
            else:
                first = BridgeAndSettleFlow(
                    {
                        "ledgers": {"source": src, "destination": dst},
                        "chain_ids": chain_ids,
                        "committee": [m.address for m in members],
                        "threshold": DEFAULT_THRESHOLD,
                    }
                )
                records.append(_run(runner, first, progress))
            if len(session) > 1:
                records.append(_resume(runner, session[1], progress))
            else:
                secret = demo_secret() if fresh else new_secret()
                second = CrossChainDvpFlow(
                    {
                        "ledgers": {"title": src, "money": dst},
                        "chain_ids": chain_ids,
                        "registry": _deployed(records[0], "deploy registry"),
                        "token": _deployed(records[0], "deploy collecting_bank HKD"),
                        "secret": "0x" + secret.hex(),
                        "hashlock": "0x" + hashlock_of(secret).hex(),
                    }
                )
                records.append(_run(runner, second, progress))
    names, tokens = _names(ledgers, records)
    info = {n: {"chain_id": ctx.chain.chain_id, "client": ctx.chain.client_version} for n, ctx in ledgers.items()}
    report = write_cross_border_report(
        report_dir or home.project.reports_dir, records, ledgers=info, names=names, tokens=tokens
    )
    result = CrossBorderResult(report, records)
    console.print(f"[bold]done[/]: {result.transactions} transactions, {result.gas:,} gas")
    console.print(f"report: {report}")
    return result


def _run(runner: LedgerRunner, flow: Flow, progress: Progress) -> FlowRecord:
    progress.console.print(f"[bold cyan]{flow.name}[/]: {flow.description}")
    outcome = runner.start(flow)
    return FlowRecord(flow.name, flow.description, outcome.run_id, outcome.results)


def _resume(runner: LedgerRunner, run: RunRecord, progress: Progress) -> FlowRecord:
    flow = CROSS_BORDER_FLOWS[run.flow]
    progress.console.print(f"[bold cyan]{flow.name}[/]: {flow.description} (resuming run {run.id})")
    outcome = runner.resume(run.id)
    return FlowRecord(flow.name, flow.description, outcome.run_id, outcome.results)


def _deployed(record: FlowRecord, step: str) -> str:
    address = next(r.contract_address for r in record.results if r.name == step)
    assert address is not None
    return address


def timeline_line(step: StepResult) -> str:
    """A step as a line of the demo's timeline (rich markup): time, ledger, party, label, gas, transaction."""
    stamp = datetime.fromtimestamp(step.timestamp, UTC).strftime("%m-%d %H:%M")
    return (
        f"  {stamp} [magenta]{step.chain:<9.9}[/] [bold]{step.party:<15.15}[/] {step.label:<66.66} "
        f"{step.gas_used:>9,} {step.tx_hash[:10]}"
    )


def _timeline(progress: Progress, task: object) -> Callable[[StepResult], None]:
    def show(step: StepResult) -> None:
        progress.console.print(timeline_line(step), no_wrap=True, overflow="ellipsis")

    return show


def _names(
    ledgers: Ledgers, records: list[FlowRecord]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, tuple[str, int]]]]:
    """Per ledger: readable names of parties and contracts, and the deposit tokens."""
    roles = sorted({role for flow in CROSS_BORDER_FLOWS.values() for role in flow.parties})
    names: dict[str, dict[str, str]] = {}
    for name, ctx in ledgers.items():
        names[name] = {ctx.accounts.address(role): role for role in roles}
        names[name]["0x" + "00" * 20] = "(minted)"
    tokens: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in ledgers}
    for record in records:
        for step in record.results:
            if step.contract_address:
                what = step.name.removeprefix("deploy ").removesuffix(f" {step.chain}")
                what = what.removesuffix(" title").removesuffix(" money").replace("collecting_bank ", "")
                names[step.chain].setdefault(step.contract_address, f"{what} · {step.chain}")
                if step.contract == "DepositToken":
                    tokens[step.chain][step.contract_address] = ("HKD", 2)
    return names, tokens
