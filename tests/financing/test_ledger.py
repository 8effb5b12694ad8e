"""The financing ledger: one live claim per key, held by an authorised finance contract, cleared only by it."""

import pytest
from eth_utils import keccak

from tradefin import errors
from tradefin.finance.ledger import FINANCE_ROLE, ClaimKind, FinancingLedger, bill_key, invoice_key

from .conftest import ZERO, fresh_hash

LOAN_7 = (7).to_bytes(32, "big")
LOAN_8 = (8).to_bytes(32, "big")


@pytest.fixture
def authorised(ledger, deployer, financier, advising_bank):
    """Two accounts acting as finance contracts (the ledger only cares about the caller)."""
    ledger.authorise(financier.address, sender=deployer)
    ledger.authorise(advising_bank.address, sender=deployer)
    return financier, advising_bank


def test_claim_and_clear(ledger, authorised, chain):
    fin, _ = authorised
    key = fresh_hash("invoice")
    assert ledger.financed_by(key) is None and not ledger.is_financed(key)
    receipt = ledger.claim(ClaimKind.INVOICE, key, LOAN_7, sender=fin)
    claim = ledger.financed_by(key)
    assert claim is not None and ledger.is_financed(key)
    assert (claim.claimant, claim.kind, claim.financing_id) == (fin.address, ClaimKind.INVOICE, LOAN_7)
    assert claim.since == chain.timestamp()
    [event] = ledger.contract.decode_logs(receipt)
    assert event.name == "FinancingClaimed"
    assert (event["kind"], event["key"], event["claimant"], event["financingId"]) == (1, key, fin.address, LOAN_7)
    receipt = ledger.clear(ClaimKind.INVOICE, key, LOAN_7, sender=fin)
    assert ledger.financed_by(key) is None
    [event] = ledger.contract.decode_logs(receipt)
    assert event.name == "FinancingCleared" and event["claimant"] == fin.address
    ledger.claim(ClaimKind.INVOICE, key, LOAN_8, sender=fin)  # a cleared key may be financed again
    assert ledger.financed_by(key).financing_id == LOAN_8


def test_second_claim_names_the_current_holder(ledger, authorised):
    fin, other = authorised
    key = fresh_hash("invoice")
    ledger.claim(ClaimKind.INVOICE, key, LOAN_7, sender=fin)
    for claimant, kind in ((other, ClaimKind.INVOICE), (fin, ClaimKind.INVOICE)):
        with pytest.raises(errors.LedgerAlreadyFinanced) as caught:
            ledger.claim(kind, key, LOAN_8, sender=claimant)
        assert caught.value.arguments == {
            "key": key,
            "kind": ClaimKind.INVOICE,
            "claimant": fin.address,
            "financingId": LOAN_7,
        }


def test_only_the_finance_role_claims(ledger, shipper):
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as caught:
        ledger.claim(ClaimKind.BILL, fresh_hash(), LOAN_7, sender=shipper)
    assert (caught.value.account, caught.value.neededRole) == (shipper.address, FINANCE_ROLE)


def test_zero_key_is_refused(ledger, authorised):
    with pytest.raises(errors.LedgerZeroKey):
        ledger.claim(ClaimKind.BILL, bytes(32), LOAN_7, sender=authorised[0])


def test_clear_needs_a_live_claim(ledger, authorised):
    key = fresh_hash()
    with pytest.raises(errors.LedgerNotFinanced) as caught:
        ledger.clear(ClaimKind.BILL, key, LOAN_7, sender=authorised[0])
    assert caught.value.key == key


def test_only_the_claimant_clears_its_own_claim(ledger, authorised, shipper):
    fin, other = authorised
    key = fresh_hash()
    ledger.claim(ClaimKind.BILL, key, LOAN_7, sender=fin)
    expected = {"key": key, "claimant": fin.address, "kind": ClaimKind.BILL, "financingId": LOAN_7}
    for sender, kind, fid in (
        (other, ClaimKind.BILL, LOAN_7),  # another finance contract
        (shipper, ClaimKind.BILL, LOAN_7),  # anybody
        (fin, ClaimKind.BILL, LOAN_8),  # another financing of the same claimant
    ):
        with pytest.raises(errors.LedgerNotClaimant) as caught:
            ledger.clear(kind, key, fid, sender=sender)
        assert caught.value.arguments == {"caller": sender.address, **expected}
    with pytest.raises(errors.LedgerNotFinanced):  # wrong kind: nothing is claimed in the invoice namespace
        ledger.clear(ClaimKind.INVOICE, key, LOAN_7, sender=fin)
    assert ledger.financed_by(key).claimant == fin.address


def test_bills_and_invoices_are_separate_namespaces(ledger, authorised):
    """An invoice hash equal to a bill's key claims nothing of that bill, and the other way round."""
    fin, other = authorised
    key = fresh_hash()
    ledger.claim(ClaimKind.INVOICE, key, LOAN_7, sender=fin)
    ledger.claim(ClaimKind.BILL, key, LOAN_8, sender=other)
    assert ledger.claim_of(ClaimKind.INVOICE, key).financing_id == LOAN_7
    assert ledger.claim_of(ClaimKind.BILL, key).financing_id == LOAN_8
    assert ledger.financed_by(key).kind is ClaimKind.BILL  # a bill claim is reported first


def test_revoked_claimant_still_clears_but_no_longer_claims(ledger, authorised, deployer):
    fin, _ = authorised
    key = fresh_hash()
    ledger.claim(ClaimKind.BILL, key, LOAN_7, sender=fin)
    ledger.revoke(fin.address, sender=deployer)
    assert not ledger.is_authorised(fin.address)
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        ledger.claim(ClaimKind.BILL, fresh_hash(), LOAN_8, sender=fin)
    ledger.clear(ClaimKind.BILL, key, LOAN_7, sender=fin)
    assert ledger.financed_by(key) is None


def test_bill_key_matches_the_contract(ledger, registry):
    assert ledger.bill_key(registry.address, 12345) == bill_key(registry.address, 12345)
    assert bill_key(registry.address, 1) != bill_key(registry.address, 2)


def test_invoice_key_is_scoped_by_registry_and_matches_the_contract(ledger, registry, loans):
    invoice = keccak(b"x")
    key = invoice_key(registry.address, invoice)
    assert ledger.invoice_key(registry.address, invoice) == key
    assert key == keccak(bytes(12) + bytes.fromhex(registry.address[2:]) + invoice)  # abi.encode(registry, hash)
    assert key != invoice  # no longer the bare hash
    assert invoice_key(loans.address, invoice) != key  # the same invoice under another registry is another key
    assert ledger.invoice_key(loans.address, invoice) == invoice_key(loans.address, invoice)
    assert invoice_key(registry.address.lower(), invoice) == key  # any spelling of the address
    with pytest.raises(errors.TradefinError):
        invoice_key(registry.address, b"short")


def test_only_the_admin_authorises(ledger, shipper, financier):
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        ledger.authorise(financier.address, sender=shipper)


def test_admin_hands_over_in_two_steps(ctx, chain, deployer, buyer, shipper, financier):
    ledger = FinancingLedger.deploy(ctx, deployer, deployment_name="HandoverLedger")
    contract = ledger.contract
    with pytest.raises(errors.AccessControlEnforcedDefaultAdminRules):
        contract.transact(deployer, "grantRole", bytes(32), buyer.address)  # no one-step handover
    contract.transact(deployer, "beginDefaultAdminTransfer", buyer.address)
    assert contract.call("defaultAdmin") == deployer.address
    chain.increase_time(1)
    with pytest.raises(errors.AccessControlInvalidDefaultAdmin) as caught:
        contract.transact(shipper, "acceptDefaultAdminTransfer")
    assert caught.value.defaultAdmin == shipper.address
    contract.transact(buyer, "acceptDefaultAdminTransfer")
    assert contract.call("defaultAdmin") == buyer.address
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        ledger.authorise(financier.address, sender=deployer)
    ledger.authorise(financier.address, sender=buyer)
    assert ledger.is_authorised(financier.address)
    assert contract.call("pendingDefaultAdmin")[0] == ZERO
