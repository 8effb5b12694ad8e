"""Fixtures for the combined trade machine: one title registry, one deposit token, and every instrument on them.

One session deploys a banking calendar (the issuing bank in Shanghai, the confirming and the nominated bank,
``financier``, in Hong Kong), a USD deposit token of the issuing bank, a title registry, the documentary credit, the
financing ledger, the loan and the collection contracts (each authorised as locker, the loan contract in the ledger
too). Every trade party holds USD 1,000,000.00 and has approved the three escrow contracts without limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from eth_account.signers.local import LocalAccount

from tradefin.calendars import HONG_KONG, SHANGHAI, BankingCalendar, sync_calendar
from tradefin.chain.connection import Chain
from tradefin.ebl import TitleRegistry
from tradefin.finance.collection import DocumentaryCollections
from tradefin.finance.credit import DocumentaryCredit
from tradefin.finance.ledger import FinancingLedger
from tradefin.finance.loan import TitleLoans
from tradefin.money import DepositToken

START = 1_000_000_00
"""Tokens minted to each party: USD 1,000,000.00 (2 decimals)."""
MAX_UINT = 2**256 - 1
PARTIES = (
    "shipper",
    "buyer",
    "issuing_bank",
    "advising_bank",
    "confirming_bank",
    "financier",
    "remitting_bank",
    "collecting_bank",
)
"""Everyone who may hold tokens or bills in the machine (the relayer only sends transactions for anyone)."""


@dataclass(frozen=True)
class Trade:
    """Everything the machine acts on."""

    chain: Chain
    accounts: dict[str, LocalAccount]
    carrier: LocalAccount
    relayer: LocalAccount
    registry: TitleRegistry
    token: DepositToken
    calendar: BankingCalendar
    credits: DocumentaryCredit
    ledger: FinancingLedger
    loans: TitleLoans
    collections: DocumentaryCollections


def _years(now: int) -> list[int]:
    """The years whose holidays are synced: those a long run of the machine may reach (each run starts from now)."""
    year = dt.datetime.fromtimestamp(now, dt.UTC).year
    return list(range(year, year + 10))


@pytest.fixture(scope="session")
def trade(ctx, session_chain, accounts, deployer, carrier, issuing_bank, confirming_bank, financier, relayer) -> Trade:
    calendar = BankingCalendar.deploy(ctx, deployer, deployment_name="TradeCalendar")
    years = _years(session_chain.timestamp())
    sync_calendar(ctx, calendar, issuing_bank, SHANGHAI, years)
    for bank in (confirming_bank, financier):
        sync_calendar(ctx, calendar, bank, HONG_KONG, years)

    token = DepositToken.deploy(ctx, issuing_bank, currency="USD", deployment_name="TradeUSD")
    registry = TitleRegistry.deploy(ctx, carrier, symbol="TEBL", deployment_name="TradeTitleRegistry")
    credits = DocumentaryCredit.deploy(ctx, deployer, calendar, deployment_name="TradeDocumentaryCredit")
    ledger = FinancingLedger.deploy(ctx, deployer, deployment_name="TradeFinancingLedger")
    loans = TitleLoans.deploy(ctx, deployer, ledger.address, deployment_name="TradeTitleLoan")
    collections = DocumentaryCollections.deploy(ctx, deployer, deployment_name="TradeDocumentaryCollection")
    ledger.authorise(loans.address, sender=deployer)
    for locker in (credits.address, loans.address, collections.address):
        registry.authorise_locker(locker, sender=carrier)

    parties = {name: accounts[name] for name in PARTIES}
    pending = []
    for account in parties.values():
        pending.append(token.contract.send(issuing_bank, "mint", account.address, START))
        for spender in (credits.address, loans.address, collections.address):
            pending.append(token.contract.send(account, "approve", spender, MAX_UINT))
    ctx.transactor.wait_all(pending)
    return Trade(
        chain=session_chain,
        accounts=parties,
        carrier=carrier,
        relayer=relayer,
        registry=registry,
        token=token,
        calendar=calendar,
        credits=credits,
        ledger=ledger,
        loans=loans,
        collections=collections,
    )
