"""Typed client of loans against a pledged eBL (``contracts/finance/TitleLoan.sol``).

The financier offers (:meth:`TitleLoans.offer`); the borrower accepts by pledging the bill
(:meth:`TitleLoans.accept`: ``registry.encumber(bill, loans, abi.encode(loanId))``), which in the same transaction
claims bill and invoice in the financing ledger and pays the principal from the financier to the borrower. The
borrower repays principal + interest and gets the bill back; after maturity the financier may foreclose instead and
take the title. Payments are ERC-20 ``transferFrom``: the payer approves the loan contract beforehand.

Before sending a pledge, :meth:`TitleLoans.accept` checks the loan contract's ledger and every other ledger of the
deployment book (:mod:`tradefin.finance.duplicates`) and raises
:class:`~tradefin.finance.duplicates.AlreadyFinanced` if another live financing holds the bill or the invoice.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount

from tradefin.ebl.registry import DocumentRef, TitleRegistry, title_id
from tradefin.errors import TradefinError
from tradefin.finance.duplicates import FinancingCheck, LedgerRef, ensure_not_financed
from tradefin.finance.ledger import bill_key
from tradefin.transactions.abi import DecodedEvent
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.deployments import Deployments

CONTRACT = "TitleLoan"


class LoanStatus(enum.IntEnum):
    """Lifecycle of a loan (``ITitleLoan.LoanStatus``); REPAID, FORECLOSED and WITHDRAWN are final."""

    NONE = 0
    OFFERED = 1
    ACTIVE = 2
    REPAID = 3
    FORECLOSED = 4
    WITHDRAWN = 5

    @property
    def is_final(self) -> bool:
        return self in (LoanStatus.REPAID, LoanStatus.FORECLOSED, LoanStatus.WITHDRAWN)


class WrongRegistry(TradefinError):
    """The loan's bill lives in another title registry than the one given: pass the registry the offer names."""


@dataclass(frozen=True)
class LoanTerms:
    """What a financier offers (``ITitleLoan.LoanTerms``)."""

    borrower: str
    """The bill's owner (beneficiary and holder), who pledges it and receives the principal."""
    registry: str
    """The title registry of the bill."""
    bill_id: int
    """The bill pledged (its document hash as a number)."""
    invoice_hash: bytes
    """The commercial invoice financed with the bill (32 bytes, nonzero); claimed in the ledger too."""
    token: str
    """The ERC-20 of principal and interest."""
    principal: int
    """Paid by the financier to the borrower at the pledge."""
    interest: int
    """Owed on top of the principal (an amount, not a rate)."""
    maturity: int
    """Repayment due (unix seconds); the financier may foreclose strictly after it."""
    offer_expiry: int
    """The borrower must pledge at or before this time (unix seconds); before ``maturity``."""

    @property
    def amount_due(self) -> int:
        return self.principal + self.interest

    def as_abi(self) -> tuple[Any, ...]:
        return (
            self.borrower,
            self.registry,
            self.bill_id,
            self.invoice_hash,
            self.token,
            self.principal,
            self.interest,
            self.maturity,
            self.offer_expiry,
        )

    @classmethod
    def from_abi(cls, raw: Sequence[Any]) -> LoanTerms:
        borrower, registry, bill, invoice, token, principal, interest, maturity, expiry = raw
        return cls(borrower, registry, bill, bytes(invoice), token, principal, interest, maturity, expiry)


@dataclass(frozen=True)
class Loan:
    """A loan as the contract holds it (``ITitleLoan.Loan``)."""

    id: int
    financier: str
    status: LoanStatus
    started_at: int
    """Time of the pledge and disbursement; zero before."""
    terms: LoanTerms

    @property
    def financing_id(self) -> bytes:
        """The loan's reference in the financing ledger."""
        return financing_id(self.id)

    @property
    def bill_key(self) -> bytes:
        return bill_key(self.terms.registry, self.terms.bill_id)


def financing_id(loan_id: int) -> bytes:
    """``bytes32(loanId)``: how a loan contract names a loan in the financing ledger."""
    return loan_id.to_bytes(32, "big")


def pledge_data(loan_id: int) -> bytes:
    """The encumbrance data that accepts offer ``loan_id``: ``abi.encode(uint256 loanId)``."""
    return encode(["uint256"], [loan_id])


class TitleLoans:
    """One deployment of the loan contract; each party acts with its own key. ``deployments`` (the chain's
    deployment book) lets :meth:`accept` check every known financing ledger."""

    def __init__(self, contract: Contract, deployments: Deployments | None = None) -> None:
        self.contract = contract
        self.deployments = deployments
        self._ledger: str | None = None

    @property
    def address(self) -> str:
        return self.contract.address

    @classmethod
    def deploy(
        cls,
        ctx: Context,
        deployer: LocalAccount,
        ledger: str,
        *,
        deployment_name: str | None = None,
    ) -> TitleLoans:
        """Deploy a loan contract on ``ledger``. Before the first pledge the ledger's admin authorises it
        (``FinancingLedger.authorise``) and each registry's admin grants it LOCKER_ROLE."""
        contract = ctx.deployments.deploy(deployer, CONTRACT, ledger, name=deployment_name or CONTRACT)
        return cls(contract, ctx.deployments)

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> TitleLoans:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name), ctx.deployments)

    # -- financier ------------------------------------------------------------------------------------------------

    def offer(self, terms: LoanTerms, *, sender: LocalAccount) -> int:
        """``sender`` (the financier) offers ``terms``; the new loan id. The financier must have approved this
        contract for the principal by the time the borrower pledges."""
        receipt = self.contract.transact(sender, "offer", terms.as_abi())
        return int(self._event(receipt, "LoanOffered")["loanId"])

    def withdraw_offer(self, loan_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "withdrawOffer", loan_id)

    def foreclose(self, loan_id: int, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        """After maturity without repayment: the title passes to the financier."""
        return self.contract.transact(sender, "foreclose", loan_id, _remark(remark))

    # -- borrower -------------------------------------------------------------------------------------------------

    def accept(
        self,
        loan_id: int,
        registry: TitleRegistry,
        *,
        sender: LocalAccount,
        check_financing: bool = True,
        ledgers: Iterable[LedgerRef] = (),
    ) -> Receipt:
        """``sender`` (the borrower) pledges the offered bill: the principal arrives in the same transaction.

        First (unless ``check_financing`` is false) :meth:`check_not_financed` asks every known financing ledger
        whether the bill or the invoice is held by a live financing, and raises
        :class:`~tradefin.finance.duplicates.AlreadyFinanced` before anything is sent if so."""
        terms = self.loan(loan_id).terms
        if registry.address != terms.registry:
            raise WrongRegistry(
                f"loan {loan_id} is against a bill of registry {terms.registry}, not {registry.address}"
            )
        if check_financing:
            self.check_not_financed(terms, ledgers=ledgers)
        return registry.encumber(terms.bill_id, self.address, sender=sender, data=pledge_data(loan_id))

    def check_not_financed(self, terms: LoanTerms, *, ledgers: Iterable[LedgerRef] = ()) -> FinancingCheck:
        """Raise :class:`~tradefin.finance.duplicates.AlreadyFinanced` if the bill or the invoice of ``terms`` is
        held by a live financing in this contract's ledger, in ``ledgers`` or in any ledger of the deployment
        book."""
        if self.deployments is None:
            raise TradefinError(
                f"{self!r} has no deployment book to find the financing ledgers in: "
                "open it with TitleLoans.at(ctx, address) or pass check_financing=False"
            )
        return ensure_not_financed(
            self.deployments,
            terms.registry,
            terms.bill_id,
            terms.invoice_hash,
            ledgers=[self.ledger_address(), *ledgers],
        )

    def repay(self, loan_id: int, *, sender: LocalAccount) -> Receipt:
        """``sender`` (the borrower) pays principal + interest (approved to this contract) and gets the bill back."""
        return self.contract.transact(sender, "repay", loan_id)

    # -- reads ----------------------------------------------------------------------------------------------------

    def loan(self, loan_id: int) -> Loan:
        financier, status, started_at, terms = self.contract.call("loan", loan_id)
        return Loan(loan_id, financier, LoanStatus(status), started_at, LoanTerms.from_abi(terms))

    def status(self, loan_id: int) -> LoanStatus:
        return self.loan(loan_id).status

    def amount_due(self, loan_id: int) -> int:
        return int(self.contract.call("amountDue", loan_id))

    def count(self) -> int:
        return int(self.contract.call("loanCount"))

    def ledger_address(self) -> str:
        """The financing ledger the loans claim in (fixed at deployment)."""
        if self._ledger is None:
            self._ledger = str(self.contract.call("ledger"))
        return self._ledger

    def __repr__(self) -> str:
        return f"<TitleLoans {self.address}>"

    def loans(self) -> list[Loan]:
        """Every loan ever offered here, by id."""
        return [self.loan(i) for i in range(1, self.count() + 1)]

    def loan_for_bill(self, ref: DocumentRef, registry: str) -> Loan | None:
        """The active loan that holds bill ``ref`` of ``registry`` in pledge, if any."""
        bid = title_id(ref)
        for loan in self.loans():
            if loan.status is LoanStatus.ACTIVE and (loan.terms.registry, loan.terms.bill_id) == (registry, bid):
                return loan
        return None

    def events(self, loan_id: int | None = None, *, from_block: int = 0) -> list[DecodedEvent]:
        """This contract's events, all or those of ``loan_id`` (its first indexed topic)."""
        topics = [] if loan_id is None else ["0x" + financing_id(loan_id).hex()]
        return self.contract.get_logs(from_block=from_block, topics=topics)

    def _event(self, receipt: Receipt, name: str) -> DecodedEvent:
        for event in self.contract.decode_logs(receipt):
            if event.name == name:
                return event
        raise TradefinError(f"{receipt.tx_hash} emitted no {name} event from {self.contract.name}")


def _remark(remark: str | bytes) -> bytes:
    return remark.encode() if isinstance(remark, str) else remark
