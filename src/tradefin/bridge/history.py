"""A bill's history hash: one bytes32 over its chain of title on one registry, recomputed by every member."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_abi import encode
from eth_utils import keccak

from tradefin.ebl.history import TitleEntry

if TYPE_CHECKING:
    from tradefin.ebl.registry import DocumentRef, TitleRegistry

_ENTRY_TYPES = [
    "bytes32",  # previous hash
    "bytes32",  # keccak(action)
    "address",  # actor
    "address",  # counterparty
    "address",  # beneficiary after
    "address",  # holder after
    "uint8",  # status after
    "uint256",  # block
    "bytes32",  # transaction hash
    "uint256",  # log index
    "bytes32",  # keccak(remark)
]


def entry_hash(previous: bytes, entry: TitleEntry) -> bytes:
    """Fold one chain-of-title entry into the running hash."""
    return keccak(
        encode(
            _ENTRY_TYPES,
            [
                previous,
                keccak(text=entry.action),
                entry.actor,
                entry.counterparty,
                entry.beneficiary,
                entry.holder,
                int(entry.status),
                entry.block,
                bytes.fromhex(entry.tx_hash.removeprefix("0x")),
                entry.log_index,
                keccak(entry.remark),
            ],
        )
    )


def history_hash(registry: TitleRegistry, bill: DocumentRef) -> bytes:
    """``keccak`` chain over the bill's history on ``registry``, seeded with (chain id, registry, bill id).

    Every entry up to the latest block counts (for a pledged bill: up to and including its lock), so any member
    reading the same chain gets the same hash."""
    from tradefin.ebl.registry import title_id

    tid = title_id(bill)
    chain_id = registry.contract.transactor.chain.chain_id
    running = keccak(encode(["uint256", "address", "uint256"], [chain_id, registry.address, tid]))
    for entry in registry.history(tid).entries:
        running = entry_hash(running, entry)
    return running
