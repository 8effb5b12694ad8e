"""The bridge relayer: watches every chain's bridge, asks the committee members to sign, and submits claims,
confirmations and reclaims from its own account. It is only a courier: each member checks the chains itself
before signing (:mod:`tradefin.bridge.member`), and the bridges check the signatures.

One pass (:meth:`Relayer.poll_once`):

1. resume: every journaled transaction not known to have landed is looked up; if it is not mined and its nonce is
   still free, the same signed bytes are broadcast again (never a second transaction); if another transaction took
   its nonce, the chain is read to see whether the attestation took effect anyway, else it is signed afresh;
2. scan: new blocks of each chain (from a per-chain cursor in the journal) for ``BillPledged`` (pledges to follow)
   and ``BillClaimed`` (claims made by someone else);
3. act, per open pledge, on what the chains say now: claimed on the destination -> ``confirm`` on the source;
   unclaimed and past the expiry on both chains -> ``reclaim`` on the source; otherwise -> ``claim`` on the
   destination. Confirmations go first, so a bill coming back can land on a chain it left in the same pass.

Each (pledge, action) is submitted at most once: the signed bytes are journaled before they are broadcast, and the
on-chain state (``isClaimed``, ``pledgeOf``) is read before anything new is built.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tradefin.bridge.client import PledgeStatus, TitleBridge
from tradefin.bridge.member import AttestationRefused, AttestationSigner, MemberUnavailable
from tradefin.bridge.messages import (
    Attestation,
    BridgeDomain,
    ClaimedAttestation,
    NotClaimedAttestation,
    PledgeAttestation,
    attestation_signer,
)
from tradefin.bridge.relayer_journal import (
    CONFIRMED,
    FAILED,
    IGNORED,
    OPEN,
    RECLAIMED,
    SENT,
    SIGNED,
    STALE,
    RelayerJournal,
    Submission,
    TrackedPledge,
)
from tradefin.errors import ChainError, ContractRevert, TradefinError, TransactionError, TransactionFailed
from tradefin.transactions.sender import Receipt, SignedTransaction, Transactor

log = logging.getLogger("tradefin.bridge.relayer")

CLAIM = "claim"
CONFIRM = "confirm"
RECLAIM = "reclaim"


class InsufficientSignatures(TradefinError):
    """Fewer members than the threshold would sign: nothing was submitted. The refusals say why (a forged or
    premature request, members offline); the relayer asks again on its next pass."""

    def __init__(self, what: str, got: int, threshold: int, problems: Sequence[str]) -> None:
        self.what = what
        self.got = got
        self.threshold = threshold
        self.problems = tuple(problems)
        detail = "; ".join(self.problems) or "no member answered"
        super().__init__(f"{what}: {got} of {threshold} signatures needed ({detail})")


@dataclass
class PollReport:
    """What one pass did."""

    scanned: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Per chain id: the (first, last) blocks scanned."""
    discovered: list[bytes] = field(default_factory=list)
    """Pledge ids seen for the first time."""
    submitted: list[tuple[str, bytes, str]] = field(default_factory=list)
    """(action, pledge id, transaction hash) of transactions signed and broadcast in this pass."""
    resent: list[str] = field(default_factory=list)
    """Hashes of journaled transactions broadcast again (the same bytes)."""
    landed: list[tuple[str, bytes, str]] = field(default_factory=list)
    """(action, pledge id, transaction hash) of submissions that landed."""
    failed: list[tuple[str, bytes, str]] = field(default_factory=list)
    """(action, pledge id, error) of submissions that reverted."""
    finished: list[tuple[bytes, str]] = field(default_factory=list)
    """(pledge id, confirmed | reclaimed) of pledges that reached a final state."""
    waiting: dict[bytes, str] = field(default_factory=dict)
    """Pledge id -> why nothing was submitted for it (refusals, a revert at estimation, the clock)."""

    @property
    def idle(self) -> bool:
        return not (self.discovered or self.submitted or self.resent or self.landed or self.failed or self.finished)


class Relayer:
    """Relays attestations between the bridges of several chains (one :class:`TitleBridge` client per chain)."""

    def __init__(
        self,
        bridges: Iterable[TitleBridge],
        members: Sequence[AttestationSigner],
        account: LocalAccount,
        journal: RelayerJournal | Path,
        *,
        confirmations: int = 0,
        start_blocks: dict[int, int] | None = None,
        receipt_timeout: float = 60.0,
    ) -> None:
        self.bridges = {bridge.chain_id: bridge for bridge in bridges}
        self.members = list(members)
        self.account = account
        self.journal = journal if isinstance(journal, RelayerJournal) else RelayerJournal(journal)
        self.confirmations = confirmations
        self.start_blocks = dict(start_blocks or {})
        self.receipt_timeout = receipt_timeout

    # -- the loop -------------------------------------------------------------------------------------------------

    def run(
        self,
        until: Callable[[], bool] | None = None,
        *,
        interval: float = 1.0,
        max_polls: int | None = None,
        on_poll: Callable[[PollReport], None] | None = None,
    ) -> int:
        """Poll until ``until()`` is true (checked after each pass) or ``max_polls`` passes; returns the passes.

        A node that cannot be reached is logged and tried again on the next pass."""
        polls = 0
        while True:
            try:
                report = self.poll_once()
                if on_poll is not None:
                    on_poll(report)
            except ChainError as exc:
                log.warning("relayer pass failed, trying again: %s", exc)
            polls += 1
            if (until is not None and until()) or (max_polls is not None and polls >= max_polls):
                return polls
            time.sleep(interval)

    def poll_once(self) -> PollReport:
        report = PollReport()
        self._resume(report)
        self._scan(report)
        self._act(report)
        return report

    def status(self, pledge_id: bytes) -> TrackedPledge | None:
        """The journal's view of a pledge (``note`` says why the last pass did not act on it)."""
        return self.journal.pledge(pledge_id)

    def submission(self, pledge_id: bytes, action: str) -> Submission | None:
        return self.journal.submission(pledge_id, action)

    # -- signatures -----------------------------------------------------------------------------------------------

    def gather(
        self, attestation: Attestation, bridge: TitleBridge, ask: Callable[[AttestationSigner], bytes]
    ) -> list[bytes]:
        """Ask members (``ask(member)``) until ``bridge``'s threshold of valid signatures by distinct members of its
        current committee is reached; raises :class:`InsufficientSignatures` otherwise."""
        what = _describe(attestation)
        members, threshold = bridge.committee()
        committee = {to_checksum_address(m) for m in members}
        domain = bridge.domain
        signatures: list[bytes] = []
        signers: set[str] = set()
        problems: list[str] = []
        for member in self.members:
            if len(signatures) >= threshold:
                break
            address = to_checksum_address(member.address)
            if address not in committee:
                problems.append(f"{address} is not on the committee of chain {bridge.chain_id}")
                continue
            if address in signers:
                continue
            try:
                signature = ask(member)
            except AttestationRefused as refused:
                problems.append(f"{address} refused: {'; '.join(refused.reasons)}")
                continue
            except (MemberUnavailable, ChainError) as exc:
                problems.append(f"{address} unavailable: {exc}")
                continue
            if not _signed_by(attestation, domain, signature, address):
                problems.append(f"{address} returned a signature that is not its own over {what}")
                continue
            signers.add(address)
            signatures.append(signature)
        if len(signatures) < threshold:
            raise InsufficientSignatures(what, len(signatures), threshold, problems)
        return signatures

    # -- 1. resume ------------------------------------------------------------------------------------------------

    def _resume(self, report: PollReport) -> None:
        for sub in self.journal.submissions((SIGNED, SENT)):
            bridge = self.bridges.get(sub.chain_id)
            if bridge is None:
                continue
            transactor = bridge.contract.transactor
            receipt = transactor.receipt(sub.tx_hash)
            if receipt is not None:
                self._settle(sub, transactor, receipt, report)
                continue
            on_chain = int(transactor.chain.rpc("eth_getTransactionCount", [sub.signed.sender, "latest"]), 16)
            if sub.nonce >= on_chain:
                log.info("re-sending journaled %s of 0x%s: %s", sub.action, sub.pledge_id.hex(), sub.tx_hash)
                report.resent.append(sub.tx_hash)
                self._broadcast(sub.pledge_id, sub.action, sub.signed, transactor, report)
            elif self._took_effect(sub.pledge_id, sub.action, sub.chain_id):
                self.journal.done(sub.pledge_id, sub.action, None)
                report.landed.append((sub.action, sub.pledge_id, "(by another transaction)"))
            else:
                log.warning(
                    "nonce %d of %s was taken by another transaction; %s of 0x%s will be signed afresh",
                    sub.nonce,
                    sub.signed.sender,
                    sub.action,
                    sub.pledge_id.hex(),
                )
                self.journal.stale(sub.pledge_id, sub.action, f"nonce {sub.nonce} taken by another transaction")

    def _took_effect(self, pledge_id: bytes, action: str, chain_id: int) -> bool:
        bridge = self.bridges[chain_id]
        if action == CLAIM:
            return bridge.is_claimed(pledge_id)
        wanted = PledgeStatus.CONFIRMED if action == CONFIRM else PledgeStatus.RECLAIMED
        return bridge.pledge_of(pledge_id).status is wanted

    # -- 2. scan --------------------------------------------------------------------------------------------------

    def _scan(self, report: PollReport) -> None:
        for chain_id, bridge in self.bridges.items():
            chain = bridge.contract.transactor.chain
            head = chain.block_number() - self.confirmations
            start = self.journal.cursor(chain_id)
            if start is None:
                start = self.start_blocks.get(chain_id, 0)
            if start > head:
                continue
            found: list[TrackedPledge] = []
            events = bridge.contract.get_logs(from_block=start, to_block=head, events=("BillPledged", "BillClaimed"))
            for event in events:
                pledge_id = bytes(event["pledgeId"])
                if self.journal.pledge(pledge_id) is not None or any(p.pledge_id == pledge_id for p in found):
                    continue
                if event.name == "BillPledged":
                    tracked = self._tracked(
                        pledge_id,
                        source=chain_id,
                        destination=int(event["destinationChainId"]),
                        registry=str(event["destinationRegistry"]),
                        bill_id=int(event["billId"]),
                        expiry=int(event["expiry"]),
                    )
                else:  # a claim here of a pledge made before our cursor on its source (or by another relayer)
                    source = self.bridges.get(int(event["sourceChainId"]))
                    if source is None:
                        continue
                    record = source.pledge_of(pledge_id)
                    if record.status is PledgeStatus.NONE:
                        continue
                    tracked = self._tracked(
                        pledge_id,
                        source=source.chain_id,
                        destination=record.destination_chain_id,
                        registry=record.destination_registry,
                        bill_id=record.bill_id,
                        expiry=record.expiry,
                    )
                found.append(tracked)
                report.discovered.append(pledge_id)
            self.journal.scanned(chain_id, head + 1, found)
            report.scanned[chain_id] = (start, head)

    def _tracked(
        self, pledge_id: bytes, *, source: int, destination: int, registry: str, bill_id: int, expiry: int
    ) -> TrackedPledge:
        known = self.bridges.get(destination)
        if known is None or to_checksum_address(known.registry.address) != to_checksum_address(registry):
            note = f"destination chain {destination} registry {registry} is not relayed here"
            return TrackedPledge(pledge_id, source, destination, bill_id, expiry, IGNORED, note)
        return TrackedPledge(pledge_id, source, destination, bill_id, expiry, OPEN, None)

    # -- 3. act ---------------------------------------------------------------------------------------------------

    def _act(self, report: PollReport) -> None:
        phases: dict[str, list[TrackedPledge]] = {CONFIRM: [], RECLAIM: [], CLAIM: []}
        for pledge in self.journal.pledges(OPEN):
            source, destination = self.bridges.get(pledge.source), self.bridges.get(pledge.destination)
            if source is None or destination is None:
                continue
            status = source.pledge_of(pledge.pledge_id).status
            if status in (PledgeStatus.CONFIRMED, PledgeStatus.RECLAIMED):
                final = CONFIRMED if status is PledgeStatus.CONFIRMED else RECLAIMED
                self.journal.set_pledge(pledge.pledge_id, final)
                report.finished.append((pledge.pledge_id, final))
            elif status is PledgeStatus.NONE:
                self._wait(pledge.pledge_id, f"no pledge on chain {pledge.source} (a reorganised chain?)", report)
            elif destination.is_claimed(pledge.pledge_id):
                phases[CONFIRM].append(pledge)
            elif destination.contract.transactor.chain.timestamp() <= pledge.expiry:
                phases[CLAIM].append(pledge)
            elif source.contract.transactor.chain.timestamp() > pledge.expiry:
                phases[RECLAIM].append(pledge)
            else:
                self._wait(pledge.pledge_id, f"expired; chain {pledge.source} not past {pledge.expiry} yet", report)
        for action in (CONFIRM, RECLAIM, CLAIM):
            for pledge in phases[action]:
                self._submit(pledge, action, report)

    def _submit(self, pledge: TrackedPledge, action: str, report: PollReport) -> None:
        pid = pledge.pledge_id
        existing = self.journal.submission(pid, action)
        if existing is not None and existing.status != STALE:
            if existing.status == FAILED:
                self._wait(pid, f"{action} failed: {existing.error}", report)
            return
        source, destination = self.bridges[pledge.source], self.bridges[pledge.destination]
        try:
            if action == CLAIM:
                attestation = source.attestation(pid)
                signatures = self.gather(attestation, destination, lambda m: m.sign_pledge(attestation))
                target, data = destination, destination.contract.encode("claim", attestation.as_tuple(), signatures)
            elif action == CONFIRM:
                signatures = self.gather(ClaimedAttestation(pid), source, lambda m: m.sign_claimed(pledge.source, pid))
                target, data = source, source.contract.encode("confirm", pid, signatures)
            else:
                signatures = self.gather(
                    NotClaimedAttestation(pid), source, lambda m: m.sign_not_claimed(pledge.source, pid)
                )
                target, data = source, source.contract.encode("reclaim", pid, signatures)
        except InsufficientSignatures as exc:
            log.warning("not relaying: %s", exc)
            self._wait(pid, str(exc), report)
            return
        transactor = target.contract.transactor
        try:
            signed = transactor.sign(self.account, to=target.address, data=data, label=f"TitleBridge.{action}")
        except ContractRevert as exc:  # at estimation: nothing signed, nothing sent; asked again next pass
            self._wait(pid, f"{action} would revert: {exc}", report)
            return
        if existing is None:
            self.journal.signed(pid, action, target.chain_id, signed)
        else:
            self.journal.resign(pid, action, signed)
        self.journal.note(pid, None)
        report.submitted.append((action, pid, signed.tx_hash))
        self._broadcast(pid, action, signed, transactor, report)

    # -- sending --------------------------------------------------------------------------------------------------

    def _broadcast(
        self, pledge_id: bytes, action: str, signed: SignedTransaction, transactor: Transactor, report: PollReport
    ) -> None:
        try:
            pending = transactor.broadcast(signed)
        except (ChainError, TransactionError) as exc:  # left as signed: the next pass looks again
            log.warning("broadcast of %s %s failed: %s", action, signed.tx_hash, exc)
            return
        self.journal.sent(pledge_id, action)
        try:
            receipt = pending.wait(self.receipt_timeout)
        except (ContractRevert, TransactionFailed) as exc:
            mined = transactor.receipt(signed.tx_hash)
            self.journal.failed(pledge_id, action, str(exc), mined.block_number if mined else None)
            report.failed.append((action, pledge_id, str(exc)))
            return
        except TransactionError as exc:  # no receipt yet: the next pass looks again
            log.info("%s %s not mined yet: %s", action, signed.tx_hash, exc)
            return
        self.journal.done(pledge_id, action, receipt.block_number)
        report.landed.append((action, pledge_id, signed.tx_hash))

    def _settle(self, sub: Submission, transactor: Transactor, receipt: Receipt, report: PollReport) -> None:
        pledge_id, action, signed = sub.pledge_id, sub.action, sub.signed
        if receipt.status == 1:
            self.journal.done(pledge_id, action, receipt.block_number)
            report.landed.append((action, pledge_id, signed.tx_hash))
            return
        try:
            transactor.raise_if_failed(signed, receipt)
        except TradefinError as exc:
            error = str(exc)
        else:  # pragma: no cover - a failed receipt always raises
            error = "failed"
        self.journal.failed(pledge_id, action, error, receipt.block_number)
        report.failed.append((action, pledge_id, error))

    def _wait(self, pledge_id: bytes, why: str, report: PollReport) -> None:
        self.journal.note(pledge_id, why)
        report.waiting[pledge_id] = why


def _describe(attestation: Attestation) -> str:
    if isinstance(attestation, PledgeAttestation):
        return f"Pledge(0x{attestation.pledge_id.hex()})"
    if isinstance(attestation, ClaimedAttestation):
        return f"Claimed(0x{attestation.pledge_id.hex()})"
    if isinstance(attestation, NotClaimedAttestation):
        return f"NotClaimed(0x{attestation.pledge_id.hex()})"
    return f"CommitteeChange(nonce {attestation.nonce})"


def _signed_by(attestation: Attestation, domain: BridgeDomain, signature: bytes, address: str) -> bool:
    try:
        return to_checksum_address(attestation_signer(attestation, domain, signature)) == address
    except (ValueError, TypeError):
        return False
