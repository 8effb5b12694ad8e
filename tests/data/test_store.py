"""The encrypted document store: served only under a live consent and an intact anchored document; every attempt
audited; encrypted at rest."""

import logging
import os

import pytest

from tradefin.data import (
    AccessStatus,
    AuditLogBroken,
    ConsentDenied,
    DataError,
    DocumentNotAnchored,
    DocumentNotStored,
    DocumentStore,
    DocumentTampered,
    DocumentType,
    KeyUnavailable,
    StoreKey,
    content_hash,
)
from tradefin.errors import TradefinError

from .conftest import DAY, INVOICE, PURPOSE, fresh_document


def test_served_under_consent_and_audited(store, shared, shipper, financier):
    content = store.request(financier.address, shipper.address, shared, PURPOSE)
    assert content_hash(content) == shared and content.startswith(INVOICE)
    (entry,) = store.audit()
    assert (entry.outcome, entry.reason, entry.purpose) == ("granted", "served", PURPOSE)
    assert entry.financier == financier.address and entry.owner == shipper.address
    assert entry.document_hash == "0x" + shared.hex() and entry.block is not None and entry.block_time is not None


def _refused(store, who, owner, digest, purpose, error):
    with pytest.raises(error) as raised:
        store.request(who.address, owner.address, digest, purpose)
    last = store.audit()[-1]
    assert last.outcome == "refused" and last.reason == raised.value.reason
    assert last.financier == who.address and last.detail == str(raised.value)
    return raised.value


def test_refused_without_consent(store, deposit_document, shipper, financier):
    digest = deposit_document()
    exc = _refused(store, financier, shipper, digest, PURPOSE, ConsentDenied)
    assert exc.status is AccessStatus.NOT_GRANTED and exc.reason == "consent-not-granted"
    assert isinstance(exc, TradefinError)


def test_refused_after_revocation(store, consents, shared, shipper, financier):
    store.request(financier.address, shipper.address, shared, PURPOSE)
    consents.revoke(financier.address, purpose=PURPOSE, sender=shipper)
    exc = _refused(store, financier, shipper, shared, PURPOSE, ConsentDenied)
    assert exc.status is AccessStatus.REVOKED and exc.reason == "consent-revoked"


def test_refused_after_expiry(chain, store, shared, shipper, financier):
    chain.increase_time(30 * DAY + 1)
    chain.mine()
    exc = _refused(store, financier, shipper, shared, PURPOSE, ConsentDenied)
    assert exc.status is AccessStatus.EXPIRED and exc.reason == "consent-expired"
    assert store.audit()[-1].block_time == chain.timestamp()


def test_refused_for_a_purpose_not_granted(store, shared, shipper, financier):
    exc = _refused(store, financier, shipper, shared, "CREDIT_SCORING", ConsentDenied)
    assert exc.status is AccessStatus.NOT_GRANTED and store.audit()[-1].purpose == "CREDIT_SCORING"


def test_refused_to_a_different_financier(store, shared, shipper, advising_bank):
    exc = _refused(store, advising_bank, shipper, shared, PURPOSE, ConsentDenied)
    assert exc.status is AccessStatus.NOT_GRANTED


def test_refused_for_a_document_the_consent_does_not_name(store, deposit_document, shared, shipper, financier):
    other = deposit_document()
    exc = _refused(store, financier, shipper, other, PURPOSE, ConsentDenied)
    assert exc.status is AccessStatus.DOCUMENT_NOT_COVERED and exc.reason == "consent-document-not-covered"


def test_refused_when_not_stored(chain, store, consents, anchors, shipper, financier):
    content = fresh_document()
    digest = anchors.anchor_content(content, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    consents.grant(financier.address, [digest], purpose=PURPOSE, expires_at=chain.timestamp() + DAY, sender=shipper)
    _refused(store, financier, shipper, digest, PURPOSE, DocumentNotStored)


def test_refused_when_not_anchored_or_anchor_revoked(chain, store, consents, anchors, shipper, financier):
    digest = store.put(shipper.address, fresh_document())
    consents.grant(financier.address, [digest], purpose=PURPOSE, expires_at=chain.timestamp() + DAY, sender=shipper)
    exc = _refused(store, financier, shipper, digest, PURPOSE, DocumentNotAnchored)
    assert "not anchored" in str(exc)
    anchors.anchor(digest, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    assert store.request(financier.address, shipper.address, digest, PURPOSE)
    anchors.revoke(digest, sender=shipper, reason="withdrawn")
    exc = _refused(store, financier, shipper, digest, PURPOSE, DocumentNotAnchored)
    assert "revoked" in str(exc) and shipper.address in str(exc)


def test_only_the_owners_anchor_counts(chain, store, consents, anchors, shipper, buyer, financier):
    """Someone else's anchor of the owner's document neither stands in for the owner's nor blocks it."""
    content = fresh_document()
    digest = store.put(shipper.address, content)
    consents.grant(financier.address, [digest], purpose=PURPOSE, expires_at=chain.timestamp() + DAY, sender=shipper)
    anchors.anchor(digest, DocumentType.COMMERCIAL_INVOICE, sender=buyer)
    exc = _refused(store, financier, shipper, digest, PURPOSE, DocumentNotAnchored)
    assert "not anchored by its owner" in str(exc)


def test_front_run_anchor_and_revoke_does_not_block_the_owner(
    chain, store, consents, anchors, shipper, buyer, financier
):
    """An attacker copies the owner's pending anchor from the mempool, anchors the hash first and revokes it: the
    owner still anchors it, and the store serves the owner's document to the consented financier."""
    content = fresh_document()
    digest = content_hash(content)
    anchors.anchor(digest, DocumentType.COMMERCIAL_INVOICE, sender=buyer)
    anchors.revoke(digest, sender=buyer, reason="griefing")
    assert store.put(shipper.address, content, document_type=DocumentType.COMMERCIAL_INVOICE) == digest
    anchors.anchor(digest, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    consents.grant(financier.address, [digest], purpose=PURPOSE, expires_at=chain.timestamp() + DAY, sender=shipper)
    assert store.request(financier.address, shipper.address, digest, PURPOSE) == content
    assert store.audit()[-1].outcome == "granted"


def test_tampered_content_is_refused(store, key, shared, shipper, financier):
    """Someone with the key swaps the stored bytes for another invoice under the same row."""
    forged = INVOICE.replace(b"62,400.00", b"96,400.00")
    row = ("0x" + shared.hex(),)
    with store.raw() as db:
        nonce = os.urandom(12)
        sealed = store._seal(shipper.address, shared, nonce, forged)
        db.execute("UPDATE documents SET nonce = ?, ciphertext = ? WHERE document_hash = ?", (nonce, sealed, *row))
    exc = _refused(store, financier, shipper, shared, PURPOSE, DocumentTampered)
    assert exc.reason == "tampered" and "hashes to 0x" + content_hash(forged).hex() in str(exc)


def test_tampered_ciphertext_is_refused(store, shared, shipper, financier):
    with store.raw() as db:
        (sealed,) = db.execute("SELECT ciphertext FROM documents").fetchone()
        flipped = bytes([sealed[0] ^ 1]) + sealed[1:]
        db.execute("UPDATE documents SET ciphertext = ?", (flipped,))
    exc = _refused(store, financier, shipper, shared, PURPOSE, DocumentTampered)
    assert "fails authenticated decryption" in str(exc)


def test_encrypted_at_rest(store, store_path, key, shared, shipper):
    store.close()
    raw = store_path.read_bytes()
    assert b"Commercial invoice" not in raw and b"LED monitors" not in raw and b"62,400.00" not in raw
    assert key.secret() not in raw and key.secret().hex().encode() not in raw
    with DocumentStore(store_path, key) as reopened:
        (doc,) = reopened.documents(shipper.address)
        assert doc.document_hash == shared and doc.document_type is DocumentType.COMMERCIAL_INVOICE


def test_wrong_key_is_refused_at_open(store, store_path, shared):
    store.close()
    with pytest.raises(KeyUnavailable, match="fingerprint"):
        DocumentStore(store_path, StoreKey.generate())


def test_audit_log_records_refusals_and_detects_edits(store, shared, shipper, financier, buyer):
    store.request(financier.address, shipper.address, shared, PURPOSE)
    for who in (buyer, financier):
        with pytest.raises(ConsentDenied):
            store.request(who.address, shipper.address, shared, "OTHER")
    assert [e.outcome for e in store.audit()] == ["granted", "refused", "refused"]
    assert [e.reason for e in store.audit(outcome="refused")] == ["consent-not-granted"] * 2
    assert len(store.audit(financier=buyer.address)) == 1
    assert store.verify_audit() == 3
    with store.raw() as db:
        db.execute("UPDATE audit SET outcome = 'granted' WHERE id = 2")
    with pytest.raises(AuditLogBroken, match="entry 2"):
        store.verify_audit()


def test_failures_other_than_refusals_are_audited_too(store_path, key, shipper, financier):
    with DocumentStore(store_path, key) as bare, pytest.raises(DataError, match="no consent registry"):
        bare.request(financier.address, shipper.address, b"\x01" * 32, PURPOSE)
    with DocumentStore(store_path, key) as bare:
        (entry,) = bare.audit()
        assert (entry.outcome, entry.reason, entry.block) == ("failed", "DataError", None)


def test_key_sources(tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG, logger="tradefin")
    key = StoreKey.generate()
    path = tmp_path / "store.key"
    key.write(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert StoreKey.load(path).fingerprint == key.fingerprint
    assert StoreKey.load(env={"TRADEFIN_DATA_KEY": key.secret().hex()}).fingerprint == key.fingerprint
    assert StoreKey.load(env={"TRADEFIN_DATA_KEY_FILE": str(path)}).fingerprint == key.fingerprint
    raw = tmp_path / "raw.key"
    raw.write_bytes(key.secret())
    raw.chmod(0o644)
    assert StoreKey.load(raw).fingerprint == key.fingerprint
    assert "readable by others" in caplog.text
    assert key.secret().hex() not in repr(key) + str(key) + caplog.text
    with pytest.raises(KeyUnavailable, match="not overwriting"):
        key.write(path)
    with pytest.raises(KeyUnavailable, match="TRADEFIN_DATA_KEY"):
        StoreKey.load(env={})
    for bad in ("00" * 31, "zz" * 32):
        with pytest.raises(KeyUnavailable):
            StoreKey.load(env={"TRADEFIN_DATA_KEY": bad})
    with pytest.raises(KeyUnavailable, match="cannot read"):
        StoreKey.load(tmp_path / "missing.key")
