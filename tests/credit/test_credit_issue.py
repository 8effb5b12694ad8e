"""Requesting, issuing (cover locked), cancelling, advising and confirming a credit, and every revert on the way."""

import pytest
from credit_helpers import AMOUNT, DAY, START

from tradefin import errors
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.finance.credit import (
    COMMERCIAL_INVOICE,
    CreditStatus,
    CreditTerms,
    Tolerance,
    document_type,
    document_type_name,
    maximum,
    minimum,
)


def test_request_records_the_terms(credits, make_terms, buyer):
    terms = make_terms(tolerance=Tolerance.ABOUT, partial_drawings=False)
    credit_id = credits.request(terms, sender=buyer)
    assert credits.credit_count() == credit_id
    stored = credits.terms(credit_id)
    assert stored == CreditTerms(**{**terms.__dict__, "presentation_days": 21})
    ledger = credits.ledger(credit_id)
    assert (ledger.applicant, ledger.status, ledger.cover) == (buyer.address, CreditStatus.REQUESTED, 0)


def test_issue_pulls_the_cover_with_tolerance(credits, make_terms, hkd, buyer, issuing_bank):
    terms = make_terms(tolerance=Tolerance.ABOUT)
    credit_id = credits.request(terms, sender=buyer)
    hkd.approve(credits.address, terms.maximum, sender=buyer)
    receipt = credits.issue(credit_id, sender=issuing_bank)
    event = credits.contract.decode_logs(receipt)[0]
    assert (event.name, event["cover"]) == ("CreditIssued", AMOUNT * 110 // 100)
    assert hkd.balance_of(credits.address) == AMOUNT * 110 // 100
    assert hkd.balance_of(buyer.address) == START - AMOUNT * 110 // 100
    ledger = credits.ledger(credit_id)
    assert (ledger.status, ledger.cover, ledger.drawn, ledger.reserved) == (CreditStatus.ISSUED, 110_000_00, 0, 0)
    assert credits.available(credit_id) == 110_000_00


def test_issue_with_the_applicants_permit(credits, make_terms, hkd, buyer, issuing_bank):
    terms = make_terms()
    credit_id = credits.request(terms, sender=buyer)
    permit = hkd.sign_permit(buyer, credits.address, terms.maximum)
    credits.issue(credit_id, sender=issuing_bank, permit=permit)
    assert credits.ledger(credit_id).cover == AMOUNT
    assert hkd.allowance(buyer.address, credits.address) == 0


def test_a_front_run_permit_does_not_block_the_issue(credits, make_terms, hkd, buyer, issuing_bank, relayer):
    terms = make_terms()
    credit_id = credits.request(terms, sender=buyer)
    permit = hkd.sign_permit(buyer, credits.address, terms.maximum)
    hkd.permit(permit, sender=relayer)  # someone submits the permit first
    credits.issue(credit_id, sender=issuing_bank, permit=permit)
    assert credits.ledger(credit_id).status is CreditStatus.ISSUED


def test_issue_without_allowance_or_funds(credits, make_terms, hkd, buyer, shipper, issuing_bank):
    credit_id = credits.request(make_terms(), sender=buyer)
    with pytest.raises(errors.ERC20InsufficientAllowance) as caught:
        credits.issue(credit_id, sender=issuing_bank)
    assert caught.value.needed == AMOUNT
    poor = credits.request(make_terms(), sender=shipper)
    hkd.approve(credits.address, AMOUNT, sender=shipper)
    with pytest.raises(errors.ERC20InsufficientBalance):
        credits.issue(poor, sender=issuing_bank)


def test_only_the_issuing_bank_issues_a_requested_credit(credits, make_terms, open_credit, buyer, advising_bank, chain):
    credit_id = credits.request(make_terms(), sender=buyer)
    with pytest.raises(errors.CreditNotIssuingBank) as caught:
        credits.issue(credit_id, sender=advising_bank)
    assert (caught.value.creditId, caught.value.caller) == (credit_id, advising_bank.address)
    issued = open_credit()
    with pytest.raises(errors.CreditNotRequested) as caught:
        credits.issue(issued, sender=advising_bank)
    assert (caught.value.creditId, caught.value.status) == (issued, CreditStatus.ISSUED)
    with pytest.raises(errors.CreditNotRequested) as caught:
        credits.issue(999, sender=advising_bank)
    assert caught.value.status == CreditStatus.NONE


def test_an_expired_request_cannot_be_issued(credits, make_terms, hkd, buyer, issuing_bank, chain):
    terms = make_terms()
    credit_id = credits.request(terms, sender=buyer)
    hkd.approve(credits.address, AMOUNT, sender=buyer)
    chain.set_next_block_timestamp(terms.expiry + 1)
    with pytest.raises(errors.CreditExpired) as caught:
        credits.issue(credit_id, sender=issuing_bank)
    assert (caught.value.creditId, caught.value.expiry) == (credit_id, terms.expiry)


def test_cancel_by_applicant_or_issuing_bank(credits, make_terms, buyer, issuing_bank, shipper):
    first = credits.request(make_terms(), sender=buyer)
    second = credits.request(make_terms(), sender=buyer)
    with pytest.raises(errors.CreditNotApplicant) as caught:
        credits.cancel_request(first, sender=shipper)
    assert caught.value.caller == shipper.address
    receipt = credits.cancel_request(first, sender=buyer)
    assert credits.contract.decode_logs(receipt)[0].args == {"creditId": first, "by": buyer.address}
    credits.cancel_request(second, sender=issuing_bank)
    assert credits.ledger(first).status is CreditStatus.CANCELLED
    with pytest.raises(errors.CreditNotRequested) as caught:
        credits.cancel_request(first, sender=buyer)
    assert caught.value.status == CreditStatus.CANCELLED
    with pytest.raises(errors.CreditNotRequested):
        credits.issue(second, sender=issuing_bank)


# ---------------------------------------------------------------------------------------- request validation


@pytest.mark.parametrize("field", ["issuing_bank", "beneficiary", "token", "registry"])
def test_request_needs_parties_token_and_registry(credits, make_terms, buyer, field):
    with pytest.raises(errors.CreditZeroAddress):
        credits.request(make_terms(**{field: ZERO_ADDRESS}), sender=buyer)


@pytest.mark.parametrize("amount", [0, 2**128 + 1])
def test_request_amount_bounds(credits, make_terms, buyer, amount):
    with pytest.raises(errors.CreditInvalidAmount) as caught:
        credits.request(make_terms(amount=amount), sender=buyer)
    assert caught.value.amount == amount


def test_request_dates(credits, make_terms, buyer, chain):
    now = chain.timestamp()
    chain.set_next_block_timestamp(now + 10)
    with pytest.raises(errors.CreditExpiryInPast) as caught:
        credits.request(make_terms(expiry=now + 10, latest_shipment=now), sender=buyer)
    assert (caught.value.expiry, caught.value.currentTime) == (now + 10, now + 10)
    with pytest.raises(errors.CreditShipmentAfterExpiry) as caught:
        credits.request(make_terms(expiry=now + DAY, latest_shipment=now + 2 * DAY), sender=buyer)
    assert (caught.value.latestShipment, caught.value.expiry) == (now + 2 * DAY, now + DAY)


def test_request_limits(credits, make_terms, buyer):
    with pytest.raises(errors.CreditPresentationPeriodTooLong) as caught:
        credits.request(make_terms(presentation_days=366), sender=buyer)
    assert (caught.value.days_, caught.value.max) == (366, 365)
    many = tuple(document_type(f"DOC{i}") for i in range(17))
    with pytest.raises(errors.CreditTooManyDocuments) as caught:
        credits.request(make_terms(document_types=many), sender=buyer)
    assert (caught.value.count, caught.value.max) == (17, 16)


def test_request_needs_calendars_of_the_examining_banks(credits, make_terms, buyer, shipper, relayer):
    with pytest.raises(errors.CreditBankWithoutCalendar) as caught:
        credits.request(make_terms(issuing_bank=relayer.address), sender=buyer)
    assert caught.value.bank == relayer.address
    with pytest.raises(errors.CreditBankWithoutCalendar) as caught:
        credits.request(make_terms(nominated_bank=shipper.address), sender=buyer)
    assert caught.value.bank == shipper.address


# ------------------------------------------------------------------------------------------ advise and confirm


def test_advise(credits, open_credit, advising_bank, confirming_bank):
    credit_id = open_credit(advise=False)
    with pytest.raises(errors.CreditNotAdvisingBank) as caught:
        credits.advise(credit_id, sender=confirming_bank)
    assert caught.value.caller == confirming_bank.address
    receipt = credits.advise(credit_id, sender=advising_bank)
    assert credits.contract.decode_logs(receipt)[0].name == "CreditAdvised"
    assert credits.ledger(credit_id).advised
    with pytest.raises(errors.CreditAlreadyAdvised) as caught:
        credits.advise(credit_id, sender=advising_bank)
    assert caught.value.creditId == credit_id


def test_advise_needs_an_issued_credit_with_an_advising_bank(credits, open_credit, advising_bank):
    requested = open_credit(issue=False)
    with pytest.raises(errors.CreditNotIssued) as caught:
        credits.advise(requested, sender=advising_bank)
    assert caught.value.status == CreditStatus.REQUESTED
    unadvised = open_credit(advising_bank=ZERO_ADDRESS)
    with pytest.raises(errors.CreditNotAdvisingBank):
        credits.advise(unadvised, sender=advising_bank)


def test_confirm(credits, open_credit, confirming_bank, advising_bank):
    credit_id = open_credit(confirming_bank=confirming_bank.address)
    with pytest.raises(errors.CreditNotConfirmingBank) as caught:
        credits.confirm(credit_id, sender=advising_bank)
    assert caught.value.caller == advising_bank.address
    credits.confirm(credit_id, sender=confirming_bank)
    terms = credits.terms(credit_id)
    assert credits.ledger(credit_id).confirmed
    confirmation = credits.confirmation(credit_id)
    assert (confirmation.amount, confirmation.expiry, confirmation.latest_shipment) == (
        terms.amount,
        terms.expiry,
        terms.latest_shipment,
    )
    with pytest.raises(errors.CreditAlreadyConfirmed):
        credits.confirm(credit_id, sender=confirming_bank)


def test_confirm_errors(credits, open_credit, confirming_bank, shipper, chain):
    unrequested = open_credit()
    with pytest.raises(errors.CreditConfirmationNotRequested) as caught:
        credits.confirm(unrequested, sender=confirming_bank)
    assert caught.value.creditId == unrequested
    without_calendar = open_credit(confirming_bank=shipper.address)
    with pytest.raises(errors.CreditBankWithoutCalendar) as caught:
        credits.confirm(without_calendar, sender=shipper)
    assert caught.value.bank == shipper.address
    late = open_credit(confirming_bank=confirming_bank.address)
    expiry = credits.terms(late).expiry
    chain.set_next_block_timestamp(expiry + 1)
    with pytest.raises(errors.CreditExpired):
        credits.confirm(late, sender=confirming_bank)


def test_tolerance_arithmetic_matches_ucp_30a():
    assert maximum(100_00, Tolerance.ABOUT) == 110_00 and minimum(100_00, Tolerance.ABOUT) == 90_00
    assert maximum(101, Tolerance.ABOUT) == 111 and minimum(101, Tolerance.ABOUT) == 91  # rounded in favour of cover
    assert maximum(5, Tolerance.NONE) == minimum(5, Tolerance.NONE) == 5
    assert document_type_name(COMMERCIAL_INVOICE) == "COMMERCIAL_INVOICE"


def test_constructor_needs_a_calendar(ctx, deployer):
    with pytest.raises(errors.CreditZeroAddress):
        ctx.deployments.deploy(deployer, "DocumentaryCredit", ZERO_ADDRESS, ZERO_ADDRESS, name="no calendar")
