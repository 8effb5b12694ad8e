"""Possession and title: transfer holder, nominate, endorse, transfer both, blank endorsement, rejections."""

import pytest

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind

BL, SWB = DocumentKind.NEGOTIABLE_BILL_OF_LADING, DocumentKind.SEA_WAYBILL
STRAIGHT, TO_ORDER, BLANK = ConsignmentForm.STRAIGHT, ConsignmentForm.TO_ORDER, ConsignmentForm.BLANK_ENDORSED
ZERO = "0x" + "00" * 20


def parties(registry, bill):
    title = registry.title(bill)
    return title.beneficiary, title.holder


# -- transfer holder -----------------------------------------------------------------------------------------------


def test_holder_passes_possession(registry, issue_bill, shipper, advising_bank):
    bill = issue_bill(shipper, shipper)
    receipt = registry.transfer_holder(bill, advising_bank.address, sender=shipper, remark="to the bank")
    assert parties(registry, bill) == (shipper.address, advising_bank.address)
    [event] = registry.contract.decode_logs(receipt)
    assert (event.name, event["from"], event["to"], event["remark"]) == (
        "HolderTransferred",
        shipper.address,
        advising_bank.address,
        b"to the bank",
    )


def test_only_the_holder_transfers_possession(registry, issue_bill, shipper, buyer, advising_bank):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotHolder) as caught:
        registry.transfer_holder(bill, buyer.address, sender=shipper)
    assert (caught.value.id, caught.value.caller) == (bill, shipper.address)


def test_transfer_holder_to_zero_or_to_self_fails(registry, issue_bill, shipper):
    bill = issue_bill(shipper)
    with pytest.raises(errors.TitleZeroAddress):
        registry.transfer_holder(bill, ZERO, sender=shipper)
    with pytest.raises(errors.TitleAlreadyHolder) as caught:
        registry.transfer_holder(bill, shipper.address, sender=shipper)
    assert caught.value.holder == shipper.address


def test_unknown_bill_is_not_issued(registry, shipper, buyer):
    with pytest.raises(errors.TitleNotIssued) as caught:
        registry.transfer_holder(12345, buyer.address, sender=shipper)
    assert caught.value.id == 12345


# -- nominate and endorse --------------------------------------------------------------------------------------------


def test_beneficiary_nominates_and_holder_endorses_to_the_nominee(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    assert registry.is_nominee(bill, buyer.address) and registry.title(bill).nominated
    receipt = registry.endorse(bill, buyer.address, sender=advising_bank)
    assert parties(registry, bill) == (buyer.address, advising_bank.address)
    assert not registry.title(bill).nominated
    names = [e.name for e in registry.contract.decode_logs(receipt)]
    assert names == ["Transfer", "BeneficiaryTransferred"]
    assert registry.owner_of(bill) == buyer.address


def test_holder_endorses_only_to_the_nominee(registry, issue_bill, shipper, advising_bank, buyer, financier):
    bill = issue_bill(shipper, advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleNotNominee) as caught:
        registry.endorse(bill, financier.address, sender=advising_bank)
    assert caught.value.endorsee == financier.address


def test_owner_endorses_to_anyone_without_nomination(registry, issue_bill, shipper, buyer):
    bill = issue_bill(shipper, shipper)
    registry.endorse(bill, buyer.address, sender=shipper)
    assert parties(registry, bill) == (buyer.address, shipper.address)


def test_only_the_beneficiary_nominates(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotBeneficiary) as caught:
        registry.nominate(bill, buyer.address, sender=advising_bank)
    assert caught.value.caller == advising_bank.address


def test_nomination_rules(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleAlreadyBeneficiary):
        registry.nominate(bill, shipper.address, sender=shipper)
    with pytest.raises(errors.TitleNomineeUnchanged):  # nothing to cancel yet
        registry.nominate(bill, ZERO, sender=shipper)
    registry.nominate(bill, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleNomineeUnchanged) as caught:
        registry.nominate(bill, buyer.address, sender=shipper)
    assert caught.value.nominee == buyer.address
    registry.nominate(bill, ZERO, sender=shipper)  # cancels
    assert not registry.is_nominee(bill, buyer.address)


def test_endorse_checks(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotHolder):
        registry.endorse(bill, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleZeroAddress):
        registry.endorse(bill, ZERO, sender=advising_bank)
    with pytest.raises(errors.TitleAlreadyBeneficiary):
        registry.endorse(bill, shipper.address, sender=advising_bank)


@pytest.mark.parametrize(("kind", "form"), [(SWB, STRAIGHT), (BL, STRAIGHT), (BL, BLANK)])
def test_only_to_order_bills_are_nominated_or_endorsed(registry, issue_bill, shipper, buyer, kind, form):
    bill = issue_bill(shipper, shipper, kind=kind, form=form)
    with pytest.raises(errors.TitleNotEndorsable) as caught:
        registry.nominate(bill, buyer.address, sender=shipper)
    assert (caught.value.kind, caught.value.form) == (kind, form)
    with pytest.raises(errors.TitleNotEndorsable):
        registry.endorse(bill, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleNotEndorsable):
        registry.endorse_in_blank(bill, sender=shipper)


def test_straight_bill_moves_possession_but_never_title(registry, issue_bill, shipper, buyer):
    bill = issue_bill(buyer, shipper, form=STRAIGHT)
    registry.transfer_holder(bill, buyer.address, sender=shipper)
    assert parties(registry, bill) == (buyer.address, buyer.address)


# -- transfer both ---------------------------------------------------------------------------------------------------


def test_transfer_owners_moves_both(registry, issue_bill, shipper, buyer):
    bill = issue_bill(shipper)
    receipt = registry.transfer_owners(bill, buyer.address, buyer.address, sender=shipper)
    assert parties(registry, bill) == (buyer.address, buyer.address)
    assert [e.name for e in registry.contract.decode_logs(receipt)] == [
        "Transfer",
        "BeneficiaryTransferred",
        "HolderTransferred",
    ]


def test_transfer_owners_checks(registry, issue_bill, shipper, advising_bank, buyer, financier):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotHolder):
        registry.transfer_owners(bill, buyer.address, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleZeroAddress):
        registry.transfer_owners(bill, buyer.address, ZERO, sender=advising_bank)
    with pytest.raises(errors.TitleAlreadyHolder):
        registry.transfer_owners(bill, buyer.address, advising_bank.address, sender=advising_bank)
    with pytest.raises(errors.TitleNotNominee):
        registry.transfer_owners(bill, buyer.address, financier.address, sender=advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    registry.transfer_owners(bill, buyer.address, financier.address, sender=advising_bank)
    assert parties(registry, bill) == (buyer.address, financier.address)


# -- blank endorsement -----------------------------------------------------------------------------------------------


def test_blank_endorsement_makes_the_holder_the_title_holder(registry, issue_bill, shipper, buyer, financier):
    bill = issue_bill(shipper)
    registry.endorse_in_blank(bill, sender=shipper)
    assert registry.title(bill).form == BLANK
    receipt = registry.transfer_holder(bill, buyer.address, sender=shipper)
    assert parties(registry, bill) == (buyer.address, buyer.address)
    assert "Transfer" in [e.name for e in registry.contract.decode_logs(receipt)]
    registry.transfer_holder(bill, financier.address, sender=buyer)
    assert registry.owner_of(bill) == financier.address


def test_only_the_owner_endorses_in_blank(registry, issue_bill, shipper, advising_bank):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotHolder):
        registry.endorse_in_blank(bill, sender=shipper)
    with pytest.raises(errors.TitleNotBeneficiary):
        registry.endorse_in_blank(bill, sender=advising_bank)


# -- rejecting a transfer --------------------------------------------------------------------------------------------


def test_new_holder_rejects_the_transfer(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    registry.transfer_holder(bill, buyer.address, sender=advising_bank)
    assert registry.title(bill).holder_rejectable
    receipt = registry.reject_transfer_holder(bill, sender=buyer)  # previous holder found in the history
    assert parties(registry, bill) == (shipper.address, advising_bank.address)
    [event] = registry.contract.decode_logs(receipt)
    assert (event.name, event["from"], event["to"]) == ("HolderTransferRejected", buyer.address, advising_bank.address)
    with pytest.raises(errors.TitleNoRejectableTransfer):  # one step back only
        registry.reject_transfer_holder(bill, sender=advising_bank, previous=buyer.address)


def test_reject_names_the_real_previous_holder(registry, issue_bill, shipper, advising_bank, buyer, financier):
    bill = issue_bill(shipper, advising_bank)
    registry.transfer_holder(bill, buyer.address, sender=advising_bank)
    with pytest.raises(errors.TitleNoRejectableTransfer) as caught:
        registry.reject_transfer_holder(bill, sender=buyer, previous=financier.address)
    assert caught.value.previous == financier.address
    with pytest.raises(errors.TitleNotHolder):
        registry.reject_transfer_holder(bill, sender=financier, previous=advising_bank.address)


def test_reject_window_closes_when_the_receiver_acts(registry, issue_bill, shipper, advising_bank, buyer, financier):
    bill = issue_bill(shipper, advising_bank)
    registry.transfer_holder(bill, buyer.address, sender=advising_bank)
    registry.transfer_holder(bill, financier.address, sender=buyer)
    registry.transfer_holder(bill, buyer.address, sender=financier)
    # buyer may reject financier's transfer (the last one), never advising_bank's earlier one
    with pytest.raises(errors.TitleNoRejectableTransfer):
        registry.reject_transfer_holder(bill, sender=buyer, previous=advising_bank.address)
    registry.reject_transfer_holder(bill, sender=buyer, previous=financier.address)


def test_new_beneficiary_rejects_the_endorsement(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    registry.endorse(bill, buyer.address, sender=advising_bank)
    assert registry.title(bill).beneficiary_rejectable
    registry.reject_transfer_beneficiary(bill, sender=buyer)
    assert parties(registry, bill) == (shipper.address, advising_bank.address)
    assert registry.owner_of(bill) == shipper.address


def test_nomination_by_the_new_beneficiary_ends_its_reject_window(
    registry, issue_bill, shipper, advising_bank, buyer, financier
):
    bill = issue_bill(shipper, advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    registry.endorse(bill, buyer.address, sender=advising_bank)
    registry.nominate(bill, financier.address, sender=buyer)
    with pytest.raises(errors.TitleNoRejectableTransfer):
        registry.reject_transfer_beneficiary(bill, sender=buyer, previous=shipper.address)


def test_only_the_beneficiary_rejects_an_endorsement(registry, issue_bill, shipper, advising_bank, buyer):
    bill = issue_bill(shipper, advising_bank)
    registry.nominate(bill, buyer.address, sender=shipper)
    registry.endorse(bill, buyer.address, sender=advising_bank)
    with pytest.raises(errors.TitleNotBeneficiary):
        registry.reject_transfer_beneficiary(bill, sender=advising_bank, previous=shipper.address)


def test_party_with_both_roles_rejects_both_at_once(registry, issue_bill, shipper, buyer):
    bill = issue_bill(shipper)
    registry.transfer_owners(bill, buyer.address, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleDualRoleRejectionRequired):
        registry.reject_transfer_holder(bill, sender=buyer, previous=shipper.address)
    with pytest.raises(errors.TitleDualRoleRejectionRequired):
        registry.reject_transfer_beneficiary(bill, sender=buyer, previous=shipper.address)
    registry.reject_transfer_owners(bill, sender=buyer)
    assert parties(registry, bill) == (shipper.address, shipper.address)


def test_reject_owners_needs_both_windows(registry, issue_bill, shipper, buyer):
    bill = issue_bill(shipper)
    registry.transfer_owners(bill, buyer.address, buyer.address, sender=shipper)
    with pytest.raises(errors.TitleNoRejectableTransfer):
        registry.reject_transfer_owners(
            bill, sender=buyer, previous_beneficiary=buyer.address, previous_holder=shipper.address
        )
    with pytest.raises(errors.TitleNotBeneficiary):
        registry.reject_transfer_owners(
            bill, sender=shipper, previous_beneficiary=shipper.address, previous_holder=shipper.address
        )


def test_issue_opens_no_reject_window(registry, issue_bill, shipper, carrier):
    bill = issue_bill(shipper)
    with pytest.raises(errors.TitleNoRejectableTransfer):
        registry.reject_transfer_owners(
            bill, sender=shipper, previous_beneficiary=carrier.address, previous_holder=carrier.address
        )
