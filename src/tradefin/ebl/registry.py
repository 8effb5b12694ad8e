"""Typed client of the title registry (``contracts/ebl/TitleRegistry.sol``): each party acts with its own key."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.documents.canonical import document_hash
from tradefin.documents.transport import TransportDocument
from tradefin.ebl.signing import ACTIONS, SignedTitleRequest, sign_request
from tradefin.ebl.types import ConsignmentForm, DocumentKind, Status, SurrenderReason, Title
from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.ebl.history import TitleHistory

CONTRACT = "TitleRegistry"
ISSUER_ROLE = keccak(text="ISSUER_ROLE")
PAUSER_ROLE = keccak(text="PAUSER_ROLE")
LOCKER_ROLE = keccak(text="LOCKER_ROLE")

DocumentRef = TransportDocument | bytes | int
"""A bill is named by its transport document, its document hash, or its token id (the same number)."""


def title_id(ref: DocumentRef) -> int:
    """The token id of a bill: ``uint256(keccak256(canonical document))``."""
    if isinstance(ref, TransportDocument):
        return int.from_bytes(document_hash(ref), "big")
    if isinstance(ref, bytes):
        if len(ref) != 32:
            raise TradefinError(f"a document hash is 32 bytes, got {len(ref)}")
        return int.from_bytes(ref, "big")
    if isinstance(ref, int) and 0 < ref < 2**256:
        return ref
    raise TradefinError(f"not a bill reference: {ref!r}")


def _remark(remark: str | bytes) -> bytes:
    return remark.encode() if isinstance(remark, str) else remark


@dataclass(frozen=True)
class IssuedBill:
    """A bill just issued: its token id (= document hash) and the issuing transaction."""

    id: int
    receipt: Receipt


class TitleRegistry:
    """One carrier's registry of electronic bills of lading."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    # -- deployment -----------------------------------------------------------------------------------------------

    @classmethod
    def deploy(
        cls,
        ctx: Context,
        carrier: LocalAccount,
        *,
        name: str = "Electronic Bills of Lading",
        symbol: str = "EBL",
        admin_delay: int = 0,
        track_balances: bool = False,
        deployment_name: str | None = None,
    ) -> TitleRegistry:
        """Deploy a registry administered by ``carrier``, who also gets the issuer and pauser roles."""
        contract = ctx.deployments.deploy(
            carrier,
            CONTRACT,
            name,
            symbol,
            carrier.address,
            admin_delay,
            track_balances,
            name=deployment_name or f"{CONTRACT}:{symbol}",
        )
        registry = cls(contract)
        for role in (ISSUER_ROLE, PAUSER_ROLE):
            if not contract.call("hasRole", role, carrier.address):
                contract.transact(carrier, "grantRole", role, carrier.address)
        return registry

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> TitleRegistry:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name))

    # -- issuer ---------------------------------------------------------------------------------------------------

    def issue(
        self,
        document: TransportDocument | bytes,
        *,
        beneficiary: str,
        holder: str,
        sender: LocalAccount,
        kind: DocumentKind | None = None,
        form: ConsignmentForm | None = None,
        shipped_on_board: int | None = None,
        remark: str | bytes = b"",
    ) -> IssuedBill:
        """Issue the bill for ``document`` (or a raw document hash with ``kind`` and ``form``).

        ``shipped_on_board`` (unix seconds) defaults to the document's shipped-on-board date at 00:00 UTC, or 0
        for a received-for-shipment bill."""
        if isinstance(document, TransportDocument):
            kind = document.kind if kind is None else kind
            form = document.consignment_form if form is None else form
            digest = document_hash(document)
            if shipped_on_board is None and document.shipped_on_board_date is not None:
                day = document.shipped_on_board_date
                shipped_on_board = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
        else:
            if kind is None or form is None:
                raise TradefinError("issuing by hash needs kind and form")
            digest = document
        receipt = self.contract.transact(
            sender, "issue", digest, beneficiary, holder, int(kind), int(form), shipped_on_board or 0, _remark(remark)
        )
        return IssuedBill(int.from_bytes(digest, "big"), receipt)

    def accept_surrender(self, ref: DocumentRef, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "acceptSurrender", title_id(ref), _remark(remark))

    def reject_surrender(self, ref: DocumentRef, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "rejectSurrender", title_id(ref), _remark(remark))

    def amend(
        self,
        ref: DocumentRef,
        new_document: TransportDocument | bytes,
        *,
        sender: LocalAccount,
        remark: str | bytes = b"",
    ) -> IssuedBill:
        """Void the bill surrendered for amendment and issue ``new_document`` to the same parties."""
        digest = document_hash(new_document) if isinstance(new_document, TransportDocument) else new_document
        receipt = self.contract.transact(sender, "amend", title_id(ref), digest, _remark(remark))
        return IssuedBill(int.from_bytes(digest, "big"), receipt)

    # -- parties --------------------------------------------------------------------------------------------------

    def transfer_holder(
        self, ref: DocumentRef, new_holder: str, *, sender: LocalAccount, remark: str | bytes = b""
    ) -> Receipt:
        return self.contract.transact(sender, "transferHolder", title_id(ref), new_holder, _remark(remark))

    def nominate(self, ref: DocumentRef, nominee: str, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "nominate", title_id(ref), nominee, _remark(remark))

    def endorse(
        self, ref: DocumentRef, new_beneficiary: str, *, sender: LocalAccount, remark: str | bytes = b""
    ) -> Receipt:
        """Transfer the title (beneficiary) to ``new_beneficiary``: the holder endorses to the nominee."""
        return self.contract.transact(sender, "transferBeneficiary", title_id(ref), new_beneficiary, _remark(remark))

    def transfer_owners(
        self,
        ref: DocumentRef,
        new_beneficiary: str,
        new_holder: str,
        *,
        sender: LocalAccount,
        remark: str | bytes = b"",
    ) -> Receipt:
        return self.contract.transact(
            sender, "transferOwners", title_id(ref), new_beneficiary, new_holder, _remark(remark)
        )

    def endorse_in_blank(self, ref: DocumentRef, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "endorseInBlank", title_id(ref), _remark(remark))

    def reject_transfer_holder(
        self, ref: DocumentRef, *, sender: LocalAccount, previous: str | None = None, remark: str | bytes = b""
    ) -> Receipt:
        """Hand possession back to the previous holder (found in the bill's history unless given)."""
        tid = title_id(ref)
        previous = previous or self.history(tid).previous_holder()
        return self.contract.transact(sender, "rejectTransferHolder", tid, previous, _remark(remark))

    def reject_transfer_beneficiary(
        self, ref: DocumentRef, *, sender: LocalAccount, previous: str | None = None, remark: str | bytes = b""
    ) -> Receipt:
        tid = title_id(ref)
        previous = previous or self.history(tid).previous_beneficiary()
        return self.contract.transact(sender, "rejectTransferBeneficiary", tid, previous, _remark(remark))

    def reject_transfer_owners(
        self,
        ref: DocumentRef,
        *,
        sender: LocalAccount,
        previous_beneficiary: str | None = None,
        previous_holder: str | None = None,
        remark: str | bytes = b"",
    ) -> Receipt:
        tid = title_id(ref)
        if previous_beneficiary is None or previous_holder is None:
            trail = self.history(tid)
            previous_beneficiary = previous_beneficiary or trail.previous_beneficiary()
            previous_holder = previous_holder or trail.previous_holder()
        return self.contract.transact(
            sender, "rejectTransferOwners", tid, previous_beneficiary, previous_holder, _remark(remark)
        )

    def surrender(
        self,
        ref: DocumentRef,
        *,
        sender: LocalAccount,
        reason: SurrenderReason = SurrenderReason.DELIVERY,
        remark: str | bytes = b"",
    ) -> Receipt:
        return self.contract.transact(sender, "surrender", title_id(ref), int(reason), _remark(remark))

    # -- encumbrance ----------------------------------------------------------------------------------------------

    def encumber(self, ref: DocumentRef, locker: str, *, sender: LocalAccount, data: bytes = b"") -> Receipt:
        return self.contract.transact(sender, "encumber", title_id(ref), locker, data)

    def release(self, ref: DocumentRef, *, sender: LocalAccount, remark: str | bytes = b"") -> Receipt:
        return self.contract.transact(sender, "release", title_id(ref), _remark(remark))

    def authorise_locker(self, locker: str, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "grantRole", LOCKER_ROLE, locker)

    # -- admin ----------------------------------------------------------------------------------------------------

    def pause(self, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "pause")

    def unpause(self, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "unpause")

    def grant_role(self, role: bytes, account: str, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "grantRole", role, account)

    # -- signed requests ------------------------------------------------------------------------------------------

    def sign(
        self,
        action: str,
        ref: DocumentRef,
        target: str,
        *,
        signer: LocalAccount,
        remark: str | bytes = b"",
        deadline: int | None = None,
        nonce: int | None = None,
    ) -> SignedTitleRequest:
        """``signer``'s EIP-712 signature over ``action`` (TransferHolder, TransferBeneficiary or Nominate)."""
        if action not in ACTIONS:
            raise TradefinError(f"unknown signed action {action!r}; one of {', '.join(ACTIONS)}")
        chain = self.contract.transactor.chain
        return sign_request(
            signer,
            action,
            chain_id=chain.chain_id,
            registry=self.address,
            title_id=title_id(ref),
            target=target,
            remark=_remark(remark),
            nonce=self.nonce(signer.address) if nonce is None else nonce,
            deadline=deadline if deadline is not None else max(chain.timestamp(), int(time.time())) + 3600,
        )

    def relay(self, request: SignedTitleRequest, *, sender: LocalAccount) -> Receipt:
        """Submit a signed request; the relayer pays the gas, the signer's authority moves the title."""
        return self.contract.transact(sender, request.function, *request.call_args())

    def nonce(self, signer: str) -> int:
        """The nonce ``signer``'s next signed request must carry."""
        return int(self.contract.call("nonces", signer))

    def invalidate_nonces(self, *, sender: LocalAccount, new_nonce: int | None = None) -> Receipt:
        """Cancel ``sender``'s signed requests not yet relayed: every one with a nonce below ``new_nonce``, which
        becomes its next nonce (default: one more than its next nonce, which cancels the request it signed first).
        Relaying a cancelled request then reverts ``TitleNonceUsed``; a lower or equal ``new_nonce`` reverts
        ``TitleNonceNotIncreased``. Works while the registry is paused."""
        if new_nonce is None:
            new_nonce = self.nonce(sender.address) + 1
        return self.contract.transact(sender, "invalidateNonces", new_nonce)

    # -- reads ----------------------------------------------------------------------------------------------------

    def title(self, ref: DocumentRef) -> Title:
        tid = title_id(ref)
        return Title.from_view(tid, self.contract.call("title", tid))

    def status(self, ref: DocumentRef) -> Status:
        return self.title(ref).status

    def is_nominee(self, ref: DocumentRef, account: str) -> bool:
        return bool(self.contract.call("isNominee", title_id(ref), account))

    def shipped_on_board(self, ref: DocumentRef) -> int:
        """The shipped-on-board date recorded at issue (unix seconds), 0 for received-for-shipment."""
        return int(self.contract.call("shippedOnBoardDate", title_id(ref)))

    def superseded_by(self, ref: DocumentRef) -> int:
        return int(self.contract.call("supersededBy", title_id(ref)))

    def owner_of(self, ref: DocumentRef) -> str:
        return str(self.contract.call("ownerOf", title_id(ref)))

    def locker_of(self, ref: DocumentRef) -> str:
        return str(self.contract.call("lockerOf", title_id(ref)))

    def history(self, ref: DocumentRef, *, from_block: int = 0) -> TitleHistory:
        from tradefin.ebl.history import histories

        tid = title_id(ref)
        return histories(self, [tid], from_block=from_block)[tid]

    def histories(self, refs: Sequence[DocumentRef] | None = None, *, from_block: int = 0) -> dict[int, TitleHistory]:
        from tradefin.ebl.history import histories

        return histories(self, None if refs is None else [title_id(r) for r in refs], from_block=from_block)
