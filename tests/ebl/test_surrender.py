"""Surrender for delivery or amendment, the carrier's decision, amendment by void and re-issue."""

import pytest
from eth_utils import keccak

from tradefin import errors
from tradefin.ebl import ConsignmentForm, Status, SurrenderReason

STRAIGHT, TO_ORDER, BLANK = ConsignmentForm.STRAIGHT, ConsignmentForm.TO_ORDER, ConsignmentForm.BLANK_ENDORSED


@pytest.mark.parametrize("form", [STRAIGHT, TO_ORDER, BLANK])
def test_owner_surrenders_and_carrier_accepts(registry, issue_bill, carrier, buyer, form):
    bill = issue_bill(buyer, buyer, form=form)
    registry.surrender(bill, sender=buyer, remark="goods collected")
    assert registry.status(bill) is Status.SURRENDER_PENDING_DELIVERY
    receipt = registry.accept_surrender(bill, sender=carrier)
    assert registry.status(bill) is Status.ACCOMPLISHED
    names = [e.name for e in registry.contract.decode_logs(receipt)]
    assert names == ["Transfer", "SurrenderAccepted"]
    with pytest.raises(errors.ERC721NonexistentToken):
        registry.owner_of(bill)


def test_straight_consignee_must_hold_the_bill_to_surrender(registry, issue_bill, shipper, buyer):
    bill = issue_bill(buyer, shipper, form=STRAIGHT)
    with pytest.raises(errors.TitleNotHolder):
        registry.surrender(bill, sender=buyer)
    with pytest.raises(errors.TitleNotBeneficiary):
        registry.surrender(bill, sender=shipper)


def test_to_order_endorsee_must_also_hold_it(registry, issue_bill, shipper, advising_bank):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotHolder):
        registry.surrender(bill, sender=shipper)


def test_nothing_moves_a_pending_surrender(registry, issue_bill, buyer, financier):
    bill = issue_bill(buyer)
    registry.surrender(bill, sender=buyer)
    pending = Status.SURRENDER_PENDING_DELIVERY
    for attempt in (
        lambda: registry.transfer_holder(bill, financier.address, sender=buyer),
        lambda: registry.endorse(bill, financier.address, sender=buyer),
        lambda: registry.nominate(bill, financier.address, sender=buyer),
        lambda: registry.surrender(bill, sender=buyer),
        lambda: registry.endorse_in_blank(bill, sender=buyer),
    ):
        with pytest.raises(errors.TitleNotActive) as caught:
            attempt()
        assert caught.value.status == pending


def test_carrier_rejects_surrender_and_the_title_is_restored(registry, issue_bill, carrier, buyer, financier):
    bill = issue_bill(buyer)
    registry.surrender(bill, sender=buyer)
    registry.reject_surrender(bill, sender=carrier, remark="not the consignee on file")
    title = registry.title(bill)
    assert (title.status, title.beneficiary, title.holder) == (Status.ACTIVE, buyer.address, buyer.address)
    registry.transfer_holder(bill, financier.address, sender=buyer)  # usable again


def test_only_the_issuer_decides_and_only_on_a_pending_surrender(registry, issue_bill, carrier, buyer):
    bill = issue_bill(buyer)
    with pytest.raises(errors.TitleNotSurrendered) as caught:
        registry.accept_surrender(bill, sender=carrier)
    assert caught.value.status == Status.ACTIVE
    with pytest.raises(errors.TitleNotSurrendered):
        registry.reject_surrender(bill, sender=carrier)
    registry.surrender(bill, sender=buyer)
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        registry.accept_surrender(bill, sender=buyer)
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        registry.reject_surrender(bill, sender=buyer)


def test_accomplished_bill_never_moves_again(registry, issue_bill, carrier, buyer, financier):
    bill = issue_bill(buyer)
    registry.surrender(bill, sender=buyer)
    registry.accept_surrender(bill, sender=carrier)
    with pytest.raises(errors.TitleNotActive) as caught:
        registry.transfer_holder(bill, financier.address, sender=buyer)
    assert caught.value.status == Status.ACCOMPLISHED
    with pytest.raises(errors.TitleNotSurrendered):
        registry.accept_surrender(bill, sender=carrier)
    with pytest.raises(errors.TitleAlreadyIssued):
        registry.issue(
            bill.to_bytes(32, "big"),
            beneficiary=buyer.address,
            holder=buyer.address,
            sender=carrier,
            kind=registry.title(bill).kind,
            form=TO_ORDER,
        )


def test_amendment_voids_and_reissues_with_a_link(registry, issue_bill, carrier, shipper, advising_bank):
    bill = issue_bill(shipper)
    registry.transfer_holder(bill, advising_bank.address, sender=shipper)
    registry.transfer_holder(bill, shipper.address, sender=advising_bank)
    registry.surrender(bill, sender=shipper, reason=SurrenderReason.AMENDMENT, remark="switch port of discharge")
    assert registry.status(bill) is Status.SURRENDER_PENDING_AMENDMENT
    amended = registry.amend(bill, keccak(text="amended document"), sender=carrier)
    assert registry.status(bill) is Status.VOIDED
    assert registry.superseded_by(bill) == amended.id
    new = registry.title(amended.id)
    assert (new.status, new.beneficiary, new.holder, new.form) == (
        Status.ACTIVE,
        shipper.address,
        shipper.address,
        TO_ORDER,
    )
    old_history, new_history = registry.history(bill), registry.history(amended.id)
    assert old_history.superseded_by == amended.id and new_history.amended_from == bill
    assert [e.action for e in old_history.entries][-1] == "surrender_accepted"
    assert old_history.entries[-1].status is Status.VOIDED


def test_amendment_after_an_accepted_amendment_surrender(registry, issue_bill, carrier, shipper):
    bill = issue_bill(shipper)
    registry.surrender(bill, sender=shipper, reason=SurrenderReason.AMENDMENT)
    registry.accept_surrender(bill, sender=carrier)
    assert registry.status(bill) is Status.VOIDED
    amended = registry.amend(bill, keccak(text="late amendment"), sender=carrier)
    with pytest.raises(errors.TitleAlreadySuperseded) as caught:
        registry.amend(bill, keccak(text="twice"), sender=carrier)
    assert caught.value.newId == amended.id


def test_only_bills_surrendered_for_amendment_are_amended(registry, issue_bill, carrier, buyer):
    bill = issue_bill(buyer)
    with pytest.raises(errors.TitleNotAmendable) as caught:
        registry.amend(bill, keccak(text="nope"), sender=carrier)
    assert caught.value.status == Status.ACTIVE
    registry.surrender(bill, sender=buyer)  # for delivery
    with pytest.raises(errors.TitleNotAmendable):
        registry.amend(bill, keccak(text="nope"), sender=carrier)
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        registry.amend(bill, keccak(text="nope"), sender=buyer)
