"""Errors of consented document sharing and of the duplicate-financing check.

Each says what to do next. Reverts of the data contracts (``Consent...``, ``Anchor...``) are raised as the
:class:`tradefin.errors.ContractRevert` subclasses named after them; these are the refusals of the off-chain store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradefin.errors import TradefinError

if TYPE_CHECKING:
    from tradefin.data.consent import AccessStatus
    from tradefin.finance.ledger import Claim


class DataError(TradefinError):
    """Root of the errors of :mod:`tradefin.data`."""


class KeyUnavailable(DataError):
    """No encryption key for the document store: set ``TRADEFIN_DATA_KEY`` (64 hex digits) or give a key file."""


class AccessRefused(DataError):
    """A document request was refused; ``reason`` is the code written to the audit log."""

    reason: str = "refused"

    def __init__(self, message: str, *, owner: str, financier: str, document_hash: bytes, purpose: bytes) -> None:
        self.owner = owner
        self.financier = financier
        self.document_hash = document_hash
        self.purpose = purpose
        super().__init__(message)


class ConsentDenied(AccessRefused):
    """The owner's on-chain consent does not allow this access now (``status`` says why): ask the owner to grant it."""

    def __init__(
        self,
        message: str,
        *,
        status: AccessStatus,
        owner: str,
        financier: str,
        document_hash: bytes,
        purpose: bytes,
    ) -> None:
        self.status = status
        self.reason = f"consent-{status.name.lower().replace('_', '-')}"
        super().__init__(message, owner=owner, financier=financier, document_hash=document_hash, purpose=purpose)


class DocumentNotStored(AccessRefused):
    """The store holds no document of that owner with that hash: the owner has to deposit it first."""

    reason = "not-stored"


class DocumentNotAnchored(AccessRefused):
    """The document's hash is not anchored on chain, or its anchor was revoked by the issuer: do not rely on it."""

    reason = "not-anchored"


class DocumentTampered(AccessRefused):
    """The stored document no longer matches its anchored hash (or fails decryption): the store was altered."""

    reason = "tampered"


class AlreadyFinanced(DataError):
    """The bill or the invoice is held by a live financing: a second financing would be a duplicate."""

    def __init__(self, message: str, *, ledger: str, claim: Claim, holder: str | None) -> None:
        self.ledger = ledger
        self.claim = claim
        self.holder = holder
        """The financier behind the claim, when the claimant is a loan contract tradefin can read; else None."""
        super().__init__(message)
