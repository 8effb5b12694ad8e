"""Flows over several ledgers: each step names the chain it goes to (:attr:`Step.chain`), and one runner holds a
context per ledger, journaling every step as the single-chain runner does (signed bytes before sending, the result
after landing, resumable).

Two additions for trades that span chains:

- a step may carry a ``check`` that reads any ledger before the step is first signed (the hash-time-lock rules:
  lock the money only against a live title lock with safe timelocks, reveal only while the buyer keeps its margin);
  it raises to refuse the step, and nothing is sent;
- a step may be ``external``: another actor sends its transaction (the bridge relayer, with the committee's
  signatures). The runner asks that actor's hook to make it happen, then journals and reports the receipt like any
  other step; on resume a finished external step is taken from the journal, an unfinished one asked for again (the
  relayer's own journal makes sure it never submits the same attestation twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from tradefin.chain import Chain
from tradefin.context import Context
from tradefin.errors import TradefinError
from tradefin.flows.journal import Journal, JournalError
from tradefin.flows.model import Call, Flow, FlowState, Step, StepResult
from tradefin.flows.runner import FlowOutcome, FlowRunner
from tradefin.transactions.sender import Receipt

Check = Callable[[FlowState, Mapping[str, Context]], None]
External = Callable[["LedgerStep", Call, FlowState], Receipt]
"""An external actor: given the step, its (descriptive) call and the state, make the transaction land on the
step's ledger and return its receipt; raise :class:`TradefinError` if it cannot."""


@dataclass(frozen=True)
class LedgerStep(Step):
    """A step of a multi-ledger flow."""

    check: Check | None = None
    """Called with the state and every ledger's context before the step is first signed; raises to refuse it."""
    external: str = ""
    """The name of the actor that sends this step's transaction (a runner hook); empty: the step's party signs."""


class LedgerRunner(FlowRunner):
    """Runs flows whose steps go to several ledgers, one :class:`Context` per ledger name (the first is home: steps
    without a ``chain`` go there, and runs are journaled with its chain id)."""

    def __init__(
        self,
        ledgers: Mapping[str, Context],
        journal: Journal,
        flows: Mapping[str, type[Flow]],
        *,
        on_step: Callable[[StepResult], None] | None = None,
        before_send: Callable[[Step], None] | None = None,
        external: Mapping[str, External] | None = None,
    ) -> None:
        if not ledgers:
            raise TradefinError("a ledger runner needs at least one ledger")
        self.ledgers = dict(ledgers)
        self.home = next(iter(self.ledgers))
        super().__init__(self.ledgers[self.home], journal, flows, on_step=on_step, before_send=before_send)
        self.external = dict(external or {})
        self._times: dict[str, dict[int, int]] = {name: {} for name in self.ledgers}
        self._block_times = self._times[self.home]

    def ledger_of(self, step: Step) -> str:
        name = step.chain or self.home
        if name not in self.ledgers:
            raise TradefinError(f"step {step.name!r} goes to ledger {name!r}, not one of {', '.join(self.ledgers)}")
        return name

    def run_many(self, flows: list[Flow]) -> list[FlowOutcome]:
        raise TradefinError("flows over several ledgers run one at a time (start / resume)")

    def _chain_of(self, ledger: str) -> Chain:
        name = ledger or self.home
        if name not in self.ledgers:
            raise JournalError(f"a journaled step went to ledger {name!r}, not one of {', '.join(self.ledgers)}")
        return self.ledgers[name].chain

    # -- overrides: every step runs with its ledger's context --------------------------------------------------------

    @contextmanager
    def _on(self, ledger: str) -> Iterator[None]:
        self.ctx, self._block_times = self.ledgers[ledger], self._times[ledger]
        try:
            yield
        finally:
            self.ctx, self._block_times = self.ledgers[self.home], self._times[self.home]

    def _execute(self, run_id: int, seq: int, step: Step, state: FlowState) -> StepResult:
        with self._on(self.ledger_of(step)):
            if isinstance(step, LedgerStep) and step.external:
                return self._external(run_id, seq, step, state)
            return super()._execute(run_id, seq, step, state)

    def _send_new(self, run_id: int, seq: int, step: Step, state: FlowState) -> Receipt:
        if isinstance(step, LedgerStep) and step.check is not None:
            step.check(state, self.ledgers)
        return super()._send_new(run_id, seq, step, state)

    def _result(self, step: Step, call: Call, receipt: Receipt) -> StepResult:
        return replace(super()._result(step, call, receipt), chain=self.ledger_of(step))

    def _external(self, run_id: int, seq: int, step: LedgerStep, state: FlowState) -> StepResult:
        record = self.journal.step(run_id, seq)
        if record is not None and record.name != step.name:
            raise TradefinError(f"run {run_id} step {seq} is {record.name!r} in the journal, {step.name!r} here")
        if record is not None and record.status == "done" and record.result is not None:
            return StepResult.from_json(record.result)
        hook = self.external.get(step.external)
        if hook is None:
            raise TradefinError(f"step {step.name!r} is sent by the {step.external}, and this runner has none")
        call = step.build(state)
        self.journal.plan(run_id, seq, step.name, call.party, call.describe())
        self.before_send(step)
        try:
            receipt = hook(step, call, state)
        except TradefinError as exc:
            self.journal.failed(run_id, seq, str(exc))
            raise
        result = self._result(step, call, receipt)
        self.journal.done(run_id, seq, _receipt_json(receipt), result.to_json())
        return result


def _receipt_json(receipt: Receipt) -> dict[str, Any]:
    return {
        "tx_hash": receipt.tx_hash,
        "block": receipt.block_number,
        "gas_used": receipt.gas_used,
        "status": receipt.status,
        "contract_address": receipt.contract_address,
    }
