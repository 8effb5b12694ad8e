"""Fixtures for trade-finance escrow: one registry, ledger, loan and collection contract per session, settled in a
bank's deposit token (USD, 2 decimals, issued by the issuing bank); factories for fresh bills, standard loan terms
and collection instructions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import pytest
from eth_utils import keccak

from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.finance.collection import CollectionInstruction, DocumentaryCollections
from tradefin.finance.ledger import FinancingLedger
from tradefin.finance.loan import LoanTerms, TitleLoans
from tradefin.money import DepositToken
from tradefin.transactions import Contract

DAY = 86_400
UNIT = 100  # one dollar in cents: the deposit token has 2 decimals
MAX_UINT = 2**256 - 1
ZERO = "0x" + "00" * 20

_serial = itertools.count()


def fresh_hash(label: str = "doc") -> bytes:
    return keccak(text=f"financing {label} {next(_serial)}")


@pytest.fixture(scope="session")
def registry(ctx, carrier) -> TitleRegistry:
    return TitleRegistry.deploy(ctx, carrier, symbol="FEBL")


@pytest.fixture(scope="session")
def ledger(ctx, deployer) -> FinancingLedger:
    return FinancingLedger.deploy(ctx, deployer)


@pytest.fixture(scope="session")
def deposit(ctx, issuing_bank) -> DepositToken:
    return DepositToken.deploy(ctx, issuing_bank, currency="USD", deployment_name="FinancingUSD")


@pytest.fixture(scope="session")
def token(deposit) -> Contract:
    """The deposit token's raw contract handle (``call``/``transact`` by ABI name)."""
    return deposit.contract


@pytest.fixture(scope="session")
def loans(ctx, deployer, carrier, registry, ledger) -> TitleLoans:
    loans = TitleLoans.deploy(ctx, deployer, ledger.address)
    ledger.authorise(loans.address, sender=deployer)
    registry.authorise_locker(loans.address, sender=carrier)
    return loans


@pytest.fixture(scope="session")
def collections(ctx, deployer, carrier, registry) -> DocumentaryCollections:
    collections = DocumentaryCollections.deploy(ctx, deployer)
    registry.authorise_locker(collections.address, sender=carrier)
    return collections


@pytest.fixture(scope="session")
def funded(ctx, deposit, token, loans, collections, accounts, issuing_bank) -> dict[str, int]:
    """Every trade party holds USD 1,000,000 and has approved both escrow contracts without limit."""
    start = 1_000_000 * UNIT
    pending = []
    for role in ("shipper", "buyer", "financier", "remitting_bank", "collecting_bank", "advising_bank"):
        account = accounts[role]
        deposit.mint(account.address, start, sender=issuing_bank)
        for spender in (loans.address, collections.address):
            pending.append(token.send(account, "approve", spender, MAX_UINT))
    ctx.transactor.wait_all(pending)
    return {role: start for role in ("shipper", "buyer", "financier")}


@pytest.fixture
def balance(token) -> Callable[[object], int]:
    def of(who) -> int:
        return int(token.call("balanceOf", getattr(who, "address", who)))

    return of


@pytest.fixture
def issue_bill(registry, carrier, shipper) -> Callable[..., int]:
    """Issue a new negotiable to-order bill (a fresh document hash) to ``owner`` and return its id."""

    def issue(
        owner=None,
        *,
        holder=None,
        kind: DocumentKind = DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form: ConsignmentForm = ConsignmentForm.TO_ORDER,
    ) -> int:
        owner = owner or shipper
        holder = holder or owner
        return registry.issue(
            fresh_hash("bill"), beneficiary=owner.address, holder=holder.address, sender=carrier, kind=kind, form=form
        ).id

    return issue


@pytest.fixture
def terms(chain, registry, token, shipper) -> Callable[..., LoanTerms]:
    """Standard loan terms for ``bill``: 100 principal, 5 interest, offer open a day, maturity in 90 days."""

    def make(bill: int, **changes) -> LoanTerms:
        now = chain.timestamp()
        base = LoanTerms(
            borrower=shipper.address,
            registry=registry.address,
            bill_id=bill,
            invoice_hash=fresh_hash("invoice"),
            token=token.address,
            principal=100 * UNIT,
            interest=5 * UNIT,
            maturity=now + 90 * DAY,
            offer_expiry=now + DAY,
        )
        return replace(base, **changes)

    return make


@pytest.fixture
def active_loan(loans, registry, issue_bill, terms, financier, shipper, funded) -> Callable[..., tuple[int, int]]:
    """Offer and accept a loan on a fresh bill; (loan id, bill id)."""

    def make(**changes) -> tuple[int, int]:
        bill = issue_bill(shipper)
        loan_id = loans.offer(terms(bill, **changes), sender=financier)
        loans.accept(loan_id, registry, sender=shipper)
        return loan_id, bill

    return make


@pytest.fixture
def instruction(chain, token, shipper, buyer) -> Callable[..., CollectionInstruction]:
    """A standard instruction from shipper (drawer) on buyer (drawee): 250 tokens, presentation for 14 days;
    D/P by default, D/A (60 days after acceptance) with ``acceptance=True``."""

    def make(*, acceptance: bool = False, **changes) -> CollectionInstruction:
        deadline = chain.timestamp() + 14 * DAY
        common = {
            "drawer": shipper.address,
            "drawee": buyer.address,
            "token": token.address,
            "amount": 250 * UNIT,
            "presentation_deadline": deadline,
        }
        if acceptance:
            base = CollectionInstruction.documents_against_acceptance(**common, tenor=60 * DAY)
        else:
            base = CollectionInstruction.documents_against_payment(**common)
        return replace(base, **changes)

    return make


@pytest.fixture
def lodged(collections, registry, issue_bill, instruction, shipper, funded) -> Callable[..., tuple[int, int]]:
    """Lodge a fresh bill of the shipper with a standard instruction; (collection id, bill id)."""

    def make(*, acceptance: bool = False, **changes) -> tuple[int, int]:
        bill = issue_bill(shipper)
        cid = collections.lodge(registry, bill, instruction(acceptance=acceptance, **changes), sender=shipper)
        return cid, bill

    return make
