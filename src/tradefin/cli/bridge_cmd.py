"""``tradefin bridge ...``: move a bill between ledgers (Shanghai, Hong Kong) through the committee-attested bridge.

Ledgers are addressed by name: ``--rpc-url shanghai=URL --rpc-url hong-kong=URL`` (nodes you run), or
``--state-dir DIR`` (a local Anvil per ledger kept in ``DIR/<ledger>.json`` between commands). Each ledger's
registry is the carrier's ``TitleRegistry:EBL`` deployment, its bridge the ``TitleBridge`` deployment.

Committee signatures come from the members' keys (``--member-keystore FILE`` per member, or
``$TRADEFIN_KEYSTORE_MEMBER_<n>``; on dev chains the dev member keys): each member reads both chains itself and
signs only what it verified; ``claim``, ``confirm`` and ``reclaim`` send them from the ``--as`` account (the
relayer by default), ``relay`` runs the relayer that does all three by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.bl_cmd import _bill, role_option
from tradefin.cli.ledger_options import LedgerOptions, ledger_options, open_ledgers
from tradefin.cli.money_cmd import hash32, party, show_time
from tradefin.errors import ConfigError, TradefinError

if TYPE_CHECKING:
    from tradefin.bridge.client import TitleBridge
    from tradefin.bridge.member import CommitteeMember
    from tradefin.crossborder.ledgers import Ledgers

F = TypeVar("F", bound=Callable[..., Any])
REGISTRY = "TitleRegistry:EBL"
BRIDGE = "TitleBridge"


def members_option(command: F) -> F:
    return click.option(
        "--member-keystore",
        "member_keystores",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A committee member's keystore (repeat per member); default: $TRADEFIN_KEYSTORE_MEMBER_<n>, "
        "keystores/member-<n>.json, or the dev member keys on dev chains.",
    )(command)


def _bridge(ledgers: Ledgers, name: str) -> TitleBridge:
    from tradefin.bridge.client import TitleBridge

    ctx = ledgers[name]
    if ctx.deployments.record(BRIDGE) is None:
        raise ConfigError(f"no bridge on {name} (chain {ctx.chain.chain_id}): run tradefin bridge deploy")
    return TitleBridge.at(ctx, ctx.deployments.at(BRIDGE).address)


def _bridges(ledgers: Ledgers) -> dict[str, TitleBridge]:
    return {name: _bridge(ledgers, name) for name in ledgers}


def _pledge_id(text: str) -> bytes:
    try:
        return hash32(text, "pledge id")
    except TradefinError:
        raise click.BadParameter(f"{text!r} is not a pledge id (0x + 64 hex digits)") from None


def _source(ledgers: Ledgers, bridges: dict[str, TitleBridge], pledge_id: bytes) -> str:
    """The ledger whose bridge recorded the pledge."""
    from tradefin.bridge.client import PledgeStatus

    for name, bridge in bridges.items():
        if bridge.pledge_of(pledge_id).status is not PledgeStatus.NONE:
            return name
    raise TradefinError(f"no pledge 0x{pledge_id.hex()} on any ledger ({', '.join(ledgers)})")


def _members(ledgers: Ledgers, keystores: Sequence[Path]) -> list[CommitteeMember]:
    from tradefin.crossborder.committee import committee_members, member_accounts

    accounts = member_accounts(ledgers, keystores)
    return committee_members(ledgers, {n: b.address for n, b in _bridges(ledgers).items()}, accounts)


def _gather(
    bridge: TitleBridge, members: Sequence[CommitteeMember], ask: Callable[[Any], bytes], what: str
) -> list[bytes]:
    """Signatures of distinct committee members, in address order, until ``bridge``'s threshold."""
    from eth_utils import to_checksum_address

    from tradefin.bridge.member import AttestationRefused

    committee, threshold = bridge.committee()
    current = {to_checksum_address(m) for m in committee}
    signatures: list[bytes] = []
    problems: list[str] = []
    for member in sorted(members, key=lambda m: int(m.address, 16)):
        if len(signatures) >= threshold:
            break
        if to_checksum_address(member.address) not in current:
            problems.append(f"{member.address} is not on the committee")
            continue
        try:
            signatures.append(ask(member))
        except AttestationRefused as refused:
            problems.append("; ".join(refused.reasons))
    if len(signatures) < threshold:
        detail = "; ".join(dict.fromkeys(problems)) or "no member keys"
        raise TradefinError(f"{what}: {len(signatures)} of {threshold} signatures ({detail})")
    return signatures


def _done(what: str, ledger: str, tx_hash: str, gas: int) -> None:
    click.echo(f"{what} on {ledger} (tx {tx_hash}, gas {gas:,})")


@click.group("bridge")
def bridge_group() -> None:
    """Move bills between ledgers: deploy, pledge, status, claim, confirm, reclaim, relay."""


@bridge_group.command("deploy")
@click.option("--member", "members", multiple=True, help="A committee member's address (repeat); default: the keys.")
@click.option("--threshold", type=click.IntRange(1), default=None, help="Signatures needed (default 3, or a majority).")
@role_option("deployer")
@members_option
@ledger_options
def deploy(
    members: tuple[str, ...],
    threshold: int | None,
    role: str,
    member_keystores: tuple[Path, ...],
    ledger_opts: LedgerOptions,
) -> None:
    """Deploy the carrier's registry (if needed) and a bridge on every ledger, with one committee."""
    from tradefin.bridge.client import TitleBridge
    from tradefin.crossborder.committee import DEFAULT_THRESHOLD, member_accounts
    from tradefin.ebl.registry import TitleRegistry

    with open_ledgers(ledger_opts) as ledgers:
        home = ledgers[ledgers.home]
        if members:
            addresses = sorted({party(home, m) for m in members}, key=lambda a: int(a, 16))
        else:
            addresses = [a.address for a in member_accounts(ledgers, member_keystores)]
        size = len(addresses)
        needed = threshold or (min(DEFAULT_THRESHOLD, size) if not members else size // 2 + 1)
        if needed > size:
            raise ConfigError(f"a threshold of {needed} needs at least {needed} members, got {size}")
        for name, ctx in ledgers.items():
            carrier = ctx.accounts["carrier"]
            registry = TitleRegistry.deploy(ctx, carrier)
            bridge = TitleBridge.deploy(ctx, ctx.accounts[role], registry, addresses, needed, deployment_name=BRIDGE)
            bridge.authorise(admin=carrier)
            click.echo(
                f"{name} (chain {ctx.chain.chain_id}): {REGISTRY} at {registry.address}, {BRIDGE} at "
                f"{bridge.address}, committee {needed} of {size}"
            )


@bridge_group.command("pledge")
@click.argument("bill")
@click.option("--from", "source", required=True, help="The ledger the bill is on.")
@click.option("--to", "destination", required=True, help="The ledger it goes to.")
@click.option("--recipient", default=None, help="Who receives it there (role or address); default: the pledger.")
@click.option("--hours", type=click.IntRange(1, 24 * 365), default=24, show_default=True, help="Until expiry.")
@role_option("shipper")
@ledger_options
def pledge(
    bill: str, source: str, destination: str, recipient: str | None, hours: int, role: str, ledger_opts: LedgerOptions
) -> None:
    """The owner pledges BILL on one ledger to the bridge, for RECIPIENT on another."""
    with open_ledgers(ledger_opts) as ledgers:
        src, dst = _ledger(ledgers, source), _ledger(ledgers, destination)
        if src == dst:
            raise ConfigError(f"--from and --to are both {src}")
        here, there = _bridge(ledgers, src), _bridge(ledgers, dst)
        ctx = ledgers[src]
        owner = ctx.accounts[role]
        to = party(ledgers[dst], recipient) if recipient else owner.address
        expiry = ctx.chain.timestamp() + hours * 3600
        pledged = here.pledge(
            _bill(bill),
            destination_chain_id=there.chain_id,
            destination_registry=there.registry.address,
            recipient=to,
            expiry=expiry,
            sender=owner,
        )
        click.echo(f"pledge 0x{pledged.pledge_id.hex()}")
        _done(
            f"bill {_bill(bill):#066x} pledged for {to} on {dst} until {show_time(expiry)}",
            src,
            pledged.receipt.tx_hash,
            pledged.receipt.gas_used,
        )


def _ledger(ledgers: Ledgers, name: str) -> str:
    from tradefin.chain.ledgers import check_ledger

    return check_ledger(name, ledgers)


@bridge_group.command("status")
@click.argument("pledge_id")
@ledger_options
def status(pledge_id: str, ledger_opts: LedgerOptions) -> None:
    """A pledge on both sides: its record on the source, the claim and the bill on the destination."""
    pid = _pledge_id(pledge_id)
    with open_ledgers(ledger_opts) as ledgers:
        bridges = _bridges(ledgers)
        src = _source(ledgers, bridges, pid)
        record = bridges[src].pledge_of(pid)
        dst = ledgers.name_of(record.destination_chain_id)
        now = ledgers[src].chain.timestamp()
        expired = " (expired)" if now > record.expiry else ""
        click.echo(f"pledge 0x{pid.hex()}: bill {record.bill_id:#066x}")
        click.echo(
            f"  {src:<10} {record.status.name.lower():<10} owner {record.owner}, for {record.recipient} on {dst}, "
            f"expires {show_time(record.expiry)}{expired}; bill {_bill_state(bridges[src], record.bill_id)}"
        )
        if dst in bridges:
            claimed = bridges[dst].is_claimed(pid)
            state = _bill_state(bridges[dst], record.bill_id) if claimed else "-"
            click.echo(f"  {dst:<10} {'claimed' if claimed else 'unclaimed':<10} bill {state}")
        else:
            click.echo(f"  chain {record.destination_chain_id} is not one of the ledgers here")


def _bill_state(bridge: TitleBridge, bill: int) -> str:
    title = bridge.registry.title(bill)
    lock = " (locked by the bridge)" if bridge.holds_lock(bill) else ""
    return f"{title.status.name.lower()}{lock}, beneficiary {title.beneficiary}, holder {title.holder}"


def _attest_command(action: str, help_text: str) -> None:
    @bridge_group.command(action, help=help_text)
    @click.argument("pledge_id")
    @role_option("relayer")
    @members_option
    @ledger_options
    def command(pledge_id: str, role: str, member_keystores: tuple[Path, ...], ledger_opts: LedgerOptions) -> None:
        pid = _pledge_id(pledge_id)
        with open_ledgers(ledger_opts) as ledgers:
            bridges = _bridges(ledgers)
            src = _source(ledgers, bridges, pid)
            source = bridges[src]
            record = source.pledge_of(pid)
            dst = ledgers.name_of(record.destination_chain_id)
            if dst not in bridges:
                raise TradefinError(
                    f"pledge 0x{pid.hex()} goes to chain {record.destination_chain_id}, not a ledger here"
                )
            members = _members(ledgers, member_keystores)
            source_id = source.chain_id
            if action == "claim":
                attestation = source.attestation(pid)
                sigs = _gather(bridges[dst], members, lambda m: m.sign_pledge(attestation), f"claim of 0x{pid.hex()}")
                target, receipt = dst, bridges[dst].claim(attestation, sigs, sender=ledgers[dst].accounts[role])
            elif action == "confirm":
                sigs = _gather(source, members, lambda m: m.sign_claimed(source_id, pid), f"confirm of 0x{pid.hex()}")
                target, receipt = src, source.confirm(pid, sigs, sender=ledgers[src].accounts[role])
            else:
                sigs = _gather(
                    source, members, lambda m: m.sign_not_claimed(source_id, pid), f"reclaim of 0x{pid.hex()}"
                )
                target, receipt = src, source.reclaim(pid, sigs, sender=ledgers[src].accounts[role])
            _done(f"{action}: done with {len(sigs)} signatures", target, receipt.tx_hash, receipt.gas_used)


_attest_command("claim", "Issue the pledged bill on its destination ledger, on the committee's signatures.")
_attest_command("confirm", "After the claim: make the source bill final, on the committee's signatures.")
_attest_command("reclaim", "After an unclaimed pledge expired: free the source bill, on the committee's signatures.")


@bridge_group.command("relay")
@click.option("--once", is_flag=True, help="One pass only (default: passes until one does nothing).")
@click.option("--max-passes", type=click.IntRange(1), default=20, show_default=True)
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The relayer's journal (default .tradefin/relayer-<chain ids>.sqlite).",
)
@role_option("relayer")
@members_option
@ledger_options
def relay(
    once: bool,
    max_passes: int,
    journal: Path | None,
    role: str,
    member_keystores: tuple[Path, ...],
    ledger_opts: LedgerOptions,
) -> None:
    """Run the relayer: claims, confirmations and reclaims of every pledge between the ledgers."""
    from tradefin.crossborder.committee import make_relayer, member_accounts

    with open_ledgers(ledger_opts) as ledgers:
        bridges = {n: b.address for n, b in _bridges(ledgers).items()}
        ids = "-".join(str(ctx.chain.chain_id) for ctx in ledgers.values())
        path = journal or ledgers[ledgers.home].project.root / ".tradefin" / f"relayer-{ids}.sqlite"
        relayer = make_relayer(ledgers, bridges, member_accounts(ledgers, member_keystores), path, relayer_role=role)
        try:
            for n in range(1, (1 if once else max_passes) + 1):
                report = relayer.poll_once()
                for action, pid, tx in report.landed:
                    click.echo(f"pass {n}: {action} of 0x{pid.hex()} landed (tx {tx})")
                for action, pid, error in report.failed:
                    click.echo(f"pass {n}: {action} of 0x{pid.hex()} failed: {error}")
                for pid, final in report.finished:
                    click.echo(f"pass {n}: pledge 0x{pid.hex()} {final}")
                for pid, why in report.waiting.items():
                    click.echo(f"pass {n}: waiting on 0x{pid.hex()}: {why}")
                if report.idle:
                    break
            click.echo(f"relayer idle after {n} pass{'es' if n > 1 else ''} (journal {path})")
        finally:
            relayer.journal.close()
