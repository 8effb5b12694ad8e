"""Transactions: local signing, nonces, batched receipts, revert decoding, contract handles."""

from tradefin.transactions.abi import DecodedEvent, EventDecoder
from tradefin.transactions.contract import Contract, deploy_code
from tradefin.transactions.reverts import RevertDecoder
from tradefin.transactions.sender import NonceManager, PendingTransaction, Receipt, SignedTransaction, Transactor

__all__ = [
    "Contract",
    "DecodedEvent",
    "EventDecoder",
    "NonceManager",
    "PendingTransaction",
    "Receipt",
    "RevertDecoder",
    "SignedTransaction",
    "Transactor",
    "deploy_code",
]
