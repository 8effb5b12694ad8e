"""ConsentRegistry: grants, revocation, expiry, versions, and every Consent... error by name and arguments."""

import pytest
from eth_utils import keccak

from tradefin import errors
from tradefin.data import AccessStatus, purpose_code, purpose_name

from .conftest import DAY, PURPOSE, fresh_hash


@pytest.fixture
def doc() -> bytes:
    return fresh_hash("consent")


def test_grant_allows_only_the_named_financier_document_and_purpose(chain, consents, shipper, financier, buyer, doc):
    other = fresh_hash("other")
    expires = chain.timestamp() + 10 * DAY
    receipt = consents.grant(financier.address, [doc, doc], purpose=PURPOSE, expires_at=expires, sender=shipper)
    (event,) = consents.contract.decode_logs(receipt)
    assert event.name == "ConsentGranted" and event["version"] == 1 and event["expiresAt"] == expires
    status = consents.access_status
    assert status(shipper.address, financier.address, doc, PURPOSE) is AccessStatus.ALLOWED
    assert consents.is_allowed(shipper.address, financier.address, doc, PURPOSE)
    assert status(shipper.address, buyer.address, doc, PURPOSE) is AccessStatus.NOT_GRANTED
    assert status(shipper.address, financier.address, doc, "AUDIT") is AccessStatus.NOT_GRANTED
    assert status(buyer.address, financier.address, doc, PURPOSE) is AccessStatus.NOT_GRANTED
    assert status(shipper.address, financier.address, other, PURPOSE) is AccessStatus.DOCUMENT_NOT_COVERED
    consent = consents.consent(shipper.address, financier.address, PURPOSE)
    assert consent is not None and consent.document_count == 1 and consent.expires_at == expires
    assert consents.consent(shipper.address, buyer.address, PURPOSE) is None


def test_expiry_is_inclusive_then_expired(chain, consents, shipper, financier, doc):
    expires = chain.timestamp() + DAY
    consents.grant(financier.address, [doc], purpose=PURPOSE, expires_at=expires, sender=shipper)
    chain.set_next_block_timestamp(expires)
    chain.mine()
    assert consents.is_allowed(shipper.address, financier.address, doc, PURPOSE)
    chain.set_next_block_timestamp(expires + 1)
    chain.mine()
    assert consents.access_status(shipper.address, financier.address, doc, PURPOSE) is AccessStatus.EXPIRED
    with pytest.raises(errors.ConsentNotLive) as raised:
        consents.revoke(financier.address, purpose=PURPOSE, sender=shipper)
    assert raised.value.status == AccessStatus.EXPIRED


def test_revoke_then_regrant_starts_a_new_version(chain, consents, shipper, financier, doc):
    expires = chain.timestamp() + DAY
    consents.grant(financier.address, [doc], purpose=PURPOSE, expires_at=expires, sender=shipper)
    receipt = consents.revoke(financier.address, purpose=PURPOSE, sender=shipper)
    (event,) = consents.contract.decode_logs(receipt)
    assert event.name == "ConsentRevoked" and event["version"] == 1
    assert consents.access_status(shipper.address, financier.address, doc, PURPOSE) is AccessStatus.REVOKED
    with pytest.raises(errors.ConsentNotLive) as raised:
        consents.revoke(financier.address, purpose=PURPOSE, sender=shipper)
    assert raised.value.arguments == {
        "owner": shipper.address,
        "financier": financier.address,
        "purpose": purpose_code(PURPOSE),
        "status": AccessStatus.REVOKED,
    }
    other = fresh_hash("v2")
    consents.grant(financier.address, [other], purpose=PURPOSE, expires_at=expires, sender=shipper)
    consent = consents.consent(shipper.address, financier.address, PURPOSE)
    assert consent is not None and consent.version == 2 and consent.revoked_at == 0
    assert consents.is_allowed(shipper.address, financier.address, other, PURPOSE)
    # the first version's documents no longer count
    assert consents.access_status(shipper.address, financier.address, doc, PURPOSE) is AccessStatus.DOCUMENT_NOT_COVERED
    assert not consents.covers(shipper.address, financier.address, PURPOSE, doc)


def test_revoking_a_consent_never_granted(consents, shipper, financier):
    with pytest.raises(errors.ConsentNotLive) as raised:
        consents.revoke(financier.address, purpose=PURPOSE, sender=shipper)
    assert raised.value.status == AccessStatus.NOT_GRANTED


def test_only_the_owner_revokes_its_consent(chain, consents, shipper, financier, buyer, doc):
    consents.grant(financier.address, [doc], purpose=PURPOSE, expires_at=chain.timestamp() + DAY, sender=shipper)
    with pytest.raises(errors.ConsentNotLive) as raised:  # the buyer has no consent under its own key
        consents.revoke(financier.address, purpose=PURPOSE, sender=buyer)
    assert raised.value.owner == buyer.address
    assert consents.is_allowed(shipper.address, financier.address, doc, PURPOSE)


def test_require_allowed_reverts_with_the_reason(chain, consents, shipper, financier, buyer, doc):
    consents.grant(financier.address, [doc], purpose=PURPOSE, expires_at=chain.timestamp() + DAY, sender=shipper)
    consents.contract.call("requireAllowed", shipper.address, financier.address, doc, purpose_code(PURPOSE))
    with pytest.raises(errors.ConsentAccessDenied) as raised:
        consents.contract.call("requireAllowed", shipper.address, buyer.address, doc, purpose_code(PURPOSE))
    assert raised.value.arguments == {
        "owner": shipper.address,
        "financier": buyer.address,
        "documentHash": doc,
        "purpose": purpose_code(PURPOSE),
        "status": AccessStatus.NOT_GRANTED,
    }


def test_grant_validation(chain, consents, shipper, financier, doc):
    later = chain.timestamp() + DAY
    zero = "0x" + "00" * 20
    with pytest.raises(errors.ConsentZeroFinancier):
        consents.grant(zero, [doc], purpose=PURPOSE, expires_at=later, sender=shipper)
    with pytest.raises(errors.ConsentSelfGrant) as self_grant:
        consents.grant(shipper.address, [doc], purpose=PURPOSE, expires_at=later, sender=shipper)
    assert self_grant.value.owner == shipper.address
    with pytest.raises(errors.ConsentZeroPurpose):
        consents.grant(financier.address, [doc], purpose=b"\x00" * 32, expires_at=later, sender=shipper)
    with pytest.raises(errors.ConsentNoDocuments):
        consents.grant(financier.address, [], purpose=PURPOSE, expires_at=later, sender=shipper)
    limit = consents.max_documents()
    with pytest.raises(errors.ConsentTooManyDocuments) as too_many:
        consents.grant(financier.address, [doc] * (limit + 1), purpose=PURPOSE, expires_at=later, sender=shipper)
    assert too_many.value.arguments == {"count": limit + 1, "max": limit}
    with pytest.raises(errors.ConsentZeroDocument) as zero_doc:
        consents.grant(financier.address, [doc, b"\x00" * 32], purpose=PURPOSE, expires_at=later, sender=shipper)
    assert zero_doc.value.index == 1
    now = chain.timestamp()
    with pytest.raises(errors.ConsentExpiryNotInFuture) as past:
        consents.grant(financier.address, [doc], purpose=PURPOSE, expires_at=now - 1, sender=shipper)
    assert past.value.expiresAt == now - 1 and past.value.nowAt >= now


def test_purpose_codes_read_back():
    code = purpose_code("TRADE_FINANCE")
    assert len(code) == 32 and purpose_name(code) == "TRADE_FINANCE"
    digest = bytes(keccak(text="x"))
    assert purpose_code("0x" + digest.hex()) == digest and purpose_name(digest).startswith("0x")
    for bad in ("", "x" * 33, "prüfung"):
        with pytest.raises(errors.TradefinError):
            purpose_code(bad)
