"""Runs flows step by step through the journal, and resumes them without sending anything twice."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address

from tradefin.context import Context
from tradefin.errors import ContractRevert, TradefinError
from tradefin.flows.journal import Journal, JournalError, StepRecord
from tradefin.flows.model import Call, Flow, FlowState, Step, StepResult, jsonable
from tradefin.transactions.abi import EventDecoder, encode_call, encode_constructor
from tradefin.transactions.sender import PendingTransaction, Receipt, SignedTransaction

log = logging.getLogger("tradefin.flows")


class FlowStepFailed(TradefinError):
    """A step of a flow failed; the run is journaled and ``tradefin resume`` retries from this step."""

    def __init__(self, run_id: int, step: str, cause: Exception) -> None:
        self.run_id, self.step, self.cause = run_id, step, cause
        super().__init__(f"run {run_id}, step {step!r}: {cause}")


@dataclass(frozen=True)
class FlowOutcome:
    run_id: int
    flow: str
    results: list[StepResult]

    def result(self, step: str) -> StepResult:
        return next(r for r in self.results if r.name == step)


class FlowRunner:
    """Executes flows on one context, recording every step in ``journal``."""

    def __init__(
        self,
        ctx: Context,
        journal: Journal,
        flows: Mapping[str, type[Flow]],
        on_step: Callable[[StepResult], None] | None = None,
        before_send: Callable[[Step], None] | None = None,
    ) -> None:
        self.ctx, self.journal, self.flows = ctx, journal, dict(flows)
        self.on_step = on_step or (lambda result: None)
        self.before_send = before_send or (lambda step: None)
        self._block_times: dict[int, int] = {}
        """Called before a step's transaction is first broadcast (the demo pins block times with it)."""
        self._decoder = EventDecoder(
            [item for a in ctx.build.artifacts.values() for item in a.abi if item.get("type") == "event"]
        )

    # -- public ---------------------------------------------------------------------------------------------------

    def _dated(self, flow: Flow) -> Flow:
        """Fix the run's ``on_board`` day (the chain's UTC date now) in its params, so a resumed run rebuilds the
        same documents and dates."""
        if "on_board" not in flow.params:
            stamp = self.ctx.chain.timestamp()
            flow.params["on_board"] = datetime.fromtimestamp(stamp, UTC).date().isoformat()
        return flow

    def start(self, flow: Flow) -> FlowOutcome:
        flow = self._dated(flow)
        run_id = self.journal.start_run(flow.name, jsonable(flow.params), self.ctx.chain.chain_id)
        log.info("run %d: %s", run_id, flow.name)
        return self._run(run_id, flow)

    def resume(self, run_id: int) -> FlowOutcome:
        run = self.journal.run(run_id)
        if run.chain_id != self.ctx.chain.chain_id:
            raise JournalError(
                f"run {run_id} was on chain {run.chain_id}, this node is chain {self.ctx.chain.chain_id}"
            )
        flow_type = self.flows.get(run.flow)
        if flow_type is None:
            raise JournalError(f"run {run_id} is a {run.flow!r} flow, which this version does not know")
        return self._run(run_id, flow_type(run.params))

    def run_many(self, flows: list[Flow]) -> list[FlowOutcome]:
        """Run independent flows side by side: each round sends the next step of every flow at once and awaits
        them in one batch (journal writes grouped per round). Each flow is still journaled as its own run."""
        flows = [self._dated(f) for f in flows]
        runs = [self.journal.start_run(f.name, jsonable(f.params), self.ctx.chain.chain_id) for f in flows]
        states = [FlowState(dict(f.params), {r: self.ctx.accounts.address(r) for r in f.parties}) for f in flows]
        plans = [f.plan() for f in flows]
        results: list[list[StepResult]] = [[] for _ in flows]
        seq = 0
        while any(seq < len(plan) for plan in plans):
            active = [i for i, plan in enumerate(plans) if seq < len(plan)]
            calls = {i: plans[i][seq].build(states[i]) for i in active}
            signed = {i: self._sign(calls[i], states[i], label=plans[i][seq].name) for i in active}
            self.journal.signed_many(
                [(runs[i], seq, plans[i][seq].name, calls[i].party, calls[i].describe(), signed[i]) for i in active]
            )
            pending = self.ctx.transactor.broadcast_many([signed[i] for i in active])
            self.journal.sent_many([(runs[i], seq) for i in active])
            receipts = self.ctx.transactor.wait_all(pending)
            self._fetch_block_times({r.block_number for r in receipts})
            done = []
            for i, receipt in zip(active, receipts, strict=True):
                step = plans[i][seq]
                result = self._result(step, calls[i], receipt)
                done.append((runs[i], seq, _receipt_json(receipt), result.to_json()))
                states[i].results[step.name] = result
                results[i].append(result)
            self.journal.done_many(done)
            for i in active:
                self.on_step(results[i][-1])
            seq += 1
        with self.journal.batch():
            for run_id in runs:
                self.journal.finish_run(run_id, "done")
        return [FlowOutcome(run_id, f.name, r) for run_id, f, r in zip(runs, flows, results, strict=True)]

    # -- internals ------------------------------------------------------------------------------------------------

    def _run(self, run_id: int, flow: Flow) -> FlowOutcome:
        state = FlowState(dict(flow.params), {role: self.ctx.accounts.address(role) for role in flow.parties})
        results = []
        for seq, step in enumerate(flow.plan()):
            try:
                result = self._execute(run_id, seq, step, state)
            except (TradefinError, OSError) as exc:
                self.journal.finish_run(run_id, "failed", f"{step.name}: {exc}")
                raise FlowStepFailed(run_id, step.name, exc) from exc
            state.results[step.name] = result
            results.append(result)
            self.on_step(result)
        self.journal.finish_run(run_id, "done")
        return FlowOutcome(run_id, flow.name, results)

    def _execute(self, run_id: int, seq: int, step: Step, state: FlowState) -> StepResult:
        record = self.journal.step(run_id, seq)
        if record is not None and record.name != step.name:
            raise JournalError(f"run {run_id} step {seq} is {record.name!r} in the journal, {step.name!r} in the flow")
        if record is not None and record.status == "done" and record.result is not None:
            if record.tx_hash is None or self.ctx.transactor.receipt(record.tx_hash) is not None:
                return StepResult.from_json(record.result)
            log.warning("step %s: %s is no longer on chain; sending the same bytes again", step.name, record.tx_hash)
        if record is not None and record.status in ("signed", "sent", "done") and record.raw_tx is not None:
            receipt = self._recover(run_id, seq, step, state, record)
        else:
            receipt = self._send_new(run_id, seq, step, state)
        call = step.build(state)
        result = self._result(step, call, receipt)
        self.journal.done(run_id, seq, _receipt_json(receipt), result.to_json())
        return result

    def _send_new(self, run_id: int, seq: int, step: Step, state: FlowState) -> Receipt:
        call = step.build(state)
        self.journal.plan(run_id, seq, step.name, call.party, call.describe())
        try:
            signed = self._sign(call, state, label=step.name)
        except ContractRevert as exc:
            self.journal.failed(run_id, seq, str(exc))
            raise
        self.journal.signed(
            run_id, seq, tx_hash=signed.tx_hash, nonce=signed.nonce, raw=signed.raw, request=signed.request
        )
        self.before_send(step)
        pending = self.ctx.transactor.broadcast(signed)
        self.journal.sent(run_id, seq)
        _fault_point(f"after-sent:{step.name}")
        return self._wait(run_id, seq, pending)

    def _recover(self, run_id: int, seq: int, step: Step, state: FlowState, record: StepRecord) -> Receipt:
        """A step was signed (maybe sent) before the process or the node died: find out what became of it."""
        assert record.tx_hash is not None and record.raw_tx is not None and record.nonce is not None
        transactor = self.ctx.transactor
        receipt = transactor.receipt(record.tx_hash)
        if receipt is not None:
            log.info("step %s: already landed in block %d", step.name, receipt.block_number)
            self._check(run_id, seq, record, receipt)
            return receipt
        known = self.ctx.chain.rpc("eth_getTransactionByHash", [record.tx_hash])
        sender = to_checksum_address(self.ctx.accounts[record.party].address)
        transactor.nonces.forget(sender)
        if known is None:
            mined_nonce = int(self.ctx.chain.rpc("eth_getTransactionCount", [sender, "latest"]), 16)
            if mined_nonce > record.nonce:
                # Our nonce was used by another transaction, so ours can never land: sign the step afresh.
                log.warning(
                    "step %s: nonce %d was taken by another transaction; signing again", step.name, record.nonce
                )
                return self._send_new(run_id, seq, step, state)
        signed = SignedTransaction(
            record.tx_hash, sender, record.nonce, dict(record.request or {}), record.raw_tx, step.name
        )
        pending = transactor.broadcast(signed)  # the same bytes: at most one of them can ever land
        self.journal.sent(run_id, seq)
        return self._wait(run_id, seq, pending)

    def _wait(self, run_id: int, seq: int, pending: PendingTransaction) -> Receipt:
        try:
            [receipt] = self.ctx.transactor.wait_all([pending])
        except TradefinError as exc:
            self.journal.failed(run_id, seq, str(exc))
            raise
        return receipt

    def _check(self, run_id: int, seq: int, record: StepRecord, receipt: Receipt) -> None:
        if receipt.status != 1:
            self.journal.failed(run_id, seq, f"transaction {record.tx_hash} failed")
            raise TradefinError(f"step {record.name} failed on chain ({record.tx_hash})")

    def _sign(self, call: Call, state: FlowState, label: str) -> SignedTransaction:
        account = self.ctx.accounts[call.party]
        artifact = self.ctx.build[call.contract]
        if call.function is None:
            constructor = next((i for i in artifact.abi if i.get("type") == "constructor"), None)
            data = bytes.fromhex(artifact.bytecode[2:]) + encode_constructor(constructor, call.args)
            return self.ctx.transactor.sign(account, to=None, data=data, value=call.value, label=label)
        target = state.address(call.target[1:]) if call.target.startswith("@") else call.target
        item = _function(artifact.abi, call.function)
        self.ctx.transactor.labels.setdefault(target, call.contract)
        return self.ctx.transactor.sign(
            account, to=target, data=encode_call(item, call.args), value=call.value, label=label
        )

    def _result(self, step: Step, call: Call, receipt: Receipt) -> StepResult:
        events = []
        for raw in receipt.logs:
            event = self._decoder.decode(raw)
            if event is not None:
                events.append({"name": event.name, "address": event.address, "args": jsonable(event.args)})
        stamp = self._block_times.get(receipt.block_number)
        if stamp is None:
            stamp = int(self.ctx.chain.block(receipt.block_number)["timestamp"], 16)
            self._block_times[receipt.block_number] = stamp
        return StepResult(
            step.name,
            step.label,
            call.party,
            receipt.sender,
            receipt.tx_hash,
            receipt.block_number,
            stamp,
            receipt.gas_used,
            receipt.contract_address,
            events,
            call.contract,
        )

    def _fetch_block_times(self, blocks: set[int]) -> None:
        """Timestamps of many blocks in one batch (each step's result carries its block time)."""
        missing = sorted(b for b in blocks if b not in self._block_times)
        replies = self.ctx.chain.rpc_batch([("eth_getBlockByNumber", [hex(b), False]) for b in missing])
        for number, reply in zip(missing, replies, strict=True):
            block = reply.get("result")
            if block:
                self._block_times[number] = int(block["timestamp"], 16)


def _fault_point(name: str) -> None:
    """Fault injection for resilience tests: ``TRADEFIN_FAULT=after-sent:<step>`` ends the process right there,
    as a crash would (no cleanup, no journal update)."""
    if os.environ.get("TRADEFIN_FAULT") == name:
        log.error("fault injected at %s", name)
        os._exit(86)


def _function(abi: list[dict[str, Any]], name: str) -> dict[str, Any]:
    from tradefin.transactions.abi import signature

    matches = [i for i in abi if i.get("type") == "function" and i["name"] == name]
    if len(matches) != 1:  # overloaded (or named by its full signature)
        matches = [i for i in abi if i.get("type") == "function" and signature(i) == name]
    if len(matches) != 1:
        raise TradefinError(f"function {name!r}: {len(matches)} matches")
    return matches[0]


def _receipt_json(receipt: Receipt) -> dict[str, Any]:
    return {
        "tx_hash": receipt.tx_hash,
        "block": receipt.block_number,
        "gas_used": receipt.gas_used,
        "status": receipt.status,
        "contract_address": receipt.contract_address,
    }
