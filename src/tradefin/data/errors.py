"""Errors of consented document sharing and of the duplicate-financing check.

Each says what to do next. Reverts of the data contracts (``Consent...``, ``Anchor...``) are raised as the
:class:`tradefin.errors.ContractRevert` subclasses named after them; these are the refusals of the off-chain store.
:class:`AlreadyFinanced` belongs to the finance layer (:mod:`tradefin.finance.duplicates`) and is re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradefin.errors import TradefinError
from tradefin.finance.duplicates import AlreadyFinanced

if TYPE_CHECKING:
    from tradefin.data.consent import AccessStatus

__all__ = [
    "AccessRefused",
    "AlreadyFinanced",
    "ConsentDenied",
    "DataError",
    "DocumentNotAnchored",
    "DocumentNotStored",
    "DocumentTampered",
    "KeyUnavailable",
    "RequestBadSignature",
    "RequestExpired",
    "RequestRefused",
    "RequestReplayed",
    "RequestWrongChain",
    "RequestWrongRegistry",
]


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
    """The document's owner has not anchored its hash on chain, or revoked that anchor: do not rely on it."""

    reason = "not-anchored"


class DocumentTampered(AccessRefused):
    """The stored document no longer matches its anchored hash (or fails decryption): the store was altered."""

    reason = "tampered"


class RequestRefused(AccessRefused):
    """A signed request was refused before any document was judged: sign a fresh, correct request."""

    reason = "request-refused"


class RequestWrongChain(RequestRefused):
    """The request was signed for another chain id than the store's consent registry is on: sign it for this one."""

    reason = "wrong-chain"


class RequestWrongRegistry(RequestRefused):
    """The request was signed for another consent registry than the store checks: sign it for this one."""

    reason = "wrong-registry"


class RequestExpired(RequestRefused):
    """The request's deadline has passed (judged at the block time the consent is read at): sign a new one."""

    reason = "request-expired"


class RequestBadSignature(RequestRefused):
    """The signature does not recover the financier the request names (the consent's grantee)."""

    reason = "bad-signature"


class RequestReplayed(RequestRefused):
    """The financier's nonce was used by an earlier request: a signed request is served once; sign a new one."""

    reason = "nonce-used"
