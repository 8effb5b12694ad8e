"""Gas of every financing-ledger, title-loan and documentary-collection operation against the committed snapshot.

Every party and every deployer is a fixed key with nonce 0 (so contract addresses, and with them calldata, never
change), bills, invoices and references have fixed hashes, and every measured transaction is mined at a fixed block
time. Sections ``ledger``, ``loan`` and ``collection``; ``UPDATE_GAS_SNAPSHOT=1`` records intended changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.finance.collection import CollectionInstruction, CollectionStatus, DocumentaryCollections
from tradefin.finance.ledger import ClaimKind, FinancingLedger, bill_key
from tradefin.finance.loan import LoanStatus, LoanTerms, TitleLoans
from tradefin.money import DepositToken
from tradefin.testing.gas import check_gas

T = TypeVar("T")

DAY = 86_400
START = int(dt.datetime(2040, 3, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
"""Monday 2040-03-05 09:00 in Hong Kong: the first block of every scenario (after any wall clock)."""
FUNDS = 10_000_000_00
PRINCIPAL = 100_000_00
INTEREST = 1_500_00
COLLECTED = 250_000_00
LOAN_ID = (1).to_bytes(32, "big")


def _key(name: str) -> LocalAccount:
    return Account.from_key(keccak(text=f"tradefin financing gas snapshot {name}"))


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


def _trade(ctx, p: dict[str, LocalAccount], symbol: str) -> tuple[TitleRegistry, DepositToken, list[int]]:
    """The carrier's registry with five to-order bills of the shipper, and the bank's USD deposit token."""
    registry = TitleRegistry.deploy(ctx, p["carrier"], symbol=symbol, deployment_name=f"Gas{symbol}Registry")
    token = DepositToken.deploy(
        ctx, p["bank"], currency="USD", name="Gas Bank USD Deposit", symbol="gfUSD", deployment_name=f"Gas{symbol}USD"
    )
    bills = [
        registry.issue(
            keccak(text=f"gas financing bill {n}"),
            beneficiary=p["shipper"].address,
            holder=p["shipper"].address,
            sender=p["carrier"],
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=ConsignmentForm.TO_ORDER,
            shipped_on_board=START - DAY,
        ).id
        for n in range(5)
    ]
    return registry, token, bills


def test_financing_ledger_gas(ctx, chain, project):
    p = _parties(chain, "admin", "finance desk")
    tl = Timeline(chain, START)
    ledger = FinancingLedger.deploy(ctx, p["admin"], deployment_name="GasFinancingLedger")
    desk = p["finance desk"]
    key = bill_key("0x" + keccak(text="gas registry")[:20].hex(), 1)

    tl.measure("grantRole FINANCE_ROLE", lambda: ledger.authorise(desk.address, sender=p["admin"]))
    tl.measure("claim", lambda: ledger.claim(ClaimKind.BILL, key, LOAN_ID, sender=desk))
    claim = ledger.financed_by(key)
    assert claim is not None and (claim.claimant, claim.since) == (desk.address, tl.now)
    tl.measure("clear", lambda: ledger.clear(ClaimKind.BILL, key, LOAN_ID, sender=desk))
    tl.measure("revokeRole FINANCE_ROLE", lambda: ledger.revoke(desk.address, sender=p["admin"]))

    assert ledger.financed_by(key) is None and not ledger.is_authorised(desk.address)
    tl.gas["deploy FinancingLedger"] = ctx.deployments.record("GasFinancingLedger").gas_used
    for note in check_gas(project.root, "ledger", tl.gas):
        print("gas improved:", note)


def test_title_loan_gas(ctx, chain, project):
    p = _parties(chain, "deployer", "carrier", "bank", "shipper", "financier")
    tl = Timeline(chain, START)
    shipper, financier = p["shipper"], p["financier"]
    registry, token, bills = _trade(ctx, p, "GASLN")
    ledger = FinancingLedger.deploy(ctx, p["deployer"], deployment_name="GasLoanLedger")
    loans = TitleLoans.deploy(ctx, p["deployer"], ledger.address, deployment_name="GasTitleLoan")
    ledger.authorise(loans.address, sender=p["deployer"])
    registry.authorise_locker(loans.address, sender=p["carrier"])
    token.mint(financier.address, FUNDS, sender=p["bank"])
    token.mint(shipper.address, FUNDS, sender=p["bank"])

    def terms(bill: int, invoice: int) -> LoanTerms:
        return LoanTerms(
            borrower=shipper.address,
            registry=registry.address,
            bill_id=bill,
            invoice_hash=keccak(text=f"gas invoice {invoice}"),
            token=token.address,
            principal=PRINCIPAL,
            interest=INTEREST,
            maturity=START + 90 * DAY,
            offer_expiry=START + DAY,
        )

    withdrawn = tl.measure("offer", lambda: loans.offer(terms(bills[0], 0), sender=financier))
    tl.measure("withdrawOffer", lambda: loans.withdraw_offer(withdrawn, sender=financier))

    repaid = loans.offer(terms(bills[0], 1), sender=financier)
    token.approve(loans.address, PRINCIPAL, sender=financier)
    tl.measure("pledge and disburse (encumber)", lambda: loans.accept(repaid, registry, sender=shipper))
    token.approve(loans.address, PRINCIPAL + INTEREST, sender=shipper)
    tl.measure("repay", lambda: loans.repay(repaid, sender=shipper))

    foreclosed = loans.offer(terms(bills[1], 2), sender=financier)
    token.approve(loans.address, PRINCIPAL, sender=financier)
    loans.accept(foreclosed, registry, sender=shipper)
    tl.move_to(START + 91 * DAY)
    tl.measure("foreclose", lambda: loans.foreclose(foreclosed, sender=financier, remark="not repaid at maturity"))

    assert [loans.status(i) for i in (withdrawn, repaid, foreclosed)] == [
        LoanStatus.WITHDRAWN,
        LoanStatus.REPAID,
        LoanStatus.FORECLOSED,
    ]
    assert registry.title(bills[1]).beneficiary == financier.address and not registry.title(bills[0]).encumbered
    tl.gas["deploy TitleLoan"] = ctx.deployments.record("GasTitleLoan").gas_used
    for note in check_gas(project.root, "loan", tl.gas):
        print("gas improved:", note)


def test_documentary_collection_gas(ctx, chain, project):
    p = _parties(chain, "deployer", "carrier", "bank", "shipper", "buyer", "collecting bank", "discounter")
    tl = Timeline(chain, START)
    shipper, buyer, bank = p["shipper"], p["buyer"], p["collecting bank"]
    registry, token, bills = _trade(ctx, p, "GASCO")
    collections = DocumentaryCollections.deploy(ctx, p["deployer"], deployment_name="GasDocumentaryCollection")
    registry.authorise_locker(collections.address, sender=p["carrier"])
    token.mint(buyer.address, FUNDS, sender=p["bank"])
    common = {
        "drawer": shipper.address,
        "drawee": buyer.address,
        "token": token.address,
        "amount": COLLECTED,
        "presentation_deadline": START + 14 * DAY,
        "collecting_bank": bank.address,
    }

    def lodge(n: int, *, acceptance: bool = False) -> int:
        ref = keccak(text=f"gas collection {n}")
        if acceptance:
            ins = CollectionInstruction.documents_against_acceptance(**common, tenor=60 * DAY, remitter_ref=ref)
        else:
            ins = CollectionInstruction.documents_against_payment(**common, remitter_ref=ref)
        return collections.lodge(registry, bills[n], ins, sender=shipper)

    paid = tl.measure("lodge D/P (encumber)", lambda: lodge(0))
    token.approve(collections.address, COLLECTED, sender=buyer)
    tl.measure("pay (D/P)", lambda: collections.pay(paid, sender=buyer))

    refused = lodge(1)
    tl.measure("refuse", lambda: collections.refuse(refused, sender=buyer, reason="goods not as contracted"))
    tl.measure(
        "returnDocuments (refused)",
        lambda: collections.return_documents(refused, sender=bank, remark="returned unpaid"),
    )
    lapsed = lodge(2)

    honoured = tl.measure("lodge D/A (encumber)", lambda: lodge(3, acceptance=True))
    tl.measure("accept (D/A)", lambda: collections.accept(honoured, sender=buyer))
    tl.measure(
        "transferDraft",
        lambda: collections.transfer_draft(honoured, p["discounter"].address, sender=shipper),
    )
    dishonoured = lodge(4, acceptance=True)
    collections.accept(dishonoured, sender=buyer)

    tl.move_to(START + 15 * DAY)
    tl.measure(
        "returnDocuments (presentation lapsed)",
        lambda: collections.return_documents(lapsed, sender=shipper, remark="returned unpaid"),
    )
    tl.move_to(collections.collection(honoured).maturity)
    token.approve(collections.address, COLLECTED, sender=buyer)
    tl.measure("honour (D/A at maturity)", lambda: collections.honour(honoured, sender=buyer))
    tl.move_to(collections.collection(dishonoured).maturity + DAY)
    tl.measure(
        "dishonour (protest)",
        lambda: collections.dishonour(dishonoured, sender=bank, protest="protested for non-payment"),
    )

    assert [collections.status(i) for i in (paid, refused, lapsed, honoured, dishonoured)] == [
        CollectionStatus.PAID,
        CollectionStatus.RETURNED,
        CollectionStatus.RETURNED,
        CollectionStatus.HONOURED,
        CollectionStatus.DISHONOURED,
    ]
    assert token.balance_of(p["discounter"].address) == COLLECTED
    tl.gas["deploy DocumentaryCollection"] = ctx.deployments.record("GasDocumentaryCollection").gas_used
    for note in check_gas(project.root, "collection", tl.gas):
        print("gas improved:", note)
