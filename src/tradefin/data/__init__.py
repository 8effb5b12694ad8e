"""Consented sharing of trade documents and duplicate-financing checks.

- :mod:`~tradefin.data.consent`: the on-chain consent registry (owner -> financier, documents, purpose, expiry);
- :mod:`~tradefin.data.anchors`: on-chain anchors of invoices, packing lists and certificates of origin;
- :mod:`~tradefin.data.store`: the encrypted (AES-256-GCM) SQLite document store that serves a document only under
  a live consent and only if it still hashes to its anchor, auditing every attempt;
- :mod:`~tradefin.data.financing`: :func:`check_not_financed` across the financing ledgers the deployment knows.
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
)
from tradefin.data.financing import FinancingCheck, check_not_financed, known_ledgers
from tradefin.data.keys import StoreKey
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
    "DocumentStore",
    "DocumentTampered",
    "DocumentType",
    "FinancingCheck",
    "KeyUnavailable",
    "StoreKey",
    "StoredDocument",
    "check_not_financed",
    "content_hash",
    "known_ledgers",
    "purpose_code",
    "purpose_name",
]
