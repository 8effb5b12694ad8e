"""Issuing: who may, what is checked, what is recorded."""

import pytest
from eth_utils import keccak

from tradefin import errors
from tradefin.documents.canonical import document_hash
from tradefin.documents.examples import shanghai_hong_kong_bill, shanghai_hong_kong_waybill
from tradefin.ebl import ConsignmentForm, DocumentKind, Status

BL, SWB = DocumentKind.NEGOTIABLE_BILL_OF_LADING, DocumentKind.SEA_WAYBILL
STRAIGHT, TO_ORDER, BLANK = ConsignmentForm.STRAIGHT, ConsignmentForm.TO_ORDER, ConsignmentForm.BLANK_ENDORSED
ZERO = "0x" + "00" * 20


def test_issue_from_a_transport_document_binds_its_hash(registry, carrier, shipper, advising_bank):
    document = shanghai_hong_kong_bill()
    issued = registry.issue(document, beneficiary=shipper.address, holder=advising_bank.address, sender=carrier)
    assert issued.id == int.from_bytes(document_hash(document), "big")
    title = registry.title(issued.id)
    assert (title.beneficiary, title.holder) == (shipper.address, advising_bank.address)
    assert (title.kind, title.form, title.status) == (BL, TO_ORDER, Status.ACTIVE)
    assert not title.encumbered and not title.nominated
    assert registry.contract.call("documentHash", issued.id) == document_hash(document)
    assert registry.owner_of(issued.id) == shipper.address


def test_issue_emits_erc721_transfer_and_title_issued(registry, carrier, shipper):
    digest = keccak(text="events")
    issued = registry.issue(
        digest,
        beneficiary=shipper.address,
        holder=shipper.address,
        sender=carrier,
        kind=BL,
        form=TO_ORDER,
        remark="on board",
    )
    events = registry.contract.decode_logs(issued.receipt)
    assert [e.name for e in events] == ["Transfer", "TitleIssued"]
    assert (events[0]["from"], events[0]["to"], events[0]["tokenId"]) == (ZERO, shipper.address, issued.id)
    assert events[1]["remark"] == b"on board"


def test_waybill_issued_straight(registry, carrier, buyer):
    document = shanghai_hong_kong_waybill()
    issued = registry.issue(document, beneficiary=buyer.address, holder=buyer.address, sender=carrier)
    assert registry.title(issued.id).kind == SWB


def test_only_an_issuer_issues(registry, shipper):
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as caught:
        registry.issue(
            keccak(text="x"),
            beneficiary=shipper.address,
            holder=shipper.address,
            sender=shipper,
            kind=BL,
            form=TO_ORDER,
        )
    assert caught.value.account == shipper.address


def test_a_document_is_issued_once(registry, carrier, shipper, issue_bill):
    digest = keccak(text="once")
    registry.issue(digest, beneficiary=shipper.address, holder=shipper.address, sender=carrier, kind=BL, form=TO_ORDER)
    with pytest.raises(errors.TitleAlreadyIssued) as caught:
        registry.issue(
            digest, beneficiary=shipper.address, holder=shipper.address, sender=carrier, kind=BL, form=TO_ORDER
        )
    assert caught.value.id == int.from_bytes(digest, "big")


def test_zero_hash_and_zero_parties_are_refused(registry, carrier, shipper):
    with pytest.raises(errors.TitleZeroDocumentHash):
        registry.issue(
            b"\x00" * 32, beneficiary=shipper.address, holder=shipper.address, sender=carrier, kind=BL, form=TO_ORDER
        )
    with pytest.raises(errors.TitleZeroAddress):
        registry.issue(
            keccak(text="z1"), beneficiary=ZERO, holder=shipper.address, sender=carrier, kind=BL, form=TO_ORDER
        )
    with pytest.raises(errors.TitleZeroAddress):
        registry.issue(
            keccak(text="z2"), beneficiary=shipper.address, holder=ZERO, sender=carrier, kind=BL, form=TO_ORDER
        )


@pytest.mark.parametrize("form", [TO_ORDER, BLANK])
def test_a_sea_waybill_is_always_straight(registry, carrier, shipper, form):
    with pytest.raises(errors.TitleInvalidConsignment) as caught:
        registry.issue(
            keccak(text=f"swb {form}"),
            beneficiary=shipper.address,
            holder=shipper.address,
            sender=carrier,
            kind=SWB,
            form=form,
        )
    assert (caught.value.kind, caught.value.form) == (SWB, form)


def test_blank_endorsed_bill_has_one_party(registry, carrier, shipper, buyer):
    with pytest.raises(errors.TitleBlankEndorsedPartiesDiffer) as caught:
        registry.issue(
            keccak(text="blank"), beneficiary=shipper.address, holder=buyer.address, sender=carrier, kind=BL, form=BLANK
        )
    assert (caught.value.beneficiary, caught.value.holder) == (shipper.address, buyer.address)


def test_remark_length_is_capped(registry, carrier, shipper):
    with pytest.raises(errors.TitleRemarkTooLong) as caught:
        registry.issue(
            keccak(text="long"),
            beneficiary=shipper.address,
            holder=shipper.address,
            sender=carrier,
            kind=BL,
            form=TO_ORDER,
            remark=b"x" * 257,
        )
    assert (caught.value.length, caught.value.max) == (257, 256)
    registry.issue(
        keccak(text="long ok"),
        beneficiary=shipper.address,
        holder=shipper.address,
        sender=carrier,
        kind=BL,
        form=TO_ORDER,
        remark=b"x" * 256,
    )


def test_unknown_bill_reads(registry):
    unknown = int.from_bytes(keccak(text="never issued"), "big")
    assert registry.title(unknown).status is Status.NONE
    with pytest.raises(errors.TitleNotIssued):
        registry.contract.call("documentHash", unknown)
    with pytest.raises(errors.ERC721NonexistentToken) as caught:
        registry.owner_of(unknown)
    assert caught.value.tokenId == unknown


def test_shipped_on_board_date_is_recorded_from_the_document(registry, carrier, shipper):
    from datetime import UTC, datetime

    document = shanghai_hong_kong_bill(reference="ON-BOARD")
    issued = registry.issue(document, beneficiary=shipper.address, holder=shipper.address, sender=carrier)
    day = document.shipped_on_board_date
    assert registry.shipped_on_board(issued.id) == int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def test_shipped_on_board_date_survives_transfers_and_amendment(registry, carrier, shipper, buyer, chain):
    from tradefin.ebl import SurrenderReason

    when = chain.timestamp() - 86_400
    bill = registry.issue(
        keccak(text="dated"),
        beneficiary=shipper.address,
        holder=shipper.address,
        sender=carrier,
        kind=BL,
        form=TO_ORDER,
        shipped_on_board=when,
    ).id
    registry.transfer_holder(bill, buyer.address, sender=shipper)
    registry.reject_transfer_holder(bill, sender=buyer)
    assert registry.shipped_on_board(bill) == when
    registry.surrender(bill, sender=shipper, reason=SurrenderReason.AMENDMENT)
    new = registry.amend(bill, keccak(text="dated amended"), sender=carrier).id
    assert registry.shipped_on_board(new) == when


def test_received_for_shipment_bill_has_no_on_board_date(registry, issue_bill):
    assert registry.shipped_on_board(issue_bill()) == 0


def test_future_on_board_date_is_refused(registry, carrier, shipper, chain):
    future = chain.timestamp() + 10 * 86_400
    with pytest.raises(errors.TitleInvalidShipmentDate) as caught:
        registry.issue(
            keccak(text="future"),
            beneficiary=shipper.address,
            holder=shipper.address,
            sender=carrier,
            kind=BL,
            form=TO_ORDER,
            shipped_on_board=future,
        )
    assert caught.value.date == future
