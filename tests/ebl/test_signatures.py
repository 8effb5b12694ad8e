"""EIP-712 signed endorsements and holder transfers: anyone relays, nothing replays."""

import pytest
from eth_account import Account

from tradefin import errors
from tradefin.ebl.signing import sign_request


def test_relayer_submits_a_signed_holder_transfer(registry, issue_bill, shipper, buyer, relayer):
    bill = issue_bill(shipper)
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper, remark="by signature")
    assert registry.nonce(shipper.address) == 0
    receipt = registry.relay(signed, sender=relayer)
    assert registry.title(bill).holder == buyer.address
    assert registry.nonce(shipper.address) == 1
    assert receipt.sender == relayer.address
    history = registry.history(bill)
    assert history.current.action == "holder_transferred" and history.current.actor == shipper.address


def test_signed_nomination_and_endorsement(registry, issue_bill, shipper, advising_bank, buyer, relayer):
    bill = issue_bill(shipper, advising_bank)
    registry.relay(registry.sign("Nominate", bill, buyer.address, signer=shipper), sender=relayer)
    assert registry.is_nominee(bill, buyer.address)
    registry.relay(registry.sign("TransferBeneficiary", bill, buyer.address, signer=advising_bank), sender=relayer)
    assert registry.title(bill).beneficiary == buyer.address


def test_replay_fails(registry, issue_bill, shipper, buyer, relayer):
    bill = issue_bill(shipper)
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper)
    registry.relay(signed, sender=relayer)
    with pytest.raises(errors.TitleNonceUsed) as caught:
        registry.relay(signed, sender=relayer)
    assert (caught.value.signer, caught.value.nonce) == (shipper.address, 0)


def test_nonce_from_the_future_fails(registry, issue_bill, shipper, buyer, relayer):
    bill = issue_bill(shipper)
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper, nonce=5)
    with pytest.raises(errors.TitleInvalidNonce) as caught:
        registry.relay(signed, sender=relayer)
    assert (caught.value.nonce, caught.value.expected) == (5, 0)


def test_expired_signature_fails(registry, issue_bill, shipper, buyer, relayer, chain):
    bill = issue_bill(shipper)
    deadline = chain.timestamp() + 60
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper, deadline=deadline)
    chain.increase_time(120)
    with pytest.raises(errors.TitleSignatureExpired) as caught:
        registry.relay(signed, sender=relayer)
    assert caught.value.deadline == deadline


def test_signature_of_someone_else_fails(registry, issue_bill, shipper, buyer, relayer):
    bill = issue_bill(shipper)
    forged = registry.sign("TransferHolder", bill, buyer.address, signer=buyer)
    claimed = type(forged)(
        forged.action, forged.id, shipper.address, forged.target, forged.remark, 0, forged.deadline, forged.signature
    )
    with pytest.raises(errors.TitleInvalidSignature) as caught:
        registry.relay(claimed, sender=relayer)
    assert caught.value.signer == shipper.address


def test_signature_bound_to_chain_and_registry(registry, issue_bill, shipper, buyer, relayer, chain):
    bill = issue_bill(shipper)
    deadline = chain.timestamp() + 600
    for chain_id, verifying in ((chain.chain_id + 1, registry.address), (chain.chain_id, buyer.address)):
        signed = sign_request(
            shipper,
            "TransferHolder",
            chain_id=chain_id,
            registry=verifying,
            title_id=bill,
            target=buyer.address,
            remark=b"",
            nonce=0,
            deadline=deadline,
        )
        with pytest.raises(errors.TitleInvalidSignature):
            registry.relay(signed, sender=relayer)


def test_tampered_target_fails(registry, issue_bill, shipper, buyer, financier, relayer):
    bill = issue_bill(shipper)
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper)
    tampered = type(signed)(
        signed.action,
        signed.id,
        signed.signer,
        financier.address,
        signed.remark,
        signed.nonce,
        signed.deadline,
        signed.signature,
    )
    with pytest.raises(errors.TitleInvalidSignature):
        registry.relay(tampered, sender=relayer)


def test_signed_request_still_obeys_the_title_rules(registry, issue_bill, shipper, advising_bank, buyer, relayer):
    bill = issue_bill(shipper, advising_bank)
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper)  # shipper is not the holder
    with pytest.raises(errors.TitleNotHolder):
        registry.relay(signed, sender=relayer)


def test_domain_separator_matches_eip712(registry, chain):
    from eth_account.messages import encode_typed_data

    message = encode_typed_data(
        full_message={
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Nothing": [],
            },
            "primaryType": "Nothing",
            "domain": {
                "name": "TitleRegistry",
                "version": "1",
                "chainId": chain.chain_id,
                "verifyingContract": registry.address,
            },
            "message": {},
        }
    )
    assert registry.contract.call("DOMAIN_SEPARATOR") == message.header
    assert Account  # eth-account signs the same digest the contract checks


# -- cancelling signatures handed out (invalidateNonces) -------------------------------------------------------------

WEEK = 7 * 86_400


def test_a_cancelled_signature_cannot_be_relayed_after_the_bill_comes_back(
    registry, issue_bill, shipper, buyer, financier, relayer, chain
):
    """The review's scenario: the shipper signs a transfer to the buyer, the deal changes, it transfers to another
    buyer directly, who rejects; the bill is back with the shipper and the old signature would still move it.
    Once the shipper invalidates its nonce, relaying the old signature fails, and a fresh one still works."""
    bill = issue_bill(shipper)
    stale = registry.sign("TransferHolder", bill, buyer.address, signer=shipper, deadline=chain.timestamp() + WEEK)
    registry.transfer_holder(bill, financier.address, sender=shipper)
    registry.reject_transfer_holder(bill, sender=financier)
    assert registry.title(bill).holder == shipper.address
    assert registry.nonce(shipper.address) == 0  # direct calls use no nonce: the stale signature is still live

    receipt = registry.invalidate_nonces(sender=shipper)
    assert registry.nonce(shipper.address) == 1
    [event] = registry.contract.decode_logs(receipt)
    assert (event.name, event["signer"], event["oldNonce"], event["newNonce"]) == (
        "NoncesInvalidated",
        shipper.address,
        0,
        1,
    )
    with pytest.raises(errors.TitleNonceUsed) as caught:
        registry.relay(stale, sender=relayer)
    assert (caught.value.signer, caught.value.nonce) == (shipper.address, 0)
    assert registry.title(bill).holder == shipper.address

    fresh = registry.sign("TransferHolder", bill, financier.address, signer=shipper)
    assert fresh.nonce == 1
    registry.relay(fresh, sender=relayer)
    assert registry.title(bill).holder == financier.address
    assert registry.nonce(shipper.address) == 2


def test_invalidating_up_to_a_nonce_cancels_every_signature_below_it(registry, issue_bill, shipper, buyer, relayer):
    bill = issue_bill(shipper)
    handed_out = [registry.sign("TransferHolder", bill, buyer.address, signer=shipper, nonce=n) for n in range(3)]
    registry.invalidate_nonces(sender=shipper, new_nonce=3)
    assert registry.nonce(shipper.address) == 3
    for signed in handed_out:
        with pytest.raises(errors.TitleNonceUsed) as caught:
            registry.relay(signed, sender=relayer)
        assert caught.value.nonce == signed.nonce
    assert registry.title(bill).holder == shipper.address


def test_one_signers_invalidation_leaves_another_signers_signatures(
    registry, issue_bill, shipper, advising_bank, buyer, relayer
):
    theirs = issue_bill(advising_bank)
    ours = issue_bill(shipper)
    kept = registry.sign("TransferHolder", theirs, buyer.address, signer=advising_bank)
    cancelled = registry.sign("TransferHolder", ours, buyer.address, signer=shipper)
    registry.invalidate_nonces(sender=shipper)
    assert registry.nonce(advising_bank.address) == 0
    registry.relay(kept, sender=relayer)
    assert registry.title(theirs).holder == buyer.address
    with pytest.raises(errors.TitleNonceUsed):
        registry.relay(cancelled, sender=relayer)


def test_nonces_never_go_back(registry, shipper):
    registry.invalidate_nonces(sender=shipper, new_nonce=5)
    for lower in (5, 4, 0):
        with pytest.raises(errors.TitleNonceNotIncreased) as caught:
            registry.invalidate_nonces(sender=shipper, new_nonce=lower)
        assert (caught.value.signer, caught.value.newNonce, caught.value.current) == (shipper.address, lower, 5)
    assert registry.nonce(shipper.address) == 5


def test_a_signer_cancels_while_the_registry_is_paused(registry, issue_bill, carrier, shipper, buyer, relayer):
    """Cancelling moves no title and harms no one: the pause does not stop it; the relay stays paused."""
    bill = issue_bill(shipper)
    signed = registry.sign("TransferHolder", bill, buyer.address, signer=shipper)
    registry.pause(sender=carrier)
    registry.invalidate_nonces(sender=shipper)
    with pytest.raises(errors.EnforcedPause):
        registry.relay(signed, sender=relayer)
    registry.unpause(sender=carrier)
    with pytest.raises(errors.TitleNonceUsed):
        registry.relay(signed, sender=relayer)


def test_the_last_nonce_is_never_usable(registry, issue_bill, shipper, buyer, relayer):
    """Invalidating up to 2**256 - 1 does not wrap: the signature carrying the last nonce reverts on the increment
    (a panic) and every earlier signature stays cancelled."""
    bill = issue_bill(shipper)
    last = 2**256 - 1
    registry.invalidate_nonces(sender=shipper, new_nonce=last)
    with pytest.raises(errors.Panic) as caught:
        registry.relay(registry.sign("TransferHolder", bill, buyer.address, signer=shipper), sender=relayer)
    assert caught.value.code == 0x11
    assert registry.nonce(shipper.address) == last
    with pytest.raises(errors.TitleNonceUsed):
        registry.relay(registry.sign("TransferHolder", bill, buyer.address, signer=shipper, nonce=0), sender=relayer)
