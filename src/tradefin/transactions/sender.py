"""The one place that signs, numbers, sends and awaits transactions.

Nonces are handed out locally so many transactions per account can be in flight; receipts are fetched in
JSON-RPC batches; a revert (at estimation or after mining) is raised as the custom error's exception.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount

from tradefin.chain.accounts import guard_dev_key
from tradefin.chain.connection import Chain, RpcError
from tradefin.errors import TradefinError, TransactionError, TransactionFailed
from tradefin.transactions.reverts import RevertDecoder, revert_data
from tradefin.transactions.signing import checksum, sign_dynamic_fee

log = logging.getLogger("tradefin.transactions")

GAS_MARGIN = 1.2
FEE_CACHE_SECONDS = 2.0
RECEIPT_TIMEOUT = 120.0
DROP_CHECK_SECONDS = 2.0
"""While awaiting receipts without progress, how often to check that the node still has the transactions (else
resend them) and is mining them."""


@dataclass(frozen=True)
class Receipt:
    """A mined transaction."""

    tx_hash: str
    block_number: int
    gas_used: int
    status: int
    sender: str
    to: str | None
    contract_address: str | None
    logs: list[dict[str, Any]]
    effective_gas_price: int
    block_timestamp: int | None = None
    """The block's time when the node says it in the receipt (Anvil does), else None."""

    @classmethod
    def from_rpc(cls, raw: Mapping[str, Any]) -> Receipt:
        contract = raw.get("contractAddress")
        return cls(
            tx_hash=raw["transactionHash"],
            block_number=int(raw["blockNumber"], 16),
            gas_used=int(raw["gasUsed"], 16),
            status=int(raw.get("status", "0x1"), 16),
            sender=checksum(raw["from"]),
            to=checksum(raw["to"]) if raw.get("to") else None,
            contract_address=checksum(contract) if contract else None,
            logs=list(raw.get("logs", [])),
            effective_gas_price=int(raw.get("effectiveGasPrice", "0x0"), 16),
            block_timestamp=_quantity(raw.get("blockTimestamp")),
        )


def _quantity(value: Any) -> int | None:
    """A JSON-RPC quantity given as hex text or (by some nodes) as a plain number."""
    if value is None:
        return None
    return value if isinstance(value, int) else int(str(value), 16)


@dataclass(frozen=True)
class SignedTransaction:
    """Signed bytes not yet known to be broadcast: what a journal keeps so a resumed flow re-sends, never re-signs."""

    tx_hash: str
    sender: str
    nonce: int
    request: dict[str, Any]
    raw: bytes = field(repr=False)
    label: str = ""


def _already_known(error: Mapping[str, Any]) -> bool:
    message = str(error.get("message", "")).lower()
    return "already known" in message or "already imported" in message or "known transaction" in message


@dataclass
class PendingTransaction:
    """A transaction sent and not yet known to be mined."""

    tx_hash: str
    sender: str
    nonce: int
    request: dict[str, Any]
    raw: bytes = field(repr=False)
    label: str = ""
    _transactor: Transactor | None = field(default=None, repr=False)

    @classmethod
    def of(cls, signed: SignedTransaction, transactor: Transactor | None = None) -> PendingTransaction:
        return cls(signed.tx_hash, signed.sender, signed.nonce, signed.request, signed.raw, signed.label, transactor)

    def wait(self, timeout: float = RECEIPT_TIMEOUT) -> Receipt:
        assert self._transactor is not None
        return self._transactor.wait_all([self], timeout=timeout)[0]


Shape = tuple[str | None, bytes, bool]


def calldata_gas(data: bytes) -> int:
    """What a transaction's data costs before execution (EIP-2028: 16 a non-zero byte, 4 a zero byte)."""
    zeros = data.count(0)
    return 16 * (len(data) - zeros) + 4 * zeros


def gas_limit(estimate: int) -> int:
    """The limit a transaction is signed with: its estimate plus a margin."""
    return int(estimate * GAS_MARGIN) + 10_000


class GasEstimates:
    """Gas limits per call shape (target, function selector, value or not).

    What is compared is an estimate's execution part (the estimate less the call data's own cost, which differs
    from call to call with the arguments' zero bytes). A shape becomes reusable once two estimates in a row agree,
    so deterministic calls (a transfer of a known token, a title operation) skip ``eth_estimateGas``: the reused
    limit is the highest execution part seen plus this call's data cost, with the usual margin. Any mined use
    that came close to its limit, or failed, makes the shape estimate again.
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._previous: dict[Shape, int] = {}
        self._highest: dict[Shape, int] = {}
        self._stable: set[Shape] = set()

    @staticmethod
    def shape(to: str | None, data: bytes, value: int) -> Shape:
        return (to.lower() if to else None, data[:4] if to else b"", value > 0)

    def reusable(self, to: str | None, data: bytes, value: int) -> int | None:
        """A gas limit for this call without estimating it, if its shape is known to be stable."""
        shape = self.shape(to, data, value)
        if self.enabled and shape in self._stable:
            return gas_limit(self._highest[shape] + calldata_gas(data))
        return None

    def observed(self, to: str | None, data: bytes, value: int, estimate: int) -> int:
        """Record an estimate for this call; the gas limit to sign it with."""
        shape, execution = self.shape(to, data, value), estimate - calldata_gas(data)
        if self._previous.get(shape) == execution:
            self._stable.add(shape)
        self._previous[shape] = execution
        self._highest[shape] = max(execution, self._highest.get(shape, 0))
        return gas_limit(estimate)

    def mined(self, request: Mapping[str, Any], used: int, ok: bool) -> None:
        """A mined transaction signed from ``request`` (to, data, value, gas as sent)."""
        limit = int(request.get("gas", 0))
        if not ok or used * GAS_MARGIN > limit:
            data = bytes.fromhex(str(request["data"])[2:])
            self._stable.discard(self.shape(request.get("to"), data, int(request.get("value", "0x0"), 16)))


class NonceManager:
    """Next nonce per account, fetched once from the node and then counted locally (thread-safe)."""

    def __init__(self, chain: Chain) -> None:
        self._chain = chain
        self._next: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, address: str) -> int:
        with self._lock:
            nonce = self._next.get(address)
            if nonce is None:
                nonce = int(self._chain.rpc("eth_getTransactionCount", [address, "pending"]), 16)
            self._next[address] = nonce + 1
            return nonce

    def forget(self, address: str) -> None:
        """Re-read this account's nonce from the node next time (after a failed send)."""
        with self._lock:
            self._next.pop(address, None)

    def reset(self) -> None:
        with self._lock:
            self._next.clear()


class Transactor:
    """Signs locally and sends through one chain, decoding reverts with ``decoder``."""

    def __init__(
        self, chain: Chain, decoder: RevertDecoder | None = None, *, reuse_gas_estimates: bool = False
    ) -> None:
        self.chain = chain
        self.decoder = decoder or RevertDecoder()
        self.nonces = NonceManager(chain)
        self.gas = GasEstimates(enabled=reuse_gas_estimates)
        """Per call shape gas limits, reused once stable (opt-in: a reused limit skips the revert pre-check)."""
        self.labels: dict[str, str] = {}
        """Contract names by address, so errors say which contract reverted."""
        self._fees: tuple[float, int, int] | None = None
        chain.on_revert(self.nonces.reset)

    # -- reads ----------------------------------------------------------------------------------------------------

    def call(self, to: str, data: bytes, *, sender: str | None = None, block: str | int = "latest") -> bytes:
        """``eth_call``; a revert raises its named exception."""
        request: dict[str, Any] = {"to": to, "data": "0x" + data.hex()}
        if sender:
            request["from"] = sender
        tag = hex(block) if isinstance(block, int) else block
        reply = self.chain.rpc_raw("eth_call", [request, tag])
        if "error" in reply:
            self._raise_for(reply["error"], "eth_call", to)
        return bytes.fromhex(str(reply["result"])[2:])

    def estimate_gas(self, request: Mapping[str, Any]) -> int:
        reply = self.chain.rpc_raw("eth_estimateGas", [dict(request)])
        if "error" in reply:
            self._raise_for(reply["error"], "eth_estimateGas", request.get("to"))
        return int(reply["result"], 16)

    def gas_limits(self, requests: Sequence[tuple[str, str | None, bytes, int]]) -> list[int | Exception]:
        """Gas limits for many (sender, to, data, value) at once: reused where stable, the rest estimated in
        JSON-RPC batches (two of each unknown shape first, then whatever that did not make reusable). A call that
        would revert gets its named exception in its place (nothing raised)."""
        limits: list[int | Exception | None] = [None] * len(requests)
        while True:
            missing, per_shape = [], Counter[Shape]()
            for n, (_sender, to, data, value) in enumerate(requests):
                if limits[n] is None:
                    limits[n] = self.gas.reusable(to, data, value)
                if limits[n] is None:
                    shape = GasEstimates.shape(to, data, value)
                    per_shape[shape] += 1
                    if per_shape[shape] <= 2 or not self.gas.enabled:
                        missing.append(n)
            if not missing:
                return [limit for limit in limits if limit is not None]
            self._estimate_into(limits, requests, missing)

    def _estimate_into(
        self,
        limits: list[int | Exception | None],
        requests: Sequence[tuple[str, str | None, bytes, int]],
        which: list[int],
    ) -> None:
        calls = []
        for n in which:
            sender, to, data, value = requests[n]
            request = {"from": sender, "data": "0x" + data.hex(), "value": hex(value)} | ({"to": to} if to else {})
            calls.append(("eth_estimateGas", [request]))
        for n, reply in zip(which, self.chain.rpc_batch(calls), strict=True):
            _sender, to, data, value = requests[n]
            if "error" not in reply:
                limits[n] = self.gas.observed(to, data, value, int(reply["result"], 16))
                continue
            try:
                self._raise_for(reply["error"], "eth_estimateGas", to)
            except TradefinError as exc:
                limits[n] = exc

    # -- sending --------------------------------------------------------------------------------------------------

    def sign(
        self,
        account: LocalAccount,
        *,
        to: str | None,
        data: bytes = b"",
        value: int = 0,
        gas: int | None = None,
        nonce: int | None = None,
        label: str = "",
    ) -> SignedTransaction:
        """Estimate (a revert raises here, before anything exists), number and sign; nothing is broadcast."""
        guard_dev_key(account.address, self.chain.chain_id, self.chain.dev_chain_ids)
        request: dict[str, Any] = {"from": account.address, "data": "0x" + data.hex(), "value": hex(value)}
        if to is not None:
            request["to"] = to
        if gas is None:
            gas = self.gas.reusable(to, data, value)
            if gas is None:
                gas = self.gas.observed(to, data, value, self.estimate_gas(request))
        max_fee, tip = self._fee_caps()
        if nonce is None:
            nonce = self.nonces.take(account.address)
        raw, tx_hash = sign_dynamic_fee(
            bytes(account.key),
            chain_id=self.chain.chain_id,
            nonce=nonce,
            max_priority_fee=tip,
            max_fee=max_fee,
            gas=gas,
            to=to,
            value=value,
            data=data,
        )
        return SignedTransaction(
            tx_hash=tx_hash, sender=account.address, nonce=nonce, request=request | {"gas": gas}, raw=raw, label=label
        )

    def broadcast(self, signed: SignedTransaction) -> PendingTransaction:
        """Send signed bytes. Sending the same bytes again is harmless: the node knows them by hash."""
        return self.broadcast_many([signed])[0]

    def broadcast_many(self, signed: Sequence[SignedTransaction]) -> list[PendingTransaction]:
        """Send many signed transactions in one JSON-RPC batch (in order); the first refusal raises.

        A refusal of bytes the node already has (in its pool, or mined: a resend after a reply was lost in
        transit says "nonce too low") is no refusal: the transaction is sent, once."""
        replies = self.chain.rpc_batch([("eth_sendRawTransaction", ["0x" + tx.raw.hex()]) for tx in signed])
        refused = [n for n, reply in enumerate(replies) if "error" in reply and not _already_known(reply["error"])]
        if refused:
            lookups = self.chain.rpc_batch([("eth_getTransactionByHash", [signed[n].tx_hash]) for n in refused])
            for n, known in zip(refused, lookups, strict=True):
                if not known.get("result"):
                    tx = signed[n]
                    self.nonces.forget(tx.sender)
                    self._raise_for(replies[n]["error"], "eth_sendRawTransaction", tx.request.get("to"))
        for tx in signed:
            log.debug("sent %s %s nonce=%d", tx.label or "tx", tx.tx_hash, tx.nonce)
        return [PendingTransaction.of(tx, self) for tx in signed]

    def recover_stalled(self, pending: Sequence[PendingTransaction]) -> int:
        """For transactions awaited without progress: send again the same bytes of any the node no longer knows
        (dropped from its pool, or lost with a node restarted from an older state; at most one copy can ever
        land), and mine a block by hand when some are accepted yet unmined on an automining node tradefin started
        (Anvil's automine once left 147 accepted transactions unmined for minutes). A node someone else runs is
        never mined. How many were sent again."""
        lookups = self.chain.rpc_batch([("eth_getTransactionByHash", [p.tx_hash]) for p in pending])
        dropped = [
            p for p, known in zip(pending, lookups, strict=True) if "error" not in known and not known.get("result")
        ]
        if dropped:
            log.warning("%d transaction(s) dropped by the node; sending the same bytes again", len(dropped))
            replies = self.chain.rpc_batch([("eth_sendRawTransaction", ["0x" + p.raw.hex()]) for p in dropped])
            for item, reply in zip(dropped, replies, strict=True):
                if "error" in reply and not _already_known(reply["error"]):
                    log.warning("resending %s: %s", item.tx_hash, reply["error"].get("message"))
        stuck = sum(1 for known in lookups if (known.get("result") or {}).get("blockNumber", "") is None)
        if stuck and self.chain.steerable and self.chain.automines():
            log.warning("%d accepted transaction(s) left unmined by the automining node; mining a block", stuck)
            self.chain.mine()
        return len(dropped)

    def send(
        self,
        account: LocalAccount,
        *,
        to: str | None,
        data: bytes = b"",
        value: int = 0,
        gas: int | None = None,
        label: str = "",
    ) -> PendingTransaction:
        """Sign and broadcast; returns at once. Reverts found at gas estimation raise before anything is sent."""
        return self.broadcast(self.sign(account, to=to, data=data, value=value, gas=gas, label=label))

    def receipt(self, tx_hash: str) -> Receipt | None:
        """The receipt if the transaction is mined, else None."""
        raw = self.chain.rpc("eth_getTransactionReceipt", [tx_hash])
        return Receipt.from_rpc(raw) if raw else None

    def raise_if_failed(self, item: PendingTransaction | SignedTransaction, receipt: Receipt) -> None:
        """Raise the named revert (or TransactionFailed) for a mined transaction that failed."""
        if receipt.status != 1:
            self._raise_failed(item, receipt)

    def transact(self, account: LocalAccount, **kwargs: Any) -> Receipt:
        """Send and wait; raises the named revert if the transaction failed."""
        return self.send(account, **kwargs).wait()

    def poll(self, pending: Sequence[PendingTransaction]) -> list[Receipt | None]:
        """One batched look at the receipts of ``pending``: each one's receipt, or None while it is not mined.
        Nothing is checked here; hand each receipt to :meth:`settle`."""
        replies = self.chain.rpc_batch([("eth_getTransactionReceipt", [p.tx_hash]) for p in pending])
        return [Receipt.from_rpc(r["result"]) if r.get("result") else None for r in replies]

    def settle(self, item: PendingTransaction, receipt: Receipt) -> Receipt:
        """Account for a mined transaction (gas-limit reuse) and raise its named revert if it failed."""
        self.gas.mined(item.request, receipt.gas_used, receipt.status == 1)
        if receipt.status != 1:
            self._raise_failed(item, receipt)
        return receipt

    def wait_all(self, pending: Sequence[PendingTransaction], timeout: float = RECEIPT_TIMEOUT) -> list[Receipt]:
        """Receipts for all ``pending`` (polled in batches), in order; the first failure is raised."""
        receipts: dict[str, Receipt] = {}
        outstanding = list(pending)
        deadline = time.monotonic() + timeout
        delay, next_stall_check = 0.002, time.monotonic() + DROP_CHECK_SECONDS
        while outstanding:
            if time.monotonic() > next_stall_check:
                self.recover_stalled(outstanding)
                next_stall_check = time.monotonic() + DROP_CHECK_SECONDS
            still = []
            for item, receipt in zip(outstanding, self.poll(outstanding), strict=True):
                if receipt is None:
                    still.append(item)
                else:
                    receipts[item.tx_hash] = receipt
            if len(still) < len(outstanding):
                next_stall_check = time.monotonic() + DROP_CHECK_SECONDS  # progress: nothing is stalled
            outstanding = still
            if outstanding:
                if time.monotonic() > deadline:
                    hashes = ", ".join(p.tx_hash for p in outstanding)
                    raise TransactionError(f"no receipt within {timeout:.0f} s for {hashes}")
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        return [self.settle(item, receipts[item.tx_hash]) for item in pending]

    # -- internals ------------------------------------------------------------------------------------------------

    def _fee_caps(self) -> tuple[int, int]:
        now = time.monotonic()
        if self._fees is None or now - self._fees[0] > FEE_CACHE_SECONDS:
            replies = self.chain.rpc_batch(
                [("eth_getBlockByNumber", ["latest", False]), ("eth_maxPriorityFeePerGas", [])]
            )
            base = int((replies[0].get("result") or {}).get("baseFeePerGas", "0x0"), 16)
            tip = int(replies[1].get("result", "0x3b9aca00"), 16)
            self._fees = (now, 2 * base + tip, tip)
        return self._fees[1], self._fees[2]

    def _raise_for(self, error: Mapping[str, Any], method: str, to: str | None) -> None:
        data = revert_data(error)
        if data is not None:
            raise self.decoder.exception(data, self.labels.get(str(to))) from None
        raise RpcError(method, dict(error))

    def _raise_failed(self, item: PendingTransaction | SignedTransaction, receipt: Receipt) -> None:
        """Raise the named revert of a mined, failed transaction: its revert data from the node's call tracer
        (exact, even when earlier transactions of the same block caused it), else from replaying the call on
        the previous block's state."""
        label = self.labels.get(str(item.request.get("to")))
        traced = self.chain.rpc_raw("debug_traceTransaction", [receipt.tx_hash, {"tracer": "callTracer"}])
        output = (traced.get("result") or {}).get("output") if "error" not in traced else None
        if isinstance(output, str) and len(output) > 2:
            raise self.decoder.exception(bytes.fromhex(output[2:]), label)
        request = {k: v for k, v in item.request.items() if k in ("from", "to", "data", "value", "gas")}
        reply = self.chain.rpc_raw("eth_call", [request, hex(receipt.block_number - 1)])
        if "error" in reply:
            data = revert_data(reply["error"])
            if data:
                raise self.decoder.exception(data, label)
        if receipt.gas_used >= int(item.request.get("gas", 0)):
            raise TransactionFailed(f"{item.label or 'transaction'} {item.tx_hash} ran out of gas")
        raise TransactionFailed(f"{item.label or 'transaction'} {item.tx_hash} failed in block {receipt.block_number}")
