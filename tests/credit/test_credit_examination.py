"""Examination (UCP 600 art. 7, 8, 15, 16): honour in one transaction, a single notice of refusal, waiver by the
applicant, return of documents, preclusion of a silent bank, and the confirming bank's own payment."""

import pytest
from credit_helpers import AMOUNT, DAY, START, move_to

from tradefin import errors
from tradefin.ebl import Status
from tradefin.finance.credit import Discrepancy, Disposal, PresentationState

DISCREPANCIES = [Discrepancy.DATA_CONFLICT, Discrepancy.LATE_SHIPMENT]


def test_honour_pays_the_beneficiary_and_gives_the_issuing_bank_the_ebl(
    credits, open_credit, present, hkd, bills, shipper, issuing_bank
):
    credit_id = open_credit()
    bill, pid = present(credit_id, 60_000_00)
    receipt = credits.honour(credit_id, pid, sender=issuing_bank)
    event = next(e for e in credits.contract.decode_logs(receipt) if e.name == "CreditHonoured")
    assert event.args == {
        "creditId": credit_id,
        "presentationId": pid,
        "bank": issuing_bank.address,
        "amount": 60_000_00,
        "titleTo": issuing_bank.address,
    }
    assert hkd.balance_of(shipper.address) == 60_000_00
    title = bills.registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (issuing_bank.address, issuing_bank.address, False)
    assert title.status is Status.ACTIVE
    ledger = credits.ledger(credit_id)
    assert (ledger.cover, ledger.drawn, ledger.reserved) == (40_000_00, 60_000_00, 0)
    assert hkd.balance_of(credits.address) == 40_000_00
    assert credits.presentation(credit_id, pid).state is PresentationState.HONOURED


def test_nobody_is_paid_twice(credits, open_credit, present, issuing_bank, shipper):
    credit_id = open_credit()
    _, pid = present(credit_id)
    credits.honour(credit_id, pid, sender=issuing_bank)
    with pytest.raises(errors.CreditPresentationNotPending) as caught:
        credits.honour(credit_id, pid, sender=issuing_bank)
    assert (caught.value.creditId, caught.value.presentationId, caught.value.state) == (
        credit_id,
        pid,
        PresentationState.HONOURED,
    )
    with pytest.raises(errors.CreditPresentationNotPending):
        credits.claim_precluded(credit_id, pid, sender=shipper)
    with pytest.raises(errors.CreditPresentationNotPending):
        credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank)


def test_only_the_examining_bank_honours_or_refuses(credits, open_credit, present, advising_bank, financier):
    credit_id = open_credit(nominated_bank=financier.address)
    _, pid = present(credit_id)
    with pytest.raises(errors.CreditNotExaminingBank) as caught:
        credits.honour(credit_id, pid, sender=advising_bank)
    assert (caught.value.creditId, caught.value.presentationId, caught.value.caller) == (
        credit_id,
        pid,
        advising_bank.address,
    )
    with pytest.raises(errors.CreditNotExaminingBank):
        credits.refuse(credit_id, pid, DISCREPANCIES, sender=advising_bank)


def test_a_nominated_bank_honours_from_the_cover(credits, open_credit, present, hkd, financier, shipper, bills):
    credit_id = open_credit(nominated_bank=financier.address)
    bill, pid = present(credit_id)
    credits.honour(credit_id, pid, sender=financier)
    assert hkd.balance_of(shipper.address) == AMOUNT
    assert hkd.balance_of(financier.address) == START  # its own money untouched
    assert bills.registry.title(bill).beneficiary == credits.terms(credit_id).issuing_bank


def test_unknown_presentation(credits, open_credit, issuing_bank):
    credit_id = open_credit()
    with pytest.raises(errors.CreditPresentationNotFound) as caught:
        credits.honour(credit_id, 7, sender=issuing_bank)
    assert (caught.value.creditId, caught.value.presentationId) == (credit_id, 7)


# ---------------------------------------------------------------------------------------------- deadlines


def test_the_deadline_is_the_last_second_then_the_bank_is_precluded(
    credits, open_credit, present, chain, issuing_bank, shipper, hkd, bills
):
    credit_id = open_credit()
    bill, pid = present(credit_id)
    deadline = credits.presentation(credit_id, pid).examination_deadline
    with pytest.raises(errors.CreditExaminationNotOver) as caught:
        credits.claim_precluded(credit_id, pid, sender=shipper)
    assert caught.value.deadline == deadline
    snapshot = chain.snapshot()
    chain.set_next_block_timestamp(deadline)
    credits.honour(credit_id, pid, sender=issuing_bank)  # at the last second: in time
    chain.revert(snapshot)
    move_to(chain, deadline + 1)
    with pytest.raises(errors.CreditExaminationClosed) as caught:
        credits.honour(credit_id, pid, sender=issuing_bank)
    assert (caught.value.creditId, caught.value.presentationId, caught.value.deadline) == (credit_id, pid, deadline)
    with pytest.raises(errors.CreditExaminationClosed):
        credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank)
    with pytest.raises(errors.CreditNotBeneficiary) as caught:
        credits.claim_precluded(credit_id, pid, sender=issuing_bank)
    assert caught.value.caller == issuing_bank.address
    receipt = credits.claim_precluded(credit_id, pid, sender=shipper)
    assert [e.name for e in credits.contract.decode_logs(receipt)] == ["CreditPrecludedClaimPaid"]
    assert hkd.balance_of(shipper.address) == AMOUNT
    assert bills.registry.title(bill).beneficiary == issuing_bank.address
    p = credits.presentation(credit_id, pid)
    assert (p.state, p.precluded) == (PresentationState.HONOURED, True)
    with pytest.raises(errors.CreditPresentationNotPending):
        credits.claim_precluded(credit_id, pid, sender=shipper)


def test_examination_goes_on_after_expiry(credits, open_credit, present, chain, issuing_bank):
    now = chain.timestamp()
    credit_id = open_credit(expiry=now + 2 * DAY, latest_shipment=now)
    _, pid = present(credit_id, on_board=now - DAY)
    move_to(chain, now + 2 * DAY + 1)  # expired, still within five banking days of the presentation
    assert credits.presentation(credit_id, pid).examination_deadline > chain.timestamp()
    credits.honour(credit_id, pid, sender=issuing_bank)


# ------------------------------------------------------------------------------------------------- refusal


def test_refuse_and_return(credits, open_credit, present, bills, shipper, issuing_bank, hkd):
    credit_id = open_credit()
    bill, pid = present(credit_id)
    receipt = credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank, disposal=Disposal.RETURN)
    events = credits.contract.decode_logs(receipt)
    assert [e.name for e in events] == ["CreditRefused", "CreditDocumentsReturned"]
    assert list(events[0]["discrepancies"]) == [2, 3] and events[0]["disposal"] == Disposal.RETURN
    title = bills.registry.title(bill)
    assert (title.beneficiary, title.encumbered) == (shipper.address, False)
    p = credits.presentation(credit_id, pid)
    assert (p.state, p.refused) == (PresentationState.RETURNED, True)
    assert credits.ledger(credit_id).reserved == 0
    assert hkd.balance_of(credits.address) == AMOUNT
    with pytest.raises(errors.CreditNoticeAlreadyGiven) as caught:
        credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank)
    assert (caught.value.creditId, caught.value.presentationId) == (credit_id, pid)
    _, again = present(credit_id, bill=bill)  # corrected documents, presented again with the same eBL
    credits.honour(credit_id, again, sender=issuing_bank)
    assert hkd.balance_of(shipper.address) == AMOUNT


def test_a_refusal_states_discrepancies(credits, open_credit, present, issuing_bank):
    credit_id = open_credit()
    _, pid = present(credit_id)
    with pytest.raises(errors.CreditNoDiscrepancies) as caught:
        credits.refuse(credit_id, pid, [], sender=issuing_bank)
    assert (caught.value.creditId, caught.value.presentationId) == (credit_id, pid)


def test_held_pending_waiver_then_the_applicant_waives_and_the_bank_honours(
    credits, open_credit, present, issuing_bank, buyer, shipper, hkd, bills
):
    credit_id = open_credit()
    bill, pid = present(credit_id)
    credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank)
    assert credits.presentation(credit_id, pid).state is PresentationState.REFUSED
    assert bills.registry.title(bill).encumbered  # held
    with pytest.raises(errors.CreditNoticeAlreadyGiven):  # a second notice fails
        credits.refuse(credit_id, pid, [Discrepancy.OTHER], sender=issuing_bank)
    with pytest.raises(errors.CreditPresentationNotPending) as caught:  # refused: no honour before a waiver
        credits.honour(credit_id, pid, sender=issuing_bank)
    assert caught.value.state == PresentationState.REFUSED
    for stranger in (shipper, issuing_bank):
        with pytest.raises(errors.CreditNotApplicant) as caught:
            credits.waive(credit_id, pid, sender=stranger)
        assert caught.value.caller == stranger.address
    receipt = credits.waive(credit_id, pid, sender=buyer)
    assert credits.contract.decode_logs(receipt)[0].args["applicant"] == buyer.address
    with pytest.raises(errors.CreditNotHeldPendingWaiver) as caught:
        credits.waive(credit_id, pid, sender=buyer)
    assert caught.value.state == PresentationState.WAIVED
    credits.honour(credit_id, pid, sender=issuing_bank)
    assert hkd.balance_of(shipper.address) == AMOUNT


def test_a_waived_presentation_may_be_honoured_after_the_examination_deadline(
    credits, open_credit, present, issuing_bank, buyer, chain, financier
):
    credit_id = open_credit(nominated_bank=financier.address)
    _, pid = present(credit_id)
    credits.refuse(credit_id, pid, DISCREPANCIES, sender=financier)
    credits.waive(credit_id, pid, sender=buyer)
    move_to(chain, credits.presentation(credit_id, pid).examination_deadline + DAY)
    credits.honour(credit_id, pid, sender=issuing_bank)  # the issuing bank may honour after a waiver


def test_waive_only_a_held_refusal(credits, open_credit, present, buyer, issuing_bank):
    credit_id = open_credit()
    _, pid = present(credit_id)
    with pytest.raises(errors.CreditNotHeldPendingWaiver) as caught:
        credits.waive(credit_id, pid, sender=buyer)
    assert caught.value.state == PresentationState.PRESENTED
    credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank, disposal=Disposal.RETURN)
    with pytest.raises(errors.CreditNotHeldPendingWaiver) as caught:
        credits.waive(credit_id, pid, sender=buyer)
    assert caught.value.state == PresentationState.RETURNED


def test_held_documents_go_back_on_request(credits, open_credit, present, issuing_bank, shipper, buyer, bills):
    credit_id = open_credit()
    bill, pid = present(credit_id)
    with pytest.raises(errors.CreditNotHeldPendingWaiver):
        credits.return_documents(credit_id, pid, sender=shipper)
    credits.refuse(credit_id, pid, DISCREPANCIES, sender=issuing_bank)
    with pytest.raises(errors.CreditNotBeneficiary) as caught:
        credits.return_documents(credit_id, pid, sender=buyer)
    assert caught.value.caller == buyer.address
    credits.return_documents(credit_id, pid, sender=shipper)
    assert not bills.registry.title(bill).encumbered
    assert credits.ledger(credit_id).reserved == 0
    _, second = present(credit_id, bill=bill)
    credits.refuse(credit_id, second, DISCREPANCIES, sender=issuing_bank)
    credits.waive(credit_id, second, sender=buyer)
    credits.return_documents(credit_id, second, sender=issuing_bank)  # the bank may return after a waiver too
    assert credits.presentation(credit_id, second).state is PresentationState.RETURNED


# -------------------------------------------------------------------------------------------- confirmation


@pytest.fixture
def confirmed(credits, open_credit, confirming_bank):
    credit_id = open_credit(confirming_bank=confirming_bank.address)
    credits.confirm(credit_id, sender=confirming_bank)
    return credit_id


def test_the_confirming_bank_pays_from_its_own_funds_and_is_reimbursed_from_the_cover(
    credits, confirmed, present, hkd, confirming_bank, shipper, bills, relayer
):
    bill, pid = present(confirmed, 70_000_00)
    with pytest.raises(errors.ERC20InsufficientAllowance):
        credits.honour(confirmed, pid, sender=confirming_bank)
    hkd.approve(credits.address, 70_000_00, sender=confirming_bank)
    credits.honour(confirmed, pid, sender=confirming_bank)
    assert hkd.balance_of(shipper.address) == 70_000_00
    assert hkd.balance_of(confirming_bank.address) == START - 70_000_00
    title = bills.registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (confirming_bank.address,) * 2 + (False,)
    ledger = credits.ledger(confirmed)
    assert (ledger.cover, ledger.drawn, ledger.owed_to_confirming_bank) == (AMOUNT, 70_000_00, 70_000_00)
    assert credits.presentation(confirmed, pid).reimbursement_due
    receipt = credits.reimburse(confirmed, pid, sender=relayer)  # anyone may trigger it
    assert credits.contract.decode_logs(receipt)[0].args["confirmingBank"] == confirming_bank.address
    assert hkd.balance_of(confirming_bank.address) == START
    ledger = credits.ledger(confirmed)
    assert (ledger.cover, ledger.owed_to_confirming_bank) == (30_000_00, 0)
    with pytest.raises(errors.CreditNoReimbursementDue) as caught:
        credits.reimburse(confirmed, pid, sender=relayer)
    assert (caught.value.creditId, caught.value.presentationId) == (confirmed, pid)


def test_the_reimbursement_survives_whatever_the_issuing_bank_does(
    credits, confirmed, present, hkd, confirming_bank, issuing_bank, chain, buyer, shipper
):
    _, pid = present(confirmed, AMOUNT)
    hkd.approve(credits.address, AMOUNT, sender=confirming_bank)
    credits.honour(confirmed, pid, sender=confirming_bank)
    with pytest.raises(errors.CreditAmendmentBelowDrawn):  # the issuing bank cannot amend the claim away
        credits.amend(confirmed, amount=1, sender=issuing_bank)
    move_to(chain, credits.terms(confirmed).expiry + 1)
    with pytest.raises(errors.CreditNothingToRefund):  # nor refund the cover behind it
        credits.close_expired(confirmed, sender=buyer)
    credits.reimburse(confirmed, pid, sender=confirming_bank)
    assert hkd.balance_of(confirming_bank.address) == START
    assert hkd.balance_of(credits.address) == 0


def test_the_confirming_bank_refuses_like_any_examining_bank(
    credits, confirmed, present, confirming_bank, buyer, issuing_bank, hkd
):
    _, pid = present(confirmed)
    credits.refuse(confirmed, pid, DISCREPANCIES, sender=confirming_bank)
    credits.waive(confirmed, pid, sender=buyer)
    credits.honour(confirmed, pid, sender=issuing_bank)  # after the waiver the issuing bank pays from the cover
    assert not credits.presentation(confirmed, pid).reimbursement_due
    assert hkd.balance_of(confirming_bank.address) == START


def test_after_a_waiver_the_confirming_bank_may_still_pay_itself(
    credits, confirmed, present, confirming_bank, buyer, hkd
):
    _, pid = present(confirmed)
    credits.refuse(confirmed, pid, DISCREPANCIES, sender=confirming_bank)
    credits.waive(confirmed, pid, sender=buyer)
    hkd.approve(credits.address, AMOUNT, sender=confirming_bank)
    credits.honour(confirmed, pid, sender=confirming_bank)
    assert credits.presentation(confirmed, pid).reimbursement_due
