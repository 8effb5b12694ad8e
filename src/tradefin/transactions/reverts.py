"""Turn revert data into the Python exception named after the Solidity custom error, on any node."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from eth_abi import decode
from eth_abi.exceptions import DecodingError

from tradefin.errors import ContractRevert, Panic, RevertedWithReason, UnknownRevert, revert_class
from tradefin.transactions.abi import decode_values, input_types, selector

ERROR_STRING = bytes.fromhex("08c379a0")
PANIC = bytes.fromhex("4e487b71")
_HEX = re.compile(r"0x[0-9a-fA-F]*")


class RevertDecoder:
    """Knows every custom error of a build by selector."""

    def __init__(self, errors: Iterable[Mapping[str, Any]] = ()) -> None:
        self._by_selector: dict[bytes, Mapping[str, Any]] = {}
        self.add(errors)

    def add(self, errors: Iterable[Mapping[str, Any]]) -> None:
        for error in errors:
            sel = selector(error)
            self._by_selector.setdefault(sel, error)
            cls = revert_class(error["name"])
            if not cls.arg_names:
                cls.arg_names = tuple(i.get("name") or f"arg{n}" for n, i in enumerate(error.get("inputs", [])))
                cls.signature = f"{error['name']}({','.join(input_types(error))})"

    def exception(self, data: bytes, contract: str | None = None) -> ContractRevert:
        """The exception for revert ``data`` (not raised)."""
        head, body = data[:4], data[4:]
        try:
            if head == ERROR_STRING:
                return RevertedWithReason(decode(["string"], body)[0], data=data, contract=contract)
            if head == PANIC:
                return Panic(decode(["uint256"], body)[0], data=data, contract=contract)
            error = self._by_selector.get(head)
            if error is not None:
                values = decode_values(input_types(error), body)
                return revert_class(error["name"])(*values, data=data, contract=contract)
        except DecodingError:
            pass
        return UnknownRevert(data=data, contract=contract)


def revert_data(error: Mapping[str, Any] | None) -> bytes | None:
    """The revert bytes inside a JSON-RPC error, as Anvil, Geth or Hardhat shape it; None if not a revert."""
    if not error:
        return None
    data = error.get("data")
    if isinstance(data, Mapping):  # Hardhat: {"message": ..., "data": "0x..."}
        data = data.get("data") or data.get("result")
    if isinstance(data, str) and _HEX.fullmatch(data):
        return bytes.fromhex(data[2:])
    message = str(error.get("message", ""))
    if "revert" in message.lower():
        return b""
    return None
