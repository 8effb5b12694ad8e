"""Cross-chain delivery versus payment by hash-time locks: the bill of lading locked in Shanghai (31337, the longer
timelock), the Hong Kong dollar deposit locked in Hong Kong (31338, the shorter one), under one SHA-256 hashlock.

Every time-dependent step runs at a pinned block time; both chains' clocks are moved explicitly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sys
from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tradefin import errors
from tradefin.bridge import (
    DeliveryVersusPayment,
    DvpError,
    DvpTerms,
    HashTimeLock,
    LockKind,
    LockMismatch,
    LockStatus,
    SafetyPolicy,
    SecretNotRevealed,
    UnsafeTimelocks,
    WrongSecret,
    hashlock_of,
    lock_id,
    title_lock_data,
)
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.money import DepositToken
from tradefin.testing.gas import check_gas

from .conftest import HONG_KONG_CHAIN_ID

T = TypeVar("T")
PROFILE = settings()
"""The Hypothesis profile tests/conftest.py loaded ("ci" unless HYPOTHESIS_PROFILE says otherwise)."""
LONG = PROFILE.max_examples >= 1000

DAY = 86_400
SECRET = keccak(text="tradefin htlc secret")
HASH = hashlib.sha256(SECRET).digest()
OTHER_SECRET = keccak(text="tradefin htlc other secret")
AMOUNT = 486_000_00  # HKD 486,000.00
FUNDS = 10 * AMOUNT
ZERO = "0x0000000000000000000000000000000000000000"
POLICY = SafetyPolicy()
SAFE_GAP = POLICY.margin + POLICY.clock_drift  # the least gap between the timelocks when the clocks agree


# ---------------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def sh_htlc(ctx, deployer, carrier, sh_registry) -> HashTimeLock:
    htlc = HashTimeLock.deploy(ctx, deployer, deployment_name="HashTimeLock:shanghai")
    htlc.authorise(sh_registry, admin=carrier)
    return htlc


@pytest.fixture(scope="session")
def hk_htlc(hk_ctx, deployer) -> HashTimeLock:
    return HashTimeLock.deploy(hk_ctx, deployer, deployment_name="HashTimeLock:hong-kong")


@pytest.fixture(scope="session")
def hkd(hk_ctx, issuing_bank, buyer) -> DepositToken:
    """The Hong Kong bank's HKD deposit token; the buyer holds FUNDS."""
    token = DepositToken.deploy(hk_ctx, issuing_bank, currency="HKD", name="Harbour Bank HKD Deposit", symbol="hbHKD")
    token.mint(buyer.address, FUNDS, sender=issuing_bank)
    return token


@pytest.fixture(scope="session")
def dvp(sh_htlc, sh_registry, hk_htlc, hkd) -> DeliveryVersusPayment:
    return DeliveryVersusPayment(title_htlc=sh_htlc, registry=sh_registry, money_htlc=hk_htlc, token=hkd)


@pytest.fixture
def sync(session_chain, hk_chain) -> Callable[..., int]:
    """Mine a block on both chains at one common time, ``seconds`` after the later clock; with ``ahead``, Shanghai's
    clock that much ahead of Hong Kong's (behind if negative). Returns the Hong Kong time."""

    def sync(seconds: int = 1, *, ahead: int = 0) -> int:
        target = max(session_chain.timestamp(), hk_chain.timestamp()) + seconds
        hk_chain.set_next_block_timestamp(target + max(-ahead, 0))
        hk_chain.mine()
        session_chain.set_next_block_timestamp(target + max(ahead, 0))
        session_chain.mine()
        return target + max(-ahead, 0)

    return sync


@pytest.fixture
def now(sync) -> int:
    """Both clocks pinned to the same second at the start of the test."""
    return sync(10)


@pytest.fixture
def make_terms(shipper, buyer, issue_sh, now) -> Callable[..., DvpTerms]:
    """Terms for a fresh Shanghai bill of the shipper against AMOUNT from the buyer: money for a day, the bill for
    two, unless told otherwise."""

    def make(**changes: Any) -> DvpTerms:
        values: dict[str, Any] = {
            "seller": shipper.address,
            "buyer": buyer.address,
            "bill_id": changes.pop("bill_id", None) or issue_sh(shipper),
            "amount": AMOUNT,
            "hashlock": HASH,
            "title_timelock": now + 2 * DAY,
            "money_timelock": now + DAY,
        }
        values.update(changes)
        return DvpTerms(**values)

    return make


@pytest.fixture
def terms(make_terms) -> DvpTerms:
    return make_terms()


@pytest.fixture
def both_locked(dvp, terms, shipper, buyer) -> DvpTerms:
    """The bill locked in Shanghai and the money in Hong Kong, through the orchestrator."""
    dvp.lock_title(terms, seller=shipper)
    dvp.lock_money(terms, buyer=buyer)
    return terms


@pytest.fixture
def money_lock(hk_htlc, hkd, buyer, shipper, now) -> Callable[..., bytes]:
    """Lock buyer's HKD in Hong Kong for the shipper (approving first); returns the lock id."""

    def lock(amount: int = AMOUNT, *, timelock: int | None = None, hashlock: bytes = HASH) -> bytes:
        hkd.approve(hk_htlc.address, amount, sender=buyer)
        return hk_htlc.lock_tokens(
            hkd.address,
            amount,
            recipient=shipper.address,
            hashlock=hashlock,
            timelock=timelock or now + DAY,
            sender=buyer,
        ).lock_id

    return lock


def at_time(chain, timestamp: int) -> None:
    """Mine a block at ``timestamp``: calls and gas estimates (where reverts are raised) run at that time."""
    chain.set_next_block_timestamp(timestamp)
    chain.mine()


def mined_at(chain, htlc: HashTimeLock, sender, fn: str, *args: Any, timestamp: int):
    """Send ``fn`` with a preset gas limit (no estimate) so that it runs in a block at exactly ``timestamp``."""
    chain.set_next_block_timestamp(timestamp)
    return htlc.contract.send(sender, fn, *args, gas=300_000).wait()


def owner(registry: TitleRegistry, bill: int) -> str | None:
    """Who owns ``bill`` free of any lock (beneficiary and holder), or None while it is locked."""
    title = registry.title(bill)
    assert title.beneficiary == title.holder
    return None if title.encumbered else title.beneficiary


# ------------------------------------------------------------------------------------------------------- the trade


def test_delivery_versus_payment_across_two_chains(
    dvp, sh_htlc, hk_htlc, sh_registry, hkd, terms, shipper, buyer, relayer, session_chain, hk_chain
):
    assert (session_chain.chain_id, hk_chain.chain_id) == (31337, HONG_KONG_CHAIN_ID)
    start = hkd.balance_of(buyer.address)

    title_lock = dvp.lock_title(terms, seller=shipper)
    assert title_lock.lock_id == dvp.title_lock_id(terms)
    assert sh_registry.locker_of(terms.bill_id) == sh_htlc.address
    lock = sh_htlc.lock(title_lock.lock_id)
    assert (lock.kind, lock.status, lock.sender, lock.recipient, lock.asset, lock.bill_id, lock.amount) == (
        LockKind.TITLE,
        LockStatus.LOCKED,
        shipper.address,
        buyer.address,
        sh_registry.address,
        terms.bill_id,
        0,
    )
    assert (lock.hashlock, lock.timelock) == (HASH, terms.title_timelock)
    with pytest.raises(errors.TitleEncumbered):
        sh_registry.transfer_holder(terms.bill_id, relayer.address, sender=shipper)

    money_lock = dvp.lock_money(terms, buyer=buyer)
    assert money_lock.lock_id == dvp.money_lock_id(terms)
    assert hkd.balance_of(hk_htlc.address) == AMOUNT and hkd.balance_of(buyer.address) == start - AMOUNT
    with pytest.raises(SecretNotRevealed):
        dvp.settle_title(terms, sender=relayer)

    receipt = dvp.reveal(terms, SECRET, seller=shipper)
    [claimed] = [e for e in hk_htlc.contract.decode_logs(receipt) if e.name == "LockClaimed"]
    assert (claimed["lockId"], claimed["hashlock"], claimed["recipient"], claimed["preimage"]) == (
        money_lock.lock_id,
        HASH,
        shipper.address,
        SECRET,
    )
    assert hkd.balance_of(shipper.address) == AMOUNT and hkd.balance_of(hk_htlc.address) == 0
    assert hk_htlc.revealed_secret(HASH) == SECRET and hk_htlc.revealed_secret(hashlock_of(OTHER_SECRET)) is None

    # Anyone who read the secret in Hong Kong completes the delivery in Shanghai; the bill goes to the buyer only.
    dvp.settle_title(terms, sender=relayer)
    title = sh_registry.title(terms.bill_id)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, buyer.address, False)
    assert sh_htlc.lock(title_lock.lock_id).status is LockStatus.CLAIMED
    assert hk_htlc.lock(money_lock.lock_id).status is LockStatus.CLAIMED
    sh_registry.transfer_holder(terms.bill_id, relayer.address, sender=buyer)  # the buyer's bill, free


def test_unrevealed_both_sides_refund_after_their_timelocks(
    dvp, sh_htlc, hk_htlc, sh_registry, hkd, both_locked, shipper, buyer, relayer, session_chain, hk_chain
):
    terms = both_locked
    start = hkd.balance_of(buyer.address)
    at_time(hk_chain, terms.money_timelock)
    at_time(session_chain, terms.money_timelock)
    receipt = dvp.refund_money(terms, sender=relayer)
    [refunded] = [e for e in hk_htlc.contract.decode_logs(receipt) if e.name == "LockRefunded"]
    assert (refunded["lockId"], refunded["hashlock"], refunded["sender"]) == (
        dvp.money_lock_id(terms),
        HASH,
        buyer.address,
    )
    assert hkd.balance_of(buyer.address) == start + AMOUNT and hkd.balance_of(hk_htlc.address) == 0
    # The bill's lock runs on: it is neither refundable nor, the money gone home, worth revealing for.
    with pytest.raises(errors.HtlcNotExpired):
        dvp.refund_title(terms, sender=relayer)
    with pytest.raises(LockMismatch):
        dvp.reveal(terms, SECRET, seller=shipper)

    at_time(session_chain, terms.title_timelock)
    dvp.refund_title(terms, sender=relayer)
    assert owner(sh_registry, terms.bill_id) == shipper.address
    assert sh_htlc.lock(dvp.title_lock_id(terms)).status is LockStatus.REFUNDED
    sh_registry.transfer_holder(terms.bill_id, relayer.address, sender=shipper)  # free again


def test_a_secret_revealed_in_the_last_second_still_delivers_the_bill(
    dvp, hk_htlc, sh_registry, both_locked, shipper, buyer, relayer, hk_chain, session_chain
):
    terms = both_locked
    # A seller who skips the orchestrator claims in the money lock's last second...
    receipt = mined_at(
        hk_chain, hk_htlc, shipper, "claim", dvp.money_lock_id(terms), SECRET, timestamp=terms.money_timelock - 1
    )
    assert receipt.status == 1
    # ...and the buyer, looking a margin later on a Shanghai clock running ahead by the allowed drift, still claims.
    at_time(session_chain, terms.money_timelock + POLICY.clock_drift + POLICY.margin - 1)
    dvp.settle_title(terms, sender=buyer)
    assert owner(sh_registry, terms.bill_id) == buyer.address


def test_python_and_solidity_agree_on_lock_ids(sh_htlc, hk_htlc, sh_registry, hkd, shipper, buyer, now):
    for htlc, kind, asset, value in (
        (sh_htlc, LockKind.TITLE, sh_registry.address, 2**255 + 7),
        (hk_htlc, LockKind.TOKEN, hkd.address, AMOUNT),
    ):
        expected = htlc.contract.call(
            "lockIdOf", int(kind), asset, value, shipper.address, buyer.address, HASH, now + DAY
        )
        computed = lock_id(
            chain_id=htlc.chain_id,
            contract=htlc.address,
            kind=kind,
            asset=asset,
            value=value,
            sender=shipper.address,
            recipient=buyer.address,
            hashlock=HASH,
            timelock=now + DAY,
        )
        assert computed == bytes(expected)
    assert hashlock_of(SECRET) == HASH


def test_the_hashlock_is_sha256_not_keccak(hk_htlc, hkd, money_lock, shipper, relayer):
    lid = money_lock()
    with pytest.raises(errors.HtlcWrongPreimage):
        hk_htlc.claim(lid, keccak(SECRET), sender=relayer)
    keccak_lid = money_lock(hashlock=keccak(SECRET))
    with pytest.raises(errors.HtlcWrongPreimage):
        hk_htlc.claim(keccak_lid, SECRET, sender=relayer)
    hk_htlc.claim(lid, SECRET, sender=relayer)
    assert hkd.balance_of(shipper.address) == AMOUNT


def test_lock_with_permit_and_with_a_front_run_permit(hk_htlc, hkd, buyer, shipper, relayer, now):
    permit = hkd.sign_permit(buyer, hk_htlc.address, AMOUNT)
    locked = hk_htlc.lock_tokens(
        hkd.address, AMOUNT, recipient=shipper.address, hashlock=HASH, timelock=now + DAY, sender=buyer, permit=permit
    )
    assert hk_htlc.lock(locked.lock_id).amount == AMOUNT and hkd.allowance(buyer.address, hk_htlc.address) == 0
    # Someone submits the permit first: the lock still goes through on the allowance it left.
    permit = hkd.sign_permit(buyer, hk_htlc.address, AMOUNT)
    hkd.permit(permit, sender=relayer)
    again = hk_htlc.lock_tokens(
        hkd.address,
        AMOUNT,
        recipient=shipper.address,
        hashlock=HASH,
        timelock=now + DAY + 1,
        sender=buyer,
        permit=permit,
    )
    assert hk_htlc.lock(again.lock_id).status is LockStatus.LOCKED
    assert hkd.balance_of(hk_htlc.address) == 2 * AMOUNT
    with pytest.raises(errors.ERC20InsufficientAllowance):  # a spent permit is no allowance
        hk_htlc.lock_tokens(
            hkd.address,
            AMOUNT,
            recipient=shipper.address,
            hashlock=HASH,
            timelock=now + 2 * DAY,
            sender=buyer,
            permit=permit,
        )


# ---------------------------------------------------------------------------------------------------------- claims


def test_wrong_preimage_is_refused(sh_htlc, sh_registry, hk_htlc, money_lock, terms, dvp, shipper, relayer):
    lid = money_lock()
    with pytest.raises(errors.HtlcWrongPreimage) as caught:
        hk_htlc.claim(lid, OTHER_SECRET, sender=relayer)
    assert (caught.value.lockId, caught.value.preimage) == (lid, OTHER_SECRET)
    title_lid = dvp.lock_title(terms, seller=shipper).lock_id
    with pytest.raises(errors.HtlcWrongPreimage):
        sh_htlc.claim(title_lid, b"\x00" * 32, sender=relayer)
    assert sh_htlc.lock(title_lid).status is LockStatus.LOCKED and owner(sh_registry, terms.bill_id) is None


def test_claim_stops_at_the_timelock(hk_htlc, hkd, money_lock, shipper, relayer, hk_chain, now):
    timelock = now + DAY
    lid = money_lock(timelock=timelock)
    at_time(hk_chain, timelock)
    with pytest.raises(errors.HtlcExpired) as caught:
        hk_htlc.claim(lid, SECRET, sender=relayer)
    assert (caught.value.lockId, caught.value.timelock) == (lid, timelock) and caught.value.timestamp >= timelock
    assert hk_htlc.lock(lid).status is LockStatus.LOCKED


def test_claim_in_the_last_second_and_refund_from_the_timelock(
    hk_htlc, hkd, money_lock, buyer, shipper, relayer, hk_chain, now
):
    timelock = now + DAY
    first, second = money_lock(timelock=timelock), money_lock(timelock=timelock + 1)
    receipt = mined_at(hk_chain, hk_htlc, relayer, "claim", first, SECRET, timestamp=timelock - 1)
    assert receipt.status == 1 and hkd.balance_of(shipper.address) == AMOUNT
    at_time(hk_chain, timelock)
    with pytest.raises(errors.HtlcNotExpired) as caught:
        hk_htlc.refund(second, sender=relayer)
    assert (caught.value.lockId, caught.value.timelock) == (second, timelock + 1) and caught.value.timestamp <= timelock
    before = hkd.balance_of(buyer.address)
    receipt = mined_at(hk_chain, hk_htlc, relayer, "refund", second, timestamp=timelock + 1)
    assert receipt.status == 1 and hkd.balance_of(buyer.address) == before + AMOUNT


def test_early_refund_is_refused(sh_htlc, dvp, terms, shipper, relayer, session_chain):
    lid = dvp.lock_title(terms, seller=shipper).lock_id
    with pytest.raises(errors.HtlcNotExpired) as caught:
        sh_htlc.refund(lid, sender=shipper)
    assert (caught.value.lockId, caught.value.timelock) == (lid, terms.title_timelock)
    assert caught.value.timestamp < terms.title_timelock


def test_double_claim_and_claim_after_it_are_refused(hk_htlc, hkd, money_lock, shipper, relayer, hk_chain, now):
    lid = money_lock()
    hk_htlc.claim(lid, SECRET, sender=relayer)
    with pytest.raises(errors.HtlcAlreadyClaimed) as caught:
        hk_htlc.claim(lid, SECRET, sender=shipper)
    assert caught.value.lockId == lid
    at_time(hk_chain, now + DAY)
    with pytest.raises(errors.HtlcAlreadyClaimed):
        hk_htlc.refund(lid, sender=relayer)
    assert hkd.balance_of(shipper.address) == AMOUNT and hkd.balance_of(hk_htlc.address) == 0


def test_double_refund_and_claim_after_it_are_refused(
    sh_htlc, sh_registry, dvp, terms, shipper, relayer, session_chain
):
    lid = dvp.lock_title(terms, seller=shipper).lock_id
    at_time(session_chain, terms.title_timelock)
    sh_htlc.refund(lid, sender=relayer)
    with pytest.raises(errors.HtlcAlreadyRefunded) as caught:
        sh_htlc.refund(lid, sender=relayer)
    assert caught.value.lockId == lid
    with pytest.raises(errors.HtlcAlreadyRefunded):
        sh_htlc.claim(lid, SECRET, sender=relayer)
    assert owner(sh_registry, terms.bill_id) == shipper.address


def test_unknown_lock(sh_htlc, relayer):
    lid = keccak(text="no such lock")
    with pytest.raises(errors.HtlcUnknownLock) as caught:
        sh_htlc.claim(lid, SECRET, sender=relayer)
    assert caught.value.lockId == lid
    with pytest.raises(errors.HtlcUnknownLock):
        sh_htlc.refund(lid, sender=relayer)
    assert sh_htlc.lock(lid).status is LockStatus.NONE and not sh_htlc.lock(lid).exists


# --------------------------------------------------------------------------------------------------------- locking


def test_token_lock_terms_are_checked(hk_htlc, hkd, buyer, shipper, hk_chain, now):
    hkd.approve(hk_htlc.address, 2**256 - 1, sender=buyer)

    def lock(token=hkd.address, amount=AMOUNT, recipient=shipper.address, hashlock=HASH, timelock=now + DAY):
        return hk_htlc.lock_tokens(
            token, amount, recipient=recipient, hashlock=hashlock, timelock=timelock, sender=buyer
        )

    with pytest.raises(errors.HtlcZeroToken):
        lock(token=ZERO)
    with pytest.raises(errors.HtlcZeroAmount):
        lock(amount=0)
    with pytest.raises(errors.HtlcAmountTooLarge) as too_large:
        lock(amount=2**96)
    assert (too_large.value.amount, too_large.value.max) == (2**96, 2**96 - 1)
    with pytest.raises(errors.HtlcZeroRecipient):
        lock(recipient=ZERO)
    with pytest.raises(errors.HtlcZeroHashlock):
        lock(hashlock=b"\x00" * 32)
    at_time(hk_chain, now + 100)
    with pytest.raises(errors.HtlcTimelockInPast) as past:
        lock(timelock=now + 100)
    assert past.value.timelock == now + 100 and past.value.timestamp >= now + 100
    first = lock()
    with pytest.raises(errors.HtlcLockExists) as exists:
        lock()  # a retried lock: refused, never doubled
    assert exists.value.lockId == first.lock_id
    assert hkd.balance_of(hk_htlc.address) == AMOUNT


def test_title_lock_terms_are_checked(sh_htlc, sh_registry, issue_sh, shipper, buyer, session_chain, now):
    bill = issue_sh(shipper)
    with pytest.raises(errors.HtlcMalformedLockData) as malformed:
        sh_registry.encumber(bill, sh_htlc.address, sender=shipper, data=b"\x01" * 64)
    assert malformed.value.length == 64
    with pytest.raises(errors.HtlcZeroRecipient):
        sh_registry.encumber(bill, sh_htlc.address, sender=shipper, data=title_lock_data(ZERO, HASH, now + DAY))
    with pytest.raises(errors.HtlcZeroHashlock):
        sh_registry.encumber(
            bill, sh_htlc.address, sender=shipper, data=title_lock_data(buyer.address, b"\x00" * 32, now + DAY)
        )
    at_time(session_chain, now + 50)
    with pytest.raises(errors.HtlcTimelockInPast):
        sh_registry.encumber(bill, sh_htlc.address, sender=shipper, data=title_lock_data(buyer.address, HASH, now))
    assert owner(sh_registry, bill) == shipper.address  # every refusal undid the encumbrance

    straight = issue_sh(shipper, form=ConsignmentForm.STRAIGHT)
    with pytest.raises(errors.HtlcBillNotTransferable) as caught:
        sh_htlc.lock_title(
            sh_registry, straight, recipient=buyer.address, hashlock=HASH, timelock=now + DAY, sender=shipper
        )
    assert (caught.value.billId, caught.value.kind, caught.value.form) == (
        straight,
        int(DocumentKind.NEGOTIABLE_BILL_OF_LADING),
        int(ConsignmentForm.STRAIGHT),
    )


def test_a_blank_endorsed_bill_is_delivered_to_the_bearer(sh_htlc, sh_registry, issue_sh, shipper, buyer, relayer, now):
    bill = issue_sh(shipper)
    sh_registry.endorse_in_blank(bill, sender=shipper)
    lid = sh_htlc.lock_title(
        sh_registry, bill, recipient=buyer.address, hashlock=HASH, timelock=now + DAY, sender=shipper
    ).lock_id
    sh_htlc.claim(lid, SECRET, sender=relayer)
    assert owner(sh_registry, bill) == buyer.address


def test_forged_lock_callbacks_are_refused(ctx, sh_htlc, deployer, shipper, buyer, now):
    forger = ctx.deployments.deploy(deployer, "ReentrantTitleRegistry", name="HtlcForger")
    data = title_lock_data(buyer.address, HASH, now + DAY)
    with pytest.raises(errors.HtlcTitleNotEncumbered) as caught:
        forger.transact(deployer, "forgeCallback", sh_htlc.address, shipper.address, 42, data)
    assert (caught.value.registry, caught.value.billId) == (forger.address, 42)


# ------------------------------------------------------------------------------------------------------ reentrancy


@pytest.fixture
def hostile(hk_ctx, hk_htlc, deployer, buyer):
    """A hostile token on the Hong Kong chain; the buyer holds some and approved the HTLC."""
    token = hk_ctx.deployments.deploy(deployer, "HostileToken", name="HtlcHostileToken")
    token.transact(buyer, "mint", buyer.address, FUNDS)
    token.transact(buyer, "approve", hk_htlc.address, 2**256 - 1)
    return token


def _hostile_lock(htlc, token, buyer, shipper, timelock) -> bytes:
    return htlc.lock_tokens(
        token.address, AMOUNT, recipient=shipper.address, hashlock=HASH, timelock=timelock, sender=buyer
    ).lock_id


def test_a_token_reentering_claim_or_refund_undoes_the_payment(
    hk_htlc, hostile, buyer, shipper, relayer, hk_chain, now
):
    first = _hostile_lock(hk_htlc, hostile, buyer, shipper, now + DAY)
    second = _hostile_lock(hk_htlc, hostile, buyer, shipper, now + DAY + 1)
    balance = lambda who: hostile.call("balanceOf", who)  # noqa: E731
    for payload in (
        hk_htlc.contract.encode("claim", first, SECRET),
        hk_htlc.contract.encode("claim", second, SECRET),
        hk_htlc.contract.encode("refund", second),
        hk_htlc.contract.encode("lockTokens", hostile.address, 1, shipper.address, HASH, now + 2 * DAY),
    ):
        hostile.transact(buyer, "arm", hk_htlc.address, payload)
        with pytest.raises(errors.ReentrancyGuardReentrantCall):
            hk_htlc.claim(first, SECRET, sender=relayer)
        assert hk_htlc.lock(first).status is LockStatus.LOCKED and balance(hk_htlc.address) == 2 * AMOUNT
    hostile.transact(buyer, "arm", ZERO, b"")
    hk_htlc.claim(first, SECRET, sender=relayer)
    assert balance(shipper.address) == AMOUNT and balance(hk_htlc.address) == AMOUNT
    # A refund re-entered is undone the same way.
    at_time(hk_chain, now + DAY + 1)
    hostile.transact(buyer, "arm", hk_htlc.address, hk_htlc.contract.encode("refund", second))
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        hk_htlc.refund(second, sender=relayer)
    assert hk_htlc.lock(second).status is LockStatus.LOCKED


def test_a_token_reentering_the_lock_is_refused(hk_htlc, hostile, buyer, shipper, now):
    hostile.transact(
        buyer,
        "arm",
        hk_htlc.address,
        hk_htlc.contract.encode("lockTokens", hostile.address, 1, shipper.address, HASH, now + 2 * DAY),
    )
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        _hostile_lock(hk_htlc, hostile, buyer, shipper, now + DAY)


def test_a_swallowed_reentry_pays_once(hk_ctx, hk_htlc, deployer, buyer, shipper, relayer, now):
    token = hk_ctx.deployments.deploy(deployer, "ReentrantToken", name="HtlcReentrantToken")
    token.transact(buyer, "mint", buyer.address, FUNDS)
    token.transact(buyer, "approve", hk_htlc.address, 2**256 - 1)
    lid = _hostile_lock(hk_htlc, token, buyer, shipper, now + DAY)
    token.transact(buyer, "arm", hk_htlc.address, hk_htlc.contract.encode("claim", lid, SECRET), False)
    hk_htlc.claim(lid, SECRET, sender=relayer)
    assert not token.call("lastReentrySucceeded")
    assert bytes(token.call("lastReentryError"))[:4] == keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert token.call("balanceOf", shipper.address) == AMOUNT and token.call("balanceOf", hk_htlc.address) == 0


def test_a_silently_failing_token_is_caught(hk_htlc, hostile, buyer, shipper, now):
    hostile.transact(buyer, "setFailSilently", True)
    with pytest.raises(errors.SafeERC20FailedOperation):
        _hostile_lock(hk_htlc, hostile, buyer, shipper, now + DAY)


def test_a_registry_reentering_claim_or_refund_is_refused(
    ctx, sh_htlc, deployer, shipper, buyer, relayer, session_chain, now
):
    registry = ctx.deployments.deploy(deployer, "ReentrantTitleRegistry", name="HtlcReentrantRegistry")
    registry.transact(deployer, "grantRole", keccak(text="LOCKER_ROLE"), sh_htlc.address)
    bill = keccak(text="reentrant registry bill")
    registry.transact(deployer, "issue", bill, shipper.address, shipper.address, 0, 1, 0, b"")
    bill_id = int.from_bytes(bill, "big")
    registry.transact(shipper, "encumber", bill_id, sh_htlc.address, title_lock_data(buyer.address, HASH, now + DAY))
    lid = sh_htlc.lock_id_of(
        LockKind.TITLE,
        registry.address,
        bill_id,
        sender=shipper.address,
        recipient=buyer.address,
        hashlock=HASH,
        timelock=now + DAY,
    )
    registry.transact(deployer, "arm", sh_htlc.address, sh_htlc.contract.encode("refund", lid))
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        sh_htlc.claim(lid, SECRET, sender=relayer)
    at_time(session_chain, now + DAY)
    registry.transact(deployer, "arm", sh_htlc.address, sh_htlc.contract.encode("claim", lid, SECRET))
    with pytest.raises(errors.ReentrancyGuardReentrantCall):
        sh_htlc.refund(lid, sender=relayer)
    assert sh_htlc.lock(lid).status is LockStatus.LOCKED


# -------------------------------------------------------------------------------------------- the orchestrator's rule


def test_the_title_timelock_must_be_the_later_one(dvp, make_terms, shipper, now):
    for title, money in ((now + DAY, now + DAY), (now + DAY, now + 2 * DAY)):
        terms = make_terms(title_timelock=title, money_timelock=money)
        with pytest.raises(UnsafeTimelocks, match="LATER"):
            dvp.lock_title(terms, seller=shipper)


def test_the_title_timelock_must_leave_the_margin(dvp, make_terms, sh_registry, shipper, buyer, sync, now):
    short = make_terms(title_timelock=now + DAY + SAFE_GAP - 1)
    sync()  # the clocks agree (no skew) until the next transaction
    with pytest.raises(UnsafeTimelocks, match="1 s short"):
        dvp.check_timelocks(short)
    dvp.check_timelocks(replace(short, title_timelock=now + DAY + SAFE_GAP))
    with pytest.raises(UnsafeTimelocks):
        dvp.lock_title(short, seller=shipper)
    assert owner(sh_registry, short.bill_id) == shipper.address
    enough = replace(short, title_timelock=now + DAY + SAFE_GAP + 60)  # room for the seconds the locks take
    dvp.lock_title(enough, seller=shipper)
    dvp.lock_money(enough, buyer=buyer)


def test_the_buyer_refuses_a_title_lock_too_short_for_the_clocks(
    dvp, sh_htlc, sh_registry, hkd, make_terms, sync, shipper, buyer, now
):
    # The seller locks past the orchestrator with a gap that would do if both clocks agreed...
    terms = make_terms(title_timelock=now + DAY + SAFE_GAP + 500)
    sh_htlc.lock_title(
        sh_registry,
        terms.bill_id,
        recipient=buyer.address,
        hashlock=HASH,
        timelock=terms.title_timelock,
        sender=shipper,
    )
    # ...but the Shanghai clock runs 1000 s ahead of Hong Kong's: the buyer would have 500 s too little.
    sync(1, ahead=1000)
    assert dvp.clock_skew() == 1000
    assert dvp.required_title_timelock(terms.money_timelock) == terms.money_timelock + 1000 + SAFE_GAP
    with pytest.raises(UnsafeTimelocks, match="title clock ahead by 1000 s"):
        dvp.lock_money(terms, buyer=buyer)
    assert hkd.allowance(buyer.address, dvp.money_htlc.address) == 0
    # A clock behind is given no credit.
    sync(1, ahead=-5000)
    assert dvp.clock_skew() == -5000
    tight = make_terms(title_timelock=terms.money_timelock + SAFE_GAP - 1)
    with pytest.raises(UnsafeTimelocks):
        dvp.check_timelocks(tight)


def test_the_buyer_refuses_when_the_money_timelock_is_nearly_gone(dvp, make_terms, shipper, buyer, hk_chain, now):
    terms = make_terms()
    dvp.lock_title(terms, seller=shipper)
    at_time(hk_chain, terms.money_timelock - POLICY.reveal_window)
    with pytest.raises(UnsafeTimelocks, match="less than 60 s to claim"):
        dvp.lock_money(terms, buyer=buyer)


def test_the_buyer_locks_money_only_against_the_agreed_title_lock(dvp, make_terms, terms, shipper, buyer, relayer):
    with pytest.raises(LockMismatch, match="status NONE"):
        dvp.lock_money(terms, buyer=buyer)  # nothing locked yet
    dvp.lock_title(terms, seller=shipper)
    for changed in (
        make_terms(bill_id=terms.bill_id, hashlock=hashlock_of(OTHER_SECRET)),
        make_terms(bill_id=terms.bill_id, title_timelock=terms.title_timelock + 1),
        make_terms(bill_id=terms.bill_id, buyer=relayer.address),
    ):
        with pytest.raises(LockMismatch):
            dvp.verify_title_lock(changed)
    with pytest.raises(DvpError, match="not the agreed buyer"):
        dvp.lock_money(terms, buyer=relayer)


def test_the_seller_reveals_only_against_the_agreed_money(dvp, make_terms, terms, shipper, buyer, hkd):
    dvp.lock_title(terms, seller=shipper)
    with pytest.raises(WrongSecret):
        dvp.reveal(terms, OTHER_SECRET, seller=shipper)
    with pytest.raises(LockMismatch, match="no live money lock"):
        dvp.reveal(terms, SECRET, seller=shipper)
    short_paid = make_terms(bill_id=terms.bill_id, amount=AMOUNT - 1)
    hkd.approve(dvp.money_htlc.address, AMOUNT - 1, sender=buyer)
    dvp.money_htlc.lock_tokens(
        hkd.address, AMOUNT - 1, recipient=shipper.address, hashlock=HASH, timelock=terms.money_timelock, sender=buyer
    )
    with pytest.raises(LockMismatch):
        dvp.reveal(terms, SECRET, seller=shipper)  # the agreed amount is not what was locked
    assert dvp.verify_money_lock(short_paid).amount == AMOUNT - 1


def test_the_seller_does_not_reveal_when_the_buyer_could_not_claim_the_bill(
    dvp, both_locked, shipper, hk_chain, session_chain
):
    terms = both_locked
    # Shanghai's clock jumped ahead: revealing now would leave the buyer less than the margin there.
    at_time(session_chain, terms.title_timelock - POLICY.margin + 1)
    with pytest.raises(UnsafeTimelocks, match="less than 3600 s"):
        dvp.reveal(terms, SECRET, seller=shipper)
    assert dvp.money_htlc.revealed_secret(HASH) is None


def test_the_seller_does_not_reveal_too_late(dvp, both_locked, shipper, hk_chain):
    at_time(hk_chain, both_locked.money_timelock - POLICY.reveal_window)
    with pytest.raises(LockMismatch, match="too late"):
        dvp.reveal(both_locked, SECRET, seller=shipper)


def test_the_orchestrator_needs_two_chains_and_the_agreed_parties(
    sh_htlc, sh_registry, hkd, dvp, terms, buyer, shipper
):
    with pytest.raises(DvpError, match="both on chain 31337"):
        DeliveryVersusPayment(title_htlc=sh_htlc, registry=sh_registry, money_htlc=sh_htlc, token=hkd)
    with pytest.raises(DvpError, match="not the agreed seller"):
        dvp.lock_title(terms, seller=buyer)
    with pytest.raises(DvpError, match="same address"):
        DvpTerms(shipper.address, shipper.address, 1, AMOUNT, HASH, 2, 1)
    with pytest.raises(DvpError, match=r"not in 1\.\.2"):
        DvpTerms(shipper.address, buyer.address, 1, 0, HASH, 2, 1)
    with pytest.raises(DvpError, match="negative"):
        SafetyPolicy(margin=-1)


# --------------------------------------------------------------------------------------- any interleaving (stateful)


WATCH_EVERY = POLICY.margin - 600
"""The honest buyer's watcher looks at least this often (clock seconds): the one assumption of any HTLC."""
JITTER = 120
"""How far the two clocks may move apart (well within ``clock_drift``)."""


class ExchangeMachine(RuleBasedStateMachine):
    """One exchange under any order of locks, claims (right or wrong), refunds and clock moves. The buyer's watcher
    looks every WATCH_EVERY seconds at most and claims the bill once the secret is out in Hong Kong. Nobody ever
    holds both the bill and the money, and in the end each side holds exactly one of them."""

    def __init__(self, env: SimpleNamespace) -> None:
        super().__init__()
        self.env = env
        self.snapshots = (env.sh.snapshot(), env.hk.snapshot())
        self.terms: DvpTerms | None = None

    def teardown(self) -> None:
        try:
            if self.terms is not None:
                self.finish()
        finally:
            self.env.sh.revert(self.snapshots[0])
            self.env.hk.revert(self.snapshots[1])

    # -- helpers --------------------------------------------------------------------------------------------------

    def move(self, seconds: int, sh_jitter: int = 0, hk_jitter: int = 0) -> None:
        sh, hk = self.env.sh, self.env.hk
        target = max(sh.timestamp(), hk.timestamp()) + seconds
        for chain, jitter in ((sh, sh_jitter), (hk, hk_jitter)):
            chain.set_next_block_timestamp(max(target + jitter, chain.timestamp() + 1))
            chain.mine()

    def attempt(self, action: Callable[[], T]) -> T | None:
        """Run a move that may be refused (by the orchestrator or by the contract); counts outcomes."""
        name = sys._getframe(1).f_code.co_name
        try:
            result = action()
        except (errors.ContractRevert, DvpError) as exc:
            event(f"{name}: {type(exc).__name__}")
            return None
        event(f"{name}: ok")
        return result

    def watch(self) -> None:
        """The buyer's watcher: once the secret is out in Hong Kong, claim the bill in Shanghai."""
        env, terms = self.env, self.terms
        assert terms is not None
        if env.dvp.title_htlc.lock(env.dvp.title_lock_id(terms)).status is not LockStatus.LOCKED:
            return
        if env.dvp.money_htlc.revealed_secret(terms.hashlock, from_block=self.from_block) is None:
            return
        # The margin guarantees the claim is still on time: no try here.
        env.dvp.settle_title(terms, sender=env.buyer, from_block=self.from_block)

    def holdings(self) -> tuple[str | None, int, int]:
        env, terms = self.env, self.terms
        assert terms is not None
        return (
            owner(env.registry, terms.bill_id),
            env.hkd.balance_of(env.seller.address) - self.seller_start,
            env.hkd.balance_of(env.buyer.address) - self.buyer_start,
        )

    def finish(self) -> None:
        """Far past both timelocks, refund whatever is left: exactly one of the two outcomes remains."""
        self.watch()
        self.move(30 * DAY)
        for refund in (self.env.dvp.refund_title, self.env.dvp.refund_money):
            with contextlib.suppress(errors.ContractRevert):
                refund(self.terms, sender=self.env.relayer)
        bill_owner, seller_money, buyer_money = self.holdings()
        assert (bill_owner, seller_money, buyer_money) in (
            (self.env.buyer.address, AMOUNT, -AMOUNT),  # delivered against payment
            (self.env.seller.address, 0, 0),  # unwound
        )

    # -- rules ----------------------------------------------------------------------------------------------------

    @initialize(
        money_after=st.integers(600, 4 * 3600),
        extra=st.integers(0, 3600),
        locked=st.sampled_from(["nothing", "bill", "both", "both", "both"]),
    )
    def agree(self, money_after: int, extra: int, locked: str) -> None:
        env = self.env
        self.move(10)
        now = env.hk.timestamp()
        self.from_block = env.hk.block_number()
        self.seller_start = env.hkd.balance_of(env.seller.address)
        self.buyer_start = env.hkd.balance_of(env.buyer.address)
        bill = env.issue(env.seller)
        money_timelock = now + money_after
        self.terms = DvpTerms(
            seller=env.seller.address,
            buyer=env.buyer.address,
            bill_id=bill,
            amount=AMOUNT,
            hashlock=HASH,
            title_timelock=money_timelock + JITTER + SAFE_GAP + extra,
            money_timelock=money_timelock,
        )
        if locked != "nothing":
            env.dvp.lock_title(self.terms, seller=env.seller)
        if locked == "both":
            env.dvp.lock_money(self.terms, buyer=env.buyer)

    @rule(
        seconds=st.integers(1, 3 * WATCH_EVERY),
        sh_jitter=st.integers(0, JITTER),
        hk_jitter=st.integers(0, JITTER),
    )
    def time_passes(self, seconds: int, sh_jitter: int, hk_jitter: int) -> None:
        """The clocks move (each chain with its own jitter); the buyer's watcher looks after every WATCH_EVERY."""
        while seconds > 0:
            step = min(seconds, WATCH_EVERY)
            self.move(step, sh_jitter, hk_jitter)
            self.watch()
            seconds -= step

    @rule(timelock=st.sampled_from(["money", "title"]), offset=st.integers(-JITTER, JITTER))
    def time_passes_to(self, timelock: str, offset: int) -> None:
        """The clocks move to around one of the timelocks (if not past it), the watcher looking as above."""
        terms = self.terms
        assert terms is not None
        target = (terms.money_timelock if timelock == "money" else terms.title_timelock) + offset
        self.time_passes(max(target - max(self.env.sh.timestamp(), self.env.hk.timestamp()), 0), 0, 0)

    @rule()
    def seller_locks_the_bill(self) -> None:
        self.attempt(lambda: self.env.dvp.lock_title(self.terms, seller=self.env.seller))

    @rule()
    def buyer_locks_the_money(self) -> None:
        self.attempt(lambda: self.env.dvp.lock_money(self.terms, buyer=self.env.buyer))

    @rule()
    def seller_reveals(self) -> None:
        self.attempt(lambda: self.env.dvp.reveal(self.terms, SECRET, seller=self.env.seller))

    @rule()
    def seller_claims_the_money_directly(self) -> None:
        """A seller who skips the orchestrator's checks (e.g. in the last second)."""
        dvp = self.env.dvp
        self.attempt(lambda: dvp.money_htlc.claim(dvp.money_lock_id(self.terms), SECRET, sender=self.env.seller))

    @rule(money=st.booleans())
    def someone_claims_with_a_wrong_secret(self, money: bool) -> None:
        dvp = self.env.dvp
        htlc, lid = (
            (dvp.money_htlc, dvp.money_lock_id(self.terms))
            if money
            else (dvp.title_htlc, dvp.title_lock_id(self.terms))
        )
        with pytest.raises(errors.ContractRevert):
            htlc.claim(lid, OTHER_SECRET, sender=self.env.relayer)

    @rule()
    def someone_refunds_the_bill(self) -> None:
        self.attempt(lambda: self.env.dvp.refund_title(self.terms, sender=self.env.relayer))

    @rule()
    def someone_refunds_the_money(self) -> None:
        self.attempt(lambda: self.env.dvp.refund_money(self.terms, sender=self.env.relayer))

    @rule()
    def buyer_settles_early(self) -> None:
        self.attempt(lambda: self.env.dvp.settle_title(self.terms, sender=self.env.buyer, from_block=self.from_block))

    # -- invariants -----------------------------------------------------------------------------------------------

    @invariant()
    def nobody_holds_both(self) -> None:
        if self.terms is None:
            return
        bill_owner, seller_money, buyer_money = self.holdings()
        env = self.env
        assert not (bill_owner == env.seller.address and seller_money == AMOUNT), (
            "the seller kept the bill and got paid"
        )
        assert not (bill_owner == env.buyer.address and buyer_money == 0), "the buyer got the bill and kept the money"
        locked = env.hkd.balance_of(env.dvp.money_htlc.address) - env.htlc_start
        assert seller_money + buyer_money + locked == 0 and locked in (0, AMOUNT)


def _exchange_test(request, settings_: settings) -> None:
    names = ("shipper", "buyer", "relayer")
    accounts = {name: request.getfixturevalue(name) for name in names}
    dvp = request.getfixturevalue("dvp")
    env = SimpleNamespace(
        sh=request.getfixturevalue("session_chain"),
        hk=request.getfixturevalue("hk_chain"),
        dvp=dvp,
        registry=dvp.registry,
        hkd=dvp.token,
        issue=request.getfixturevalue("issue_sh"),
        seller=accounts["shipper"],
        buyer=accounts["buyer"],
        relayer=accounts["relayer"],
    )
    env.htlc_start = env.hkd.balance_of(dvp.money_htlc.address)
    run_state_machine_as_test(lambda: ExchangeMachine(env), settings=settings_)


def test_no_interleaving_leaves_anyone_with_both(request):
    _exchange_test(request, settings(PROFILE, max_examples=min(PROFILE.max_examples, 15), stateful_step_count=25))


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="long runs under HYPOTHESIS_PROFILE=fuzz (make fuzz)")
def test_no_interleaving_leaves_anyone_with_both_long(request):
    _exchange_test(request, settings(PROFILE))


# --------------------------------------------------------------------------------------------------------------- gas


GAS_START = int(dt.datetime(2041, 5, 6, 10, tzinfo=dt.UTC).timestamp())
"""Every measured transaction runs at a fixed time after this (later than any wall clock these tests meet)."""


def _gas_key(name: str) -> LocalAccount:
    return Account.from_key(keccak(text=f"tradefin htlc gas snapshot {name}"))


def test_htlc_gas_does_not_exceed_the_snapshot(ctx, session_chain, project):
    chain = session_chain
    p = {name: _gas_key(name) for name in ("deployer", "carrier", "bank", "seller", "buyer", "relayer")}
    for account in p.values():
        assert chain.rpc("eth_getTransactionCount", [account.address, "latest"]) == "0x0"
        chain.set_balance(account.address, 10**21)
    registry = TitleRegistry.deploy(ctx, p["carrier"], symbol="HTLCGAS", deployment_name="HtlcGasRegistry")
    token = DepositToken.deploy(
        ctx, p["bank"], currency="HKD", name="Gas HKD", symbol="gHKD", deployment_name="HtlcGasHKD"
    )
    htlc = HashTimeLock.deploy(ctx, p["deployer"], deployment_name="HtlcGas")
    htlc.authorise(registry, admin=p["carrier"])
    token.mint(p["buyer"].address, FUNDS, sender=p["bank"])
    token.approve(htlc.address, 3 * AMOUNT, sender=p["buyer"])
    bills = [
        registry.issue(
            keccak(text=f"htlc gas bill {n}"),
            beneficiary=p["seller"].address,
            holder=p["seller"].address,
            sender=p["carrier"],
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=ConsignmentForm.TO_ORDER,
        ).id
        for n in range(2)
    ]
    assert chain.timestamp() < GAS_START, "the chain is already past the gas scenario's fixed time"
    clock = iter(range(GAS_START, GAS_START + 10**6, 60))
    timelock = GAS_START + DAY
    gas: dict[str, int] = {"deploy HashTimeLock": ctx.deployments.record("HtlcGas").gas_used}

    def measure(label: str, action: Callable[[], Any]) -> Any:
        chain.set_next_block_timestamp(next(clock))
        result = action()
        receipt = result.receipt if hasattr(result, "receipt") else result
        gas[label] = receipt.gas_used
        return result

    def lock_title(bill: int, label: str) -> bytes:
        return measure(
            label,
            lambda: htlc.lock_title(
                registry, bill, recipient=p["buyer"].address, hashlock=HASH, timelock=timelock, sender=p["seller"]
            ),
        ).lock_id

    def lock_tokens(label: str, stamp: int, permit=None) -> bytes:
        return measure(
            label,
            lambda: htlc.lock_tokens(
                token.address,
                AMOUNT,
                recipient=p["seller"].address,
                hashlock=HASH,
                timelock=timelock + stamp,
                sender=p["buyer"],
                permit=permit,
            ),
        ).lock_id

    claimed_title = lock_title(bills[0], "lock title (encumber)")
    refunded_title = lock_title(bills[1], "lock title (second bill)")
    claimed_tokens = lock_tokens("lockTokens", 0)
    refunded_tokens = lock_tokens("lockTokens (second)", 1)
    permit = token.sign_permit(p["buyer"], htlc.address, AMOUNT, deadline=2**40, nonce=0)
    lock_tokens("lockTokensWithPermit", 2, permit=permit)
    measure("claim title", lambda: htlc.claim(claimed_title, SECRET, sender=p["relayer"]))
    measure("claim tokens", lambda: htlc.claim(claimed_tokens, SECRET, sender=p["relayer"]))
    clock = iter(range(timelock + 60, timelock + 10**6, 60))
    measure("refund title", lambda: htlc.refund(refunded_title, sender=p["relayer"]))
    measure("refund tokens", lambda: htlc.refund(refunded_tokens, sender=p["relayer"]))
    for note in check_gas(project.root, "htlc", gas):
        print("gas improved:", note)
