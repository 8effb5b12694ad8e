"""Receipts of many transactions in flight, learned block by block instead of hash by hash.

Asking after every pending hash on every look costs the node (and Python) one receipt lookup per transaction per
look: a pipelined run of hundreds of transactions looked about nine times at each. A :class:`BlockScanner` asks
for the head block number, then for the receipts of each new block (``eth_getBlockReceipts``), so each mined
transaction is read once. Nodes without ``eth_getBlockReceipts`` (or a chain that moved backwards) are asked
hash by hash, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from tradefin.transactions.sender import PendingTransaction, Receipt, Transactor

log = logging.getLogger("tradefin.transactions")

BLOCKS_PER_LOOK = 256
"""At most this many new blocks' receipts are fetched in one batch (the rest on the next look)."""

HASH_LOOK_SECONDS = 2.0
"""With nothing found for this long, one look goes hash by hash (then again after as long): a safety net for
blocks a scan cannot see (a chain reverted and regrown past the scanned height between two looks)."""

_UNSUPPORTED = (-32601, -32004)  # method not found / not supported


class BlockScanner:
    """Finds the receipts of transactions sent after it was created, reading each new block's receipts once.

    A transaction must be among the ``pending`` of every look from the first one after it is broadcast: receipts
    of blocks already scanned are not kept (other parties' transactions would pile up)."""

    def __init__(self, transactor: Transactor) -> None:
        self.transactor = transactor
        self.chain = transactor.chain
        self.scanned = int(self.chain.rpc("eth_blockNumber"), 16)
        self.by_block = True
        self._last_look = time.monotonic()
        """When a look last found something or went hash by hash."""

    def poll(self, pending: Sequence[PendingTransaction]) -> list[Receipt | None]:
        """Each of ``pending``'s receipt if it is mined, else None (like :meth:`Transactor.poll`)."""
        if not pending:
            return []
        mined: dict[str, dict[str, Any]] = {}
        now = time.monotonic()
        if now - self._last_look > HASH_LOOK_SECONDS or not self._scan(mined):
            receipts = self.transactor.poll(pending)
            self._last_look = now
        else:
            receipts = [Receipt.from_rpc(raw) if (raw := mined.get(p.tx_hash.lower())) else None for p in pending]
        if any(receipts):
            self._last_look = now
        return receipts

    def _scan(self, mined: dict[str, dict[str, Any]]) -> bool:
        """The receipts of the blocks mined since the last look into ``mined`` (by lower-case hash, as tradefin
        writes hashes); False if this look must go hash by hash instead."""
        head = int(self.chain.rpc("eth_blockNumber"), 16)
        if head < self.scanned:  # the chain moved back (a snapshot reverted, a reorganisation): start again there
            log.debug("head %d is behind scanned block %d; asking hash by hash", head, self.scanned)
            self.scanned = head
            return False
        last = min(head, self.scanned + BLOCKS_PER_LOOK)
        numbers = range(self.scanned + 1, last + 1)
        replies = self.chain.rpc_batch([("eth_getBlockReceipts", [hex(n)]) for n in numbers])
        for number, reply in zip(numbers, replies, strict=True):
            if "error" in reply:
                if reply["error"].get("code") in _UNSUPPORTED:
                    log.debug("%s has no eth_getBlockReceipts; asking hash by hash", self.chain.name)
                    self.by_block = False
                    return False
                break  # retried on the next look
            receipts: list[dict[str, Any]] | None = reply.get("result")
            if receipts is None:  # not available yet
                break
            for raw in receipts:
                mined[str(raw["transactionHash"]).lower()] = raw
            self.scanned = number
        return True
