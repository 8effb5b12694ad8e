"""Fixtures for consented document sharing: the consent registry and the anchors (one each per session), an
encrypted store per test, a shared invoice; for the duplicate-financing check a registry, a ledger and a loan
contract of their own, and a factory for live loans."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from eth_utils import keccak

from tradefin.data import ConsentRegistry, DocumentAnchors, DocumentStore, DocumentType, StoreKey
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.finance.ledger import FinancingLedger
from tradefin.finance.loan import LoanTerms, TitleLoans
from tradefin.money import DepositToken

DAY = 86_400
UNIT = 100
PURPOSE = "TRADE_FINANCE"
INVOICE = b"Commercial invoice HX-2025-0314\nSeller: Shanghai Bright Lights Co.\n1,200 LED monitors, USD 62,400.00\n"

_serial = itertools.count()


def fresh_hash(label: str = "doc") -> bytes:
    return bytes(keccak(text=f"data {label} {next(_serial)}"))


def fresh_document(label: str = "invoice") -> bytes:
    return INVOICE + f"ref {label}-{next(_serial)}\n".encode()


@pytest.fixture(scope="session")
def consents(ctx, deployer) -> ConsentRegistry:
    return ConsentRegistry.deploy(ctx, deployer)


@pytest.fixture(scope="session")
def anchors(ctx, deployer) -> DocumentAnchors:
    return DocumentAnchors.deploy(ctx, deployer)


@pytest.fixture
def key() -> StoreKey:
    return StoreKey.generate()


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "documents.sqlite"


@pytest.fixture
def store(store_path, key, consents, anchors):
    with DocumentStore(store_path, key, consents=consents, anchors=anchors) as docs:
        yield docs


@pytest.fixture
def deposit_document(store, anchors, shipper) -> Callable[..., bytes]:
    """The shipper stores a fresh invoice and anchors it; its hash."""

    def deposit(content: bytes | None = None, document_type: DocumentType = DocumentType.COMMERCIAL_INVOICE) -> bytes:
        content = content or fresh_document()
        digest = store.put(shipper.address, content, document_type=document_type)
        anchors.anchor(digest, document_type, sender=shipper)
        return digest

    return deposit


@pytest.fixture
def shared(chain, consents, deposit_document, shipper, financier) -> bytes:
    """An anchored, stored invoice of the shipper that the financier may read for TRADE_FINANCE for 30 days."""
    digest = deposit_document()
    consents.grant(
        financier.address, [digest], purpose=PURPOSE, expires_at=chain.timestamp() + 30 * DAY, sender=shipper
    )
    return digest


# -- duplicate financing ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def registry(ctx, carrier) -> TitleRegistry:
    return TitleRegistry.deploy(ctx, carrier, symbol="DATA")


@pytest.fixture(scope="session")
def ledger(ctx, deployer) -> FinancingLedger:
    return FinancingLedger.deploy(ctx, deployer, deployment_name="FinancingLedger:data")


@pytest.fixture(scope="session")
def loans(ctx, deployer, carrier, registry, ledger) -> TitleLoans:
    loans = TitleLoans.deploy(ctx, deployer, ledger.address, deployment_name="TitleLoan:data")
    ledger.authorise(loans.address, sender=deployer)
    registry.authorise_locker(loans.address, sender=carrier)
    return loans


@pytest.fixture(scope="session")
def deposit(ctx, issuing_bank, financier, loans) -> DepositToken:
    token = DepositToken.deploy(ctx, issuing_bank, currency="USD", deployment_name="DataUSD")
    token.mint(financier.address, 1_000_000 * UNIT, sender=issuing_bank)
    token.contract.transact(financier, "approve", loans.address, 2**256 - 1)
    return token


@pytest.fixture
def issue_bill(registry, carrier, shipper) -> Callable[[], int]:
    def issue() -> int:
        return registry.issue(
            fresh_hash("bill"),
            beneficiary=shipper.address,
            holder=shipper.address,
            sender=carrier,
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=ConsignmentForm.TO_ORDER,
        ).id

    return issue


@pytest.fixture
def pledge(chain, loans, registry, deposit, issue_bill, financier, shipper) -> Callable[..., tuple[int, int, bytes]]:
    """A live TitleLoan: the financier offers against a fresh bill and invoice, the shipper pledges;
    (loan id, bill id, invoice hash)."""

    def make(bill: int | None = None, invoice: bytes | None = None) -> tuple[int, int, bytes]:
        bill = bill or issue_bill()
        invoice = invoice or fresh_hash("invoice")
        now = chain.timestamp()
        terms = LoanTerms(
            borrower=shipper.address,
            registry=registry.address,
            bill_id=bill,
            invoice_hash=invoice,
            token=deposit.address,
            principal=100 * UNIT,
            interest=5 * UNIT,
            maturity=now + 90 * DAY,
            offer_expiry=now + DAY,
        )
        loan_id = loans.offer(terms, sender=financier)
        loans.accept(loan_id, registry, sender=shipper)
        return loan_id, bill, invoice

    return make
