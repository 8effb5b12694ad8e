"""EIP-712 signed title requests: signed by a party, relayed by anyone, bound to chain, registry, nonce, deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount

from tradefin.transactions.eip712 import typed_message

DOMAIN_NAME = "TitleRegistry"
DOMAIN_VERSION = "1"

_COMMON = [
    {"name": "id", "type": "uint256"},
]
_TAIL = [
    {"name": "remark", "type": "bytes"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]

ACTIONS: dict[str, tuple[str, str, str]] = {
    # primary type: (signer field, target field, registry function)
    "TransferHolder": ("holder", "newHolder", "transferHolderWithSig"),
    "TransferBeneficiary": ("holder", "newBeneficiary", "transferBeneficiaryWithSig"),
    "Nominate": ("beneficiary", "nominee", "nominateWithSig"),
}


@dataclass(frozen=True)
class SignedTitleRequest:
    """A party's signed instruction; any relayer may submit it once before ``deadline``."""

    action: str
    id: int
    signer: str
    target: str
    remark: bytes
    nonce: int
    deadline: int
    signature: bytes

    @property
    def function(self) -> str:
        return ACTIONS[self.action][2]

    def call_args(self) -> tuple[Any, ...]:
        return (self.id, self.signer, self.target, self.remark, self.nonce, self.deadline, self.signature)


def typed_data(
    action: str,
    *,
    chain_id: int,
    registry: str,
    title_id: int,
    signer: str,
    target: str,
    remark: bytes,
    nonce: int,
    deadline: int,
) -> dict[str, Any]:
    """The full EIP-712 message for ``action`` (one of :data:`ACTIONS`)."""
    signer_field, target_field, _ = ACTIONS[action]
    fields = [*_COMMON, {"name": signer_field, "type": "address"}, {"name": target_field, "type": "address"}, *_TAIL]
    message = {
        "id": title_id,
        signer_field: signer,
        target_field: target,
        "remark": remark,
        "nonce": nonce,
        "deadline": deadline,
    }
    return typed_message(
        action, fields, message, name=DOMAIN_NAME, version=DOMAIN_VERSION, chain_id=chain_id, contract=registry
    )


def sign_request(
    account: LocalAccount,
    action: str,
    *,
    chain_id: int,
    registry: str,
    title_id: int,
    target: str,
    remark: bytes,
    nonce: int,
    deadline: int,
) -> SignedTitleRequest:
    message = typed_data(
        action,
        chain_id=chain_id,
        registry=registry,
        title_id=title_id,
        signer=account.address,
        target=target,
        remark=remark,
        nonce=nonce,
        deadline=deadline,
    )
    signed = account.sign_message(encode_typed_data(full_message=message))
    return SignedTitleRequest(
        action, title_id, account.address, target, remark, nonce, deadline, bytes(signed.signature)
    )
