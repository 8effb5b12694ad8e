"""A deployed contract bound to a transactor: call, send and decode events by function name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from eth_abi.exceptions import DecodingError
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tradefin.errors import NoContract, TradefinError, TransactionError
from tradefin.transactions.abi import (
    DecodedEvent,
    EventDecoder,
    decode_output,
    encode_call,
    encode_constructor,
    signature,
)
from tradefin.transactions.sender import PendingTransaction, Receipt, Transactor


class Contract:
    """Functions are looked up by name, or by full signature where a name is overloaded."""

    def __init__(self, transactor: Transactor, address: str, abi: Sequence[Mapping[str, Any]], name: str = "") -> None:
        self.transactor = transactor
        self.address = to_checksum_address(address)
        self.abi = list(abi)
        self.name = name or "contract"
        self._functions: dict[str, Mapping[str, Any]] = {}
        names: dict[str, list[Mapping[str, Any]]] = {}
        for item in self.abi:
            if item.get("type") == "function":
                self._functions[signature(item)] = item
                names.setdefault(item["name"], []).append(item)
        for fn_name, items in names.items():
            if len(items) == 1:
                self._functions[fn_name] = items[0]
        transactor.labels[self.address] = self.name

    @cached_property
    def events(self) -> EventDecoder:
        """The decoder of this contract's events (built on first use: many handles only call)."""
        return EventDecoder(self.abi)

    def function(self, name: str) -> Mapping[str, Any]:
        try:
            return self._functions[name]
        except KeyError:
            raise TradefinError(
                f"{self.name} has no function {name!r} (or it is overloaded: use its signature)"
            ) from None

    def encode(self, fn: str, *args: Any) -> bytes:
        return encode_call(self.function(fn), args)

    def call(self, fn: str, *args: Any, sender: str | None = None, block: str | int = "latest") -> Any:
        item = self.function(fn)
        data = self.transactor.call(self.address, encode_call(item, args), sender=sender, block=block)
        try:
            return decode_output(item, data)
        except DecodingError:
            if not self.transactor.chain.code(self.address):
                chain_id = self.transactor.chain.chain_id
                raise NoContract(
                    f"no contract at {self.address} on chain {chain_id} ({self.name or 'contract'})"
                ) from None
            raise TransactionError(
                f"{self.name or self.address}.{fn} answered {len(data)} bytes that are not its return type"
            ) from None

    def send(
        self, account: LocalAccount, fn: str, *args: Any, value: int = 0, gas: int | None = None
    ) -> PendingTransaction:
        data = self.encode(fn, *args)
        return self.transactor.send(
            account, to=self.address, data=data, value=value, gas=gas, label=f"{self.name}.{fn}"
        )

    def transact(self, account: LocalAccount, fn: str, *args: Any, value: int = 0, gas: int | None = None) -> Receipt:
        return self.send(account, fn, *args, value=value, gas=gas).wait()

    def decode_logs(self, receipt: Receipt) -> list[DecodedEvent]:
        """This contract's events in a receipt, in log order."""
        decoded = []
        for raw in receipt.logs:
            if to_checksum_address(raw["address"]) == self.address:
                event = self.events.decode(raw)
                if event is not None:
                    decoded.append(event)
        return decoded

    def get_logs(
        self,
        *,
        from_block: int = 0,
        to_block: int | str = "latest",
        events: Sequence[str] = (),
        topics: Sequence[Any] = (),
        chunk: int = 50_000,
    ) -> list[DecodedEvent]:
        """Decoded logs of this contract, optionally only ``events`` by name; one query per block chunk."""
        first_topic: Any = [self.events.topic(e) for e in events] if events else None
        head = self.transactor.chain.block_number() if to_block == "latest" else int(to_block)
        found: list[DecodedEvent] = []
        start = from_block
        while start <= head:
            end = min(start + chunk - 1, head)
            query = {
                "address": self.address,
                "fromBlock": hex(start),
                "toBlock": hex(end),
                "topics": [first_topic, *topics],
            }
            for raw in self.transactor.chain.rpc("eth_getLogs", [query]):
                event = self.events.decode(raw)
                if event is not None:
                    found.append(event)
            start = end + 1
        return found

    def __repr__(self) -> str:
        return f"<{self.name} at {self.address}>"


def deploy_code(
    transactor: Transactor,
    account: LocalAccount,
    abi: Sequence[Mapping[str, Any]],
    bytecode: str,
    args: Sequence[Any] = (),
    *,
    name: str = "",
    gas: int | None = None,
) -> tuple[Contract, Receipt]:
    """Deploy creation code with constructor ``args``; the contract handle and the receipt."""
    constructor = next((item for item in abi if item.get("type") == "constructor"), None)
    initcode = bytes.fromhex(bytecode.removeprefix("0x")) + encode_constructor(constructor, args)
    if not initcode:
        raise TradefinError(f"{name or 'contract'} has no bytecode (an interface or abstract contract?)")
    receipt = transactor.send(account, to=None, data=initcode, gas=gas, label=f"deploy {name}").wait()
    if receipt.contract_address is None:
        raise TradefinError(f"deployment of {name} gave no contract address ({receipt.tx_hash})")
    return Contract(transactor, receipt.contract_address, abi, name), receipt
