"""Signed financier requests to the document store (EIP-712).

A financier asks for documents with a ``DocumentRequest`` message signed with its own key: financier, owner,
document hashes, purpose, nonce and deadline, under the domain ``ConsentRegistry`` / ``1`` with the chain id and
the consent registry's address as the verifying contract. The store (:meth:`DocumentStore.serve
<tradefin.data.store.DocumentStore.serve>`) serves it only if it was signed for its chain and its registry, before
the deadline (judged at the block time the consent is read at), by the financier it names (the consent's grantee),
with a nonce not used before; then each document only under the owner's live consent and intact anchor.

A request travels as JSON (:meth:`SignedDocumentRequest.to_json`), so a financier can sign it where its key is
and hand it to whoever runs the store.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_keys.exceptions import BadSignature
from eth_utils import to_checksum_address
from eth_utils.exceptions import ValidationError

from tradefin.data.consent import document_hash, purpose_code
from tradefin.errors import TradefinError
from tradefin.transactions.eip712 import typed_message

DOMAIN_NAME = "ConsentRegistry"
DOMAIN_VERSION = "1"
PRIMARY_TYPE = "DocumentRequest"
FIELDS = [
    {"name": "financier", "type": "address"},
    {"name": "owner", "type": "address"},
    {"name": "documents", "type": "bytes32[]"},
    {"name": "purpose", "type": "bytes32"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


@dataclass(frozen=True)
class DocumentRequest:
    """What a financier asks the store for (the signed message and its domain)."""

    financier: str
    """The requester: must be the signer, and the grantee of the owner's consent."""
    owner: str
    """The data owner whose documents are asked for."""
    documents: tuple[bytes, ...]
    """The documents' 32-byte hashes (as anchored)."""
    purpose: bytes
    """The 32-byte purpose code the consent was granted for."""
    nonce: int
    """Any unused uint256 of the financier's (random by default); the store refuses one it has seen."""
    deadline: int
    """Last second (unix, inclusive, judged against the block time) the store may serve the request."""
    chain_id: int
    """The chain of the consent registry (EIP-712 domain)."""
    registry: str
    """The consent registry's address (EIP-712 verifying contract)."""

    def typed_data(self) -> dict[str, Any]:
        """The full EIP-712 message."""
        message = {
            "financier": self.financier,
            "owner": self.owner,
            "documents": list(self.documents),
            "purpose": self.purpose,
            "nonce": self.nonce,
            "deadline": self.deadline,
        }
        return typed_message(
            PRIMARY_TYPE,
            FIELDS,
            message,
            name=DOMAIN_NAME,
            version=DOMAIN_VERSION,
            chain_id=self.chain_id,
            contract=self.registry,
        )


@dataclass(frozen=True)
class SignedDocumentRequest:
    """A request with the financier's EIP-712 signature."""

    request: DocumentRequest
    signature: bytes

    def signer(self) -> str | None:
        """The address the signature recovers to under the request's own domain; None if it is malformed."""
        try:
            message = encode_typed_data(full_message=self.request.typed_data())
            return str(Account.recover_message(message, signature=self.signature))
        # a malformed signature or message recovers nobody
        except (ValueError, TypeError, IndexError, ValidationError, BadSignature):
            return None

    def to_json(self) -> dict[str, Any]:
        r = self.request
        return {
            "financier": r.financier,
            "owner": r.owner,
            "documents": ["0x" + d.hex() for d in r.documents],
            "purpose": "0x" + r.purpose.hex(),
            "nonce": str(r.nonce),
            "deadline": r.deadline,
            "chainId": r.chain_id,
            "registry": r.registry,
            "signature": "0x" + self.signature.hex(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignedDocumentRequest:
        try:
            request = DocumentRequest(
                financier=to_checksum_address(data["financier"]),
                owner=to_checksum_address(data["owner"]),
                documents=tuple(document_hash(d) for d in data["documents"]),
                purpose=purpose_code(str(data["purpose"])),
                nonce=int(data["nonce"]),
                deadline=int(data["deadline"]),
                chain_id=int(data["chainId"]),
                registry=to_checksum_address(data["registry"]),
            )
            signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
        except (KeyError, TypeError, ValueError) as exc:
            raise TradefinError(f"not a signed document request: {exc}") from None
        return cls(request, signature)


def sign_document_request(
    account: LocalAccount,
    *,
    owner: str,
    documents: Sequence[bytes | str],
    purpose: str | bytes,
    chain_id: int,
    registry: str,
    deadline: int,
    nonce: int | None = None,
) -> SignedDocumentRequest:
    """``account`` (the financier) signs a request for ``owner``'s ``documents`` for ``purpose``, valid until
    ``deadline`` on chain ``chain_id`` against consent registry ``registry``; a random nonce unless one is given."""
    if not documents:
        raise TradefinError("a document request names at least one document")
    request = DocumentRequest(
        financier=account.address,
        owner=to_checksum_address(owner),
        documents=tuple(document_hash(d) for d in documents),
        purpose=purpose_code(purpose),
        nonce=secrets.randbits(256) if nonce is None else nonce,
        deadline=deadline,
        chain_id=chain_id,
        registry=to_checksum_address(registry),
    )
    signed = account.sign_message(encode_typed_data(full_message=request.typed_data()))
    return SignedDocumentRequest(request, bytes(signed.signature))
