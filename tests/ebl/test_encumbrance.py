"""Encumbrance: an authorised contract locks a bill; nobody else moves it until released."""

import pytest

from tradefin import errors
from tradefin.ebl import Status


@pytest.fixture
def locker(ctx, registry, carrier, deployer):
    probe = ctx.deployments.deploy(deployer, "LockerProbe", registry.address, name="LockerProbe")
    registry.authorise_locker(probe.address, sender=carrier)
    return probe


def test_owner_encumbers_and_the_locker_is_called(registry, issue_bill, shipper, locker):
    bill = issue_bill(shipper)
    receipt = registry.encumber(bill, locker.address, sender=shipper, data=b"credit 7")
    title = registry.title(bill)
    assert title.encumbered and title.locker == locker.address
    assert registry.locker_of(bill) == locker.address
    [called] = locker.decode_logs(receipt)
    assert (called["operator"], called["id"], called["data"]) == (shipper.address, bill, b"credit 7")


def test_encumbered_bill_moves_only_by_its_locker(registry, issue_bill, shipper, buyer, locker):
    bill = issue_bill(shipper)
    registry.encumber(bill, locker.address, sender=shipper)
    for attempt in (
        lambda: registry.transfer_holder(bill, buyer.address, sender=shipper),
        lambda: registry.endorse(bill, buyer.address, sender=shipper),
        lambda: registry.surrender(bill, sender=shipper),
        lambda: registry.endorse_in_blank(bill, sender=shipper),
    ):
        with pytest.raises(errors.TitleEncumbered) as caught:
            attempt()
        assert caught.value.locker == locker.address
    locker.transact(buyer, "moveTitle", bill, buyer.address, buyer.address, False)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, buyer.address, False)


def test_second_lock_fails_with_its_own_error(registry, issue_bill, shipper, locker):
    bill = issue_bill(shipper)
    registry.encumber(bill, locker.address, sender=shipper)
    with pytest.raises(errors.TitleAlreadyEncumbered) as caught:
        registry.encumber(bill, locker.address, sender=shipper)
    assert (caught.value.id, caught.value.locker) == (bill, locker.address)


def test_release_gives_the_bill_back_unchanged(registry, issue_bill, shipper, buyer, locker):
    bill = issue_bill(shipper)
    registry.encumber(bill, locker.address, sender=shipper)
    locker.transact(buyer, "release", bill)
    title = registry.title(bill)
    assert not title.encumbered and title.beneficiary == shipper.address
    registry.transfer_holder(bill, buyer.address, sender=shipper)


def test_only_the_locker_releases_or_moves(registry, issue_bill, shipper, buyer, locker):
    bill = issue_bill(shipper)
    with pytest.raises(errors.TitleNotLocker):
        locker.transact(buyer, "release", bill)  # not encumbered at all
    registry.encumber(bill, locker.address, sender=shipper)
    with pytest.raises(errors.TitleNotLocker) as caught:
        registry.release(bill, sender=shipper)
    assert caught.value.caller == shipper.address
    with pytest.raises(errors.TitleNotLocker):
        registry.contract.transact(shipper, "transferEncumbered", bill, buyer.address, buyer.address, False, b"")


def test_locker_keeps_the_lock_while_moving(registry, issue_bill, shipper, buyer, locker):
    bill = issue_bill(shipper)
    registry.encumber(bill, locker.address, sender=shipper)
    locker.transact(buyer, "moveTitle", bill, buyer.address, shipper.address, True)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, shipper.address, True)


def test_unauthorised_locker_is_refused(ctx, registry, issue_bill, shipper, deployer, buyer):
    stranger = ctx.deployments.deploy(deployer, "LockerProbe", registry.address, name="Unauthorised")
    bill = issue_bill(shipper)
    with pytest.raises(errors.TitleLockerUnauthorized) as caught:
        registry.encumber(bill, stranger.address, sender=shipper)
    assert caught.value.locker == stranger.address
    with pytest.raises(errors.TitleLockerUnauthorized):
        registry.encumber(bill, buyer.address, sender=shipper)


def test_locker_without_code_is_refused(registry, issue_bill, shipper, buyer, carrier):
    registry.authorise_locker(buyer.address, sender=carrier)
    bill = issue_bill(shipper)
    with pytest.raises(errors.TitleLockerRejected):
        registry.encumber(bill, buyer.address, sender=shipper)


@pytest.mark.parametrize(("mode", "error"), [(1, "TitleLockerRejected"), (2, "LockerProbeRefused")])
def test_locker_refusal_undoes_the_lock(registry, issue_bill, shipper, locker, mode, error):
    locker.transact(shipper, "setMode", mode)
    bill = issue_bill(shipper)
    with pytest.raises(errors.revert_class(error)):
        registry.encumber(bill, locker.address, sender=shipper)
    assert not registry.title(bill).encumbered


def test_reentry_from_the_callback_cannot_move_the_bill(registry, issue_bill, shipper, locker):
    locker.transact(shipper, "setMode", 3)
    bill = issue_bill(shipper)
    with pytest.raises(errors.TitleEncumbered):
        registry.encumber(bill, locker.address, sender=shipper)
    assert registry.title(bill).holder == shipper.address and not registry.title(bill).encumbered


def test_only_the_owner_encumbers(registry, issue_bill, shipper, advising_bank, locker):
    bill = issue_bill(shipper, advising_bank)
    with pytest.raises(errors.TitleNotHolder):
        registry.encumber(bill, locker.address, sender=shipper)
    with pytest.raises(errors.TitleNotBeneficiary):
        registry.encumber(bill, locker.address, sender=advising_bank)


def test_surrendered_bill_cannot_be_encumbered(registry, issue_bill, buyer, locker):
    bill = issue_bill(buyer)
    registry.surrender(bill, sender=buyer)
    with pytest.raises(errors.TitleNotActive) as caught:
        registry.encumber(bill, locker.address, sender=buyer)
    assert caught.value.status == Status.SURRENDER_PENDING_DELIVERY


def test_locker_move_respects_the_form(registry, issue_bill, shipper, buyer, locker):
    from tradefin.ebl import ConsignmentForm

    bill = issue_bill(shipper, form=ConsignmentForm.STRAIGHT)
    registry.encumber(bill, locker.address, sender=shipper)
    with pytest.raises(errors.TitleNotEndorsable):
        locker.transact(shipper, "moveTitle", bill, buyer.address, buyer.address, False)
