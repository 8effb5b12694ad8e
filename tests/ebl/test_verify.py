"""verify(document, registry): is this exact document the issued, live title, and who holds it?"""

from tradefin.documents.examples import shanghai_hong_kong_bill
from tradefin.ebl import SurrenderReason, verify


def test_live_title_is_valid_and_names_its_parties(registry, carrier, shipper, advising_bank):
    document = shanghai_hong_kong_bill(reference="VERIFY-1")
    issued = registry.issue(document, beneficiary=shipper.address, holder=advising_bank.address, sender=carrier)
    result = verify(document, registry, issued.id)
    assert result.valid and result.holder == advising_bank.address and result.beneficiary == shipper.address


def test_a_changed_document_is_not_the_title(registry, carrier, shipper):
    document = shanghai_hong_kong_bill(reference="VERIFY-2")
    issued = registry.issue(document, beneficiary=shipper.address, holder=shipper.address, sender=carrier)
    tampered = shanghai_hong_kong_bill(reference="VERIFY-2X")
    assert not verify(tampered, registry).valid
    result = verify(tampered, registry, issued.id)
    assert not result.valid and "hashes to" in result.reason


def test_accomplished_and_voided_bills_are_not_titles(registry, carrier, buyer):
    delivered = shanghai_hong_kong_bill(reference="VERIFY-3")
    bill = registry.issue(delivered, beneficiary=buyer.address, holder=buyer.address, sender=carrier).id
    registry.surrender(bill, sender=buyer)
    assert verify(delivered, registry).valid  # pending surrender is still a live title
    registry.accept_surrender(bill, sender=carrier)
    assert "accomplished" in verify(delivered, registry).reason

    amended = shanghai_hong_kong_bill(reference="VERIFY-4")
    old = registry.issue(amended, beneficiary=buyer.address, holder=buyer.address, sender=carrier).id
    registry.surrender(old, sender=buyer, reason=SurrenderReason.AMENDMENT)
    new = registry.amend(old, shanghai_hong_kong_bill(reference="VERIFY-4A"), sender=carrier).id
    result = verify(amended, registry)
    assert not result.valid and f"{new:#x}" in result.reason
