"""Hostile tokens and parties: re-entry mid-payment fails and undoes the whole transaction; a silently failing
token is caught by SafeERC20; a contract pretending to be a registry is refused."""

import pytest

from tradefin import errors
from tradefin.finance.collection import CollectionStatus
from tradefin.finance.ledger import ClaimKind, bill_key
from tradefin.finance.loan import LoanStatus, financing_id, pledge_data
from tradefin.transactions import Contract

from .conftest import MAX_UINT, UNIT, ZERO


@pytest.fixture
def hostile(ctx, deployer, accounts, loans, collections) -> Contract:
    """A hostile token; the trade parties hold some and approved both escrow contracts."""
    token = ctx.deployments.deploy(deployer, "HostileToken", name="HostileToken")
    for role in ("shipper", "buyer", "financier"):
        account = accounts[role]
        token.transact(account, "mint", account.address, 1_000 * UNIT)
        token.transact(account, "approve", loans.address, MAX_UINT)
        token.transact(account, "approve", collections.address, MAX_UINT)
    return token


@pytest.fixture
def receiver(ctx, deployer) -> Contract:
    return ctx.deployments.deploy(deployer, "HostileReceiver", name="HostileReceiver")


def as_receiver(receiver, deployer, target, payload: bytes):
    return receiver.transact(deployer, "execute", target.address, payload)


def nothing_happened(loans, ledger, registry, loan_id, bill, balances, balance_now):
    assert loans.status(loan_id) is LoanStatus.OFFERED
    assert not registry.title(bill).encumbered
    assert ledger.bill_claim(registry.address, bill) is None
    assert balance_now() == balances


# ------------------------------------------------------------------------------------------------------------ loans


def test_token_reentering_the_loan_during_disbursement(
    loans, ledger, registry, issue_bill, terms, hostile, financier, shipper
):
    bill = issue_bill(shipper)
    loan_id = loans.offer(terms(bill, token=hostile.address), sender=financier)
    balances = lambda: [hostile.call("balanceOf", a.address) for a in (financier, shipper)]  # noqa: E731
    before = balances()
    for payload in (
        loans.contract.encode("repay", loan_id),
        loans.contract.encode("withdrawOffer", loan_id),
        loans.contract.encode("offer", terms(bill, token=hostile.address).as_abi()),
    ):
        hostile.transact(financier, "arm", loans.address, payload)
        with pytest.raises(errors.ReentrancyGuardReentrantCall):
            loans.accept(loan_id, registry, sender=shipper)
        nothing_happened(loans, ledger, registry, loan_id, bill, before, balances)
    hostile.transact(financier, "arm", ZERO, b"")
    loans.accept(loan_id, registry, sender=shipper)
    assert loans.status(loan_id) is LoanStatus.ACTIVE


def test_token_reentering_foreclosure_during_repayment(loans, registry, issue_bill, terms, hostile, financier, shipper):
    bill = issue_bill(shipper)
    loan_id = loans.offer(terms(bill, token=hostile.address), sender=financier)
    loans.accept(loan_id, registry, sender=shipper)
    hostile.transact(shipper, "arm", loans.address, loans.contract.encode("foreclose", loan_id, b""))
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        loans.repay(loan_id, sender=shipper)
    assert loans.status(loan_id) is LoanStatus.ACTIVE and registry.title(bill).locker == loans.address


def test_silently_failing_token_is_caught(loans, registry, issue_bill, terms, hostile, financier, shipper):
    bill = issue_bill(shipper)
    loan_id = loans.offer(terms(bill, token=hostile.address), sender=financier)
    hostile.transact(financier, "setFailSilently", True)
    with pytest.raises(errors.SafeERC20FailedOperation) as caught:
        loans.accept(loan_id, registry, sender=shipper)
    assert caught.value.token == hostile.address
    assert not registry.title(bill).encumbered


def test_hostile_borrower_cannot_move_or_repledge_the_bill_mid_disbursement(
    loans, ledger, registry, collections, issue_bill, terms, instruction, hostile, financier, receiver, deployer
):
    """The principal reaches the borrower contract while the pledge is being made: whatever it tries with the bill,
    the ledger or the loan fails and takes the whole pledge down with it."""
    bill = issue_bill(receiver)
    loan_id = loans.offer(terms(bill, token=hostile.address, borrower=receiver.address), sender=financier)
    hostile.transact(financier, "setRecipientHook", True)
    pledge = registry.contract.encode("encumber", bill, loans.address, pledge_data(loan_id))
    lodge = registry.contract.encode(
        "encumber", bill, collections.address, instruction(drawer=receiver.address).encode()
    )
    attacks = [
        (registry, registry.contract.encode("transferHolder", bill, deployer.address, b""), errors.TitleEncumbered),
        (registry, lodge, errors.TitleAlreadyEncumbered),
        (registry, registry.contract.encode("release", bill, b""), errors.TitleNotLocker),
        (loans, loans.contract.encode("repay", loan_id), errors.ReentrancyGuardReentrantCall),
        (
            ledger,
            ledger.contract.encode(
                "clear", int(ClaimKind.BILL), bill_key(registry.address, bill), financing_id(loan_id)
            ),
            errors.LedgerNotClaimant,
        ),
    ]
    for target, payload, error in attacks:
        receiver.transact(deployer, "arm", target.address, payload)
        with pytest.raises(error):
            as_receiver(receiver, deployer, registry, pledge)
        assert loans.status(loan_id) is LoanStatus.OFFERED and not registry.title(bill).encumbered
    receiver.transact(deployer, "arm", ZERO, b"")
    as_receiver(receiver, deployer, registry, pledge)
    assert loans.status(loan_id) is LoanStatus.ACTIVE
    assert hostile.call("balanceOf", receiver.address) == 100 * UNIT


def test_contract_pretending_to_be_the_registry_is_refused(loans, issue_bill, terms, financier, receiver, deployer):
    bill = issue_bill()
    loan_id = loans.offer(terms(bill), sender=financier)
    payload = loans.contract.encode("onTitleEncumbered", receiver.address, bill, pledge_data(loan_id))
    with pytest.raises(errors.LoanWrongRegistry) as caught:
        as_receiver(receiver, deployer, loans, payload)
    assert caught.value.caller == receiver.address


# ------------------------------------------------------------------------------------------------------ collections


def test_token_reentering_the_collection_during_payment(
    collections, registry, issue_bill, instruction, hostile, shipper, buyer
):
    bill = issue_bill(shipper)
    cid = collections.lodge(registry, bill, instruction(token=hostile.address), sender=shipper)
    for payload in (
        collections.contract.encode("returnDocuments", cid, b""),
        collections.contract.encode("refuse", cid, b""),
        collections.contract.encode("pay", cid),
    ):
        hostile.transact(buyer, "arm", collections.address, payload)
        with pytest.raises(errors.ReentrancyGuardReentrantCall):
            collections.pay(cid, sender=buyer)
        assert collections.status(cid) is CollectionStatus.PRESENTED
        assert registry.title(bill).beneficiary == shipper.address
    hostile.transact(buyer, "arm", ZERO, b"")
    collections.pay(cid, sender=buyer)
    assert registry.title(bill).beneficiary == buyer.address


def test_hostile_drawer_strikes_back_when_paid(
    collections, registry, issue_bill, instruction, hostile, receiver, deployer, shipper, buyer, chain
):
    """The drawer is a contract: as the D/A proceeds reach it, it tries to record dishonour of the draft being
    paid, then to pass the draft on."""
    bill = issue_bill(shipper)
    ins = instruction(acceptance=True, token=hostile.address, drawer=receiver.address)
    cid = collections.lodge(registry, bill, ins, sender=shipper)
    collections.accept(cid, sender=buyer)
    hostile.transact(buyer, "setRecipientHook", True)
    chain.set_next_block_timestamp(collections.collection(cid).maturity)
    chain.mine()
    for payload in (
        collections.contract.encode("dishonour", cid, b""),
        collections.contract.encode("transferDraft", cid, deployer.address),
    ):
        receiver.transact(deployer, "arm", collections.address, payload)
        with pytest.raises(errors.ReentrancyGuardReentrantCall):
            collections.honour(cid, sender=buyer)
        assert collections.status(cid) is CollectionStatus.ACCEPTED
    receiver.transact(deployer, "arm", ZERO, b"")
    collections.honour(cid, sender=buyer)
    assert hostile.call("balanceOf", receiver.address) == 250 * UNIT
