"""``tradefin lc ...``: documentary credits under UCP 600, one command per party's act, each ``--as`` a party.

The credit contract is the ``DocumentaryCredit`` deployment unless ``--contract`` says; banks count deadlines on the
``BankingCalendar`` deployed with it (``lc calendar`` registers a bank's city) and, unless deployed with
``--financing-ledger none``, presentations claim their bill and commercial invoice in the ``FinancingLedger`` that
``loan deploy`` uses too, so one bill or invoice backs one live financing. Amounts are in currency units of the
credit's token, dates ISO (UTC) or unix seconds. All rules live in :mod:`tradefin.finance.credit`.
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
    optional_party,
    party,
    print_json,
    require_existing,
    role_labels,
    show_time,
    token_option,
    units,
)
from tradefin.cli.options import ChainOptions, chain_options, open_context
from tradefin.errors import ConfigError

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.finance.credit import DocumentaryCredit
    from tradefin.finance.ledger import FinancingLedger
    from tradefin.money.deposit import DepositToken

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_CONTRACT = "DocumentaryCredit"
DEFAULT_CALENDAR = "BankingCalendar"
NO_LEDGER = "none"
CREDIT_GRANTEE = "the credit contract"


def contract_option(command: F) -> F:
    return click.option(
        "--contract",
        default=DEFAULT_CONTRACT,
        show_default=True,
        help="Credit contract: address or deployment name on this chain.",
    )(command)


def _credits(ctx: Context, ref: str) -> DocumentaryCredit:
    from tradefin.finance.credit import DocumentaryCredit

    if ref.startswith("0x"):
        return DocumentaryCredit.at(ctx, contract_address(ctx, ref))
    return DocumentaryCredit(ctx.deployments.at(ref), ctx.deployments)


def _existing(credits: DocumentaryCredit, credit_id: int) -> int:
    require_existing("credit", credit_id, credits.credit_count(), f"{credits.contract.name} {credits.address}")
    return credit_id


def _token(ctx: Context, address: str) -> DepositToken:
    from tradefin.money.deposit import DepositToken

    return DepositToken.at(ctx, address)


def _type_code(name: str) -> bytes:
    """A document type code from its name (``commercial_invoice`` -> ``COMMERCIAL_INVOICE``)."""
    from tradefin.finance.credit import document_type

    if not name.isascii():
        raise ConfigError(f"a document type name is ASCII, got {name!r}")
    return document_type(name.strip().upper())


def _documents(specs: tuple[str, ...]) -> dict[bytes, bytes]:
    """``TYPE=HASH`` or ``TYPE=FILE`` pairs as {type code: document hash}."""
    documents: dict[bytes, bytes] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep or not name or not value:
            raise ConfigError(f"--document takes TYPE=HASH or TYPE=FILE, got {spec!r}")
        documents[_type_code(name)] = hash32(value, f"document {name}")
    return documents


def _discrepancy(text: str) -> int:
    from tradefin.finance.credit import Discrepancy

    if text.isdigit():
        code = int(text)
        if not 0 < code < 2**16:
            raise click.BadParameter(f"discrepancy code {text} is out of range (1 to 65535)")
        return code
    try:
        return int(Discrepancy[text.strip().upper().replace("-", "_")])
    except KeyError:
        known = ", ".join(d.name.lower().replace("_", "-") for d in Discrepancy)
        raise click.BadParameter(f"unknown discrepancy {text!r}; a code 1-65535 or one of: {known}") from None


@click.group("lc")
def lc_group() -> None:
    """Documentary credits (UCP 600): request, issue, advise, confirm, amend on the applicant's instruction,
    present, honour, refuse, show."""


def _needs_grant(ctx: Context, book: FinancingLedger) -> bool:
    """Whether the credit contract a deploy ends with may lack FINANCE_ROLE on ``book``: false only when the
    recorded credit contract, live, already claims in ``book`` with the role (a rerun that reuses it)."""
    from tradefin.finance.credit import DocumentaryCredit

    record = ctx.deployments.record(DEFAULT_CONTRACT)
    if record is None or not ctx.deployments.is_live(record.address, record.code_hash):
        return True
    credits = DocumentaryCredit(ctx.deployments.at(DEFAULT_CONTRACT), ctx.deployments)
    return credits.financing_ledger != book.address or not book.is_authorised(credits.address)


@lc_group.command("deploy")
@role_option("deployer")
@click.option("--calendar", default=DEFAULT_CALENDAR, show_default=True, help="Calendar deployment name or address.")
@click.option(
    "--financing-ledger",
    default=DEFAULT_LEDGER,
    show_default=True,
    metavar="NAME|ADDRESS|none",
    help=f"Ledger where presentations claim their bill and invoice, so neither backs two live financings: a "
    f"deployment name, an address, or {NO_LEDGER} (no duplicate-financing protection). The default is the ledger "
    f"'loan deploy' uses, reused if live, else deployed with --as as admin; a name given explicitly must be live.",
)
@click.option(
    "--ledger-admin",
    default=None,
    help="Role that grants the credit FINANCE_ROLE in the ledger (default: the ledger's admin on a dev chain, "
    "else --as).",
)
@registry_option
@click.option("--registry-admin", default="carrier", show_default=True, help="Role that lets the credit lock bills.")
@click.option(
    "--no-authorise",
    is_flag=True,
    help="Grant the credit contract neither FINANCE_ROLE in the ledger nor the registry's locker role.",
)
@chain_options
def deploy(
    role: str,
    calendar: str,
    financing_ledger: str,
    ledger_admin: str | None,
    registry: str,
    registry_admin: str,
    no_authorise: bool,
    chain_opts: ChainOptions,
) -> None:
    """Deploy the banking calendar, the financing ledger and the credit contract (each reused if live), authorise
    the credit contract in the ledger and let the carrier's registry lock bills presented to it.

    The ledger is shared with 'loan deploy' by default: a bill or invoice a loan holds cannot be presented under
    a credit, and one presented under a credit cannot be pledged for a loan, until that financing ends."""
    from tradefin.calendars import BankingCalendar
    from tradefin.chain.accounts import canonical_role
    from tradefin.ebl.registry import LOCKER_ROLE
    from tradefin.finance.credit import DocumentaryCredit
    from tradefin.finance.ledger import FinancingLedger

    use_ledger = financing_ledger.strip().lower() != NO_LEDGER
    if not no_authorise:
        canonical_role(registry_admin)
        if use_ledger and ledger_admin is not None:
            canonical_role(ledger_admin)
    with open_context(chain_opts) as ctx:
        account = ctx.accounts[role]
        reg = None if no_authorise else _registry(ctx, registry)  # before anything is deployed
        book = None
        if use_ledger:
            where = f"--financing-ledger (or {NO_LEDGER})"
            book = ledger_to_use(
                ctx,
                financing_ledger,
                param="financing_ledger",
                option=where,
                role=role,
                ledger_admin=ledger_admin,
                authorise=not no_authorise,
            )
        granter = None  # who grants FINANCE_ROLE, checked before anything is sent
        if book is not None and not no_authorise and _needs_grant(ctx, book):
            granter = ledger_granter(ctx, book, role, ledger_admin, CREDIT_GRANTEE)
        if calendar.startswith("0x"):
            days = BankingCalendar.at(ctx, contract_address(ctx, calendar))
        else:
            days = BankingCalendar.deploy(ctx, account, deployment_name=calendar)
        if use_ledger and book is None:
            book = FinancingLedger.deploy(ctx, account, deployment_name=financing_ledger)
        previous = ctx.deployments.record(DEFAULT_CONTRACT)
        if previous is not None and not ctx.deployments.is_live(previous.address, previous.code_hash):
            previous = None
        credits = DocumentaryCredit.deploy(ctx, account, days, financing_ledger=book)
        click.echo(f"{days.contract.name} at {days.address}")
        if book is None:
            click.echo(
                "no financing ledger: presentations claim neither bill nor invoice, so the credit contract has no "
                "duplicate-financing protection"
            )
        else:
            click.echo(f"{book.contract.name} at {book.address}")
        click.echo(f"{credits.contract.name} at {credits.address}")
        if previous is not None and previous.address != credits.address:
            click.echo(f"  (replaces {DEFAULT_CONTRACT} at {previous.address}; its credits stay there: --contract)")
        if book is not None and not book.is_authorised(credits.address):
            if no_authorise:
                click.echo(
                    f"not authorised in ledger {book.address}: its admin grants FINANCE_ROLE before a presentation"
                )
            else:
                name, admin = granter or ledger_granter(ctx, book, role, ledger_admin, CREDIT_GRANTEE)
                done(
                    f"ledger {book.address} lets the credit claim bills and invoices (granted by {name})",
                    book.authorise(credits.address, sender=admin),
                )
        if reg is not None and not reg.contract.call("hasRole", LOCKER_ROLE, credits.address):
            done(
                f"registry {reg.address} lets the credit lock bills",
                reg.authorise_locker(credits.address, sender=ctx.accounts[registry_admin]),
            )


@lc_group.command("calendar")
@role_option("issuing_bank")
@click.option("--city", default="hong-kong", show_default=True, help="Banking city: hong-kong or shanghai.")
@click.option("--year", "years", type=int, multiple=True, help="Year to sync (repeatable; default: this and next).")
@contract_option
@chain_options
def calendar_command(role: str, city: str, years: tuple[int, ...], contract: str, chain_opts: ChainOptions) -> None:
    """The acting bank registers its city's banking days on the credit contract's calendar (idempotent)."""
    import datetime as dt

    from tradefin.calendars import BankingCalendar, sync_calendar
    from tradefin.calendars import city as banking_city

    place = banking_city(city)
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        this_year = dt.datetime.fromtimestamp(ctx.chain.timestamp(), dt.UTC).year
        wanted = years or (this_year, this_year + 1)
        result = sync_calendar(ctx, BankingCalendar.at(ctx, credits.calendar), ctx.accounts[role], place, wanted)
        click.echo(
            f"{role} banks in {place.name} for {', '.join(map(str, sorted(set(wanted))))}: "
            f"{len(result.closed)} holidays closed, {len(result.reopened)} reopened, "
            f"{len(result.weekend_opened)} weekend days opened ({len(result.receipts)} transactions)"
        )


@lc_group.command("request")
@role_option("buyer")
@click.option("--amount", type=AMOUNT, required=True, help="Credit amount in currency units.")
@click.option("--expiry", type=DATE, required=True, help="Last day (or moment) for presentation.")
@click.option("--latest-shipment", type=DATE, default=None, help="Latest shipped-on-board date (default: expiry).")
@click.option("--issuing-bank", default="issuing_bank", show_default=True, help="Role or address.")
@click.option("--beneficiary", default="shipper", show_default=True, help="Role or address.")
@click.option("--advising-bank", default=None, help="Role or address (default: none, no advice needed).")
@click.option("--nominated-bank", default=None, help="Role or address (default: available with the issuing bank).")
@click.option("--confirming-bank", default=None, help="Role or address (default: no confirmation).")
@click.option("--tolerance", type=click.Choice(["none", "about"]), default="none", show_default=True)
@click.option("--presentation-days", type=click.IntRange(0, 2**16 - 1), default=0, help="0 means 21 (art. 14c).")
@click.option("--partial/--no-partial", default=True, show_default=True, help="Partial drawings allowed.")
@click.option("--document", "documents", multiple=True, metavar="TYPE", help="Required document, e.g. PACKING_LIST.")
@token_option
@registry_option
@contract_option
@chain_options
def request(
    role: str,
    amount: Decimal,
    expiry: int,
    latest_shipment: int | None,
    issuing_bank: str,
    beneficiary: str,
    advising_bank: str | None,
    nominated_bank: str | None,
    confirming_bank: str | None,
    tolerance: str,
    presentation_days: int,
    partial: bool,
    documents: tuple[str, ...],
    token: str | None,
    registry: str,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The applicant asks the issuing bank for a credit; prints the new credit's id."""
    from tradefin.finance.credit import CreditTerms, Tolerance

    codes = tuple(_type_code(name) for name in documents)
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        currency = deposit_token(ctx, token)
        terms = CreditTerms(
            issuing_bank=party(ctx, issuing_bank),
            beneficiary=party(ctx, beneficiary),
            token=currency.address,
            registry=_registry(ctx, registry).address,
            amount=units(currency, amount),
            expiry=expiry,
            latest_shipment=expiry if latest_shipment is None else latest_shipment,
            tolerance=Tolerance[tolerance.upper()],
            presentation_days=presentation_days,
            partial_drawings=partial,
            advising_bank=optional_party(ctx, advising_bank),
            nominated_bank=optional_party(ctx, nominated_bank),
            confirming_bank=optional_party(ctx, confirming_bank),
            document_types=codes,
        )
        credit_id = credits.request(terms, sender=ctx.accounts[role])
        click.echo(f"requested credit {credit_id} for {money(currency, terms.amount)}")


def _credit_act(name: str, help_text: str, default_role: str, operation: str, presentation: bool) -> None:
    """A command ``lc NAME CREDIT [PRESENTATION]`` calling ``DocumentaryCredit.<operation>``."""

    def command(
        credit: int, role: str, contract: str, chain_opts: ChainOptions, presentation_id: int | None = None
    ) -> None:
        with open_context(chain_opts) as ctx:
            credits = _credits(ctx, contract)
            args = [_existing(credits, credit)] + ([] if presentation_id is None else [presentation_id])
            receipt = getattr(credits, operation)(*args, sender=ctx.accounts[role])
            subject = f"credit {credit}" + ("" if presentation_id is None else f" presentation {presentation_id}")
            done(f"{name}: {subject}", receipt)

    decorators: list[Callable[[Any], Any]] = [click.argument("credit", type=ID)]
    if presentation:
        decorators.append(click.argument("presentation_id", metavar="PRESENTATION", type=ID))
    decorated: Any = command
    for decorate in reversed([*decorators, role_option(default_role), contract_option, chain_options]):
        decorated = decorate(decorated)
    decorated.__doc__ = help_text
    lc_group.command(name)(decorated)


_credit_act("cancel", "The applicant withdraws its request before issue.", "buyer", "cancel_request", False)
_credit_act(
    "issue",
    "The issuing bank issues CREDIT: the cover (amount + tolerance) is pulled from the applicant's allowance "
    "(tradefin money approve DocumentaryCredit AMOUNT --as buyer).",
    "issuing_bank",
    "issue",
    False,
)
_credit_act("advise", "The advising bank advises CREDIT to the beneficiary.", "advising_bank", "advise", False)
_credit_act("confirm", "The confirming bank adds its confirmation to CREDIT.", "confirming_bank", "confirm", False)
_credit_act(
    "confirm-amendment",
    "The confirming bank extends its confirmation to the pending amendment.",
    "confirming_bank",
    "confirm_amendment",
    False,
)
_credit_act(
    "decline-amendment",
    "The confirming bank declines to confirm the pending amendment.",
    "confirming_bank",
    "decline_amendment",
    False,
)
_credit_act(
    "withdraw-amendment-instruction",
    "The applicant withdraws its amendment instruction for CREDIT before the issuing bank uses it.",
    "buyer",
    "withdraw_amendment_instruction",
    False,
)
_credit_act("accept-amendment", "The beneficiary accepts the pending amendment.", "shipper", "accept_amendment", False)
_credit_act("reject-amendment", "The beneficiary rejects the pending amendment.", "shipper", "reject_amendment", False)
_credit_act(
    "honour", "The examining bank honours PRESENTATION: the beneficiary is paid.", "issuing_bank", "honour", True
)
_credit_act(
    "waive",
    "The applicant waives the discrepancies of PRESENTATION (refused, held pending waiver).",
    "buyer",
    "waive",
    True,
)
_credit_act(
    "return",
    "The examining bank (or the beneficiary, after a refusal) returns the eBL of PRESENTATION.",
    "issuing_bank",
    "return_documents",
    True,
)
_credit_act(
    "claim-precluded",
    "The beneficiary is paid for PRESENTATION its examining bank left undecided past the deadline.",
    "shipper",
    "claim_precluded",
    True,
)
_credit_act(
    "reimburse",
    "Pay the confirming bank's reimbursement claim for PRESENTATION from the cover (anyone).",
    "confirming_bank",
    "reimburse",
    True,
)


def amendment_options(command: F) -> F:
    """CREDIT and the terms an amendment changes (``lc instruct-amendment``, ``lc amend``)."""
    for decorate in reversed(
        [
            click.argument("credit", type=ID),
            click.option("--amount", type=AMOUNT, default=None, help="New amount in currency units."),
            click.option("--expiry", type=DATE, default=None, help="New expiry."),
            click.option("--latest-shipment", type=DATE, default=None, help="New latest shipment date."),
        ]
    ):
        command = decorate(command)
    return command


def _require_change(amount: Decimal | None, expiry: int | None, latest: int | None) -> None:
    if amount is None and expiry is None and latest is None:
        raise click.UsageError("an amendment changes at least one of --amount, --expiry, --latest-shipment")


def _amended_amount(ctx: Context, credits: DocumentaryCredit, credit: int, amount: Decimal | None) -> int | None:
    """An amendment's amount of CREDIT (which must exist) in its token's units, None (unchanged) if not given."""
    _existing(credits, credit)
    return None if amount is None else units(_token(ctx, credits.terms(credit).token), amount)


@lc_group.command("instruct-amendment")
@amendment_options
@role_option("buyer")
@contract_option
@chain_options
def instruct_amendment(
    credit: int,
    amount: Decimal | None,
    expiry: int | None,
    latest_shipment: int | None,
    role: str,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The applicant instructs the issuing bank to amend CREDIT (unchanged terms where not given); replaces an
    unused instruction. The issuing bank may then 'lc amend' with the same terms, once. An increase lets the bank
    pull the extra cover from the applicant's allowance."""
    _require_change(amount, expiry, latest_shipment)
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        value = _amended_amount(ctx, credits, credit, amount)
        receipt = credits.instruct_amendment(
            credit, amount=value, expiry=expiry, latest_shipment=latest_shipment, sender=ctx.accounts[role]
        )
        done(f"amendment instructed: credit {credit}", receipt)


@lc_group.command("amend")
@amendment_options
@role_option("issuing_bank")
@contract_option
@chain_options
def amend(
    credit: int,
    amount: Decimal | None,
    expiry: int | None,
    latest_shipment: int | None,
    role: str,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The issuing bank proposes an amendment of CREDIT (unchanged terms where not given). It needs the applicant's
    instruction of the same terms ('lc instruct-amendment'), which it uses up."""
    _require_change(amount, expiry, latest_shipment)
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        value = _amended_amount(ctx, credits, credit, amount)
        number = credits.amend(
            credit, amount=value, expiry=expiry, latest_shipment=latest_shipment, sender=ctx.accounts[role]
        )
        click.echo(f"credit {credit}: amendment {number} proposed")


@lc_group.command("present")
@click.argument("credit", type=ID)
@click.argument("bill")
@click.argument("amount", type=AMOUNT)
@click.option(
    "--document",
    "documents",
    multiple=True,
    metavar="TYPE=HASH|FILE",
    help="A document besides the eBL: its type and 0x hash, or a file to hash (repeatable).",
)
@role_option("shipper")
@click.option("--registry", default=None, help="Title registry (default: the one the credit names).")
@contract_option
@chain_options
def present(
    credit: int,
    bill: str,
    amount: Decimal,
    documents: tuple[str, ...],
    role: str,
    registry: str | None,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The beneficiary presents BILL and documents for AMOUNT: the eBL is encumbered in favour of the credit
    contract, which examines it in the same transaction. Prints the presentation's id."""
    from tradefin.ebl.registry import TitleRegistry

    bill_id = _bill(bill)
    docs = _documents(documents)
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        terms = credits.terms(_existing(credits, credit))
        reg = _registry(ctx, registry) if registry else TitleRegistry.at(ctx, terms.registry)
        _known(reg, bill_id)
        value = units(_token(ctx, terms.token), amount)
        presentation_id = credits.present(reg, bill_id, credit, value, docs, sender=ctx.accounts[role])
        click.echo(f"credit {credit}: presentation {presentation_id} of bill {bill_id:#066x}")


@lc_group.command("refuse")
@click.argument("credit", type=ID)
@click.argument("presentation_id", metavar="PRESENTATION", type=ID)
@click.argument("discrepancies", nargs=-1, required=True)
@click.option(
    "--disposal",
    type=click.Choice(["hold", "return"]),
    default="hold",
    show_default=True,
    help="Hold the eBL pending the applicant's waiver, or return it to the beneficiary.",
)
@role_option("issuing_bank")
@contract_option
@chain_options
def refuse(
    credit: int,
    presentation_id: int,
    discrepancies: tuple[str, ...],
    disposal: str,
    role: str,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The examining bank's single notice of refusal of PRESENTATION, with DISCREPANCIES (codes or names such as
    late-shipment, data-conflict, document-missing)."""
    from tradefin.finance.credit import Disposal

    codes = [_discrepancy(d) for d in discrepancies]
    how = Disposal.HOLD_PENDING_WAIVER if disposal == "hold" else Disposal.RETURN
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        receipt = credits.refuse(
            _existing(credits, credit), presentation_id, codes, disposal=how, sender=ctx.accounts[role]
        )
        done(f"refused: credit {credit} presentation {presentation_id} ({disposal})", receipt)


@lc_group.command("close-expired")
@click.argument("credit", type=ID)
@role_option("buyer")
@contract_option
@chain_options
def close_expired(credit: int, role: str, contract: str, chain_opts: ChainOptions) -> None:
    """After expiry, return CREDIT's free cover to the applicant (anyone may send it)."""
    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        refunded = credits.close_expired(_existing(credits, credit), sender=ctx.accounts[role])
        click.echo(f"credit {credit}: {money(_token(ctx, credits.terms(credit).token), refunded)} returned")


@lc_group.command("show")
@click.argument("credit", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@contract_option
@chain_options
def show(credit: int, as_json: bool, contract: str, chain_opts: ChainOptions) -> None:
    """CREDIT's terms, state, money, latest amendment and presentations."""
    from tradefin.finance.credit import AmendmentStatus, Tolerance, document_type_name

    with open_context(chain_opts) as ctx:
        credits = _credits(ctx, contract)
        terms = credits.terms(_existing(credits, credit))
        ledger = credits.ledger(credit)
        amendment = credits.amendment(credit)
        instruction = credits.amendment_instruction(credit)
        confirmation = credits.confirmation(credit) if ledger.confirmed else None
        presentations = credits.presentations(credit)
        available = credits.available(credit)
        if as_json:
            print_json(
                {
                    "credit": credit,
                    "contract": credits.address,
                    "terms": terms,
                    "ledger": ledger,
                    "available": available,
                    "amendment": amendment,
                    "amendment_instruction": instruction,
                    "confirmation": confirmation,
                    "presentations": presentations,
                }
            )
            return
        cur = _token(ctx, terms.token)
        who = role_labels(ctx)
        lines = [
            f"credit {credit} on {credits.address}: {ledger.status.name.lower()}"
            + (", advised" if ledger.advised else "")
            + (", confirmed" if ledger.confirmed else ""),
            f"  applicant        {labelled(who, ledger.applicant)}",
            f"  issuing bank     {labelled(who, terms.issuing_bank)}",
            f"  beneficiary      {labelled(who, terms.beneficiary)}",
            f"  advising bank    {labelled(who, terms.advising_bank)}",
            f"  nominated bank   {labelled(who, terms.nominated_bank)}",
            f"  confirming bank  {labelled(who, terms.confirming_bank)}",
            f"  amount           {money(cur, terms.amount)} "
            f"({'about, +/-10%' if terms.tolerance is Tolerance.ABOUT else 'no tolerance'}, "
            f"partial drawings {'allowed' if terms.partial_drawings else 'prohibited'})",
            f"  expiry           {show_time(terms.expiry)}",
            f"  latest shipment  {show_time(terms.latest_shipment)}, present within {terms.period_days} days",
            f"  documents        eBL of {terms.registry}"
            + "".join(f", {document_type_name(code)}" for code in terms.document_types),
            f"  cover            {money(cur, ledger.cover)}; drawn {money(cur, ledger.drawn)}, reserved "
            f"{money(cur, ledger.reserved)}, owed to confirming bank {money(cur, ledger.owed_to_confirming_bank)}, "
            f"refunded {money(cur, ledger.refunded)}; available {money(cur, available)}",
        ]
        if confirmation is not None:
            lines.append(f"  confirmation     {money(cur, confirmation.amount)} until {show_time(confirmation.expiry)}")
        if amendment.status is not AmendmentStatus.NONE:
            lines.append(
                f"  amendment {amendment.number}      {amendment.status.name.lower()}: amount "
                f"{money(cur, amendment.amount)}, expiry {show_time(amendment.expiry)}, latest shipment "
                f"{show_time(amendment.latest_shipment)}"
            )
        if instruction is not None:
            lines.append(
                f"  instruction      an amendment the applicant instructed, not yet issued (0x{instruction.hex()})"
            )
        lines.append(f"  presentations    {len(presentations) or 'none'}")
        for p in presentations:
            flags = [f for f, on in (("refused", p.refused), ("precluded", p.precluded)) if on]
            lines.append(
                f"    {p.id}: bill {p.bill_id:#066x} {money(cur, p.amount)} {p.state.name.lower()}"
                + (f" ({', '.join(flags)})" if flags else "")
                + f", presented {show_time(p.presented_at)}, examiner {labelled(who, p.examiner)}, "
                f"decide by {show_time(p.examination_deadline)}"
            )
        click.echo("\n".join(lines))
