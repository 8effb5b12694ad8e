"""Randomised walks over both ledgers: after every step a bill is live on at most one chain.

"Live" = a live status on that chain's registry and not locked by that chain's bridge (a bill pledged, pending or
confirmed, cannot move there). The committee is honest: it attests Claimed only for a claimed pledge and
NotClaimed only after the expiry on the destination for an unclaimed one; relayers try anything."""

import random
from dataclasses import dataclass

import pytest

from tradefin import errors
from tradefin.bridge import PledgeStatus

STEPS = 60


@dataclass
class Trip:
    pledge_id: bytes
    source: int  # index into sides
    expiry: int


def _live(side, bill) -> bool:
    registry, bridge, _ = side
    return registry.status(bill).is_live and registry.locker_of(bill) != bridge.address


def _owner(side, bill, parties):
    address = side[0].title(bill).beneficiary
    return next(p for p in parties if p.address == address)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_bill_is_live_on_at_most_one_chain(
    seed,
    sh_registry,
    hk_registry,
    sh_bridge,
    hk_bridge,
    session_chain,
    hk_chain,
    committee,
    issue_sh,
    issue_hk,
    shipper,
    buyer,
    financier,
    deployer,
    advance,
):
    rng = random.Random(seed)
    parties = [shipper, buyer, financier]
    sides = [(sh_registry, sh_bridge, session_chain), (hk_registry, hk_bridge, hk_chain)]
    bills = {issue_sh(shipper): 0, issue_sh(buyer): 0, issue_hk(financier): 1}  # bill -> side it is on now
    trips: dict[int, Trip] = {}
    done = {"pledge": 0, "claim": 0, "confirm": 0, "reclaim": 0}

    for _ in range(STEPS):
        bill = rng.choice(list(bills))
        here = bills[bill]
        action = rng.choice(
            ["pledge", "pledge", "claim", "claim", "confirm", "confirm", "reclaim", "steal", "advance", "transfer"]
        )
        trip = trips.get(bill)
        if action == "advance":
            advance(rng.choice([60, 1000, 3000]))
        elif action == "transfer" and trip is None and _live(sides[here], bill):
            owner = _owner(sides[here], bill, parties)
            to = rng.choice([p for p in parties if p is not owner])
            sides[here][0].transfer_owners(bill, to.address, to.address, sender=owner)
        elif action == "pledge" and trip is None and _live(sides[here], bill):
            there = 1 - here
            if sides[there][0].status(bill).is_live or sides[there][0].title(bill).exists:
                continue  # a document is issued once per registry: no way back over this pair
            expiry = max(session_chain.timestamp(), hk_chain.timestamp()) + rng.choice([900, 7200])
            pledge = sides[here][1].pledge(
                bill,
                destination_chain_id=sides[there][2].chain_id,
                destination_registry=sides[there][0].address,
                recipient=rng.choice(parties).address,
                expiry=expiry,
                sender=_owner(sides[here], bill, parties),
            )
            trips[bill] = Trip(pledge.pledge_id, here, expiry)
            done["pledge"] += 1
        elif action == "claim" and trip is not None:
            source, dest = sides[trip.source][1], sides[1 - trip.source][1]
            attestation = source.attestation(trip.pledge_id)
            try:
                dest.claim(attestation, committee.sign(attestation, dest.domain), sender=deployer)
                done["claim"] += 1
            except (errors.BridgePledgeExpired, errors.BridgePledgeAlreadyClaimed):
                pass
        elif action == "confirm" and trip is not None:
            source, dest = sides[trip.source][1], sides[1 - trip.source][1]
            if dest.is_claimed(trip.pledge_id):  # the honest committee attests only a claim that happened
                source.confirm(
                    trip.pledge_id, committee.sign(source.claimed(trip.pledge_id), source.domain), sender=deployer
                )
                bills[bill] = 1 - trip.source
                del trips[bill]
                done["confirm"] += 1
        elif action == "reclaim" and trip is not None:
            source, dest = sides[trip.source][1], sides[1 - trip.source][1]
            dest_time = sides[1 - trip.source][2].timestamp()
            if not dest.is_claimed(trip.pledge_id) and dest_time > trip.expiry:
                try:
                    source.reclaim(
                        trip.pledge_id,
                        committee.sign(source.not_claimed(trip.pledge_id), source.domain),
                        sender=deployer,
                    )
                    del trips[bill]
                    done["reclaim"] += 1
                except errors.BridgePledgeNotExpired:
                    pass
        elif action == "steal" and trip is not None:
            # a relayer without the committee's attestation gets nowhere
            source = sides[trip.source][1]
            with pytest.raises(errors.BridgeTooFewSignatures):
                source.confirm(trip.pledge_id, [], sender=deployer)

        for b in bills:
            assert sum(_live(side, b) for side in sides) <= 1, f"bill {b:#x} live on two chains"
        for t in trips.values():
            assert sides[t.source][1].pledge_of(t.pledge_id).status is PledgeStatus.PENDING
    assert done["pledge"] and done["claim"], done  # the walk is not vacuous
