"""The one place that signs, numbers, sends and awaits transactions.

Nonces are handed out locally so many transactions per account can be in flight; receipts are fetched in
JSON-RPC batches; a revert (at estimation or after mining) is raised as the custom error's exception.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tradefin.chain.accounts import guard_dev_key
from tradefin.chain.connection import Chain, RpcError
from tradefin.errors import TransactionError, TransactionFailed
from tradefin.transactions.reverts import RevertDecoder, revert_data
from tradefin.transactions.signing import sign_dynamic_fee

log = logging.getLogger("tradefin.transactions")

GAS_MARGIN = 1.2
FEE_CACHE_SECONDS = 2.0
RECEIPT_TIMEOUT = 120.0


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

    @classmethod
    def from_rpc(cls, raw: Mapping[str, Any]) -> Receipt:
        contract = raw.get("contractAddress")
        return cls(
            tx_hash=raw["transactionHash"],
            block_number=int(raw["blockNumber"], 16),
            gas_used=int(raw["gasUsed"], 16),
            status=int(raw.get("status", "0x1"), 16),
            sender=to_checksum_address(raw["from"]),
            to=to_checksum_address(raw["to"]) if raw.get("to") else None,
            contract_address=to_checksum_address(contract) if contract else None,
            logs=list(raw.get("logs", [])),
            effective_gas_price=int(raw.get("effectiveGasPrice", "0x0"), 16),
        )


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

    def wait(self, timeout: float = RECEIPT_TIMEOUT) -> Receipt:
        assert self._transactor is not None
        return self._transactor.wait_all([self], timeout=timeout)[0]


class GasEstimates:
    """Gas limits per call shape (target, function selector, value or not).

    A shape becomes reusable after two estimates in a row agree, so deterministic calls (a transfer of a known
    token, a title operation) skip ``eth_estimateGas``; any mined use that came close to its limit, or failed,
    makes the shape estimate again.
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._previous: dict[tuple[str | None, bytes, bool], int] = {}
        self._highest: dict[tuple[str | None, bytes, bool], int] = {}
        self._stable: set[tuple[str | None, bytes, bool]] = set()

    @staticmethod
    def shape(to: str | None, data: bytes, value: int) -> tuple[str | None, bytes, bool]:
        return (to.lower() if to else None, data[:4] if to else b"", value > 0)

    def reusable(self, shape: tuple[str | None, bytes, bool]) -> int | None:
        if self.enabled and shape in self._stable:
            return self._highest[shape]
        return None

    def observed(self, shape: tuple[str | None, bytes, bool], limit: int) -> None:
        """An estimate for ``shape``; the reused limit is the highest seen, once two in a row agree."""
        if self._previous.get(shape) == limit:
            self._stable.add(shape)
        self._previous[shape] = limit
        self._highest[shape] = max(limit, self._highest.get(shape, 0))

    def mined(self, shape: tuple[str | None, bytes, bool], used: int, limit: int, ok: bool) -> None:
        if not ok or used * GAS_MARGIN > limit:
            self._stable.discard(shape)


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
            shape = GasEstimates.shape(to, data, value)
            gas = self.gas.reusable(shape)
            if gas is None:
                gas = int(self.estimate_gas(request) * GAS_MARGIN) + 10_000
                self.gas.observed(shape, gas)
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
        reply = self.chain.rpc_raw("eth_sendRawTransaction", ["0x" + signed.raw.hex()])
        if "error" in reply and not _already_known(reply["error"]):
            self.nonces.forget(signed.sender)
            self._raise_for(reply["error"], "eth_sendRawTransaction", signed.request.get("to"))
        log.debug("sent %s %s nonce=%d", signed.label or "tx", signed.tx_hash, signed.nonce)
        return PendingTransaction(
            signed.tx_hash, signed.sender, signed.nonce, signed.request, signed.raw, signed.label, self
        )

    def broadcast_many(self, signed: Sequence[SignedTransaction]) -> list[PendingTransaction]:
        """Send many signed transactions in one JSON-RPC batch (in order); the first refusal raises."""
        replies = self.chain.rpc_batch([("eth_sendRawTransaction", ["0x" + tx.raw.hex()]) for tx in signed])
        pending = []
        for tx, reply in zip(signed, replies, strict=True):
            if "error" in reply and not _already_known(reply["error"]):
                self.nonces.forget(tx.sender)
                self._raise_for(reply["error"], "eth_sendRawTransaction", tx.request.get("to"))
            pending.append(PendingTransaction(tx.tx_hash, tx.sender, tx.nonce, tx.request, tx.raw, tx.label, self))
        return pending

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

    def wait_all(self, pending: Sequence[PendingTransaction], timeout: float = RECEIPT_TIMEOUT) -> list[Receipt]:
        """Receipts for all ``pending`` (polled in batches), in order; the first failure is raised."""
        receipts: dict[str, Receipt] = {}
        outstanding = [p.tx_hash for p in pending]
        deadline = time.monotonic() + timeout
        delay = 0.002
        while outstanding:
            replies = self.chain.rpc_batch([("eth_getTransactionReceipt", [h]) for h in outstanding])
            still = []
            for tx_hash, reply in zip(outstanding, replies, strict=True):
                raw = reply.get("result")
                if raw:
                    receipts[tx_hash] = Receipt.from_rpc(raw)
                else:
                    still.append(tx_hash)
            outstanding = still
            if outstanding:
                if time.monotonic() > deadline:
                    raise TransactionError(f"no receipt within {timeout:.0f} s for {', '.join(outstanding)}")
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        ordered = [receipts[p.tx_hash] for p in pending]
        for item, receipt in zip(pending, ordered, strict=True):
            self.gas.mined(
                GasEstimates.shape(
                    item.request.get("to"),
                    bytes.fromhex(item.request["data"][2:]),
                    int(item.request.get("value", "0x0"), 16),
                ),
                receipt.gas_used,
                int(item.request.get("gas", 0)),
                receipt.status == 1,
            )
            if receipt.status != 1:
                self._raise_failed(item, receipt)
        return ordered

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
        request = {k: v for k, v in item.request.items() if k in ("from", "to", "data", "value", "gas")}
        reply = self.chain.rpc_raw("eth_call", [request, hex(receipt.block_number - 1)])
        if "error" in reply:
            data = revert_data(reply["error"])
            if data:
                raise self.decoder.exception(data, self.labels.get(str(item.request.get("to"))))
        if receipt.gas_used >= int(item.request.get("gas", 0)):
            raise TransactionFailed(f"{item.label or 'transaction'} {item.tx_hash} ran out of gas")
        raise TransactionFailed(f"{item.label or 'transaction'} {item.tx_hash} failed in block {receipt.block_number}")
