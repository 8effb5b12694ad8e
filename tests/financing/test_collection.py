"""Documentary collections after URC 522: lodging, D/P, D/A with maturity, refusal, return of the documents."""

from dataclasses import replace

import pytest

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.finance.collection import (
    DEFAULT_PRESENTATION_PERIOD,
    DISHONOUR_GRACE,
    CollectionInstruction,
    CollectionStatus,
    CollectionTerms,
    UntrustedCollection,
)

from .conftest import DAY, UNIT, ZERO, fresh_hash

DP, DA = CollectionTerms.DOCUMENTS_AGAINST_PAYMENT, CollectionTerms.DOCUMENTS_AGAINST_ACCEPTANCE
MAX_TENOR = 3650 * DAY
GRACE = DAY


def at_time(chain, timestamp: int) -> None:
    """Mine a block at ``timestamp``: calls and gas estimates (where reverts are raised) run at that time."""
    chain.set_next_block_timestamp(timestamp)
    chain.mine()


def mined_at(chain, contract, sender, fn, *args, timestamp: int):
    """Send ``fn`` with a preset gas limit (no estimate) so that it runs in a block at exactly ``timestamp``."""
    chain.set_next_block_timestamp(timestamp)
    return contract.send(sender, fn, *args, gas=500_000).wait()


# ---------------------------------------------------------------------------------------------------------- lodging


def test_lodging_locks_the_bill_and_records_the_instruction(
    collections, registry, issue_bill, instruction, shipper, buyer, chain
):
    bill = issue_bill(shipper)
    ins = instruction(remitter_ref=fresh_hash("invoice"))
    before = collections.count()
    cid = collections.lodge(registry, bill, ins, sender=shipper)
    assert cid == before + 1 == collections.count()
    c = collections.collection(cid)
    assert (c.remitter, c.status, c.registry, c.bill_id, c.instruction) == (
        shipper.address,
        CollectionStatus.PRESENTED,
        registry.address,
        bill,
        ins,
    )
    assert (c.lodged_at, c.maturity, c.draft_holder) == (chain.timestamp(), 0, ZERO)
    title = registry.title(bill)
    assert (title.encumbered, title.locker, title.beneficiary) == (True, collections.address, shipper.address)
    [advice] = collections.advices(cid)
    assert (advice.event, advice.advice) == ("CollectionLodged", "presented")
    assert advice.args["instruction"] == ins.as_abi() and advice.args["drawee"] == buyer.address
    assert collections.collection_for_bill(bill, registry.address) == c


def test_acceptance_collection_starts_with_the_drawer_holding_the_draft(lodged, collections, shipper):
    cid, _ = lodged(acceptance=True)
    c = collections.collection(cid)
    assert (c.instruction.terms, c.draft_holder, c.maturity) == (DA, shipper.address, 0)


def test_default_presentation_period(collections, registry, issue_bill, instruction, shipper, chain):
    bill = issue_bill(shipper)
    now = chain.timestamp()
    cid = collections.lodge(registry, bill, instruction(presentation_deadline=0), sender=shipper)
    assert collections.collection(cid).instruction.presentation_deadline == now + DEFAULT_PRESENTATION_PERIOD


def test_instruction_must_be_abi_encoded(collections, registry, issue_bill, instruction, shipper):
    bill = issue_bill(shipper)
    for data in (b"", instruction().encode()[:-1], instruction().encode() + b"\0"):
        with pytest.raises(errors.CollectionMalformedInstruction) as caught:
            registry.encumber(bill, collections.address, sender=shipper, data=data)
        assert caught.value.length == len(data)


@pytest.mark.parametrize("field", ["drawer", "drawee", "token"])
def test_instruction_needs_its_parties_and_currency(collections, registry, issue_bill, instruction, shipper, field):
    with pytest.raises(errors.CollectionZeroAddress):
        collections.lodge(registry, issue_bill(shipper), instruction(**{field: ZERO}), sender=shipper)


def test_instruction_needs_an_amount(collections, registry, issue_bill, instruction, shipper):
    with pytest.raises(errors.CollectionZeroAmount):
        collections.lodge(registry, issue_bill(shipper), instruction(amount=0), sender=shipper)


def test_drawee_is_a_third_party(collections, registry, issue_bill, instruction, shipper, remitting_bank):
    with pytest.raises(errors.CollectionInvalidDrawee) as caught:
        collections.lodge(registry, issue_bill(shipper), instruction(drawee=shipper.address), sender=shipper)
    assert caught.value.drawee == shipper.address
    # The remitting bank lodges its bill on the shipper's behalf: the drawee cannot be the bank either.
    bill = issue_bill(remitting_bank)
    with pytest.raises(errors.CollectionInvalidDrawee) as caught:
        collections.lodge(registry, bill, instruction(drawee=remitting_bank.address), sender=remitting_bank)
    assert caught.value.drawee == remitting_bank.address


def test_presentation_deadline_must_be_ahead(collections, registry, issue_bill, instruction, shipper, chain):
    deadline = chain.timestamp() - 1
    with pytest.raises(errors.CollectionInvalidDeadline) as caught:
        collections.lodge(registry, issue_bill(shipper), instruction(presentation_deadline=deadline), sender=shipper)
    assert caught.value.presentationDeadline == deadline and caught.value.timestamp > deadline


@pytest.mark.parametrize(
    ("terms", "tenor", "maturity"),
    [
        (DP, 30 * DAY, 0),  # art. 7 (a): no D/P with a future-dated draft
        (DP, 0, 10**10),
        (DA, 0, 0),  # D/A needs a tenor or a maturity ...
        (DA, 30 * DAY, 10**10),  # ... not both
        (DA, MAX_TENOR + 1, 0),
    ],
)
def test_tenor_matches_the_terms(collections, registry, issue_bill, instruction, shipper, terms, tenor, maturity):
    ins = replace(instruction(), terms=terms, tenor=tenor, maturity=maturity)
    with pytest.raises(errors.CollectionInvalidTenor) as caught:
        collections.lodge(registry, issue_bill(shipper), ins, sender=shipper)
    assert (caught.value.terms, caught.value.tenor, caught.value.maturity) == (terms, tenor, maturity)


def test_longest_tenor_is_accepted(lodged, collections):
    cid, _ = lodged(acceptance=True, tenor=MAX_TENOR)
    assert collections.collection(cid).instruction.tenor == MAX_TENOR


def test_fixed_maturity_follows_the_deadline(collections, registry, issue_bill, instruction, shipper):
    ins = instruction(acceptance=True, tenor=0)
    ins = replace(ins, maturity=ins.presentation_deadline)
    with pytest.raises(errors.CollectionInvalidMaturity) as caught:
        collections.lodge(registry, issue_bill(shipper), ins, sender=shipper)
    assert (caught.value.maturity, caught.value.presentationDeadline) == (ins.maturity, ins.presentation_deadline)


def test_python_instruction_takes_one_tenor(token, shipper, buyer):
    for tenor, maturity in ((0, 0), (DAY, 10**10)):
        with pytest.raises(errors.TradefinError):
            CollectionInstruction.documents_against_acceptance(
                drawer=shipper.address,
                drawee=buyer.address,
                token=token.address,
                amount=1,
                presentation_deadline=10**10,
                tenor=tenor,
                maturity=maturity,
            )


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        (DocumentKind.NEGOTIABLE_BILL_OF_LADING, ConsignmentForm.STRAIGHT),
        (DocumentKind.SEA_WAYBILL, ConsignmentForm.STRAIGHT),
    ],
)
def test_only_negotiable_bills_are_collected(collections, registry, issue_bill, instruction, shipper, kind, form):
    bill = issue_bill(shipper, kind=kind, form=form)
    with pytest.raises(errors.CollectionBillNotNegotiable) as caught:
        collections.lodge(registry, bill, instruction(), sender=shipper)
    assert (caught.value.billId, caught.value.kind, caught.value.form) == (bill, kind, form)


def test_lodged_bill_cannot_move_or_be_pledged(collections, registry, lodged, shipper, buyer, loans, terms, financier):
    _, bill = lodged()
    with pytest.raises(errors.TitleEncumbered) as caught:
        registry.transfer_holder(bill, buyer.address, sender=shipper)
    assert caught.value.locker == collections.address
    loan_id = loans.offer(terms(bill), sender=financier)
    with pytest.raises(errors.TitleAlreadyEncumbered):
        loans.accept(loan_id, registry, sender=shipper)


# ------------------------------------------------------------------------------------------------------------- D/P


def test_payment_passes_title_and_money_in_one_transaction(collections, registry, lodged, shipper, buyer, balance):
    cid, bill = lodged()
    drawer0, drawee0 = balance(shipper), balance(buyer)
    receipt = collections.pay(cid, sender=buyer, trusted=registry)
    assert (balance(shipper), balance(buyer)) == (drawer0 + 250 * UNIT, drawee0 - 250 * UNIT)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, buyer.address, False)
    assert collections.status(cid) is CollectionStatus.PAID
    [event] = collections.contract.decode_logs(receipt)
    assert (event.name, event["drawee"], event["drawer"], event["amount"]) == (
        "CollectionPaid",
        buyer.address,
        shipper.address,
        250 * UNIT,
    )
    assert [a.advice for a in collections.advices(cid)] == ["presented", "advice of payment"]
    assert collections.collection_for_bill(bill, registry.address) is None
    registry.surrender(bill, sender=buyer)  # the buyer is the owner now and takes delivery


def test_blank_endorsed_bill_is_paid_over_to_the_drawee(
    collections, registry, issue_bill, instruction, shipper, buyer, funded
):
    bill = issue_bill(shipper, form=ConsignmentForm.BLANK_ENDORSED)
    cid = collections.lodge(registry, bill, instruction(), sender=shipper)
    collections.pay(cid, sender=buyer)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder) == (buyer.address, buyer.address)


def test_remitting_bank_lodges_and_the_drawer_is_paid(
    collections, registry, issue_bill, instruction, shipper, buyer, remitting_bank, balance, funded
):
    bill = issue_bill(remitting_bank)  # the bank holds the bill endorsed to it by the exporter
    cid = collections.lodge(registry, bill, instruction(), sender=remitting_bank)
    assert collections.collection(cid).remitter == remitting_bank.address
    drawer0, bank0 = balance(shipper), balance(remitting_bank)
    collections.pay(cid, sender=buyer)
    assert (balance(shipper), balance(remitting_bank)) == (drawer0 + 250 * UNIT, bank0)


def test_only_the_drawee_pays_before_the_deadline(collections, lodged, shipper, financier, chain):
    cid, _ = lodged()
    for sender in (shipper, financier):
        with pytest.raises(errors.CollectionNotDrawee) as caught:
            collections.pay(cid, sender=sender)
        assert (caught.value.collectionId, caught.value.caller) == (cid, sender.address)


def test_payment_after_the_deadline_is_refused(collections, lodged, buyer, chain):
    cid, _ = lodged()
    deadline = collections.collection(cid).instruction.presentation_deadline
    at_time(chain, deadline + 1)
    with pytest.raises(errors.CollectionPresentationExpired) as caught:
        collections.pay(cid, sender=buyer)
    assert (caught.value.collectionId, caught.value.presentationDeadline) == (cid, deadline)


def test_payment_at_the_deadline_is_on_time(collections, lodged, buyer, chain):
    cid, _ = lodged()
    deadline = collections.collection(cid).instruction.presentation_deadline
    mined_at(chain, collections.contract, buyer, "pay", cid, timestamp=deadline)
    assert collections.status(cid) is CollectionStatus.PAID


def test_terms_decide_between_pay_and_accept(collections, lodged, buyer):
    dp, _ = lodged()
    da, _ = lodged(acceptance=True)
    with pytest.raises(errors.CollectionWrongTerms) as caught:
        collections.accept(dp, sender=buyer)
    assert (caught.value.collectionId, caught.value.terms) == (dp, DP)
    with pytest.raises(errors.CollectionWrongTerms) as caught:
        collections.pay(da, sender=buyer)
    assert (caught.value.collectionId, caught.value.terms) == (da, DA)


def test_nobody_pays_twice(collections, lodged, buyer):
    cid, _ = lodged()
    collections.pay(cid, sender=buyer)
    with pytest.raises(errors.CollectionNotPresented) as caught:
        collections.pay(cid, sender=buyer)
    assert (caught.value.collectionId, caught.value.status) == (cid, CollectionStatus.PAID)


def test_payment_needs_the_drawees_allowance(collections, registry, lodged, buyer, token):
    cid, bill = lodged()
    token.transact(buyer, "approve", collections.address, 0)
    with pytest.raises(errors.ERC20InsufficientAllowance) as caught:
        collections.pay(cid, sender=buyer)
    assert caught.value.arguments == {"spender": collections.address, "allowance": 0, "needed": 250 * UNIT}
    assert registry.title(bill).locker == collections.address


def test_drawee_checks_the_registry_before_paying(ctx, collections, lodged, buyer, carrier, registry):
    cid, _ = lodged()
    elsewhere = TitleRegistry.deploy(ctx, carrier, symbol="ELSE")
    with pytest.raises(UntrustedCollection):
        collections.pay(cid, sender=buyer, trusted=elsewhere)
    with pytest.raises(UntrustedCollection):
        collections.accept(cid, sender=buyer, trusted=elsewhere)
    collections.check_bill(cid, registry)


def test_unknown_collection(collections, buyer, shipper):
    for action in (
        lambda: collections.pay(77, sender=buyer),
        lambda: collections.accept(77, sender=buyer),
        lambda: collections.refuse(77, sender=buyer),
        lambda: collections.honour(77, sender=buyer),
        lambda: collections.transfer_draft(77, buyer.address, sender=shipper),
        lambda: collections.dishonour(77, sender=shipper),
        lambda: collections.return_documents(77, sender=shipper),
    ):
        with pytest.raises(errors.CollectionNotFound) as caught:
            action()
        assert caught.value.collectionId == 77


# ------------------------------------------------------------------------------------------------------------- D/A


def test_acceptance_releases_the_title_and_fixes_maturity(
    collections, registry, lodged, shipper, buyer, balance, chain
):
    cid, bill = lodged(acceptance=True)
    drawee0 = balance(buyer)
    receipt = collections.accept(cid, sender=buyer, trusted=registry)
    c = collections.collection(cid)
    accepted_at = int(chain.block(receipt.block_number)["timestamp"], 16)
    assert c.maturity == accepted_at + 60 * DAY
    assert (c.status, c.draft_holder) == (CollectionStatus.ACCEPTED, shipper.address)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, buyer.address, False)
    assert balance(buyer) == drawee0  # nothing paid yet
    [event] = collections.contract.decode_logs(receipt)
    assert (event.name, event["draftHolder"], event["amount"], event["maturity"]) == (
        "CollectionAccepted",
        shipper.address,
        250 * UNIT,
        c.maturity,
    )


def test_fixed_maturity_is_kept(collections, lodged, buyer, chain):
    maturity = chain.timestamp() + 120 * DAY
    cid, _ = lodged(acceptance=True, tenor=0, maturity=maturity)
    collections.accept(cid, sender=buyer)
    assert collections.collection(cid).maturity == maturity


def accepted(collections, lodged, buyer, **changes):
    cid, bill = lodged(acceptance=True, **changes)
    collections.accept(cid, sender=buyer)
    return cid, bill, collections.collection(cid).maturity


def test_drawee_pays_at_maturity(collections, lodged, shipper, buyer, balance, chain):
    cid, _, maturity = accepted(collections, lodged, buyer)
    drawer0, drawee0 = balance(shipper), balance(buyer)
    receipt = mined_at(chain, collections.contract, buyer, "honour", cid, timestamp=maturity)
    assert (balance(shipper), balance(buyer)) == (drawer0 + 250 * UNIT, drawee0 - 250 * UNIT)
    assert collections.status(cid) is CollectionStatus.HONOURED
    [event] = collections.contract.decode_logs(receipt)
    assert (event.name, event["draftHolder"]) == ("CollectionHonoured", shipper.address)
    with pytest.raises(errors.CollectionNotAccepted) as caught:  # nobody pays twice
        collections.honour(cid, sender=buyer)
    assert caught.value.status == CollectionStatus.HONOURED


def test_no_payment_of_the_draft_before_maturity(collections, lodged, buyer, chain):
    cid, _, maturity = accepted(collections, lodged, buyer)
    with pytest.raises(errors.CollectionNotMatured) as caught:  # mined one second before maturity, exactly
        mined_at(chain, collections.contract, buyer, "honour", cid, timestamp=maturity - 1)
    assert (caught.value.collectionId, caught.value.maturity) == (cid, maturity)


def test_only_the_drawee_honours(collections, lodged, buyer, shipper, chain):
    cid, _, maturity = accepted(collections, lodged, buyer)
    at_time(chain, maturity)
    with pytest.raises(errors.CollectionNotDrawee) as caught:
        collections.honour(cid, sender=shipper)
    assert caught.value.caller == shipper.address


def test_honour_needs_an_accepted_draft(collections, lodged, buyer):
    cid, _ = lodged(acceptance=True)
    with pytest.raises(errors.CollectionNotAccepted) as caught:
        collections.honour(cid, sender=buyer)
    assert (caught.value.collectionId, caught.value.status) == (cid, CollectionStatus.PRESENTED)


def test_transferred_draft_is_paid_to_its_holder(collections, lodged, shipper, buyer, financier, balance, chain):
    cid, _, maturity = accepted(collections, lodged, buyer)
    receipt = collections.transfer_draft(cid, financier.address, sender=shipper)
    [event] = collections.contract.decode_logs(receipt)
    assert (event.name, event["from"], event["to"]) == (
        "CollectionDraftTransferred",
        shipper.address,
        financier.address,
    )
    assert collections.collection(cid).draft_holder == financier.address
    with pytest.raises(errors.CollectionNotDraftHolder) as caught:  # the drawer sold it
        collections.transfer_draft(cid, shipper.address, sender=shipper)
    assert caught.value.caller == shipper.address
    fin0, drawer0 = balance(financier), balance(shipper)
    mined_at(chain, collections.contract, buyer, "honour", cid, timestamp=maturity)
    assert (balance(financier), balance(shipper)) == (fin0 + 250 * UNIT, drawer0)


def test_draft_transfer_rules(collections, lodged, shipper, buyer):
    presented, _ = lodged(acceptance=True)
    with pytest.raises(errors.CollectionNotAccepted):
        collections.transfer_draft(presented, buyer.address, sender=shipper)
    cid, _, _ = accepted(collections, lodged, buyer)
    with pytest.raises(errors.CollectionZeroAddress):
        collections.transfer_draft(cid, ZERO, sender=shipper)
    with pytest.raises(errors.CollectionAlreadyDraftHolder) as caught:
        collections.transfer_draft(cid, shipper.address, sender=shipper)
    assert (caught.value.collectionId, caught.value.holder) == (cid, shipper.address)


def test_dishonour_after_the_grace_is_final(collections, lodged, shipper, buyer, chain):
    cid, _, maturity = accepted(collections, lodged, buyer)
    receipt = mined_at(
        chain, collections.contract, shipper, "dishonour", cid, b"protest 42", timestamp=maturity + GRACE + 1
    )
    assert collections.status(cid) is CollectionStatus.DISHONOURED
    [event] = collections.contract.decode_logs(receipt)
    assert event.name == "CollectionDishonoured"
    assert (event["drawee"], event["draftHolder"], event["recorder"]) == (
        buyer.address,
        shipper.address,
        shipper.address,
    )
    assert (event["amount"], event["maturity"], event["protest"]) == (250 * UNIT, maturity, b"protest 42")
    with pytest.raises(errors.CollectionNotAccepted) as caught:
        collections.honour(cid, sender=buyer)
    assert caught.value.status == CollectionStatus.DISHONOURED
    with pytest.raises(errors.CollectionNotAccepted):
        collections.dishonour(cid, sender=shipper)
    assert collections.advices(cid)[-1].advice == "advice of non-payment, protested"


def test_the_grace_is_a_day(collections):
    assert collections.contract.call("DISHONOUR_GRACE") == DISHONOUR_GRACE == GRACE


@pytest.mark.parametrize("after", [-1, 0, 1, GRACE // 2, GRACE], ids=["before", "at", "just-after", "mid-grace", "end"])
def test_no_dishonour_until_the_grace_has_passed(collections, lodged, shipper, buyer, chain, after):
    """Each attempt is mined at exactly ``maturity + after``: the drawee's day of grace holds to its last second."""
    cid, _, maturity = accepted(collections, lodged, buyer)
    with pytest.raises(errors.CollectionDishonourTooEarly) as caught:
        mined_at(chain, collections.contract, shipper, "dishonour", cid, b"", timestamp=maturity + after)
    assert (caught.value.collectionId, caught.value.graceEnd) == (cid, maturity + GRACE)
    assert collections.collection(cid).dishonour_after == maturity + GRACE
    assert collections.status(cid) is CollectionStatus.ACCEPTED


def test_honour_at_the_end_of_the_grace_beats_the_protest(collections, lodged, shipper, buyer, balance, chain):
    """Well after maturity, one second before the grace ends, the drawee still pays in full; the protest that
    follows (even once the grace is over) finds no accepted draft."""
    cid, _, maturity = accepted(collections, lodged, buyer)
    drawer0, drawee0 = balance(shipper), balance(buyer)
    receipt = mined_at(chain, collections.contract, buyer, "honour", cid, timestamp=maturity + GRACE - 1)
    assert (balance(shipper), balance(buyer)) == (drawer0 + 250 * UNIT, drawee0 - 250 * UNIT)
    assert [e.name for e in collections.contract.decode_logs(receipt)] == ["CollectionHonoured"]
    for when in (maturity + GRACE, maturity + GRACE + 1):
        with pytest.raises(errors.CollectionNotAccepted) as caught:
            mined_at(chain, collections.contract, shipper, "dishonour", cid, b"", timestamp=when)
        assert (caught.value.collectionId, caught.value.status) == (cid, CollectionStatus.HONOURED)
    assert balance(shipper) == drawer0 + 250 * UNIT


def test_late_honour_is_still_honour_until_dishonour(collections, lodged, shipper, buyer, balance, chain):
    """After the grace, until the holder protests, the drawee can still pay, in full."""
    cid, _, maturity = accepted(collections, lodged, buyer)
    drawer0 = balance(shipper)
    mined_at(chain, collections.contract, buyer, "honour", cid, timestamp=maturity + 10 * GRACE)
    assert collections.status(cid) is CollectionStatus.HONOURED
    assert balance(shipper) == drawer0 + 250 * UNIT


def test_who_records_dishonour(collections, lodged, shipper, buyer, collecting_bank, financier, chain):
    cid, _, maturity = accepted(collections, lodged, buyer)
    at_time(chain, maturity + GRACE + 1)
    for sender in (buyer, financier, collecting_bank):  # no collecting bank in this instruction
        with pytest.raises(errors.CollectionNotDraftHolder) as caught:
            collections.dishonour(cid, sender=sender)
        assert caught.value.caller == sender.address
    banked, _, maturity = accepted(collections, lodged, buyer, collecting_bank=collecting_bank.address)
    at_time(chain, maturity + GRACE + 1)
    receipt = collections.dishonour(banked, sender=collecting_bank, protest="protested by notary")
    assert collections.contract.decode_logs(receipt)[0]["recorder"] == collecting_bank.address


def test_reasons_and_protests_are_bounded(collections, lodged, shipper, buyer, chain):
    cid, _ = lodged()
    with pytest.raises(errors.CollectionRemarkTooLong) as caught:
        collections.refuse(cid, sender=buyer, reason=b"x" * 257)
    assert (caught.value.length, caught.value.max) == (257, 256)
    da, _, maturity = accepted(collections, lodged, buyer)
    at_time(chain, maturity + GRACE + 1)
    with pytest.raises(errors.CollectionRemarkTooLong):
        collections.dishonour(da, sender=shipper, protest=b"x" * 257)


# --------------------------------------------------------------------------------------------- refusal and return


def test_refused_documents_return_to_the_remitter(collections, registry, lodged, shipper, buyer):
    cid, bill = lodged()
    receipt = collections.refuse(cid, sender=buyer, reason="goods not as ordered")
    [event] = collections.contract.decode_logs(receipt)
    assert (event.name, event["reason"]) == ("CollectionRefused", b"goods not as ordered")
    assert collections.status(cid) is CollectionStatus.REFUSED
    with pytest.raises(errors.CollectionNotPresented) as caught:  # refusal stands
        collections.pay(cid, sender=buyer)
    assert caught.value.status == CollectionStatus.REFUSED
    receipt = collections.return_documents(cid, sender=shipper, remark="back to exporter")
    [event] = collections.contract.decode_logs(receipt)
    assert (event.name, event["remitter"], event["by"]) == ("CollectionReturned", shipper.address, shipper.address)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (shipper.address, shipper.address, False)
    assert collections.status(cid) is CollectionStatus.RETURNED
    assert [a.event for a in collections.advices(cid)] == [
        "CollectionLodged",
        "CollectionRefused",
        "CollectionReturned",
    ]
    again = collections.lodge(registry, bill, replace(collections.collection(cid).instruction), sender=shipper)
    assert collections.status(again) is CollectionStatus.PRESENTED


def test_only_the_drawee_refuses_what_is_presented(collections, lodged, shipper, buyer):
    cid, _ = lodged()
    with pytest.raises(errors.CollectionNotDrawee) as caught:
        collections.refuse(cid, sender=shipper)
    assert caught.value.caller == shipper.address
    collections.pay(cid, sender=buyer)
    with pytest.raises(errors.CollectionNotPresented) as caught:
        collections.refuse(cid, sender=buyer)
    assert caught.value.status == CollectionStatus.PAID


def test_unanswered_documents_return_after_the_deadline(
    collections, registry, lodged, shipper, buyer, collecting_bank, chain
):
    cid, bill = lodged(collecting_bank=collecting_bank.address)
    deadline = collections.collection(cid).instruction.presentation_deadline
    at_time(chain, deadline)
    with pytest.raises(errors.CollectionNotReturnable) as caught:
        collections.return_documents(cid, sender=collecting_bank)
    assert caught.value.arguments == {
        "collectionId": cid,
        "status": CollectionStatus.PRESENTED,
        "presentationDeadline": deadline,
    }
    mined_at(chain, collections.contract, collecting_bank, "returnDocuments", cid, b"", timestamp=deadline + 1)
    title = registry.title(bill)
    assert (title.beneficiary, title.encumbered) == (shipper.address, False)
    with pytest.raises(errors.CollectionNotReturnable) as caught:  # once
        collections.return_documents(cid, sender=shipper)
    assert caught.value.status == CollectionStatus.RETURNED


def test_paid_or_accepted_documents_are_not_returned(collections, lodged, shipper, buyer, chain):
    paid, _ = lodged()
    collections.pay(paid, sender=buyer)
    da, _, _ = accepted(collections, lodged, buyer)
    at_time(chain, chain.timestamp() + 30 * DAY)
    for cid, status in ((paid, CollectionStatus.PAID), (da, CollectionStatus.ACCEPTED)):
        with pytest.raises(errors.CollectionNotReturnable) as caught:
            collections.return_documents(cid, sender=shipper)
        assert caught.value.status == status


def test_only_the_remitting_side_returns(collections, lodged, buyer, financier, collecting_bank):
    cid, _ = lodged()
    collections.refuse(cid, sender=buyer)
    for sender in (buyer, financier, collecting_bank):  # no collecting bank in this instruction
        with pytest.raises(errors.CollectionNotRemitter) as caught:
            collections.return_documents(cid, sender=sender)
        assert (caught.value.collectionId, caught.value.caller) == (cid, sender.address)


def test_acceptance_after_the_deadline_is_refused_and_documents_go_back(
    collections, registry, lodged, shipper, buyer, chain
):
    cid, bill = lodged(acceptance=True)
    deadline = collections.collection(cid).instruction.presentation_deadline
    at_time(chain, deadline + 1)
    with pytest.raises(errors.CollectionPresentationExpired):
        collections.accept(cid, sender=buyer)
    collections.return_documents(cid, sender=shipper)
    assert registry.title(bill).beneficiary == shipper.address
