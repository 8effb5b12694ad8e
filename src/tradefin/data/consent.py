"""Typed client of the consent registry (``contracts/data/ConsentRegistry.sol``): who may see which documents.

A data owner grants a financier access to a set of documents (by hash) for a purpose (a 32-byte code, see
:func:`purpose_code`) until a time, and may revoke it; :meth:`ConsentRegistry.access_status` says whether an
access is allowed now, and if not why.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount

from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

CONTRACT = "ConsentRegistry"
_HEX32 = re.compile(r"^0x[0-9a-fA-F]{64}$")


class AccessStatus(enum.IntEnum):
    """Whether an access is allowed, and if not why (``IConsentRegistry.AccessStatus``)."""

    ALLOWED = 0
    NOT_GRANTED = 1
    REVOKED = 2
    EXPIRED = 3
    DOCUMENT_NOT_COVERED = 4


def purpose_code(purpose: str | bytes) -> bytes:
    """The 32-byte purpose code: 32 bytes as given, ``0x`` + 64 hex digits, or a short ASCII name
    (``"TRADE_FINANCE"``, at most 32 characters) right-padded with zeros, so it reads back on chain."""
    if isinstance(purpose, bytes):
        if len(purpose) != 32:
            raise TradefinError(f"a purpose code is 32 bytes, got {len(purpose)}")
        return purpose
    if _HEX32.match(purpose):
        return bytes.fromhex(purpose[2:])
    raw = purpose.encode("ascii", errors="strict") if purpose.isascii() else b""
    if not raw or len(raw) > 32:
        raise TradefinError(f"a purpose is 1 to 32 ASCII characters or a 0x 32-byte code, got {purpose!r}")
    return raw.ljust(32, b"\x00")


def purpose_name(code: bytes) -> str:
    """The readable name of a purpose code made by :func:`purpose_code`, or its hex."""
    text = code.rstrip(b"\x00")
    if text and text.isascii() and text.decode().isprintable() and b"\x00" not in text:
        return text.decode()
    return "0x" + code.hex()


def document_hash(ref: bytes | str) -> bytes:
    """A 32-byte document hash given as bytes or ``0x`` + 64 hex digits."""
    if isinstance(ref, str):
        if not _HEX32.match(ref):
            raise TradefinError(f"not a document hash (0x + 64 hex digits): {ref!r}")
        return bytes.fromhex(ref[2:])
    if len(ref) != 32:
        raise TradefinError(f"a document hash is 32 bytes, got {len(ref)}")
    return ref


@dataclass(frozen=True)
class Consent:
    """A consent of an owner to a financier for a purpose (``IConsentRegistry.Consent``)."""

    granted_at: int
    """Block timestamp of the latest grant."""
    expires_at: int
    """Last second (inclusive) access is allowed."""
    revoked_at: int
    """Block timestamp of the revocation, 0 while not revoked."""
    version: int
    """1 for the first grant, +1 per later grant under the same owner, financier and purpose."""
    document_count: int
    """Distinct documents the current version names."""

    @classmethod
    def from_view(cls, raw: Any) -> Consent | None:
        granted_at, expires_at, revoked_at, version, count = raw
        if version == 0:
            return None
        return cls(granted_at, expires_at, revoked_at, version, count)


class ConsentRegistry:
    """The on-chain register of data owners' consents."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    @classmethod
    def deploy(cls, ctx: Context, deployer: LocalAccount, *, deployment_name: str | None = None) -> ConsentRegistry:
        """Deploy a registry (no admin: anyone records their own consents); reused when one is live."""
        return cls(ctx.deployments.deploy(deployer, CONTRACT, name=deployment_name or CONTRACT))

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> ConsentRegistry:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name))

    # -- owner ------------------------------------------------------------------------------------------------------

    def grant(
        self,
        financier: str,
        documents: Sequence[bytes | str],
        *,
        purpose: str | bytes,
        expires_at: int,
        sender: LocalAccount,
    ) -> Receipt:
        """``sender`` (the owner) lets ``financier`` read ``documents`` for ``purpose`` until ``expires_at``
        (unix seconds, inclusive); replaces any earlier consent to that financier for that purpose."""
        hashes = [document_hash(d) for d in documents]
        return self.contract.transact(sender, "grant", financier, purpose_code(purpose), expires_at, hashes)

    def revoke(self, financier: str, *, purpose: str | bytes, sender: LocalAccount) -> Receipt:
        """``sender`` (the owner) withdraws its consent to ``financier`` for ``purpose``."""
        return self.contract.transact(sender, "revoke", financier, purpose_code(purpose))

    # -- reads ------------------------------------------------------------------------------------------------------

    def access_status(
        self, owner: str, financier: str, document: bytes | str, purpose: str | bytes, *, block: str | int = "latest"
    ) -> AccessStatus:
        """Whether ``financier`` may read ``document`` of ``owner`` for ``purpose`` at ``block``, or why not."""
        raw = self.contract.call(
            "accessStatus", owner, financier, document_hash(document), purpose_code(purpose), block=block
        )
        return AccessStatus(raw)

    def is_allowed(self, owner: str, financier: str, document: bytes | str, purpose: str | bytes) -> bool:
        return self.access_status(owner, financier, document, purpose) is AccessStatus.ALLOWED

    def consent(self, owner: str, financier: str, purpose: str | bytes) -> Consent | None:
        """The consent of ``owner`` to ``financier`` for ``purpose``, or None if never granted."""
        return Consent.from_view(self.contract.call("consentOf", owner, financier, purpose_code(purpose)))

    def covers(self, owner: str, financier: str, purpose: str | bytes, document: bytes | str) -> bool:
        """Whether the consent's current version names ``document`` (whatever its expiry or revocation)."""
        return bool(self.contract.call("covers", owner, financier, purpose_code(purpose), document_hash(document)))

    def max_documents(self) -> int:
        return int(self.contract.call("maxDocuments"))
