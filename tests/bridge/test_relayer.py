"""The relayer: pledges relayed to claims and confirmations with no manual signing, restarts that send nothing twice,
reclaims after expiry, and members who refuse what they cannot verify.

Each relayer and each member reads the chains through its own connections (as separate processes would); the
relayer's transactions come from the ``relayer`` account only, so its nonce on each chain counts what it sent."""

from dataclasses import replace

import pytest
from eth_account import Account

from tradefin.bridge import PledgeStatus, TitleBridge
from tradefin.bridge.member import AttestationRefused, CommitteeMember, MemberUnavailable
from tradefin.bridge.messages import sign_attestation
from tradefin.bridge.relayer import InsufficientSignatures, Relayer
from tradefin.bridge.relayer_journal import CONFIRMED, DONE, OPEN, RECLAIMED, RelayerJournal, RelayerJournalError
from tradefin.chain.connection import connect
from tradefin.context import Context
from tradefin.transactions.sender import SignedTransaction

from .conftest import HONG_KONG_CHAIN_ID

SHANGHAI_CHAIN_ID = 31337


class Killed(BaseException):
    """The relayer process dies here (not an error it could catch)."""


def _view(project, build, chain, bridge, folder) -> TitleBridge:
    """``bridge`` through a connection of its own."""
    own = connect(chain.rpc_url, dev_chain_ids=[chain.chain_id], name=chain.name)
    return TitleBridge.at(Context.on(project, own, build, deployments_dir=folder), bridge.address)


@pytest.fixture(scope="session")
def views(project, build, session_chain, hk_chain, sh_bridge, hk_bridge, tmp_path_factory):
    """A factory of fresh (Shanghai, Hong Kong) bridge clients, each pair on new connections."""

    def make() -> list[TitleBridge]:
        folder = tmp_path_factory.mktemp("views")
        return [
            _view(project, build, session_chain, sh_bridge, folder),
            _view(project, build, hk_chain, hk_bridge, folder),
        ]

    return make


@pytest.fixture(scope="session")
def honest(members, views) -> list[CommitteeMember]:
    """Every committee member, each with its own key and its own view of both chains."""
    return [CommitteeMember(account, views()) for account in members]


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "relayer.sqlite"


@pytest.fixture
def make_relayer(views, relayer, journal_path, honest):
    """A relayer as a fresh process would build it: new connections, the journal file at ``journal_path``."""

    def make(members=None, path=None) -> Relayer:
        return Relayer(views(), honest if members is None else members, relayer, RelayerJournal(path or journal_path))

    return make


@pytest.fixture
def sent(session_chain, hk_chain, relayer):
    """How many transactions the relayer account has sent, per chain id (its nonce)."""

    def count() -> dict[int, int]:
        return {
            chain.chain_id: int(chain.rpc("eth_getTransactionCount", [relayer.address, "latest"]), 16)
            for chain in (session_chain, hk_chain)
        }

    return count


@pytest.fixture
def pledge(sh_bridge, hk_bridge, issue_sh, shipper, buyer, expiry):
    """A fresh Shanghai bill pledged by the shipper to the buyer in Hong Kong: (bill, pledge id)."""
    bill = issue_sh(shipper)
    pledged = sh_bridge.pledge(
        bill,
        destination_chain_id=HONG_KONG_CHAIN_ID,
        destination_registry=hk_bridge.registry.address,
        recipient=buyer.address,
        expiry=expiry,
        sender=shipper,
    )
    return bill, pledged.pledge_id


def _until_final(relayer: Relayer, pledge_id: bytes, max_polls: int = 6) -> None:
    relayer.run(lambda: relayer.status(pledge_id).status != OPEN, interval=0, max_polls=max_polls)


def _diff(before: dict[int, int], after: dict[int, int]) -> dict[int, int]:
    return {chain: after[chain] - before[chain] for chain in before}


# -- the happy paths -----------------------------------------------------------------------------------------------


def test_a_pledge_is_relayed_to_a_claim_and_a_confirmation(
    make_relayer, pledge, sh_bridge, hk_bridge, sh_registry, hk_registry, buyer, sent
):
    bill, pledge_id = pledge
    before = sent()
    relayer = make_relayer()
    first = relayer.poll_once()
    assert first.discovered == [pledge_id]
    assert [(action, pid) for action, pid, _ in first.landed] == [("claim", pledge_id)]
    assert hk_bridge.is_claimed(pledge_id)
    second = relayer.poll_once()
    assert [(action, pid) for action, pid, _ in second.landed] == [("confirm", pledge_id)]
    third = relayer.poll_once()
    assert third.finished == [(pledge_id, CONFIRMED)]
    assert relayer.poll_once().idle

    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.CONFIRMED
    title = hk_registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (buyer.address, buyer.address, False)
    assert sh_registry.locker_of(bill) == sh_bridge.address
    assert _diff(before, sent()) == {SHANGHAI_CHAIN_ID: 1, HONG_KONG_CHAIN_ID: 1}
    for action in ("claim", "confirm"):
        assert relayer.submission(pledge_id, action).status == DONE
    assert relayer.status(pledge_id).status == CONFIRMED


def test_the_relayer_brings_a_bill_back(make_relayer, pledge, sh_bridge, hk_bridge, sh_registry, shipper, buyer, sent):
    bill, out = pledge
    relayer = make_relayer()
    _until_final(relayer, out)
    expiry = max(b.contract.transactor.chain.timestamp() for b in (sh_bridge, hk_bridge)) + 3600
    back = hk_bridge.pledge(
        bill,
        destination_chain_id=SHANGHAI_CHAIN_ID,
        destination_registry=sh_registry.address,
        recipient=shipper.address,
        expiry=expiry,
        sender=buyer,
    ).pledge_id
    before = sent()
    _until_final(relayer, back)
    assert relayer.status(back).status == CONFIRMED
    assert _diff(before, sent()) == {SHANGHAI_CHAIN_ID: 1, HONG_KONG_CHAIN_ID: 1}
    title = sh_registry.title(bill)
    assert (title.beneficiary, title.encumbered) == (shipper.address, False)
    assert hk_bridge.departure_of(bill) == back and sh_bridge.departure_of(bill) is None


def test_reclaim_after_expiry_is_relayed(make_relayer, pledge, sh_bridge, sh_registry, shipper, advance, sent):
    bill, pledge_id = pledge
    advance(3601)  # nobody relayed the claim in time
    before = sent()
    relayer = make_relayer()
    report = relayer.poll_once()
    assert [(action, pid) for action, pid, _ in report.landed] == [("reclaim", pledge_id)]
    _until_final(relayer, pledge_id)
    assert relayer.status(pledge_id).status == RECLAIMED
    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.RECLAIMED
    title = sh_registry.title(bill)
    assert (title.beneficiary, title.encumbered) == (shipper.address, False)
    assert _diff(before, sent()) == {SHANGHAI_CHAIN_ID: 1, HONG_KONG_CHAIN_ID: 0}


# -- restarts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["claim", "confirm"])
@pytest.mark.parametrize("stage", ["signed", "sent"])
def test_a_killed_relayer_resumes_and_sends_nothing_twice(
    make_relayer, pledge, sh_bridge, hk_bridge, sent, action, stage
):
    _, pledge_id = pledge
    before = sent()
    relayer = make_relayer()
    label = f"TitleBridge.{action}"
    for bridge in relayer.bridges.values():
        transactor = bridge.contract.transactor
        real = transactor.broadcast

        def crashing(signed, real=real):
            if signed.label != label:
                return real(signed)
            if stage == "sent":
                real(signed)  # on the wire (and mined), but the relayer dies before it can write that down
            raise Killed

        transactor.broadcast = crashing
    with pytest.raises(Killed):
        relayer.run(interval=0, max_polls=4)
    journaled = relayer.submission(pledge_id, action)
    assert journaled is not None and journaled.status == "signed"
    relayer.journal.close()

    restarted = make_relayer()  # a new process: new connections, the same journal
    first = restarted.poll_once()
    assert journaled.tx_hash in [tx for _, _, tx in first.landed]
    assert first.resent == ([journaled.tx_hash] if stage == "signed" else [])
    _until_final(restarted, pledge_id)
    assert restarted.status(pledge_id).status == CONFIRMED
    assert restarted.submission(pledge_id, action).tx_hash == journaled.tx_hash
    assert restarted.submission(pledge_id, action).attempt == 1
    assert _diff(before, sent()) == {SHANGHAI_CHAIN_ID: 1, HONG_KONG_CHAIN_ID: 1}
    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.CONFIRMED
    assert hk_bridge.is_claimed(pledge_id)


def test_a_relayer_that_lost_its_journal_reads_the_chains_first(make_relayer, pledge, tmp_path, sent):
    _, pledge_id = pledge
    relayer = make_relayer()
    _until_final(relayer, pledge_id)
    before = sent()
    amnesiac = make_relayer(path=tmp_path / "new-journal.sqlite")
    for _ in range(3):
        report = amnesiac.poll_once()
        assert not report.submitted
    assert amnesiac.status(pledge_id).status == CONFIRMED
    assert sent() == before


def test_a_nonce_taken_by_another_transaction_is_signed_afresh(make_relayer, pledge, relayer):
    _, pledge_id = pledge
    runner = make_relayer()
    [hk] = [b for b in runner.bridges.values() if b.chain_id == HONG_KONG_CHAIN_ID]
    real = hk.contract.transactor.broadcast

    def crashing(signed):
        raise Killed

    hk.contract.transactor.broadcast = crashing
    with pytest.raises(Killed):
        runner.poll_once()
    hk.contract.transactor.broadcast = real
    stale = runner.submission(pledge_id, "claim")
    # the same account sends something else with that nonce (an operator's manual transaction)
    hk.contract.transactor.nonces.forget(relayer.address)
    hk.contract.transactor.send(relayer, to=relayer.address, value=1).wait()
    restarted = make_relayer()
    _until_final(restarted, pledge_id)
    fresh = restarted.submission(pledge_id, "claim")
    assert (fresh.status, fresh.attempt) == (DONE, 2)
    assert fresh.tx_hash != stale.tx_hash
    assert restarted.status(pledge_id).status == CONFIRMED


# -- members who verify --------------------------------------------------------------------------------------------


def test_a_member_refuses_a_forged_pledge(honest, sh_bridge, pledge, carrier):
    _, pledge_id = pledge
    member = honest[0]
    genuine = sh_bridge.attestation(pledge_id)
    member.sign_pledge(genuine)
    for forged, field in (
        (replace(genuine, recipient=carrier.address), "recipient"),
        (replace(genuine, document_hash=b"\x11" * 32), "document_hash"),
        (replace(genuine, history_hash=b"\x22" * 32), "history_hash"),
        (replace(genuine, expiry=genuine.expiry + 10**6), "expiry"),
    ):
        with pytest.raises(AttestationRefused) as refused:
            member.sign_pledge(forged)
        assert refused.value.member == member.address
        assert [r.split(":")[0] for r in refused.value.reasons] == [field]


def test_a_member_attests_only_what_happened(honest, sh_bridge, hk_bridge, pledge, committee, relayer, advance):
    _, pledge_id = pledge
    member = honest[0]
    with pytest.raises(AttestationRefused, match="not claimed on chain 31338"):
        member.sign_claimed(SHANGHAI_CHAIN_ID, pledge_id)
    with pytest.raises(AttestationRefused, match="not past the expiry"):
        member.sign_not_claimed(SHANGHAI_CHAIN_ID, pledge_id)
    with pytest.raises(AttestationRefused, match="no such pledge"):
        member.sign_claimed(SHANGHAI_CHAIN_ID, b"\x33" * 32)
    with pytest.raises(AttestationRefused, match="no known bridge on chain 5"):
        member.sign_claimed(5, pledge_id)
    attestation = sh_bridge.attestation(pledge_id)
    hk_bridge.claim(attestation, committee.sign(attestation, hk_bridge.domain), sender=relayer)
    with pytest.raises(AttestationRefused, match="already claimed"):
        member.sign_pledge(attestation)
    advance(3601)
    with pytest.raises(AttestationRefused, match="claimed on chain 31338"):
        member.sign_not_claimed(SHANGHAI_CHAIN_ID, pledge_id)
    member.sign_claimed(SHANGHAI_CHAIN_ID, pledge_id)


class RubberStamp:
    """A dishonest member: signs whatever it is handed."""

    def __init__(self, account) -> None:
        self.account = account
        self.bridges: dict[int, TitleBridge] = {}

    @property
    def address(self) -> str:
        return self.account.address

    def sign_pledge(self, proposed):
        return sign_attestation(self.account, proposed, self.bridges[proposed.destination_chain_id].domain)

    def sign_claimed(self, source_chain_id, pledge_id):
        raise MemberUnavailable("asleep")

    sign_not_claimed = sign_claimed


class Offline:
    def __init__(self, address: str) -> None:
        self.address = address

    def _down(self, *args):
        raise MemberUnavailable("connection refused")

    sign_pledge = sign_claimed = sign_not_claimed = _down


def test_a_forging_relayer_gets_no_claim_through(make_relayer, pledge, members, honest, hk_bridge, carrier, sent):
    _, pledge_id = pledge
    stamp = RubberStamp(members[0])
    forger = make_relayer(members=[stamp, *honest[1:]])
    stamp.bridges = forger.bridges
    source = forger.bridges[SHANGHAI_CHAIN_ID]
    genuine = source.attestation
    source.attestation = lambda pid: replace(genuine(pid), recipient=carrier.address)  # the relayer lies
    before = sent()
    report = forger.poll_once()
    assert not report.submitted
    why = report.waiting[pledge_id]
    assert "1 of 3 signatures" in why
    assert why.count("refused: recipient: proposed") == 3
    assert forger.status(pledge_id).note == why
    assert sent() == before
    assert not hk_bridge.is_claimed(pledge_id)


def test_too_few_honest_members_submit_nothing_until_enough_return(
    make_relayer, views, pledge, honest, hk_bridge, sent
):
    _, pledge_id = pledge
    outsider = CommitteeMember(Account.create(), views())  # honest, but not on the committee
    short_members = [honest[0], Offline(honest[1].address), outsider, Offline(honest[2].address)]
    short = make_relayer(members=short_members)
    before = sent()
    with pytest.raises(InsufficientSignatures) as caught:
        short.gather(
            short.bridges[SHANGHAI_CHAIN_ID].attestation(pledge_id),
            short.bridges[HONG_KONG_CHAIN_ID],
            lambda m: m.sign_pledge(short.bridges[SHANGHAI_CHAIN_ID].attestation(pledge_id)),
        )
    assert (caught.value.got, caught.value.threshold) == (1, 3)
    assert any("not on the committee" in p for p in caught.value.problems)
    assert sum("unavailable" in p for p in caught.value.problems) == 2
    report = short.poll_once()
    assert not report.submitted and "1 of 3 signatures" in report.waiting[pledge_id]
    assert short.status(pledge_id).status == OPEN
    assert sent() == before
    short.journal.close()

    whole = make_relayer()  # the members are back: the same journal picks up where it was
    _until_final(whole, pledge_id)
    assert whole.status(pledge_id).status == CONFIRMED
    assert whole.status(pledge_id).note is None
    assert hk_bridge.is_claimed(pledge_id)


def test_a_claim_made_by_someone_else_is_found_and_confirmed(
    make_relayer, views, relayer, honest, pledge, sh_bridge, hk_bridge, committee, deployer, session_chain, journal_path
):
    _, pledge_id = pledge
    attestation = sh_bridge.attestation(pledge_id)
    hk_bridge.claim(attestation, committee.sign(attestation, hk_bridge.domain), sender=deployer)
    # this relayer starts watching Shanghai after the pledge: it learns of it from the claim in Hong Kong
    late = Relayer(
        views(),
        honest,
        relayer,
        RelayerJournal(journal_path),
        start_blocks={SHANGHAI_CHAIN_ID: session_chain.block_number() + 1},
    )
    report = late.poll_once()
    assert report.discovered == [pledge_id]
    assert [(action, pid) for action, pid, _ in report.landed] == [("confirm", pledge_id)]
    assert late.submission(pledge_id, "claim") is None
    _until_final(late, pledge_id)
    assert late.status(pledge_id).status == CONFIRMED


def test_the_journal_refuses_a_second_submission_of_one_attestation(tmp_path, relayer):
    journal = RelayerJournal(tmp_path / "j.sqlite")
    tx = SignedTransaction("0x" + "ab" * 32, relayer.address, 7, {"to": relayer.address}, b"\x01\x02")
    journal.signed(b"\x05" * 32, "claim", HONG_KONG_CHAIN_ID, tx)
    with pytest.raises(RelayerJournalError, match="already submitted"):
        journal.signed(b"\x05" * 32, "claim", HONG_KONG_CHAIN_ID, replace(tx, tx_hash="0x" + "cd" * 32))
    journal.close()
    reopened = RelayerJournal(tmp_path / "j.sqlite")
    [kept] = reopened.submissions()
    assert (kept.tx_hash, kept.nonce, kept.signed.raw, kept.status) == (tx.tx_hash, 7, b"\x01\x02", "signed")
