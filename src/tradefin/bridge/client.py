"""Typed client of ``contracts/bridge/TitleBridge.sol``: pledge, attest, claim, confirm, reclaim, committee."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eth_abi import encode
from eth_account.signers.local import LocalAccount

from tradefin.bridge.history import history_hash
from tradefin.bridge.messages import (
    BridgeDomain,
    ClaimedAttestation,
    CommitteeChange,
    NotClaimedAttestation,
    PledgeAttestation,
)
from tradefin.ebl.registry import ISSUER_ROLE, LOCKER_ROLE, DocumentRef, TitleRegistry, title_id
from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

CONTRACT = "TitleBridge"


class PledgeStatus(enum.IntEnum):
    """``ITitleBridge.PledgeStatus``: Confirmed and Reclaimed are final."""

    NONE = 0
    PENDING = 1
    CONFIRMED = 2
    RECLAIMED = 3


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge as recorded on its source chain."""

    pledge_id: bytes
    bill_id: int
    owner: str
    status: PledgeStatus
    expiry: int
    destination_chain_id: int
    destination_registry: str
    recipient: str


@dataclass(frozen=True)
class Provenance:
    """Where a bill issued by a bridge came from (all zero for a bill it did not issue)."""

    pledge_id: bytes
    source_chain_id: int
    source_registry: str
    source_id: int
    history_hash: bytes


@dataclass(frozen=True)
class Pledged:
    """A pledge just made: its id and the encumbering transaction."""

    pledge_id: bytes
    receipt: Receipt


class TitleBridge:
    """One chain's side of the bridge, beside that chain's title registry."""

    def __init__(self, contract: Contract, registry: TitleRegistry) -> None:
        self.contract = contract
        self.registry = registry

    @property
    def address(self) -> str:
        return self.contract.address

    @property
    def chain_id(self) -> int:
        return self.contract.transactor.chain.chain_id

    @property
    def domain(self) -> BridgeDomain:
        """The EIP-712 domain attestations verified by this bridge are signed over."""
        return BridgeDomain(self.chain_id, self.address)

    # -- deployment -----------------------------------------------------------------------------------------------

    @classmethod
    def deploy(
        cls,
        ctx: Context,
        deployer: LocalAccount,
        registry: TitleRegistry,
        members: Sequence[str],
        threshold: int,
        *,
        deployment_name: str | None = None,
    ) -> TitleBridge:
        """Deploy a bridge for ``registry`` with its first committee (it still needs :meth:`authorise`)."""
        contract = ctx.deployments.deploy(
            deployer,
            CONTRACT,
            registry.address,
            list(members),
            threshold,
            name=deployment_name or f"{CONTRACT}:{registry.address}",
        )
        return cls(contract, registry)

    @classmethod
    def at(cls, ctx: Context, address: str) -> TitleBridge:
        """The bridge deployed at ``address`` on ``ctx``'s chain, with the registry it serves."""
        contract = Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, CONTRACT)
        return cls(contract, TitleRegistry.at(ctx, str(contract.call("registry"))))

    def authorise(self, *, admin: LocalAccount) -> None:
        """The registry's admin grants this bridge LOCKER_ROLE (pledges) and ISSUER_ROLE (claims)."""
        for role in (LOCKER_ROLE, ISSUER_ROLE):
            if not self.registry.contract.call("hasRole", role, self.address):
                self.registry.grant_role(role, self.address, sender=admin)

    # -- source ---------------------------------------------------------------------------------------------------

    def pledge(
        self,
        bill: DocumentRef,
        *,
        destination_chain_id: int,
        destination_registry: str,
        recipient: str,
        expiry: int,
        sender: LocalAccount,
    ) -> Pledged:
        """The owner encumbers ``bill`` to this bridge for ``recipient`` on the destination, until ``expiry``."""
        data = encode(
            ["uint256", "address", "address", "uint64"],
            [destination_chain_id, destination_registry, recipient, expiry],
        )
        receipt = self.registry.encumber(bill, self.address, sender=sender, data=data)
        for event in self.contract.decode_logs(receipt):
            if event.name == "BillPledged":
                return Pledged(bytes(event["pledgeId"]), receipt)
        raise TradefinError(f"no BillPledged event in {receipt.tx_hash}")  # pragma: no cover - the bridge emits it

    def attestation(self, pledge_id: bytes) -> PledgeAttestation:
        """What a member attests about ``pledge_id``, read from this (source) chain: record, bill, history hash."""
        record = self.pledge_of(pledge_id)
        if record.status is PledgeStatus.NONE:
            raise TradefinError(f"no pledge 0x{pledge_id.hex()} on chain {self.chain_id}")
        title = self.registry.title(record.bill_id)
        return PledgeAttestation(
            pledge_id=pledge_id,
            source_chain_id=self.chain_id,
            source_registry=self.registry.address,
            destination_chain_id=record.destination_chain_id,
            destination_registry=record.destination_registry,
            bill_id=record.bill_id,
            document_hash=title.document_hash,
            history_hash=history_hash(self.registry, record.bill_id),
            recipient=record.recipient,
            expiry=record.expiry,
            kind=title.kind,
            form=title.form,
            shipped_on_board_date=self.registry.shipped_on_board(record.bill_id),
        )

    def confirm(self, pledge_id: bytes, signatures: Sequence[bytes], *, sender: LocalAccount) -> Receipt:
        """Make the pledge final with the committee's ``Claimed`` signatures (see :class:`ClaimedAttestation`)."""
        return self.contract.transact(sender, "confirm", pledge_id, list(signatures))

    def reclaim(self, pledge_id: bytes, signatures: Sequence[bytes], *, sender: LocalAccount) -> Receipt:
        """After expiry, free the bill with the committee's ``NotClaimed`` signatures."""
        return self.contract.transact(sender, "reclaim", pledge_id, list(signatures))

    @staticmethod
    def claimed(pledge_id: bytes) -> ClaimedAttestation:
        return ClaimedAttestation(pledge_id)

    @staticmethod
    def not_claimed(pledge_id: bytes) -> NotClaimedAttestation:
        return NotClaimedAttestation(pledge_id)

    # -- destination ----------------------------------------------------------------------------------------------

    def claim(self, attestation: PledgeAttestation, signatures: Sequence[bytes], *, sender: LocalAccount) -> Receipt:
        """Issue the attested bill here to its recipient (anyone relays the committee's signatures)."""
        return self.contract.transact(sender, "claim", attestation.as_tuple(), list(signatures))

    # -- committee ------------------------------------------------------------------------------------------------

    def committee_change(self, members: Sequence[str], threshold: int) -> CommitteeChange:
        """The message the current committee signs to replace itself by ``members`` and ``threshold``."""
        return CommitteeChange(tuple(members), threshold, self.committee_nonce())

    def change_committee(
        self, change: CommitteeChange, signatures: Sequence[bytes], *, sender: LocalAccount
    ) -> Receipt:
        return self.contract.transact(
            sender, "changeCommittee", list(change.members), change.threshold, list(signatures)
        )

    # -- reads ----------------------------------------------------------------------------------------------------

    def committee(self) -> tuple[list[str], int]:
        members, threshold = self.contract.call("committee")
        return list(members), int(threshold)

    def committee_nonce(self) -> int:
        return int(self.contract.call("committeeNonce"))

    def pledge_of(self, pledge_id: bytes) -> PledgeRecord:
        bill_id, owner, status, expiry, dest_chain, dest_registry, recipient = self.contract.call("pledgeOf", pledge_id)
        return PledgeRecord(
            pledge_id, bill_id, owner, PledgeStatus(status), expiry, dest_chain, dest_registry, recipient
        )

    def is_claimed(self, pledge_id: bytes) -> bool:
        return bool(self.contract.call("isClaimed", pledge_id))

    def provenance(self, bill: DocumentRef) -> Provenance:
        pledge_id, chain_id, registry, source_id, digest = self.contract.call("provenanceOf", title_id(bill))
        return Provenance(bytes(pledge_id), chain_id, registry, source_id, bytes(digest))

    def departure_of(self, bill: DocumentRef) -> bytes | None:
        """The Confirmed pledge under which ``bill`` left this chain and has not come back, or None."""
        pledge_id = bytes(self.contract.call("departureOf", title_id(bill)))
        return pledge_id if any(pledge_id) else None

    def pledge_digest(self, attestation: PledgeAttestation) -> bytes:
        """The digest this bridge verifies for ``attestation`` (to check the Python encoding against Solidity)."""
        return bytes(self.contract.call("pledgeDigest", attestation.as_tuple()))

    def holds_lock(self, bill: DocumentRef) -> bool:
        """Whether ``bill`` here is locked by this bridge (pending or confirmed): it cannot move on this chain."""
        return self.registry.locker_of(bill) == self.address
