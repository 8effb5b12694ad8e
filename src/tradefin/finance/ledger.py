"""Typed client of the financing ledger (``contracts/finance/FinancingLedger.sol``): what is financed right now.

A bill of lading is named by its registry and id (:func:`bill_key`), an invoice by the title registry of the bill
financed with it and its hash (:func:`invoice_key`). Finance contracts claim a key before paying out and clear it
when the financing ends; a second live claim fails with ``LedgerAlreadyFinanced`` naming the current claimant.
Invoices are scoped by registry so that a claim made through a fake registry (one named in an attacker's own offer
or credit) cannot block the invoice for good: the duplicate-invoice guarantee holds per registry.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

CONTRACT = "FinancingLedger"
FINANCE_ROLE = keccak(text="FINANCE_ROLE")


class ClaimKind(enum.IntEnum):
    """What a ledger key names (``IFinancingLedger.ClaimKind``)."""

    BILL = 0
    INVOICE = 1


def bill_key(registry: str, bill_id: int) -> bytes:
    """The ledger key of bill ``bill_id`` of title registry ``registry``: ``keccak256(abi.encode(registry, id))``."""
    return keccak(encode(["address", "uint256"], [to_checksum_address(registry), bill_id]))


def invoice_key(registry: str, invoice_hash: bytes) -> bytes:
    """The ledger key of invoice ``invoice_hash`` financed with a bill of title registry ``registry``:
    ``keccak256(abi.encode(registry, invoiceHash))``."""
    if len(invoice_hash) != 32:
        raise TradefinError(f"an invoice hash is 32 bytes, got {len(invoice_hash)}")
    return keccak(encode(["address", "bytes32"], [to_checksum_address(registry), invoice_hash]))


@dataclass(frozen=True)
class Claim:
    """A live claim on a ledger key (``IFinancingLedger.Claim``)."""

    key: bytes
    """The ledger key claimed."""
    claimant: str
    """The finance contract that holds the claim and alone can clear it."""
    kind: ClaimKind
    """Whether the key names a bill or an invoice."""
    since: int
    """Block timestamp of the claim."""
    financing_id: bytes
    """The claimant's reference (for a loan contract: the loan id as 32 bytes)."""

    @classmethod
    def from_view(cls, key: bytes, raw: Any) -> Claim | None:
        claimant, kind, since, financing_id = raw
        if claimant == ZERO_ADDRESS:
            return None
        return cls(key=key, claimant=claimant, kind=ClaimKind(kind), since=since, financing_id=financing_id)


class FinancingLedger:
    """The register of what is financed: one per deployment of finance contracts."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    @classmethod
    def deploy(
        cls,
        ctx: Context,
        admin: LocalAccount,
        *,
        admin_delay: int = 0,
        deployment_name: str | None = None,
    ) -> FinancingLedger:
        """Deploy a ledger administered by ``admin`` (two-step admin handover after ``admin_delay`` seconds)."""
        contract = ctx.deployments.deploy(admin, CONTRACT, admin.address, admin_delay, name=deployment_name or CONTRACT)
        return cls(contract)

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> FinancingLedger:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name))

    # -- admin ----------------------------------------------------------------------------------------------------

    def authorise(self, finance_contract: str, *, sender: LocalAccount) -> Receipt:
        """Let ``finance_contract`` claim keys (grant FINANCE_ROLE); ``sender`` is the ledger's admin."""
        return self.contract.transact(sender, "grantRole", FINANCE_ROLE, finance_contract)

    def revoke(self, finance_contract: str, *, sender: LocalAccount) -> Receipt:
        """Stop ``finance_contract`` from opening claims; it can still clear the claims it holds."""
        return self.contract.transact(sender, "revokeRole", FINANCE_ROLE, finance_contract)

    def is_authorised(self, finance_contract: str) -> bool:
        return bool(self.contract.call("hasRole", FINANCE_ROLE, finance_contract))

    # -- claims (for an authorised account acting directly) -------------------------------------------------------

    def claim(self, kind: ClaimKind, key: bytes, financing_id: bytes, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "claim", int(kind), key, financing_id)

    def clear(self, kind: ClaimKind, key: bytes, financing_id: bytes, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "clear", int(kind), key, financing_id)

    # -- reads ----------------------------------------------------------------------------------------------------

    def financed_by(self, key: bytes) -> Claim | None:
        """The live claim on ``key``, or None when it is not financed."""
        return Claim.from_view(key, self.contract.call("financedBy", key))

    def claim_of(self, kind: ClaimKind, key: bytes) -> Claim | None:
        """The live claim of ``kind`` on ``key`` (bills and invoices are separate namespaces), or None."""
        return Claim.from_view(key, self.contract.call("claimOf", int(kind), key))

    def bill_claim(self, registry: str, bill_id: int) -> Claim | None:
        """The live claim on a bill, or None."""
        return self.claim_of(ClaimKind.BILL, bill_key(registry, bill_id))

    def invoice_claim(self, registry: str, invoice_hash: bytes) -> Claim | None:
        """The live claim on an invoice financed with a bill of ``registry``, or None."""
        return self.claim_of(ClaimKind.INVOICE, invoice_key(registry, invoice_hash))

    def is_financed(self, key: bytes) -> bool:
        return bool(self.contract.call("isFinanced", key))

    def bill_key(self, registry: str, bill_id: int) -> bytes:
        """The key the contract computes (equal to :func:`bill_key`)."""
        return bytes(self.contract.call("billKey", registry, bill_id))

    def invoice_key(self, registry: str, invoice_hash: bytes) -> bytes:
        """The key the contract computes (equal to :func:`invoice_key`)."""
        return bytes(self.contract.call("invoiceKey", registry, invoice_hash))
