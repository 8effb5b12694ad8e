"""Fixtures for documentary credits: calendars, a deposit token, an eBL registry and the credit contract.

Parties: the buyer is the applicant, the shipper the beneficiary; the issuing bank is in Shanghai, the advising,
confirming and nominated (``financier``) banks in Hong Kong. Every bank's calendar is synced from the ``holidays``
package for the years the tests visit.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from credit_helpers import AMOUNT, DAY, DOCUMENTS, START, calendar_years
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.calendars import HONG_KONG, SHANGHAI, BankingCalendar, sync_calendar
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.finance.credit import COMMERCIAL_INVOICE, PACKING_LIST, CreditTerms, DocumentaryCredit, Tolerance
from tradefin.money import DepositToken

_serial = itertools.count()


@pytest.fixture(scope="session")
def calendar(ctx, deployer, session_chain, issuing_bank, advising_bank, confirming_bank, financier) -> BankingCalendar:
    book = BankingCalendar.deploy(ctx, deployer, deployment_name="CreditTestCalendar")
    years = calendar_years(session_chain.timestamp())
    sync_calendar(ctx, book, issuing_bank, SHANGHAI, years)
    for bank in (advising_bank, confirming_bank, financier):
        sync_calendar(ctx, book, bank, HONG_KONG, years)
    return book


@pytest.fixture(scope="session")
def hkd(ctx, issuing_bank, buyer, confirming_bank, financier) -> DepositToken:
    """The issuing bank's HKD deposit token; the applicant and the paying banks hold some."""
    token = DepositToken.deploy(ctx, issuing_bank, currency="HKD", name="Lotus Bank HKD Deposit", symbol="lbHKD")
    for holder in (buyer, confirming_bank, financier):
        token.mint(holder.address, START, sender=issuing_bank)
    return token


@dataclass
class Bills:
    """An eBL registry the credits use, and a way to issue bills shipped on board at a given time."""

    registry: TitleRegistry
    carrier: LocalAccount

    def issue(
        self,
        beneficiary: str,
        *,
        on_board: int | None,
        kind: DocumentKind = DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form: ConsignmentForm = ConsignmentForm.TO_ORDER,
    ) -> int:
        """A new bill to ``beneficiary`` (also the holder); ``on_board`` None = received for shipment only."""
        digest = keccak(text=f"credit bill {next(_serial)}")
        issued = self.registry.issue(
            digest,
            beneficiary=beneficiary,
            holder=beneficiary,
            sender=self.carrier,
            kind=kind,
            form=form,
            shipped_on_board=on_board or 0,
        )
        return issued.id


@pytest.fixture(scope="session")
def bills(ctx, carrier) -> Bills:
    """The real title registry: it records the shipped-on-board date at issue."""
    return Bills(TitleRegistry.deploy(ctx, carrier, deployment_name="CreditTitleRegistry"), carrier)


@pytest.fixture(scope="session")
def hostile_bills(ctx, carrier, credits) -> Bills:
    """The hostile stand-in registry (``ReentrantTitleRegistry``), the credit contract authorised as locker."""
    contract = ctx.deployments.deploy(carrier, "ReentrantTitleRegistry", name="HostileTitleRegistry")
    registry = TitleRegistry(contract)
    registry.authorise_locker(credits.address, sender=carrier)
    return Bills(registry, carrier)


@pytest.fixture(scope="session")
def credits(ctx, deployer, calendar, bills, carrier) -> DocumentaryCredit:
    credit = DocumentaryCredit.deploy(ctx, deployer, calendar, deployment_name="CreditTestDocumentaryCredit")
    bills.registry.authorise_locker(credit.address, sender=carrier)
    return credit


@pytest.fixture
def make_terms(chain, hkd, bills, issuing_bank, shipper, advising_bank) -> Callable[..., CreditTerms]:
    """Terms relative to the chain's time: expiry in 60 days, latest shipment in 30; overrides as keywords."""

    def make(**overrides) -> CreditTerms:
        now = chain.timestamp()
        fields = {
            "issuing_bank": issuing_bank.address,
            "beneficiary": shipper.address,
            "token": hkd.address,
            "registry": bills.registry.address,
            "amount": AMOUNT,
            "expiry": now + 60 * DAY,
            "latest_shipment": now + 30 * DAY,
            "tolerance": Tolerance.NONE,
            "presentation_days": 0,
            "partial_drawings": True,
            "advising_bank": advising_bank.address,
            "nominated_bank": ZERO_ADDRESS,
            "confirming_bank": ZERO_ADDRESS,
            "document_types": (COMMERCIAL_INVOICE, PACKING_LIST),
        }
        fields.update(overrides)
        return CreditTerms(**fields)

    return make


@pytest.fixture
def open_credit(ctx, credits, make_terms, buyer, issuing_bank, advising_bank) -> Callable[..., int]:
    """Request, issue and advise a credit (``advise=False`` stops after issue, ``issue=False`` after request)."""

    def open_(*, issue: bool = True, advise: bool = True, **overrides) -> int:
        terms = make_terms(**overrides)
        credit_id = credits.request(terms, sender=buyer)
        if issue:
            DepositToken.at(ctx, terms.token).approve(credits.address, terms.maximum, sender=buyer)
            credits.issue(credit_id, sender=issuing_bank)
            if advise and terms.advising_bank != ZERO_ADDRESS:
                credits.advise(credit_id, sender=advising_bank)
        return credit_id

    return open_


@pytest.fixture
def present(credits, bills, chain, shipper) -> Callable[..., tuple[int, int]]:
    """Issue a bill shipped on board a day ago (unless ``on_board`` is given) and present it; (bill, presentation)."""

    def present_(credit_id: int, amount: int = AMOUNT, *, on_board: int | None = None, documents=None, bill=None):
        if bill is None:
            bill = bills.issue(shipper.address, on_board=on_board if on_board is not None else chain.timestamp() - DAY)
        presentation_id = credits.present(
            bills.registry, bill, credit_id, amount, DOCUMENTS if documents is None else documents, sender=shipper
        )
        return bill, presentation_id

    return present_


@pytest.fixture
def amend(credits, buyer, issuing_bank) -> Callable[..., int]:
    """The applicant instructs an amendment (unchanged terms where not given) and the issuing bank issues exactly
    that amendment; its number."""

    def amend_(credit_id: int, **terms: int) -> int:
        credits.instruct_amendment(credit_id, sender=buyer, **terms)
        return credits.amend(credit_id, sender=issuing_bank, **terms)

    return amend_
