"""Emergency pause, roles with a two-step admin handover, ERC-721 compatibility."""

import pytest

from tradefin import errors
from tradefin.ebl import ISSUER_ROLE, PAUSER_ROLE, TitleRegistry

ERC165, ERC721, ERC721_METADATA = "01ffc9a7", "80ac58cd", "5b5e139f"


def test_pause_blocks_every_title_operation(registry, issue_bill, carrier, shipper, buyer):
    bill = issue_bill(shipper)
    registry.pause(sender=carrier)
    with pytest.raises(errors.EnforcedPause):
        registry.transfer_holder(bill, buyer.address, sender=shipper)
    with pytest.raises(errors.EnforcedPause):
        registry.surrender(bill, sender=shipper)
    with pytest.raises(errors.EnforcedPause):
        issue_bill(shipper)
    registry.unpause(sender=carrier)
    registry.transfer_holder(bill, buyer.address, sender=shipper)


def test_only_the_pauser_pauses(registry, shipper, carrier):
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as caught:
        registry.pause(sender=shipper)
    assert caught.value.neededRole == PAUSER_ROLE
    with pytest.raises(errors.ExpectedPause):
        registry.unpause(sender=carrier)


def test_admin_hands_over_in_two_steps(ctx, chain, carrier, buyer, shipper):
    registry = TitleRegistry.deploy(ctx, carrier, symbol="ADM")
    contract = registry.contract
    contract.transact(carrier, "beginDefaultAdminTransfer", buyer.address)
    assert contract.call("defaultAdmin") == carrier.address  # nothing changes until accepted
    chain.increase_time(1)  # the schedule must have passed, even with a zero delay
    with pytest.raises(errors.AccessControlInvalidDefaultAdmin):
        contract.transact(shipper, "acceptDefaultAdminTransfer")
    contract.transact(buyer, "acceptDefaultAdminTransfer")
    assert contract.call("defaultAdmin") == buyer.address
    registry.grant_role(ISSUER_ROLE, shipper.address, sender=buyer)
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        registry.grant_role(ISSUER_ROLE, shipper.address, sender=carrier)


def test_erc721_reads(registry, issue_bill, shipper):
    bill = issue_bill(shipper)
    contract = registry.contract
    assert contract.call("name") == "Electronic Bills of Lading" and contract.call("symbol") == "EBL"
    assert contract.call("ownerOf", bill) == shipper.address
    assert contract.call("getApproved", bill) == "0x" + "00" * 20
    assert contract.call("isApprovedForAll", shipper.address, shipper.address) is False
    for interface in (ERC165, ERC721_METADATA):
        assert contract.call("supportsInterface", bytes.fromhex(interface))
    assert contract.call("supportsInterface", bytes.fromhex(ERC721)) is False  # balances not tracked here
    with pytest.raises(errors.TitleBalancesNotTracked):
        contract.call("balanceOf", shipper.address)


def test_balances_when_tracked(ctx, carrier, shipper, buyer):
    from eth_utils import keccak

    from tradefin.ebl import ConsignmentForm, DocumentKind

    registry = TitleRegistry.deploy(ctx, carrier, symbol="BAL", track_balances=True)
    contract = registry.contract
    assert contract.call("supportsInterface", bytes.fromhex(ERC721))
    bill = registry.issue(
        keccak(text="tracked"),
        beneficiary=shipper.address,
        holder=shipper.address,
        sender=carrier,
        kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form=ConsignmentForm.TO_ORDER,
    ).id
    assert contract.call("balanceOf", shipper.address) == 1
    registry.transfer_owners(bill, buyer.address, buyer.address, sender=shipper)
    assert (contract.call("balanceOf", shipper.address), contract.call("balanceOf", buyer.address)) == (0, 1)
    registry.surrender(bill, sender=buyer)
    registry.accept_surrender(bill, sender=carrier)
    assert contract.call("balanceOf", buyer.address) == 0


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        ("approve", ("{buyer}", 1)),
        ("setApprovalForAll", ("{buyer}", True)),
        ("transferFrom", ("{shipper}", "{buyer}", 1)),
        ("safeTransferFrom(address,address,uint256)", ("{shipper}", "{buyer}", 1)),
        ("safeTransferFrom(address,address,uint256,bytes)", ("{shipper}", "{buyer}", 1, b"")),
    ],
)
def test_erc721_movement_is_disabled(registry, shipper, buyer, fn, args):
    resolved = [a.format(shipper=shipper.address, buyer=buyer.address) if isinstance(a, str) else a for a in args]
    with pytest.raises(errors.TitleDirectTransferDisabled):
        registry.contract.transact(shipper, fn, *resolved)


def test_balance_of_zero_address_is_refused_when_tracked(ctx, carrier):
    registry = TitleRegistry.deploy(ctx, carrier, symbol="BAL0", track_balances=True)
    with pytest.raises(errors.ERC721InvalidOwner):
        registry.contract.call("balanceOf", "0x" + "00" * 20)
