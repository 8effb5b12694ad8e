"""The financing ledger the ``lc`` and ``loan`` deploy commands share: found by name or address, checked to be
one, and the role that may grant a contract its FINANCE_ROLE."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from tradefin.cli.money_cmd import labelled, party, role_labels
from tradefin.cli.options import require_contract
from tradefin.errors import ConfigError, TradefinError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from tradefin.context import Context
    from tradefin.finance.ledger import FinancingLedger

DEFAULT_LEDGER = "FinancingLedger"
"""The deployment name both deploy commands use unless told otherwise: one ledger for loans and credits."""


def is_ledger(book: FinancingLedger) -> bool:
    """Whether the contract at ``book`` answers as a financing ledger (a FINANCE_ROLE and the bill key rule)."""
    from tradefin.finance.ledger import FINANCE_ROLE, bill_key

    probe = "0x000000000000000000000000000000000000dEaD"
    try:
        return bytes(book.contract.call("FINANCE_ROLE")) == FINANCE_ROLE and book.bill_key(probe, 1) == bill_key(
            probe, 1
        )
    except (TradefinError, ValueError):
        return False


def live_ledger(ctx: Context, ref: str, *, explicit: bool, option: str) -> FinancingLedger | None:
    """The live ledger ``ref`` (an address or a deployment name) names, whoever administers it. None: a name
    left to its default with no live deployment, to be deployed; any other ``ref`` that names no live ledger is
    one clear error naming ``option``."""
    from tradefin.finance.ledger import CONTRACT as LEDGER
    from tradefin.finance.ledger import FinancingLedger

    if ref.startswith("0x"):
        book = FinancingLedger.at(ctx, require_contract(ctx, party(ctx, ref), "financing ledger"))
        if not is_ledger(book):
            raise ConfigError(f"{book.address} is not a {LEDGER} (it does not answer FINANCE_ROLE and billKey)")
        return book
    record = ctx.deployments.record(ref)
    if record is not None and record.contract != LEDGER:
        raise ConfigError(f"{ref} is a {record.contract} deployment, not a {LEDGER}")
    if record is None or not ctx.deployments.is_live(record.address, record.code_hash):
        if not explicit:
            return None
        where = "nothing named" if record is None else "no live deployment of"
        raise ConfigError(
            f"{where} {ref!r} on chain {ctx.chain.chain_id}: {option} takes a live {LEDGER}'s deployment name or "
            f"address; left out, it reuses or deploys {DEFAULT_LEDGER}"
        )
    return FinancingLedger(ctx.deployments.at(ref))


def ledger_to_use(
    ctx: Context, ref: str, *, param: str, option: str, role: str, ledger_admin: str | None, authorise: bool
) -> FinancingLedger | None:
    """:func:`live_ledger` for the click parameter ``param`` (explicit unless left to its default), checked before
    anything is sent: a ledger still to be deployed gets ``role`` as its admin, so an authorising ``ledger_admin``
    that is another role is one clear error."""
    from tradefin.chain.accounts import canonical_role

    source = click.get_current_context().get_parameter_source(param)
    explicit = source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
    book = live_ledger(ctx, ref, explicit=explicit, option=option)
    if book is None and authorise and ledger_admin and canonical_role(ledger_admin) != canonical_role(role):
        raise ConfigError(
            f"no live {ref} to authorise in: this deploys it with --as {role} as admin, which --ledger-admin "
            f"{ledger_admin} is not"
        )
    return book


def ledger_granter(
    ctx: Context, book: FinancingLedger, role: str, ledger_admin: str | None, grantee: str
) -> tuple[str, LocalAccount]:
    """The role (and its account) that grants ``grantee`` FINANCE_ROLE on ``book``: ``ledger_admin`` if given;
    else, on a dev chain, the role of the ledger's admin; else ``role``. One clear error if it cannot grant it."""
    from tradefin.chain.accounts import canonical_role
    from tradefin.finance.ledger import FINANCE_ROLE

    name = canonical_role(ledger_admin or role)
    if ledger_admin is None:
        admin = str(book.contract.call("defaultAdmin"))
        found = role_labels(ctx).get(admin)
        if found is not None and ctx.accounts[found].address == admin:
            name = found
    account = ctx.accounts[name]
    granter = bytes(book.contract.call("getRoleAdmin", FINANCE_ROLE))
    if not book.contract.call("hasRole", granter, account.address):
        admin = str(book.contract.call("defaultAdmin"))
        raise ConfigError(
            f"{name} ({account.address}) cannot grant {grantee} FINANCE_ROLE on ledger {book.address}: its admin "
            f"is {labelled(role_labels(ctx), admin)}; pass --ledger-admin ROLE, or --no-authorise and have the "
            "admin grant it"
        )
    return name, account
