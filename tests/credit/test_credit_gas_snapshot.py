"""Gas of every deposit-token, banking-calendar and documentary-credit operation against the committed snapshot.

Every party and every deployer is a fixed key with nonce 0 (so contract addresses, and with them calldata and
signatures, never change), documents and bills have fixed hashes, and every measured transaction is mined at a
fixed block time (the examination deadline of a presentation is counted in banking days from its block time).
Sections ``deposit``, ``calendar`` and ``credit``; ``UPDATE_GAS_SNAPSHOT=1`` records intended changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.calendars import BankingCalendar, day_number
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.finance.credit import (
    COMMERCIAL_INVOICE,
    PACKING_LIST,
    CreditStatus,
    CreditTerms,
    Discrepancy,
    Disposal,
    DocumentaryCredit,
    PresentationState,
)
from tradefin.finance.ledger import FinancingLedger
from tradefin.money import DepositToken
from tradefin.testing.gas import check_gas

T = TypeVar("T")

DAY = 86_400
HKT = dt.timezone(dt.timedelta(hours=8))
START = int(dt.datetime(2040, 3, 5, 9, tzinfo=HKT).timestamp())
"""Monday 2040-03-05 09:00 in Hong Kong and Shanghai: the first block of every scenario (after any wall clock)."""
PRESENTED = int(dt.datetime(2040, 3, 6, 10, tzinfo=HKT).timestamp())
"""Tuesday: presentations; five banking days later the examination closes at the end of Tuesday 2040-03-13."""
PRECLUDED = int(dt.datetime(2040, 3, 14, 10, tzinfo=HKT).timestamp())
ON_BOARD = START - DAY
EXPIRY = START + 60 * DAY
LATEST_SHIPMENT = START + 30 * DAY
PERMIT_DEADLINE = START + 7 * DAY

AMOUNT = 100_000_00
"""A credit of HKD 100,000.00."""
DRAWING = 10_000_00
FUNDS = 1_000_000_00
DOCUMENTS = {COMMERCIAL_INVOICE: keccak(text="gas invoice"), PACKING_LIST: keccak(text="gas packing list")}
HONG_KONG_2040 = [
    dt.date.fromisoformat(d)
    for d in (
        "2040-01-02", "2040-02-13", "2040-02-14", "2040-02-15", "2040-03-30", "2040-04-02", "2040-04-04",
        "2040-05-01", "2040-05-18", "2040-06-14", "2040-07-02", "2040-09-21", "2040-10-01", "2040-10-15",
        "2040-12-25", "2040-12-26",
    )
]  # fmt: skip
"""Weekday general holidays of Hong Kong in 2040 (``holidays.HK`` estimate), fixed here so the upload is too."""


def _key(name: str) -> LocalAccount:
    return Account.from_key(keccak(text=f"tradefin credit gas snapshot {name}"))


def _parties(chain, *names: str) -> dict[str, LocalAccount]:
    parties = {name: _key(name) for name in names}
    for account in parties.values():
        assert chain.rpc("eth_getTransactionCount", [account.address, "latest"]) == "0x0"
        chain.set_balance(account.address, 10**21)
    return parties


class Timeline:
    """Mines each measured transaction alone in a block at a fixed time (one minute after the previous one) and
    records its gas."""

    def __init__(self, chain, start: int) -> None:
        self.chain = chain
        self.now = start - 60
        self.gas: dict[str, int] = {}
        self.move_to(start)

    def _pin(self, when: int) -> None:
        latest = self.chain.timestamp()
        assert when > latest, f"the chain is already at {latest}, past the scenario's fixed time {when}"
        self.chain.set_next_block_timestamp(when)
        self.now = when

    def move_to(self, when: int) -> None:
        """Mine an empty block at ``when``: later calls and gas estimates run at that time."""
        self._pin(when)
        self.chain.mine()

    def measure(self, label: str, action: Callable[[], T]) -> T:
        assert label not in self.gas, label
        self._pin(self.now + 60)
        before = self.chain.block_number()
        result = action()
        block = self.chain.rpc("eth_getBlockByNumber", ["latest", False])
        assert int(block["number"], 16) == before + 1 and len(block["transactions"]) == 1, f"{label}: one transaction"
        assert int(block["timestamp"], 16) == self.now
        self.gas[label] = int(self.chain.rpc("eth_getTransactionReceipt", [block["transactions"][0]])["gasUsed"], 16)
        return result


def _deposit_token(ctx, bank: LocalAccount, symbol: str) -> DepositToken:
    return DepositToken.deploy(
        ctx, bank, currency="HKD", name="Gas Bank HKD Deposit", symbol=symbol, deployment_name=f"Gas{symbol}"
    )


def test_deposit_token_gas(ctx, chain, project):
    p = _parties(chain, "bank", "holder", "recipient", "spender", "relayer", "new bank")
    tl = Timeline(chain, START)
    token = _deposit_token(ctx, p["bank"], "gdHKD")
    holder, recipient, spender = p["holder"], p["recipient"], p["spender"]

    tl.measure("mint (new holder)", lambda: token.mint(holder.address, FUNDS, sender=p["bank"]))
    tl.measure("mint (existing holder)", lambda: token.mint(holder.address, FUNDS, sender=p["bank"]))
    tl.measure("transfer (new holder)", lambda: token.transfer(recipient.address, DRAWING, sender=holder))
    tl.measure("transfer (existing holder)", lambda: token.transfer(recipient.address, DRAWING, sender=holder))
    tl.measure("approve", lambda: token.approve(spender.address, 2 * DRAWING, sender=holder))
    tl.measure(
        "transferFrom (within allowance)",
        lambda: token.transfer_from(holder.address, recipient.address, DRAWING, sender=spender),
    )
    permit = token.sign_permit(holder, p["relayer"].address, DRAWING, deadline=PERMIT_DEADLINE)
    tl.measure("permit (relayed)", lambda: token.permit(permit, sender=p["relayer"]))
    token.mint(p["bank"].address, DRAWING, sender=p["bank"])
    tl.measure("burn", lambda: token.burn(DRAWING, sender=p["bank"]))
    token.approve(p["bank"].address, DRAWING, sender=holder)
    tl.measure("burnFrom (whole allowance)", lambda: token.burn_from(holder.address, DRAWING, sender=p["bank"]))
    tl.measure("transferOwnership", lambda: token.transfer_bank(p["new bank"].address, sender=p["bank"]))
    tl.measure("acceptOwnership", lambda: token.accept_bank(sender=p["new bank"]))

    assert token.bank == p["new bank"].address
    assert token.allowance(holder.address, p["relayer"].address) == DRAWING and token.nonce(holder.address) == 1
    assert token.total_supply() == 2 * FUNDS - DRAWING
    tl.gas["deploy DepositToken"] = ctx.deployments.record("GasgdHKD").gas_used
    for note in check_gas(project.root, "deposit", tl.gas):
        print("gas improved:", note)


def test_banking_calendar_gas(ctx, chain, project):
    p = _parties(chain, "deployer", "bank")
    tl = Timeline(chain, START)
    calendar = BankingCalendar.deploy(ctx, p["deployer"], deployment_name="GasBankingCalendar")
    bank = p["bank"]

    tl.measure("setUtcOffset (register)", lambda: calendar.set_utc_offset(9 * 3600, sender=bank))
    tl.measure("setUtcOffset (change)", lambda: calendar.set_utc_offset(8 * 3600, sender=bank))
    tl.measure(
        "setNonBankingDays (16 days: Hong Kong 2040)",
        lambda: calendar.set_non_banking_days(HONG_KONG_2040, sender=bank),
    )
    typhoon = dt.date(2040, 9, 4)
    tl.measure("setNonBankingDays (1 day)", lambda: calendar.set_non_banking_days([typhoon], sender=bank))
    tl.measure(
        "setNonBankingDays (reopen 1 day)",
        lambda: calendar.set_non_banking_days([typhoon], sender=bank, closed=False),
    )
    saturday = dt.date(2040, 2, 11)
    tl.measure("setWeekendBankingDays (1 day)", lambda: calendar.set_weekend_banking_days([saturday], sender=bank))
    tl.measure(
        "setWeekendBankingDays (close 1 day)",
        lambda: calendar.set_weekend_banking_days([saturday], sender=bank, open_=False),
    )

    closed, opened = calendar.marks(bank.address, day_number(dt.date(2040, 1, 1)), day_number(dt.date(2040, 12, 31)))
    assert closed == {day_number(d) for d in HONG_KONG_2040} and opened == set()
    tl.gas["deploy BankingCalendar"] = ctx.deployments.record("GasBankingCalendar").gas_used
    for note in check_gas(project.root, "calendar", tl.gas):
        print("gas improved:", note)


@pytest.fixture
def credit_setup(ctx, chain):
    p = _parties(
        chain, "deployer", "carrier", "applicant", "beneficiary", "issuing bank", "advising bank", "confirming bank"
    )
    tl = Timeline(chain, START)
    calendar = BankingCalendar.deploy(ctx, p["deployer"], deployment_name="GasCreditCalendar")
    for bank in ("issuing bank", "advising bank", "confirming bank"):
        calendar.set_utc_offset(8 * 3600, sender=p[bank])
    token = _deposit_token(ctx, p["issuing bank"], "gcHKD")
    for holder in ("applicant", "confirming bank"):
        token.mint(p[holder].address, FUNDS, sender=p["issuing bank"])
    registry = TitleRegistry.deploy(ctx, p["carrier"], symbol="GASCR", deployment_name="GasCreditRegistry")
    credits = DocumentaryCredit.deploy(ctx, p["deployer"], calendar, deployment_name="GasDocumentaryCredit")
    registry.authorise_locker(credits.address, sender=p["carrier"])
    return p, tl, token, registry, credits


def test_documentary_credit_gas(ctx, credit_setup, project):
    p, tl, token, registry, credits = credit_setup
    applicant, beneficiary, carrier = p["applicant"], p["beneficiary"], p["carrier"]
    issuing, advising, confirming = p["issuing bank"], p["advising bank"], p["confirming bank"]

    def terms(*, advised: bool = True, confirmed: bool = False) -> CreditTerms:
        return CreditTerms(
            issuing_bank=issuing.address,
            beneficiary=beneficiary.address,
            token=token.address,
            registry=registry.address,
            amount=AMOUNT,
            expiry=EXPIRY,
            latest_shipment=LATEST_SHIPMENT,
            advising_bank=advising.address if advised else ZERO_ADDRESS,
            confirming_bank=confirming.address if confirmed else ZERO_ADDRESS,
            document_types=(COMMERCIAL_INVOICE, PACKING_LIST),
        )

    def open_credit(*, confirmed: bool = False) -> int:
        credit_id = credits.request(terms(confirmed=confirmed), sender=applicant)
        token.approve(credits.address, AMOUNT, sender=applicant)
        credits.issue(credit_id, sender=issuing)
        credits.advise(credit_id, sender=advising)
        if confirmed:
            credits.confirm(credit_id, sender=confirming)
        return credit_id

    # -- credit A: requested, issued, advised, confirmed, amended upwards on the applicant's instruction with the
    # confirming bank's consent
    a = tl.measure("request", lambda: credits.request(terms(confirmed=True), sender=applicant))
    token.approve(credits.address, AMOUNT, sender=applicant)
    tl.measure("issue", lambda: credits.issue(a, sender=issuing))
    tl.measure("advise", lambda: credits.advise(a, sender=advising))
    tl.measure("confirm", lambda: credits.confirm(a, sender=confirming))
    token.approve(credits.address, AMOUNT // 2, sender=applicant)
    tl.measure("instructAmendment", lambda: credits.instruct_amendment(a, amount=AMOUNT * 3 // 2, sender=applicant))
    tl.measure("amend (increase, pulls cover)", lambda: credits.amend(a, amount=AMOUNT * 3 // 2, sender=issuing))
    tl.measure("confirmAmendment", lambda: credits.confirm_amendment(a, sender=confirming))
    tl.measure("acceptAmendment (increase)", lambda: credits.accept_amendment(a, sender=beneficiary))

    # -- credit B: an increase the confirming bank declines and the beneficiary rejects (extra cover refunded)
    b = open_credit(confirmed=True)
    token.approve(credits.address, AMOUNT // 2, sender=applicant)
    credits.instruct_amendment(b, amount=AMOUNT * 3 // 2, sender=applicant)
    credits.amend(b, amount=AMOUNT * 3 // 2, sender=issuing)
    tl.measure("declineAmendment", lambda: credits.decline_amendment(b, sender=confirming))
    tl.measure("rejectAmendment (refunds extra cover)", lambda: credits.reject_amendment(b, sender=beneficiary))

    # -- credit C: an instruction withdrawn, then a decrease instructed, issued and accepted (the freed cover refunded)
    c = open_credit()
    credits.instruct_amendment(c, amount=AMOUNT * 7 // 10, sender=applicant)
    tl.measure("withdrawAmendmentInstruction", lambda: credits.withdraw_amendment_instruction(c, sender=applicant))
    credits.instruct_amendment(c, amount=AMOUNT * 4 // 5, sender=applicant)
    tl.measure("amend (decrease)", lambda: credits.amend(c, amount=AMOUNT * 4 // 5, sender=issuing))
    tl.measure("acceptAmendment (decrease, refunds cover)", lambda: credits.accept_amendment(c, sender=beneficiary))

    # -- credit D: a request cancelled; credit E: issued with the applicant's permit, no advising bank
    d = credits.request(terms(), sender=applicant)
    tl.measure("cancelRequest", lambda: credits.cancel_request(d, sender=applicant))
    e = credits.request(terms(advised=False), sender=applicant)
    permit = token.sign_permit(applicant, credits.address, AMOUNT, deadline=PERMIT_DEADLINE)
    tl.measure("issueWithPermit", lambda: credits.issue(e, sender=issuing, permit=permit))

    bills = [
        registry.issue(
            keccak(text=f"gas credit bill {n}"),
            beneficiary=beneficiary.address,
            holder=beneficiary.address,
            sender=carrier,
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=ConsignmentForm.TO_ORDER,
            shipped_on_board=ON_BOARD,
        ).id
        for n in range(6)
    ]
    token.approve(credits.address, 2 * DRAWING, sender=confirming)

    def present(credit_id: int, bill: int) -> int:
        return credits.present(registry, bill, credit_id, DRAWING, DOCUMENTS, sender=beneficiary)

    # -- presentations on Tuesday, examined by the confirming bank (credit A) or the issuing bank (credit E)
    tl.move_to(PRESENTED)
    p1 = tl.measure("present (encumber)", lambda: present(a, bills[0]))
    tl.measure("honour (confirming bank, pays from its funds)", lambda: credits.honour(a, p1, sender=confirming))
    tl.measure("reimburse", lambda: credits.reimburse(a, p1, sender=confirming))
    p2 = present(a, bills[1])
    tl.measure(
        "refuse (hold pending waiver)",
        lambda: credits.refuse(a, p2, [Discrepancy.DATA_CONFLICT], sender=confirming),
    )
    tl.measure("waive", lambda: credits.waive(a, p2, sender=applicant))
    tl.measure("honour (after waiver)", lambda: credits.honour(a, p2, sender=confirming))
    p3 = present(a, bills[2])
    tl.measure(
        "refuse (return documents)",
        lambda: credits.refuse(a, p3, [Discrepancy.LATE_SHIPMENT], sender=confirming, disposal=Disposal.RETURN),
    )
    p4 = present(a, bills[3])
    credits.refuse(a, p4, [Discrepancy.DATA_CONFLICT], sender=confirming)
    tl.measure("returnDocuments", lambda: credits.return_documents(a, p4, sender=beneficiary))
    p5 = present(a, bills[4])
    pe = present(e, bills[5])
    tl.measure("honour (issuing bank, pays from cover)", lambda: credits.honour(e, pe, sender=issuing))

    # -- a credit contract with a financing ledger: a presentation claims its bill and invoice, each exit clears them
    ledger = FinancingLedger.deploy(ctx, p["deployer"], deployment_name="GasCreditFinancingLedger")
    financed = DocumentaryCredit.deploy(
        ctx, p["deployer"], credits.calendar, financing_ledger=ledger, deployment_name="GasFinancedCredit"
    )
    ledger.authorise(financed.address, sender=p["deployer"])
    registry.authorise_locker(financed.address, sender=carrier)
    f = financed.request(terms(), sender=applicant)
    token.approve(financed.address, AMOUNT, sender=applicant)
    financed.issue(f, sender=issuing)
    financed.advise(f, sender=advising)
    fbills = [
        registry.issue(
            keccak(text=f"gas financed credit bill {n}"),
            beneficiary=beneficiary.address,
            holder=beneficiary.address,
            sender=carrier,
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=ConsignmentForm.TO_ORDER,
            shipped_on_board=ON_BOARD,
        ).id
        for n in range(2)
    ]

    def present_financed(bill: int, n: int) -> int:
        documents = {COMMERCIAL_INVOICE: keccak(text=f"gas financed invoice {n}"), PACKING_LIST: keccak(text="gas pl")}
        return financed.present(registry, bill, f, DRAWING, documents, sender=beneficiary)

    pf1 = tl.measure("present (financing ledger: bill and invoice claimed)", lambda: present_financed(fbills[0], 0))
    tl.measure(
        "honour (issuing bank, financing ledger: claims cleared)", lambda: financed.honour(f, pf1, sender=issuing)
    )
    pf2 = present_financed(fbills[1], 1)
    tl.measure(
        "refuse (return documents, financing ledger: claims cleared)",
        lambda: financed.refuse(f, pf2, [Discrepancy.LATE_SHIPMENT], sender=issuing, disposal=Disposal.RETURN),
    )
    assert [ledger.bill_claim(registry.address, bill) for bill in fbills] == [None, None]

    # -- the confirming bank let the examination period pass; after expiry the cover left goes back
    tl.move_to(PRECLUDED)
    tl.measure("claimPrecluded", lambda: credits.claim_precluded(a, p5, sender=beneficiary))
    tl.move_to(EXPIRY + DAY)
    tl.measure("closeExpired", lambda: credits.close_expired(a, sender=applicant))

    states = [credits.presentation(a, pid).state for pid in (p1, p2, p3, p4, p5)]
    assert states == [PresentationState.HONOURED, PresentationState.HONOURED] + [PresentationState.RETURNED] * 2 + [
        PresentationState.HONOURED
    ]
    assert credits.presentation(a, p5).precluded and credits.presentation(a, p1).examiner == confirming.address
    assert credits.presentation(e, pe).examiner == issuing.address
    assert [credits.ledger(i).status for i in (a, b, c, d, e)] == [
        CreditStatus.EXPIRED,
        CreditStatus.ISSUED,
        CreditStatus.ISSUED,
        CreditStatus.CANCELLED,
        CreditStatus.ISSUED,
    ]
    tl.gas["deploy DocumentaryCredit"] = ctx.deployments.record("GasDocumentaryCredit").gas_used
    for note in check_gas(project.root, "credit", tl.gas):
        print("gas improved:", note)
