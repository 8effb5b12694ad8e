"""Return trips: Shanghai -> Hong Kong -> Shanghai -> Hong Kong. A bill that left a chain under a confirmed pledge
comes back to its old copy there (moved to the recipient, lock lifted) instead of being issued again; at every step
it is live on at most one chain, and no old pledge can be replayed."""

import pytest

from tradefin import errors
from tradefin.bridge import PledgeStatus
from tradefin.ebl import ConsignmentForm, DocumentKind, Status

from .conftest import HONG_KONG_CHAIN_ID

SHANGHAI_CHAIN_ID = 31337


@pytest.fixture
def sides(sh_bridge, hk_bridge, session_chain, hk_chain):
    """Each chain as (bridge, chain), by name."""
    return {"sh": (sh_bridge, session_chain), "hk": (hk_bridge, hk_chain)}


def _expiry(sides) -> int:
    return max(chain.timestamp() for _, chain in sides.values()) + 3600


def _live(bridge, bill) -> bool:
    title = bridge.registry.title(bill)
    return title.status.is_live and bridge.registry.locker_of(bill) != bridge.address


def _live_on(sides, bill) -> list[str]:
    return [name for name, (bridge, _) in sides.items() if _live(bridge, bill)]


def _pledge(source, destination, bill, owner, recipient, expiry) -> bytes:
    return source.pledge(
        bill,
        destination_chain_id=destination.chain_id,
        destination_registry=destination.registry.address,
        recipient=recipient.address,
        expiry=expiry,
        sender=owner,
    ).pledge_id


def _claim(source, destination, committee, pledge_id, relayer):
    attestation = source.attestation(pledge_id)
    return destination.claim(attestation, committee.sign(attestation, destination.domain), sender=relayer)


def _confirm(source, committee, pledge_id, relayer):
    return source.confirm(pledge_id, committee.sign(source.claimed(pledge_id), source.domain), sender=relayer)


def _trip(sides, source_name, bill, owner, recipient, committee, relayer) -> bytes:
    """Pledge on ``source_name``, claim on the other chain, confirm back; checks liveness at every step."""
    source = sides[source_name][0]
    destination = next(b for name, (b, _) in sides.items() if name != source_name)
    pledge_id = _pledge(source, destination, bill, owner, recipient, _expiry(sides))
    assert _live_on(sides, bill) == []
    _claim(source, destination, committee, pledge_id, relayer)
    assert _live_on(sides, bill) == [next(n for n in sides if n != source_name)]
    _confirm(source, committee, pledge_id, relayer)
    assert _live_on(sides, bill) == [next(n for n in sides if n != source_name)]
    assert source.departure_of(bill) == pledge_id
    assert destination.departure_of(bill) is None
    return pledge_id


def test_there_and_back_and_there_again(
    sides, sh_bridge, hk_bridge, sh_registry, hk_registry, issue_sh, committee, shipper, buyer, financier, relayer
):
    bill = issue_sh(shipper)
    assert _live_on(sides, bill) == ["sh"]

    out = _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    assert hk_registry.title(bill).beneficiary == buyer.address
    hk_registry.transfer_owners(bill, financier.address, financier.address, sender=buyer)

    back = _trip(sides, "hk", bill, financier, shipper, committee, relayer)
    title = sh_registry.title(bill)
    assert (title.beneficiary, title.holder, title.status, title.encumbered) == (
        shipper.address,
        shipper.address,
        Status.ACTIVE,
        False,
    )
    assert sh_bridge.departure_of(bill) is None
    assert sh_bridge.pledge_of(out).status is PledgeStatus.CONFIRMED  # the old pledge stays a record of the trip
    provenance = sh_bridge.provenance(bill)
    assert (provenance.pledge_id, provenance.source_chain_id, provenance.source_registry, provenance.source_id) == (
        back,
        HONG_KONG_CHAIN_ID,
        hk_registry.address,
        bill,
    )
    assert hk_registry.locker_of(bill) == hk_bridge.address
    # the returned bill is an ordinary live bill again in Shanghai
    sh_registry.transfer_holder(bill, buyer.address, sender=shipper)
    sh_registry.transfer_holder(bill, shipper.address, sender=buyer)

    again = _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    title = hk_registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, buyer.address, False)
    assert hk_bridge.provenance(bill).pledge_id == again
    assert hk_bridge.provenance(bill).source_chain_id == SHANGHAI_CHAIN_ID
    assert _live_on(sides, bill) == ["hk"]


def test_old_pledges_cannot_be_replayed(sides, sh_bridge, hk_bridge, issue_sh, committee, shipper, buyer, relayer):
    bill = issue_sh(shipper)
    out = _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    out_attestation = sh_bridge.attestation(out)
    out_signatures = committee.sign(out_attestation, hk_bridge.domain)
    back = _trip(sides, "hk", bill, buyer, shipper, committee, relayer)
    back_attestation = hk_bridge.attestation(back)
    back_signatures = committee.sign(back_attestation, sh_bridge.domain)
    _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    assert _live_on(sides, bill) == ["hk"]

    # the first outbound claim, replayed in Hong Kong, and the way back, replayed in Shanghai: both consumed
    with pytest.raises(errors.BridgePledgeAlreadyClaimed) as caught:
        hk_bridge.claim(out_attestation, out_signatures, sender=relayer)
    assert caught.value.pledgeId == out
    with pytest.raises(errors.BridgePledgeAlreadyClaimed) as caught:
        sh_bridge.claim(back_attestation, back_signatures, sender=relayer)
    assert caught.value.pledgeId == back
    # confirmations of finished pledges change nothing either
    with pytest.raises(errors.BridgePledgeNotPending):
        _confirm(sh_bridge, committee, out, relayer)
    with pytest.raises(errors.BridgePledgeNotPending):
        _confirm(hk_bridge, committee, back, relayer)
    assert _live_on(sides, bill) == ["hk"]


def test_an_expired_reclaimed_pledge_cannot_be_claimed_later(
    sides, sh_bridge, hk_bridge, issue_sh, committee, shipper, buyer, relayer, advance
):
    bill = issue_sh(shipper)
    _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    back = _pledge(hk_bridge, sh_bridge, bill, buyer, shipper, _expiry(sides))
    attestation = hk_bridge.attestation(back)
    signatures = committee.sign(attestation, sh_bridge.domain)
    advance(3601)
    hk_bridge.reclaim(back, committee.sign(hk_bridge.not_claimed(back), hk_bridge.domain), sender=relayer)
    assert _live_on(sides, bill) == ["hk"]
    with pytest.raises(errors.BridgePledgeExpired):
        sh_bridge.claim(attestation, signatures, sender=relayer)
    assert _live_on(sides, bill) == ["hk"]
    assert sh_bridge.departure_of(bill) is not None


def test_no_return_before_the_departure_is_confirmed(
    sides, sh_bridge, hk_bridge, sh_registry, issue_sh, committee, shipper, buyer, relayer
):
    bill = issue_sh(shipper)
    out = _pledge(sh_bridge, hk_bridge, bill, shipper, buyer, _expiry(sides))
    _claim(sh_bridge, hk_bridge, committee, out, relayer)
    back = _pledge(hk_bridge, sh_bridge, bill, buyer, shipper, _expiry(sides))
    # Shanghai's copy is still a pending pledge, not a departure: nothing comes back onto it
    with pytest.raises(errors.TitleAlreadyIssued):
        _claim(hk_bridge, sh_bridge, committee, back, relayer)
    assert _live_on(sides, bill) == []
    _confirm(sh_bridge, committee, out, relayer)
    _claim(hk_bridge, sh_bridge, committee, back, relayer)
    assert _live_on(sides, bill) == ["sh"]
    assert sh_registry.title(bill).beneficiary == shipper.address


def test_a_bill_endorsed_in_blank_abroad_cannot_return_to_order(
    sides, sh_bridge, hk_bridge, hk_registry, issue_sh, committee, shipper, buyer, relayer, advance
):
    bill = issue_sh(shipper)
    _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    hk_registry.endorse_in_blank(bill, sender=buyer)
    back = _pledge(hk_bridge, sh_bridge, bill, buyer, shipper, _expiry(sides))
    with pytest.raises(errors.BridgeReturnTermsChanged) as caught:
        _claim(hk_bridge, sh_bridge, committee, back, relayer)
    assert (caught.value.id, caught.value.kind, caught.value.form, caught.value.beneficiary) == (
        bill,
        int(DocumentKind.NEGOTIABLE_BILL_OF_LADING),
        int(ConsignmentForm.TO_ORDER),
        shipper.address,  # Shanghai's stale copy: as the bill left
    )
    # the refused pledge expires and the bill is reclaimed where it is
    advance(3601)
    hk_bridge.reclaim(back, committee.sign(hk_bridge.not_claimed(back), hk_bridge.domain), sender=relayer)
    assert _live_on(sides, bill) == ["hk"]


def test_a_straight_bill_returns_only_to_its_consignee(
    sides, sh_bridge, hk_bridge, sh_registry, issue_sh, committee, shipper, buyer, financier, relayer
):
    bill = issue_sh(shipper, form=ConsignmentForm.STRAIGHT)
    _trip(sides, "sh", bill, shipper, buyer, committee, relayer)
    to_stranger = _pledge(hk_bridge, sh_bridge, bill, buyer, financier, _expiry(sides))
    with pytest.raises(errors.BridgeReturnTermsChanged) as caught:
        _claim(hk_bridge, sh_bridge, committee, to_stranger, relayer)
    assert (caught.value.form, caught.value.beneficiary) == (int(ConsignmentForm.STRAIGHT), shipper.address)
    assert not sh_bridge.is_claimed(to_stranger)
