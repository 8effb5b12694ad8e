"""Presentation through the eBL registry's encumbrance: what the chain checks (UCP 600 art. 14, 20, 30, 31) and
who examines by when (art. 14b: five banking days of the examining bank; the cap on a hostile calendar is in
test_credit_examination_cap.py)."""

import datetime as dt

import pytest
from credit_helpers import AMOUNT, DAY, DOCUMENTS, local_time, move_to
from eth_abi import encode
from eth_utils import keccak

from tradefin import errors
from tradefin.calendars import HONG_KONG, SHANGHAI, banking_deadline
from tradefin.ebl import ConsignmentForm, DocumentKind
from tradefin.finance.credit import (
    COMMERCIAL_INVOICE,
    INSURANCE_CERTIFICATE,
    MAX_EXAMINATION_PERIOD,
    PACKING_LIST,
    PresentationState,
    Tolerance,
    document_type,
    examination_deadline,
    presentation_data,
)


def test_a_complying_presentation_locks_the_ebl_and_reserves_the_amount(credits, open_credit, present, bills, chain):
    credit_id = open_credit()
    bill, presentation_id = present(credit_id, 40_000_00)
    p = credits.presentation(credit_id, presentation_id)
    assert (p.bill_id, p.amount, p.state) == (bill, 40_000_00, PresentationState.PRESENTED)
    assert p.presented_at == chain.timestamp()
    title = bills.registry.title(bill)
    assert title.encumbered and title.locker == credits.address
    ledger = credits.ledger(credit_id)
    assert (ledger.reserved, ledger.drawn, ledger.presentations) == (40_000_00, 0, 1)
    assert credits.available(credit_id) == AMOUNT - 40_000_00
    types, hashes = list(DOCUMENTS), list(DOCUMENTS.values())
    assert p.documents_digest == keccak(encode(["bytes32[]", "bytes32[]"], [types, hashes]))


def test_presented_event(credits, open_credit, bills, shipper, chain, issuing_bank):
    credit_id = open_credit()
    bill = bills.issue(shipper.address, on_board=chain.timestamp() - DAY)
    receipt = bills.registry.encumber(
        bill, credits.address, sender=shipper, data=presentation_data(credit_id, 1_00, DOCUMENTS)
    )
    event = next(e for e in credits.contract.decode_logs(receipt) if e.name == "CreditPresented")
    assert event.args["creditId"] == credit_id and event.args["billId"] == bill
    assert event.args["examiner"] == issuing_bank.address
    assert list(event.args["documentTypes"]) == list(DOCUMENTS)
    assert list(event.args["documentHashes"]) == list(DOCUMENTS.values())


# -------------------------------------------------------------------------------------------- who examines


def test_the_issuing_bank_examines_within_five_shanghai_banking_days(credits, open_credit, present, issuing_bank):
    credit_id = open_credit()
    _, presentation_id = present(credit_id)
    p = credits.presentation(credit_id, presentation_id)
    assert p.examiner == issuing_bank.address
    assert p.examination_deadline == banking_deadline(SHANGHAI, p.presented_at, 5)
    assert p.examination_deadline == examination_deadline(SHANGHAI, p.presented_at)


def test_a_nominated_bank_examines_on_its_own_calendar(credits, open_credit, present, financier):
    credit_id = open_credit(nominated_bank=financier.address)
    _, presentation_id = present(credit_id)
    p = credits.presentation(credit_id, presentation_id)
    assert p.examiner == financier.address
    assert p.examination_deadline == banking_deadline(HONG_KONG, p.presented_at, 5)


def test_the_confirming_bank_examines_what_it_confirmed(credits, open_credit, present, confirming_bank, financier):
    credit_id = open_credit(confirming_bank=confirming_bank.address, nominated_bank=financier.address)
    _, before = present(credit_id, 10_00)
    assert credits.presentation(credit_id, before).examiner == financier.address  # not confirmed yet
    credits.confirm(credit_id, sender=confirming_bank)
    _, after = present(credit_id, 10_00)
    p = credits.presentation(credit_id, after)
    assert p.examiner == confirming_bank.address
    assert p.examination_deadline == banking_deadline(HONG_KONG, p.presented_at, 5)


def test_deadline_across_the_next_year_end(credits, open_credit, present, chain, advising_bank):
    """Chain time moves to 30 December 10:00 in Hong Kong: New Year's Day and a weekend do not count."""
    now = chain.timestamp()
    year = dt.datetime.fromtimestamp(now, dt.UTC).year
    when = local_time(HONG_KONG, year, 12, 30)
    if when <= now + DAY:
        when = local_time(HONG_KONG, year + 1, 12, 30)
    move_to(chain, when)
    credit_id = open_credit(nominated_bank=advising_bank.address)
    _, presentation_id = present(credit_id)
    p = credits.presentation(credit_id, presentation_id)
    assert p.examination_deadline == banking_deadline(HONG_KONG, p.presented_at, 5)
    assert p.examination_deadline == examination_deadline(HONG_KONG, p.presented_at)
    assert 7 * DAY < p.examination_deadline - p.presented_at < MAX_EXAMINATION_PERIOD  # not cut short by the cap


def test_deadline_across_the_next_lunar_new_year(credits, open_credit, present, chain):
    """Presented the day before Lunar New Year's Eve in Shanghai: the whole Spring Festival is skipped."""
    now = chain.timestamp()
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    eve = min(
        d
        for year in (today.year, today.year + 1, today.year + 2)
        for d, name in SHANGHAI.holidays([year]).items()
        if "New Year's Eve" in name and d > today + dt.timedelta(days=2)
    )
    day_before = eve - dt.timedelta(days=1)
    move_to(chain, local_time(SHANGHAI, day_before.year, day_before.month, day_before.day))
    credit_id = open_credit()
    _, presentation_id = present(credit_id)
    p = credits.presentation(credit_id, presentation_id)
    assert p.examination_deadline == banking_deadline(SHANGHAI, p.presented_at, 5)
    assert p.examination_deadline == examination_deadline(SHANGHAI, p.presented_at)
    assert 10 * DAY < p.examination_deadline - p.presented_at < MAX_EXAMINATION_PERIOD  # not cut short by the cap


# ---------------------------------------------------------------------------------------- drawing amounts


def test_partial_drawings_up_to_the_amount(credits, open_credit, present):
    credit_id = open_credit()
    present(credit_id, 60_000_00)
    present(credit_id, 40_000_00)
    assert credits.available(credit_id) == 0
    with pytest.raises(errors.CreditOverdrawn) as caught:
        present(credit_id, 1)
    assert (caught.value.creditId, caught.value.amount, caught.value.available) == (credit_id, 1, 0)


def test_about_allows_ten_percent_more(credits, open_credit, present):
    credit_id = open_credit(tolerance=Tolerance.ABOUT)
    with pytest.raises(errors.CreditOverdrawn) as caught:
        present(credit_id, 110_000_01)
    assert caught.value.available == 110_000_00
    present(credit_id, 110_000_00)


def test_zero_drawing(open_credit, present):
    credit_id = open_credit()
    with pytest.raises(errors.CreditZeroDrawing) as caught:
        present(credit_id, 0)
    assert caught.value.creditId == credit_id


@pytest.mark.parametrize(
    ("tolerance", "amount", "ok"),
    [
        (Tolerance.NONE, AMOUNT, True),
        (Tolerance.NONE, AMOUNT - 1, False),
        (Tolerance.ABOUT, 90_000_00, True),
        (Tolerance.ABOUT, 89_999_99, False),
        (Tolerance.ABOUT, 110_000_00, True),
        (Tolerance.ABOUT, 110_000_01, False),
    ],
)
def test_partial_drawings_prohibited_one_full_drawing_within_tolerance(open_credit, present, tolerance, amount, ok):
    credit_id = open_credit(partial_drawings=False, tolerance=tolerance)
    if ok:
        present(credit_id, amount)
        return
    with pytest.raises(errors.CreditPartialDrawingProhibited) as caught:
        present(credit_id, amount)
    low = AMOUNT if tolerance is Tolerance.NONE else 90_000_00
    high = AMOUNT if tolerance is Tolerance.NONE else 110_000_00
    assert (caught.value.amount, caught.value.minimum, caught.value.maximum) == (amount, low, high)


def test_partial_drawings_prohibited_no_second_drawing(open_credit, present):
    credit_id = open_credit(partial_drawings=False, tolerance=Tolerance.ABOUT)
    present(credit_id, 95_000_00)
    with pytest.raises(errors.CreditPartialDrawingProhibited):
        present(credit_id, 15_000_00)


# ------------------------------------------------------------------------------------------------ documents


def test_every_required_document_must_be_presented(open_credit, present):
    credit_id = open_credit(document_types=(COMMERCIAL_INVOICE, PACKING_LIST, INSURANCE_CERTIFICATE))
    with pytest.raises(errors.CreditDocumentMissing) as caught:
        present(credit_id)
    assert (caught.value.creditId, caught.value.documentType) == (credit_id, INSURANCE_CERTIFICATE)
    with pytest.raises(errors.CreditDocumentMissing) as caught:
        present(credit_id, documents={**DOCUMENTS, INSURANCE_CERTIFICATE: b"\x00" * 32})  # a blank is no document
    assert caught.value.documentType == INSURANCE_CERTIFICATE
    present(credit_id, documents={**DOCUMENTS, INSURANCE_CERTIFICATE: keccak(text="policy")})


def test_extra_documents_are_fine_and_none_may_be_required(open_credit, present):
    present(open_credit(), documents={**DOCUMENTS, document_type("BENEFICIARY_CERTIFICATE"): keccak(text="b")})
    present(open_credit(document_types=()), documents={})


def test_types_and_hashes_must_pair_up(open_credit, bills, credits, shipper, chain):
    credit_id = open_credit()
    bill = bills.issue(shipper.address, on_board=chain.timestamp() - DAY)
    data = encode(["uint256", "uint256", "bytes32[]", "bytes32[]"], [credit_id, 1, list(DOCUMENTS), []])
    with pytest.raises(errors.CreditDocumentsMismatch) as caught:
        bills.registry.encumber(bill, credits.address, sender=shipper, data=data)
    assert (caught.value.typesLength, caught.value.hashesLength) == (2, 0)


def test_a_document_type_may_be_presented_once(open_credit, bills, credits, shipper, chain):
    # a second commercial invoice would escape the financing ledger, which claims the presentation's invoice
    credit_id = open_credit()
    bill = bills.issue(shipper.address, on_board=chain.timestamp() - DAY)
    types = [*DOCUMENTS, COMMERCIAL_INVOICE]
    hashes = [*DOCUMENTS.values(), keccak(text="another invoice")]
    data = encode(["uint256", "uint256", "bytes32[]", "bytes32[]"], [credit_id, AMOUNT, types, hashes])
    with pytest.raises(errors.CreditDocumentRepeated) as caught:
        bills.registry.encumber(bill, credits.address, sender=shipper, data=data)
    assert (caught.value.creditId, caught.value.documentType) == (credit_id, COMMERCIAL_INVOICE)


def test_too_many_documents(open_credit, present):
    docs = {document_type(f"D{i}"): keccak(text=str(i)) for i in range(33)}
    with pytest.raises(errors.CreditTooManyDocuments) as caught:
        present(open_credit(), documents=docs)
    assert (caught.value.count, caught.value.max) == (33, 32)


# ------------------------------------------------------------------------------------------ bill and dates


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        (DocumentKind.SEA_WAYBILL, ConsignmentForm.STRAIGHT),
        (DocumentKind.NEGOTIABLE_BILL_OF_LADING, ConsignmentForm.STRAIGHT),
        (DocumentKind.NEGOTIABLE_BILL_OF_LADING, ConsignmentForm.BLANK_ENDORSED),
    ],
)
def test_only_a_to_order_negotiable_bill(open_credit, present, bills, shipper, chain, kind, form):
    credit_id = open_credit()
    bill = bills.issue(shipper.address, on_board=chain.timestamp() - DAY, kind=kind, form=form)
    with pytest.raises(errors.CreditBillNotNegotiable) as caught:
        present(credit_id, bill=bill)
    assert (caught.value.billId, caught.value.kind, caught.value.form) == (bill, kind, form)


def test_received_for_shipment_is_not_enough(open_credit, present, bills, shipper):
    bill = bills.issue(shipper.address, on_board=None)
    with pytest.raises(errors.CreditNotShippedOnBoard) as caught:
        present(open_credit(), bill=bill)
    assert caught.value.billId == bill
    assert bills.registry.title(bill).encumbered is False  # the revert undid the lock


def test_shipment_after_the_latest_shipment_date(open_credit, present, chain):
    now = chain.timestamp()
    credit_id = open_credit(latest_shipment=now + DAY)
    move_to(chain, now + 3 * DAY)
    with pytest.raises(errors.CreditShipmentLate) as caught:
        present(credit_id, on_board=now + 2 * DAY)
    assert (caught.value.shippedOnBoard, caught.value.latestShipment) == (now + 2 * DAY, now + DAY)
    present(credit_id, on_board=now + DAY)  # on the day is in time


@pytest.mark.parametrize("days", [0, 5])
def test_presentation_period_after_shipment(open_credit, present, bills, shipper, chain, days):
    credit_id = open_credit(presentation_days=days)
    period = (days or 21) * DAY
    # Every block below is pinned, so the test does not depend on the wall clock.
    start = chain.timestamp() + 1
    chain.set_next_block_timestamp(start)
    late = bills.issue(shipper.address, on_board=start - period - 5)
    chain.set_next_block_timestamp(start + 1)
    with pytest.raises(errors.CreditPresentationLate) as caught:
        present(credit_id, bill=late)
    assert (caught.value.presentedAt, caught.value.deadline) == (start + 1, start - 5)
    chain.set_next_block_timestamp(start + 1)
    in_time = bills.issue(shipper.address, on_board=start + 2 - period)
    chain.set_next_block_timestamp(start + 2)
    present(credit_id, bill=in_time)  # the last second of the period


def test_expired_credit(open_credit, present, chain, credits):
    credit_id = open_credit()
    expiry = credits.terms(credit_id).expiry
    move_to(chain, expiry + 1)
    with pytest.raises(errors.CreditExpired) as caught:
        present(credit_id, on_board=expiry - DAY)
    assert (caught.value.creditId, caught.value.expiry) == (credit_id, expiry)


# ---------------------------------------------------------------------------------------- who may present


def test_only_the_beneficiary_presents(open_credit, present, credits, bills, buyer, chain):
    credit_id = open_credit()
    bill = bills.issue(buyer.address, on_board=chain.timestamp() - DAY)
    with pytest.raises(errors.CreditNotBeneficiary) as caught:
        credits.present(bills.registry, bill, credit_id, 1, DOCUMENTS, sender=buyer)
    assert caught.value.caller == buyer.address


def test_an_issued_and_advised_credit_is_needed(open_credit, present, credits, buyer, issuing_bank):
    requested = open_credit(issue=False)
    with pytest.raises(errors.CreditNotIssued) as caught:
        present(requested)
    assert caught.value.status == 1
    with pytest.raises(errors.CreditNotIssued):
        present(999)
    unadvised = open_credit(advise=False)
    with pytest.raises(errors.CreditNotAdvised) as caught:
        present(unadvised)
    assert caught.value.creditId == unadvised
    present(open_credit(advising_bank="0x" + "00" * 20))  # no advising bank: no advice needed
    cancelled = open_credit(issue=False)
    credits.cancel_request(cancelled, sender=buyer)
    with pytest.raises(errors.CreditNotIssued):
        present(cancelled)


def test_only_the_credits_registry_calls_back(ctx, open_credit, credits, bills, carrier, shipper, chain):
    credit_id = open_credit()
    other = ctx.deployments.deploy(carrier, "ReentrantTitleRegistry", name="OtherRegistry")
    other.transact(carrier, "grantRole", keccak(text="LOCKER_ROLE"), credits.address)
    bill = keccak(text="other registry bill")
    other.transact(carrier, "issue", bill, shipper.address, shipper.address, 0, 1, chain.timestamp() - DAY, b"")
    data = presentation_data(credit_id, 1, DOCUMENTS)
    with pytest.raises(errors.CreditWrongRegistry) as caught:
        other.transact(shipper, "encumber", int.from_bytes(bill, "big"), credits.address, data)
    assert (caught.value.creditId, caught.value.caller) == (credit_id, other.address)
    with pytest.raises(errors.CreditWrongRegistry) as caught:
        credits.contract.transact(shipper, "onTitleEncumbered", shipper.address, int.from_bytes(bill, "big"), data)
    assert caught.value.caller == shipper.address


def test_a_forged_callback_without_a_lock(open_credit, credits, hostile_bills, shipper, chain):
    credit_id = open_credit(registry=hostile_bills.registry.address)
    bill = hostile_bills.issue(shipper.address, on_board=chain.timestamp() - DAY)
    data = presentation_data(credit_id, 1, DOCUMENTS)
    with pytest.raises(errors.CreditBillNotLocked) as caught:
        hostile_bills.registry.contract.transact(shipper, "forgeCallback", credits.address, shipper.address, bill, data)
    assert caught.value.billId == bill


def test_a_presented_bill_cannot_be_moved_or_presented_again(open_credit, present, bills, credits, shipper, buyer):
    credit_id = open_credit()
    bill, _ = present(credit_id, 10_00)
    with pytest.raises(errors.TitleEncumbered) as caught:
        bills.registry.contract.transact(shipper, "transferOwners", bill, buyer.address, buyer.address, b"")
    assert caught.value.locker == credits.address
    with pytest.raises(errors.TitleAlreadyEncumbered):
        present(credit_id, 10_00, bill=bill)
