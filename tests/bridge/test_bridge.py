"""Shanghai -> Hong Kong: pledge, committee attestation, claim, confirm or reclaim, and every way it fails."""

from dataclasses import replace

import pytest
from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from tradefin import errors
from tradefin.bridge import PledgeStatus, attestation_signer, history_hash
from tradefin.ebl import ConsignmentForm, Status

from .conftest import HONG_KONG_CHAIN_ID, THRESHOLD

SHANGHAI_CHAIN_ID = 31337


@pytest.fixture
def pledged(sh_bridge, hk_registry, issue_sh, shipper, buyer, expiry):
    """A Shanghai bill owned by the shipper, pledged to the buyer in Hong Kong: (bill id, pledge id)."""
    bill = issue_sh(shipper)
    pledge = sh_bridge.pledge(
        bill,
        destination_chain_id=HONG_KONG_CHAIN_ID,
        destination_registry=hk_registry.address,
        recipient=buyer.address,
        expiry=expiry,
        sender=shipper,
    )
    return bill, pledge.pledge_id


def _claim(sh_bridge, hk_bridge, committee, pledge_id, relayer):
    attestation = sh_bridge.attestation(pledge_id)
    return hk_bridge.claim(attestation, committee.sign(attestation, hk_bridge.domain), sender=relayer)


def test_pledge_locks_the_bill_under_a_derived_id(sh_bridge, sh_registry, hk_registry, pledged, shipper, buyer, expiry):
    bill, pledge_id = pledged
    assert pledge_id == keccak(
        encode(["uint256", "address", "uint256", "uint256"], [31337, sh_registry.address, bill, 0])
    )
    record = sh_bridge.pledge_of(pledge_id)
    assert (record.bill_id, record.owner, record.status, record.expiry) == (
        bill,
        shipper.address,
        PledgeStatus.PENDING,
        expiry,
    )
    assert (record.destination_chain_id, record.destination_registry, record.recipient) == (
        HONG_KONG_CHAIN_ID,
        hk_registry.address,
        buyer.address,
    )
    assert sh_registry.locker_of(bill) == sh_bridge.address
    with pytest.raises(errors.TitleEncumbered):
        sh_registry.transfer_holder(bill, buyer.address, sender=shipper)


def test_python_and_solidity_agree_on_the_pledge_digest(sh_bridge, hk_bridge, pledged, committee):
    attestation = sh_bridge.attestation(pledged[1])
    message = encode_typed_data(full_message=attestation.typed_data(hk_bridge.domain))
    assert hk_bridge.pledge_digest(attestation) == keccak(b"\x19" + message.version + message.header + message.body)
    [signature] = committee.sign(attestation, hk_bridge.domain, signers=committee.members[:1])
    assert attestation_signer(attestation, hk_bridge.domain, signature) == committee.members[0].address


def test_full_trip_pledge_attest_claim_confirm(
    sh_bridge, hk_bridge, sh_registry, hk_registry, pledged, committee, shipper, buyer, deployer, carrier
):
    bill, pledge_id = pledged
    attestation = sh_bridge.attestation(pledge_id)
    assert attestation.history_hash == history_hash(sh_registry, bill)
    assert attestation.document_hash == bill.to_bytes(32, "big")

    receipt = hk_bridge.claim(attestation, committee.sign(attestation, hk_bridge.domain), sender=deployer)
    [claimed] = [e for e in hk_bridge.contract.decode_logs(receipt) if e.name == "BillClaimed"]
    assert (claimed["pledgeId"], claimed["billId"], claimed["recipient"]) == (pledge_id, bill, buyer.address)
    title = hk_registry.title(bill)
    assert (title.beneficiary, title.holder, title.status) == (buyer.address, buyer.address, Status.ACTIVE)
    assert title.form is ConsignmentForm.TO_ORDER
    provenance = hk_bridge.provenance(bill)
    assert (provenance.pledge_id, provenance.source_chain_id, provenance.source_registry, provenance.source_id) == (
        pledge_id,
        SHANGHAI_CHAIN_ID,
        sh_registry.address,
        bill,
    )
    assert provenance.history_hash == attestation.history_hash
    assert hk_bridge.is_claimed(pledge_id)

    sh_bridge.confirm(pledge_id, committee.sign(sh_bridge.claimed(pledge_id), sh_bridge.domain), sender=deployer)
    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.CONFIRMED
    # The source bill is final: locked to the bridge forever, every operation fails.
    for attempt in (
        lambda: sh_registry.transfer_holder(bill, buyer.address, sender=shipper),
        lambda: sh_registry.surrender(bill, sender=shipper),
        lambda: sh_registry.encumber(bill, sh_bridge.address, sender=shipper),
    ):
        with pytest.raises((errors.TitleEncumbered, errors.TitleAlreadyEncumbered)):
            attempt()
    with pytest.raises(errors.BridgePledgeNotPending) as caught:
        sh_bridge.reclaim(pledge_id, committee.sign(sh_bridge.not_claimed(pledge_id), sh_bridge.domain), sender=buyer)
    assert (caught.value.pledgeId, caught.value.status) == (pledge_id, int(PledgeStatus.CONFIRMED))
    # The bill lives on in Hong Kong.
    hk_registry.transfer_holder(bill, carrier.address, sender=buyer)


def test_reclaim_after_expiry_returns_the_bill(sh_bridge, sh_registry, pledged, committee, shipper, buyer, advance):
    bill, pledge_id = pledged
    advance(3601)
    receipt = sh_bridge.reclaim(
        pledge_id, committee.sign(sh_bridge.not_claimed(pledge_id), sh_bridge.domain), sender=buyer
    )
    [event] = [e for e in sh_bridge.contract.decode_logs(receipt) if e.name == "PledgeReclaimed"]
    assert (event["pledgeId"], event["billId"], event["owner"]) == (pledge_id, bill, shipper.address)
    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.RECLAIMED
    title = sh_registry.title(bill)
    assert not title.encumbered and title.beneficiary == shipper.address
    sh_registry.transfer_holder(bill, buyer.address, sender=shipper)


def test_early_reclaim_fails(sh_bridge, session_chain, pledged, committee, buyer, expiry):
    _, pledge_id = pledged
    with pytest.raises(errors.BridgePledgeNotExpired) as caught:
        sh_bridge.reclaim(pledge_id, committee.sign(sh_bridge.not_claimed(pledge_id), sh_bridge.domain), sender=buyer)
    assert (caught.value.pledgeId, caught.value.expiry) == (pledge_id, expiry)
    assert caught.value.timestamp <= expiry


def test_claim_replay_fails(sh_bridge, hk_bridge, pledged, committee, deployer, buyer):
    _, pledge_id = pledged
    _claim(sh_bridge, hk_bridge, committee, pledge_id, deployer)
    with pytest.raises(errors.BridgePledgeAlreadyClaimed) as caught:
        _claim(sh_bridge, hk_bridge, committee, pledge_id, buyer)
    assert caught.value.pledgeId == pledge_id


def test_claim_after_expiry_fails(sh_bridge, hk_bridge, pledged, committee, deployer, advance, expiry):
    _, pledge_id = pledged
    advance(3601)
    with pytest.raises(errors.BridgePledgeExpired) as caught:
        _claim(sh_bridge, hk_bridge, committee, pledge_id, deployer)
    assert (caught.value.pledgeId, caught.value.expiry) == (pledge_id, expiry)
    assert caught.value.timestamp > expiry


def test_too_few_signatures(sh_bridge, hk_bridge, pledged, committee, deployer):
    attestation = sh_bridge.attestation(pledged[1])
    signatures = committee.sign(attestation, hk_bridge.domain, signers=committee.members[:2])
    with pytest.raises(errors.BridgeTooFewSignatures) as caught:
        hk_bridge.claim(attestation, signatures, sender=deployer)
    assert (caught.value.count, caught.value.threshold) == (2, THRESHOLD)


def test_a_member_signing_twice_counts_once(sh_bridge, hk_bridge, pledged, committee, deployer):
    attestation = sh_bridge.attestation(pledged[1])
    first, second = committee.members[:2]
    signatures = committee.sign(attestation, hk_bridge.domain, signers=[first, second])
    signatures.append(signatures[0])
    with pytest.raises(errors.BridgeDuplicateSigner) as caught:
        hk_bridge.claim(attestation, signatures, sender=deployer)
    assert caught.value.signer == min((first.address, second.address), key=lambda a: int(a, 16))


def test_unknown_signer(sh_bridge, hk_bridge, pledged, committee, deployer):
    attestation = sh_bridge.attestation(pledged[1])
    outsider = Account.create()
    signatures = committee.sign(attestation, hk_bridge.domain, signers=[*committee.members[:2], outsider])
    with pytest.raises(errors.BridgeUnknownSigner) as caught:
        hk_bridge.claim(attestation, signatures, sender=deployer)
    assert caught.value.signer == outsider.address


def test_malformed_signature(sh_bridge, hk_bridge, pledged, committee, deployer):
    attestation = sh_bridge.attestation(pledged[1])
    signatures = committee.sign(attestation, hk_bridge.domain)
    signatures[1] = signatures[1][:64]
    with pytest.raises(errors.BridgeInvalidSignature) as caught:
        hk_bridge.claim(attestation, signatures, sender=deployer)
    assert caught.value.index == 1


def test_signatures_bind_domain_and_content(sh_bridge, hk_bridge, pledged, committee, deployer, carrier):
    attestation = sh_bridge.attestation(pledged[1])
    # signed over the Shanghai bridge's domain: recovers strangers on the Hong Kong bridge
    with pytest.raises(errors.BridgeUnknownSigner):
        hk_bridge.claim(attestation, committee.sign(attestation, sh_bridge.domain), sender=deployer)
    # a relayer who swaps the recipient invalidates every signature
    signatures = committee.sign(attestation, hk_bridge.domain)
    with pytest.raises(errors.BridgeUnknownSigner):
        hk_bridge.claim(replace(attestation, recipient=carrier.address), signatures, sender=deployer)


def test_claim_on_the_wrong_chain(sh_bridge, hk_registry, pledged, committee, deployer):
    attestation = sh_bridge.attestation(pledged[1])
    with pytest.raises(errors.BridgeWrongDestination) as caught:
        sh_bridge.claim(attestation, committee.sign(attestation, sh_bridge.domain), sender=deployer)
    assert (caught.value.chainId, caught.value.registry) == (HONG_KONG_CHAIN_ID, hk_registry.address)


def test_confirm_needs_the_attestation(sh_bridge, pledged, committee, deployer):
    _, pledge_id = pledged
    with pytest.raises(errors.BridgeTooFewSignatures) as caught:
        sh_bridge.confirm(pledge_id, [], sender=deployer)
    assert (caught.value.count, caught.value.threshold) == (0, THRESHOLD)
    # a NotClaimed attestation is not a Claimed one
    with pytest.raises(errors.BridgeUnknownSigner):
        sh_bridge.confirm(
            pledge_id, committee.sign(sh_bridge.not_claimed(pledge_id), sh_bridge.domain), sender=deployer
        )
    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.PENDING


def test_unknown_pledge(sh_bridge, committee, deployer):
    ghost = keccak(text="no such pledge")
    with pytest.raises(errors.BridgeUnknownPledge) as caught:
        sh_bridge.confirm(ghost, committee.sign(sh_bridge.claimed(ghost), sh_bridge.domain), sender=deployer)
    assert caught.value.pledgeId == ghost


def _pledge_data(chain_id, registry, recipient, expiry) -> bytes:
    return encode(["uint256", "address", "address", "uint64"], [chain_id, registry, recipient, expiry])


def test_pledge_data_is_checked(sh_bridge, sh_registry, hk_registry, issue_sh, shipper, buyer, expiry, session_chain):
    bill = issue_sh(shipper)
    with pytest.raises(errors.BridgeMalformedPledgeData) as caught:
        sh_registry.encumber(bill, sh_bridge.address, sender=shipper, data=b"abc")
    assert caught.value.length == 3
    with pytest.raises(errors.BridgeInvalidDestination) as caught:
        sh_registry.encumber(
            bill,
            sh_bridge.address,
            sender=shipper,
            data=_pledge_data(31337, hk_registry.address, buyer.address, expiry),
        )
    assert (caught.value.chainId, caught.value.registry) == (31337, hk_registry.address)
    with pytest.raises(errors.BridgeInvalidDestination) as caught:
        sh_bridge.pledge(
            bill,
            destination_chain_id=HONG_KONG_CHAIN_ID,
            destination_registry="0x" + "00" * 20,
            recipient=buyer.address,
            expiry=expiry,
            sender=shipper,
        )
    assert caught.value.chainId == HONG_KONG_CHAIN_ID
    with pytest.raises(errors.BridgeZeroAddress):
        sh_registry.encumber(
            bill,
            sh_bridge.address,
            sender=shipper,
            data=_pledge_data(HONG_KONG_CHAIN_ID, hk_registry.address, "0x" + "00" * 20, expiry),
        )
    past = session_chain.timestamp() - 1
    with pytest.raises(errors.BridgeInvalidExpiry) as caught:
        sh_registry.encumber(
            bill,
            sh_bridge.address,
            sender=shipper,
            data=_pledge_data(HONG_KONG_CHAIN_ID, hk_registry.address, buyer.address, past),
        )
    assert caught.value.expiry == past
    assert not sh_registry.title(bill).encumbered


def test_only_the_registry_opens_pledges(sh_bridge, hk_registry, shipper, buyer, expiry):
    with pytest.raises(errors.BridgeNotRegistry) as caught:
        sh_bridge.contract.transact(
            shipper,
            "onTitleEncumbered",
            shipper.address,
            1,
            _pledge_data(HONG_KONG_CHAIN_ID, hk_registry.address, buyer.address, expiry),
        )
    assert caught.value.caller == shipper.address


def test_pledge_ids_differ_after_a_reclaim(sh_bridge, hk_registry, pledged, committee, shipper, buyer, advance):
    bill, first = pledged
    advance(3601)
    sh_bridge.reclaim(first, committee.sign(sh_bridge.not_claimed(first), sh_bridge.domain), sender=buyer)
    expiry = max(sh_bridge.contract.transactor.chain.timestamp(), hk_registry.contract.transactor.chain.timestamp())
    second = sh_bridge.pledge(
        bill,
        destination_chain_id=HONG_KONG_CHAIN_ID,
        destination_registry=hk_registry.address,
        recipient=buyer.address,
        expiry=expiry + 3600,
        sender=shipper,
    ).pledge_id
    assert second != first
    # the old attestation cannot be reused for the new pledge
    with pytest.raises(errors.BridgePledgeNotPending):
        sh_bridge.reclaim(first, committee.sign(sh_bridge.not_claimed(first), sh_bridge.domain), sender=buyer)
