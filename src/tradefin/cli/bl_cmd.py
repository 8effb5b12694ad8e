"""``tradefin bl ...``: the electronic bill of lading, one command per title operation, each ``--as`` a party.

The chain persists between commands with ``--rpc-url`` (a node you run) or ``--state-file`` (a local Anvil
saved to a file); the registry is the carrier's ``TitleRegistry:EBL`` deployment unless ``--registry`` says.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.options import ChainOptions, chain_options, open_context, require_contract
from tradefin.errors import ConfigError, TradefinError

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.documents.transport import TransportDocument
    from tradefin.ebl.registry import TitleRegistry

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_REGISTRY = "TitleRegistry:EBL"


def registry_option(command: F) -> F:
    return click.option(
        "--registry",
        default=DEFAULT_REGISTRY,
        show_default=True,
        help="Registry address or deployment name on this chain.",
    )(command)


def role_option(default: str) -> Callable[[F], F]:
    def decorate(command: F) -> F:
        return click.option(
            "--as", "role", default=default, show_default=True, help="The acting party's role (its key signs)."
        )(command)

    return decorate


def remark_option(command: F) -> F:
    return click.option("--remark", default="", help="Remark emitted with the event (not stored).")(command)


def _registry(ctx: Context, ref: str) -> TitleRegistry:
    from tradefin.ebl.registry import TitleRegistry

    if ref.startswith("0x"):
        return TitleRegistry.at(ctx, require_contract(ctx, _party(ctx, ref), "registry"))
    return TitleRegistry(ctx.deployments.at(ref))


def _known(reg: TitleRegistry, bill_id: int) -> int:
    """``bill_id`` if the registry ever issued it (its reverts would only say "status 0")."""
    from tradefin.ebl.types import Status

    if reg.status(bill_id) is Status.NONE:
        raise TradefinError(f"no bill {bill_id:#066x} on {reg.contract.name} {reg.address}")
    return bill_id


def _party(ctx: Context, who: str) -> str:
    """A role name (its account's address) or a 0x address."""
    if who.startswith("0x"):
        if len(who) != 42 or any(c not in "0123456789abcdefABCDEF" for c in who[2:]):
            raise ConfigError(f"not an address: {who}")
        from eth_utils import to_checksum_address

        return str(to_checksum_address(who))
    return ctx.accounts.address(who)


def _bill(text: str) -> int:
    try:
        value = int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a bill id (hex document hash or integer)") from None
    if not 0 < value < 2**256:
        raise click.BadParameter(f"{text!r} is out of range for a bill id")
    return value


def _document(path: Path) -> TransportDocument:
    from pydantic import ValidationError

    from tradefin.documents.transport import TransportDocument

    try:
        return TransportDocument.from_dcsa(path.read_text())
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"{path}: invalid transport document ({exc.error_count()} errors), first at {where}: {first['msg']}"
        ) from None


def _done(action: str, tx_hash: str, gas: int) -> None:
    click.echo(f"{action} (tx {tx_hash}, gas {gas:,})")


@click.group("bl")
def bl_group() -> None:
    """Electronic bills of lading: issue, endorse, transfer, surrender, accept, reject, history, verify."""


@bl_group.command("deploy")
@role_option("carrier")
@click.option("--symbol", default="EBL", show_default=True)
@chain_options
def deploy_registry(role: str, symbol: str, chain_opts: ChainOptions) -> None:
    """Deploy the carrier's title registry (reused if an identical one is live)."""
    from tradefin.ebl.registry import TitleRegistry

    with open_context(chain_opts) as ctx:
        registry = TitleRegistry.deploy(ctx, ctx.accounts[role], symbol=symbol)
        click.echo(f"TitleRegistry:{symbol} at {registry.address}")


@bl_group.command("issue")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "beneficiary", required=True, help="Beneficiary (role or address).")
@click.option("--holder", default=None, help="Holder (role or address); default: the beneficiary.")
@role_option("carrier")
@registry_option
@remark_option
@chain_options
def issue(
    document: Path,
    beneficiary: str,
    holder: str | None,
    role: str,
    registry: str,
    remark: str,
    chain_opts: ChainOptions,
) -> None:
    """Issue the bill for a DCSA transport DOCUMENT (JSON)."""
    doc = _document(document)
    with open_context(chain_opts) as ctx:
        reg = _registry(ctx, registry)
        to = _party(ctx, beneficiary)
        issued = reg.issue(
            doc, beneficiary=to, holder=_party(ctx, holder or beneficiary), sender=ctx.accounts[role], remark=remark
        )
        _done(f"issued bill {issued.id:#066x}", issued.receipt.tx_hash, issued.receipt.gas_used)


def _party_command(name: str, help_text: str, default_role: str, operation: str, target: str | None) -> None:
    """A command ``bl NAME BILL [TARGET]`` calling ``TitleRegistry.<operation>``."""

    def run(
        bill: str,
        role: str,
        registry: str,
        remark: str,
        chain_opts: ChainOptions,
        target_value: str | None = None,
    ) -> None:
        bill_id = _bill(bill)
        with open_context(chain_opts) as ctx:
            reg = _registry(ctx, registry)
            method = getattr(reg, operation)
            args: list[Any] = [bill_id]
            if target is not None:
                args.append(_party(ctx, target_value or ""))
            _known(reg, bill_id)
            receipt = method(*args, sender=ctx.accounts[role], remark=remark)
            _done(f"{name}: done", receipt.tx_hash, receipt.gas_used)

    params: list[Callable[[F], F]] = [click.argument("bill")]
    if target is not None:
        params.append(click.argument("target_value", metavar=target.upper()))

    def command(**kwargs: Any) -> None:
        run(**kwargs)

    for decorate in [*reversed(params), role_option(default_role), registry_option, remark_option, chain_options]:
        command = decorate(command)
    command.__doc__ = help_text
    bl_group.command(name)(command)


_party_command(
    "transfer", "The holder passes possession of BILL to NEW_HOLDER.", "shipper", "transfer_holder", "new_holder"
)
_party_command(
    "nominate", "The beneficiary names NOMINEE as the next beneficiary of BILL.", "shipper", "nominate", "nominee"
)
_party_command(
    "endorse",
    "The holder endorses BILL to ENDORSEE (the nominee, or anyone if it is the beneficiary).",
    "shipper",
    "endorse",
    "endorsee",
)
_party_command("surrender", "The owner surrenders BILL to the carrier for delivery.", "buyer", "surrender", None)
_party_command(
    "accept",
    "The carrier accepts the surrender of BILL: accomplished (or voided).",
    "carrier",
    "accept_surrender",
    None,
)
_party_command(
    "reject",
    "The carrier rejects the surrender of BILL: restored to the surrendering party.",
    "carrier",
    "reject_surrender",
    None,
)


@bl_group.command("history")
@click.argument("bill")
@registry_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@chain_options
def history(bill: str, registry: str, as_json: bool, chain_opts: ChainOptions) -> None:
    """The chain of title of BILL: who did what, when, in which block."""
    with open_context(chain_opts) as ctx:
        trail = _registry(ctx, registry).history(_bill(bill))
        if not trail.entries:
            raise TradefinError(f"no bill {_bill(bill):#x} on this registry")
        if as_json:
            click.echo(
                json.dumps(
                    [{**e.__dict__, "status": e.status.name, "remark": e.remark_text} for e in trail.entries], indent=2
                )
            )
            return
        for e in trail.entries:
            click.echo(
                f"block {e.block:>6}  {e.action:<30} by {e.actor}  beneficiary {e.beneficiary}  "
                f"holder {e.holder}  {e.status.name.lower()}" + (f"  '{e.remark_text}'" if e.remark else "")
            )


@bl_group.command("verify")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@registry_option
@chain_options
def verify_command(document: Path, registry: str, chain_opts: ChainOptions) -> None:
    """Is this exact DOCUMENT the issued, live title, and who holds it? Exit 1 if not."""
    from tradefin.ebl.verify import verify

    doc = _document(document)
    with open_context(chain_opts) as ctx:
        result = verify(doc, _registry(ctx, registry))
        if not result.valid:
            raise TradefinError(f"not a live title: {result.reason}")
        click.echo(f"valid: {result.reason}; beneficiary {result.beneficiary}, holder {result.holder}")


@bl_group.command("sample")
@click.option("--form", type=click.Choice(["to-order", "straight", "blank"]), default="to-order", show_default=True)
@click.option("--reference", default="OTCLSHA250314001", show_default=True)
def sample(form: str, reference: str) -> None:
    """Print a sample DCSA transport document (Shanghai -> Hong Kong) to issue."""
    from tradefin.documents.examples import shanghai_hong_kong_bill
    from tradefin.documents.transport import ConsignmentForm

    forms = {
        "to-order": ConsignmentForm.TO_ORDER,
        "straight": ConsignmentForm.STRAIGHT,
        "blank": ConsignmentForm.BLANK_ENDORSED,
    }
    click.echo(shanghai_hong_kong_bill(forms[form], reference=reference).to_dcsa_json(indent=2))
