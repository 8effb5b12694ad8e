"""Duplicate-financing check: is a bill of lading or an invoice already held by a live financing, on any ledger?

:func:`ensure_not_financed` asks, on chain, the financing ledgers given and every other ``FinancingLedger`` this
chain's deployment book records (``deployments/<chain-id>.json``) whether the bill (``billKey(registry, id)``, as a
bill) or the invoice (``invoiceKey(registry, hash)``, as an invoice: the same invoice under another registry is
another key) is claimed. A live claim raises :class:`AlreadyFinanced` naming the ledger, the claimant contract and
the party behind it (the financier of a loan, the examining bank of a letter of credit's presentation, or the
account that claimed directly). The loan and credit clients call it before they send a pledge or a presentation,
so a duplicate is refused before any transaction is signed; the contracts' own claims
in their ledger (``LedgerAlreadyFinanced``) stay the on-chain guarantee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eth_abi.exceptions import DecodingError
from eth_utils import to_checksum_address

from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.errors import TradefinError
from tradefin.finance.ledger import CONTRACT as LEDGER_CONTRACT
from tradefin.finance.ledger import Claim, ClaimKind, FinancingLedger, bill_key, invoice_key
from tradefin.transactions.contract import Contract

if TYPE_CHECKING:
    from tradefin.deployments import Deployments

LedgerRef = FinancingLedger | str
"""A ledger client, an address, or a deployment name on the deployment book's chain."""

PRESENTATION_BITS = 32
"""A letter of credit names a presentation in the ledger as ``bytes32(creditId << 32 | presentationId)``."""


class AlreadyFinanced(TradefinError):
    """The bill or the invoice is held by a live financing: a second financing would be a duplicate. Wait until
    that financing ends (repaid, honoured, returned), or finance something else."""

    def __init__(self, message: str, *, ledger: str, claim: Claim, holder: str | None) -> None:
        self.ledger = ledger
        """The ledger holding the conflicting claim."""
        self.claim = claim
        """The conflicting claim (claimant contract, kind, since, financing id)."""
        self.holder = holder
        """The party behind the claim: a loan's financier, a presentation's examining bank, the account that
        claimed directly; None when it cannot be told."""
        super().__init__(message)


@dataclass(frozen=True)
class FinancingCheck:
    """A passed check: what was asked, and of which ledgers."""

    bill_key: bytes
    """The bill's ledger key (``billKey(registry, id)``)."""
    invoice_key: bytes | None
    """The invoice's ledger key (``invoiceKey(registry, hash)``), None when no invoice was asked about."""
    ledgers: tuple[str, ...]
    """Addresses of the ledgers that said "not financed", in the order asked."""


def credit_financing_id(credit_id: int, presentation_id: int) -> bytes:
    """How a letter-of-credit contract names a presentation in its financing ledger."""
    return ((credit_id << PRESENTATION_BITS) | presentation_id).to_bytes(32, "big")


def ledger_at(deployments: Deployments, address: str, name: str = LEDGER_CONTRACT) -> FinancingLedger:
    """A ledger client for ``address`` on the deployment book's chain."""
    abi = deployments.build[LEDGER_CONTRACT].abi
    return FinancingLedger(Contract(deployments.transactor, to_checksum_address(address), abi, name))


def known_ledgers(deployments: Deployments) -> list[FinancingLedger]:
    """Every ``FinancingLedger`` recorded in this chain's deployment book (and still live), by name."""
    found = []
    for name, record in sorted(deployments.records().items()):
        if record.contract == LEDGER_CONTRACT and _live(deployments, record.address, record.code_hash):
            found.append(ledger_at(deployments, record.address, name))
    return found


def _live(deployments: Deployments, address: str, code_hash: str) -> bool:
    """Whether the recorded code is at ``address`` (a reverted dev chain may have lost it, or put another there)."""
    return deployments.is_live(address, code_hash)


def resolve_ledger(deployments: Deployments, ref: LedgerRef) -> FinancingLedger:
    """A ledger client for a client, an address or a deployment name."""
    if isinstance(ref, FinancingLedger):
        return ref
    if ref.startswith("0x"):
        return ledger_at(deployments, ref)
    return FinancingLedger(deployments.at(ref))


def ensure_not_financed(
    deployments: Deployments,
    registry: str,
    bill_id: int,
    invoice_hash: bytes | None = None,
    *,
    ledgers: Iterable[LedgerRef] = (),
    include_known: bool = True,
) -> FinancingCheck:
    """Raise :class:`AlreadyFinanced` if bill ``bill_id`` of ``registry`` or ``invoice_hash`` is held by a live
    financing in ``ledgers`` or (``include_known``) in any ledger of the deployment book; else what was asked."""
    registry_address = to_checksum_address(registry)
    keys: list[tuple[str, ClaimKind, bytes]] = [
        (f"bill {bill_id:#066x} of registry {registry_address}", ClaimKind.BILL, bill_key(registry_address, bill_id))
    ]
    inv = None
    if invoice_hash is not None:
        inv = invoice_key(registry_address, invoice_hash)
        keys.append((f"invoice 0x{invoice_hash.hex()} under registry {registry_address}", ClaimKind.INVOICE, inv))
    candidates: list[LedgerRef] = list(ledgers)
    if include_known:
        candidates.extend(known_ledgers(deployments))
    asked: list[FinancingLedger] = []
    for ref in candidates:
        book = resolve_ledger(deployments, ref)
        if any(book.address == a.address for a in asked):
            continue
        asked.append(book)
        for what, kind, key in keys:
            claim = book.claim_of(kind, key)
            if claim is not None:
                holder = _holder(deployments, claim)
                raise AlreadyFinanced(
                    _message(deployments, what, book, claim, holder), ledger=book.address, claim=claim, holder=holder
                )
    return FinancingCheck(keys[0][2], inv, tuple(b.address for b in asked))


def _holder(deployments: Deployments, claim: Claim) -> str | None:
    """The party behind a claim: the claimant itself if it is an account; the financier of a loan contract's loan;
    the examining bank of a credit contract's presentation; None if it cannot be told."""
    chain = deployments.transactor.chain
    if not chain.code(claim.claimant):
        return claim.claimant
    name = deployments.name_of(claim.claimant)
    record = deployments.record(name) if name is not None else None
    readers = (_loan_financier, _presentation_examiner)
    if record is not None and record.contract == "DocumentaryCredit":
        readers = (_presentation_examiner, _loan_financier)
    for read in readers:
        try:
            found = read(deployments, claim)
        except (TradefinError, DecodingError, ValueError):
            continue
        return found if found != ZERO_ADDRESS else None
    return None


def _loan_financier(deployments: Deployments, claim: Claim) -> str:
    from tradefin.finance.loan import CONTRACT, TitleLoans

    loans = TitleLoans(Contract(deployments.transactor, claim.claimant, deployments.build[CONTRACT].abi, CONTRACT))
    return loans.loan(int.from_bytes(claim.financing_id, "big")).financier


def _presentation_examiner(deployments: Deployments, claim: Claim) -> str:
    from tradefin.finance.credit import CONTRACT, DocumentaryCredit

    abi = deployments.build[CONTRACT].abi
    credits = DocumentaryCredit(Contract(deployments.transactor, claim.claimant, abi, CONTRACT))
    reference = int.from_bytes(claim.financing_id, "big")
    credit_id, presentation_id = reference >> PRESENTATION_BITS, reference & (2**PRESENTATION_BITS - 1)
    return credits.presentation(credit_id, presentation_id).examiner


def label(deployments: Deployments, address: str) -> str:
    """``TitleLoan 0x...`` for a recorded deployment, ``0x... (financier)`` for a dev role, else the address."""
    name = deployments.name_of(address)
    if name is not None:
        return f"{name} {address}"
    if deployments.transactor.chain.is_dev:
        from tradefin.chain.accounts import ROLES, dev_account

        for i, role in enumerate(ROLES):
            if dev_account(i).address == address:
                return f"{address} ({role})"
    return address


def _message(deployments: Deployments, what: str, book: FinancingLedger, claim: Claim, holder: str | None) -> str:
    since = dt.datetime.fromtimestamp(claim.since, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (
        f"{what} is already financed: ledger {label(deployments, book.address)} holds a live "
        f"{claim.kind.name.lower()} claim by {label(deployments, claim.claimant)} "
        f"(financing 0x{claim.financing_id.hex()}) since {since}"
    )
    if holder is not None and holder != claim.claimant:
        text += f"; held for {label(deployments, holder)}"
    return text
