"""Amendments (UCP 600 art. 10): issued by the issuing bank only on the applicant's instruction of exactly their terms,
binding on the issuing bank when issued, on the beneficiary only once accepted as a whole; the original terms govern
until then; a confirming bank may decline to extend its confirmation."""

import pytest
from credit_helpers import AMOUNT, DAY, START, move_to

from tradefin import errors
from tradefin.finance.credit import AmendmentStatus, ConfirmationChoice, CreditStatus, Tolerance, amendment_hash


def test_an_increase_pulls_the_extra_cover_and_binds_the_issuing_bank_at_once(
    amend, credits, open_credit, hkd, buyer, issuing_bank, shipper, present
):
    credit_id = open_credit()
    hkd.approve(credits.address, 50_000_00, sender=buyer)
    number = amend(credit_id, amount=150_000_00)
    assert number == 1
    assert hkd.balance_of(credits.address) == 150_000_00
    amendment = credits.amendment(credit_id)
    assert (amendment.status, amendment.amount, amendment.number) == (AmendmentStatus.PENDING, 150_000_00, 1)
    # Until the beneficiary accepts, the original terms govern.
    assert credits.terms(credit_id).amount == AMOUNT
    with pytest.raises(errors.CreditOverdrawn) as caught:
        present(credit_id, 120_000_00)
    assert caught.value.available == AMOUNT
    receipt = credits.accept_amendment(credit_id, sender=shipper)
    assert credits.contract.decode_logs(receipt)[0].args == {"creditId": credit_id, "number": 1, "refund": 0}
    assert credits.terms(credit_id).amount == 150_000_00
    assert credits.amendment(credit_id).status is AmendmentStatus.ACCEPTED
    present(credit_id, 150_000_00)


def test_a_rejected_increase_returns_the_extra_cover(amend, credits, open_credit, hkd, buyer, issuing_bank, shipper):
    credit_id = open_credit(tolerance=Tolerance.ABOUT)
    hkd.approve(credits.address, 55_000_00, sender=buyer)
    amend(credit_id, amount=150_000_00)
    assert hkd.balance_of(buyer.address) == START - 165_000_00
    receipt = credits.reject_amendment(credit_id, sender=shipper)
    assert credits.contract.decode_logs(receipt)[0].args["refund"] == 55_000_00
    assert hkd.balance_of(buyer.address) == START - 110_000_00
    assert credits.terms(credit_id).amount == AMOUNT
    assert credits.amendment(credit_id).status is AmendmentStatus.REJECTED
    assert credits.ledger(credit_id).cover == 110_000_00


def test_an_accepted_decrease_returns_cover_a_rejected_one_does_not(
    amend, credits, open_credit, hkd, buyer, issuing_bank, shipper
):
    credit_id = open_credit()
    amend(credit_id, amount=80_000_00)
    credits.reject_amendment(credit_id, sender=shipper)
    assert hkd.balance_of(credits.address) == AMOUNT
    amend(credit_id, amount=80_000_00)  # the first instruction was used: the applicant instructs again
    assert credits.amendment(credit_id).number == 2
    credits.accept_amendment(credit_id, sender=shipper)
    assert hkd.balance_of(credits.address) == 80_000_00
    assert hkd.balance_of(buyer.address) == START - 80_000_00
    ledger = credits.ledger(credit_id)
    assert (ledger.cover, ledger.refunded) == (80_000_00, 20_000_00)


def test_a_later_expiry_lets_the_beneficiary_accept_after_the_original_expiry(
    amend, credits, open_credit, issuing_bank, shipper, present, chain
):
    credit_id = open_credit()
    terms = credits.terms(credit_id)
    amend(credit_id, expiry=terms.expiry + 30 * DAY, latest_shipment=terms.expiry)
    move_to(chain, terms.expiry + DAY)
    with pytest.raises(errors.CreditExpired):  # the original expiry governs until acceptance
        present(credit_id)
    with pytest.raises(errors.CreditNotExpired) as caught:  # the amendment keeps the cover in place
        credits.close_expired(credit_id, sender=shipper)
    assert caught.value.expiry == terms.expiry + 30 * DAY
    credits.accept_amendment(credit_id, sender=shipper)
    present(credit_id)


def test_partial_acceptance_is_impossible_the_whole_amendment_applies(
    amend, credits, open_credit, issuing_bank, shipper, hkd, buyer
):
    credit_id = open_credit()
    terms = credits.terms(credit_id)
    hkd.approve(credits.address, 10_000_00, sender=buyer)
    amend(credit_id, amount=110_000_00, expiry=terms.expiry + DAY, latest_shipment=terms.latest_shipment - DAY)
    credits.accept_amendment(credit_id, sender=shipper)
    amended = credits.terms(credit_id)
    assert (amended.amount, amended.expiry, amended.latest_shipment) == (
        110_000_00,
        terms.expiry + DAY,
        terms.latest_shipment - DAY,
    )


def test_amendment_errors(amend, credits, open_credit, issuing_bank, shipper, buyer, advising_bank, present, chain):
    credit_id = open_credit()
    with pytest.raises(errors.CreditNoAmendmentPending) as caught:
        credits.accept_amendment(credit_id, sender=shipper)
    assert caught.value.creditId == credit_id
    with pytest.raises(errors.CreditNoAmendmentPending):
        credits.reject_amendment(credit_id, sender=shipper)
    with pytest.raises(errors.CreditNotIssuingBank) as caught:
        credits.amend(credit_id, amount=1_00, sender=advising_bank)
    assert caught.value.caller == advising_bank.address
    with pytest.raises(errors.CreditAmendmentUnchanged):
        credits.amend(credit_id, sender=issuing_bank)
    with pytest.raises(errors.CreditInvalidAmount):
        credits.amend(credit_id, amount=0, sender=issuing_bank)
    with pytest.raises(errors.CreditExpiryInPast):
        credits.amend(credit_id, expiry=chain.timestamp() - 1, latest_shipment=chain.timestamp() - 2,
                      sender=issuing_bank)  # fmt: skip
    with pytest.raises(errors.CreditShipmentAfterExpiry):
        credits.amend(credit_id, latest_shipment=credits.terms(credit_id).expiry + 1, sender=issuing_bank)
    amend(credit_id, amount=90_000_00)
    with pytest.raises(errors.CreditAmendmentPending) as caught:
        credits.amend(credit_id, amount=80_000_00, sender=issuing_bank)
    assert caught.value.number == 1
    for outsider in (buyer, issuing_bank):
        with pytest.raises(errors.CreditNotBeneficiary) as caught:
            credits.accept_amendment(credit_id, sender=outsider)
        assert caught.value.caller == outsider.address
        with pytest.raises(errors.CreditNotBeneficiary):
            credits.reject_amendment(credit_id, sender=outsider)
    requested = open_credit(issue=False)
    with pytest.raises(errors.CreditNotIssued) as caught:
        credits.amend(requested, amount=1_00, sender=issuing_bank)
    assert caught.value.status == CreditStatus.REQUESTED


def test_no_amendment_below_what_is_drawn_or_under_examination(
    amend, credits, open_credit, issuing_bank, shipper, present
):
    credit_id = open_credit()
    present(credit_id, 60_000_00)
    with pytest.raises(errors.CreditAmendmentBelowDrawn) as caught:
        credits.amend(credit_id, amount=50_000_00, sender=issuing_bank)
    assert (caught.value.creditId, caught.value.maximum, caught.value.committed) == (credit_id, 50_000_00, 60_000_00)
    amend(credit_id, amount=70_000_00)
    present(credit_id, 30_000_00)  # under the original terms while the amendment is pending
    with pytest.raises(errors.CreditAmendmentBelowDrawn) as caught:
        credits.accept_amendment(credit_id, sender=shipper)
    assert (caught.value.maximum, caught.value.committed) == (70_000_00, 90_000_00)
    credits.reject_amendment(credit_id, sender=shipper)


def test_no_amendment_after_expiry_nor_acceptance_after_the_amendments_expiry(
    amend, credits, open_credit, issuing_bank, shipper, chain
):
    credit_id = open_credit()
    terms = credits.terms(credit_id)
    amend(credit_id, expiry=terms.expiry - DAY)
    move_to(chain, terms.expiry - DAY + 1)
    with pytest.raises(errors.CreditExpired) as caught:
        credits.accept_amendment(credit_id, sender=shipper)
    assert caught.value.expiry == terms.expiry - DAY
    credits.reject_amendment(credit_id, sender=shipper)
    move_to(chain, terms.expiry + 1)
    with pytest.raises(errors.CreditExpired) as caught:
        credits.amend(credit_id, amount=1_00, sender=issuing_bank)
    assert caught.value.expiry == terms.expiry


def test_a_pending_amendment_lapses_at_expiry(amend, credits, open_credit, hkd, buyer, issuing_bank, chain):
    credit_id = open_credit()
    terms = credits.terms(credit_id)
    hkd.approve(credits.address, 20_000_00, sender=buyer)
    amend(credit_id, amount=120_000_00)
    move_to(chain, terms.expiry + 1)
    receipt = credits.contract.transact(buyer, "closeExpired", credit_id)
    assert [e.name for e in credits.contract.decode_logs(receipt)] == ["CreditAmendmentLapsed", "CreditCoverRefunded"]
    assert credits.amendment(credit_id).status is AmendmentStatus.LAPSED
    assert hkd.balance_of(buyer.address) == START
    assert hkd.balance_of(credits.address) == 0


# ---------------------------------------------------------------------------------- confirmation of amendments


@pytest.fixture
def confirmed(amend, credits, open_credit, confirming_bank, hkd, buyer, issuing_bank):
    """A confirmed credit with a pending increase to 150,000."""
    credit_id = open_credit(confirming_bank=confirming_bank.address)
    credits.confirm(credit_id, sender=confirming_bank)
    hkd.approve(credits.address, 50_000_00, sender=buyer)
    amend(credit_id, amount=150_000_00)
    return credit_id


def test_a_declined_amendment_leaves_the_confirmation_on_the_original_terms(
    credits, confirmed, confirming_bank, shipper, present, issuing_bank
):
    receipt = credits.decline_amendment(confirmed, sender=confirming_bank)
    assert credits.contract.decode_logs(receipt)[0].args == {"creditId": confirmed, "number": 1, "extended": False}
    assert credits.amendment(confirmed).confirmation is ConfirmationChoice.DECLINED
    credits.accept_amendment(confirmed, sender=shipper)
    assert credits.confirmation(confirmed).amount == AMOUNT
    _, within = present(confirmed, 60_000_00)
    assert credits.presentation(confirmed, within).examiner == confirming_bank.address
    _, beyond = present(confirmed, 60_000_00)  # 120,000 in all: beyond the confirmed 100,000
    assert credits.presentation(confirmed, beyond).examiner == issuing_bank.address


def test_an_extended_confirmation_covers_the_amendment(credits, confirmed, confirming_bank, shipper, present):
    credits.confirm_amendment(confirmed, sender=confirming_bank)
    assert credits.confirmation(confirmed).amount == AMOUNT  # not before the beneficiary accepts
    credits.accept_amendment(confirmed, sender=shipper)
    assert credits.confirmation(confirmed).amount == 150_000_00
    _, pid = present(confirmed, 150_000_00)
    assert credits.presentation(confirmed, pid).examiner == confirming_bank.address


def test_silence_is_not_extension(credits, confirmed, shipper, present, issuing_bank):
    credits.accept_amendment(confirmed, sender=shipper)
    assert credits.confirmation(confirmed).amount == AMOUNT
    _, pid = present(confirmed, 150_000_00)
    assert credits.presentation(confirmed, pid).examiner == issuing_bank.address


def test_a_declined_later_expiry_is_not_confirmed(
    amend, credits, open_credit, confirming_bank, issuing_bank, shipper, present, chain
):
    credit_id = open_credit(confirming_bank=confirming_bank.address)
    credits.confirm(credit_id, sender=confirming_bank)
    terms = credits.terms(credit_id)
    amend(credit_id, expiry=terms.expiry + 30 * DAY, latest_shipment=terms.expiry)
    credits.decline_amendment(credit_id, sender=confirming_bank)
    credits.accept_amendment(credit_id, sender=shipper)
    move_to(chain, terms.expiry + DAY)
    _, pid = present(credit_id, on_board=terms.expiry)
    assert credits.presentation(credit_id, pid).examiner == issuing_bank.address


def test_confirmation_decision_errors(
    amend, credits, confirmed, open_credit, confirming_bank, advising_bank, issuing_bank
):
    with pytest.raises(errors.CreditNotConfirmingBank) as caught:
        credits.confirm_amendment(confirmed, sender=advising_bank)
    assert caught.value.caller == advising_bank.address
    credits.confirm_amendment(confirmed, sender=confirming_bank)
    with pytest.raises(errors.CreditAmendmentAlreadyDecided) as caught:
        credits.decline_amendment(confirmed, sender=confirming_bank)
    assert (caught.value.number, caught.value.choice) == (1, ConfirmationChoice.EXTENDED)
    unconfirmed = open_credit(confirming_bank=confirming_bank.address)
    amend(unconfirmed, amount=90_000_00)
    with pytest.raises(errors.CreditNotConfirmed) as caught:
        credits.decline_amendment(unconfirmed, sender=confirming_bank)
    assert caught.value.creditId == unconfirmed
    plain = open_credit()
    with pytest.raises(errors.CreditNoAmendmentPending):
        credits.confirm_amendment(plain, sender=confirming_bank)


# ------------------------------------------------------------------------------ the applicant's instruction


def test_the_issuing_bank_cannot_take_the_applicants_allowance_without_its_instruction(
    credits, open_credit, hkd, buyer, issuing_bank
):
    credit_id = open_credit()
    hkd.approve(credits.address, 2**256 - 1, sender=buyer)  # an unlimited allowance left on the contract
    balance = hkd.balance_of(buyer.address)
    terms = credits.terms(credit_id)
    with pytest.raises(errors.CreditAmendmentNotInstructed) as caught:
        credits.amend(credit_id, amount=10 * AMOUNT, sender=issuing_bank)
    assert caught.value.creditId == credit_id
    with pytest.raises(errors.CreditAmendmentNotInstructed):  # nor keep the cover locked longer
        credits.amend(credit_id, expiry=terms.expiry + 90 * DAY, sender=issuing_bank)
    assert hkd.balance_of(buyer.address) == balance
    assert hkd.balance_of(credits.address) == AMOUNT
    assert credits.ledger(credit_id).cover == AMOUNT
    assert credits.amendment(credit_id).status is AmendmentStatus.NONE
    assert credits.terms(credit_id) == terms


def test_the_issuing_bank_amends_exactly_the_instructed_terms_once(
    credits, open_credit, hkd, buyer, issuing_bank, shipper
):
    credit_id = open_credit()
    terms = credits.terms(credit_id)
    hkd.approve(credits.address, 50_000_00, sender=buyer)
    receipt = credits.instruct_amendment(credit_id, amount=150_000_00, sender=buyer)
    assert credits.contract.decode_logs(receipt)[0].args == {
        "creditId": credit_id,
        "applicant": buyer.address,
        "amount": 150_000_00,
        "expiry": terms.expiry,
        "latestShipment": terms.latest_shipment,
    }
    assert credits.amendment_instruction(credit_id) == amendment_hash(150_000_00, terms.expiry, terms.latest_shipment)
    assert credits.amendment_instructed(credit_id, amount=150_000_00)
    assert not credits.amendment_instructed(credit_id, amount=160_000_00)
    with pytest.raises(errors.CreditAmendmentNotInstructed):  # more than instructed
        credits.amend(credit_id, amount=160_000_00, sender=issuing_bank)
    with pytest.raises(errors.CreditAmendmentNotInstructed):  # the instructed amount, another expiry
        credits.amend(credit_id, amount=150_000_00, expiry=terms.expiry + DAY, sender=issuing_bank)
    assert credits.amend(credit_id, amount=150_000_00, sender=issuing_bank) == 1
    assert credits.amendment_instruction(credit_id) is None  # used up
    credits.reject_amendment(credit_id, sender=shipper)
    with pytest.raises(errors.CreditAmendmentNotInstructed):  # the same terms again need a new instruction
        credits.amend(credit_id, amount=150_000_00, sender=issuing_bank)
    assert hkd.balance_of(credits.address) == AMOUNT


def test_a_new_instruction_replaces_an_unused_one(credits, open_credit, hkd, buyer, issuing_bank):
    credit_id = open_credit()
    hkd.approve(credits.address, 50_000_00, sender=buyer)
    credits.instruct_amendment(credit_id, amount=150_000_00, sender=buyer)
    credits.instruct_amendment(credit_id, amount=120_000_00, sender=buyer)
    with pytest.raises(errors.CreditAmendmentNotInstructed):
        credits.amend(credit_id, amount=150_000_00, sender=issuing_bank)
    credits.amend(credit_id, amount=120_000_00, sender=issuing_bank)
    assert hkd.balance_of(credits.address) == 120_000_00


def test_a_withdrawn_instruction_cannot_be_used(credits, open_credit, buyer, issuing_bank):
    credit_id = open_credit()
    credits.instruct_amendment(credit_id, amount=80_000_00, sender=buyer)
    receipt = credits.withdraw_amendment_instruction(credit_id, sender=buyer)
    assert [(e.name, e.args) for e in credits.contract.decode_logs(receipt)] == [
        ("CreditAmendmentInstructionWithdrawn", {"creditId": credit_id})
    ]
    assert credits.amendment_instruction(credit_id) is None
    with pytest.raises(errors.CreditAmendmentNotInstructed):
        credits.amend(credit_id, amount=80_000_00, sender=issuing_bank)
    with pytest.raises(errors.CreditAmendmentNotInstructed) as caught:  # nothing left to withdraw
        credits.withdraw_amendment_instruction(credit_id, sender=buyer)
    assert caught.value.creditId == credit_id


def test_instruction_errors(credits, open_credit, buyer, shipper, issuing_bank, chain):
    credit_id = open_credit()
    terms = credits.terms(credit_id)
    for outsider in (shipper, issuing_bank):
        with pytest.raises(errors.CreditNotApplicant) as caught:
            credits.instruct_amendment(credit_id, amount=80_000_00, sender=outsider)
        assert (caught.value.creditId, caught.value.caller) == (credit_id, outsider.address)
    with pytest.raises(errors.CreditAmendmentUnchanged) as caught:
        credits.instruct_amendment(credit_id, amount=AMOUNT, sender=buyer)
    assert caught.value.creditId == credit_id
    with pytest.raises(errors.CreditInvalidAmount):
        credits.instruct_amendment(credit_id, amount=0, sender=buyer)
    with pytest.raises(errors.CreditShipmentAfterExpiry):
        credits.instruct_amendment(credit_id, latest_shipment=terms.expiry + 1, sender=buyer)
    with pytest.raises(errors.CreditExpiryInPast):
        credits.instruct_amendment(credit_id, expiry=chain.timestamp() - 1, latest_shipment=0, sender=buyer)
    credits.instruct_amendment(credit_id, amount=80_000_00, sender=buyer)
    with pytest.raises(errors.CreditNotApplicant) as caught:
        credits.withdraw_amendment_instruction(credit_id, sender=issuing_bank)
    assert caught.value.caller == issuing_bank.address
    requested = open_credit(issue=False)
    with pytest.raises(errors.CreditNotIssued) as caught:
        credits.instruct_amendment(requested, amount=80_000_00, sender=buyer)
    assert (caught.value.creditId, caught.value.status) == (requested, CreditStatus.REQUESTED)
    move_to(chain, terms.expiry + 1)
    with pytest.raises(errors.CreditExpired) as caught:
        credits.instruct_amendment(credit_id, amount=90_000_00, sender=buyer)
    assert (caught.value.creditId, caught.value.expiry) == (credit_id, terms.expiry)
    with pytest.raises(errors.CreditExpired):  # an instruction given in time is no use after expiry either
        credits.amend(credit_id, amount=80_000_00, sender=issuing_bank)
