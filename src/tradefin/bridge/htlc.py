"""Typed client of ``contracts/bridge/HashTimeLock.sol`` and the cross-chain delivery versus payment built on it.

A hash-time-locked exchange between two ledgers: the seller locks the bill of lading on the title chain for the
buyer under ``sha256(secret)`` with the LONGER timelock; the buyer, having checked that lock, locks the tokenized
deposit on the money chain for the seller under the same hashlock with a SHORTER timelock; the seller claims the
money, which publishes the secret in the money chain's ``LockClaimed`` event; the buyer (or anyone) reads it there
and claims the bill for the buyer. Unrevealed, both locks are refunded after their timelocks.

The hashlock is SHA-256 of a 32-byte secret (the Bitcoin/Lightning HTLC convention), so a counterpart lock on a
chain without keccak can share it. :class:`DeliveryVersusPayment` enforces, in Python, the rule that keeps either
side from ending with both assets: the buyer locks money only when the title lock gives it ``margin`` seconds after
the money's timelock to claim the bill, measured on the title chain's clock and allowing for the two clocks' skew
and drift; the seller reveals only while that margin still lies ahead on the title chain.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from tradefin.ebl.registry import LOCKER_ROLE, DocumentRef, TitleRegistry
from tradefin.errors import TradefinError
from tradefin.transactions.abi import DecodedEvent
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.money.deposit import DepositToken, Permit

CONTRACT = "HashTimeLock"
MAX_AMOUNT = 2**96 - 1
"""The largest amount one token lock holds."""


class LockKind(enum.IntEnum):
    """``IHashTimeLock.LockKind``."""

    TITLE = 0
    TOKEN = 1


class LockStatus(enum.IntEnum):
    """``IHashTimeLock.LockStatus``: CLAIMED and REFUNDED are final."""

    NONE = 0
    LOCKED = 1
    CLAIMED = 2
    REFUNDED = 3


# -- secrets and hashlocks ---------------------------------------------------------------------------------------


def new_secret() -> bytes:
    """A fresh 32-byte secret (preimage) from the OS's CSPRNG. One per exchange: a secret once revealed unlocks
    every lock under its hashlock, so never reuse one."""
    return secrets.token_bytes(32)


def hashlock_of(secret: bytes) -> bytes:
    """The hashlock of a 32-byte ``secret``: its SHA-256, as the contract checks it."""
    if len(secret) != 32:
        raise TradefinError(f"a secret (preimage) is 32 bytes, got {len(secret)}")
    return hashlib.sha256(secret).digest()


def lock_id(
    *,
    chain_id: int,
    contract: str,
    kind: LockKind,
    asset: str,
    value: int,
    sender: str,
    recipient: str,
    hashlock: bytes,
    timelock: int,
) -> bytes:
    """The id a lock gets on ``contract``: keccak-256 of the ABI encoding of the chain id, the contract and the
    terms (``value``: the bill id of a title lock, the amount of a token lock). Same formula as ``lockIdOf``."""
    return keccak(
        encode(
            ["uint256", "address", "uint8", "address", "uint256", "address", "address", "bytes32", "uint64"],
            [chain_id, contract, int(kind), asset, value, sender, recipient, hashlock, timelock],
        )
    )


def title_lock_data(recipient: str, hashlock: bytes, timelock: int) -> bytes:
    """The ``data`` of ``ITitleRegistry.encumber`` that asks for a title lock: ``abi.encode(TitleLockRequest)``."""
    return encode(["address", "bytes32", "uint64"], [recipient, hashlock, timelock])


@dataclass(frozen=True)
class HashLock:
    """A lock as the contract holds it (``IHashTimeLock.Lock``)."""

    lock_id: bytes
    sender: str
    timelock: int
    """Claims strictly before this time (unix seconds, the lock's chain clock); refunds from it on."""
    kind: LockKind
    status: LockStatus
    recipient: str
    asset: str
    """The title registry (title lock) or the ERC-20 (token lock)."""
    amount: int
    """Token units of a token lock; zero for a title."""
    hashlock: bytes
    bill_id: int
    """The bill of a title lock; zero for tokens."""

    @classmethod
    def from_abi(cls, lid: bytes, raw: Any) -> HashLock:
        sender, timelock, kind, status, recipient, asset, amount, digest, bill = raw
        return cls(
            lid, sender, timelock, LockKind(kind), LockStatus(status), recipient, asset, amount, bytes(digest), bill
        )

    @property
    def exists(self) -> bool:
        return self.status is not LockStatus.NONE


@dataclass(frozen=True)
class Locked:
    """A lock just made: its id and the transaction."""

    lock_id: bytes
    receipt: Receipt


class HashTimeLock:
    """One chain's hash-time-lock contract: title locks (through registries that grant it LOCKER_ROLE) and token
    locks. Claims and refunds may be sent by anyone; the lock decides who receives the asset."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    @property
    def chain_id(self) -> int:
        return self.contract.transactor.chain.chain_id

    def now(self) -> int:
        """The latest block's time on this contract's chain."""
        return self.contract.transactor.chain.timestamp()

    # -- deployment -----------------------------------------------------------------------------------------------

    @classmethod
    def deploy(cls, ctx: Context, deployer: LocalAccount, *, deployment_name: str | None = None) -> HashTimeLock:
        """Deploy a hash-time-lock contract (title locks still need :meth:`authorise` on each registry)."""
        return cls(ctx.deployments.deploy(deployer, CONTRACT, name=deployment_name or CONTRACT))

    @classmethod
    def at(cls, ctx: Context, address: str, name: str = CONTRACT) -> HashTimeLock:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, name))

    def authorise(self, registry: TitleRegistry, *, admin: LocalAccount) -> None:
        """``registry``'s admin grants this contract LOCKER_ROLE, so owners may lock bills in it."""
        if not registry.contract.call("hasRole", LOCKER_ROLE, self.address):
            registry.authorise_locker(self.address, sender=admin)

    # -- locking --------------------------------------------------------------------------------------------------

    def lock_title(
        self,
        registry: TitleRegistry,
        bill: DocumentRef,
        *,
        recipient: str,
        hashlock: bytes,
        timelock: int,
        sender: LocalAccount,
    ) -> Locked:
        """The owner (``sender``) encumbers ``bill`` to this contract for ``recipient`` under ``hashlock`` until
        ``timelock`` (a to-order or blank-endorsed negotiable bill)."""
        data = title_lock_data(recipient, hashlock, timelock)
        receipt = registry.encumber(bill, self.address, sender=sender, data=data)
        return Locked(bytes(self._event(receipt, "TitleHashLocked")["lockId"]), receipt)

    def lock_tokens(
        self,
        token: str,
        amount: int,
        *,
        recipient: str,
        hashlock: bytes,
        timelock: int,
        sender: LocalAccount,
        permit: Permit | None = None,
    ) -> Locked:
        """``sender`` locks ``amount`` of ``token`` for ``recipient`` under ``hashlock`` until ``timelock``: with
        an allowance given beforehand, or with ``permit`` (``sender``'s EIP-2612 permit for this contract)."""
        if permit is None:
            receipt = self.contract.transact(sender, "lockTokens", token, amount, recipient, hashlock, timelock)
        else:
            if (permit.token, permit.owner, permit.spender) != (token, sender.address, self.address):
                raise TradefinError("the permit is not the sender's for this token and this contract")
            receipt = self.contract.transact(
                sender,
                "lockTokensWithPermit",
                token,
                amount,
                recipient,
                hashlock,
                timelock,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s,
            )
        return Locked(bytes(self._event(receipt, "TokensHashLocked")["lockId"]), receipt)

    # -- settling -------------------------------------------------------------------------------------------------

    def claim(self, lid: bytes, preimage: bytes, *, sender: LocalAccount) -> Receipt:
        """Before the timelock, with the preimage: the asset goes to the lock's recipient (anyone may send)."""
        return self.contract.transact(sender, "claim", lid, preimage)

    def refund(self, lid: bytes, *, sender: LocalAccount) -> Receipt:
        """From the timelock on: the asset goes back to the lock's sender (anyone may send)."""
        return self.contract.transact(sender, "refund", lid)

    # -- reads ----------------------------------------------------------------------------------------------------

    def lock(self, lid: bytes) -> HashLock:
        """Lock ``lid`` (status NONE if unknown)."""
        return HashLock.from_abi(lid, self.contract.call("lockOf", lid))

    def lock_id_of(
        self,
        kind: LockKind,
        asset: str,
        value: int,
        *,
        sender: str,
        recipient: str,
        hashlock: bytes,
        timelock: int,
    ) -> bytes:
        """The id of a lock with these terms here, computed locally (the contract's ``lockIdOf`` agrees)."""
        return lock_id(
            chain_id=self.chain_id,
            contract=self.address,
            kind=kind,
            asset=asset,
            value=value,
            sender=sender,
            recipient=recipient,
            hashlock=hashlock,
            timelock=timelock,
        )

    def claims(self, hashlock: bytes | None = None, *, from_block: int = 0) -> list[DecodedEvent]:
        """``LockClaimed`` events here, all or those under ``hashlock`` (the event's second indexed topic)."""
        topics: list[Any] = [] if hashlock is None else [None, "0x" + hashlock.hex()]
        return self.contract.get_logs(from_block=from_block, events=["LockClaimed"], topics=topics)

    def revealed_secret(self, hashlock: bytes, *, from_block: int = 0) -> bytes | None:
        """The preimage of ``hashlock`` if a lock here was claimed with it (checked against the hash), else None."""
        for event in self.claims(hashlock, from_block=from_block):
            preimage = bytes(event["preimage"])
            if hashlib.sha256(preimage).digest() == hashlock:
                return preimage
        return None

    def _event(self, receipt: Receipt, name: str) -> DecodedEvent:
        for event in self.contract.decode_logs(receipt):
            if event.name == name:
                return event
        raise TradefinError(f"{receipt.tx_hash} emitted no {name} event from {self.contract.name}")

    def __repr__(self) -> str:
        return f"<HashTimeLock {self.address} on chain {self.chain_id}>"


# -- cross-chain delivery versus payment -------------------------------------------------------------------------


class DvpError(TradefinError):
    """A delivery-versus-payment step was refused before anything was sent."""


class UnsafeTimelocks(DvpError):
    """The timelocks leave the buyer too little time to claim the bill after the money can be claimed: the title
    lock must outlast the money lock by the safety margin plus the clocks' skew and drift. Agree longer title (or
    shorter money) timelocks, or do not go on."""


class LockMismatch(DvpError):
    """A lock on chain is not what was agreed (missing, settled, or other terms): do not lock or reveal against it."""


class WrongSecret(DvpError):
    """The secret does not hash to the agreed hashlock."""


class SecretNotRevealed(DvpError):
    """The money lock was not claimed yet, so the secret is unknown: wait, or refund after the timelock."""


@dataclass(frozen=True)
class SafetyPolicy:
    """How much time each check demands (seconds)."""

    margin: int = 3600
    """Time the buyer keeps, on the title chain, between the last moment the seller can reveal (the money's
    timelock) and the bill's timelock, to see the secret and have its title claim mined."""
    clock_drift: int = 300
    """Allowance for the two chains' clocks moving apart after their skew was measured."""
    reveal_window: int = 60
    """The seller reveals only with at least this long left on the money lock, so its claim can still land."""

    def __post_init__(self) -> None:
        if min(self.margin, self.clock_drift, self.reveal_window) < 0:
            raise DvpError("safety margins cannot be negative")


@dataclass(frozen=True)
class DvpTerms:
    """What seller and buyer agreed off chain; both locks follow from these terms (their ids are derived)."""

    seller: str
    """Locks the bill; receives the money (the same address on both chains)."""
    buyer: str
    """Locks the money; receives the bill (the same address on both chains)."""
    bill_id: int
    """The bill on the title chain's registry (a to-order or blank-endorsed negotiable bill)."""
    amount: int
    """Deposit-token units (minor units of the currency)."""
    hashlock: bytes
    """SHA-256 of the seller's secret (see :func:`hashlock_of`)."""
    title_timelock: int
    """The bill's lock ends here (title chain clock): the longer one."""
    money_timelock: int
    """The money's lock ends here (money chain clock): the shorter one."""

    def __post_init__(self) -> None:
        if len(self.hashlock) != 32:
            raise DvpError(f"a hashlock is 32 bytes, got {len(self.hashlock)}")
        if self.amount <= 0 or self.amount > MAX_AMOUNT:
            raise DvpError(f"amount {self.amount} is not in 1..2**96-1")
        if self.seller == self.buyer:
            raise DvpError("seller and buyer are the same address")


class DeliveryVersusPayment:
    """Orchestrates one bill-against-money exchange between a title chain and a money chain, refusing every step
    that would let one side end up with both the bill and the money."""

    def __init__(
        self,
        *,
        title_htlc: HashTimeLock,
        registry: TitleRegistry,
        money_htlc: HashTimeLock,
        token: DepositToken,
        policy: SafetyPolicy | None = None,
    ) -> None:
        if title_htlc.chain_id == money_htlc.chain_id:
            raise DvpError(f"title and money are both on chain {title_htlc.chain_id}: use a local exchange")
        self.title_htlc = title_htlc
        self.registry = registry
        self.money_htlc = money_htlc
        self.token = token
        self.policy = policy or SafetyPolicy()

    # -- lock ids -------------------------------------------------------------------------------------------------

    def title_lock_id(self, terms: DvpTerms) -> bytes:
        return self.title_htlc.lock_id_of(
            LockKind.TITLE,
            self.registry.address,
            terms.bill_id,
            sender=terms.seller,
            recipient=terms.buyer,
            hashlock=terms.hashlock,
            timelock=terms.title_timelock,
        )

    def money_lock_id(self, terms: DvpTerms) -> bytes:
        return self.money_htlc.lock_id_of(
            LockKind.TOKEN,
            self.token.address,
            terms.amount,
            sender=terms.buyer,
            recipient=terms.seller,
            hashlock=terms.hashlock,
            timelock=terms.money_timelock,
        )

    # -- the safety rule ------------------------------------------------------------------------------------------

    def clock_skew(self) -> int:
        """How far the title chain's clock is ahead of the money chain's (negative: behind), in seconds."""
        return self.title_htlc.now() - self.money_htlc.now()

    def required_title_timelock(self, money_timelock: int, *, skew: int | None = None) -> int:
        """The earliest safe title timelock for ``money_timelock``: a secret revealed at the last moment on the
        money chain still leaves ``margin`` seconds on the title chain, whose clock may run ahead by the measured
        ``skew`` (default: measured now; a clock behind is given no credit) plus ``clock_drift``."""
        ahead = max(self.clock_skew() if skew is None else skew, 0)
        return money_timelock + ahead + self.policy.clock_drift + self.policy.margin

    def check_timelocks(self, terms: DvpTerms) -> None:
        """Raise :class:`UnsafeTimelocks` unless the title timelock outlasts the money timelock safely and the money
        timelock still lies ahead on the money chain."""
        money_now = self.money_htlc.now()
        if terms.money_timelock <= money_now + self.policy.reveal_window:
            raise UnsafeTimelocks(
                f"the money timelock {terms.money_timelock} leaves the seller less than "
                f"{self.policy.reveal_window} s to claim (money chain time {money_now})"
            )
        if terms.title_timelock <= terms.money_timelock:
            raise UnsafeTimelocks(
                f"the title timelock {terms.title_timelock} must be LATER than the money timelock "
                f"{terms.money_timelock}: the seller could take the money and then refund the bill"
            )
        skew = max(self.clock_skew(), 0)
        required = self.required_title_timelock(terms.money_timelock, skew=skew)
        if terms.title_timelock < required:
            raise UnsafeTimelocks(
                f"the title timelock {terms.title_timelock} is {required - terms.title_timelock} s short: it must "
                f"be at least {required} (money timelock {terms.money_timelock} + title clock ahead by {skew} s "
                f"+ drift {self.policy.clock_drift} s + margin {self.policy.margin} s)"
            )

    # -- seller ---------------------------------------------------------------------------------------------------

    def lock_title(self, terms: DvpTerms, *, seller: LocalAccount) -> Locked:
        """Step 1, the seller: lock the bill for the buyer (after checking the agreed timelocks are safe)."""
        if seller.address != terms.seller:
            raise DvpError(f"{seller.address} is not the agreed seller {terms.seller}")
        self.check_timelocks(terms)
        return self.title_htlc.lock_title(
            self.registry,
            terms.bill_id,
            recipient=terms.buyer,
            hashlock=terms.hashlock,
            timelock=terms.title_timelock,
            sender=seller,
        )

    def reveal(self, terms: DvpTerms, secret: bytes, *, seller: LocalAccount) -> Receipt:
        """Step 3, the seller: claim the money, which publishes the secret. Refused unless the money lock is the
        agreed one and still open, and the bill is still locked for the buyer with ``margin`` left to claim it."""
        if hashlock_of(secret) != terms.hashlock:
            raise WrongSecret("the secret does not hash to the agreed hashlock")
        money = self.verify_money_lock(terms)
        money_now = self.money_htlc.now()
        if money.timelock <= money_now + self.policy.reveal_window:
            raise LockMismatch(
                f"the money lock ends at {money.timelock}: too late to claim (money chain time {money_now})"
            )
        self.verify_title_lock(terms)
        title_now = self.title_htlc.now()
        if terms.title_timelock < title_now + self.policy.margin:
            raise UnsafeTimelocks(
                f"the bill's lock ends at {terms.title_timelock} (title chain time {title_now}): revealing now would "
                f"leave the buyer less than {self.policy.margin} s to claim it"
            )
        return self.money_htlc.claim(self.money_lock_id(terms), secret, sender=seller)

    # -- buyer ----------------------------------------------------------------------------------------------------

    def lock_money(self, terms: DvpTerms, *, buyer: LocalAccount, permit: Permit | None = None) -> Locked:
        """Step 2, the buyer: lock the money for the seller, only after checking on the title chain that the bill is
        locked for the buyer under the same hashlock with a title timelock that is safe (:meth:`check_timelocks`).
        Approves the contract for the amount unless ``permit`` is given."""
        if buyer.address != terms.buyer:
            raise DvpError(f"{buyer.address} is not the agreed buyer {terms.buyer}")
        self.verify_title_lock(terms)
        self.check_timelocks(terms)
        if permit is None and self.token.allowance(buyer.address, self.money_htlc.address) < terms.amount:
            self.token.approve(self.money_htlc.address, terms.amount, sender=buyer)
        return self.money_htlc.lock_tokens(
            self.token.address,
            terms.amount,
            recipient=terms.seller,
            hashlock=terms.hashlock,
            timelock=terms.money_timelock,
            sender=buyer,
            permit=permit,
        )

    def settle_title(self, terms: DvpTerms, *, sender: LocalAccount, from_block: int = 0) -> Receipt:
        """Step 4, the buyer or anyone: read the secret from the money chain's claim and claim the bill for the
        buyer. Raises :class:`SecretNotRevealed` while the money is unclaimed."""
        secret = self.money_htlc.revealed_secret(terms.hashlock, from_block=from_block)
        if secret is None:
            raise SecretNotRevealed(
                f"no claim under hashlock 0x{terms.hashlock.hex()} on chain {self.money_htlc.chain_id} yet"
            )
        return self.title_htlc.claim(self.title_lock_id(terms), secret, sender=sender)

    # -- unwinding ------------------------------------------------------------------------------------------------

    def refund_title(self, terms: DvpTerms, *, sender: LocalAccount) -> Receipt:
        """After the title timelock: the bill is released to the seller (anyone may send)."""
        return self.title_htlc.refund(self.title_lock_id(terms), sender=sender)

    def refund_money(self, terms: DvpTerms, *, sender: LocalAccount) -> Receipt:
        """After the money timelock: the money goes back to the buyer (anyone may send)."""
        return self.money_htlc.refund(self.money_lock_id(terms), sender=sender)

    # -- verification ---------------------------------------------------------------------------------------------

    def verify_title_lock(self, terms: DvpTerms) -> HashLock:
        """The agreed title lock, live: the bill of this registry, locked by the seller for the buyer under the
        hashlock until the title timelock, and the registry shows the bill encumbered to the contract."""
        lid = self.title_lock_id(terms)
        lock = self.title_htlc.lock(lid)
        if lock.status is not LockStatus.LOCKED:
            raise LockMismatch(
                f"no live title lock 0x{lid.hex()} for these terms on chain {self.title_htlc.chain_id} "
                f"(status {lock.status.name}): check bill, parties, hashlock and title timelock"
            )
        expected = (LockKind.TITLE, self.registry.address, terms.bill_id, terms.seller, terms.buyer)
        actual = (lock.kind, to_checksum_address(lock.asset), lock.bill_id, lock.sender, lock.recipient)
        if actual != expected or lock.hashlock != terms.hashlock or lock.timelock != terms.title_timelock:
            raise LockMismatch(f"title lock 0x{lid.hex()} holds other terms: {lock}")  # pragma: no cover - id binds
        locker = self.registry.locker_of(terms.bill_id)
        if locker != self.title_htlc.address:
            raise LockMismatch(f"bill {terms.bill_id:#x} is encumbered to {locker}, not {self.title_htlc.address}")
        return lock

    def verify_money_lock(self, terms: DvpTerms) -> HashLock:
        """The agreed money lock, live: the amount of the token, locked by the buyer for the seller under the
        hashlock until the money timelock."""
        lid = self.money_lock_id(terms)
        lock = self.money_htlc.lock(lid)
        if lock.status is not LockStatus.LOCKED:
            raise LockMismatch(
                f"no live money lock 0x{lid.hex()} for these terms on chain {self.money_htlc.chain_id} "
                f"(status {lock.status.name}): check amount, parties, hashlock and money timelock"
            )
        return lock
