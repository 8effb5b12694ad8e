"""Typed client of the document anchors (``contracts/data/DocumentAnchors.sol``): which trade documents exist.

An issuer anchors (type, keccak-256 of the document's bytes, time) for an invoice, a packing list or a certificate
of origin. Anchors are keyed by (issuer, hash): each issuer anchors a hash once, ever, and revokes only its own
anchor; another issuer anchoring the same hash neither blocks nor revokes it, so look anchors up by the issuer you
expect.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from tradefin.data.consent import document_hash
from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

CONTRACT = "DocumentAnchors"


class DocumentType(enum.IntEnum):
    """What a document is (``IDocumentAnchors.DocumentType``)."""

    COMMERCIAL_INVOICE = 0
    PACKING_LIST = 1
    CERTIFICATE_OF_ORIGIN = 2

    @classmethod
    def parse(cls, text: str) -> DocumentType:
        """``invoice``, ``packing-list``, ``certificate-of-origin`` (or the member names, any case)."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        aliases = {"invoice": cls.COMMERCIAL_INVOICE, "coo": cls.CERTIFICATE_OF_ORIGIN}
        if key in aliases:
            return aliases[key]
        try:
            return cls[key.upper()]
        except KeyError:
            raise TradefinError(
                f"unknown document type {text!r}: invoice, packing-list or certificate-of-origin"
            ) from None


def content_hash(content: bytes) -> bytes:
    """The hash a document is anchored and requested by: keccak-256 of its exact bytes."""
    return bytes(keccak(content))


def reason_code(reason: str | bytes) -> bytes:
    """A revocation reason as 32 bytes: short ASCII text right-padded with zeros, or 32 bytes as given."""
    if isinstance(reason, bytes):
        if len(reason) not in (0, 32):
            raise TradefinError(f"a reason code is 32 bytes, got {len(reason)}")
        return reason.ljust(32, b"\x00")
    raw = reason.encode("ascii", errors="replace")
    if len(raw) > 32:
        raise TradefinError(f"a revocation reason is at most 32 ASCII characters, got {len(raw)}")
    return raw.ljust(32, b"\x00")


@dataclass(frozen=True)
class Anchor:
    """An issuer's anchor of a document (``IDocumentAnchors.Anchor``, with the issuer and hash it is keyed by)."""

    document_hash: bytes
    """keccak-256 of the document's bytes."""
    issuer: str
    """Who anchored it, and alone may revoke this anchor (anchors are per issuer)."""
    document_type: DocumentType
    """Invoice, packing list or certificate of origin."""
    anchored_at: int
    """Block timestamp of the anchoring."""
    revoked_at: int
    """Block timestamp of the revocation, 0 while valid."""

    @property
    def valid(self) -> bool:
        return self.revoked_at == 0

    @classmethod
    def from_view(cls, issuer: str, digest: bytes, raw: Any) -> Anchor | None:
        """``issuer``'s anchor of ``digest`` from ``anchorOf``'s (type, anchoredAt, revokedAt); None if none."""
        kind, anchored_at, revoked_at = raw
        if anchored_at == 0:
            return None
        return cls(digest, to_checksum_address(issuer), DocumentType(kind), anchored_at, revoked_at)


class DocumentAnchors:
    """The on-chain anchors of invoices, packing lists and certificates of origin."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    @classmethod
    def deploy(cls, ctx: Context, deployer: LocalAccount, *, deployment_name: str | None = None) -> DocumentAnchors:
        """Deploy the anchors (no admin: the issuer is whoever anchors); reused when one is live."""
        return cls(ctx.deployments.deploy(deployer, CONTRACT, name=deployment_name or CONTRACT))

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> DocumentAnchors:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name))

    def anchor(self, document: bytes | str, document_type: DocumentType, *, sender: LocalAccount) -> Receipt:
        """``sender`` anchors a document hash (32 bytes or 0x hex) as a ``document_type`` it issued (once, ever)."""
        return self.contract.transact(sender, "anchor", document_hash(document), int(document_type))

    def anchor_content(self, content: bytes, document_type: DocumentType, *, sender: LocalAccount) -> bytes:
        """Anchor the document whose bytes are ``content``; its hash."""
        digest = content_hash(content)
        self.anchor(digest, document_type, sender=sender)
        return digest

    def anchor_batch(self, documents: Sequence[tuple[bytes | str, DocumentType]], *, sender: LocalAccount) -> Receipt:
        """Anchor several (hash, type) pairs in one transaction: all or none."""
        hashes = [document_hash(d) for d, _ in documents]
        return self.contract.transact(sender, "anchorBatch", hashes, [int(t) for _, t in documents])

    def revoke(self, document: bytes | str, *, sender: LocalAccount, reason: str | bytes = b"") -> Receipt:
        """``sender`` withdraws its own anchor (a reason code of up to 32 ASCII characters)."""
        return self.contract.transact(sender, "revoke", document_hash(document), reason_code(reason))

    def anchor_of(self, issuer: str, document: bytes | str) -> Anchor | None:
        """``issuer``'s anchor of ``document``; None if ``issuer`` never anchored it."""
        digest = document_hash(document)
        return Anchor.from_view(issuer, digest, self.contract.call("anchorOf", issuer, digest))

    def is_valid(self, issuer: str, document: bytes | str) -> bool:
        """Whether ``issuer`` anchored ``document`` and has not revoked that anchor."""
        return bool(self.contract.call("isValid", issuer, document_hash(document)))

    def is_valid_from(self, document: bytes | str, issuer: str, document_type: DocumentType) -> bool:
        """Whether ``issuer`` anchored ``document`` as a ``document_type`` and has not revoked that anchor."""
        return bool(self.contract.call("isValidFrom", document_hash(document), issuer, int(document_type)))
