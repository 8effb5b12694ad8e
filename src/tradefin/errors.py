"""The exception tree: every error tradefin raises derives from :class:`TradefinError`.

Reverts are raised as subclasses of :class:`ContractRevert` named after the Solidity custom error, with the
decoded arguments as attributes. The classes are created on first use, so both of these work::

    from tradefin.errors import TitleNotHolder
    except tradefin.errors.revert_class("TitleNotHolder") as exc: ...
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any


class TradefinError(Exception):
    """Root of every error tradefin raises on purpose."""


class ConfigError(TradefinError):
    """The project or command was configured wrongly; fix the named setting."""


class CompilerError(TradefinError):
    """The Solidity compiler could not run or rejected the sources."""


class CompileFailed(CompilerError):
    """Sources failed to compile; ``diagnostics`` holds one ``file:line:col: message`` line per error."""

    def __init__(self, diagnostics: Sequence[str]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(self.diagnostics))


class ArtifactNotFound(CompilerError):
    """No compiled contract has that name; check the spelling or run ``tradefin compile``."""


class ChainError(TradefinError):
    """A node could not be started or reached."""


class NodeUnreachable(ChainError):
    """Nothing answers JSON-RPC at the given URL."""


class KeyRefused(TradefinError):
    """A key may not be used here (a well-known dev key on a chain that is not a dev chain)."""


class AccountError(TradefinError):
    """An account could not be loaded (unknown role, bad keystore, wrong password)."""


class TransactionError(TradefinError):
    """A transaction could not be sent or did not succeed."""


class TransactionFailed(TransactionError):
    """The transaction was mined but failed, and the node gave no reason."""


class ArgumentError(TradefinError, ValueError):
    """A value cannot be ABI-encoded as the parameter it is given for (malformed address, integer out of range...)."""


class NoContract(TransactionError):
    """A call went to an address with no contract code (wrong address, or another chain's)."""


class DeploymentError(TradefinError):
    """A deployment record is inconsistent with the chain."""


class ContractRevert(TransactionError):
    """A call or transaction reverted. Subclasses are named after the Solidity custom error."""

    error_name: str = ""
    signature: str = ""
    arg_names: tuple[str, ...] = ()

    def __init__(self, *args: Any, data: bytes = b"", contract: str | None = None) -> None:
        self.args_values: tuple[Any, ...] = tuple(args)
        self.data = data
        self.contract = contract
        super().__init__(self._describe())

    @property
    def arguments(self) -> dict[str, Any]:
        """The decoded arguments by name (positional names ``arg0``... where the ABI has none)."""
        names = self.arg_names or tuple(f"arg{i}" for i in range(len(self.args_values)))
        return dict(zip(names, self.args_values, strict=False))

    def __getattr__(self, name: str) -> Any:
        arguments = self.__dict__.get("args_values"), type(self).arg_names
        if arguments[0] is not None and name in arguments[1]:
            return arguments[0][arguments[1].index(name)]
        raise AttributeError(name)

    def _describe(self) -> str:
        shown = ", ".join(f"{k}={_show(v)}" for k, v in self.arguments.items())
        where = f" in {self.contract}" if self.contract else ""
        return f"{self.error_name or type(self).__name__}({shown}){where}"


class RevertedWithReason(ContractRevert):
    """A revert with a string reason (``Error(string)``); tradefin's own contracts never do this."""

    error_name = "Error"
    signature = "Error(string)"
    arg_names = ("reason",)


class Panic(ContractRevert):
    """A Solidity panic (``Panic(uint256)``), e.g. arithmetic overflow (0x11) or division by zero (0x12)."""

    error_name = "Panic"
    signature = "Panic(uint256)"
    arg_names = ("code",)

    MEANINGS: Mapping[int, str] = {
        0x00: "generic compiler panic",
        0x01: "assertion failed",
        0x11: "arithmetic overflow or underflow",
        0x12: "division or modulo by zero",
        0x21: "invalid enum value",
        0x22: "invalid storage byte array",
        0x31: "pop on empty array",
        0x32: "array index out of bounds",
        0x41: "out of memory",
        0x51: "call to uninitialised function",
    }

    def _describe(self) -> str:
        code = int(self.args_values[0]) if self.args_values else -1
        return f"Panic(0x{code:02x}: {self.MEANINGS.get(code, 'unknown panic code')})"


class UnknownRevert(ContractRevert):
    """A revert whose data matches no known error; ``data`` holds the raw bytes."""

    def _describe(self) -> str:
        return f"reverted with unrecognised data 0x{self.data.hex()}" if self.data else "reverted without data"


_lock = threading.Lock()
_revert_classes: dict[str, type[ContractRevert]] = {}


def revert_class(name: str) -> type[ContractRevert]:
    """The exception class for the Solidity custom error ``name``, created once and shared."""
    with _lock:
        cls = _revert_classes.get(name)
        if cls is None:
            cls = type(name, (ContractRevert,), {"error_name": name, "__module__": __name__})
            cls.__doc__ = f"The contract reverted with the custom error ``{name}``."
            _revert_classes[name] = cls
        return cls


def __getattr__(name: str) -> type[ContractRevert]:
    """``from tradefin.errors import SomeCustomError`` gives that error's exception class."""
    if name[:1].isupper() and not name.startswith("_"):
        return revert_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2**64:
        return hex(value)  # document hashes and other 256-bit ids read better in hex
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return repr(value) if isinstance(value, str) and not value.startswith("0x") else str(value)
