"""An encrypted store of trade documents (SQLite) that serves them only under the owner's on-chain consent.

Documents are kept encrypted at rest with AES-256-GCM (a fresh 12-byte nonce per document; the owner and the
document hash are authenticated as associated data, so a ciphertext moved to another row fails to decrypt).
:meth:`DocumentStore.request` serves a document to a financier only if, at one pinned block,

1. the consent registry allows (owner, financier, document hash, purpose) now;
2. the store holds that owner's document;
3. the owner itself anchored the hash on chain and has not revoked that anchor (anchors are per issuer: the owner
   anchors its own documents, and no one else's anchor of the same hash counts or can block it);
4. the stored document decrypts and its keccak-256 equals the anchored hash (else :class:`DocumentTampered`).

A financier asks with an EIP-712 request signed with its own key (:mod:`tradefin.data.requests`):
:meth:`DocumentStore.serve` first refuses a request signed for another chain id or consent registry, past its
deadline (judged at the same pinned block), whose signature does not recover the financier it names, or whose nonce
was used before (each nonce is spent by the first request whose signature verifies, served or not); then judges
every document as above and serves all of them or none. :meth:`DocumentStore.request` judges one document for a
financier the caller has authenticated by other means (in process).

Every attempt, served or refused (with the reason) or failed, is appended to the ``audit`` table, one entry per
document asked for; each entry carries the hash of the one before, so :meth:`DocumentStore.verify_audit` detects
edited or deleted entries.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from Crypto.Cipher import AES
from eth_utils import keccak, to_checksum_address

from tradefin.data.anchors import DocumentType, content_hash
from tradefin.data.consent import AccessStatus, document_hash, purpose_code, purpose_name
from tradefin.data.errors import (
    AccessRefused,
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

if TYPE_CHECKING:
    from tradefin.data.anchors import DocumentAnchors
    from tradefin.data.consent import ConsentRegistry
    from tradefin.data.keys import StoreKey
    from tradefin.data.requests import SignedDocumentRequest

log = logging.getLogger("tradefin.data")

NONCE_BYTES = 12
TAG_BYTES = 16
GENESIS = "0x" + "00" * 32
_AAD_PREFIX = b"tradefin.data.document.v1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    owner TEXT NOT NULL,
    document_hash TEXT NOT NULL,
    document_type INTEGER,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    size INTEGER NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (owner, document_hash)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    block INTEGER,
    block_time INTEGER,
    financier TEXT NOT NULL,
    owner TEXT NOT NULL,
    document_hash TEXT NOT NULL,
    purpose TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS request_nonces (
    chain_id INTEGER NOT NULL,
    registry TEXT NOT NULL,
    financier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    used_at REAL NOT NULL,
    PRIMARY KEY (chain_id, registry, financier, nonce)
);
"""

GRANTED = "granted"
REFUSED = "refused"
FAILED = "failed"


class AuditLogBroken(DataError):
    """The audit log's hash chain does not verify: an entry was edited, deleted or inserted out of band."""


@dataclass(frozen=True)
class StoredDocument:
    """A document held by the store (metadata only; the content stays encrypted)."""

    owner: str
    """The data owner's address."""
    document_hash: bytes
    """keccak-256 of the document's bytes, as anchored."""
    document_type: DocumentType | None
    """Its type, when the owner said."""
    size: int
    """Plaintext length in bytes."""
    stored_at: float
    """Unix time it was stored."""


@dataclass(frozen=True)
class AuditEntry:
    """One access attempt."""

    id: int
    at: float
    """Wall-clock unix time of the attempt."""
    block: int | None
    """The block the consent and the anchor were read at (None if the chain was not reached)."""
    block_time: int | None
    """That block's timestamp: the time the consent's expiry was judged against."""
    financier: str
    owner: str
    document_hash: str
    purpose: str
    """The purpose's readable name (or its hex)."""
    outcome: str
    """``granted``, ``refused`` or ``failed`` (an error other than a refusal, e.g. the node unreachable)."""
    reason: str
    """``served``, ``consent-not-granted``, ``consent-revoked``, ``consent-expired``,
    ``consent-document-not-covered``, ``not-stored``, ``not-anchored``, ``tampered``; for signed requests also
    ``wrong-chain``, ``wrong-registry``, ``request-expired``, ``bad-signature``, ``nonce-used`` and
    ``request-refused`` (another document of the request was refused); or an error's name."""
    detail: str
    """One line of explanation."""
    prev_hash: str
    entry_hash: str


@dataclass
class _Attempt:
    """One request being judged: who asks what, and the block it is judged at once the chain is read."""

    financier: str
    owner: str
    digest: bytes
    code: bytes
    block: int | None = None
    block_time: int | None = None

    def refuse(self, cls: type[AccessRefused], message: str) -> AccessRefused:
        return cls(message, owner=self.owner, financier=self.financier, document_hash=self.digest, purpose=self.code)


def _entry_hash(prev_hash: str, fields: tuple[object, ...]) -> str:
    body = json.dumps([prev_hash, *fields], separators=(",", ":"), sort_keys=False)
    return "0x" + bytes(keccak(body.encode())).hex()


class DocumentStore:
    """Encrypted documents in one SQLite file, served under on-chain consent, every access audited.

    ``consents`` and ``anchors`` are needed by :meth:`request` only; storing and reading the audit log work
    without a chain."""

    def __init__(
        self,
        path: Path | str,
        key: StoreKey,
        *,
        consents: ConsentRegistry | None = None,
        anchors: DocumentAnchors | None = None,
    ) -> None:
        self.path = Path(path)
        self.consents = consents
        self.anchors = anchors
        self._key = key
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.executescript(_SCHEMA)
        self._check_key()

    def _check_key(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE name = 'key_fingerprint'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('key_fingerprint', ?)", (self._key.fingerprint,))
        elif row[0] != self._key.fingerprint:
            self._db.close()
            raise KeyUnavailable(
                f"{self.path} is encrypted with the key of fingerprint {row[0]}, not {self._key.fingerprint}: "
                "use the store's key"
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> DocumentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents --------------------------------------------------------------------------------------------------

    def put(self, owner: str, content: bytes, *, document_type: DocumentType | None = None) -> bytes:
        """Store ``owner``'s document (encrypted); its hash (keccak-256 of ``content``), the one to anchor."""
        owner = to_checksum_address(owner)
        digest = content_hash(content)
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._seal(owner, digest, nonce, content)
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    owner,
                    "0x" + digest.hex(),
                    None if document_type is None else int(document_type),
                    nonce,
                    sealed,
                    len(content),
                    time.time(),
                ),
            )
        log.info("stored document 0x%s of %s (%d bytes, encrypted)", digest.hex(), owner, len(content))
        return digest

    def remove(self, owner: str, document: bytes | str) -> bool:
        """Delete a stored document; whether there was one."""
        with self._db:
            cursor = self._db.execute(
                "DELETE FROM documents WHERE owner = ? AND document_hash = ?",
                (to_checksum_address(owner), "0x" + document_hash(document).hex()),
            )
        return cursor.rowcount > 0

    def documents(self, owner: str | None = None) -> list[StoredDocument]:
        """What the store holds (of ``owner``, or everyone's), oldest first."""
        query = "SELECT owner, document_hash, document_type, size, stored_at FROM documents"
        params: tuple[str, ...] = ()
        if owner is not None:
            query += " WHERE owner = ?"
            params = (to_checksum_address(owner),)
        rows = self._db.execute(query + " ORDER BY stored_at, document_hash", params).fetchall()
        return [
            StoredDocument(o, bytes.fromhex(h[2:]), None if t is None else DocumentType(t), size, at)
            for o, h, t, size, at in rows
        ]

    def _seal(self, owner: str, digest: bytes, nonce: bytes, content: bytes) -> bytes:
        cipher = AES.new(self._key.secret(), AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
        cipher.update(_aad(owner, digest))
        ciphertext, tag = cipher.encrypt_and_digest(content)
        return bytes(ciphertext) + bytes(tag)

    def _open(self, owner: str, digest: bytes, nonce: bytes, sealed: bytes) -> bytes | None:
        """The plaintext, or None if the ciphertext fails authentication."""
        cipher = AES.new(self._key.secret(), AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
        cipher.update(_aad(owner, digest))
        try:
            return bytes(cipher.decrypt_and_verify(sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]))
        except ValueError:
            return None

    # -- requests ---------------------------------------------------------------------------------------------------

    def request(self, financier: str, owner: str, document: bytes | str, purpose: str | bytes) -> bytes:
        """The document ``document`` (its hash) of ``owner``, for ``financier`` and ``purpose``, if the on-chain
        consent allows it now and the stored bytes are the anchored ones; raises an :class:`AccessRefused`
        subclass otherwise. Every attempt is audited."""
        attempt = _Attempt(
            to_checksum_address(financier), to_checksum_address(owner), document_hash(document), purpose_code(purpose)
        )
        try:
            content = self._serve(attempt)
        except AccessRefused as exc:
            self._audit(attempt, REFUSED, exc.reason, str(exc))
            log.info("refused 0x%s of %s to %s: %s", attempt.digest.hex(), attempt.owner, attempt.financier, exc.reason)
            raise
        except Exception as exc:  # audited whatever it is (node down, ...), then re-raised unchanged
            self._audit(attempt, FAILED, type(exc).__name__, str(exc)[:500])
            raise
        self._audit(attempt, GRANTED, "served", f"{len(content)} bytes")
        log.info("served 0x%s of %s to %s", attempt.digest.hex(), attempt.owner, attempt.financier)
        return content

    def serve(self, signed: SignedDocumentRequest) -> dict[bytes, bytes]:
        """The documents of a financier's signed request ({hash: content}), all of them or none: raises a
        :class:`~tradefin.data.errors.RequestRefused` subclass if the request itself is refused (wrong chain or
        registry, past its deadline, bad signature, nonce used), else the first document's
        :class:`AccessRefused`. Every document asked for gets an audit entry, served or refused or failed."""
        r = signed.request
        financier, owner = to_checksum_address(r.financier), to_checksum_address(r.owner)
        attempts = [_Attempt(financier, owner, digest, r.purpose) for digest in r.documents or (bytes(32),)]
        try:
            self._check_signed(signed, attempts)
            contents = []
            for a in attempts:
                a.block, a.block_time = attempts[0].block, attempts[0].block_time
                contents.append(self._judge(a))
        except AccessRefused as exc:
            detail = f"not served: {exc.reason} for 0x{exc.document_hash.hex()} of the same request"
            for a in attempts:
                own = isinstance(exc, RequestRefused) or a.digest == exc.document_hash
                self._audit(a, REFUSED, exc.reason if own else RequestRefused.reason, str(exc) if own else detail)
            log.info("refused a request of %s for %d document(s): %s", r.financier, len(attempts), exc.reason)
            raise
        except Exception as exc:  # audited whatever it is (node down, ...), then re-raised unchanged
            for a in attempts:
                self._audit(a, FAILED, type(exc).__name__, str(exc)[:500])
            raise
        for a, content in zip(attempts, contents, strict=True):
            self._audit(a, GRANTED, "served", f"{len(content)} bytes (signed request, nonce {r.nonce:#x})")
        log.info("served %d document(s) of %s to %s", len(contents), r.owner, r.financier)
        return {a.digest: content for a, content in zip(attempts, contents, strict=True)}

    def _check_signed(self, signed: SignedDocumentRequest, attempts: list[_Attempt]) -> None:
        """Refuse the request as a whole unless it is for this chain and registry, in time, signed by the financier
        it names and with a fresh nonce (spent here). Pins the block every document is then judged at."""
        consents = self._consents()
        r, first = signed.request, attempts[0]
        chain = consents.contract.transactor.chain
        block = chain.block_number()
        first.block, first.block_time = block, int(chain.block(block)["timestamp"], 16)
        if not r.documents:
            raise first.refuse(RequestRefused, "the request names no document")
        if r.chain_id != chain.chain_id:
            raise first.refuse(
                RequestWrongChain,
                f"the request is signed for chain {r.chain_id}; this store serves chain {chain.chain_id}",
            )
        if to_checksum_address(r.registry) != consents.address:
            raise first.refuse(
                RequestWrongRegistry,
                f"the request is signed for consent registry {r.registry}; this store checks {consents.address}",
            )
        if first.block_time > r.deadline:
            raise first.refuse(
                RequestExpired, f"the request's deadline {r.deadline} is past (block {block} at {first.block_time})"
            )
        signer = signed.signer()
        if signer != first.financier:
            raise first.refuse(
                RequestBadSignature, f"the signature recovers {signer or 'nobody'}, not the financier {r.financier}"
            )
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO request_nonces VALUES (?, ?, ?, ?, ?)",
                    (r.chain_id, consents.address, first.financier, hex(r.nonce), time.time()),
                )
        except sqlite3.IntegrityError:
            raise first.refuse(
                RequestReplayed, f"nonce {r.nonce:#x} of {r.financier} was used by an earlier request: replay"
            ) from None

    def _consents(self) -> ConsentRegistry:
        if self.consents is None or self.anchors is None:
            raise DataError("this document store has no consent registry or anchors to check requests against")
        return self.consents

    def _serve(self, a: _Attempt) -> bytes:
        chain = self._consents().contract.transactor.chain
        block = chain.block_number()
        a.block, a.block_time = block, int(chain.block(block)["timestamp"], 16)
        return self._judge(a)

    def _judge(self, a: _Attempt) -> bytes:
        """One document under the consent and the anchor at the attempt's pinned block."""
        assert self.consents is not None and self.anchors is not None and a.block is not None
        digest, hex_hash, block = a.digest, "0x" + a.digest.hex(), a.block
        status = self.consents.access_status(a.owner, a.financier, digest, a.code, block=block)
        if status is not AccessStatus.ALLOWED:
            raise ConsentDenied(
                f"{a.financier} may not read {hex_hash} of {a.owner} for {purpose_name(a.code)}: "
                f"{_STATUS_TEXT[status]}",
                status=status,
                owner=a.owner,
                financier=a.financier,
                document_hash=digest,
                purpose=a.code,
            )
        row = self._db.execute(
            "SELECT nonce, ciphertext FROM documents WHERE owner = ? AND document_hash = ?", (a.owner, hex_hash)
        ).fetchone()
        if row is None:
            raise a.refuse(DocumentNotStored, f"no document {hex_hash} of {a.owner} in {self.path}")
        _type, anchored_at, revoked_at = self.anchors.contract.call("anchorOf", a.owner, digest, block=block)
        if anchored_at == 0:
            raise a.refuse(
                DocumentNotAnchored,
                f"document {hex_hash} is not anchored by its owner {a.owner} on {self.anchors.address}",
            )
        if revoked_at:
            raise a.refuse(DocumentNotAnchored, f"the owner {a.owner} revoked its anchor of {hex_hash} at {revoked_at}")
        content = self._open(a.owner, digest, bytes(row[0]), bytes(row[1]))
        if content is None:
            raise a.refuse(
                DocumentTampered, f"stored document {hex_hash} of {a.owner} fails authenticated decryption: altered"
            )
        actual = content_hash(content)
        if actual != digest:
            raise a.refuse(
                DocumentTampered,
                f"stored document of {a.owner} hashes to 0x{actual.hex()}, not the anchored {hex_hash}",
            )
        return content

    # -- audit ------------------------------------------------------------------------------------------------------

    def _audit(self, a: _Attempt, outcome: str, reason: str, detail: str) -> None:
        fields = (
            time.time(),
            a.block,
            a.block_time,
            a.financier,
            a.owner,
            "0x" + a.digest.hex(),
            purpose_name(a.code),
            outcome,
            reason,
            detail,
        )
        with self._db:
            last = self._db.execute("SELECT entry_hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            prev = last[0] if last else GENESIS
            self._db.execute(
                "INSERT INTO audit (at, block, block_time, financier, owner, document_hash, purpose, outcome, "
                "reason, detail, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*fields, prev, _entry_hash(prev, fields)),
            )

    def audit(
        self,
        *,
        financier: str | None = None,
        owner: str | None = None,
        outcome: str | None = None,
    ) -> list[AuditEntry]:
        """The audit log, oldest first, optionally only one financier's, owner's or outcome's entries."""
        rows = self._db.execute(
            "SELECT * FROM audit WHERE (?1 IS NULL OR financier = ?1) AND (?2 IS NULL OR owner = ?2) "
            "AND (?3 IS NULL OR outcome = ?3) ORDER BY id",
            (
                None if financier is None else str(to_checksum_address(financier)),
                None if owner is None else str(to_checksum_address(owner)),
                outcome,
            ),
        ).fetchall()
        return [AuditEntry(*row) for row in rows]

    def verify_audit(self) -> int:
        """Check the audit log's hash chain; the number of entries, or :class:`AuditLogBroken` naming the first
        entry that does not verify."""
        prev = GENESIS
        entries = self.audit()
        for entry in entries:
            fields = (
                entry.at,
                entry.block,
                entry.block_time,
                entry.financier,
                entry.owner,
                entry.document_hash,
                entry.purpose,
                entry.outcome,
                entry.reason,
                entry.detail,
            )
            if entry.prev_hash != prev or entry.entry_hash != _entry_hash(prev, fields):
                raise AuditLogBroken(f"audit entry {entry.id} of {self.path} does not verify: the log was altered")
            prev = entry.entry_hash
        return len(entries)

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """The underlying connection (for maintenance and tests), committed on success."""
        with self._db:
            yield self._db


_STATUS_TEXT = {
    AccessStatus.NOT_GRANTED: "no consent for this financier and purpose",
    AccessStatus.REVOKED: "the owner revoked the consent",
    AccessStatus.EXPIRED: "the consent has expired",
    AccessStatus.DOCUMENT_NOT_COVERED: "the consent does not name this document",
}


def _aad(owner: str, digest: bytes) -> bytes:
    return _AAD_PREFIX + bytes.fromhex(owner[2:]) + digest
