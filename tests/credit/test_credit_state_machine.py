"""Credits and titles together against a plain-Python model (Hypothesis RuleBasedStateMachine).

Each rule predicts its outcome from the model (success, or the named custom error) and the chain must agree. After
every step: the escrow's token balance equals the cover not yet paid or refunded (and each ledger equals the model),
no eBL is both encumbered and moved, and nobody is paid twice (every balance equals what the model paid once).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from credit_helpers import AMOUNT, DAY, DOCUMENTS
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tradefin import errors
from tradefin.calendars import HONG_KONG, SHANGHAI, banking_deadline
from tradefin.finance.credit import Disposal, Tolerance, amendment_hash, maximum, minimum

PROFILE = settings()
"""The Hypothesis profile tests/conftest.py loaded ("ci" unless HYPOTHESIS_PROFILE says otherwise)."""
LONG = PROFILE.max_examples >= 1000
MAX_CREDITS = 4


@dataclass
class ModelCredit:
    id: int
    amount: int
    tolerance: Tolerance
    partial: bool
    expiry: int
    latest_shipment: int
    confirmed: bool
    status: str = "issued"  # issued | expired
    cover: int = 0
    drawn: int = 0
    reserved: int = 0
    owed: int = 0
    pending: int | None = None  # amount of a pending amendment
    instructed: int | None = None  # amount of the applicant's unused amendment instruction (same dates)

    @property
    def maximum(self) -> int:
        return maximum(self.amount, self.tolerance)


@dataclass
class ModelPresentation:
    credit: ModelCredit
    id: int
    bill: int
    amount: int
    examiner: str
    deadline: int
    state: str = "presented"  # presented | refused | waived | honoured | returned
    refused: bool = False
    reimbursement_due: bool = False


@dataclass
class ModelBill:
    locked: bool = False
    owner: str = ""
    moves: list[str] = field(default_factory=list)


class CreditMachine(RuleBasedStateMachine):
    def __init__(self, env: SimpleNamespace) -> None:
        super().__init__()
        self.env = env
        self.snapshot = env.chain.snapshot()
        self.now = env.chain.timestamp()
        self.credits: list[ModelCredit] = []
        self.presentations: list[ModelPresentation] = []
        self.bills: dict[int, ModelBill] = {}
        token, a = env.hkd, env.accounts
        self.start = {who: token.balance_of(acct.address) for who, acct in a.items()}
        self.escrow_start = token.balance_of(env.credits.address)
        self.paid = {who: 0 for who in a}  # net tokens each party received from the escrow or the flows

    def teardown(self) -> None:
        self.env.chain.revert(self.snapshot)

    # -- helpers --------------------------------------------------------------------------------------------------

    def tick(self, seconds: int = 1) -> int:
        """The next transaction's timestamp: strictly after the last block."""
        self.now = max(self.now + seconds, self.env.chain.timestamp() + 1)
        self.env.chain.set_next_block_timestamp(self.now)
        return self.now

    def expect(self, error: str | None, action: Callable[[], Any]) -> Any:
        """Run ``action``, which must succeed or revert with ``error`` (``--hypothesis-show-statistics`` counts)."""
        event(f"{sys._getframe(1).f_code.co_name}: {error or 'ok'}")
        if error is None:
            return action()
        with pytest.raises(errors.revert_class(error)):
            action()
        return None

    def account(self, role: str):
        return self.env.accounts[role]

    # -- rules ----------------------------------------------------------------------------------------------------

    @initialize(about=st.booleans(), partial=st.booleans(), confirm=st.booleans())
    def first_credit(self, about: bool, partial: bool, confirm: bool) -> None:
        self.open_credit(about, partial, confirm)

    @precondition(lambda self: len(self.credits) < MAX_CREDITS)
    @rule(about=st.booleans(), partial=st.booleans(), confirm=st.booleans())
    def open_credit(self, about: bool, partial: bool, confirm: bool) -> None:
        env, a = self.env, self.env.accounts
        tolerance = Tolerance.ABOUT if about else Tolerance.NONE
        now = self.tick()
        terms = env.make_terms(
            expiry=now + 20 * DAY,
            latest_shipment=now + 10 * DAY,
            tolerance=tolerance,
            partial_drawings=partial,
            confirming_bank=a["confirming_bank"].address,
        )
        credit_id = env.credits.request(terms, sender=a["buyer"])
        self.tick()
        env.hkd.approve(env.credits.address, terms.maximum, sender=a["buyer"])
        self.tick()
        env.credits.issue(credit_id, sender=a["issuing_bank"])
        self.tick()
        env.credits.advise(credit_id, sender=a["advising_bank"])
        if confirm:
            self.tick()
            env.credits.confirm(credit_id, sender=a["confirming_bank"])
        credit = ModelCredit(
            credit_id, AMOUNT, tolerance, partial, terms.expiry, terms.latest_shipment, confirm, cover=terms.maximum
        )
        self.credits.append(credit)
        self.paid["buyer"] -= terms.maximum

    @precondition(lambda self: self.credits)
    @rule(data=st.data(), mode=st.sampled_from(["left", "part", "part", "full", "over", "zero"]))
    def present(self, data: st.DataObject, mode: str) -> None:
        live = [c for c in self.credits if c.status == "issued" and self.now < c.expiry]
        pool = live if live and data.draw(st.integers(0, 3), label="prefer") > 0 else self.credits
        credit = data.draw(st.sampled_from(pool), label="credit")
        env, a = self.env, self.env.accounts
        committed = credit.drawn + credit.reserved
        left = max(credit.maximum - committed, 0)
        amount = {
            "left": left,
            "part": left // 3,
            "full": credit.amount,
            "over": left + 1,
            "zero": 0,
        }[mode]
        now = self.tick()
        on_board = min(now - 1, credit.latest_shipment)
        bill = env.bills.issue(a["shipper"].address, on_board=on_board)
        self.bills[bill] = ModelBill(owner=a["shipper"].address)
        now = self.tick()
        if credit.status != "issued":
            error: str | None = "CreditNotIssued"
        elif now > credit.expiry:
            error = "CreditExpired"
        elif amount == 0:
            error = "CreditZeroDrawing"
        elif not credit.partial and (
            committed != 0 or amount < minimum(credit.amount, credit.tolerance) or amount > credit.maximum
        ):
            error = "CreditPartialDrawingProhibited"
        elif amount > left:
            error = "CreditOverdrawn"
        else:
            error = None
        pid = self.expect(
            error,
            lambda: env.credits.present(env.bills.registry, bill, credit.id, amount, DOCUMENTS, sender=a["shipper"]),
        )
        if pid is None:
            return
        on_chain = env.credits.presentation(credit.id, pid)
        city = SHANGHAI if on_chain.examiner == a["issuing_bank"].address else HONG_KONG
        assert on_chain.examination_deadline == banking_deadline(city, now, 5)
        if not credit.confirmed:
            assert on_chain.examiner == a["issuing_bank"].address
        credit.reserved += amount
        self.bills[bill].locked = True
        self.presentations.append(
            ModelPresentation(credit, pid, bill, amount, on_chain.examiner, on_chain.examination_deadline)
        )

    def _pick(self, data: st.DataObject, *prefer: str) -> ModelPresentation:
        """A presentation, usually one in a state in ``prefer`` (so that the success paths get exercised)."""
        preferred = [p for p in self.presentations if p.state in prefer]
        if preferred and data.draw(st.integers(0, 3), label="prefer") > 0:
            return data.draw(st.sampled_from(preferred), label="presentation")
        return data.draw(st.sampled_from(self.presentations), label="presentation")

    @precondition(lambda self: self.presentations)
    @rule(data=st.data(), who=st.sampled_from(["examiner", "examiner", "examiner", "issuing_bank", "advising_bank"]))
    def honour(self, data: st.DataObject, who: str) -> None:
        p = self._pick(data, "presented", "waived")
        env, a = self.env, self.env.accounts
        actor = p.examiner if who == "examiner" else a[who].address
        sender = next(acct for acct in a.values() if acct.address == actor)
        credit = p.credit
        by_confirmer = credit.confirmed and actor == a["confirming_bank"].address
        if by_confirmer:
            self.tick()
            env.hkd.approve(env.credits.address, p.amount, sender=sender)
        now = self.tick()
        if p.state == "presented":
            error = (
                "CreditNotExaminingBank"
                if actor != p.examiner
                else "CreditExaminationClosed"
                if now > p.deadline
                else None
            )
        elif p.state == "waived":
            error = None if actor in (p.examiner, a["issuing_bank"].address) else "CreditNotExaminingBank"
        else:
            error = "CreditPresentationNotPending"
        if self.expect(error, lambda: env.credits.honour(credit.id, p.id, sender=sender)) is None:
            return
        self._paid(p, confirmer=by_confirmer)

    def _paid(self, p: ModelPresentation, *, confirmer: bool) -> None:
        a, credit = self.env.accounts, p.credit
        p.state = "honoured"
        credit.reserved -= p.amount
        credit.drawn += p.amount
        self.paid["shipper"] += p.amount
        if confirmer:
            p.reimbursement_due = True
            credit.owed += p.amount
            self.paid["confirming_bank"] -= p.amount
            self.bills[p.bill].owner = a["confirming_bank"].address
        else:
            credit.cover -= p.amount
            self.bills[p.bill].owner = a["issuing_bank"].address
        self.bills[p.bill].locked = False
        self.bills[p.bill].moves.append("paid")

    @precondition(lambda self: self.presentations)
    @rule(data=st.data(), hold=st.booleans(), stranger=st.sampled_from([False, False, True]))
    def refuse(self, data: st.DataObject, hold: bool, stranger: bool) -> None:
        p = self._pick(data, "presented")
        env, a = self.env, self.env.accounts
        actor = a["advising_bank"].address if stranger else p.examiner
        sender = next(acct for acct in a.values() if acct.address == actor)
        now = self.tick()
        if p.refused:
            error: str | None = "CreditNoticeAlreadyGiven"
        elif p.state != "presented":
            error = "CreditPresentationNotPending"
        elif actor != p.examiner:
            error = "CreditNotExaminingBank"
        elif now > p.deadline:
            error = "CreditExaminationClosed"
        else:
            error = None
        disposal = Disposal.HOLD_PENDING_WAIVER if hold else Disposal.RETURN
        refused = self.expect(
            error, lambda: env.credits.refuse(p.credit.id, p.id, [2], sender=sender, disposal=disposal)
        )
        if refused is None:
            return
        p.refused = True
        if hold:
            p.state = "refused"
        else:
            self._returned(p)

    def _returned(self, p: ModelPresentation) -> None:
        p.state = "returned"
        p.credit.reserved -= p.amount
        self.bills[p.bill].locked = False
        self.bills[p.bill].moves.append("returned")

    @precondition(lambda self: self.presentations)
    @rule(data=st.data(), by_applicant=st.sampled_from([True, True, False]))
    def waive(self, data: st.DataObject, by_applicant: bool) -> None:
        p = self._pick(data, "refused")
        env, a = self.env, self.env.accounts
        sender = a["buyer"] if by_applicant else a["shipper"]
        self.tick()
        if not by_applicant:
            error: str | None = "CreditNotApplicant"
        else:
            error = None if p.state == "refused" else "CreditNotHeldPendingWaiver"
        if self.expect(error, lambda: env.credits.waive(p.credit.id, p.id, sender=sender)) is None:
            return
        p.state = "waived"

    @precondition(lambda self: self.presentations)
    @rule(data=st.data())
    def return_documents(self, data: st.DataObject) -> None:
        p = self._pick(data, "refused", "waived")
        env, a = self.env, self.env.accounts
        self.tick()
        error = None if p.state in ("refused", "waived") else "CreditNotHeldPendingWaiver"
        if self.expect(error, lambda: env.credits.return_documents(p.credit.id, p.id, sender=a["shipper"])) is None:
            return
        self._returned(p)

    @precondition(lambda self: self.presentations)
    @rule(data=st.data())
    def claim_precluded(self, data: st.DataObject) -> None:
        p = self._pick(data, "presented")
        env, a = self.env, self.env.accounts
        now = self.tick()
        error = (
            "CreditPresentationNotPending"
            if p.state != "presented"
            else "CreditExaminationNotOver"
            if now <= p.deadline
            else None
        )
        if self.expect(error, lambda: env.credits.claim_precluded(p.credit.id, p.id, sender=a["shipper"])) is None:
            return
        self._paid(p, confirmer=False)

    @precondition(lambda self: any(p.reimbursement_due for p in self.presentations))
    @rule(data=st.data())
    def reimburse(self, data: st.DataObject) -> None:
        p = data.draw(st.sampled_from([q for q in self.presentations if q.reimbursement_due]), label="presentation")
        env, a = self.env, self.env.accounts
        self.tick()
        if self.expect(None, lambda: env.credits.reimburse(p.credit.id, p.id, sender=a["relayer"])) is None:
            return
        p.reimbursement_due = False
        p.credit.owed -= p.amount
        p.credit.cover -= p.amount
        self.paid["confirming_bank"] += p.amount

    @precondition(lambda self: self.credits)
    @rule(
        data=st.data(),
        percent=st.sampled_from([50, 80, 100, 120, 150]),
        accept=st.booleans(),
        instruct=st.sampled_from(["same", "same", "same", "other", "none"]),
    )
    def amendment(self, data: st.DataObject, percent: int, accept: bool, instruct: str) -> None:
        """The applicant instructs an amendment (usually the one the bank then issues) and the issuing bank amends
        the credit; if an amendment is pending, the beneficiary answers it instead."""
        credit = data.draw(st.sampled_from(self.credits), label="credit")
        if credit.pending is not None and credit.status == "issued":
            self.answer_amendment(credit, accept)
            return
        if instruct != "none":
            self.instruct(credit, percent if instruct == "same" else percent + 10, applicant=True)
        self.amend(credit, percent)

    @precondition(lambda self: self.credits)
    @rule(
        data=st.data(),
        percent=st.sampled_from([50, 80, 100, 120]),
        by_applicant=st.sampled_from([True, True, False]),
        withdraw=st.booleans(),
    )
    def instruction(self, data: st.DataObject, percent: int, by_applicant: bool, withdraw: bool) -> None:
        """The applicant (or someone else) instructs an amendment, or withdraws its instruction."""
        credit = data.draw(st.sampled_from(self.credits), label="credit")
        if withdraw:
            self.withdraw_instruction(credit, applicant=by_applicant)
        else:
            self.instruct(credit, percent, applicant=by_applicant)

    def instruct(self, credit: ModelCredit, percent: int, *, applicant: bool) -> None:
        env, a = self.env, self.env.accounts
        amount = AMOUNT * percent // 100
        now = self.tick()
        if credit.status != "issued":
            error: str | None = "CreditNotIssued"
        elif not applicant:
            error = "CreditNotApplicant"
        elif now > credit.expiry:
            error = "CreditExpired"
        elif now >= credit.expiry:
            error = "CreditExpiryInPast"
        elif amount == credit.amount:
            error = "CreditAmendmentUnchanged"
        else:
            error = None
        sender = a["buyer"] if applicant else a["shipper"]
        if self.expect(error, lambda: env.credits.instruct_amendment(credit.id, amount=amount, sender=sender)) is None:
            return
        credit.instructed = amount

    def withdraw_instruction(self, credit: ModelCredit, *, applicant: bool) -> None:
        env, a = self.env, self.env.accounts
        self.tick()
        if not applicant:
            error: str | None = "CreditNotApplicant"
        elif credit.instructed is None:
            error = "CreditAmendmentNotInstructed"
        else:
            error = None
        sender = a["buyer"] if applicant else a["issuing_bank"]
        if self.expect(error, lambda: env.credits.withdraw_amendment_instruction(credit.id, sender=sender)) is None:
            return
        credit.instructed = None

    def amend(self, credit: ModelCredit, percent: int) -> None:
        env, a = self.env, self.env.accounts
        amount = AMOUNT * percent // 100
        new_max = maximum(amount, credit.tolerance)
        extra = max(new_max - credit.maximum, 0)
        self.tick()
        env.hkd.approve(env.credits.address, extra, sender=a["buyer"])
        now = self.tick()
        if credit.status != "issued":
            error: str | None = "CreditNotIssued"
        elif now > credit.expiry:
            error = "CreditExpired"
        elif credit.pending is not None:
            error = "CreditAmendmentPending"
        elif now >= credit.expiry:
            error = "CreditExpiryInPast"
        elif amount == credit.amount:
            error = "CreditAmendmentUnchanged"
        elif new_max < credit.drawn + credit.reserved:
            error = "CreditAmendmentBelowDrawn"
        elif credit.instructed != amount:
            error = "CreditAmendmentNotInstructed"
        else:
            error = None
        if self.expect(error, lambda: env.credits.amend(credit.id, amount=amount, sender=a["issuing_bank"])) is None:
            return
        credit.pending = amount
        credit.instructed = None
        credit.cover += extra
        self.paid["buyer"] -= extra

    def answer_amendment(self, credit: ModelCredit, accept: bool) -> None:
        env, a = self.env, self.env.accounts
        now = self.tick()
        pending_max = maximum(credit.pending, credit.tolerance) if credit.pending is not None else 0
        if credit.status != "issued":
            error: str | None = "CreditNotIssued"
        elif credit.pending is None:
            error = "CreditNoAmendmentPending"
        elif accept and now > credit.expiry:
            error = "CreditExpired"
        elif accept and pending_max < credit.drawn + credit.reserved:
            error = "CreditAmendmentBelowDrawn"
        else:
            error = None
        act = env.credits.accept_amendment if accept else env.credits.reject_amendment
        if self.expect(error, lambda: act(credit.id, sender=a["shipper"])) is None:
            return
        assert credit.pending is not None
        refund = max(credit.maximum - pending_max, 0) if accept else max(pending_max - credit.maximum, 0)
        if accept:
            credit.amount = credit.pending
        credit.pending = None
        credit.cover -= refund
        self.paid["buyer"] += refund

    @rule(seconds=st.sampled_from([3600, 2 * DAY, 5 * DAY, 9 * DAY]))
    def advance_time(self, seconds: int) -> None:
        self.tick(seconds)
        self.env.chain.mine()

    @precondition(lambda self: any(self.now >= c.expiry for c in self.credits))
    @rule(data=st.data())
    def close_expired(self, data: st.DataObject) -> None:
        credit = data.draw(st.sampled_from([c for c in self.credits if self.now >= c.expiry]), label="credit")
        env, a = self.env, self.env.accounts
        now = self.tick()
        refund = credit.cover - credit.reserved - credit.owed
        error = "CreditNotExpired" if now <= credit.expiry else "CreditNothingToRefund" if refund == 0 else None
        if self.expect(error, lambda: env.credits.close_expired(credit.id, sender=a["relayer"])) is None:
            return
        credit.status = "expired"
        credit.pending = None
        credit.cover -= refund
        self.paid["buyer"] += refund

    @precondition(lambda self: any(b.locked for b in self.bills.values()))
    @rule(data=st.data())
    def move_a_locked_bill(self, data: st.DataObject) -> None:
        bill = data.draw(st.sampled_from(sorted(b for b, m in self.bills.items() if m.locked)), label="bill")
        env, a = self.env, self.env.accounts
        self.tick()
        with pytest.raises(errors.TitleEncumbered):
            env.bills.registry.transfer_owners(bill, a["buyer"].address, a["buyer"].address, sender=a["shipper"])

    # -- invariants -----------------------------------------------------------------------------------------------

    @invariant()
    def tokens_are_conserved(self) -> None:
        env = self.env
        escrow = env.hkd.balance_of(env.credits.address) - self.escrow_start
        assert escrow == sum(c.cover for c in self.credits)
        for credit in self.credits:
            ledger = env.credits.ledger(credit.id)
            assert (ledger.cover, ledger.drawn, ledger.reserved, ledger.owed_to_confirming_bank) == (
                credit.cover,
                credit.drawn,
                credit.reserved,
                credit.owed,
            )
            assert ledger.cover == ledger.reserved + ledger.owed_to_confirming_bank + ledger.refundable
            if credit.status == "issued":
                biggest = max(credit.maximum, maximum(credit.pending or 0, credit.tolerance))
                assert credit.drawn + credit.reserved <= credit.maximum
                assert ledger.cover == biggest - credit.drawn + credit.owed

    @invariant()
    def instructions_are_as_modelled(self) -> None:
        env = self.env
        for credit in self.credits:
            expected = None
            if credit.instructed is not None:
                expected = amendment_hash(credit.instructed, credit.expiry, credit.latest_shipment)
            assert env.credits.amendment_instruction(credit.id) == expected

    @invariant()
    def nobody_is_paid_twice(self) -> None:
        env = self.env
        for who, acct in env.accounts.items():
            assert env.hkd.balance_of(acct.address) == self.start[who] + self.paid[who], who

    @invariant()
    def no_ebl_both_encumbered_and_moved(self) -> None:
        env, shipper = self.env, self.env.accounts["shipper"].address
        for bill, model in self.bills.items():
            title = env.bills.registry.title(bill)
            assert title.encumbered == model.locked
            if title.encumbered:
                assert title.locker == env.credits.address
                assert title.beneficiary == title.holder == shipper and not model.moves
            else:
                assert title.beneficiary == title.holder == (model.owner or shipper)


def _machine_test(request, settings_: settings) -> None:
    names = ["buyer", "shipper", "issuing_bank", "advising_bank", "confirming_bank", "relayer"]
    env = SimpleNamespace(
        chain=request.getfixturevalue("chain"),
        credits=request.getfixturevalue("credits"),
        bills=request.getfixturevalue("bills"),
        hkd=request.getfixturevalue("hkd"),
        make_terms=request.getfixturevalue("make_terms"),
        accounts={name: request.getfixturevalue(name) for name in names},
    )
    run_state_machine_as_test(lambda: CreditMachine(env), settings=settings_)


def test_credit_lifecycles(request):
    _machine_test(request, settings(PROFILE, max_examples=min(PROFILE.max_examples, 12), stateful_step_count=40))


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="long runs under HYPOTHESIS_PROFILE=fuzz (make fuzz)")
def test_credit_lifecycles_long(request):
    _machine_test(request, settings(PROFILE))
