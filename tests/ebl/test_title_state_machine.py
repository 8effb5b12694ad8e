"""Random sequences of title operations by random parties against a plain-Python model of the title rules.

After every step: the chain agrees with the model, a live title has exactly one (nonzero) holder and beneficiary,
a blank-endorsed title has them equal, and an accomplished or voided bill never moves again (every attempt fails).
Some ids in the pool were never issued (a typo'd reference): every operation on them fails with TitleNotIssued,
whatever state it needs (Active, a pending surrender, surrendered for amendment, encumbered by the caller).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind, Status, SurrenderReason, TitleRegistry

BL, SWB = DocumentKind.NEGOTIABLE_BILL_OF_LADING, DocumentKind.SEA_WAYBILL
STRAIGHT, TO_ORDER, BLANK = ConsignmentForm.STRAIGHT, ConsignmentForm.TO_ORDER, ConsignmentForm.BLANK_ENDORSED
PARTIES = ("shipper", "buyer", "advising_bank", "financier")
CALLERS = st.sampled_from(("@holder", "@beneficiary", "@holder", "@beneficiary", *PARTIES))
"""Callers lean towards the party entitled to act, so most steps succeed and sequences get long."""
ZERO = "0x" + "00" * 20


@dataclass
class Bill:
    id: int
    beneficiary: str
    holder: str
    kind: DocumentKind
    form: ConsignmentForm
    status: Status = Status.ACTIVE
    nominee: str | None = None
    prev_holder: str | None = None
    prev_beneficiary: str | None = None
    locked: bool = False
    superseded: bool = False

    @property
    def active(self) -> bool:
        return self.status is Status.ACTIVE

    def unless_never_issued(self, error: str) -> str:
        """``error``, the error of an issued bill in the wrong state; TitleNotIssued if this id was never issued."""
        return "TitleNotIssued" if self.status is Status.NONE else error


def expect(error: str | None, action):
    """Run ``action``; it must raise the named custom error, or succeed when ``error`` is None."""
    if error is None:
        return action()
    with pytest.raises(errors.revert_class(error)):
        action()
    return None


class TitleMachine(RuleBasedStateMachine):
    bills = Bundle("bills")

    def __init__(self, ctx, registry: TitleRegistry, locker, accounts) -> None:
        super().__init__()
        self.ctx, self.registry, self.locker = ctx, registry, locker
        self.accounts = {name: accounts[name] for name in (*PARTIES, "carrier")}
        self.model: dict[int, Bill] = {}
        self.serial = 0
        self.steps = 0

    def account(self, name: str):
        return self.accounts[name]

    def addr(self, name: str) -> str:
        return self.accounts[name].address

    def resolve(self, b: Bill, caller: str) -> str:
        """A party name, or ``@holder``/``@beneficiary`` of bill ``b`` right now (the shipper on a bill never
        issued, which has neither)."""
        if caller.startswith("@"):
            wanted = b.holder if caller == "@holder" else b.beneficiary
            return next((name for name, account in self.accounts.items() if account.address == wanted), "shipper")
        return caller

    # -- issue -------------------------------------------------------------------------------------------------

    @initialize(target=bills)
    def first_bill(self):
        return self._issue("shipper", "advising_bank", BL, TO_ORDER)

    @rule(
        target=bills,
        beneficiary=st.sampled_from(PARTIES),
        holder=st.sampled_from(PARTIES),
        kind=st.sampled_from([BL, SWB]),
        form=st.sampled_from([STRAIGHT, TO_ORDER, BLANK]),
    )
    def issue(self, beneficiary, holder, kind, form):
        error = None
        if kind is SWB and form is not STRAIGHT:
            error = "TitleInvalidConsignment"
        elif form is BLANK and beneficiary != holder:
            error = "TitleBlankEndorsedPartiesDiffer"
        if error:
            self.serial += 1
            expect(
                error,
                lambda: self.registry.issue(
                    keccak(text=f"sm bad {self.serial}"),
                    beneficiary=self.addr(beneficiary),
                    holder=self.addr(holder),
                    sender=self.account("carrier"),
                    kind=kind,
                    form=form,
                ),
            )
            return self._issue("shipper", "shipper", BL, TO_ORDER)
        return self._issue(beneficiary, holder, kind, form)

    @rule(target=bills)
    def never_issued(self):
        """An id nobody issued joins the pool: the chain reads it as all zero (status None) for ever."""
        self.serial += 1
        bill = int.from_bytes(keccak(text=f"sm never issued {id(self)} {self.serial}"), "big")
        self.model[bill] = Bill(bill, ZERO, ZERO, BL, STRAIGHT, status=Status.NONE)
        return bill

    def _issue(self, beneficiary, holder, kind, form) -> int:
        self.serial += 1
        bill = self.registry.issue(
            keccak(text=f"sm {id(self)} {self.serial}"),
            beneficiary=self.addr(beneficiary),
            holder=self.addr(holder),
            sender=self.account("carrier"),
            kind=kind,
            form=form,
        ).id
        self.model[bill] = Bill(bill, self.addr(beneficiary), self.addr(holder), kind, form)
        self.steps += 1
        return bill

    # -- party operations --------------------------------------------------------------------------------------

    @staticmethod
    def _not_active(b: Bill) -> str | None:
        """The error of an operation that needs an Active title, on a bill that is not."""
        return None if b.active else b.unless_never_issued("TitleNotActive")

    def _gate(self, b: Bill) -> str | None:
        if not b.active:
            return self._not_active(b)
        if b.locked:
            return "TitleEncumbered"
        return None

    @rule(bill=bills, caller=CALLERS, to=st.sampled_from(PARTIES))
    def transfer_holder(self, bill, caller, to):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        error = (
            self._gate(b)
            or ("TitleNotHolder" if self.addr(caller) != b.holder else None)
            or ("TitleAlreadyHolder" if self.addr(to) == b.holder else None)
        )
        expect(error, lambda: self.registry.transfer_holder(bill, self.addr(to), sender=self.account(caller)))
        if error is None:
            b.prev_holder, b.holder = b.holder, self.addr(to)
            if b.form is BLANK:
                b.beneficiary = b.holder
            self.steps += 1

    @rule(bill=bills, caller=CALLERS, nominee=st.sampled_from((*PARTIES, None)))
    def nominate(self, bill, caller, nominee):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        target = self.addr(nominee) if nominee else ZERO
        error = (
            self._gate(b)
            or ("TitleNotEndorsable" if b.form is not TO_ORDER else None)
            or ("TitleNotBeneficiary" if self.addr(caller) != b.beneficiary else None)
            or ("TitleAlreadyBeneficiary" if target == b.beneficiary else None)
            or (
                "TitleNomineeUnchanged"
                if (nominee is None and b.nominee is None) or (nominee is not None and b.nominee == target)
                else None
            )
        )
        expect(error, lambda: self.registry.nominate(bill, target, sender=self.account(caller)))
        if error is None:
            b.nominee = target if nominee else None
            self.steps += 1

    def _endorsement_error(self, b: Bill, to: str) -> str | None:
        if b.form is not TO_ORDER:
            return "TitleNotEndorsable"
        if to == b.beneficiary:
            return "TitleAlreadyBeneficiary"
        if to != b.nominee and b.holder != b.beneficiary:
            return "TitleNotNominee"
        return None

    @rule(bill=bills, caller=CALLERS, to=st.sampled_from(PARTIES))
    def endorse(self, bill, caller, to):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        error = (
            self._gate(b)
            or ("TitleNotHolder" if self.addr(caller) != b.holder else None)
            or (self._endorsement_error(b, self.addr(to)))
        )
        expect(error, lambda: self.registry.endorse(bill, self.addr(to), sender=self.account(caller)))
        if error is None:
            b.prev_beneficiary, b.beneficiary, b.nominee = b.beneficiary, self.addr(to), None
            self.steps += 1

    @rule(bill=bills, caller=CALLERS, to=st.sampled_from(PARTIES), holder=st.sampled_from(PARTIES))
    def transfer_owners(self, bill, caller, to, holder):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        error = (
            self._gate(b)
            or ("TitleNotHolder" if self.addr(caller) != b.holder else None)
            or ("TitleAlreadyHolder" if self.addr(holder) == b.holder else None)
            or (self._endorsement_error(b, self.addr(to)))
        )
        expect(
            error,
            lambda: self.registry.transfer_owners(bill, self.addr(to), self.addr(holder), sender=self.account(caller)),
        )
        if error is None:
            b.prev_beneficiary, b.beneficiary, b.nominee = b.beneficiary, self.addr(to), None
            b.prev_holder, b.holder = b.holder, self.addr(holder)
            self.steps += 1

    def _owner_error(self, b: Bill, caller: str) -> str | None:
        if self.addr(caller) != b.beneficiary:
            return "TitleNotBeneficiary"
        if b.holder != b.beneficiary:
            return "TitleNotHolder"
        return None

    @rule(bill=bills, caller=CALLERS)
    def endorse_in_blank(self, bill, caller):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        error = (
            self._gate(b)
            or ("TitleNotEndorsable" if b.form is not TO_ORDER else None)
            or (self._owner_error(b, caller))
        )
        expect(error, lambda: self.registry.endorse_in_blank(bill, sender=self.account(caller)))
        if error is None:
            b.form, b.nominee = BLANK, None
            self.steps += 1

    @rule(bill=bills, caller=CALLERS)
    def reject_holder(self, bill, caller):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        flags = self.registry.title(bill)
        previous = b.prev_holder or self.addr("carrier")
        error = (
            self._gate(b)
            or ("TitleNotHolder" if self.addr(caller) != b.holder else None)
            or ("TitleDualRoleRejectionRequired" if b.holder == b.beneficiary and b.form is not BLANK else None)
            or (None if flags.holder_rejectable else "TitleNoRejectableTransfer")
        )
        expect(
            error, lambda: self.registry.reject_transfer_holder(bill, sender=self.account(caller), previous=previous)
        )
        if error is None:
            b.holder, b.prev_holder = previous, None
            if b.form is BLANK:
                b.beneficiary = previous
            self.steps += 1

    @rule(bill=bills, caller=CALLERS)
    def reject_beneficiary(self, bill, caller):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        flags = self.registry.title(bill)
        previous = b.prev_beneficiary or self.addr("carrier")
        error = (
            self._gate(b)
            or ("TitleNotBeneficiary" if self.addr(caller) != b.beneficiary else None)
            or ("TitleDualRoleRejectionRequired" if b.holder == b.beneficiary else None)
            or (None if flags.beneficiary_rejectable else "TitleNoRejectableTransfer")
        )
        expect(
            error,
            lambda: self.registry.reject_transfer_beneficiary(bill, sender=self.account(caller), previous=previous),
        )
        if error is None:
            b.beneficiary, b.prev_beneficiary = previous, None
            self.steps += 1

    @rule(bill=bills, caller=CALLERS)
    def reject_owners(self, bill, caller):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        flags = self.registry.title(bill)
        prev_b, prev_h = b.prev_beneficiary or self.addr("carrier"), b.prev_holder or self.addr("carrier")
        error = (
            self._gate(b)
            or self._owner_error(b, caller)
            or (None if flags.beneficiary_rejectable and flags.holder_rejectable else "TitleNoRejectableTransfer")
        )
        expect(
            error,
            lambda: self.registry.reject_transfer_owners(
                bill, sender=self.account(caller), previous_beneficiary=prev_b, previous_holder=prev_h
            ),
        )
        if error is None:
            b.beneficiary, b.holder, b.prev_beneficiary, b.prev_holder, b.nominee = prev_b, prev_h, None, None, None
            self.steps += 1

    # -- surrender ---------------------------------------------------------------------------------------------

    @rule(bill=bills, caller=CALLERS, amendment=st.booleans())
    def surrender(self, bill, caller, amendment):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        reason = SurrenderReason.AMENDMENT if amendment else SurrenderReason.DELIVERY
        error = self._gate(b) or self._owner_error(b, caller)
        expect(error, lambda: self.registry.surrender(bill, sender=self.account(caller), reason=reason))
        if error is None:
            b.status = Status.SURRENDER_PENDING_AMENDMENT if amendment else Status.SURRENDER_PENDING_DELIVERY
            b.nominee = None
            self.steps += 1

    @rule(bill=bills, accept=st.booleans())
    def decide_surrender(self, bill, accept):
        b = self.model[bill]
        pending = b.status in (Status.SURRENDER_PENDING_DELIVERY, Status.SURRENDER_PENDING_AMENDMENT)
        error = None if pending else b.unless_never_issued("TitleNotSurrendered")
        carrier = self.account("carrier")
        if accept:
            expect(error, lambda: self.registry.accept_surrender(bill, sender=carrier))
        else:
            expect(error, lambda: self.registry.reject_surrender(bill, sender=carrier))
        if error is None:
            if accept:
                b.status = Status.ACCOMPLISHED if b.status is Status.SURRENDER_PENDING_DELIVERY else Status.VOIDED
            else:
                b.status = Status.ACTIVE
            self.steps += 1

    @rule(target=bills, bill=bills, eligible=st.integers(0, 255) | st.none())
    def amend(self, bill, eligible):
        """The issuer replaces a bill surrendered for amendment (pending, or accepted and so voided) once. Mostly on
        such a bill if there is one (``eligible`` picks it), else on any bill of the pool."""
        amendable = [
            x.id
            for x in self.model.values()
            if x.status in (Status.SURRENDER_PENDING_AMENDMENT, Status.VOIDED) and not x.superseded
        ]
        if eligible is not None and amendable:
            bill = amendable[eligible % len(amendable)]
        b = self.model[bill]
        error = None
        if b.status not in (Status.SURRENDER_PENDING_AMENDMENT, Status.VOIDED):
            error = b.unless_never_issued("TitleNotAmendable")
        elif b.superseded:
            error = "TitleAlreadySuperseded"
        self.serial += 1
        digest = keccak(text=f"sm amended {id(self)} {self.serial}")
        expect(error, lambda: self.registry.amend(bill, digest, sender=self.account("carrier")))
        if error is not None:
            return multiple()
        new = int.from_bytes(digest, "big")
        assert self.registry.superseded_by(bill) == new
        b.status, b.superseded = Status.VOIDED, True
        self.model[new] = Bill(new, b.beneficiary, b.holder, b.kind, b.form)
        self.steps += 1
        return new

    # -- encumbrance -------------------------------------------------------------------------------------------

    @rule(bill=bills, caller=CALLERS)
    def encumber(self, bill, caller):
        b = self.model[bill]
        caller = self.resolve(b, caller)
        error = self._not_active(b) or ("TitleAlreadyEncumbered" if b.locked else None) or self._owner_error(b, caller)
        expect(error, lambda: self.registry.encumber(bill, self.locker.address, sender=self.account(caller)))
        if error is None:
            b.locked, b.nominee = True, None
            self.steps += 1

    @rule(bill=bills, to=st.sampled_from(PARTIES), keep=st.booleans())
    def locker_moves(self, bill, to, keep):
        b = self.model[bill]
        target = self.addr(to)
        error = None if b.locked else b.unless_never_issued("TitleNotLocker")
        if error is None and b.form is BLANK:
            pass
        elif error is None and target != b.beneficiary and b.form is not TO_ORDER:
            error = "TitleNotEndorsable"
        expect(error, lambda: self.locker.transact(self.account("shipper"), "moveTitle", bill, target, target, keep))
        if error is None:
            b.beneficiary = b.holder = target
            b.locked, b.nominee = keep, None
            self.steps += 1

    @rule(bill=bills)
    def release(self, bill):
        b = self.model[bill]
        error = None if b.locked else b.unless_never_issued("TitleNotLocker")
        expect(error, lambda: self.locker.transact(self.account("shipper"), "release", bill))
        if error is None:
            b.locked = False
            self.steps += 1

    # -- invariants --------------------------------------------------------------------------------------------

    @invariant()
    def chain_matches_model(self):
        for bill, b in self.model.items():
            title = self.registry.title(bill)
            assert (title.beneficiary, title.holder, title.status, title.form, title.kind, title.encumbered) == (
                b.beneficiary,
                b.holder,
                b.status,
                b.form,
                b.kind,
                b.locked,
            ), bill
            assert title.nominated == (b.nominee is not None)
            if b.nominee is not None:
                assert self.registry.is_nominee(bill, b.nominee)

    @invariant()
    def live_titles_have_one_holder_and_one_beneficiary(self):
        for bill, b in self.model.items():
            if b.status.is_live:
                assert b.beneficiary != ZERO and b.holder != ZERO
                assert self.registry.owner_of(bill) == b.beneficiary
            if b.form is BLANK:
                assert b.beneficiary == b.holder


@pytest.fixture
def machine_parts(ctx, registry, carrier, deployer):
    locker = ctx.deployments.deploy(deployer, "LockerProbe", registry.address, name="MachineLocker")
    registry.authorise_locker(locker.address, sender=carrier)
    return locker


def test_title_rules_hold_under_random_operations(ctx, chain, registry, accounts, machine_parts, request):
    total_steps = []

    def make():
        machine = TitleMachine(ctx, registry, machine_parts, accounts)
        snapshot = chain.snapshot()
        original_teardown = machine.teardown

        def teardown():
            total_steps.append(machine.steps)
            original_teardown()
            chain.revert(snapshot)

        machine.teardown = teardown
        return machine

    run_state_machine_as_test(
        make, settings=settings(settings.default, stateful_step_count=settings.default.stateful_step_count)
    )
    print(f"title state machine: {len(total_steps)} runs, {sum(total_steps)} successful operations")
    assert sum(total_steps) > 0
