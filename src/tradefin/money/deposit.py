"""Typed client of a bank's tokenized deposit (``contracts/money/DepositToken.sol``) and EIP-2612 permits.

Amounts are integers in minor units (cents for HKD and CNH); :meth:`DepositToken.units` and
:meth:`DepositToken.format` convert from and to decimal strings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount

from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.eip712 import typed_message
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

CONTRACT = "DepositToken"
PERMIT_VERSION = "1"
"""The EIP-712 domain version of OpenZeppelin's ERC20Permit."""


def currency_code(code: str | bytes) -> bytes:
    """An ISO 4217 alphabetic code as the contract's ``bytes3``."""
    raw = code.encode() if isinstance(code, str) else code
    if len(raw) != 3 or not raw.isalpha() or not raw.isupper():
        raise TradefinError(f"{code!r} is not an ISO 4217 currency code (three capital letters)")
    return raw


@dataclass(frozen=True)
class Permit:
    """An owner's EIP-2612 signature letting ``spender`` spend ``value`` until ``deadline``."""

    token: str
    owner: str
    spender: str
    value: int
    nonce: int
    deadline: int
    v: int
    r: bytes
    s: bytes

    def call_args(self) -> tuple[Any, ...]:
        """Arguments of ``permit(owner, spender, value, deadline, v, r, s)``."""
        return (self.owner, self.spender, self.value, self.deadline, self.v, self.r, self.s)


def permit_typed_data(
    *,
    name: str,
    chain_id: int,
    token: str,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
) -> dict[str, Any]:
    """The full EIP-712 message of an ERC-2612 permit."""
    fields = [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
    message = {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
    return typed_message(
        "Permit", fields, message, name=name, version=PERMIT_VERSION, chain_id=chain_id, contract=token
    )


def sign_permit(
    owner: LocalAccount,
    *,
    name: str,
    chain_id: int,
    token: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
) -> Permit:
    """``owner``'s permit for any ERC-20 with OpenZeppelin's ERC20Permit (domain ``name``, version "1")."""
    message = permit_typed_data(
        name=name,
        chain_id=chain_id,
        token=token,
        owner=owner.address,
        spender=spender,
        value=value,
        nonce=nonce,
        deadline=deadline,
    )
    signed = owner.sign_message(encode_typed_data(full_message=message))
    return Permit(
        token=token,
        owner=owner.address,
        spender=spender,
        value=value,
        nonce=nonce,
        deadline=deadline,
        v=signed.v,
        r=signed.r.to_bytes(32, "big"),
        s=signed.s.to_bytes(32, "big"),
    )


class DepositToken:
    """One bank's deposit token in one currency; the bank alone mints and burns."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._name: str | None = None
        self._decimals: int | None = None

    @property
    def address(self) -> str:
        return self.contract.address

    # -- deployment -----------------------------------------------------------------------------------------------

    @classmethod
    def deploy(
        cls,
        ctx: Context,
        bank: LocalAccount,
        *,
        currency: str,
        name: str | None = None,
        symbol: str | None = None,
        decimals: int = 2,
        deployment_name: str | None = None,
        contract: str = CONTRACT,
    ) -> DepositToken:
        """Deploy ``bank``'s deposit token in ``currency`` (2 decimals by default, as HKD and CNH)."""
        code = currency_code(currency)
        name = name or f"Deposit {code.decode()} {bank.address[:8]}"
        symbol = symbol or f"d{code.decode()}"
        handle = ctx.deployments.deploy(
            bank,
            contract,
            name,
            symbol,
            code,
            decimals,
            bank.address,
            name=deployment_name or f"{contract}:{symbol}:{bank.address}",
        )
        return cls(handle)

    @classmethod
    def at(cls, ctx: Context, address: str) -> DepositToken:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, CONTRACT))

    # -- the bank -------------------------------------------------------------------------------------------------

    def mint(self, to: str, amount: int, *, sender: LocalAccount) -> Receipt:
        """Credit ``amount`` minor units to ``to`` (a deposit)."""
        return self.contract.transact(sender, "mint", to, amount)

    def burn(self, amount: int, *, sender: LocalAccount) -> Receipt:
        """Destroy ``amount`` of the bank's own tokens."""
        return self.contract.transact(sender, "burn", amount)

    def burn_from(self, account: str, amount: int, *, sender: LocalAccount) -> Receipt:
        """Debit ``account`` within the allowance it gave the bank (a withdrawal)."""
        return self.contract.transact(sender, "burnFrom", account, amount)

    def transfer_bank(self, new_bank: str, *, sender: LocalAccount) -> Receipt:
        """Start handing the token over to ``new_bank`` (it must :meth:`accept_bank`)."""
        return self.contract.transact(sender, "transferOwnership", new_bank)

    def accept_bank(self, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "acceptOwnership")

    # -- holders --------------------------------------------------------------------------------------------------

    def transfer(self, to: str, amount: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "transfer", to, amount)

    def approve(self, spender: str, amount: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "approve", spender, amount)

    def transfer_from(self, owner: str, to: str, amount: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "transferFrom", owner, to, amount)

    def sign_permit(
        self,
        owner: LocalAccount,
        spender: str,
        value: int,
        *,
        deadline: int | None = None,
        nonce: int | None = None,
    ) -> Permit:
        """``owner``'s EIP-2612 permit for ``spender`` (deadline: one hour from now by default)."""
        chain = self.contract.transactor.chain
        return sign_permit(
            owner,
            name=self.name,
            chain_id=chain.chain_id,
            token=self.address,
            spender=spender,
            value=value,
            nonce=self.nonce(owner.address) if nonce is None else nonce,
            deadline=deadline if deadline is not None else max(chain.timestamp(), int(time.time())) + 3600,
        )

    def permit(self, permit: Permit, *, sender: LocalAccount) -> Receipt:
        """Submit a signed permit; anyone may relay it."""
        return self.contract.transact(sender, "permit", *permit.call_args())

    # -- reads ----------------------------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = str(self.contract.call("name"))
        return self._name

    @property
    def symbol(self) -> str:
        return str(self.contract.call("symbol"))

    @property
    def decimals(self) -> int:
        if self._decimals is None:
            self._decimals = int(self.contract.call("decimals"))
        return self._decimals

    @property
    def currency(self) -> str:
        raw: bytes = self.contract.call("currency")
        return raw.decode()

    @property
    def bank(self) -> str:
        return str(self.contract.call("bank"))

    def balance_of(self, account: str) -> int:
        return int(self.contract.call("balanceOf", account))

    def allowance(self, owner: str, spender: str) -> int:
        return int(self.contract.call("allowance", owner, spender))

    def total_supply(self) -> int:
        return int(self.contract.call("totalSupply"))

    def nonce(self, owner: str) -> int:
        return int(self.contract.call("nonces", owner))

    # -- amounts --------------------------------------------------------------------------------------------------

    def units(self, amount: str | int | Decimal) -> int:
        """Minor units of a decimal amount ("1234.56" HKD -> 123456); more decimals than the token has fail."""
        try:
            value = Decimal(amount) if not isinstance(amount, Decimal) else amount
        except InvalidOperation:
            raise TradefinError(f"not an amount: {amount!r}") from None
        scaled = value.scaleb(self.decimals)
        if scaled != scaled.to_integral_value():
            raise TradefinError(f"{amount} has more than {self.decimals} decimals")
        return int(scaled)

    def format(self, units: int) -> str:
        """A decimal string of ``units`` minor units, with the currency code ("1234.56 HKD")."""
        value = Decimal(units).scaleb(-self.decimals)
        return f"{value:.{self.decimals}f} {self.currency}"

    def __repr__(self) -> str:
        return f"<DepositToken {self.address}>"
