"""``tradefin collection ...``: documentary collections after URC 522, one command per party's act (``--as``).

The remitting side lodges its eBL with a collection instruction; D/P: the drawee pays and gets the title in one
transaction; D/A: the drawee accepts, gets the title, and honours from maturity on (or, still unpaid a day after
maturity, the draft's holder records dishonour). The contract is the ``DocumentaryCollection`` deployment unless
``--contract`` says; the rules live in :mod:`tradefin.finance.collection`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.bl_cmd import _bill, _known, _registry, registry_option, role_option
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

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.finance.collection import DocumentaryCollections

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_CONTRACT = "DocumentaryCollection"
DAY = 86_400


def contract_option(command: F) -> F:
    return click.option(
        "--contract",
        default=DEFAULT_CONTRACT,
        show_default=True,
        help="Collection contract: address or deployment name on this chain.",
    )(command)


def _collections(ctx: Context, ref: str) -> DocumentaryCollections:
    from tradefin.finance.collection import DocumentaryCollections

    if ref.startswith("0x"):
        return DocumentaryCollections.at(ctx, contract_address(ctx, ref))
    return DocumentaryCollections(ctx.deployments.at(ref))


def _existing(collections: DocumentaryCollections, collection_id: int) -> int:
    where = f"{collections.contract.name} {collections.address}"
    require_existing("collection", collection_id, collections.count(), where)
    return collection_id


def _reference(text: str) -> bytes:
    """The remitter's reference: a 0x hash or file (see :func:`hash32`), else the keccak-256 of the text."""
    from eth_utils import keccak

    from tradefin.errors import ConfigError

    try:
        return hash32(text, "reference")
    except ConfigError:
        return bytes(keccak(text=text))


@click.group("collection")
def collection_group() -> None:
    """Documentary collections (URC 522): lodge, pay (D/P), accept and honour (D/A), refuse, return, show."""


@collection_group.command("deploy")
@role_option("collecting_bank")
@registry_option
@click.option("--registry-admin", default="carrier", show_default=True, help="Role that lets it lock bills.")
@click.option("--no-authorise", is_flag=True, help="Do not grant the collection contract the registry's locker role.")
@chain_options
def deploy(role: str, registry: str, registry_admin: str, no_authorise: bool, chain_opts: ChainOptions) -> None:
    """Deploy the collection contract (reused if live) and let the carrier's registry lock bills lodged with it."""
    from tradefin.chain.accounts import canonical_role
    from tradefin.ebl.registry import LOCKER_ROLE
    from tradefin.finance.collection import DocumentaryCollections

    if not no_authorise:
        canonical_role(registry_admin)
    with open_context(chain_opts) as ctx:
        reg = None if no_authorise else _registry(ctx, registry)  # before anything is deployed
        collections = DocumentaryCollections.deploy(ctx, ctx.accounts[role])
        click.echo(f"{collections.contract.name} at {collections.address}")
        if reg is not None and not reg.contract.call("hasRole", LOCKER_ROLE, collections.address):
            done(
                f"registry {reg.address} lets the collection lock bills",
                reg.authorise_locker(collections.address, sender=ctx.accounts[registry_admin]),
            )


@collection_group.command("lodge")
@click.argument("bill")
@click.option("--drawee", default="buyer", show_default=True, help="Role or address the documents go to.")
@click.option("--amount", type=AMOUNT, required=True, help="Amount to collect in currency units.")
@click.option("--terms", type=click.Choice(["dp", "da"]), default="dp", show_default=True, help="D/P or D/A.")
@click.option("--deadline", type=DATE, default=None, help="Presentation deadline (default: 60 days from now).")
@click.option("--tenor-days", type=click.IntRange(min=1), default=None, help="D/A: maturity days after acceptance.")
@click.option("--maturity", type=DATE, default=None, help="D/A: fixed maturity date (instead of --tenor-days).")
@click.option("--drawer", default=None, help="Paid the proceeds: role or address (default: the acting party).")
@click.option("--collecting-bank", default=None, help="Presenting bank: role or address (default: direct).")
@click.option("--reference", default=None, help="Remitter's reference: 0x hash, file, or text (hashed).")
@role_option("shipper")
@token_option
@registry_option
@contract_option
@chain_options
def lodge(
    bill: str,
    drawee: str,
    amount: Decimal,
    terms: str,
    deadline: int | None,
    tenor_days: int | None,
    maturity: int | None,
    drawer: str | None,
    collecting_bank: str | None,
    reference: str | None,
    role: str,
    token: str | None,
    registry: str,
    contract: str,
    chain_opts: ChainOptions,
) -> None:
    """The bill's owner lodges BILL for collection: the eBL is encumbered in favour of the collection contract
    with the instruction. Prints the collection's id."""
    from tradefin.finance.collection import CollectionInstruction

    if terms == "dp" and (tenor_days or maturity):
        raise click.UsageError("--tenor-days and --maturity are for D/A (--terms da)")
    if terms == "da" and (tenor_days is None) == (maturity is None):
        raise click.UsageError("D/A takes exactly one of --tenor-days and --maturity")
    bill_id = _bill(bill)
    with open_context(chain_opts) as ctx:
        collections = _collections(ctx, contract)
        currency = deposit_token(ctx, token)
        sender = ctx.accounts[role]
        common: dict[str, Any] = {
            "drawer": party(ctx, drawer) if drawer else sender.address,
            "drawee": party(ctx, drawee),
            "token": currency.address,
            "amount": units(currency, amount),
            "presentation_deadline": deadline or 0,
            "collecting_bank": optional_party(ctx, collecting_bank),
            "remitter_ref": _reference(reference) if reference else bytes(32),
        }
        if terms == "dp":
            instruction = CollectionInstruction.documents_against_payment(**common)
        else:
            instruction = CollectionInstruction.documents_against_acceptance(
                **common, tenor=(tenor_days or 0) * DAY, maturity=maturity or 0
            )
        reg = _registry(ctx, registry)
        collection_id = collections.lodge(reg, _known(reg, bill_id), instruction, sender=sender)
        label = "D/P" if terms == "dp" else "D/A"
        click.echo(f"lodged collection {collection_id} ({label} {money(currency, instruction.amount)})")


def _drawee_act(name: str, help_text: str, operation: str) -> None:
    """``collection pay|accept ID``: the drawee, after checking the bill is locked in the trusted registry."""

    def command(
        collection: int, role: str, registry: str, no_check: bool, contract: str, chain_opts: ChainOptions
    ) -> None:
        with open_context(chain_opts) as ctx:
            collections = _collections(ctx, contract)
            trusted = None if no_check else _registry(ctx, registry)
            receipt = getattr(collections, operation)(
                _existing(collections, collection), sender=ctx.accounts[role], trusted=trusted
            )
            done(f"{name}: collection {collection}", receipt)

    decorated: Any = command
    for decorate in reversed(
        [
            click.argument("collection", type=ID),
            role_option("buyer"),
            registry_option,
            click.option("--no-check", is_flag=True, help="Skip the check that the bill is locked in --registry."),
            contract_option,
            chain_options,
        ]
    ):
        decorated = decorate(decorated)
    decorated.__doc__ = help_text
    collection_group.command(name)(decorated)


_drawee_act(
    "pay",
    "D/P: the drawee pays (approved to the collection contract) and receives the title in one transaction.",
    "pay",
)
_drawee_act("accept", "D/A: the drawee accepts the draft and receives the title.", "accept")


def _remark_act(name: str, help_text: str, default_role: str, operation: str, keyword: str | None) -> None:
    """``collection NAME ID [--remark TEXT]`` calling ``DocumentaryCollections.<operation>``."""

    def command(collection: int, role: str, contract: str, chain_opts: ChainOptions, remark: str = "") -> None:
        with open_context(chain_opts) as ctx:
            collections = _collections(ctx, contract)
            extra = {keyword: remark} if keyword else {}
            receipt = getattr(collections, operation)(
                _existing(collections, collection), sender=ctx.accounts[role], **extra
            )
            done(f"{name}: collection {collection}", receipt)

    decorators: list[Callable[[Any], Any]] = [click.argument("collection", type=ID), role_option(default_role)]
    if keyword:
        decorators.append(click.option("--remark", default="", help=f"The {keyword} recorded with the event."))
    decorated: Any = command
    for decorate in reversed([*decorators, contract_option, chain_options]):
        decorated = decorate(decorated)
    decorated.__doc__ = help_text
    collection_group.command(name)(decorated)


_remark_act("refuse", "The drawee refuses to pay or accept.", "buyer", "refuse", "reason")
_remark_act(
    "honour", "D/A, from maturity until dishonour: the drawee pays the draft's holder.", "buyer", "honour", None
)
_remark_act(
    "dishonour",
    "D/A, still unpaid a day after maturity (the drawee's grace): the draft's holder records dishonour.",
    "shipper",
    "dishonour",
    "protest",
)
_remark_act(
    "return",
    "Return unpaid documents to the remitter (after a refusal or the presentation deadline).",
    "collecting_bank",
    "return_documents",
    "remark",
)


@collection_group.command("transfer-draft")
@click.argument("collection", type=ID)
@click.argument("new_holder")
@role_option("shipper")
@contract_option
@chain_options
def transfer_draft(collection: int, new_holder: str, role: str, contract: str, chain_opts: ChainOptions) -> None:
    """D/A: the draft's holder passes the accepted draft of COLLECTION to NEW_HOLDER (role or address)."""
    with open_context(chain_opts) as ctx:
        to = party(ctx, new_holder)
        collections = _collections(ctx, contract)
        receipt = collections.transfer_draft(_existing(collections, collection), to, sender=ctx.accounts[role])
        done(f"draft of collection {collection} transferred to {new_holder}", receipt)


@collection_group.command("show")
@click.argument("collection", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@contract_option
@chain_options
def show(collection: int, as_json: bool, contract: str, chain_opts: ChainOptions) -> None:
    """COLLECTION's instruction, state and advices (URC 522 art. 26)."""
    from tradefin.finance.collection import CollectionStatus, CollectionTerms
    from tradefin.money.deposit import DepositToken

    with open_context(chain_opts) as ctx:
        collections = _collections(ctx, contract)
        c = collections.collection(_existing(collections, collection))
        advices = collections.advices(collection)
        if as_json:
            print_json({"contract": collections.address, "collection": c, "advices": advices})
            return
        ins = c.instruction
        cur = DepositToken.at(ctx, ins.token)
        who = role_labels(ctx)
        terms = "D/P" if ins.terms is CollectionTerms.DOCUMENTS_AGAINST_PAYMENT else "D/A"
        lines = [
            f"collection {collection} on {collections.address}: {c.status.name.lower()}, {terms} "
            f"{money(cur, ins.amount)}",
            f"  remitter         {labelled(who, c.remitter)}",
            f"  drawer           {labelled(who, ins.drawer)}",
            f"  drawee           {labelled(who, ins.drawee)}",
            f"  collecting bank  {labelled(who, ins.collecting_bank)}",
            f"  bill             {c.bill_id:#066x} of {c.registry}",
            f"  lodged           {show_time(c.lodged_at)}; present by {show_time(ins.presentation_deadline)}",
        ]
        if ins.terms is CollectionTerms.DOCUMENTS_AGAINST_ACCEPTANCE:
            tenor = f"{ins.tenor // DAY} days after acceptance" if ins.tenor else f"fixed {show_time(ins.maturity)}"
            holder = labelled(who, c.draft_holder)
            lines.append(f"  maturity         {show_time(c.maturity)} ({tenor}); draft holder {holder}")
            if c.status is CollectionStatus.ACCEPTED:
                lines.append(f"  dishonour after  {show_time(c.dishonour_after)} if unpaid (a day's grace)")
        lines.append("  advices")
        lines += [f"    block {a.block_number:>6}  {a.advice}" for a in advices]
        click.echo("\n".join(lines))
