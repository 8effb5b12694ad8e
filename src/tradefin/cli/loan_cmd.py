"""``tradefin loan ...``: loans against a pledged eBL, one command per party's act (``--as``).

The financier offers; the borrower accepts by pledging the bill (the principal arrives in the same transaction and
the financing ledger records bill and invoice as financed); the borrower repays and gets the bill back, or after
maturity the financier forecloses and takes the title. The contract is the ``TitleLoan`` deployment unless
``--contract`` says; the rules live in :mod:`tradefin.finance.loan` and :mod:`tradefin.finance.ledger`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.bl_cmd import _bill, _known, _registry, registry_option, role_option
from tradefin.cli.financing_ledger import DEFAULT_LEDGER, ledger_granter, ledger_to_use
from tradefin.cli.money_cmd import (
    AMOUNT,
    DATE,
    ID,
    contract_address,
    deposit_token,
    done,
    hash32,
    labelled,
    money,
    party,
    print_json,
    require_existing,
    role_labels,
    show_time,
    token_option,
    units,
)
from tradefin.cli.options import ChainOptions, chain_options, open_context

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.finance.ledger import FinancingLedger
    from tradefin.finance.loan import TitleLoans

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_CONTRACT = "TitleLoan"


def contract_option(command: F) -> F:
    return click.option(
        "--contract",
        default=DEFAULT_CONTRACT,
        show_default=True,
        help="Loan contract: address or deployment name on this chain.",
    )(command)


def _loans(ctx: Context, ref: str) -> TitleLoans:
    from tradefin.finance.loan import TitleLoans

    if ref.startswith("0x"):
        return TitleLoans.at(ctx, contract_address(ctx, ref))
    return TitleLoans(ctx.deployments.at(ref), ctx.deployments)


def _existing(loans: TitleLoans, loan_id: int) -> int:
    require_existing("loan", loan_id, loans.count(), f"{loans.contract.name} {loans.address}")
    return loan_id


@click.group("loan")
def loan_group() -> None:
    """Loans against a pledged eBL: offer, accept (pledge), repay, foreclose, withdraw, show."""


@loan_group.command("deploy")
@role_option("financier")
@click.option(
    "--ledger",
    default=DEFAULT_LEDGER,
    show_default=True,
    help="Financing ledger: an address, or a deployment name (the default, shared with 'lc deploy', is reused if live "
    "whoever administers it, else deployed with --as as admin; a name given explicitly must be live).",
)
@click.option(
    "--ledger-admin",
    default=None,
    help="Role that grants the loan contract FINANCE_ROLE in the ledger (default: the ledger's admin on a dev "
    "chain, else --as).",
)
@registry_option
@click.option("--registry-admin", default="carrier", show_default=True, help="Role that lets it lock bills.")
@click.option("--no-authorise", is_flag=True, help="Neither authorise in the ledger nor grant the locker role.")
@chain_options
def deploy(
    role: str,
    ledger: str,
    ledger_admin: str | None,
    registry: str,
    registry_admin: str,
    no_authorise: bool,
    chain_opts: ChainOptions,
) -> None:
    """Deploy the financing ledger and the loan contract (each reused if live), authorise the loan contract in the
    ledger and let the carrier's registry lock bills pledged to it."""
    from tradefin.chain.accounts import canonical_role
    from tradefin.ebl.registry import LOCKER_ROLE
    from tradefin.finance.ledger import FinancingLedger
    from tradefin.finance.loan import TitleLoans

    if not no_authorise:
        canonical_role(registry_admin)
        canonical_role(ledger_admin or role)
    with open_context(chain_opts) as ctx:
        account = ctx.accounts[role]
        reg = None if no_authorise else _registry(ctx, registry)  # before anything is deployed
        book = ledger_to_use(
            ctx,
            ledger,
            param="ledger",
            option="--ledger",
            role=role,
            ledger_admin=ledger_admin,
            authorise=not no_authorise,
        ) or FinancingLedger.deploy(ctx, account, deployment_name=ledger)
        loans = TitleLoans.deploy(ctx, account, book.address)
        click.echo(f"{book.contract.name} at {book.address}")
        click.echo(f"{loans.contract.name} at {loans.address}")
        if reg is None:
            return
        if not book.is_authorised(loans.address):
            name, admin = ledger_granter(ctx, book, role, ledger_admin, "the loan contract")
            receipt = book.authorise(loans.address, sender=admin)
            done(f"ledger {book.address} authorises the loan contract (granted by {name})", receipt)
        if not reg.contract.call("hasRole", LOCKER_ROLE, loans.address):
            receipt = reg.authorise_locker(loans.address, sender=ctx.accounts[registry_admin])
            done(f"registry {reg.address} lets the loan contract lock bills", receipt)


@loan_group.command("offer")
@click.argument("bill")
@click.option("--borrower", default="shipper", show_default=True, help="The bill's owner: role or address.")
@click.option("--principal", type=AMOUNT, required=True, help="Paid to the borrower at the pledge (currency units).")
@click.option("--interest", type=AMOUNT, default=Decimal(0), help="Owed on top of the principal (an amount).")
@click.option("--maturity", type=DATE, required=True, help="Repayment due; foreclosure possible after it.")
@click.option("--offer-expiry", type=DATE, required=True, help="Last moment the borrower may pledge.")
@click.option("--invoice", required=True, help="The invoice financed with the bill: 0x hash or file to hash.")
@role_option("financier")
@token_option
@registry_option
@contract_option
@chain_options
def offer(
    bill: str,
    borrower: str,
    principal: Decimal,
    interest: Decimal,
    maturity: int,
    offer_expiry: int,
    invoice: str,
    role: str,
    token: str | None,
    registry: str,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The financier offers a loan against BILL; prints the loan's id. Before the pledge it approves the loan
    contract for the principal (tradefin money approve TitleLoan AMOUNT --as financier)."""
    from tradefin.finance.loan import LoanTerms

    bill_id = _bill(bill)
    invoice_hash = hash32(invoice, "invoice")
    with open_context(chain_opts) as ctx:
        loans = _loans(ctx, contract)
        currency = deposit_token(ctx, token)
        reg = _registry(ctx, registry)
        terms = LoanTerms(
            borrower=party(ctx, borrower),
            registry=reg.address,
            bill_id=_known(reg, bill_id),
            invoice_hash=invoice_hash,
            token=currency.address,
            principal=units(currency, principal),
            interest=units(currency, interest),
            maturity=maturity,
            offer_expiry=offer_expiry,
        )
        loan_id = loans.offer(terms, sender=ctx.accounts[role])
        click.echo(
            f"offered loan {loan_id}: {money(currency, terms.principal)} against bill {bill_id:#066x}, "
            f"{money(currency, terms.amount_due)} due {show_time(maturity)}"
        )


@loan_group.command("accept")
@click.argument("loan", type=ID)
@role_option("shipper")
@registry_option
@contract_option
@chain_options
def accept(loan: int, role: str, registry: str, contract: str, chain_opts: ChainOptions) -> None:
    """The borrower pledges the bill of LOAN (--registry: the registry it trusts) and receives the principal."""
    with open_context(chain_opts) as ctx:
        loans = _loans(ctx, contract)
        receipt = loans.accept(_existing(loans, loan), _registry(ctx, registry), sender=ctx.accounts[role])
        done(f"pledged: loan {loan} active", receipt)


loan_group.add_command(accept, "pledge")


def _loan_act(name: str, help_text: str, default_role: str, operation: str, remark: bool) -> None:
    """``loan NAME LOAN`` calling ``TitleLoans.<operation>``."""

    def command(loan: int, role: str, contract: str, chain_opts: ChainOptions, remark_text: str = "") -> None:
        with open_context(chain_opts) as ctx:
            loans = _loans(ctx, contract)
            extra = {"remark": remark_text} if remark else {}
            receipt = getattr(loans, operation)(_existing(loans, loan), sender=ctx.accounts[role], **extra)
            done(f"{name}: loan {loan}", receipt)

    decorators: list[Callable[[Any], Any]] = [click.argument("loan", type=ID), role_option(default_role)]
    if remark:
        decorators.append(click.option("--remark", "remark_text", default="", help="Remark recorded with the event."))
    decorated: Any = command
    for decorate in reversed([*decorators, contract_option, chain_options]):
        decorated = decorate(decorated)
    decorated.__doc__ = help_text
    loan_group.command(name)(decorated)


_loan_act(
    "repay",
    "The borrower repays principal + interest (approved to the loan contract) and gets the bill back.",
    "shipper",
    "repay",
    False,
)
_loan_act(
    "foreclose", "After maturity without repayment, the financier takes the title.", "financier", "foreclose", True
)
_loan_act("withdraw", "The financier withdraws an offer not yet accepted.", "financier", "withdraw_offer", False)


@loan_group.command("show")
@click.argument("loan", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@contract_option
@chain_options
def show(loan: int, as_json: bool, contract: str, chain_opts: ChainOptions) -> None:
    """LOAN's terms and state, and what the financing ledger records for its bill and invoice."""
    from tradefin.finance.ledger import FinancingLedger
    from tradefin.money.deposit import DepositToken

    with open_context(chain_opts) as ctx:
        loans = _loans(ctx, contract)
        record = loans.loan(_existing(loans, loan))
        book: FinancingLedger = FinancingLedger.at(ctx, loans.ledger_address())
        t = record.terms
        bill_claim = book.bill_claim(t.registry, t.bill_id)
        invoice_claim = book.invoice_claim(t.registry, t.invoice_hash)
        if as_json:
            print_json(
                {"contract": loans.address, "loan": record, "bill_claim": bill_claim, "invoice_claim": invoice_claim}
            )
            return
        cur = DepositToken.at(ctx, t.token)
        who = role_labels(ctx)

        def claim(c: Any) -> str:
            return "not financed" if c is None else f"financed by {c.claimant} since {show_time(c.since)}"

        click.echo(
            "\n".join(
                [
                    f"loan {loan} on {loans.address}: {record.status.name.lower()}",
                    f"  financier        {labelled(who, record.financier)}",
                    f"  borrower         {labelled(who, t.borrower)}",
                    f"  bill             {t.bill_id:#066x} of {t.registry}",
                    f"  invoice          0x{t.invoice_hash.hex()}",
                    f"  principal        {money(cur, t.principal)}, interest {money(cur, t.interest)}, due "
                    f"{money(cur, t.amount_due)}",
                    f"  offer expiry     {show_time(t.offer_expiry)}",
                    f"  maturity         {show_time(t.maturity)}",
                    f"  started          {show_time(record.started_at)}",
                    f"  ledger           bill {claim(bill_claim)}; invoice {claim(invoice_claim)}",
                ]
            )
        )
