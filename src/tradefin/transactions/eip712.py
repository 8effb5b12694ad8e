"""EIP-712 typed messages as eth-account signs them: the one domain shape every tradefin contract uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
"""The ``EIP712Domain`` of every tradefin contract (and of OpenZeppelin's ERC-2612 permits)."""


def typed_message(
    primary: str,
    fields: Sequence[Mapping[str, str]],
    message: Mapping[str, Any],
    *,
    name: str,
    version: str,
    chain_id: int,
    contract: str,
) -> dict[str, Any]:
    """The full message for ``eth_account.messages.encode_typed_data(full_message=...)``: ``primary`` with
    ``fields`` and values ``message``, under the domain (name, version, chain id, verifying contract)."""
    return {
        "types": {"EIP712Domain": DOMAIN_FIELDS, primary: list(fields)},
        "primaryType": primary,
        "domain": {"name": name, "version": version, "chainId": chain_id, "verifyingContract": contract},
        "message": dict(message),
    }
