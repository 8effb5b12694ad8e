"""Random sequences of loans, collections and title moves by random parties against a plain-Python model.

After every step: tokens are conserved (the model's balances are the chain's, the escrow contracts hold nothing,
the supply is unchanged); every bill is where the model says, encumbered exactly while one loan or one collection
holds it and by that contract; the ledger claims exactly the bills and invoices of active loans, so no bill or
invoice is financed twice at once; nobody is paid twice (each loan disbursed and repaid at most once, each
collection paid at most once, checked against the events at the end of every run).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind
from tradefin.finance.collection import DISHONOUR_GRACE, CollectionInstruction, CollectionStatus, CollectionTerms
from tradefin.finance.ledger import ClaimKind, bill_key, invoice_key
from tradefin.finance.loan import LoanStatus, LoanTerms, financing_id
from tradefin.transactions.abi import decode_output

from .conftest import DAY, UNIT, ZERO, fresh_hash

PARTIES = ("shipper", "buyer", "financier", "advising_bank", "remitting_bank")
FINANCIERS = ("financier", "advising_bank")
INVOICES = tuple(fresh_hash("machine invoice") for _ in range(4))
HALF_DAY = DAY // 2  # deadlines fall mid-day, steps of time are whole days: no step lands on a boundary
TO_ORDER, BLANK, STRAIGHT = ConsignmentForm.TO_ORDER, ConsignmentForm.BLANK_ENDORSED, ConsignmentForm.STRAIGHT
DP, DA = CollectionTerms.DOCUMENTS_AGAINST_PAYMENT, CollectionTerms.DOCUMENTS_AGAINST_ACCEPTANCE
AMOUNTS = st.sampled_from([1, 250, 250, 40_000, 40_000, 700_000, 2_000_000]).map(lambda n: n * UNIT)


@dataclass
class Bill:
    id: int
    owner: str
    form: ConsignmentForm
    held_by: tuple[str, int] | None = None  # ("loan", id) or ("collection", id)


@dataclass
class Loan:
    id: int
    financier: str
    borrower: str
    bill: int
    invoice: bytes
    principal: int
    interest: int
    maturity: int
    expiry: int
    status: LoanStatus = LoanStatus.OFFERED


@dataclass
class Collection:
    id: int
    remitter: str
    drawee: str
    bill: int
    amount: int
    terms: CollectionTerms
    tenor: int
    deadline: int
    status: CollectionStatus = CollectionStatus.PRESENTED
    maturity: int = 0
    holder: str = ""


@dataclass
class Payments:
    disbursed: Counter[int] = field(default_factory=Counter)
    repaid: Counter[int] = field(default_factory=Counter)
    collected: Counter[int] = field(default_factory=Counter)


def expect(error: str | None, action) -> Any:
    """Run ``action``: it must raise the named custom error, or succeed when ``error`` is None."""
    if error is None:
        return action()
    with pytest.raises(errors.revert_class(error)):
        action()
    return None


PICK = st.tuples(st.integers(0, 255), st.sampled_from([False, False, False, True]))
"""Which record a rule acts on: an index, and whether to pick among all records (mostly errors) rather than among
those the rule applies to."""


def pick(choice: tuple[int, bool], pool: list[Any], fitting: list[Any]) -> Any:
    index, anything = choice
    candidates = pool if anything or not fitting else fitting
    return candidates[index % len(candidates)] if candidates else None


class FinancingMachine(RuleBasedStateMachine):
    def __init__(self, parts: dict[str, Any]) -> None:
        super().__init__()
        self.chain, self.registry, self.ledger = parts["chain"], parts["registry"], parts["ledger"]
        self.loans, self.collections, self.token = parts["loans"], parts["collections"], parts["token"]
        self.accounts, self.carrier = parts["accounts"], parts["carrier"]
        self.bill_model: dict[int, Bill] = {}
        self.loan_model: dict[int, Loan] = {}
        self.collection_model: dict[int, Collection] = {}
        self.payments = Payments()
        self.supply = int(self.token.call("totalSupply"))
        self.balances = dict(
            zip(
                PARTIES,
                self._read_all([(self.token, "balanceOf", (self.accounts[p].address,)) for p in PARTIES]),
                strict=True,
            )
        )
        self.parties_total = sum(self.balances.values())
        self.first_block = self.chain.block_number() + 1
        self.done: Counter[str] = Counter()

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _read_all(self, calls: list[tuple[Any, str, tuple[Any, ...]]]) -> list[Any]:
        """Many view calls in one JSON-RPC batch."""
        replies = self.chain.rpc_batch(
            [
                ("eth_call", [{"to": c.address, "data": "0x" + c.encode(fn, *args).hex()}, "latest"])
                for c, fn, args in calls
            ]
        )
        return [
            decode_output(c.function(fn), bytes.fromhex(r["result"][2:]))
            for (c, fn, _), r in zip(calls, replies, strict=True)
        ]

    def _done(self, operation: str) -> None:
        self.done[operation] += 1

    def now(self) -> int:
        return self.chain.timestamp()

    def acct(self, party: str):
        return self.accounts[party]

    def _move(self, payer: str, payee: str, amount: int) -> None:
        self.balances[payer] -= amount
        self.balances[payee] += amount

    def _active_invoices(self) -> set[bytes]:
        return {ln.invoice for ln in self.loan_model.values() if ln.status is LoanStatus.ACTIVE}

    # -- titles -----------------------------------------------------------------------------------------------------

    @initialize()
    def first_bills(self) -> None:
        self._issue("shipper", TO_ORDER)
        self._issue("remitting_bank", BLANK)

    def _free_bills(self) -> list[Bill]:
        return [b for b in self.bill_model.values() if b.held_by is None and b.form is not STRAIGHT]

    def _loans(self, *statuses: LoanStatus) -> list[Loan]:
        return [ln for ln in self.loan_model.values() if ln.status in statuses]

    def _collections(self, *statuses: CollectionStatus, terms: CollectionTerms | None = None) -> list[Collection]:
        return [c for c in self.collection_model.values() if c.status in statuses and terms in (None, c.terms)]

    def _issue(self, owner: str, form: ConsignmentForm) -> int:
        address = self.acct(owner).address
        bid = self.registry.issue(
            fresh_hash("machine bill"),
            beneficiary=address,
            holder=address,
            sender=self.carrier,
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=form,
        ).id
        self.bill_model[bid] = Bill(bid, owner, form)
        return bid

    @rule(owner=st.sampled_from(PARTIES), form=st.sampled_from([TO_ORDER, TO_ORDER, BLANK, STRAIGHT]))
    def issue(self, owner: str, form: ConsignmentForm) -> None:
        self._issue(owner, form)

    @rule(choice=PICK, to=st.sampled_from(PARTIES))
    def transfer_bill(self, choice: tuple[int, bool], to: str) -> None:
        b = pick(choice, list(self.bill_model.values()), self._free_bills())
        if to == b.owner or b.form is STRAIGHT:
            return
        bill = b.id
        error = "TitleEncumbered" if b.held_by else None
        owner, new = self.acct(b.owner), self.acct(to).address
        if b.form is BLANK:
            action = lambda: self.registry.transfer_holder(bill, new, sender=owner)  # noqa: E731
        else:
            action = lambda: self.registry.transfer_owners(bill, new, new, sender=owner)  # noqa: E731
        expect(error, action)
        if error is None:
            b.owner = to
            self._done("transfer_bill")

    @rule(days=st.integers(1, 45))
    def time_passes(self, days: int) -> None:
        self.chain.increase_time(days * DAY)
        self.chain.mine()

    # -- loans ------------------------------------------------------------------------------------------------------

    @rule(
        choice=PICK,
        financier=st.sampled_from(FINANCIERS),
        to_owner=st.sampled_from([True, True, True, False]),
        stranger=st.sampled_from(PARTIES),
        invoice=st.sampled_from(INVOICES),
        principal=AMOUNTS,
        interest=st.sampled_from([0, 3 * UNIT]),
        expiry_days=st.integers(0, 10),
        tenor_days=st.integers(1, 120),
        taken=st.booleans(),
    )
    def offer(
        self, choice, financier, to_owner, stranger, invoice, principal, interest, expiry_days, tenor_days, taken
    ):
        """A financier offers a loan, which the borrower may take at once (``taken``)."""
        b = pick(choice, list(self.bill_model.values()), self._free_bills())
        bill = b.id
        borrower = b.owner if to_owner else stranger
        now = self.now()
        terms = LoanTerms(
            borrower=self.acct(borrower).address,
            registry=self.registry.address,
            bill_id=bill,
            invoice_hash=invoice,
            token=self.token.address,
            principal=principal,
            interest=interest,
            maturity=now + (expiry_days + tenor_days) * DAY + HALF_DAY,
            offer_expiry=now + expiry_days * DAY + HALF_DAY,
        )
        if borrower == financier:
            expect("LoanSelfFinancing", lambda: self.loans.offer(terms, sender=self.acct(financier)))
            return
        lid = self.loans.offer(terms, sender=self.acct(financier))
        self.loan_model[lid] = Loan(
            lid, financier, borrower, bill, invoice, principal, interest, terms.maturity, terms.offer_expiry
        )
        self._done("offer")
        if taken:
            self._accept_loan(self.loan_model[lid])

    @rule(choice=PICK)
    def accept_loan(self, choice: tuple[int, bool]) -> None:
        ln = pick(choice, list(self.loan_model.values()), self._loans(LoanStatus.OFFERED))
        if ln is not None:
            self._accept_loan(ln)

    def _accept_loan(self, ln: Loan) -> None:
        lid = ln.id
        b = self.bill_model[ln.bill]
        if b.held_by:
            error = "TitleAlreadyEncumbered"
        elif b.owner != ln.borrower:
            error = "TitleNotBeneficiary"
        elif ln.status is not LoanStatus.OFFERED:
            error = "LoanNotOffered"
        elif self.now() > ln.expiry:
            error = "LoanOfferExpired"
        elif b.form is STRAIGHT:
            error = "LoanBillNotNegotiable"
        elif ln.invoice in self._active_invoices():
            error = "LedgerAlreadyFinanced"
        elif self.balances[ln.financier] < ln.principal:
            error = "ERC20InsufficientBalance"
        else:
            error = None
        # the contracts under test: the client's pre-check (tests/financing/test_duplicate_financing.py) is off
        expect(
            error,
            lambda: self.loans.accept(lid, self.registry, sender=self.acct(ln.borrower), check_financing=False),
        )
        if error is None:
            ln.status = LoanStatus.ACTIVE
            b.held_by = ("loan", lid)
            self._move(ln.financier, ln.borrower, ln.principal)
            self.payments.disbursed[lid] += 1
            self._done("accept_loan")

    @rule(choice=PICK)
    def repay(self, choice: tuple[int, bool]) -> None:
        ln = pick(choice, list(self.loan_model.values()), self._loans(LoanStatus.ACTIVE))
        if ln is None:
            return
        lid = ln.id
        due = ln.principal + ln.interest
        if ln.status is not LoanStatus.ACTIVE:
            error = "LoanNotActive"
        elif self.balances[ln.borrower] < due:
            error = "ERC20InsufficientBalance"
        else:
            error = None
        expect(error, lambda: self.loans.repay(lid, sender=self.acct(ln.borrower)))
        if error is None:
            ln.status = LoanStatus.REPAID
            self.bill_model[ln.bill].held_by = None
            self._move(ln.borrower, ln.financier, due)
            self.payments.repaid[lid] += 1
            self._done("repay")

    @rule(choice=PICK)
    def foreclose(self, choice: tuple[int, bool]) -> None:
        ln = pick(choice, list(self.loan_model.values()), self._loans(LoanStatus.ACTIVE))
        if ln is None:
            return
        lid = ln.id
        if ln.status is not LoanStatus.ACTIVE:
            error = "LoanNotActive"
        elif self.now() <= ln.maturity:
            error = "LoanNotMatured"
        else:
            error = None
        expect(error, lambda: self.loans.foreclose(lid, sender=self.acct(ln.financier)))
        if error is None:
            ln.status = LoanStatus.FORECLOSED
            b = self.bill_model[ln.bill]
            b.held_by, b.owner = None, ln.financier
            self._done("foreclose")

    @rule(choice=PICK)
    def withdraw(self, choice: tuple[int, bool]) -> None:
        ln = pick(choice, list(self.loan_model.values()), self._loans(LoanStatus.OFFERED))
        if ln is None:
            return
        lid = ln.id
        error = None if ln.status is LoanStatus.OFFERED else "LoanNotOffered"
        expect(error, lambda: self.loans.withdraw_offer(lid, sender=self.acct(ln.financier)))
        if error is None:
            ln.status = LoanStatus.WITHDRAWN
            self._done("withdraw")

    # -- collections ------------------------------------------------------------------------------------------------

    @rule(
        choice=PICK,
        drawee=st.sampled_from(PARTIES),
        acceptance=st.booleans(),
        amount=AMOUNTS,
        deadline_days=st.integers(0, 20),
        tenor_days=st.integers(1, 90),
        answered=st.booleans(),
    )
    def lodge(self, choice, drawee, acceptance, amount, deadline_days, tenor_days, answered):
        """The bill's owner lodges it for collection; the drawee may pay or accept at once (``answered``)."""
        b = pick(choice, list(self.bill_model.values()), self._free_bills())
        bill = b.id
        owner = self.acct(b.owner).address
        common = {
            "drawer": owner,
            "drawee": self.acct(drawee).address,
            "token": self.token.address,
            "amount": amount,
            "presentation_deadline": self.now() + deadline_days * DAY + HALF_DAY,
        }
        tenor = tenor_days * DAY + HALF_DAY
        if acceptance:
            ins = CollectionInstruction.documents_against_acceptance(**common, tenor=tenor)
        else:
            ins = CollectionInstruction.documents_against_payment(**common)
        if b.held_by:
            error = "TitleAlreadyEncumbered"
        elif drawee == b.owner:
            error = "CollectionInvalidDrawee"
        elif b.form is STRAIGHT:
            error = "CollectionBillNotNegotiable"
        else:
            error = None
        cid = expect(error, lambda: self.collections.lodge(self.registry, bill, ins, sender=self.acct(b.owner)))
        if error is not None:
            return
        b.held_by = ("collection", cid)
        self.collection_model[cid] = Collection(
            cid,
            b.owner,
            drawee,
            bill,
            amount,
            ins.terms,
            ins.tenor,
            ins.presentation_deadline,
            holder=b.owner if acceptance else "",
        )
        self._done("lodge")
        if answered:
            (self._accept if acceptance else self._pay)(self.collection_model[cid])

    def _presented_error(self, c: Collection, terms: CollectionTerms) -> str | None:
        if c.status is not CollectionStatus.PRESENTED:
            return "CollectionNotPresented"
        if c.terms is not terms:
            return "CollectionWrongTerms"
        if self.now() > c.deadline:
            return "CollectionPresentationExpired"
        return None

    @rule(choice=PICK)
    def pay(self, choice: tuple[int, bool]) -> None:
        c = pick(choice, list(self.collection_model.values()), self._collections(CollectionStatus.PRESENTED, terms=DP))
        if c is not None:
            self._pay(c)

    def _pay(self, c: Collection) -> None:
        cid = c.id
        error = self._presented_error(c, DP)
        if error is None and self.balances[c.drawee] < c.amount:
            error = "ERC20InsufficientBalance"
        expect(error, lambda: self.collections.pay(cid, sender=self.acct(c.drawee)))
        if error is None:
            c.status = CollectionStatus.PAID
            b = self.bill_model[c.bill]
            b.held_by, b.owner = None, c.drawee
            self._move(c.drawee, c.remitter, c.amount)
            self.payments.collected[cid] += 1
            self._done("pay")

    @rule(choice=PICK)
    def accept(self, choice: tuple[int, bool]) -> None:
        c = pick(choice, list(self.collection_model.values()), self._collections(CollectionStatus.PRESENTED, terms=DA))
        if c is not None:
            self._accept(c)

    def _accept(self, c: Collection) -> None:
        cid = c.id
        error = self._presented_error(c, DA)
        now = self.now()
        expect(error, lambda: self.collections.accept(cid, sender=self.acct(c.drawee)))
        if error is None:
            c.status = CollectionStatus.ACCEPTED
            c.maturity = self.collections.collection(cid).maturity
            assert now + c.tenor <= c.maturity <= self.now() + c.tenor
            b = self.bill_model[c.bill]
            b.held_by, b.owner = None, c.drawee
            self._done("accept")

    @rule(choice=PICK)
    def refuse(self, choice: tuple[int, bool]) -> None:
        c = pick(choice, list(self.collection_model.values()), self._collections(CollectionStatus.PRESENTED))
        if c is None:
            return
        cid = c.id
        error = None if c.status is CollectionStatus.PRESENTED else "CollectionNotPresented"
        expect(error, lambda: self.collections.refuse(cid, sender=self.acct(c.drawee), reason="machine"))
        if error is None:
            c.status = CollectionStatus.REFUSED
            self._done("refuse")

    @rule(choice=PICK)
    def honour(self, choice: tuple[int, bool]) -> None:
        c = pick(choice, list(self.collection_model.values()), self._collections(CollectionStatus.ACCEPTED))
        if c is None:
            return
        cid = c.id
        if c.status is not CollectionStatus.ACCEPTED:
            error = "CollectionNotAccepted"
        elif self.now() < c.maturity:
            error = "CollectionNotMatured"
        elif self.balances[c.drawee] < c.amount:
            error = "ERC20InsufficientBalance"
        else:
            error = None
        expect(error, lambda: self.collections.honour(cid, sender=self.acct(c.drawee)))
        if error is None:
            c.status = CollectionStatus.HONOURED
            self._move(c.drawee, c.holder, c.amount)
            self.payments.collected[cid] += 1
            self._done("honour")

    @rule(choice=PICK)
    def dishonour(self, choice: tuple[int, bool]) -> None:
        c = pick(choice, list(self.collection_model.values()), self._collections(CollectionStatus.ACCEPTED))
        if c is None:
            return
        cid = c.id
        if c.status is not CollectionStatus.ACCEPTED:
            error = "CollectionNotAccepted"
        elif self.now() <= c.maturity + DISHONOUR_GRACE:  # the drawee's day of grace
            error = "CollectionDishonourTooEarly"
        else:
            error = None
        holder = c.holder or c.remitter
        expect(error, lambda: self.collections.dishonour(cid, sender=self.acct(holder), protest="machine"))
        if error is None:
            c.status = CollectionStatus.DISHONOURED
            self._done("dishonour")

    @rule(choice=PICK, to=st.sampled_from(PARTIES))
    def transfer_draft(self, choice: tuple[int, bool], to: str) -> None:
        c = pick(choice, list(self.collection_model.values()), self._collections(CollectionStatus.ACCEPTED))
        if c is None:
            return
        cid = c.id
        holder = c.holder or c.remitter
        if c.status is not CollectionStatus.ACCEPTED:
            error = "CollectionNotAccepted"
        elif to == holder:
            error = "CollectionAlreadyDraftHolder"
        else:
            error = None
        expect(error, lambda: self.collections.transfer_draft(cid, self.acct(to).address, sender=self.acct(holder)))
        if error is None:
            c.holder = to
            self._done("transfer_draft")

    @rule(choice=PICK)
    def return_documents(self, choice: tuple[int, bool]) -> None:
        c = pick(
            choice,
            list(self.collection_model.values()),
            self._collections(CollectionStatus.PRESENTED, CollectionStatus.REFUSED),
        )
        if c is None:
            return
        cid = c.id
        lapsed = c.status is CollectionStatus.PRESENTED and self.now() > c.deadline
        error = None if c.status is CollectionStatus.REFUSED or lapsed else "CollectionNotReturnable"
        expect(error, lambda: self.collections.return_documents(cid, sender=self.acct(c.remitter)))
        if error is None:
            c.status = CollectionStatus.RETURNED
            self.bill_model[c.bill].held_by = None
            self._done("return_documents")

    # -- invariants -------------------------------------------------------------------------------------------------

    @invariant()
    def chain_agrees_with_the_model(self) -> None:
        bills = list(self.bill_model.values())
        loans = list(self.loan_model.values())
        colls = list(self.collection_model.values())
        holders = [*PARTIES, "loans", "collections"]
        addresses = {
            **{p: self.acct(p).address for p in PARTIES},
            "loans": self.loans.address,
            "collections": self.collections.address,
        }
        calls: list[tuple[Any, str, tuple[Any, ...]]] = [(self.token, "totalSupply", ())]
        calls += [(self.token, "balanceOf", (addresses[h],)) for h in holders]
        calls += [(self.registry.contract, "title", (b.id,)) for b in bills]
        calls += [(self.ledger.contract, "financedBy", (bill_key(self.registry.address, b.id),)) for b in bills]
        invoice_keys = [invoice_key(self.registry.address, i) for i in INVOICES]
        calls += [(self.ledger.contract, "claimOf", (ClaimKind.INVOICE, k)) for k in invoice_keys]
        calls += [(self.loans.contract, "loan", (ln.id,)) for ln in loans]
        calls += [(self.collections.contract, "collection", (c.id,)) for c in colls]
        results = iter(self._read_all(calls))

        # Tokens are conserved: nothing minted or burnt, the escrows hold nothing, every party as modelled.
        assert next(results) == self.supply
        balances = {h: next(results) for h in holders}
        assert balances == {**self.balances, "loans": 0, "collections": 0}
        assert sum(self.balances.values()) == self.parties_total

        # Every bill is in one place: with its owner, locked exactly while one loan or collection holds it.
        holding = Counter(
            [("loan", ln.id, ln.bill) for ln in loans if ln.status is LoanStatus.ACTIVE]
            + [
                ("collection", c.id, c.bill)
                for c in colls
                if c.status in (CollectionStatus.PRESENTED, CollectionStatus.REFUSED)
            ]
        )
        per_bill = Counter(bill for _, _, bill in holding)
        for b in bills:
            beneficiary, holder, _, _, _, _, _, _, encumbered, locker = next(results)
            owner = self.acct(b.owner).address
            assert (beneficiary, holder) == (owner, owner)
            assert per_bill[b.id] <= 1
            assert encumbered == (b.held_by is not None) == (per_bill[b.id] == 1)
            if b.held_by:
                kind, rid = b.held_by
                assert (kind, rid, b.id) in holding
                assert locker == (self.loans.address if kind == "loan" else self.collections.address)
            else:
                assert locker == ZERO

        # The ledger claims exactly the bills and invoices of active loans: nothing financed twice at once.
        active = {ln.bill: ln for ln in loans if ln.status is LoanStatus.ACTIVE}
        for b in bills:
            claimant, kind, _, fid = next(results)
            if b.id in active:
                assert (claimant, kind, fid) == (self.loans.address, ClaimKind.BILL, financing_id(active[b.id].id))
            else:
                assert claimant == ZERO
        by_invoice = {ln.invoice: ln for ln in active.values()}
        assert len(by_invoice) == len(active)
        for invoice in INVOICES:
            claimant, kind, _, fid = next(results)
            if invoice in by_invoice:
                assert (claimant, kind, fid) == (
                    self.loans.address,
                    ClaimKind.INVOICE,
                    financing_id(by_invoice[invoice].id),
                )
            else:
                assert claimant == ZERO

        # Statuses, draft holders and maturities as modelled.
        for ln in loans:
            assert LoanStatus(next(results)[1]) is ln.status
        for c in colls:
            _, status, _, maturity, draft_holder, _, bill, _ = next(results)
            assert (CollectionStatus(status), maturity, bill) == (c.status, c.maturity, c.bill)
            assert draft_holder == (self.acct(c.holder).address if c.holder else ZERO)

        # Nobody is paid twice.
        for counter in (self.payments.disbursed, self.payments.repaid, self.payments.collected):
            assert all(n <= 1 for n in counter.values())

    def teardown(self) -> None:
        """At the end of a run the events agree: one disbursement, repayment or collection per record at most."""
        events = self.loans.contract.get_logs(from_block=self.first_block) + self.collections.contract.get_logs(
            from_block=self.first_block
        )
        counts = Counter(
            (e.name, e["loanId"] if "loanId" in e.args else e["collectionId"])
            for e in events
            if e.name in ("LoanDisbursed", "LoanRepaid", "CollectionPaid", "CollectionHonoured")
        )
        assert all(n == 1 for n in counts.values())  # no loan disbursed or repaid twice, no collection paid twice
        collected = Counter(key for (name, key) in counts if name in ("CollectionPaid", "CollectionHonoured"))
        assert all(n == 1 for n in collected.values())  # nor paid (D/P) and honoured (D/A) both
        assert Counter(key for (name, key) in counts if name == "LoanDisbursed") == self.payments.disbursed
        assert Counter(key for (name, key) in counts if name == "LoanRepaid") == self.payments.repaid
        assert collected == self.payments.collected


@pytest.fixture
def machine_parts(chain, registry, ledger, loans, collections, token, funded, accounts, carrier) -> dict[str, Any]:
    return {
        "chain": chain,
        "registry": registry,
        "ledger": ledger,
        "loans": loans,
        "collections": collections,
        "token": token,
        "accounts": accounts,
        "carrier": carrier,
    }


def run_machine(chain, parts: dict[str, Any], machine_settings: settings) -> Counter[str]:
    """Run the machine, each run from a chain snapshot; the successful operations of all runs by name."""
    done: Counter[str] = Counter()

    def make() -> FinancingMachine:
        snapshot = chain.snapshot()
        machine = FinancingMachine(parts)
        original_teardown = machine.teardown

        def teardown() -> None:
            try:
                original_teardown()
            finally:
                done.update(machine.done)
                chain.revert(snapshot)

        machine.teardown = teardown  # type: ignore[method-assign]
        return machine

    run_state_machine_as_test(make, settings=machine_settings)
    return done


def test_financing_rules_hold_under_random_operations(chain, machine_parts):
    base = settings.default
    modest = settings(
        base, max_examples=min(base.max_examples, 30), stateful_step_count=min(base.stateful_step_count, 50)
    )
    done = run_machine(chain, machine_parts, modest)
    print(f"financing state machine: {done.total()} successful operations: {dict(done.most_common())}")
    assert done.total() > 0


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE") != "fuzz", reason="long run: make fuzz")
def test_financing_rules_hold_under_long_random_runs(chain, machine_parts):
    assert sum(run_machine(chain, machine_parts, settings.default)) > 0
