"""``tradefin dvp ...``: delivery versus payment across two ledgers by hash-time locks.

The seller locks the bill on the title ledger (``lock-title``: a fresh secret, its SHA-256 hashlock, the longer
timelock; it writes the agreed terms to ``--terms`` and the secret to ``--secret-file``, readable by the seller only);
the buyer locks the money on the money ledger against those terms (``lock-money``: only after checking the bill's
lock and the timelocks); the seller claims the money (``reveal``: the secret goes on chain); the buyer claims the
bill with the secret read there (``claim``). Unrevealed, ``refund`` returns each asset after its timelock.
Every step applies :class:`tradefin.bridge.htlc.DeliveryVersusPayment`'s safety rules before sending.

Each ledger's contract is the ``HashTimeLock`` deployment (``dvp deploy``), the bill the carrier's
``TitleRegistry:EBL`` there; ledgers by name as in ``tradefin bridge``.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tradefin.cli.bl_cmd import _bill, role_option
from tradefin.cli.ledger_options import LedgerOptions, ledger_options, open_ledgers
from tradefin.cli.money_cmd import AMOUNT, deposit_token, money, party, show_time, token_option, units
from tradefin.errors import ConfigError

if TYPE_CHECKING:
    from tradefin.bridge.htlc import DeliveryVersusPayment, DvpTerms
    from tradefin.crossborder.ledgers import Ledgers

HTLC = "HashTimeLock"
REGISTRY = "TitleRegistry:EBL"


def _terms_option(command: Any) -> Any:
    return click.option(
        "--terms",
        "terms_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("dvp-terms.json"),
        show_default=True,
        help="The agreed terms (written by lock-title, read by the other commands).",
    )(command)


def _secret_option(command: Any) -> Any:
    return click.option(
        "--secret-file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("dvp-secret.hex"),
        show_default=True,
        help="The seller's secret (written by lock-title, read by reveal); keep it private.",
    )(command)


def _read_terms(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(f"cannot read terms {path}: {exc.strerror} (tradefin dvp lock-title writes them)") from None
    except ValueError:
        raise ConfigError(f"{path} is not a terms file (invalid JSON)") from None
    needed = {"title_ledger", "money_ledger", "token", "seller", "buyer", "bill_id", "amount", "hashlock"}
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a terms file (not a JSON object)")
    missing = (needed | {"title_timelock", "money_timelock"}) - set(data)
    if missing:
        raise ConfigError(f"{path} is not a terms file (missing {', '.join(sorted(missing))})")
    return data


def _terms(data: dict[str, Any]) -> DvpTerms:
    from tradefin.bridge.htlc import DvpTerms

    try:
        return DvpTerms(
            seller=str(data["seller"]),
            buyer=str(data["buyer"]),
            bill_id=int(str(data["bill_id"]), 16),
            amount=int(data["amount"]),
            hashlock=bytes.fromhex(str(data["hashlock"]).removeprefix("0x")),
            title_timelock=int(data["title_timelock"]),
            money_timelock=int(data["money_timelock"]),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"the terms file holds a malformed value: {exc}") from None


def _dvp(ledgers: Ledgers, title: str, money_ledger: str, token: str | None) -> DeliveryVersusPayment:
    from tradefin.bridge.htlc import DeliveryVersusPayment, HashTimeLock
    from tradefin.chain.ledgers import check_ledger
    from tradefin.ebl.registry import TitleRegistry

    title, money_ledger = check_ledger(title, ledgers), check_ledger(money_ledger, ledgers)
    if title == money_ledger:
        raise ConfigError(f"the bill and the money are both on {title}: delivery versus payment needs two ledgers")
    htlcs = {}
    for name in (title, money_ledger):
        ctx = ledgers[name]
        if ctx.deployments.record(HTLC) is None:
            raise ConfigError(f"no hash-time lock on {name} (chain {ctx.chain.chain_id}): run tradefin dvp deploy")
        htlcs[name] = HashTimeLock.at(ctx, ctx.deployments.at(HTLC).address)
    title_ctx = ledgers[title]
    return DeliveryVersusPayment(
        title_htlc=htlcs[title],
        registry=TitleRegistry.at(title_ctx, title_ctx.deployments.at(REGISTRY).address),
        money_htlc=htlcs[money_ledger],
        token=deposit_token(ledgers[money_ledger], token),
    )


def _from_terms(ledgers: Ledgers, data: dict[str, Any]) -> DeliveryVersusPayment:
    return _dvp(ledgers, str(data["title_ledger"]), str(data["money_ledger"]), str(data["token"]))


def _done(what: str, ledger: str, tx_hash: str, gas: int) -> None:
    click.echo(f"{what} on {ledger} (tx {tx_hash}, gas {gas:,})")


@click.group("dvp")
def dvp_group() -> None:
    """Delivery versus payment across ledgers: deploy, lock-title, lock-money, reveal, claim, refund, status."""


@dvp_group.command("deploy")
@role_option("deployer")
@ledger_options
def deploy(role: str, ledger_opts: LedgerOptions) -> None:
    """Deploy a hash-time lock on every ledger; the carrier lets it hold bills of its registry there."""
    from tradefin.bridge.htlc import HashTimeLock
    from tradefin.ebl.registry import TitleRegistry

    with open_ledgers(ledger_opts) as ledgers:
        for name, ctx in ledgers.items():
            htlc = HashTimeLock.deploy(ctx, ctx.accounts[role], deployment_name=HTLC)
            note = ""
            if ctx.deployments.record(REGISTRY) is not None:
                htlc.authorise(
                    TitleRegistry.at(ctx, ctx.deployments.at(REGISTRY).address), admin=ctx.accounts["carrier"]
                )
                note = f", may hold bills of {REGISTRY}"
            click.echo(f"{name} (chain {ctx.chain.chain_id}): {HTLC} at {htlc.address}{note}")


@dvp_group.command("lock-title")
@click.argument("bill")
@click.option("--buyer", default="buyer", show_default=True, help="Who gets the bill and pays (role or address).")
@click.option("--amount", type=AMOUNT, required=True, help="The price, in currency units (486000.00).")
@click.option("--title-ledger", default="shanghai", show_default=True)
@click.option("--money-ledger", default="hong-kong", show_default=True)
@click.option("--title-hours", type=click.IntRange(1), default=48, show_default=True, help="The bill's lock (longer).")
@click.option("--money-hours", type=click.IntRange(1), default=24, show_default=True, help="The money's lock.")
@token_option
@role_option("shipper")
@_terms_option
@_secret_option
@ledger_options
def lock_title(
    bill: str,
    buyer: str,
    amount: Decimal,
    title_ledger: str,
    money_ledger: str,
    title_hours: int,
    money_hours: int,
    token: str | None,
    role: str,
    terms_path: Path,
    secret_file: Path,
    ledger_opts: LedgerOptions,
) -> None:
    """The seller locks BILL on the title ledger for the buyer under a fresh secret's hashlock."""
    from tradefin.bridge.htlc import DvpTerms, hashlock_of, new_secret
    from tradefin.chain.ledgers import check_ledger

    if title_hours <= money_hours:
        raise ConfigError(f"--title-hours ({title_hours}) must be longer than --money-hours ({money_hours})")
    if terms_path.exists() or secret_file.exists():
        raise ConfigError(f"{terms_path} or {secret_file} exists already: one secret per exchange, pick new files")
    with open_ledgers(ledger_opts) as ledgers:
        title_ledger, money_ledger = check_ledger(title_ledger, ledgers), check_ledger(money_ledger, ledgers)
        dvp = _dvp(ledgers, title_ledger, money_ledger, token)
        seller = ledgers[title_ledger].accounts[role]
        secret = new_secret()
        now = max(dvp.title_htlc.now(), dvp.money_htlc.now())
        terms = DvpTerms(
            seller=seller.address,
            buyer=party(ledgers[money_ledger], buyer),
            bill_id=_bill(bill),
            amount=units(dvp.token, amount),
            hashlock=hashlock_of(secret),
            title_timelock=now + title_hours * 3600,
            money_timelock=now + money_hours * 3600,
        )
        locked = dvp.lock_title(terms, seller=seller)
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("0x" + secret.hex() + "\n")
        data = {
            "title_ledger": title_ledger,
            "money_ledger": money_ledger,
            "token": dvp.token.address,
            "seller": terms.seller,
            "buyer": terms.buyer,
            "bill_id": f"{terms.bill_id:#066x}",
            "amount": terms.amount,
            "hashlock": "0x" + terms.hashlock.hex(),
            "title_timelock": terms.title_timelock,
            "money_timelock": terms.money_timelock,
        }
        terms_path.write_text(json.dumps(data, indent=2) + "\n")
        click.echo(f"lock 0x{locked.lock_id.hex()}: terms in {terms_path}, secret in {secret_file}")
        _done(
            f"bill {terms.bill_id:#066x} locked for {terms.buyer} until {show_time(terms.title_timelock)}",
            title_ledger,
            locked.receipt.tx_hash,
            locked.receipt.gas_used,
        )


@dvp_group.command("lock-money")
@role_option("buyer")
@_terms_option
@ledger_options
def lock_money(role: str, terms_path: Path, ledger_opts: LedgerOptions) -> None:
    """The buyer checks the bill's lock and locks the money for the seller (approving the amount first)."""
    data = _read_terms(terms_path)
    with open_ledgers(ledger_opts) as ledgers:
        dvp, terms = _from_terms(ledgers, data), _terms(data)
        locked = dvp.lock_money(terms, buyer=ledgers[str(data["money_ledger"])].accounts[role])
        _done(
            f"{money(dvp.token, terms.amount)} locked for {terms.seller} until {show_time(terms.money_timelock)} "
            f"(lock 0x{locked.lock_id.hex()})",
            str(data["money_ledger"]),
            locked.receipt.tx_hash,
            locked.receipt.gas_used,
        )


@dvp_group.command("reveal")
@role_option("shipper")
@_terms_option
@_secret_option
@ledger_options
def reveal(role: str, terms_path: Path, secret_file: Path, ledger_opts: LedgerOptions) -> None:
    """The seller claims the money with the secret, which publishes it (refused if the buyer could not then claim
    the bill in time)."""
    data = _read_terms(terms_path)
    try:
        secret = bytes.fromhex(secret_file.read_text().strip().removeprefix("0x"))
    except OSError as exc:
        raise ConfigError(f"cannot read the secret {secret_file}: {exc.strerror}") from None
    except ValueError:
        raise ConfigError(f"{secret_file} does not hold a hex secret") from None
    with open_ledgers(ledger_opts) as ledgers:
        dvp, terms = _from_terms(ledgers, data), _terms(data)
        receipt = dvp.reveal(terms, secret, seller=ledgers[str(data["money_ledger"])].accounts[role])
        _done(
            f"{money(dvp.token, terms.amount)} claimed, secret revealed",
            str(data["money_ledger"]),
            receipt.tx_hash,
            receipt.gas_used,
        )


@dvp_group.command("claim")
@role_option("buyer")
@_terms_option
@ledger_options
def claim(role: str, terms_path: Path, ledger_opts: LedgerOptions) -> None:
    """The buyer (or anyone) claims the bill with the secret revealed on the money ledger."""
    data = _read_terms(terms_path)
    with open_ledgers(ledger_opts) as ledgers:
        dvp, terms = _from_terms(ledgers, data), _terms(data)
        receipt = dvp.settle_title(terms, sender=ledgers[str(data["title_ledger"])].accounts[role])
        _done(
            f"bill {terms.bill_id:#066x} released to {terms.buyer}",
            str(data["title_ledger"]),
            receipt.tx_hash,
            receipt.gas_used,
        )


@dvp_group.command("refund")
@click.option("--side", type=click.Choice(["title", "money"]), required=True, help="Which lock to refund.")
@role_option("shipper")
@_terms_option
@ledger_options
def refund(side: str, role: str, terms_path: Path, ledger_opts: LedgerOptions) -> None:
    """After its timelock, return the bill to the seller (title) or the money to the buyer (anyone may send)."""
    data = _read_terms(terms_path)
    with open_ledgers(ledger_opts) as ledgers:
        dvp, terms = _from_terms(ledgers, data), _terms(data)
        ledger = str(data[f"{side}_ledger"])
        sender = ledgers[ledger].accounts[role]
        receipt = dvp.refund_title(terms, sender=sender) if side == "title" else dvp.refund_money(terms, sender=sender)
        _done(f"{side} lock refunded", ledger, receipt.tx_hash, receipt.gas_used)


@dvp_group.command("status")
@_terms_option
@ledger_options
def status(terms_path: Path, ledger_opts: LedgerOptions) -> None:
    """Both locks of the exchange: status, timelock against each ledger's clock, and whether the secret is out."""
    data = _read_terms(terms_path)
    with open_ledgers(ledger_opts) as ledgers:
        dvp, terms = _from_terms(ledgers, data), _terms(data)
        rows = (
            ("title", str(data["title_ledger"]), dvp.title_htlc, dvp.title_lock_id(terms), f"bill {terms.bill_id:#x}"),
            (
                "money",
                str(data["money_ledger"]),
                dvp.money_htlc,
                dvp.money_lock_id(terms),
                money(dvp.token, terms.amount),
            ),
        )
        for side, ledger, htlc, lid, what in rows:
            lock = htlc.lock(lid)
            now = htlc.now()
            timelock = terms.title_timelock if side == "title" else terms.money_timelock
            left = f"{(timelock - now) // 60} min left" if timelock > now else "timelock passed"
            click.echo(
                f"{side:<6} {ledger:<10} {lock.status.name.lower():<9} {what}, until {show_time(timelock)} "
                f"({left}), lock 0x{lid.hex()}"
            )
        revealed = dvp.money_htlc.revealed_secret(terms.hashlock) is not None
        click.echo(f"secret {'revealed on ' + str(data['money_ledger']) if revealed else 'not revealed'}")
