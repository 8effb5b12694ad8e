"""Runs flows step by step through the journal, and resumes them without sending anything twice."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address

from tradefin.chain import Chain, RpcError
from tradefin.context import Context
from tradefin.errors import TradefinError, TransactionError
from tradefin.flows.journal import Journal, JournalError, StepRecord
from tradefin.flows.model import Call, Flow, FlowState, Step, StepResult, jsonable
from tradefin.transactions.abi import EventDecoder, encode_call, encode_constructor
from tradefin.transactions.receipts import BlockScanner
from tradefin.transactions.sender import (
    DROP_CHECK_SECONDS,
    RECEIPT_TIMEOUT,
    PendingTransaction,
    Receipt,
    SignedTransaction,
)

log = logging.getLogger("tradefin.flows")

RECORDED_CONTRACTS = frozenset({"FinancingLedger"})
"""Contracts a flow deploys that the deployment book records (see :meth:`FlowRunner._remember`)."""

PRECHECK_THREADS = 8
"""Step prechecks of a pipelined run run side by side (they are chain reads)."""

BATCH_GROUPS = 2
"""A pipelined run sends its flows' next steps in about this many alternating batches (see ``_batch_size``)."""

POLL_FIRST = 0.0005
POLL_MAX = 0.5
POLL_MAX_DEV = 0.005
"""Receipt polling of pipelined runs: the first look right after sending, backing off to at most this while
idle (a look is one ``eth_blockNumber`` call; a dev node mines at once, so it is asked often)."""


class FlowStepFailed(TradefinError):
    """A step of a flow failed; the run is journaled and ``tradefin resume`` retries from this step."""

    def __init__(self, run_id: int, step: str, cause: Exception) -> None:
        self.run_id, self.step, self.cause = run_id, step, cause
        super().__init__(f"run {run_id}, step {step!r}: {cause}")


class TransactionLost(TradefinError):
    """A journaled step's nonce is used on chain, yet the node has no transaction with it: it lost the transaction
    and kept its effects (an Anvil state file written while a block was being mined), so the step may have taken
    effect and is not sent again."""


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
        """Called before a step's transaction is first broadcast (the demo pins block times with it)."""
        self._block_times: dict[int, int] = {}
        self._functions: dict[tuple[str, str], dict[str, Any]] = {}
        """ABI items by (contract, function name or signature), looked up once per runner."""
        self._decoder = EventDecoder(
            [item for a in ctx.build.artifacts.values() for item in a.abi if item.get("type") == "event"]
        )

    # -- public ---------------------------------------------------------------------------------------------------

    def start(self, flow: Flow) -> FlowOutcome:
        [flow] = self._dated([flow])
        plan = _plan(flow)
        run_id = self.journal.start_run(flow.name, jsonable(flow.params), self.ctx.chain.chain_id)
        log.info("run %d: %s", run_id, flow.name)
        return self._run(run_id, flow, plan)

    def resume(self, run_id: int) -> FlowOutcome:
        run = self.journal.run(run_id)
        if run.chain_id != self.ctx.chain.chain_id:
            raise JournalError(
                f"run {run_id} was on chain {run.chain_id}, this node is chain {self.ctx.chain.chain_id}"
            )
        check_history(self.journal, run_id, self._chain_of)
        flow_type = self.flows.get(run.flow)
        if flow_type is None:
            raise JournalError(f"run {run_id} is a {run.flow!r} flow, which this version does not know")
        flow = flow_type(run.params)
        return self._run(run_id, flow, _plan(flow))

    def run_many(self, flows: list[Flow]) -> list[FlowOutcome]:
        """Run independent flows side by side, as receipts come in: whenever some flows' last transactions have
        landed, their next steps are built, signed, journaled and sent together in one batch while the node is
        still mining the others' (Python's work overlaps the node's). Each flow is journaled as its own run, so
        any of them can be resumed on its own. A failing flow is journaled as failed and the others go on; the
        first failure is raised at the end."""
        flows = self._dated(flows)
        plans = [_plan(flow) for flow in flows]
        with self.journal.batch(durable=False):
            runs = [self.journal.start_run(f.name, jsonable(f.params), self.ctx.chain.chain_id) for f in flows]
        return _Pipeline(self, runs, flows, plans).run()

    # -- internals ------------------------------------------------------------------------------------------------

    def _chain_of(self, ledger: str) -> Chain:
        """The node a journaled step of ``ledger`` (its result's ``chain``; empty for single-chain flows) went to."""
        return self.ctx.chain

    def _dated(self, flows: list[Flow]) -> list[Flow]:
        """Fix each run's ``on_board`` day (the chain's UTC date now) in its params, so a resumed run rebuilds the
        same documents and dates; one look at the chain's clock for all."""
        if any("on_board" not in f.params for f in flows):
            day = datetime.fromtimestamp(self.ctx.chain.timestamp(), UTC).date().isoformat()
            for flow in flows:
                flow.params.setdefault("on_board", day)
        return flows

    def _run(self, run_id: int, flow: Flow, plan: list[Step]) -> FlowOutcome:
        state = FlowState(dict(flow.params), {role: self.ctx.accounts.address(role) for role in flow.parties})
        results = []
        for seq, step in enumerate(plan):
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
            if step.precheck is not None:
                step.precheck(self.ctx, state)
            signed = self._sign(call, state, label=step.name)
        except TradefinError as exc:
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
                if self._nonce_unaccounted(sender, record.nonce):
                    message = (
                        f"step {step.name}: nonce {record.nonce} of {record.party} is used, yet {self.ctx.chain.name} "
                        f"has no transaction with it; it lost {record.tx_hash} but kept its effects (a state file "
                        "written mid-block), so the step is not sent again: check what it did before going on"
                    )
                    self.journal.failed(run_id, seq, message)
                    raise TransactionLost(message)
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

    def _nonce_unaccounted(self, sender: str, nonce: int) -> bool:
        """``sender``'s used ``nonce`` belongs to no transaction the node has (Otterscan's lookup, which Anvil
        serves); False where the node cannot tell."""
        try:
            holder = self.ctx.chain.rpc("ots_getTransactionBySenderAndNonce", [sender, hex(nonce)])
        except RpcError:
            return False
        return holder is None

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

    def _sign(self, call: Call, state: FlowState, label: str, gas: int | None = None) -> SignedTransaction:
        to, data = self._encode(call, state)
        account = self.ctx.accounts[call.party]
        return self.ctx.transactor.sign(account, to=to, data=data, value=call.value, gas=gas, label=label)

    def _encode(self, call: Call, state: FlowState) -> tuple[str | None, bytes]:
        """The call's target (None for a deployment) and calldata (or initcode)."""
        artifact = self.ctx.build[call.contract]
        if call.function is None:
            constructor = next((i for i in artifact.abi if i.get("type") == "constructor"), None)
            return None, bytes.fromhex(artifact.bytecode[2:]) + encode_constructor(constructor, call.args)
        target = state.address(call.target[1:]) if call.target.startswith("@") else call.target
        self.ctx.transactor.labels.setdefault(target, call.contract)
        key = (call.contract, call.function)
        function = self._functions.get(key)
        if function is None:
            function = self._functions[key] = _function(artifact.abi, call.function)
        return target, encode_call(function, call.args)

    def _remember(self, call: Call, receipt: Receipt) -> None:
        """Record the financing ledgers flows deploy in the chain's deployment book: every later duplicate-financing
        check on this chain, from any flow or client, then asks them too."""
        if call.function is None and call.contract in RECORDED_CONTRACTS and receipt.contract_address:
            self.ctx.deployments.remember(
                f"{call.contract}@{receipt.contract_address}",
                call.contract,
                receipt.contract_address,
                tx_hash=receipt.tx_hash,
                block=receipt.block_number,
                deployer=receipt.sender,
                gas_used=receipt.gas_used,
            )

    def _result(self, step: Step, call: Call, receipt: Receipt) -> StepResult:
        self._remember(call, receipt)
        events = []
        for raw in receipt.logs:
            event = self._decoder.decode(raw)
            if event is not None:
                events.append({"name": event.name, "address": event.address, "args": jsonable(event.args)})
        stamp = receipt.block_timestamp or self._block_times.get(receipt.block_number)
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


_DONE: Future[TradefinError | None] = Future()
_DONE.set_result(None)


class _Pipeline:
    """The state of one :meth:`FlowRunner.run_many`: each flow's plan, results and transaction in flight."""

    def __init__(self, runner: FlowRunner, runs: list[int], flows: list[Flow], plans: list[list[Step]]) -> None:
        self.runner, self.runs = runner, runs
        self.journal, self.transactor = runner.journal, runner.ctx.transactor
        self.plans = plans
        self.states = [FlowState(dict(f.params), {r: runner.ctx.accounts.address(r) for r in f.parties}) for f in flows]
        self.flows = flows
        self.results: list[list[StepResult]] = [[] for _ in flows]
        self.failures: list[FlowStepFailed] = []
        self.in_flight: dict[int, tuple[Call, PendingTransaction]] = {}
        self.broadcasts: list[Future[None]] = []
        self.sender: ThreadPoolExecutor
        self.checkers: ThreadPoolExecutor
        self.checking: dict[int, Future[TradefinError | None]] = {}
        self.sender_journal: Journal | None = None
        self.receipts = BlockScanner(self.transactor)
        self.poll_max = POLL_MAX_DEV if self.transactor.chain.is_dev else POLL_MAX
        self.running = sum(1 for plan in plans if plan)
        """Flows neither finished nor failed."""

    def run(self) -> list[FlowOutcome]:
        with (
            ThreadPoolExecutor(1, thread_name_prefix="tradefin-send") as self.sender,
            ThreadPoolExecutor(PRECHECK_THREADS, thread_name_prefix="tradefin-check") as self.checkers,
        ):
            try:
                return self._run()
            finally:
                try:
                    self._acknowledge(wait=True)
                finally:
                    if self.sender_journal is not None:
                        self.sender.submit(self.sender_journal.close).result()

    def _run(self) -> list[FlowOutcome]:
        """Send what is ready (from a sender thread: Python builds and signs the next steps meanwhile), poll,
        collect what landed; until every flow is done or failed."""
        ready = [i for i, plan in enumerate(self.plans) if plan]
        last_progress = last_check = time.monotonic()
        delay = POLL_FIRST
        held: dict[int, TradefinError | None] = {}
        while ready or self.in_flight or self.checking or held:
            held |= self._checked(ready)
            if held and (len(held) >= self._batch_size() or not self.in_flight):
                self._send(held)
                held = {}
            self._acknowledge()
            waiting = list(self.in_flight)
            receipts = self.receipts.poll([self.in_flight[i][1] for i in waiting])
            landed = [(i, r) for i, r in zip(waiting, receipts, strict=True) if r is not None]
            if landed or any(check.done() for check in self.checking.values()):
                ready = self._collect(landed) if landed else []
                last_progress, delay = time.monotonic(), POLL_FIRST
                continue
            ready = []
            now = time.monotonic()
            if now - last_progress > RECEIPT_TIMEOUT:
                raise TransactionError(f"no receipt within {RECEIPT_TIMEOUT:.0f} s for {len(waiting)} steps")
            if now - max(last_progress, last_check) > DROP_CHECK_SECONDS and not self.broadcasts:
                # (only once every batch is journaled and broadcast: a resend must never overtake its journal entry)
                self.transactor.recover_stalled([self.in_flight[i][1] for i in waiting])
                last_check = now
            time.sleep(delay)
            delay = min(delay * 2, self.poll_max)
        if self.failures:
            for failure in self.failures[1:]:
                log.error("%s", failure)
            raise self.failures[0]
        return [FlowOutcome(r, f.name, res) for r, f, res in zip(self.runs, self.flows, self.results, strict=True)]

    def _batch_size(self) -> int:
        """How many ready steps to gather before sending while others are in flight: half the flows still
        running. The node mines a batch in a few blocks, and each block costs it time of its own; sending every
        step the moment it is ready made four times the blocks the same transactions need when sent together.
        Two halves alternate: one is mined while Python builds and signs the other."""
        return max(1, self.running // BATCH_GROUPS)

    def _step(self, i: int) -> tuple[int, Step]:
        seq = len(self.results[i])
        return seq, self.plans[i][seq]

    def _fail(self, i: int, exc: Exception) -> None:
        seq, step = self._step(i)
        self.journal.failed(self.runs[i], seq, str(exc))
        self.journal.finish_run(self.runs[i], "failed", f"{step.name}: {exc}")
        self.failures.append(FlowStepFailed(self.runs[i], step.name, exc))
        self.running -= 1

    def _precheck(self, i: int) -> TradefinError | None:
        """Run flow ``i``'s next step's precheck (on a checker thread: prechecks are reads, waiting on the node,
        so they overlap); the refusal, if any."""
        step = self._step(i)[1]
        if step.precheck is None:
            return None
        try:
            step.precheck(self.runner.ctx, self.states[i])
        except TradefinError as exc:
            return exc
        return None

    def _refuse(self, i: int, call: Call | None, exc: Exception) -> None:
        """A step that could not be built or signed (e.g. it would revert): journaled as failed, nothing sent."""
        seq, step = self._step(i)
        party, action = (call.party, call.describe()) if call else ("", {})
        self.journal.plan(self.runs[i], seq, step.name, party, action)
        self._fail(i, exc)

    def _checked(self, ready: list[int]) -> dict[int, TradefinError | None]:
        """The flows whose next step can be built now, with its precheck's refusal if any. Prechecks (chain reads)
        run on checker threads; their flows wait aside meanwhile, so the others keep going."""
        for i in ready:
            if self._step(i)[1].precheck is None:
                self.checking[i] = _DONE
            else:
                self.checking[i] = self.checkers.submit(self._precheck, i)
        done = [i for i, check in self.checking.items() if check.done()]
        return {i: self.checking.pop(i).result() for i in done}

    def _send(self, ready: dict[int, TradefinError | None]) -> None:
        """Build, sign, journal and broadcast the next step of every flow in ``ready`` (one batch each way)."""
        rows, batch, built = [], [], []
        for i, refusal in ready.items():
            call: Call | None = None
            try:
                call = self._step(i)[1].build(self.states[i])
                if refusal is not None:
                    raise refusal
                built.append((i, call, *self.runner._encode(call, self.states[i])))
            except TradefinError as exc:
                self._refuse(i, call, exc)
        senders = [self.runner.ctx.accounts[call.party] for _, call, _, _ in built]
        limits = self.transactor.gas_limits(
            [(a.address, to, data, call.value) for a, (_, call, to, data) in zip(senders, built, strict=True)]
        )
        for account, (i, call, to, data), gas in zip(senders, built, limits, strict=True):
            seq, step = self._step(i)
            try:
                if isinstance(gas, Exception):
                    raise gas  # the call would revert: nothing is signed or sent
                signed = self.transactor.sign(account, to=to, data=data, value=call.value, gas=gas, label=step.name)
            except TradefinError as exc:
                self._refuse(i, call, exc)
                continue
            rows.append((self.runs[i], seq, step.name, call.party, call.describe(), signed))
            batch.append((i, call, signed))
        if not batch:
            return
        self.broadcasts.append(self.sender.submit(self._record_and_broadcast, rows))
        for i, call, tx in batch:  # polled at once: the node mines the first ones while it still reads the rest
            self.in_flight[i] = (
                call,
                PendingTransaction(tx.tx_hash, tx.sender, tx.nonce, tx.request, tx.raw, tx.label),
            )

    def _record_and_broadcast(self, rows: list[tuple[int, int, str, str, dict[str, Any], SignedTransaction]]) -> None:
        """On the sender thread, through its own journal connection: the signed transactions go to disk (fsync),
        then to the node in one batch, then are marked sent. The main thread meanwhile builds and signs."""
        if self.sender_journal is None:
            self.sender_journal = Journal(self.journal.path)
        self.sender_journal.signed_many(rows)  # on disk before anything is broadcast
        self.transactor.broadcast_many([signed for *_, signed in rows])
        self.sender_journal.sent_many([(run, seq) for run, seq, *_ in rows])

    def _acknowledge(self, *, wait: bool = False) -> None:
        """Re-raise, on the main thread, a batch the sender could not journal or the node refused."""
        while self.broadcasts and (wait or self.broadcasts[0].done()):
            self.broadcasts.pop(0).result()

    def _collect(self, landed: list[tuple[int, Receipt]]) -> list[int]:
        """Record the steps that landed (one journal transaction); the flows with a next step to send."""
        self.runner._fetch_block_times({r.block_number for _, r in landed if r.block_timestamp is None})
        done, finished, ready = [], [], []
        for i, receipt in landed:
            call, pending = self.in_flight.pop(i)
            seq, step = self._step(i)
            try:
                self.transactor.settle(pending, receipt)
            except TradefinError as exc:
                self._fail(i, exc)
                continue
            result = self.runner._result(step, call, receipt)
            done.append((self.runs[i], seq, _receipt_json(receipt), result.to_json()))
            self.states[i].results[step.name] = result
            self.results[i].append(result)
            finished.append(result)
            if len(self.results[i]) < len(self.plans[i]):
                ready.append(i)
            else:
                self.running -= 1
        with self.journal.batch(durable=False):
            self.journal.done_many(done)
            for i, _ in landed:
                if len(self.results[i]) == len(self.plans[i]):
                    self.journal.finish_run(self.runs[i], "done")
        for result in finished:
            self.runner.on_step(result)
        return ready


class FlowParamsError(TradefinError):
    """A flow's parameters do not make a plan (a malformed date, amount or reference)."""


def check_history(journal: Journal, run_id: int, chain_of: Callable[[str], Chain], *, whole: bool = False) -> None:
    """Refuse (:class:`JournalError`) run ``run_id`` if the nodes ``chain_of`` gives (by a step's ledger) hold
    another history than the one it was journaled on: dev chains share ids, not histories, and a run resumed there
    would replay its journal onto them. On each ledger, the run's first landed transaction must be on a node that
    has reached its block; a node restarted from a state file that lost the run's blocks is not refused (their
    transactions are sent again as the same bytes). ``whole``: it must be there however low the node is (a demo
    resumed on a chain without it is a mistake, not a crash)."""
    landed = [StepResult.from_json(step.result) for step in journal.steps(run_id) if step.result is not None]
    for ledger in dict.fromkeys(step.chain for step in landed):
        chain = chain_of(ledger)
        first = next(step for step in landed if step.chain == ledger)
        if not whole and first.block > chain.block_number():
            continue
        if chain.rpc("eth_getTransactionReceipt", [first.tx_hash]) is None:
            raise JournalError(
                f"run {run_id} in {journal.path} ran on another chain with id {chain.chain_id}: its transaction "
                f"{first.tx_hash} (block {first.block}) is not on {chain.name}"
            )


def _plan(flow: Flow) -> list[Step]:
    """``flow``'s plan, or :class:`FlowParamsError` (before anything is journaled or sent)."""
    try:
        return flow.plan()
    except TradefinError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise FlowParamsError(f"{flow.name}: bad parameters: {exc}") from None


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
