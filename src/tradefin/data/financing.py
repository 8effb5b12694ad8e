"""Duplicate-financing check: is a bill of lading or an invoice already held by a live financing, on any ledger?

:func:`check_not_financed` asks the financing ledger given, and every other ``FinancingLedger`` this chain's
deployment book knows (plus any listed), on chain, whether the bill (``billKey(registry, id)``) or the invoice
(``invoiceKey(registry, hash)``) is claimed; a live claim raises
:class:`~tradefin.finance.duplicates.AlreadyFinanced` naming the ledger, the claimant contract and the party behind
it (a loan's financier, a letter of credit presentation's examining bank).
The check itself lives in :mod:`tradefin.finance.duplicates`, where the loan and credit clients call it before
every pledge and presentation; this module is its form for a :class:`~tradefin.context.Context`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from tradefin.ebl.registry import DocumentRef, TitleRegistry, title_id
from tradefin.finance import duplicates
from tradefin.finance.duplicates import FinancingCheck, LedgerRef
from tradefin.finance.ledger import FinancingLedger

if TYPE_CHECKING:
    from tradefin.context import Context

__all__ = ["FinancingCheck", "LedgerRef", "check_not_financed", "known_ledgers", "ledgers_of"]


def known_ledgers(ctx: Context) -> list[FinancingLedger]:
    """Every ``FinancingLedger`` recorded in this chain's deployment book (and still live), by name."""
    return duplicates.known_ledgers(ctx.deployments)


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
    """Raise :class:`~tradefin.finance.duplicates.AlreadyFinanced` if bill ``bill_id`` of ``registry`` or
    ``invoice_hash`` is held by a live financing in ``ledger``, in ``ledgers``, or (``include_known``) in any
    ledger of the deployment book."""
    return duplicates.ensure_not_financed(
        ctx.deployments,
        registry if isinstance(registry, str) else registry.address,
        title_id(bill_id),
        invoice_hash,
        ledgers=[ledger, *ledgers],
        include_known=include_known,
    )


def ledgers_of(ctx: Context, refs: Sequence[str]) -> list[FinancingLedger]:
    """Ledger clients for addresses or deployment names (for the CLI)."""
    return [duplicates.resolve_ledger(ctx.deployments, r) for r in refs]
