"""``tradefin money ...``: a bank's deposit token (deploy, mint, balance, approve, transfer), and the parsing the
finance commands share (amounts in currency units, dates, parties, tokens, ids, ``show`` output).

Amounts are decimal strings in currency units (``486000.00``) converted with the token's decimals; dates are ISO
dates or datetimes (UTC unless they say otherwise) or unix seconds; a bare date means the last second of that day
(UTC), as the contracts' deadlines are inclusive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.bl_cmd import role_option
from tradefin.cli.options import ChainOptions, chain_options, open_context, require_contract
from tradefin.errors import ConfigError, TradefinError

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.money.deposit import DepositToken
    from tradefin.transactions.sender import Receipt

F = TypeVar("F", bound=Callable[..., Any])

DEPOSIT_CONTRACT = "DepositToken"
_AMOUNT = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")
_HASH = re.compile(r"^0x[0-9a-fA-F]{64}$")
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


# -- parameter types ----------------------------------------------------------------------------------------------


class AmountType(click.ParamType):
    """A non-negative decimal amount in currency units (``486000.00``); scaled to the token's decimals later."""

    name = "amount"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        text = str(value).strip()
        if not _AMOUNT.match(text):
            self.fail(f"not an amount: {value!r} (a decimal number in currency units, e.g. 486000.00)", param, ctx)
        return Decimal(text)


class TimeType(click.ParamType):
    """An ISO date (its last second, UTC), an ISO datetime (UTC unless it has an offset) or unix seconds."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        try:
            return parse_time(text)
        except ValueError:
            self.fail(
                f"not a date: {value!r} (ISO date 2025-06-30, datetime 2025-06-30T12:00Z, or unix seconds)", param, ctx
            )


class IdType(click.ParamType):
    """A credit, presentation, collection or loan id: a positive integer."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text.isdigit() or not 0 < int(text) < 2**256:
            self.fail(f"not an id: {value!r} (ids are positive integers)", param, ctx)
        return int(text)


AMOUNT = AmountType()
DATE = TimeType()
ID = IdType()


def parse_time(text: str) -> int:
    """Unix seconds of ``text``: digits are seconds, a date its last second (UTC), a datetime itself; from 1970
    to the end of ``uint64`` (``ValueError`` otherwise)."""
    if text.isdigit():
        seconds = int(text)
    elif len(text) == 10:
        day = dt.date.fromisoformat(text)
        seconds = int(dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=dt.UTC).timestamp())
    else:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        seconds = int(moment.timestamp())
    if not 0 <= seconds < 2**64:
        raise ValueError(f"{text} is out of range")
    return seconds


def show_time(seconds: int) -> str:
    """``2025-06-30T23:59:59Z``; ``-`` for zero."""
    if not seconds:
        return "-"
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):
        return f"{seconds} (unix time)"


def units(token: DepositToken, amount: Decimal) -> int:
    """Minor units of ``amount`` in ``token`` (any ERC-20 with ``decimals``); too many decimals fail."""
    scaled = amount.scaleb(token.decimals)
    if scaled != scaled.to_integral_value():
        raise ConfigError(f"{amount} has more than {token.decimals} decimals, the most {token.symbol} has")
    if scaled >= 2**256:
        raise ConfigError(f"{amount} is too large for a token amount")
    return int(scaled)


def money(token: DepositToken, value: int) -> str:
    """``486000.00 HKD`` (a token without ``currency`` shows its symbol)."""
    try:
        return token.format(value)
    except TradefinError:
        return f"{Decimal(value).scaleb(-token.decimals):.{token.decimals}f} {token.symbol}"


def hash32(text: str, what: str) -> bytes:
    """A 32-byte hash given as ``0x`` + 64 hex digits, or the keccak-256 of a file's bytes."""
    from eth_utils import keccak

    if _HASH.match(text):
        return bytes.fromhex(text[2:])
    path = Path(text)
    if path.is_file():
        try:
            return bytes(keccak(path.read_bytes()))
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    raise ConfigError(f"{what} {text!r} is neither a 0x-prefixed 32-byte hash nor a file to hash")


# -- parties, contracts, tokens -------------------------------------------------------------------------------------


def party(ctx: Context, who: str, *, contracts: bool = False) -> str:
    """The address of a role name, a 0x address, or (with ``contracts``) a deployment name on this chain."""
    from eth_utils import to_checksum_address

    from tradefin.chain.accounts import canonical_role

    if who.startswith("0x"):
        if not _ADDRESS.match(who):
            raise ConfigError(f"not an address: {who}")
        return str(to_checksum_address(who))
    if contracts and ctx.deployments.record(who) is not None:
        return ctx.deployments.at(who).address
    try:
        canonical_role(who)
    except TradefinError:
        also = " or a deployment name" if contracts else ""
        raise ConfigError(
            f"unknown party {who!r}: not a role, an address{also} on chain {ctx.chain.chain_id}"
        ) from None
    return ctx.accounts.address(who)


def optional_party(ctx: Context, who: str | None) -> str:
    from tradefin.ebl.types import ZERO_ADDRESS

    return ZERO_ADDRESS if who in (None, "", "none") else party(ctx, str(who))


def contract_address(ctx: Context, ref: str) -> str:
    """A 0x address, or the address of a deployment name (checked to be live)."""
    if ref.startswith("0x"):
        return require_contract(ctx, party(ctx, ref))
    return ctx.deployments.at(ref).address


def deposit_token(ctx: Context, ref: str | None) -> DepositToken:
    """A token by address, deployment name, symbol (``dHKD``) or currency (``HKD``) among the recorded deposit
    tokens; None: the only one recorded."""
    from tradefin.money.deposit import DepositToken

    if ref and ref.startswith("0x"):
        return DepositToken.at(ctx, require_contract(ctx, party(ctx, ref), "deposit token"))
    if ref and ctx.deployments.record(ref) is not None:
        return DepositToken(ctx.deployments.at(ref))
    names = sorted(n for n, r in ctx.deployments.records().items() if r.contract == DEPOSIT_CONTRACT)
    if ref:
        wanted = ref.lower()
        names = [n for n in names if wanted in _token_keys(n)]
    if not names:
        what = f"named {ref!r} " if ref else ""
        raise ConfigError(
            f"no deposit token {what}deployed on chain {ctx.chain.chain_id} (tradefin money deploy --currency ...)"
        )
    if len(names) > 1:
        raise ConfigError(f"several deposit tokens match: {', '.join(names)}; pick one with --token")
    return DepositToken(ctx.deployments.at(names[0]))


def _token_keys(name: str) -> set[str]:
    """What a ``DepositToken:<symbol>:<bank>`` record answers to: its symbol and the currency in it."""
    parts = name.split(":")
    symbol = parts[1].lower() if len(parts) > 1 else ""
    return {symbol, symbol.removeprefix("d")} - {""}


def token_option(command: F) -> F:
    return click.option(
        "--token",
        default=None,
        help="Deposit token: address, deployment name, symbol or currency (default: the only one deployed).",
    )(command)


def role_labels(ctx: Context) -> dict[str, str]:
    """Dev accounts' addresses -> role names, to label addresses in ``show`` (dev chains only)."""
    from tradefin.chain.accounts import ROLES, dev_account

    if not ctx.accounts.is_dev:
        return {}
    return {dev_account(i).address: role for i, role in enumerate(ROLES)}


def labelled(labels: Mapping[str, str], address: str) -> str:
    from tradefin.ebl.types import ZERO_ADDRESS

    if address == ZERO_ADDRESS:
        return "-"
    return f"{address} ({labels[address]})" if address in labels else address


def jsonable(value: Any) -> Any:
    """Dataclasses, enums (by name), bytes and bill ids (hex) made JSON-friendly."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _bill_hex(f.name, jsonable(getattr(value, f.name))) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, Mapping):
        return {str(k): _bill_hex(str(k), jsonable(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _bill_hex(key: str, value: Any) -> Any:
    """Bill ids as the hex document hashes the ``bl`` commands take."""
    return f"{value:#066x}" if key in ("bill_id", "billId") and isinstance(value, int) else value


def print_json(value: Any) -> None:
    click.echo(json.dumps(jsonable(value), indent=2))


def done(action: str, receipt: Receipt) -> None:
    click.echo(f"{action} (tx {receipt.tx_hash}, gas {receipt.gas_used:,})")


def require_existing(kind: str, wanted: int, count: int, where: str) -> None:
    """One readable line for an id the contract never handed out (its views would answer zeros)."""
    if not 0 < wanted <= count:
        have = f"ids 1 to {count}" if count else "none yet"
        raise TradefinError(f"no {kind} {wanted} on {where} ({have})")


# -- commands -------------------------------------------------------------------------------------------------------


@click.group("money")
def money_group() -> None:
    """Banks' deposit tokens: deploy, mint, balance, approve, transfer."""


@money_group.command("deploy")
@role_option("issuing_bank")
@click.option("--currency", required=True, help="ISO 4217 code, e.g. HKD.")
@click.option("--name", default=None, help="Token name (default: Deposit <currency> <bank>).")
@click.option("--symbol", default=None, help="Token symbol (default: d<currency>).")
@click.option("--decimals", type=click.IntRange(0, 18), default=2, show_default=True)
@chain_options
def deploy_token(
    role: str, currency: str, name: str | None, symbol: str | None, decimals: int, chain_opts: ChainOptions
) -> None:
    """Deploy the bank's deposit token (reused if an identical one is live); the bank alone mints."""
    from tradefin.money.deposit import DepositToken

    with open_context(chain_opts) as ctx:
        token = DepositToken.deploy(
            ctx, ctx.accounts[role], currency=currency, name=name, symbol=symbol, decimals=decimals
        )
        click.echo(f"{token.contract.name} at {token.address}")


@money_group.command("mint")
@click.argument("to")
@click.argument("amount", type=AMOUNT)
@role_option("issuing_bank")
@token_option
@chain_options
def mint(to: str, amount: Decimal, role: str, token: str | None, chain_opts: ChainOptions) -> None:
    """The bank credits AMOUNT (currency units) to TO (role or address): a deposit."""
    with open_context(chain_opts) as ctx:
        dt_ = deposit_token(ctx, token)
        value = units(dt_, amount)
        receipt = dt_.mint(party(ctx, to), value, sender=ctx.accounts[role])
        done(f"minted {money(dt_, value)} to {to}", receipt)


@money_group.command("balance")
@click.argument("who")
@token_option
@chain_options
def balance(who: str, token: str | None, chain_opts: ChainOptions) -> None:
    """WHO's balance (role, address or deployment name)."""
    with open_context(chain_opts) as ctx:
        dt_ = deposit_token(ctx, token)
        address = party(ctx, who, contracts=True)
        click.echo(f"{who} {address}: {money(dt_, dt_.balance_of(address))}")


@money_group.command("approve")
@click.argument("spender")
@click.argument("amount", type=AMOUNT)
@role_option("buyer")
@token_option
@chain_options
def approve(spender: str, amount: Decimal, role: str, token: str | None, chain_opts: ChainOptions) -> None:
    """Let SPENDER (a contract's deployment name, an address or a role) pull up to AMOUNT from the acting party."""
    with open_context(chain_opts) as ctx:
        dt_ = deposit_token(ctx, token)
        value = units(dt_, amount)
        receipt = dt_.approve(party(ctx, spender, contracts=True), value, sender=ctx.accounts[role])
        done(f"approved {spender} for {money(dt_, value)}", receipt)


@money_group.command("transfer")
@click.argument("to")
@click.argument("amount", type=AMOUNT)
@role_option("buyer")
@token_option
@chain_options
def transfer(to: str, amount: Decimal, role: str, token: str | None, chain_opts: ChainOptions) -> None:
    """Pay AMOUNT to TO (role, address or deployment name) from the acting party."""
    with open_context(chain_opts) as ctx:
        dt_ = deposit_token(ctx, token)
        value = units(dt_, amount)
        receipt = dt_.transfer(party(ctx, to, contracts=True), value, sender=ctx.accounts[role])
        done(f"paid {money(dt_, value)} to {to}", receipt)
