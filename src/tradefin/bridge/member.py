"""A committee member: one key, its own view of both chains, and a signature only for what it verified itself.

The relayer proposes; the member reads the source and destination chains through its own connections, recomputes
what it is asked to attest (the pledge record, the bill's document hash and terms, the history hash) and refuses
with :class:`AttestationRefused` when anything differs. It never signs a message it was handed without checking.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import fields
from typing import Protocol

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tradefin.bridge.client import PledgeRecord, PledgeStatus, TitleBridge
from tradefin.bridge.messages import ClaimedAttestation, NotClaimedAttestation, PledgeAttestation, sign_attestation
from tradefin.errors import TradefinError

log = logging.getLogger("tradefin.bridge.member")


class AttestationRefused(TradefinError):
    """A member would not sign: what it read on the chains does not support the message. Do not retry blindly:
    wait for the chains to get there (a claim, an expiry) or drop a forged request."""

    def __init__(self, member: str, what: str, reasons: Iterable[str]) -> None:
        self.member = member
        self.what = what
        self.reasons = tuple(reasons)
        super().__init__(f"member {member} refuses to sign {what}: {'; '.join(self.reasons)}")


class MemberUnavailable(TradefinError):
    """A member could not be asked (offline, its node unreachable): ask again later."""


class AttestationSigner(Protocol):
    """What the relayer needs from a member: an address and three checked signing acts (in-process or remote)."""

    @property
    def address(self) -> str: ...

    def sign_pledge(self, proposed: PledgeAttestation) -> bytes:
        """The signature over ``proposed`` for its destination bridge, after checking it on the source chain."""
        ...

    def sign_claimed(self, source_chain_id: int, pledge_id: bytes) -> bytes:
        """The ``Claimed`` signature for the source bridge, after seeing the claim on the destination."""
        ...

    def sign_not_claimed(self, source_chain_id: int, pledge_id: bytes) -> bytes:
        """The ``NotClaimed`` signature for the source bridge, after seeing the destination past the expiry."""
        ...


class CommitteeMember:
    """One member's key and its own clients of the bridges it attests for (one per chain id).

    Checks before each signature:

    - Pledge: the source bridge records the pledge as Pending with the same bill, destination, recipient and expiry;
      the bill's document hash, kind, form and shipped-on-board date are the source registry's; the history hash is
      recomputed from the source chain of title; the destination is a bridge this member knows, has not claimed the
      pledge, and its clock has not passed the expiry.
    - Claimed: the destination bridge named in the source record has claimed the pledge.
    - NotClaimed: the source pledge is Pending, the destination has not claimed it, and the destination's latest
      block is past the expiry (so no later block there can claim it).

    A member also never signs both ``Claimed`` and ``NotClaimed`` for one pledge (remembered in memory).
    """

    def __init__(self, account: LocalAccount, bridges: Iterable[TitleBridge]) -> None:
        self._account = account
        self._bridges = {bridge.chain_id: bridge for bridge in bridges}
        self._outcomes: dict[bytes, str] = {}

    @property
    def address(self) -> str:
        return str(self._account.address)

    def __repr__(self) -> str:
        return f"<CommitteeMember {self.address}>"

    # -- signing acts ---------------------------------------------------------------------------------------------

    def sign_pledge(self, proposed: PledgeAttestation) -> bytes:
        what = f"pledge 0x{proposed.pledge_id.hex()}"
        source = self._bridge(proposed.source_chain_id, what)
        destination = self._bridge(proposed.destination_chain_id, what)
        reasons: list[str] = []
        record = source.pledge_of(proposed.pledge_id)
        if record.status is not PledgeStatus.PENDING:
            raise AttestationRefused(self.address, what, [f"the source records it as {record.status.name}"])
        expected = source.attestation(proposed.pledge_id)  # read here, through this member's own connection
        for field in fields(PledgeAttestation):
            mine, theirs = getattr(expected, field.name), getattr(proposed, field.name)
            if _norm(mine) != _norm(theirs):
                reasons.append(f"{field.name}: proposed {_show(theirs)}, the source chain says {_show(mine)}")
        if _norm(destination.registry.address) != _norm(record.destination_registry):
            reasons.append(f"destination registry {record.destination_registry} is not the known bridge's")
        if reasons:
            raise AttestationRefused(self.address, what, reasons)
        if destination.is_claimed(proposed.pledge_id):
            raise AttestationRefused(self.address, what, ["already claimed on the destination"])
        now = destination.contract.transactor.chain.timestamp()
        if now > record.expiry:
            raise AttestationRefused(self.address, what, [f"expired at {record.expiry} (destination time {now})"])
        log.info("%s signs %s for chain %d", self.address, what, destination.chain_id)
        return sign_attestation(self._account, proposed, destination.domain)

    def sign_claimed(self, source_chain_id: int, pledge_id: bytes) -> bytes:
        what = f"Claimed(0x{pledge_id.hex()})"
        source, _, destination = self._pledge(source_chain_id, pledge_id, what)
        if not destination.is_claimed(pledge_id):
            raise AttestationRefused(self.address, what, [f"not claimed on chain {destination.chain_id}"])
        self._settle(pledge_id, "claimed", what)
        log.info("%s signs %s for chain %d", self.address, what, source.chain_id)
        return sign_attestation(self._account, ClaimedAttestation(pledge_id), source.domain)

    def sign_not_claimed(self, source_chain_id: int, pledge_id: bytes) -> bytes:
        what = f"NotClaimed(0x{pledge_id.hex()})"
        source, record, destination = self._pledge(source_chain_id, pledge_id, what)
        if record.status is not PledgeStatus.PENDING:
            raise AttestationRefused(self.address, what, [f"the source records it as {record.status.name}"])
        if destination.is_claimed(pledge_id):
            raise AttestationRefused(self.address, what, [f"claimed on chain {destination.chain_id}"])
        now = destination.contract.transactor.chain.timestamp()
        if now <= record.expiry:
            raise AttestationRefused(
                self.address, what, [f"chain {destination.chain_id} is at {now}, not past the expiry {record.expiry}"]
            )
        self._settle(pledge_id, "not claimed", what)
        log.info("%s signs %s for chain %d", self.address, what, source.chain_id)
        return sign_attestation(self._account, NotClaimedAttestation(pledge_id), source.domain)

    # -- internals ------------------------------------------------------------------------------------------------

    def _bridge(self, chain_id: int, what: str) -> TitleBridge:
        bridge = self._bridges.get(chain_id)
        if bridge is None:
            raise AttestationRefused(self.address, what, [f"no known bridge on chain {chain_id}"])
        return bridge

    def _pledge(
        self, source_chain_id: int, pledge_id: bytes, what: str
    ) -> tuple[TitleBridge, PledgeRecord, TitleBridge]:
        source = self._bridge(source_chain_id, what)
        record = source.pledge_of(pledge_id)
        if record.status is PledgeStatus.NONE:
            raise AttestationRefused(self.address, what, [f"no such pledge on chain {source_chain_id}"])
        destination = self._bridge(record.destination_chain_id, what)
        if _norm(destination.registry.address) != _norm(record.destination_registry):
            raise AttestationRefused(
                self.address, what, [f"destination registry {record.destination_registry} is not the known bridge's"]
            )
        return source, record, destination

    def _settle(self, pledge_id: bytes, outcome: str, what: str) -> None:
        previous = self._outcomes.setdefault(pledge_id, outcome)
        if previous != outcome:
            raise AttestationRefused(self.address, what, [f"this member already attested it {previous}"])


def _norm(value: object) -> object:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return to_checksum_address(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, int):
        return int(value)  # enums compare by value
    return value


def _show(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    return str(int(value)) if isinstance(value, int) else str(value)
