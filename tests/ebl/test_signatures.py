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
