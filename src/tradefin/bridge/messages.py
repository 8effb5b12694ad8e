"""EIP-712 attestations of the bridge committee: each member signs with its own key over one bridge's domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tradefin.ebl.types import ConsignmentForm, DocumentKind
from tradefin.errors import TradefinError
from tradefin.transactions.eip712 import typed_message

DOMAIN_NAME = "TitleBridge"
DOMAIN_VERSION = "1"

PLEDGE_TYPE = [
    {"name": "pledgeId", "type": "bytes32"},
    {"name": "sourceChainId", "type": "uint256"},
    {"name": "sourceRegistry", "type": "address"},
    {"name": "destinationChainId", "type": "uint256"},
    {"name": "destinationRegistry", "type": "address"},
    {"name": "billId", "type": "uint256"},
    {"name": "documentHash", "type": "bytes32"},
    {"name": "historyHash", "type": "bytes32"},
    {"name": "recipient", "type": "address"},
    {"name": "expiry", "type": "uint64"},
    {"name": "kind", "type": "uint8"},
    {"name": "form", "type": "uint8"},
    {"name": "shippedOnBoardDate", "type": "uint64"},
]


@dataclass(frozen=True)
class BridgeDomain:
    """The EIP-712 domain of one bridge: an attestation verifies only there."""

    chain_id: int
    bridge: str


@dataclass(frozen=True)
class PledgeAttestation:
    """What the committee attests about a pledge on its source chain (``ITitleBridge.Pledge``)."""

    pledge_id: bytes
    source_chain_id: int
    source_registry: str
    destination_chain_id: int
    destination_registry: str
    bill_id: int
    document_hash: bytes
    history_hash: bytes
    recipient: str
    expiry: int
    kind: DocumentKind
    form: ConsignmentForm
    shipped_on_board_date: int

    def as_tuple(self) -> tuple[Any, ...]:
        """The ``Pledge`` struct argument of ``claim``."""
        return (
            self.pledge_id,
            self.source_chain_id,
            self.source_registry,
            self.destination_chain_id,
            self.destination_registry,
            self.bill_id,
            self.document_hash,
            self.history_hash,
            self.recipient,
            self.expiry,
            int(self.kind),
            int(self.form),
            self.shipped_on_board_date,
        )

    def typed_data(self, domain: BridgeDomain) -> dict[str, Any]:
        names = [field["name"] for field in PLEDGE_TYPE]
        return _full("Pledge", PLEDGE_TYPE, dict(zip(names, self.as_tuple(), strict=True)), domain)


@dataclass(frozen=True)
class ClaimedAttestation:
    """The pledge was claimed on its destination: the source bill becomes final (``Claimed(bytes32 pledgeId)``)."""

    pledge_id: bytes

    def typed_data(self, domain: BridgeDomain) -> dict[str, Any]:
        return _full("Claimed", [{"name": "pledgeId", "type": "bytes32"}], {"pledgeId": self.pledge_id}, domain)


@dataclass(frozen=True)
class NotClaimedAttestation:
    """The pledge expired unclaimed on its destination (``NotClaimed(bytes32 pledgeId)``)."""

    pledge_id: bytes

    def typed_data(self, domain: BridgeDomain) -> dict[str, Any]:
        return _full("NotClaimed", [{"name": "pledgeId", "type": "bytes32"}], {"pledgeId": self.pledge_id}, domain)


@dataclass(frozen=True)
class CommitteeChange:
    """A new committee, approved by the current one (``CommitteeChange(address[],uint256,uint256)``)."""

    members: tuple[str, ...]
    threshold: int
    nonce: int

    def typed_data(self, domain: BridgeDomain) -> dict[str, Any]:
        fields = [
            {"name": "members", "type": "address[]"},
            {"name": "threshold", "type": "uint256"},
            {"name": "nonce", "type": "uint256"},
        ]
        message = {"members": list(self.members), "threshold": self.threshold, "nonce": self.nonce}
        return _full("CommitteeChange", fields, message, domain)


Attestation = PledgeAttestation | ClaimedAttestation | NotClaimedAttestation | CommitteeChange
"""Every message the committee signs."""


def _full(primary: str, fields: list[dict[str, str]], message: dict[str, Any], domain: BridgeDomain) -> dict[str, Any]:
    return typed_message(
        primary,
        fields,
        message,
        name=DOMAIN_NAME,
        version=DOMAIN_VERSION,
        chain_id=domain.chain_id,
        contract=to_checksum_address(domain.bridge),
    )


def sign_attestation(member: LocalAccount, attestation: Attestation, domain: BridgeDomain) -> bytes:
    """``member``'s 65-byte EIP-712 signature over ``attestation`` for the bridge of ``domain``."""
    signed = member.sign_message(encode_typed_data(full_message=attestation.typed_data(domain)))
    return bytes(signed.signature)


def attestation_signer(attestation: Attestation, domain: BridgeDomain, signature: bytes) -> str:
    """Who signed ``signature`` over ``attestation`` (to check a member's signature before relaying it)."""
    return str(
        Account.recover_message(encode_typed_data(full_message=attestation.typed_data(domain)), signature=signature)
    )


class Committee:
    """The members' keys in one place (tests, single-operator setups); each member still signs for itself."""

    def __init__(self, members: Iterable[LocalAccount], threshold: int) -> None:
        self.members = list(members)
        if not 1 <= threshold <= len(self.members):
            raise TradefinError(f"a committee of {len(self.members)} needs 1 <= threshold <= size, got {threshold}")
        self.threshold = threshold

    @property
    def addresses(self) -> list[str]:
        return [m.address for m in self.members]

    def sign(
        self, attestation: Attestation, domain: BridgeDomain, *, signers: Sequence[LocalAccount] | None = None
    ) -> list[bytes]:
        """Signatures of ``signers`` (default: the first ``threshold`` members), sorted by signer address."""
        chosen = list(signers) if signers is not None else self.members[: self.threshold]
        chosen.sort(key=lambda m: int(m.address, 16))
        return [sign_attestation(m, attestation, domain) for m in chosen]
