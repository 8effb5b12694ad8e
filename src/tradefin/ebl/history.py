"""The chain of title of bills, rebuilt from the registry's events with batched log queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eth_utils import to_checksum_address

from tradefin.ebl.types import ZERO_ADDRESS, Status, SurrenderReason
from tradefin.errors import TradefinError
from tradefin.transactions.abi import DecodedEvent

if TYPE_CHECKING:
    from tradefin.ebl.registry import TitleRegistry

TITLE_EVENTS = (
    "TitleIssued",
    "HolderTransferred",
    "BeneficiaryTransferred",
    "NomineeChanged",
    "HolderTransferRejected",
    "BeneficiaryTransferRejected",
    "EndorsedInBlank",
    "SurrenderRequested",
    "SurrenderAccepted",
    "SurrenderRejected",
    "TitleAmended",
    "TitleLocked",
    "TitleUnlocked",
)
MAX_TOPIC_IDS = 500
"""Above this many bills one query fetches all the registry's events and filters locally."""


@dataclass(frozen=True)
class TitleEntry:
    """One step in a bill's chain of title, with the parties after it."""

    action: str
    actor: str
    counterparty: str
    block: int
    timestamp: int
    tx_hash: str
    log_index: int
    remark: bytes
    beneficiary: str
    holder: str
    status: Status

    @property
    def remark_text(self) -> str:
        return self.remark.decode("utf-8", "replace")


@dataclass
class TitleHistory:
    """A bill's entries in chain order, and the state they lead to."""

    id: int
    entries: list[TitleEntry] = field(default_factory=list)
    superseded_by: int = 0
    amended_from: int = 0

    @property
    def current(self) -> TitleEntry:
        if not self.entries:
            raise TradefinError(f"bill {self.id:#x} has no history on this registry")
        return self.entries[-1]

    def previous_holder(self) -> str:
        """Who passed possession to the current holder (for rejecting that transfer)."""
        for entry in reversed(self.entries):
            if (
                entry.action in ("holder_transferred", "holder_transfer_rejected")
                and entry.holder == self.current.holder
            ):
                return entry.actor
        raise TradefinError(f"bill {self.id:#x}: the current holder did not receive it by a transfer")

    def previous_beneficiary(self) -> str:
        """Who endorsed the title to the current beneficiary."""
        for entry in reversed(self.entries):
            if entry.action in ("beneficiary_transferred", "beneficiary_transfer_rejected") and (
                entry.beneficiary == self.current.beneficiary
            ):
                return entry.actor
        raise TradefinError(f"bill {self.id:#x}: the current beneficiary did not receive it by endorsement")

    def beneficiaries(self) -> list[str]:
        """Every beneficiary in order, without repeats in a row: the chain of endorsements."""
        chain: list[str] = []
        for entry in self.entries:
            if not chain or chain[-1] != entry.beneficiary:
                chain.append(entry.beneficiary)
        return chain


def _apply(history: TitleHistory, event: DecodedEvent, timestamp: int, sender: str) -> None:
    state = history.entries[-1] if history.entries else None
    beneficiary = state.beneficiary if state else ZERO_ADDRESS
    holder = state.holder if state else ZERO_ADDRESS
    status = state.status if state else Status.NONE
    args = event.args
    name = event.name
    actor, counterparty = sender, ZERO_ADDRESS
    if name == "TitleIssued":
        action, beneficiary, holder, status = "issued", args["beneficiary"], args["holder"], Status.ACTIVE
        counterparty = beneficiary
    elif name in ("HolderTransferred", "HolderTransferRejected"):
        action = "holder_transferred" if name == "HolderTransferred" else "holder_transfer_rejected"
        actor, counterparty, holder = args["from"], args["to"], args["to"]
    elif name in ("BeneficiaryTransferred", "BeneficiaryTransferRejected"):
        action = "beneficiary_transferred" if name == "BeneficiaryTransferred" else "beneficiary_transfer_rejected"
        actor, counterparty, beneficiary = args["from"], args["to"], args["to"]
    elif name == "NomineeChanged":
        action, actor, counterparty = "nominated", args["beneficiary"], args["nominee"]
    elif name == "EndorsedInBlank":
        action, actor, counterparty = "endorsed_in_blank", args["endorser"], ZERO_ADDRESS
    elif name == "SurrenderRequested":
        reason = SurrenderReason(args["reason"])
        action, actor = "surrendered", args["surrenderer"]
        status = (
            Status.SURRENDER_PENDING_DELIVERY
            if reason is SurrenderReason.DELIVERY
            else (Status.SURRENDER_PENDING_AMENDMENT)
        )
    elif name == "SurrenderAccepted":
        action, counterparty, status = "surrender_accepted", args["surrenderer"], Status(args["outcome"])
    elif name == "SurrenderRejected":
        action, counterparty, status = "surrender_rejected", args["surrenderer"], Status.ACTIVE
    elif name == "TitleLocked":
        action, actor, counterparty = "encumbered", args["owner"], args["locker"]
    elif name == "TitleUnlocked":
        action, actor = "released", args["locker"]
    else:
        return
    remark = args.get("remark", b"")
    history.entries.append(
        TitleEntry(
            action,
            actor,
            counterparty,
            event.block_number,
            timestamp,
            event.transaction_hash,
            event.log_index,
            remark,
            beneficiary,
            holder,
            status,
        )
    )


def histories(registry: TitleRegistry, ids: Sequence[int] | None, *, from_block: int = 0) -> dict[int, TitleHistory]:
    """Chains of title for ``ids`` (or every bill), from one log query per block chunk and one block batch."""
    contract = registry.contract
    wanted = None if ids is None else set(ids)
    topics: list[Any] = []
    if wanted is not None and len(wanted) <= MAX_TOPIC_IDS:
        topics = [[f"0x{i:064x}" for i in sorted(wanted)]]
    events = contract.get_logs(from_block=from_block, events=TITLE_EVENTS, topics=topics)
    if wanted is not None:
        # amendments also name the new bill (topic 2): fetch those for requested new ids
        amended = [
            e
            for e in contract.get_logs(from_block=from_block, events=["TitleAmended"])
            if e["newId"] in wanted and e["oldId"] not in wanted
        ]
        events = sorted([*events, *amended], key=lambda e: (e.block_number, e.log_index))
    timestamps = _timestamps(registry, {e.block_number for e in events})
    senders = _senders(registry, {e.transaction_hash for e in events})
    result: dict[int, TitleHistory] = {i: TitleHistory(i) for i in (wanted or ())}
    for event in events:
        if event.name == "TitleAmended":
            old, new = event["oldId"], event["newId"]
            if old in result or wanted is None:
                result.setdefault(old, TitleHistory(old)).superseded_by = new
            if new in result or wanted is None:
                result.setdefault(new, TitleHistory(new)).amended_from = old
            continue
        tid = event["id"]
        if wanted is not None and tid not in wanted:
            continue
        _apply(
            result.setdefault(tid, TitleHistory(tid)),
            event,
            timestamps.get(event.block_number, 0),
            senders.get(event.transaction_hash, ZERO_ADDRESS),
        )
    return result


def _timestamps(registry: TitleRegistry, blocks: set[int]) -> dict[int, int]:
    chain = registry.contract.transactor.chain
    ordered = sorted(blocks)
    replies = chain.rpc_batch([("eth_getBlockByNumber", [hex(b), False]) for b in ordered])
    return {b: int((r.get("result") or {}).get("timestamp", "0x0"), 16) for b, r in zip(ordered, replies, strict=True)}


def _senders(registry: TitleRegistry, tx_hashes: set[str]) -> dict[str, str]:
    """Who sent each transaction: the acting party when the event does not name it (issuer, relayer)."""
    chain = registry.contract.transactor.chain
    ordered = sorted(tx_hashes)
    replies = chain.rpc_batch([("eth_getTransactionByHash", [h]) for h in ordered])
    return {
        h: to_checksum_address((r.get("result") or {}).get("from") or ZERO_ADDRESS)
        for h, r in zip(ordered, replies, strict=True)
    }
