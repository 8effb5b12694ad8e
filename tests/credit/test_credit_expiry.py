"""After expiry the unused cover goes back to the applicant; reservations and reimbursement claims stay covered."""

import pytest
from credit_helpers import AMOUNT, DAY, START, move_to

from tradefin import errors
from tradefin.finance.credit import CreditStatus, Disposal, Tolerance


def test_anyone_returns_the_unused_cover_after_expiry(credits, open_credit, hkd, buyer, relayer, chain):
    credit_id = open_credit(tolerance=Tolerance.ABOUT)
    expiry = credits.terms(credit_id).expiry
    with pytest.raises(errors.CreditNotExpired) as caught:
        credits.close_expired(credit_id, sender=relayer)
    assert (caught.value.creditId, caught.value.expiry) == (credit_id, expiry)
    chain.set_next_block_timestamp(expiry)
    with pytest.raises(errors.CreditNotExpired):  # the expiry's last second still belongs to the credit
        credits.close_expired(credit_id, sender=relayer)
    move_to(chain, expiry + 1)
    assert credits.close_expired(credit_id, sender=relayer) == 110_000_00
    assert hkd.balance_of(buyer.address) == START
    ledger = credits.ledger(credit_id)
    assert (ledger.status, ledger.cover, ledger.refunded) == (CreditStatus.EXPIRED, 0, 110_000_00)
    with pytest.raises(errors.CreditNothingToRefund) as caught:
        credits.close_expired(credit_id, sender=relayer)
    assert caught.value.creditId == credit_id


def test_pending_presentations_keep_their_cover(
    credits, open_credit, present, hkd, buyer, relayer, issuing_bank, shipper, chain
):
    credit_id = open_credit()
    _, honoured = present(credit_id, 30_000_00)
    _, returned = present(credit_id, 20_000_00)
    _, paid_late = present(credit_id, 10_000_00)
    credits.honour(credit_id, honoured, sender=issuing_bank)
    credits.refuse(credit_id, returned, [1], sender=issuing_bank)
    move_to(chain, credits.terms(credit_id).expiry + 1)
    assert credits.close_expired(credit_id, sender=relayer) == 40_000_00  # 100 - 30 drawn - 20 - 10 reserved
    with pytest.raises(errors.CreditNotIssued) as caught:  # an expired credit takes no presentation
        present(credit_id, 1_00)
    assert caught.value.status == CreditStatus.EXPIRED
    credits.return_documents(credit_id, returned, sender=shipper)
    assert credits.close_expired(credit_id, sender=relayer) == 20_000_00
    credits.claim_precluded(credit_id, paid_late, sender=shipper)
    assert hkd.balance_of(shipper.address) == 40_000_00
    assert hkd.balance_of(buyer.address) == START - 40_000_00
    assert hkd.balance_of(credits.address) == 0
    with pytest.raises(errors.CreditNothingToRefund):
        credits.close_expired(credit_id, sender=relayer)


def test_a_request_never_issued_has_nothing_to_close(credits, open_credit, relayer):
    credit_id = open_credit(issue=False)
    with pytest.raises(errors.CreditNotIssued) as caught:
        credits.close_expired(credit_id, sender=relayer)
    assert caught.value.status == CreditStatus.REQUESTED


def test_returned_documents_after_expiry_free_their_reservation(
    credits, open_credit, present, relayer, issuing_bank, chain
):
    now = chain.timestamp()
    credit_id = open_credit(expiry=now + 2 * DAY, latest_shipment=now)
    _, pid = present(credit_id, AMOUNT)
    move_to(chain, now + 2 * DAY + 1)  # expired, but the bank still has banking days to examine
    with pytest.raises(errors.CreditNothingToRefund):
        credits.close_expired(credit_id, sender=relayer)
    credits.refuse(credit_id, pid, [1], sender=issuing_bank, disposal=Disposal.RETURN)
    assert credits.close_expired(credit_id, sender=relayer) == AMOUNT
