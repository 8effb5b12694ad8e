"""Random walks of bills between Shanghai and Hong Kong against a plain-Python model: pledges either way, claims,
confirmations, reclaims after expiry, transfers and blank endorsements wherever a bill is live, whole return trips,
clocks moving on one chain or both, and every kind of replay, early reclaim and late claim (each must fail with its
named error).

After every step: every bill is live (a live status, not locked by that chain's bridge) on at most one chain, and
each chain's copy of each bill (state, beneficiary, holder, form, lock), each pledge's status, ``isClaimed`` and
``departureOf`` match the model. The committee is honest (it signs a pledge while it is pending, ``Claimed`` only
after the claim and ``NotClaimed`` only for an unclaimed pledge past its expiry on the destination); relayers try
anything with what the committee signed. Every block's timestamp is pinned by the model, never the wall clock.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tradefin import errors
from tradefin.bridge import PledgeStatus
from tradefin.ebl import ConsignmentForm, DocumentKind, Status

SH, HK = 0, 1
NAMES = ("Shanghai", "Hong Kong")
PARTIES = ("shipper", "buyer", "financier")
STRAIGHT, TO_ORDER, BLANK = ConsignmentForm.STRAIGHT, ConsignmentForm.TO_ORDER, ConsignmentForm.BLANK_ENDORSED

_serial = itertools.count()
ABSENT, LIVE, PENDING, DEPARTED = "absent", "live", "pending", "departed"
"""A chain's copy of a bill: never issued there, live there, locked by a pending pledge, locked after it left."""


@dataclass
class Copy:
    state: str = ABSENT
    beneficiary: str = ""
    holder: str = ""
    form: ConsignmentForm = TO_ORDER
    departure: bytes | None = None


@dataclass
class Bill:
    id: int
    copies: list[Copy]

    def live_on(self) -> list[int]:
        return [c for c, copy in enumerate(self.copies) if copy.state == LIVE]


@dataclass
class Trip:
    bill: Bill
    pledge_id: bytes
    source: int
    owner: str
    recipient: str
    form: ConsignmentForm
    expiry: int
    attestation: object = None
    signatures: list[bytes] = field(default_factory=list)
    status: PledgeStatus = PledgeStatus.PENDING
    claimed: bool = False

    @property
    def dest(self) -> int:
        return 1 - self.source


@dataclass
class Parts:
    """Everything a run needs, from the session fixtures."""

    chains: list
    bridges: list
    committee: object
    parties: dict
    carrier: object
    relayer: object


class Tally:
    def __init__(self) -> None:
        self.runs = 0
        self.steps = 0
        self.outcomes: Counter[str] = Counter()


class BridgeMachine(RuleBasedStateMachine):
    def __init__(self, parts: Parts, tally: Tally) -> None:
        super().__init__()
        self.p = parts
        self.tally = tally
        self.snapshots = [chain.snapshot() for chain in parts.chains]
        self.latest = [chain.timestamp() for chain in parts.chains]
        self.trips: list[Trip] = []
        self.bills = [
            self._issue(SH, "shipper", TO_ORDER),
            self._issue(SH, "buyer", STRAIGHT),
            self._issue(HK, "financier", TO_ORDER),
        ]

    def teardown(self) -> None:
        for chain, snapshot in zip(self.p.chains, self.snapshots, strict=True):
            chain.revert(snapshot)

    # -- helpers --------------------------------------------------------------------------------------------------

    def _tx(self, c: int, action, error: str | None = None):
        """Run ``action`` (one transaction on chain ``c``) in a block pinned at the model's next second; it must
        succeed (``error`` None) or revert with exactly ``error`` (at estimation: no block is mined)."""
        self.p.chains[c].set_next_block_timestamp(self.latest[c] + 1)
        if error is not None:
            with pytest.raises(errors.revert_class(error)):
                action()
            self.tally.outcomes[error] += 1
            return None
        result = action()
        self.latest[c] += 1
        return result

    def _issue(self, c: int, owner: str, form: ConsignmentForm) -> Bill:
        registry = self.p.bridges[c].registry
        document = keccak(text=f"bridge machine bill {next(_serial)}")
        account = self.p.parties[owner]
        issued = self._tx(
            c,
            lambda: registry.issue(
                document,
                beneficiary=account.address,
                holder=account.address,
                sender=self.p.carrier,
                kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
                form=form,
            ),
        )
        copies = [Copy(), Copy()]
        copies[c] = Copy(LIVE, account.address, account.address, form)
        return Bill(issued.id, copies)

    def _owner(self, bill: Bill, c: int):
        address = bill.copies[c].beneficiary
        return next(a for a in self.p.parties.values() if a.address == address)

    def _sign(self, attestation, c: int) -> list[bytes]:
        return self.p.committee.sign(attestation, self.p.bridges[c].domain)

    def _pending(self) -> list[Trip]:
        return [t for t in self.trips if t.status is PledgeStatus.PENDING]

    # -- rules ----------------------------------------------------------------------------------------------------

    @rule(data=st.data(), recipient=st.sampled_from(PARTIES), duration=st.sampled_from([300, 3600]))
    def pledge(self, data, recipient, duration) -> None:
        live = [(b, b.live_on()[0]) for b in self.bills if b.live_on()]
        if not live:
            return
        bill, c = data.draw(st.sampled_from(live))
        self._pledge(bill, c, recipient, max(self.latest) + duration)

    def _pledge(self, bill: Bill, c: int, recipient: str, expiry: int) -> Trip:
        source, dest = self.p.bridges[c], self.p.bridges[1 - c]
        owner = self._owner(bill, c)
        to = self.p.parties[recipient].address
        pledged = self._tx(
            c,
            lambda: source.pledge(
                bill.id,
                destination_chain_id=dest.chain_id,
                destination_registry=dest.registry.address,
                recipient=to,
                expiry=expiry,
                sender=owner,
            ),
        )
        copy = bill.copies[c]
        trip = Trip(bill, pledged.pledge_id, c, owner.address, to, copy.form, expiry)
        # the honest committee attests the pending pledge at once; relayers may use it whenever they like
        trip.attestation = source.attestation(trip.pledge_id)
        trip.signatures = self._sign(trip.attestation, 1 - c)
        copy.state = PENDING
        self.trips.append(trip)
        self.tally.outcomes["pledge"] += 1
        return trip

    def _claim_error(self, trip: Trip) -> str | None:
        """What the destination says to a claim of ``trip`` (the contract's order of checks)."""
        if self.latest[trip.dest] + 1 > trip.expiry:
            return "BridgePledgeExpired"
        if trip.claimed:
            return "BridgePledgeAlreadyClaimed"
        here = trip.bill.copies[trip.dest]
        if here.state == DEPARTED:
            if here.form != trip.form or (here.form == STRAIGHT and here.beneficiary != trip.recipient):
                return "BridgeReturnTermsChanged"
            return None
        if here.state != ABSENT:
            return "TitleAlreadyIssued"
        return None

    @rule(data=st.data())
    def claim(self, data) -> None:
        """Any relayer submits any pledge's signed attestation: fresh, replayed, late or premature."""
        if not self.trips:
            return
        self._claim(data.draw(st.sampled_from(self.trips)))

    def _claim(self, trip: Trip) -> None:
        dest = self.p.bridges[trip.dest]
        error = self._claim_error(trip)
        self._tx(trip.dest, lambda: dest.claim(trip.attestation, trip.signatures, sender=self.p.relayer), error)
        if error is None:
            trip.claimed = True
            here = trip.bill.copies[trip.dest]
            form = here.form if here.state == DEPARTED else trip.form
            trip.bill.copies[trip.dest] = Copy(LIVE, trip.recipient, trip.recipient, form)
            self.tally.outcomes["claim" if here.state == ABSENT else "return"] += 1

    @rule(data=st.data())
    def confirm(self, data) -> None:
        """The committee signed ``Claimed`` for a claimed pledge; relayers submit it, also again."""
        claimed = [t for t in self.trips if t.claimed]
        if not claimed:
            return
        self._confirm(data.draw(st.sampled_from(claimed)))

    def _confirm(self, trip: Trip) -> None:
        source = self.p.bridges[trip.source]
        error = None if trip.status is PledgeStatus.PENDING else "BridgePledgeNotPending"
        signatures = self._sign(source.claimed(trip.pledge_id), trip.source)
        self._tx(trip.source, lambda: source.confirm(trip.pledge_id, signatures, sender=self.p.relayer), error)
        if error is None:
            trip.status = PledgeStatus.CONFIRMED
            trip.bill.copies[trip.source].state = DEPARTED
            trip.bill.copies[trip.source].departure = trip.pledge_id
            self.tally.outcomes["confirm"] += 1

    @rule(data=st.data())
    def reclaim(self, data) -> None:
        """The committee signed ``NotClaimed`` (only for an unclaimed pledge past its expiry on the destination);
        relayers submit it, maybe before the source's clock got there, maybe again."""
        signable = [t for t in self.trips if not t.claimed and self.latest[t.dest] > t.expiry]
        if not signable:
            return
        trip = data.draw(st.sampled_from(signable))
        source = self.p.bridges[trip.source]
        if trip.status is not PledgeStatus.PENDING:
            error = "BridgePledgeNotPending"
        elif self.latest[trip.source] + 1 <= trip.expiry:
            error = "BridgePledgeNotExpired"
        else:
            error = None
        signatures = self._sign(source.not_claimed(trip.pledge_id), trip.source)
        self._tx(trip.source, lambda: source.reclaim(trip.pledge_id, signatures, sender=self.p.relayer), error)
        if error is None:
            trip.status = PledgeStatus.RECLAIMED
            trip.bill.copies[trip.source].state = LIVE
            self.tally.outcomes["reclaim"] += 1

    @rule(data=st.data())
    def early_reclaim(self, data) -> None:
        """A ``NotClaimed`` attestation (however obtained) before the source's expiry is refused."""
        early = [t for t in self._pending() if self.latest[t.source] + 1 <= t.expiry]
        if not early:
            return
        trip = data.draw(st.sampled_from(early))
        source = self.p.bridges[trip.source]
        signatures = self._sign(source.not_claimed(trip.pledge_id), trip.source)
        self._tx(
            trip.source,
            lambda: source.reclaim(trip.pledge_id, signatures, sender=self.p.relayer),
            "BridgePledgeNotExpired",
        )

    @rule(chains=st.sampled_from([(SH,), (HK,), (SH, HK)]), seconds=st.sampled_from([60, 400, 4000]))
    def advance(self, chains, seconds) -> None:
        """Time passes on one chain or both (their clocks need not agree); a block is mined at the new time."""
        for c in chains:
            self.latest[c] += seconds
            self.p.chains[c].set_next_block_timestamp(self.latest[c])
            self.p.chains[c].mine()

    @rule(data=st.data(), to=st.sampled_from(PARTIES))
    def transfer(self, data, to) -> None:
        """The owner passes a live bill on, on whichever chain it lives (a straight bill keeps its consignee)."""
        movable = [b for b in self.bills if b.live_on() and b.copies[b.live_on()[0]].form != STRAIGHT]
        if not movable:
            return
        bill = data.draw(st.sampled_from(movable))
        c = bill.live_on()[0]
        copy, owner = bill.copies[c], self._owner(bill, c)
        new = self.p.parties[to].address
        if new == owner.address:
            return
        registry = self.p.bridges[c].registry
        if copy.form == BLANK:
            self._tx(c, lambda: registry.transfer_holder(bill.id, new, sender=owner))
        else:
            self._tx(c, lambda: registry.transfer_owners(bill.id, new, new, sender=owner))
        copy.beneficiary = copy.holder = new
        self.tally.outcomes["transfer"] += 1

    @rule(data=st.data())
    def endorse_in_blank(self, data) -> None:
        """A to-order bill becomes a bearer bill where it lives (its stale copies elsewhere stay to order)."""
        endorsable = [b for b in self.bills if b.live_on() and b.copies[b.live_on()[0]].form == TO_ORDER]
        if not endorsable:
            return
        bill = data.draw(st.sampled_from(endorsable))
        c = bill.live_on()[0]
        self._tx(c, lambda: self.p.bridges[c].registry.endorse_in_blank(bill.id, sender=self._owner(bill, c)))
        bill.copies[c].form = BLANK
        self.tally.outcomes["endorse in blank"] += 1

    @rule(data=st.data())
    def return_trip(self, data) -> None:
        """A whole trip at once (pledge, claim, confirm) from where a bill lives to the other chain, to its owner."""
        live = [b for b in self.bills if b.live_on()]
        if not live:
            return
        bill = data.draw(st.sampled_from(live))
        c = bill.live_on()[0]
        owner = next(name for name, a in self.p.parties.items() if a.address == bill.copies[c].beneficiary)
        trip = self._pledge(bill, c, owner, max(self.latest) + 3600)
        self._claim(trip)
        if trip.claimed:
            self._confirm(trip)

    # -- invariants -----------------------------------------------------------------------------------------------

    @invariant()
    def at_most_one_live_copy_and_the_chains_agree(self) -> None:
        self.tally.steps += 1
        for bill in self.bills:
            assert len(bill.live_on()) <= 1, f"model: bill {bill.id:#x} live on two chains"
            on_chain_live = 0
            for c, copy in enumerate(bill.copies):
                bridge = self.p.bridges[c]
                title = bridge.registry.title(bill.id)
                locked = title.encumbered and bridge.registry.locker_of(bill.id) == bridge.address
                live = title.status.is_live and not locked
                on_chain_live += live
                where = f"bill {bill.id:#x} on {NAMES[c]}"
                if copy.state == ABSENT:
                    assert title.status is Status.NONE, where
                    continue
                assert title.status is Status.ACTIVE, where
                assert live == (copy.state == LIVE), f"{where}: chain live={live}, model {copy.state}"
                assert locked == (copy.state in (PENDING, DEPARTED)), where
                parties = (title.beneficiary, title.holder, title.form)
                assert parties == (copy.beneficiary, copy.holder, copy.form), where
                assert bridge.departure_of(bill.id) == (copy.departure if copy.state == DEPARTED else None), where
            assert on_chain_live <= 1, f"bill {bill.id:#x} live on two chains"
        for trip in self.trips:
            assert self.p.bridges[trip.source].pledge_of(trip.pledge_id).status is trip.status
            assert self.p.bridges[trip.dest].is_claimed(trip.pledge_id) == trip.claimed


@pytest.fixture
def parts(session_chain, hk_chain, sh_bridge, hk_bridge, committee, shipper, buyer, financier, carrier, relayer):
    """Requested as arguments, so the session deployments happen before the test's snapshots."""
    return Parts(
        chains=[session_chain, hk_chain],
        bridges=[sh_bridge, hk_bridge],
        committee=committee,
        parties={"shipper": shipper, "buyer": buyer, "financier": financier},
        carrier=carrier,
        relayer=relayer,
    )


def run_machine(parts: Parts, machine_settings: settings, name: str) -> Tally:
    tally = Tally()
    started = time.monotonic()

    class Run(BridgeMachine):
        def __init__(self) -> None:
            super().__init__(parts, tally)
            tally.runs += 1

    try:
        run_state_machine_as_test(Run, settings=machine_settings)
    finally:
        elapsed = time.monotonic() - started
        shown = ", ".join(f"{k} {n}" for k, n in tally.outcomes.most_common())
        print(f"\n{name}: {tally.runs} runs, {tally.steps} steps in {elapsed:.1f} s; {shown}")
    return tally


def test_a_bill_is_live_on_at_most_one_chain(parts):
    base = settings.default
    ci = settings(base, max_examples=min(base.max_examples, 12), stateful_step_count=min(base.stateful_step_count, 30))
    tally = run_machine(parts, ci, "bridge state machine")
    assert tally.outcomes["claim"] and tally.outcomes["confirm"], tally.outcomes


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE") != "fuzz", reason="long run: make fuzz")
def test_a_bill_is_live_on_at_most_one_chain_long(parts):
    tally = run_machine(parts, settings.default, "bridge state machine (long)")
    assert tally.outcomes["return"] and tally.outcomes["reclaim"], tally.outcomes
