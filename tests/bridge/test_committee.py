"""Committee changes: M of N of the current committee, a nonce used once, and the old members lose their say."""

import pytest
from eth_account import Account

from tradefin import errors
from tradefin.bridge import CommitteeChange

from .conftest import THRESHOLD


def test_deployed_committee(sh_bridge, committee):
    assert sh_bridge.committee() == (committee.addresses, THRESHOLD)
    assert sh_bridge.committee_nonce() == 1


def test_committee_change_by_m_of_n(sh_bridge, committee, deployer):
    newcomer = Account.create()
    kept = committee.members[1:]
    new_members = [m.address for m in kept] + [newcomer.address]
    change = sh_bridge.committee_change(new_members, 2)
    receipt = sh_bridge.change_committee(change, committee.sign(change, sh_bridge.domain), sender=deployer)
    [event] = sh_bridge.contract.decode_logs(receipt)
    assert (event.name, event["epoch"], list(event["members"]), event["threshold"]) == (
        "CommitteeChanged",
        2,
        new_members,
        2,
    )
    assert sh_bridge.committee() == (new_members, 2)
    assert sh_bridge.committee_nonce() == 2

    # the removed member no longer counts, the newcomer does
    removed = committee.members[0]
    follow_up = sh_bridge.committee_change(new_members, 1)
    with pytest.raises(errors.BridgeUnknownSigner) as caught:
        sh_bridge.change_committee(
            follow_up, committee.sign(follow_up, sh_bridge.domain, signers=[removed, kept[0]]), sender=deployer
        )
    assert caught.value.signer == removed.address
    signers = [kept[0], newcomer]
    sh_bridge.change_committee(follow_up, committee.sign(follow_up, sh_bridge.domain, signers=signers), sender=deployer)
    assert sh_bridge.committee() == (new_members, 1)
    # replaying a change fails: the nonce moved on, so the old signatures recover strangers
    with pytest.raises(errors.BridgeUnknownSigner):
        sh_bridge.change_committee(
            follow_up, committee.sign(follow_up, sh_bridge.domain, signers=signers), sender=deployer
        )


def test_committee_change_needs_the_threshold(sh_bridge, committee, deployer):
    change = sh_bridge.committee_change([committee.members[0].address], 1)
    with pytest.raises(errors.BridgeTooFewSignatures) as caught:
        sh_bridge.change_committee(
            change, committee.sign(change, sh_bridge.domain, signers=committee.members[:2]), sender=deployer
        )
    assert (caught.value.count, caught.value.threshold) == (2, THRESHOLD)


def test_committee_change_with_a_stale_nonce_fails(sh_bridge, committee, deployer):
    change = CommitteeChange(tuple(committee.addresses), 2, nonce=0)
    with pytest.raises(errors.BridgeUnknownSigner):
        sh_bridge.change_committee(change, committee.sign(change, sh_bridge.domain), sender=deployer)


@pytest.mark.parametrize(
    ("size", "threshold"),
    [(2, 0), (2, 3), (0, 1)],
)
def test_invalid_committees_are_refused(sh_bridge, committee, deployer, size, threshold):
    members = [Account.create().address for _ in range(size)]
    change = sh_bridge.committee_change(members, threshold)
    with pytest.raises(errors.BridgeInvalidCommittee) as caught:
        sh_bridge.change_committee(change, committee.sign(change, sh_bridge.domain), sender=deployer)
    assert (caught.value.size, caught.value.threshold) == (size, threshold)


def test_duplicate_and_zero_members_are_refused(sh_bridge, committee, deployer):
    member = Account.create().address
    change = sh_bridge.committee_change([member, member], 1)
    with pytest.raises(errors.BridgeDuplicateMember) as caught:
        sh_bridge.change_committee(change, committee.sign(change, sh_bridge.domain), sender=deployer)
    assert caught.value.member == member
    change = sh_bridge.committee_change([member, "0x" + "00" * 20], 1)
    with pytest.raises(errors.BridgeZeroAddress):
        sh_bridge.change_committee(change, committee.sign(change, sh_bridge.domain), sender=deployer)
