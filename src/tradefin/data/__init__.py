"""Consented sharing of trade documents and duplicate-financing checks.

- :mod:`~tradefin.data.consent`: the on-chain consent registry (owner -> financier, documents, purpose, expiry);
- :mod:`~tradefin.data.anchors`: on-chain anchors of invoices, packing lists and certificates of origin;
- :mod:`~tradefin.data.requests`: a financier's EIP-712 signed request (financier, owner, documents, purpose,
  nonce, deadline; domain: chain id and consent registry);
- :mod:`~tradefin.data.store`: the encrypted (AES-256-GCM) SQLite document store that serves a signed request only
  under a live consent and only if the documents still hash to their anchors, auditing every attempt;
- :mod:`~tradefin.data.financing`: :func:`check_not_financed` across the financing ledgers the deployment knows
  (the check of :mod:`tradefin.finance.duplicates` that loans and letters of credit run before every pledge and
  presentation).
"""

from tradefin.data.anchors import Anchor, DocumentAnchors, DocumentType, content_hash
from tradefin.data.consent import AccessStatus, Consent, ConsentRegistry, purpose_code, purpose_name
from tradefin.data.errors import (
    AccessRefused,
    AlreadyFinanced,
    ConsentDenied,
    DataError,
    DocumentNotAnchored,
    DocumentNotStored,
    DocumentTampered,
    KeyUnavailable,
    RequestBadSignature,
    RequestExpired,
    RequestRefused,
    RequestReplayed,
    RequestWrongChain,
    RequestWrongRegistry,
)
from tradefin.data.financing import FinancingCheck, check_not_financed, known_ledgers
from tradefin.data.keys import StoreKey
from tradefin.data.requests import DocumentRequest, SignedDocumentRequest, sign_document_request
from tradefin.data.store import AuditEntry, AuditLogBroken, DocumentStore, StoredDocument

__all__ = [
    "AccessRefused",
    "AccessStatus",
    "AlreadyFinanced",
    "Anchor",
    "AuditEntry",
    "AuditLogBroken",
    "Consent",
    "ConsentDenied",
    "ConsentRegistry",
    "DataError",
    "DocumentAnchors",
    "DocumentNotAnchored",
    "DocumentNotStored",
    "DocumentRequest",
    "DocumentStore",
    "DocumentTampered",
    "DocumentType",
    "FinancingCheck",
    "KeyUnavailable",
    "RequestBadSignature",
    "RequestExpired",
    "RequestRefused",
    "RequestReplayed",
    "RequestWrongChain",
    "RequestWrongRegistry",
    "SignedDocumentRequest",
    "StoreKey",
    "StoredDocument",
    "check_not_financed",
    "content_hash",
    "known_ledgers",
    "purpose_code",
    "purpose_name",
    "sign_document_request",
]
