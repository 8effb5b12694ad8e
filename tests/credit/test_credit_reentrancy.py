"""Hostile tokens and registries re-entering the credit while it moves money or titles: every path is guarded
(ReentrancyGuard) and state is settled before the call out (checks-effects-interactions)."""

import pytest
from credit_helpers import AMOUNT, DOCUMENTS, START, move_to
from eth_abi import decode

from tradefin import errors
from tradefin.chain.accounts import dev_account
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.finance.credit import Disposal, PresentationState
from tradefin.money import DepositToken

GUARD_SELECTOR = bytes.fromhex("3ee5aeb5")  # ReentrancyGuardReentrantCall()


@pytest.fixture(scope="session")
def rnt(ctx, deployer, buyer, confirming_bank) -> DepositToken:
    """A hostile ERC-20, driven through the deposit-token client (same ERC-20 surface)."""
    token = DepositToken(ctx.deployments.deploy(deployer, "ReentrantToken", name="CreditReentrantToken"))
    for holder in (buyer, confirming_bank):
        token.contract.transact(deployer, "mint", holder.address, START)
    return token


def arm(token: DepositToken, credits, fn: str, *args, bubble: bool = True) -> None:
    """On its next transfer the token calls ``credits.fn(*args)`` (anyone may arm the test token)."""
    token.contract.transact(dev_account(0), "arm", credits.address, credits.contract.encode(fn, *args), bubble)


def disarm(token: DepositToken) -> None:
    """A reverted attempt left the token armed (nothing was mined): disarm it before the honest retry."""
    token.contract.transact(dev_account(0), "arm", ZERO_ADDRESS, b"", False)


@pytest.fixture
def hostile_credit(open_credit, rnt):
    return open_credit(token=rnt.address)


def test_honour_cannot_be_reentered(credits, hostile_credit, present, rnt, issuing_bank, shipper):
    _, pid = present(hostile_credit)
    arm(rnt, credits, "honour", hostile_credit, pid)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.honour(hostile_credit, pid, sender=issuing_bank)
    assert credits.presentation(hostile_credit, pid).state is PresentationState.PRESENTED
    assert rnt.balance_of(shipper.address) == 0
    assert rnt.balance_of(credits.address) == AMOUNT


def test_a_swallowed_reentry_fails_and_the_beneficiary_is_paid_once(
    credits, hostile_credit, present, rnt, issuing_bank, shipper
):
    _, pid = present(hostile_credit)
    arm(rnt, credits, "claimPrecluded", hostile_credit, pid, bubble=False)
    credits.honour(hostile_credit, pid, sender=issuing_bank)
    assert rnt.contract.call("lastReentrySucceeded") is False
    assert rnt.contract.call("lastReentryError") == GUARD_SELECTOR
    assert rnt.balance_of(shipper.address) == AMOUNT
    assert rnt.balance_of(credits.address) == 0


def test_state_is_settled_before_the_payment(credits, hostile_credit, present, rnt, issuing_bank):
    """The token reads the presentation from inside the payout: it is already Honoured (effects first)."""
    _, pid = present(hostile_credit)
    arm(rnt, credits, "presentation", hostile_credit, pid, bubble=False)
    receipt = credits.honour(hostile_credit, pid, sender=issuing_bank)
    attempt = next(e for e in rnt.contract.decode_logs(receipt) if e.name == "ReentryAttempted")
    assert attempt["ok"]
    (view,) = decode(["(uint256,uint256,address,uint8,bool,bool,bool,uint64,uint64,bytes32)"], attempt["result"])
    assert PresentationState(view[3]) is PresentationState.HONOURED
    ledger_during = credits.contract.call("ledger", hostile_credit)
    assert ledger_during[6] == AMOUNT  # drawn


def test_issue_cannot_be_reentered(credits, make_terms, rnt, buyer, issuing_bank):
    terms = make_terms(token=rnt.address)
    credit_id = credits.request(terms, sender=buyer)
    rnt.approve(credits.address, AMOUNT, sender=buyer)
    arm(rnt, credits, "issue", credit_id)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.issue(credit_id, sender=issuing_bank)


def test_precluded_claim_cannot_be_reentered(credits, hostile_credit, present, rnt, shipper, chain):
    _, pid = present(hostile_credit)
    move_to(chain, credits.presentation(hostile_credit, pid).examination_deadline + 1)
    arm(rnt, credits, "claimPrecluded", hostile_credit, pid)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.claim_precluded(hostile_credit, pid, sender=shipper)
    disarm(rnt)
    credits.claim_precluded(hostile_credit, pid, sender=shipper)
    assert rnt.balance_of(shipper.address) == AMOUNT


def test_refund_and_reimbursement_cannot_be_reentered(
    credits, open_credit, present, rnt, confirming_bank, relayer, chain
):
    credit_id = open_credit(token=rnt.address, confirming_bank=confirming_bank.address)
    credits.confirm(credit_id, sender=confirming_bank)
    _, pid = present(credit_id, 40_000_00)
    rnt.approve(credits.address, 40_000_00, sender=confirming_bank)
    arm(rnt, credits, "reimburse", credit_id, pid)  # fires inside the confirming bank's own payment
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.honour(credit_id, pid, sender=confirming_bank)
    disarm(rnt)
    credits.honour(credit_id, pid, sender=confirming_bank)
    arm(rnt, credits, "reimburse", credit_id, pid)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.reimburse(credit_id, pid, sender=relayer)
    disarm(rnt)
    credits.reimburse(credit_id, pid, sender=relayer)
    move_to(chain, credits.terms(credit_id).expiry + 1)
    arm(rnt, credits, "closeExpired", credit_id)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.close_expired(credit_id, sender=relayer)
    disarm(rnt)
    assert credits.close_expired(credit_id, sender=relayer) == 60_000_00
    assert rnt.balance_of(credits.address) == 0


def test_amendment_refunds_cannot_be_reentered(credits, hostile_credit, rnt, buyer, issuing_bank, shipper):
    credits.instruct_amendment(hostile_credit, amount=50_000_00, sender=buyer)
    credits.amend(hostile_credit, amount=50_000_00, sender=issuing_bank)
    arm(rnt, credits, "acceptAmendment", hostile_credit)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.accept_amendment(hostile_credit, sender=shipper)


def test_an_increase_cannot_be_reentered_to_use_its_instruction_twice(
    credits, hostile_credit, rnt, buyer, issuing_bank
):
    credits.instruct_amendment(hostile_credit, amount=150_000_00, sender=buyer)
    amount, expiry, latest = credits.amended_terms(hostile_credit, amount=150_000_00)
    rnt.approve(credits.address, 2**256 - 1, sender=buyer)
    arm(rnt, credits, "amend", hostile_credit, amount, expiry, latest)  # fires inside the pull of the extra cover
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.amend(hostile_credit, amount=150_000_00, sender=issuing_bank)
    disarm(rnt)
    assert credits.amendment_instructed(hostile_credit, amount=150_000_00)  # the reverted amend used nothing
    arm(rnt, credits, "instructAmendment", hostile_credit, amount, expiry, latest)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.amend(hostile_credit, amount=150_000_00, sender=issuing_bank)
    disarm(rnt)
    credits.amend(hostile_credit, amount=150_000_00, sender=issuing_bank)
    assert credits.amendment_instruction(hostile_credit) is None
    assert rnt.balance_of(credits.address) == 150_000_00 and rnt.balance_of(buyer.address) == START - 150_000_00


def test_fee_on_transfer_tokens_are_refused(credits, make_terms, rnt, buyer, issuing_bank, deployer):
    terms = make_terms(token=rnt.address)
    credit_id = credits.request(terms, sender=buyer)
    rnt.approve(credits.address, AMOUNT, sender=buyer)
    rnt.contract.transact(deployer, "setFee", 100)  # 1%
    with pytest.raises(errors.CreditCoverShort) as caught:
        credits.issue(credit_id, sender=issuing_bank)
    assert (caught.value.expected, caught.value.received) == (AMOUNT, AMOUNT * 99 // 100)


# ----------------------------------------------------------------------------------------- hostile registry


@pytest.fixture
def on_hostile_registry(open_credit, hostile_bills, credits, shipper, chain, deployer):
    """A credit whose eBL registry re-enters the credit when it moves or releases a title."""
    credit_id = open_credit(registry=hostile_bills.registry.address)
    bill = hostile_bills.issue(shipper.address, on_board=chain.timestamp() - 1)
    pid = credits.present(hostile_bills.registry, bill, credit_id, AMOUNT, DOCUMENTS, sender=shipper)

    def arm_registry(fn: str | None, *args) -> None:
        target, payload = (credits.address, credits.contract.encode(fn, *args)) if fn else (ZERO_ADDRESS, b"")
        hostile_bills.registry.contract.transact(deployer, "arm", target, payload)

    return credit_id, bill, pid, arm_registry


def test_the_registry_cannot_reenter_while_the_title_moves(
    credits, on_hostile_registry, issuing_bank, hkd, shipper, hostile_bills
):
    credit_id, bill, pid, arm_registry = on_hostile_registry
    arm_registry("honour", credit_id, pid)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.honour(credit_id, pid, sender=issuing_bank)
    assert hostile_bills.registry.title(bill).encumbered
    arm_registry(None)
    credits.honour(credit_id, pid, sender=issuing_bank)
    assert hkd.balance_of(shipper.address) == AMOUNT


def test_the_registry_cannot_reenter_while_the_title_is_released(
    credits, on_hostile_registry, issuing_bank, shipper, hostile_bills
):
    credit_id, bill, pid, arm_registry = on_hostile_registry
    arm_registry("returnDocuments", credit_id, pid)
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        credits.refuse(credit_id, pid, [1], sender=issuing_bank, disposal=Disposal.RETURN)
    arm_registry(None)
    credits.refuse(credit_id, pid, [1], sender=issuing_bank, disposal=Disposal.RETURN)
    assert not hostile_bills.registry.title(bill).encumbered
