"""Duplicate-financing check: is a bill of lading or an invoice already held by a live financing, on any ledger?

:func:`check_not_financed` asks the financing ledger given, and every other ``FinancingLedger`` this chain's
deployment book knows (plus any listed), on chain, whether the bill (``billKey(registry, id)``) or the invoice hash
is claimed; a live claim raises :class:`~tradefin.data.errors.AlreadyFinanced` naming the ledger, the claimant
contract and, when the claimant is a loan contract, the financier holding the loan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eth_abi.exceptions import DecodingError
from eth_utils import keccak, to_checksum_address

from tradefin.data.errors import AlreadyFinanced
from tradefin.ebl.registry import DocumentRef, TitleRegistry, title_id
from tradefin.errors import TradefinError
from tradefin.finance.ledger import CONTRACT as LEDGER_CONTRACT
from tradefin.finance.ledger import Claim, FinancingLedger, bill_key, invoice_key

if TYPE_CHECKING:
    from tradefin.context import Context

LOAN_CONTRACT = "TitleLoan"

LedgerRef = FinancingLedger | str
"""A ledger client, an address, or a deployment name on the context's chain."""


@dataclass(frozen=True)
class FinancingCheck:
    """A passed check: what was asked, and of which ledgers."""

    bill_key: bytes
    invoice_key: bytes | None
    ledgers: tuple[str, ...]
    """Addresses of the ledgers that said "not financed", in the order asked."""


def known_ledgers(ctx: Context) -> list[FinancingLedger]:
    """Every ``FinancingLedger`` recorded in this chain's deployment book (and still live), by name."""
    found = []
    for name, record in sorted(ctx.deployments.records().items()):
        if record.contract == LEDGER_CONTRACT and _live(ctx, record.address, record.code_hash):
            found.append(FinancingLedger.at(ctx, record.address, name=name))
    return found


def _live(ctx: Context, address: str, code_hash: str) -> bool:
    """Whether the recorded code is at ``address`` (a reverted dev chain may have lost it, or put another there)."""
    code = ctx.chain.code(address)
    return bool(code) and "0x" + bytes(keccak(code)).hex() == code_hash


def _ledger(ctx: Context, ref: LedgerRef) -> FinancingLedger:
    if isinstance(ref, FinancingLedger):
        return ref
    if ref.startswith("0x"):
        return FinancingLedger.at(ctx, to_checksum_address(ref))
    return FinancingLedger(ctx.deployments.at(ref))


def check_not_financed(
    ctx: Context,
    ledger: LedgerRef,
    registry: TitleRegistry | str,
    bill_id: DocumentRef,
    invoice_hash: bytes | None = None,
    *,
    ledgers: Iterable[LedgerRef] = (),
    include_known: bool = True,
) -> FinancingCheck:
    """Raise :class:`AlreadyFinanced` if bill ``bill_id`` of ``registry`` or ``invoice_hash`` is held by a live
    financing in ``ledger``, in ``ledgers``, or (``include_known``) in any ledger of the deployment book."""
    registry_address = to_checksum_address(registry if isinstance(registry, str) else registry.address)
    bid = title_id(bill_id)
    keys: list[tuple[str, bytes]] = [
        (f"bill {bid:#066x} of registry {registry_address}", bill_key(registry_address, bid))
    ]
    inv = None
    if invoice_hash is not None:
        inv = invoice_key(invoice_hash)
        keys.append((f"invoice 0x{inv.hex()}", inv))
    asked: list[FinancingLedger] = []
    candidates: list[LedgerRef] = [ledger, *ledgers]
    candidates.extend(known_ledgers(ctx) if include_known else ())
    for ref in candidates:
        book = _ledger(ctx, ref)
        if book.address in {a.address for a in asked}:
            continue
        asked.append(book)
        for what, key in keys:
            claim = book.financed_by(key)
            if claim is not None:
                holder = _financier(ctx, claim)
                raise AlreadyFinanced(
                    _message(ctx, what, book, claim, holder), ledger=book.address, claim=claim, holder=holder
                )
    return FinancingCheck(keys[0][1], inv, tuple(b.address for b in asked))


def _label(ctx: Context, address: str) -> str:
    """``TitleLoan 0x...`` for a recorded deployment, ``0x... (financier)`` for a dev role, else the address."""
    for name, record in ctx.deployments.records().items():
        if record.address == address:
            return f"{name} {address}"
    if ctx.accounts.is_dev:
        from tradefin.chain.accounts import ROLES, dev_account

        for i, role in enumerate(ROLES):
            if dev_account(i).address == address:
                return f"{address} ({role})"
    return address


def _financier(ctx: Context, claim: Claim) -> str | None:
    """The financier behind a claim held by a loan contract (one recorded as ``TitleLoan``, or any contract that
    answers TitleLoan's ``loan``); the claimant itself if it is an account; None if it cannot be told."""
    from tradefin.finance.loan import TitleLoans

    if not ctx.chain.code(claim.claimant):
        return claim.claimant
    try:
        loan = TitleLoans.at(ctx, claim.claimant).loan(int.from_bytes(claim.financing_id, "big"))
    except (TradefinError, DecodingError, ValueError):
        return None
    return loan.financier if int(loan.financier, 16) else None


def _message(ctx: Context, what: str, book: FinancingLedger, claim: Claim, holder: str | None) -> str:
    since = dt.datetime.fromtimestamp(claim.since, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (
        f"{what} is already financed: ledger {_label(ctx, book.address)} holds a live {claim.kind.name.lower()} "
        f"claim by {_label(ctx, claim.claimant)} (financing 0x{claim.financing_id.hex()}) since {since}"
    )
    if holder is not None and holder != claim.claimant:
        text += f"; financier {_label(ctx, holder)}"
    return text


def ledgers_of(ctx: Context, refs: Sequence[str]) -> list[FinancingLedger]:
    """Ledger clients for addresses or deployment names (for the CLI)."""
    return [_ledger(ctx, r) for r in refs]
