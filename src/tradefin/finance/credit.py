"""Typed client of documentary credits under UCP 600 (``contracts/finance/DocumentaryCredit.sol``).

One contract holds many credits. The applicant requests, the issuing bank issues (the cover is pulled from the
applicant and locked), the advising bank advises, a confirming bank may confirm; the issuing bank amends only what
the applicant instructed (:meth:`DocumentaryCredit.instruct_amendment`, then :meth:`DocumentaryCredit.amend` with the
same terms), and the beneficiary accepts or rejects the amendment; the beneficiary presents by
encumbering its eBL in favour of the credit contract (:meth:`DocumentaryCredit.present`); the examining bank honours
or refuses within five banking days, at most :data:`MAX_EXAMINATION_PERIOD` (:func:`examination_deadline`); a silent
bank is precluded and the beneficiary claims; after expiry the unused
cover returns to the applicant. The arithmetic the contract applies (tolerance, presentation period) is mirrored
here so a party can check a presentation before sending it (:meth:`CreditTerms.check_drawing`).

A credit contract deployed with a financing ledger claims each presentation's bill and commercial invoice there
until the eBL leaves it; before sending a presentation, :meth:`DocumentaryCredit.present` checks that ledger and
every other ledger of the deployment book (:mod:`tradefin.finance.duplicates`) and raises
:class:`~tradefin.finance.duplicates.AlreadyFinanced` if another live financing holds the bill or the invoice.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.calendars import BankingCity, banking_deadline_within, timestamp
from tradefin.ebl.registry import DocumentRef, TitleRegistry, title_id
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.errors import TradefinError
from tradefin.finance.duplicates import FinancingCheck, LedgerRef, credit_financing_id, ensure_not_financed
from tradefin.money.deposit import Permit
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.calendars import BankingCalendar
    from tradefin.context import Context
    from tradefin.deployments import Deployments
    from tradefin.finance.ledger import FinancingLedger

CONTRACT = "DocumentaryCredit"
DAY = 86_400
DEFAULT_PRESENTATION_DAYS = 21
"""UCP 600 art. 14c: presentation not later than 21 calendar days after the date of shipment."""
EXAMINATION_BANKING_DAYS = 5
"""UCP 600 art. 14b: five banking days following the day of presentation."""
MAX_EXAMINATION_PERIOD = 21 * DAY
"""The longest examination period, seconds from presentation, whatever the examining bank's calendar says
(``CreditPresentations.MAX_EXAMINATION_PERIOD``): the examiner writes its own calendar, so it cannot stretch the
deadline (nor, by closing every day, block presentations)."""
ABOUT_PERCENT = 10
"""UCP 600 art. 30a: "about" allows 10% more or less."""


class Tolerance(enum.IntEnum):
    """Tolerance on the amount (``IDocumentaryCredit.Tolerance``)."""

    NONE = 0
    ABOUT = 1


class CreditStatus(enum.IntEnum):
    NONE = 0
    REQUESTED = 1
    ISSUED = 2
    CANCELLED = 3
    EXPIRED = 4


class PresentationState(enum.IntEnum):
    NONE = 0
    PRESENTED = 1
    REFUSED = 2
    WAIVED = 3
    HONOURED = 4
    RETURNED = 5

    @property
    def is_open(self) -> bool:
        """Still holding the eBL and a reservation on the credit."""
        return self in (PresentationState.PRESENTED, PresentationState.REFUSED, PresentationState.WAIVED)


class Disposal(enum.IntEnum):
    """What a refusing bank does with the documents (UCP 600 art. 16c iii)."""

    HOLD_PENDING_WAIVER = 0
    RETURN = 1


class AmendmentStatus(enum.IntEnum):
    NONE = 0
    PENDING = 1
    ACCEPTED = 2
    REJECTED = 3
    LAPSED = 4


class ConfirmationChoice(enum.IntEnum):
    UNDECIDED = 0
    EXTENDED = 1
    DECLINED = 2


class Discrepancy(enum.IntEnum):
    """Common discrepancy codes for a notice of refusal (the contract records any ``uint16``)."""

    DOCUMENT_MISSING = 1
    DATA_CONFLICT = 2  # art. 14d: data in a document conflicts with another document or the credit
    LATE_SHIPMENT = 3
    LATE_PRESENTATION = 4
    AMOUNT_EXCEEDED = 5
    GOODS_DESCRIPTION = 6  # art. 18c: the invoice's description does not correspond with the credit
    INSURANCE_INSUFFICIENT = 7  # art. 28
    CLAUSED_TRANSPORT_DOCUMENT = 8  # art. 27: not clean
    OTHER = 999


def document_type(name: str) -> bytes:
    """A document type code: the ASCII name, left-aligned in 32 bytes (readable on chain)."""
    if not name.isascii():
        raise TradefinError(f"a document type name is 1 to 32 ASCII characters, got {name!r}")
    raw = name.encode("ascii")
    if not raw or len(raw) > 32:
        raise TradefinError(f"a document type name is 1 to 32 ASCII characters, got {name!r}")
    return raw.ljust(32, b"\x00")


def document_type_name(code: bytes) -> str:
    return code.rstrip(b"\x00").decode("ascii", errors="replace")


COMMERCIAL_INVOICE = document_type("COMMERCIAL_INVOICE")
PACKING_LIST = document_type("PACKING_LIST")
CERTIFICATE_OF_ORIGIN = document_type("CERTIFICATE_OF_ORIGIN")
INSURANCE_CERTIFICATE = document_type("INSURANCE_CERTIFICATE")
INSPECTION_CERTIFICATE = document_type("INSPECTION_CERTIFICATE")


def maximum(amount: int, tolerance: Tolerance) -> int:
    """The most a credit of ``amount`` pays in total (``CreditRules.maximum``)."""
    return amount if tolerance is Tolerance.NONE else amount * (100 + ABOUT_PERCENT) // 100


def minimum(amount: int, tolerance: Tolerance) -> int:
    """The least single drawing when partial drawings are prohibited (``CreditRules.minimum``)."""
    return amount if tolerance is Tolerance.NONE else (amount * (100 - ABOUT_PERCENT) + 99) // 100


@dataclass(frozen=True)
class CreditTerms:
    """The terms of a credit (``IDocumentaryCredit.Terms``)."""

    issuing_bank: str
    beneficiary: str
    token: str
    """The currency: an ERC-20 such as a bank's deposit token."""
    registry: str
    """The eBL title registry the bill must come from."""
    amount: int
    expiry: int
    """Last second (unix time) for presentation."""
    latest_shipment: int
    """Last second (unix time) for the shipped-on-board date."""
    tolerance: Tolerance = Tolerance.NONE
    presentation_days: int = 0
    """Days after shipment to present; 0 in a request means 21 (UCP 600 art. 14c)."""
    partial_drawings: bool = True
    advising_bank: str = ZERO_ADDRESS
    """Zero: the beneficiary presents without advice."""
    nominated_bank: str = ZERO_ADDRESS
    """Zero: available with the issuing bank only."""
    confirming_bank: str = ZERO_ADDRESS
    """Zero: no confirmation requested."""
    document_types: tuple[bytes, ...] = ()
    """Documents required besides the eBL (see :func:`document_type`)."""

    def as_abi(self) -> tuple[Any, ...]:
        return (
            self.issuing_bank,
            self.beneficiary,
            self.token,
            self.registry,
            self.advising_bank,
            self.nominated_bank,
            self.confirming_bank,
            self.amount,
            int(self.tolerance),
            self.expiry,
            self.latest_shipment,
            self.presentation_days,
            self.partial_drawings,
            list(self.document_types),
        )

    @classmethod
    def from_view(cls, raw: Sequence[Any]) -> CreditTerms:
        (issuing, beneficiary, token, registry, advising, nominated, confirming, amount, tol, expiry, latest, days,
         partial, types) = raw  # fmt: skip
        return cls(
            issuing_bank=issuing,
            beneficiary=beneficiary,
            token=token,
            registry=registry,
            amount=amount,
            expiry=expiry,
            latest_shipment=latest,
            tolerance=Tolerance(tol),
            presentation_days=days,
            partial_drawings=partial,
            advising_bank=advising,
            nominated_bank=nominated,
            confirming_bank=confirming,
            document_types=tuple(types),
        )

    @property
    def maximum(self) -> int:
        return maximum(self.amount, self.tolerance)

    @property
    def minimum_drawing(self) -> int:
        return minimum(self.amount, self.tolerance) if not self.partial_drawings else 1

    @property
    def period_days(self) -> int:
        return self.presentation_days or DEFAULT_PRESENTATION_DAYS

    def presentation_deadline(self, shipped_on_board: int) -> int:
        """The end of the presentation period: ``period_days`` after shipment, never after expiry."""
        return min(shipped_on_board + self.period_days * DAY, self.expiry)

    def check_drawing(self, amount: int, committed: int) -> None:
        """Raise :class:`TradefinError` if a drawing of ``amount`` would be refused on chain, given ``committed`` =
        drawn + reserved so far (mirrors the contract's amount checks)."""
        if amount <= 0:
            raise TradefinError("a drawing must be positive")
        if not self.partial_drawings and (committed or not minimum(self.amount, self.tolerance) <= amount):
            raise TradefinError("partial drawings are prohibited: one drawing of the full amount within tolerance")
        if amount > max(self.maximum - committed, 0):
            raise TradefinError(f"{amount} exceeds the {max(self.maximum - committed, 0)} left on the credit")


@dataclass(frozen=True)
class CreditLedger:
    """Money and acts on a credit (``IDocumentaryCredit.Ledger``)."""

    applicant: str
    status: CreditStatus
    advised: bool
    confirmed: bool
    presentations: int
    cover: int
    """Tokens the contract holds for the credit."""
    drawn: int
    reserved: int
    owed_to_confirming_bank: int
    refunded: int

    @classmethod
    def from_view(cls, raw: Sequence[Any]) -> CreditLedger:
        applicant, status, advised, confirmed, presentations, cover, drawn, reserved, owed, refunded = raw
        return cls(
            applicant, CreditStatus(status), advised, confirmed, presentations, cover, drawn, reserved, owed, refunded
        )

    @property
    def refundable(self) -> int:
        """Cover neither reserved nor owed: what :meth:`DocumentaryCredit.close_expired` returns after expiry."""
        return self.cover - self.reserved - self.owed_to_confirming_bank


@dataclass(frozen=True)
class Confirmation:
    """The terms a confirmation covers (``IDocumentaryCredit.Confirmation``)."""

    amount: int
    expiry: int
    latest_shipment: int


@dataclass(frozen=True)
class Amendment:
    """The latest amendment (``IDocumentaryCredit.Amendment``)."""

    status: AmendmentStatus
    confirmation: ConfirmationChoice
    number: int
    expiry: int
    latest_shipment: int
    amount: int

    @classmethod
    def from_view(cls, raw: Sequence[Any]) -> Amendment:
        status, choice, number, expiry, latest, amount = raw
        return cls(AmendmentStatus(status), ConfirmationChoice(choice), number, expiry, latest, amount)


@dataclass(frozen=True)
class Presentation:
    """One presentation (``IDocumentaryCredit.Presentation``)."""

    credit_id: int
    id: int
    bill_id: int
    amount: int
    examiner: str
    state: PresentationState
    refused: bool
    precluded: bool
    reimbursement_due: bool
    presented_at: int
    examination_deadline: int
    documents_digest: bytes

    @classmethod
    def from_view(cls, credit_id: int, presentation_id: int, raw: Sequence[Any]) -> Presentation:
        bill, amount, examiner, state, refused, precluded, due, presented_at, deadline, digest = raw
        return cls(
            credit_id,
            presentation_id,
            bill,
            amount,
            examiner,
            PresentationState(state),
            refused,
            precluded,
            due,
            presented_at,
            deadline,
            digest,
        )


def amendment_hash(amount: int, expiry: int, latest_shipment: int) -> bytes:
    """What the contract stores for an amendment instruction (``amendmentInstruction``): the keccak-256 of
    ``abi.encode(amount, expiry, latestShipment)``, the terms as they are to stand."""
    return keccak(encode(["uint256", "uint64", "uint64"], [amount, expiry, latest_shipment]))


def examination_deadline(place: BankingCity | str, presented_at: int | dt.datetime) -> int:
    """The examination deadline the contract sets for documents presented at ``presented_at`` to a bank at
    ``place``: the end of the bank's fifth banking day following the day of presentation (UCP 600 art. 14b), or
    :data:`MAX_EXAMINATION_PERIOD` after presentation if that is earlier (also when the bank has no banking day)."""
    when = timestamp(presented_at)
    cap = when + MAX_EXAMINATION_PERIOD
    deadline = banking_deadline_within(place, when, EXAMINATION_BANKING_DAYS, MAX_EXAMINATION_PERIOD // DAY)
    return cap if deadline is None else min(deadline, cap)


def presentation_data(credit_id: int, amount: int, documents: Mapping[bytes, bytes]) -> bytes:
    """The ``data`` of ``registry.encumber`` that presents to a credit: ``abi.encode(creditId, amount, documentTypes,
    documentHashes)``, documents given as {type code: document hash}."""
    for code, digest in documents.items():
        if len(code) != 32 or len(digest) != 32:
            raise TradefinError("document types and hashes are 32 bytes each")
    types, hashes = list(documents), list(documents.values())
    return encode(["uint256", "uint256", "bytes32[]", "bytes32[]"], [credit_id, amount, types, hashes])


class DocumentaryCredit:
    """The credit contract; every act is sent with the acting party's key. ``deployments`` (the chain's deployment
    book) lets :meth:`present` check every known financing ledger; without it only the contract's own ledger."""

    def __init__(self, contract: Contract, deployments: Deployments | None = None) -> None:
        self.contract = contract
        self.deployments = deployments
        self._financing_ledger: str | None = None

    @property
    def address(self) -> str:
        return self.contract.address

    # -- deployment -----------------------------------------------------------------------------------------------

    @classmethod
    def deploy(
        cls,
        ctx: Context,
        account: LocalAccount,
        calendar: BankingCalendar | str,
        *,
        financing_ledger: FinancingLedger | str | None = None,
        deployment_name: str = CONTRACT,
    ) -> DocumentaryCredit:
        """Deploy the credit contract counting deadlines on ``calendar``, claiming presentations in
        ``financing_ledger`` (None: no ledger). Before the first presentation the ledger's admin authorises it
        (``FinancingLedger.authorise``)."""
        address = calendar if isinstance(calendar, str) else calendar.address
        ledger = ZERO_ADDRESS
        if financing_ledger is not None:
            ledger = financing_ledger if isinstance(financing_ledger, str) else financing_ledger.address
        contract = ctx.deployments.deploy(account, CONTRACT, address, ledger, name=deployment_name)
        return cls(contract, ctx.deployments)

    @classmethod
    def at(cls, ctx: Context, address: str) -> DocumentaryCredit:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, CONTRACT), ctx.deployments)

    def _event(self, receipt: Receipt, name: str) -> dict[str, Any]:
        for event in self.contract.decode_logs(receipt):
            if event.name == name:
                return event.args
        raise TradefinError(f"no {name} event in {receipt.tx_hash}")

    # -- applicant ------------------------------------------------------------------------------------------------

    def request(self, terms: CreditTerms, *, sender: LocalAccount) -> int:
        """Ask the issuing bank for a credit on ``terms``; the new credit's id."""
        receipt = self.contract.transact(sender, "request", terms.as_abi())
        return int(self._event(receipt, "CreditRequested")["creditId"])

    def cancel_request(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "cancelRequest", credit_id)

    def waive(self, credit_id: int, presentation_id: int, *, sender: LocalAccount) -> Receipt:
        """The applicant waives the discrepancies of a refused presentation held pending waiver."""
        return self.contract.transact(sender, "waive", credit_id, presentation_id)

    def instruct_amendment(
        self,
        credit_id: int,
        *,
        sender: LocalAccount,
        amount: int | None = None,
        expiry: int | None = None,
        latest_shipment: int | None = None,
    ) -> Receipt:
        """The applicant instructs the issuing bank to amend the credit (unchanged terms where None, read from the
        current terms as :meth:`amend` reads them); replaces an unused instruction. The issuing bank may then
        :meth:`amend` to exactly these terms, once."""
        instructed = self.amended_terms(credit_id, amount=amount, expiry=expiry, latest_shipment=latest_shipment)
        return self.contract.transact(sender, "instructAmendment", credit_id, *instructed)

    def withdraw_amendment_instruction(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        """The applicant withdraws its amendment instruction before the issuing bank uses it."""
        return self.contract.transact(sender, "withdrawAmendmentInstruction", credit_id)

    # -- issuing bank ---------------------------------------------------------------------------------------------

    def issue(self, credit_id: int, *, sender: LocalAccount, permit: Permit | None = None) -> Receipt:
        """Issue: the cover is pulled from the applicant's allowance, or with the applicant's ``permit``."""
        if permit is None:
            return self.contract.transact(sender, "issue", credit_id)
        return self.contract.transact(
            sender, "issueWithPermit", credit_id, permit.deadline, permit.v, permit.r, permit.s
        )

    def amend(
        self,
        credit_id: int,
        *,
        sender: LocalAccount,
        amount: int | None = None,
        expiry: int | None = None,
        latest_shipment: int | None = None,
    ) -> int:
        """Issue an amendment on the applicant's instruction of the same terms (unchanged terms where None); the
        amendment's number. Without that instruction it raises ``CreditAmendmentNotInstructed``."""
        amended = self.amended_terms(credit_id, amount=amount, expiry=expiry, latest_shipment=latest_shipment)
        receipt = self.contract.transact(sender, "amend", credit_id, *amended)
        return int(self._event(receipt, "CreditAmendmentProposed")["number"])

    def amended_terms(
        self,
        credit_id: int,
        *,
        amount: int | None = None,
        expiry: int | None = None,
        latest_shipment: int | None = None,
    ) -> tuple[int, int, int]:
        """(amount, expiry, latest shipment) of an amendment: each given term, else the credit's current one."""
        if amount is None or expiry is None or latest_shipment is None:
            terms = self.terms(credit_id)
            amount = terms.amount if amount is None else amount
            expiry = terms.expiry if expiry is None else expiry
            latest_shipment = terms.latest_shipment if latest_shipment is None else latest_shipment
        return amount, expiry, latest_shipment

    # -- advising and confirming banks ----------------------------------------------------------------------------

    def advise(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "advise", credit_id)

    def confirm(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "confirm", credit_id)

    def confirm_amendment(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "confirmAmendment", credit_id)

    def decline_amendment(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "declineAmendment", credit_id)

    # -- beneficiary ----------------------------------------------------------------------------------------------

    def accept_amendment(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "acceptAmendment", credit_id)

    def reject_amendment(self, credit_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "rejectAmendment", credit_id)

    def present(
        self,
        registry: TitleRegistry,
        bill: DocumentRef,
        credit_id: int,
        amount: int,
        documents: Mapping[bytes, bytes],
        *,
        sender: LocalAccount,
        check_financing: bool = True,
        ledgers: Iterable[LedgerRef] = (),
    ) -> int:
        """Present ``bill`` and ``documents`` ({type: hash}) for ``amount``: the beneficiary encumbers the eBL in
        favour of this contract, which examines what the chain can check. The new presentation's id.

        First (unless ``check_financing`` is false) :meth:`check_not_financed` asks every known financing ledger
        whether the bill or the commercial invoice is held by a live financing, and raises
        :class:`~tradefin.finance.duplicates.AlreadyFinanced` before anything is sent if so."""
        bid = title_id(bill)
        if check_financing:
            self.check_not_financed(registry.address, bid, documents.get(COMMERCIAL_INVOICE), ledgers=ledgers)
        receipt = registry.encumber(
            bid, self.address, sender=sender, data=presentation_data(credit_id, amount, documents)
        )
        return int(self._event(receipt, "CreditPresented")["presentationId"])

    def check_not_financed(
        self,
        registry: str,
        bill: DocumentRef,
        invoice_hash: bytes | None = None,
        *,
        ledgers: Iterable[LedgerRef] = (),
    ) -> FinancingCheck:
        """Raise :class:`~tradefin.finance.duplicates.AlreadyFinanced` if bill ``bill`` of ``registry`` or
        ``invoice_hash`` (a zero hash counts as none, as on chain) is held by a live financing in this contract's
        ledger, in ``ledgers`` or in any ledger of the deployment book."""
        if self.deployments is None:
            raise TradefinError(
                f"{self!r} has no deployment book to find the financing ledgers in: "
                "open it with DocumentaryCredit.at(ctx, address) or pass check_financing=False"
            )
        own = self.financing_ledger
        asked: list[LedgerRef] = [own] if own != ZERO_ADDRESS else []
        asked.extend(ledgers)
        invoice = invoice_hash if invoice_hash and any(invoice_hash) else None
        return ensure_not_financed(self.deployments, registry, title_id(bill), invoice, ledgers=asked)

    def claim_precluded(self, credit_id: int, presentation_id: int, *, sender: LocalAccount) -> Receipt:
        """The beneficiary is paid for a presentation its examining bank left undecided past the deadline."""
        return self.contract.transact(sender, "claimPrecluded", credit_id, presentation_id)

    # -- examining bank -------------------------------------------------------------------------------------------

    def honour(self, credit_id: int, presentation_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "honour", credit_id, presentation_id)

    def refuse(
        self,
        credit_id: int,
        presentation_id: int,
        discrepancies: Sequence[int],
        *,
        sender: LocalAccount,
        disposal: Disposal = Disposal.HOLD_PENDING_WAIVER,
    ) -> Receipt:
        """The single notice of refusal, with coded ``discrepancies`` (see :class:`Discrepancy`)."""
        return self.contract.transact(
            sender, "refuse", credit_id, presentation_id, [int(d) for d in discrepancies], int(disposal)
        )

    def return_documents(self, credit_id: int, presentation_id: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "returnDocuments", credit_id, presentation_id)

    # -- anyone ---------------------------------------------------------------------------------------------------

    def reimburse(self, credit_id: int, presentation_id: int, *, sender: LocalAccount) -> Receipt:
        """Pay the confirming bank's reimbursement claim from the cover."""
        return self.contract.transact(sender, "reimburse", credit_id, presentation_id)

    def close_expired(self, credit_id: int, *, sender: LocalAccount) -> int:
        """Return the free cover to the applicant after expiry; the amount returned."""
        receipt = self.contract.transact(sender, "closeExpired", credit_id)
        return int(self._event(receipt, "CreditCoverRefunded")["amount"])

    # -- views ----------------------------------------------------------------------------------------------------

    def terms(self, credit_id: int) -> CreditTerms:
        return CreditTerms.from_view(self.contract.call("terms", credit_id))

    def ledger(self, credit_id: int) -> CreditLedger:
        return CreditLedger.from_view(self.contract.call("ledger", credit_id))

    def confirmation(self, credit_id: int) -> Confirmation:
        return Confirmation(*self.contract.call("confirmation", credit_id))

    def amendment(self, credit_id: int) -> Amendment:
        return Amendment.from_view(self.contract.call("amendment", credit_id))

    def amendment_instruction(self, credit_id: int) -> bytes | None:
        """The hash (:func:`amendment_hash`) of the applicant's unused amendment instruction, or None."""
        raw = bytes(self.contract.call("amendmentInstruction", credit_id))
        return raw if any(raw) else None

    def amendment_instructed(
        self,
        credit_id: int,
        *,
        amount: int | None = None,
        expiry: int | None = None,
        latest_shipment: int | None = None,
    ) -> bool:
        """Whether the applicant's unused instruction is for these terms (unchanged where None): what
        :meth:`amend` needs."""
        amended = self.amended_terms(credit_id, amount=amount, expiry=expiry, latest_shipment=latest_shipment)
        return self.amendment_instruction(credit_id) == amendment_hash(*amended)

    def presentation(self, credit_id: int, presentation_id: int) -> Presentation:
        raw = self.contract.call("presentation", credit_id, presentation_id)
        return Presentation.from_view(credit_id, presentation_id, raw)

    def presentations(self, credit_id: int) -> list[Presentation]:
        return [self.presentation(credit_id, i) for i in range(1, self.ledger(credit_id).presentations + 1)]

    def available(self, credit_id: int) -> int:
        return int(self.contract.call("available", credit_id))

    def credit_count(self) -> int:
        return int(self.contract.call("creditCount"))

    @property
    def calendar(self) -> str:
        return str(self.contract.call("calendar"))

    @property
    def financing_ledger(self) -> str:
        """The ledger presentations are claimed in (the zero address: none); fixed at deployment."""
        if self._financing_ledger is None:
            self._financing_ledger = str(self.contract.call("financingLedger"))
        return self._financing_ledger

    def claimed_invoice(self, credit_id: int, presentation_id: int) -> bytes | None:
        """The invoice hash an open presentation holds claimed in the financing ledger, or None."""
        raw = bytes(self.contract.call("claimedInvoice", credit_id, presentation_id))
        return raw if any(raw) else None

    @staticmethod
    def financing_id(credit_id: int, presentation_id: int) -> bytes:
        """How this contract names a presentation in its financing ledger: ``bytes32(creditId << 32 | id)``."""
        return credit_financing_id(credit_id, presentation_id)

    def __repr__(self) -> str:
        return f"<DocumentaryCredit {self.address}>"
