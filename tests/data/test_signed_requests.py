"""Signed financier requests (EIP-712): served only when signed by the consent's grantee for this chain and consent
registry, before the deadline, with a fresh nonce; all documents or none; every attempt audited."""

from dataclasses import replace

import pytest
from eth_account.messages import encode_typed_data

from tradefin.data import (
    AccessStatus,
    ConsentDenied,
    DocumentRequest,
    RequestBadSignature,
    RequestExpired,
    RequestRefused,
    RequestReplayed,
    RequestWrongChain,
    RequestWrongRegistry,
    SignedDocumentRequest,
    content_hash,
    sign_document_request,
)
from tradefin.data.consent import purpose_code
from tradefin.data.requests import DOMAIN_NAME, FIELDS
from tradefin.errors import TradefinError

from .conftest import DAY, PURPOSE


@pytest.fixture
def sign(chain, consents, shipper):
    """The financier signs a request for the shipper's documents, valid for an hour of chain time."""

    def sign_(account, documents, **changes):
        fields = {
            "owner": shipper.address,
            "documents": documents,
            "purpose": PURPOSE,
            "chain_id": chain.chain_id,
            "registry": consents.address,
            "deadline": chain.timestamp() + 3600,
        } | changes
        return sign_document_request(account, **fields)

    return sign_


def _refused(store, signed, error, count=1):
    before = len(store.audit())
    with pytest.raises(error) as raised:
        store.serve(signed)
    entries = store.audit()[before:]
    assert len(entries) == count
    assert all(e.outcome == "refused" and e.financier == signed.request.financier for e in entries)
    return raised.value, entries


def test_a_signed_request_is_served_and_audited(store, shared, sign, shipper, financier):
    signed = sign(financier, [shared])
    assert signed.signer() == financier.address
    served = store.serve(signed)
    assert list(served) == [shared] and content_hash(served[shared]) == shared
    (entry,) = store.audit()
    assert (entry.outcome, entry.reason, entry.financier, entry.owner) == (
        "granted",
        "served",
        financier.address,
        shipper.address,
    )
    assert f"nonce {signed.request.nonce:#x}" in entry.detail and store.verify_audit() == 1


def test_the_message_is_eip712_over_chain_id_and_consent_registry(chain, consents, sign, shared, financier):
    signed = sign(financier, [shared], nonce=7)
    data = signed.request.typed_data()
    assert data["domain"] == {
        "name": DOMAIN_NAME,
        "version": "1",
        "chainId": chain.chain_id,
        "verifyingContract": consents.address,
    }
    assert [f["name"] for f in FIELDS] == ["financier", "owner", "documents", "purpose", "nonce", "deadline"]
    assert data["message"]["financier"] == financier.address and data["message"]["nonce"] == 7
    assert data["message"]["purpose"] == purpose_code(PURPOSE)
    # it travels as JSON and verifies the same
    again = SignedDocumentRequest.from_json(signed.to_json())
    assert again == signed and again.signer() == financier.address


def test_a_replayed_request_is_refused(store, shared, sign, financier):
    signed = sign(financier, [shared])
    store.serve(signed)
    exc, [entry] = _refused(store, signed, RequestReplayed)
    assert exc.reason == entry.reason == "nonce-used" and "replay" in str(exc)
    # the same nonce in a new request is a replay too; a fresh nonce is served
    _refused(store, sign(financier, [shared], nonce=signed.request.nonce), RequestReplayed)
    assert store.serve(sign(financier, [shared]))


def test_a_request_past_its_deadline_is_refused(chain, store, shared, sign, financier):
    signed = sign(financier, [shared], deadline=chain.timestamp() + 60)
    chain.increase_time(61)
    chain.mine()
    _, [entry] = _refused(store, signed, RequestExpired)
    assert entry.reason == "request-expired" and entry.block_time > signed.request.deadline
    # the deadline's own second is still in time
    on_time = sign(financier, [shared], deadline=chain.timestamp())
    assert store.serve(on_time)


def test_a_request_for_another_chain_is_refused(chain, store, shared, sign, financier):
    exc, [entry] = _refused(store, sign(financier, [shared], chain_id=chain.chain_id + 1), RequestWrongChain)
    assert entry.reason == "wrong-chain" and str(chain.chain_id + 1) in str(exc)


def test_a_request_for_another_consent_registry_is_refused(store, shared, sign, financier, anchors):
    _, [entry] = _refused(store, sign(financier, [shared], registry=anchors.address), RequestWrongRegistry)
    assert entry.reason == "wrong-registry"


def test_a_request_signed_by_someone_else_is_refused(store, shared, sign, financier, buyer):
    """The buyer signs a request naming the financier (the consent's grantee): the signature recovers the buyer."""
    request = replace(sign(buyer, [shared]).request, financier=financier.address)
    signature = buyer.sign_message(encode_typed_data(full_message=request.typed_data())).signature
    forged = SignedDocumentRequest(request, bytes(signature))
    assert forged.signer() == buyer.address
    exc, [entry] = _refused(store, forged, RequestBadSignature)
    assert (entry.reason, entry.financier) == ("bad-signature", financier.address)
    assert buyer.address in str(exc)


def test_a_tampered_request_is_refused(store, shared, sign, financier, deposit_document):
    """Changing any field after signing (here the documents) breaks the signature."""
    signed = sign(financier, [shared])
    other = deposit_document()
    tampered = SignedDocumentRequest(replace(signed.request, documents=(other,)), signed.signature)
    _refused(store, tampered, RequestBadSignature)
    garbage = SignedDocumentRequest(signed.request, b"\x00" * 65)
    exc, _ = _refused(store, garbage, RequestBadSignature)
    assert "nobody" in str(exc) or "recovers" in str(exc)


def test_a_refused_signature_does_not_spend_the_nonce(store, shared, sign, financier, buyer):
    signed = sign(financier, [shared], nonce=99)
    forged = SignedDocumentRequest(replace(signed.request, deadline=signed.request.deadline + 1), signed.signature)
    _refused(store, forged, RequestBadSignature)
    assert store.serve(signed)


def test_consent_is_still_required_and_the_nonce_is_spent(store, consents, shared, sign, shipper, financier):
    consents.revoke(financier.address, purpose=PURPOSE, sender=shipper)
    signed = sign(financier, [shared])
    exc, [entry] = _refused(store, signed, ConsentDenied)
    assert exc.status is AccessStatus.REVOKED and entry.reason == "consent-revoked"
    _refused(store, signed, RequestReplayed)


def test_all_documents_or_none(chain, store, consents, deposit_document, sign, shipper, financier):
    granted, other = deposit_document(), deposit_document()
    consents.grant(
        financier.address, [granted], purpose=PURPOSE, expires_at=chain.timestamp() + 30 * DAY, sender=shipper
    )
    exc, entries = _refused(store, sign(financier, [granted, other]), ConsentDenied, count=2)
    assert exc.document_hash == other and exc.status is AccessStatus.DOCUMENT_NOT_COVERED
    assert [(e.document_hash, e.reason) for e in entries] == [
        ("0x" + granted.hex(), RequestRefused.reason),
        ("0x" + other.hex(), "consent-document-not-covered"),
    ]
    assert entries[0].block == entries[1].block  # judged at one block
    consents.grant(
        financier.address, [granted, other], purpose=PURPOSE, expires_at=chain.timestamp() + 30 * DAY, sender=shipper
    )
    assert set(store.serve(sign(financier, [granted, other]))) == {granted, other}
    assert store.verify_audit() == 4


def test_a_request_must_name_a_document(chain, consents, financier, shipper):
    with pytest.raises(TradefinError, match="at least one document"):
        sign_document_request(
            financier,
            owner=shipper.address,
            documents=[],
            purpose=PURPOSE,
            chain_id=chain.chain_id,
            registry=consents.address,
            deadline=chain.timestamp() + 60,
        )
    unsigned = DocumentRequest(financier.address, shipper.address, (), purpose_code(PURPOSE), 1, 0, 1, consents.address)
    assert SignedDocumentRequest(unsigned, b"").signer() is None


def test_an_empty_request_is_refused_and_audited(chain, store, consents, financier, shipper):
    request = DocumentRequest(
        financier.address, shipper.address, (), purpose_code(PURPOSE), 5, chain.timestamp() + 60, chain.chain_id,
        consents.address,
    )  # fmt: skip
    _, [entry] = _refused(store, SignedDocumentRequest(request, b""), RequestRefused)
    assert entry.reason == "request-refused" and entry.document_hash == "0x" + "00" * 32


def test_malformed_json_is_an_error():
    with pytest.raises(TradefinError, match="not a signed document request"):
        SignedDocumentRequest.from_json({"financier": "0x" + "11" * 20})
