"""DocumentAnchors: anchors are per issuer (each issuer anchors a hash once, ever, and revokes only its own), no one
can block another issuer's anchor, and every Anchor... error by name."""

import pytest

from tradefin import errors
from tradefin.data import DocumentType
from tradefin.data.anchors import reason_code

from .conftest import fresh_hash


def test_anchor_records_issuer_type_and_time(chain, anchors, shipper, buyer):
    doc = fresh_hash("anchor")
    receipt = anchors.anchor(doc, DocumentType.PACKING_LIST, sender=shipper)
    (event,) = anchors.contract.decode_logs(receipt)
    assert event.name == "DocumentAnchored" and event["issuer"] == shipper.address
    anchor = anchors.anchor_of(shipper.address, doc)
    assert anchor is not None and anchor.issuer == shipper.address and anchor.document_hash == doc
    assert anchor.document_type is DocumentType.PACKING_LIST and anchor.anchored_at == chain.timestamp()
    assert anchor.valid and anchors.is_valid(shipper.address, doc)
    assert anchors.is_valid_from(doc, shipper.address, DocumentType.PACKING_LIST)
    assert not anchors.is_valid_from(doc, shipper.address, DocumentType.COMMERCIAL_INVOICE)
    assert anchors.anchor_of(shipper.address, fresh_hash("never")) is None
    assert anchors.anchor_of(buyer.address, doc) is None and not anchors.is_valid(buyer.address, doc)


def test_an_issuer_anchors_a_hash_once(chain, anchors, shipper):
    doc = fresh_hash("twice")
    anchors.anchor(doc, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    at = chain.timestamp()
    for kind in (DocumentType.COMMERCIAL_INVOICE, DocumentType.CERTIFICATE_OF_ORIGIN):
        with pytest.raises(errors.AnchorAlreadyExists) as raised:
            anchors.anchor(doc, kind, sender=shipper)
        assert raised.value.arguments == {"documentHash": doc, "issuer": shipper.address, "anchoredAt": at}
    with pytest.raises(errors.AnchorAlreadyExists):
        anchors.anchor_batch([(doc, DocumentType.PACKING_LIST)], sender=shipper)


def test_two_issuers_anchor_the_same_hash_each_valid_only_for_itself(anchors, shipper, buyer):
    doc = fresh_hash("shared")
    anchors.anchor(doc, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    anchors.anchor(doc, DocumentType.PACKING_LIST, sender=buyer)
    assert anchors.is_valid_from(doc, shipper.address, DocumentType.COMMERCIAL_INVOICE)
    assert anchors.is_valid_from(doc, buyer.address, DocumentType.PACKING_LIST)
    assert not anchors.is_valid_from(doc, shipper.address, DocumentType.PACKING_LIST)
    assert not anchors.is_valid_from(doc, buyer.address, DocumentType.COMMERCIAL_INVOICE)
    anchors.revoke(doc, sender=buyer)
    assert not anchors.is_valid_from(doc, buyer.address, DocumentType.PACKING_LIST)
    assert anchors.is_valid_from(doc, shipper.address, DocumentType.COMMERCIAL_INVOICE)  # untouched


def test_only_the_issuer_revokes_its_own_anchor_and_only_once(chain, anchors, shipper, buyer):
    doc = fresh_hash("revoke")
    anchors.anchor(doc, DocumentType.CERTIFICATE_OF_ORIGIN, sender=shipper)
    with pytest.raises(errors.AnchorNotFound) as raised:  # the buyer has no anchor of its own to revoke
        anchors.revoke(doc, sender=buyer)
    assert raised.value.arguments == {"documentHash": doc}
    assert anchors.is_valid(shipper.address, doc)
    receipt = anchors.revoke(doc, sender=shipper, reason="superseded")
    (event,) = anchors.contract.decode_logs(receipt)
    assert event.name == "AnchorRevoked" and event["reason"] == reason_code("superseded")
    assert event["issuer"] == shipper.address
    revoked_at = chain.timestamp()
    assert not anchors.is_valid(shipper.address, doc)
    anchor = anchors.anchor_of(shipper.address, doc)
    assert anchor is not None and anchor.revoked_at == revoked_at and not anchor.valid
    with pytest.raises(errors.AnchorAlreadyRevoked) as again:
        anchors.revoke(doc, sender=shipper)
    assert again.value.arguments == {"documentHash": doc, "revokedAt": revoked_at}
    with pytest.raises(errors.AnchorAlreadyExists):  # a revoked hash stays spent for its issuer
        anchors.anchor(doc, DocumentType.CERTIFICATE_OF_ORIGIN, sender=shipper)


def test_front_run_and_revoke_does_not_block_the_issuer(anchors, shipper, buyer):
    """An attacker who copies the issuer's pending anchor, anchors it first and revokes it spends only its own."""
    doc = fresh_hash("front-run")
    anchors.anchor(doc, DocumentType.COMMERCIAL_INVOICE, sender=buyer)
    anchors.revoke(doc, sender=buyer, reason="griefing")
    anchors.anchor(doc, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    assert anchors.is_valid_from(doc, shipper.address, DocumentType.COMMERCIAL_INVOICE)
    assert not anchors.is_valid(buyer.address, doc)


def test_revoking_what_was_never_anchored(anchors, shipper):
    doc = fresh_hash("ghost")
    with pytest.raises(errors.AnchorNotFound) as raised:
        anchors.revoke(doc, sender=shipper)
    assert raised.value.documentHash == doc


def test_zero_hash_and_batches(anchors, shipper):
    with pytest.raises(errors.AnchorZeroHash):
        anchors.anchor(b"\x00" * 32, DocumentType.COMMERCIAL_INVOICE, sender=shipper)
    docs = [(fresh_hash("batch"), DocumentType(i % 3)) for i in range(3)]
    anchors.anchor_batch(docs, sender=shipper)
    assert all(anchors.is_valid_from(d, shipper.address, t) for d, t in docs)
    with pytest.raises(errors.AnchorBadBatch) as empty:
        anchors.anchor_batch([], sender=shipper)
    limit = int(anchors.contract.call("maxBatch"))
    assert empty.value.arguments == {"count": 0, "max": limit}
    with pytest.raises(errors.AnchorBadBatch):
        anchors.anchor_batch([(fresh_hash("big"), DocumentType.PACKING_LIST)] * (limit + 1), sender=shipper)
    with pytest.raises(errors.AnchorLengthMismatch) as mismatch:
        anchors.contract.transact(shipper, "anchorBatch", [fresh_hash("m")], [0, 1])
    assert mismatch.value.arguments == {"hashes": 1, "types": 2}
    fresh = fresh_hash("new")
    with pytest.raises(errors.AnchorAlreadyExists):  # all or none: the duplicate undoes the batch
        anchors.anchor_batch([(fresh, DocumentType.PACKING_LIST), docs[0]], sender=shipper)
    assert anchors.anchor_of(shipper.address, fresh) is None
    twice = fresh_hash("twice in one batch")
    with pytest.raises(errors.AnchorAlreadyExists):
        anchors.anchor_batch([(twice, DocumentType.PACKING_LIST), (twice, DocumentType.PACKING_LIST)], sender=shipper)


def test_document_type_names():
    assert DocumentType.parse("invoice") is DocumentType.COMMERCIAL_INVOICE
    assert DocumentType.parse("packing-list") is DocumentType.PACKING_LIST
    assert DocumentType.parse("Certificate of Origin") is DocumentType.CERTIFICATE_OF_ORIGIN
    with pytest.raises(errors.TradefinError, match="unknown document type"):
        DocumentType.parse("waybill")
