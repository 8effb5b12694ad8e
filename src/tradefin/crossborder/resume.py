"""``tradefin resume --cross-border``: finish interrupted cross-border runs (the demo's, or any run of the
cross-border flows) from their journal, with the runner, relayer and committee set up as the demo sets them up
(:func:`tradefin.crossborder.demo.cross_border_runner`). Nothing is sent twice: steps that landed are taken from
the journal, signed ones re-sent as the same bytes, and the relayer's own journal keeps it from submitting an
attestation twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from tradefin.crossborder.demo import DEMO_START, FLOWS_JOURNAL, WORK_DIR, LedgerClock, cross_border_runner
from tradefin.crossborder.ledgers import Ledgers
from tradefin.demo import STEP_SECONDS
from tradefin.flows.crossborder import CROSS_BORDER_FLOWS
from tradefin.flows.journal import Journal, JournalError, RunRecord
from tradefin.flows.model import StepResult
from tradefin.flows.runner import FlowOutcome
from tradefin.project import Project

__all__ = ["check_run_ledgers", "default_journal", "pending_runs", "resume_runs"]


def default_journal(project: Project) -> Path:
    """The cross-border demo's flow journal."""
    return project.root / WORK_DIR / FLOWS_JOURNAL


def pending_runs(journal_path: Path, run_id: int | None = None) -> list[RunRecord]:
    """Run ``run_id``, or every unfinished run, of the journal at ``journal_path``: each a cross-border run
    (:class:`JournalError` otherwise, or if there is no journal there)."""
    if not journal_path.is_file():
        raise JournalError(f"no journal at {journal_path} (the cross-border demo keeps it in {WORK_DIR}/)")
    journal = Journal(journal_path)
    try:
        runs = [journal.run(run_id)] if run_id is not None else [r for r in journal.runs() if r.status != "done"]
    finally:
        journal.close()
    for run in runs:
        if run.flow not in CROSS_BORDER_FLOWS:
            raise JournalError(
                f"run {run.id} is a single-chain {run.flow!r} run: resume it without --cross-border "
                "(tradefin resume --rpc-url URL)"
            )
    return runs


def check_run_ledgers(run: RunRecord, ledgers: Ledgers) -> None:
    """Every ledger ``run`` went to is open here, on the chain the run used (else :class:`JournalError`)."""
    chain_ids = run.params.get("chain_ids") or {}
    for name, chain_id in chain_ids.items():
        if name not in ledgers.contexts:
            raise JournalError(f"run {run.id} went to ledger {name!r}, which is not one of {', '.join(ledgers)}")
        actual = ledgers.contexts[name].chain.chain_id
        if actual != int(chain_id):
            raise JournalError(f"run {run.id} was on {name} chain {chain_id}; the {name} node given is chain {actual}")
    home = ledgers.contexts[ledgers.home].chain.chain_id
    if run.chain_id != home:
        raise JournalError(f"run {run.id} was on chain {run.chain_id}; the {ledgers.home} node given is chain {home}")


def resume_runs(
    ledgers: Ledgers,
    journal_path: Path,
    runs: Sequence[RunRecord],
    *,
    on_step: Callable[[StepResult], None] | None = None,
    on_run: Callable[[RunRecord], None] | None = None,
    on_done: Callable[[FlowOutcome], None] | None = None,
) -> list[FlowOutcome]:
    """Resume ``runs`` (from :func:`pending_runs`) one after the other on ``ledgers`` (``on_run`` before each,
    ``on_done`` after); block times pinned as the demo pins them on chains tradefin started (a node you run keeps
    its own time)."""
    for run in runs:
        check_run_ledgers(run, ledgers)
    outcomes = []
    clock = LedgerClock(ledgers, DEMO_START, STEP_SECONDS)
    clock.rewind()
    with cross_border_runner(ledgers, journal_path, on_step=on_step, before_send=clock) as runner:
        for run in runs:
            if on_run is not None:
                on_run(run)
            outcomes.append(runner.resume(run.id))
            if on_done is not None:
                on_done(outcomes[-1])
    return outcomes
