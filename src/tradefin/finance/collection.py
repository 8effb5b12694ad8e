"""Typed client of documentary collections after ICC URC 522 (``contracts/finance/DocumentaryCollection.sol``).

The remitting side (the drawer, or a remitting bank holding the bill) lodges the eBL with a collection instruction
(:meth:`DocumentaryCollections.lodge`). D/P: the drawee pays and receives the title in one transaction. D/A: the
drawee accepts, receives the title and pays the draft's holder from maturity on; once a day's grace after maturity
(:data:`DISHONOUR_GRACE`) has passed unpaid, the holder may record dishonour instead.
Unpaid, unaccepted documents return to the remitting side after a refusal or the presentation deadline.

Rules kept here rather than on chain: the default presentation period (:data:`DEFAULT_PRESENTATION_PERIOD`, after
URC 522 art. 26 (c) (iii)), the drawee's check that the bill presented is really in the registry it trusts and
locked by this contract before paying or accepting (:class:`UntrustedCollection`), and the advices of art. 26
read back from events (:meth:`DocumentaryCollections.advices`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount

from tradefin.ebl.registry import DocumentRef, TitleRegistry, title_id
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.errors import TradefinError
from tradefin.transactions.abi import DecodedEvent
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

CONTRACT = "DocumentaryCollection"

DEFAULT_PRESENTATION_PERIOD = 60 * 86_400
"""Presentation deadline when none is given: 60 days after lodging, the period after which URC 522 art. 26 (c) (iii)
lets the presenting bank return documents nobody gave instructions for."""

DISHONOUR_GRACE = 86_400
"""D/A: seconds after maturity in which the drawee can still pay and dishonour cannot yet be recorded (the contract's
``DISHONOUR_GRACE``); dishonour is recorded only strictly after maturity + this."""

INSTRUCTION_TYPE = "(address,address,address,address,uint256,uint8,uint64,uint64,uint64,bytes32)"
"""ABI type of ``IDocumentaryCollection.Instruction``."""

ADVICES = {
    "CollectionLodged": "presented",
    "CollectionPaid": "advice of payment",
    "CollectionAccepted": "advice of acceptance",
    "CollectionRefused": "advice of non-payment or non-acceptance",
    "CollectionDraftTransferred": "draft transferred",
    "CollectionHonoured": "advice of payment at maturity",
    "CollectionDishonoured": "advice of non-payment, protested",
    "CollectionReturned": "documents returned",
}
"""URC 522 art. 26 advices, by the event that gives them."""


class CollectionTerms(enum.IntEnum):
    """URC 522 art. 7: against what the documents are released (``IDocumentaryCollection.CollectionTerms``)."""

    DOCUMENTS_AGAINST_PAYMENT = 0
    DOCUMENTS_AGAINST_ACCEPTANCE = 1


class CollectionStatus(enum.IntEnum):
    """Lifecycle of a collection; PAID, HONOURED, DISHONOURED and RETURNED are final."""

    NONE = 0
    PRESENTED = 1
    REFUSED = 2
    PAID = 3
    ACCEPTED = 4
    HONOURED = 5
    DISHONOURED = 6
    RETURNED = 7

    @property
    def is_final(self) -> bool:
        return self in (
            CollectionStatus.PAID,
            CollectionStatus.HONOURED,
            CollectionStatus.DISHONOURED,
            CollectionStatus.RETURNED,
        )


class UntrustedCollection(TradefinError):
    """The collection's bill is not where the drawee expects it (another registry, or not locked by this
    collection contract): do not pay or accept; ask the remitting side to lodge the bill of the trusted registry."""


@dataclass(frozen=True)
class CollectionInstruction:
    """The collection instruction (URC 522 art. 4; ``IDocumentaryCollection.Instruction``)."""

    drawer: str
    """The principal (exporter), paid the proceeds."""
    drawee: str
    """To whom the documents are presented (the importer)."""
    token: str
    """The ERC-20 of the collection (art. 17: payment in the currency of the instruction)."""
    amount: int
    """The amount to collect, in full (art. 19)."""
    terms: CollectionTerms
    """D/P or D/A (art. 7)."""
    presentation_deadline: int
    """The drawee pays or accepts at or before this time (unix seconds); after it the documents may go back."""
    collecting_bank: str = ZERO_ADDRESS
    """The collecting (presenting) bank, zero for a direct collection; it may return documents and protest."""
    tenor: int = 0
    """D/A: seconds from acceptance to maturity (or zero with a fixed ``maturity``); D/P: zero."""
    maturity: int = 0
    """D/A: fixed maturity date (or zero with a ``tenor``); D/P: zero."""
    remitter_ref: bytes = field(default=bytes(32))
    """The remitting side's reference (e.g. the invoice hash), 32 bytes."""

    @classmethod
    def documents_against_payment(
        cls,
        *,
        drawer: str,
        drawee: str,
        token: str,
        amount: int,
        presentation_deadline: int,
        collecting_bank: str = ZERO_ADDRESS,
        remitter_ref: bytes = bytes(32),
    ) -> CollectionInstruction:
        """A D/P instruction, at sight: art. 7 (a) discourages D/P with a future-dated draft, so it takes none."""
        return cls(
            drawer,
            drawee,
            token,
            amount,
            CollectionTerms.DOCUMENTS_AGAINST_PAYMENT,
            presentation_deadline,
            collecting_bank,
            remitter_ref=remitter_ref,
        )

    @classmethod
    def documents_against_acceptance(
        cls,
        *,
        drawer: str,
        drawee: str,
        token: str,
        amount: int,
        presentation_deadline: int,
        tenor: int = 0,
        maturity: int = 0,
        collecting_bank: str = ZERO_ADDRESS,
        remitter_ref: bytes = bytes(32),
    ) -> CollectionInstruction:
        """A D/A instruction with either a ``tenor`` after acceptance (e.g. 90 days after sight) or a fixed
        ``maturity``."""
        if (tenor == 0) == (maturity == 0):
            raise TradefinError("a D/A instruction takes exactly one of tenor and maturity")
        return cls(
            drawer,
            drawee,
            token,
            amount,
            CollectionTerms.DOCUMENTS_AGAINST_ACCEPTANCE,
            presentation_deadline,
            collecting_bank,
            tenor,
            maturity,
            remitter_ref,
        )

    def as_abi(self) -> tuple[Any, ...]:
        return (
            self.drawer,
            self.drawee,
            self.collecting_bank,
            self.token,
            self.amount,
            int(self.terms),
            self.tenor,
            self.maturity,
            self.presentation_deadline,
            self.remitter_ref,
        )

    def encode(self) -> bytes:
        """The encumbrance data that lodges the bill with this instruction: ``abi.encode(instruction)``."""
        return encode([INSTRUCTION_TYPE], [self.as_abi()])

    @classmethod
    def from_abi(cls, raw: Sequence[Any]) -> CollectionInstruction:
        drawer, drawee, bank, token, amount, terms, tenor, maturity, deadline, ref = raw
        return cls(drawer, drawee, token, amount, CollectionTerms(terms), deadline, bank, tenor, maturity, bytes(ref))


@dataclass(frozen=True)
class Collection:
    """A collection as the contract holds it (``IDocumentaryCollection.Collection``)."""

    id: int
    remitter: str
    """Who lodged the documents (drawer or remitting bank); they return to it."""
    status: CollectionStatus
    lodged_at: int
    maturity: int
    """D/A: fixed at acceptance; zero before and for D/P."""
    draft_holder: str
    """D/A: who is paid at maturity (the drawer until the draft is transferred); zero for D/P."""
    registry: str
    bill_id: int
    instruction: CollectionInstruction

    @property
    def dishonour_after(self) -> int:
        """D/A, accepted: dishonour can be recorded only strictly after this time (maturity +
        :data:`DISHONOUR_GRACE`); until then, and after it until dishonour, the drawee can pay."""
        return self.maturity + DISHONOUR_GRACE


@dataclass(frozen=True)
class Advice:
    """One URC 522 art. 26 advice, read from an event."""

    collection_id: int
    event: str
    advice: str
    args: dict[str, Any]
    block_number: int


class DocumentaryCollections:
    """One deployment of the collection contract; each party acts with its own key."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    @classmethod
    def deploy(
        cls, ctx: Context, deployer: LocalAccount, *, deployment_name: str | None = None
    ) -> DocumentaryCollections:
        """Deploy a collection contract; each registry's admin then grants it LOCKER_ROLE."""
        return cls(ctx.deployments.deploy(deployer, CONTRACT, name=deployment_name or CONTRACT))

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> DocumentaryCollections:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name))

    # -- remitting side -------------------------------------------------------------------------------------------

    def lodge(
        self,
        registry: TitleRegistry,
        ref: DocumentRef,
        instruction: CollectionInstruction,
        *,
        sender: LocalAccount,
    ) -> int:
        """``sender`` (the bill's owner: drawer or remitting bank) lodges the bill with ``instruction``; the new
        collection id. A zero presentation deadline means :data:`DEFAULT_PRESENTATION_PERIOD` from now."""
        if instruction.presentation_deadline == 0:
            now = registry.contract.transactor.chain.timestamp()
            instruction = replace(instruction, presentation_deadline=now + DEFAULT_PRESENTATION_PERIOD)
        receipt = registry.encumber(ref, self.address, sender=sender, data=instruction.encode())
        for event in self.contract.decode_logs(receipt):
            if event.name == "CollectionLodged":
                return int(event["collectionId"])
        raise TradefinError(f"{receipt.tx_hash} lodged no collection with {self.contract.name}")

    def transfer_draft(self, collection_id: int, new_holder: str, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "transferDraft", collection_id, new_holder)

    def dishonour(self, collection_id: int, *, sender: LocalAccount, protest: str | bytes = b"") -> Receipt:
        """D/A: ``sender`` (the draft's holder, or the collecting bank) records that the accepted draft is unpaid,
        with ``protest``; only after :attr:`Collection.dishonour_after` (``CollectionDishonourTooEarly`` before)."""
        return self.contract.transact(sender, "dishonour", collection_id, _bytes(protest))

    def return_documents(self, collection_id: int, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "returnDocuments", collection_id, _bytes(remark))

    # -- drawee ---------------------------------------------------------------------------------------------------

    def pay(self, collection_id: int, *, sender: LocalAccount, trusted: TitleRegistry | None = None) -> Receipt:
        """D/P: ``sender`` (the drawee) pays (approved to this contract) and receives the title. With ``trusted``,
        first checks that the bill is in that registry and locked by this contract."""
        if trusted is not None:
            self.check_bill(collection_id, trusted)
        return self.contract.transact(sender, "pay", collection_id)

    def accept(self, collection_id: int, *, sender: LocalAccount, trusted: TitleRegistry | None = None) -> Receipt:
        """D/A: ``sender`` (the drawee) accepts the draft and receives the title (checked as in :meth:`pay`)."""
        if trusted is not None:
            self.check_bill(collection_id, trusted)
        return self.contract.transact(sender, "accept", collection_id)

    def refuse(self, collection_id: int, *, sender: LocalAccount, reason: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "refuse", collection_id, _bytes(reason))

    def honour(self, collection_id: int, *, sender: LocalAccount) -> Receipt:
        """D/A, from maturity until dishonour: ``sender`` (the drawee) pays the draft's holder (approved to this
        contract)."""
        return self.contract.transact(sender, "honour", collection_id)

    def check_bill(self, collection_id: int, trusted: TitleRegistry) -> None:
        """Raise :class:`UntrustedCollection` unless the collection's bill is in ``trusted`` and locked by us."""
        c = self.collection(collection_id)
        if c.registry != trusted.address:
            raise UntrustedCollection(f"collection {collection_id} names registry {c.registry}, not {trusted.address}")
        title = trusted.title(c.bill_id)
        if not title.encumbered or title.locker != self.address:
            raise UntrustedCollection(f"bill {c.bill_id:#x} is not locked by collection contract {self.address}")

    # -- reads ----------------------------------------------------------------------------------------------------

    def collection(self, collection_id: int) -> Collection:
        remitter, status, lodged_at, maturity, holder, registry, bill, ins = self.contract.call(
            "collection", collection_id
        )
        return Collection(
            collection_id,
            remitter,
            CollectionStatus(status),
            lodged_at,
            maturity,
            holder,
            registry,
            bill,
            CollectionInstruction.from_abi(ins),
        )

    def status(self, collection_id: int) -> CollectionStatus:
        return self.collection(collection_id).status

    def count(self) -> int:
        return int(self.contract.call("collectionCount"))

    def collection_for_bill(self, ref: DocumentRef, registry: str) -> Collection | None:
        """The collection holding bill ``ref`` of ``registry`` right now (presented or refused), if any."""
        bid = title_id(ref)
        for cid in range(self.count(), 0, -1):
            c = self.collection(cid)
            if (c.registry, c.bill_id) == (registry, bid):
                return c if c.status in (CollectionStatus.PRESENTED, CollectionStatus.REFUSED) else None
        return None

    def advices(self, collection_id: int, *, from_block: int = 0) -> list[Advice]:
        """The URC 522 art. 26 advices of a collection (presentation, payment, acceptance, refusal, ...) in order."""
        topic = "0x" + collection_id.to_bytes(32, "big").hex()
        return [
            Advice(collection_id, e.name, ADVICES[e.name], e.args, e.block_number)
            for e in self.contract.get_logs(from_block=from_block, topics=[topic])
            if e.name in ADVICES
        ]

    def events(self, *, from_block: int = 0) -> list[DecodedEvent]:
        return self.contract.get_logs(from_block=from_block)


def _bytes(text: str | bytes) -> bytes:
    return text.encode() if isinstance(text, str) else text
