"""A bill id that was never issued (a typo'd reference): every title operation on it reverts ``TitleNotIssued(id)``,
whatever state it needs, rather than an error that blames the state of a bill that does not exist
(``TitleNotActive(id, None)``, ``TitleNotSurrendered(id, None)``, ``TitleNotAmendable(id, None)``,
``TitleNotLocker(id, caller)``).

Every function of the registry that takes a bill id is either in ``NOT_ISSUED`` or in ``EXEMPT`` with the reason and
what it does instead; ``test_every_function_taking_a_bill_id_is_covered`` keeps the two lists equal to the ABI.

An issued bill in the wrong state keeps its own error: ``TitleNotActive`` in ``test_surrender.py`` (pending,
accomplished) and ``test_encumbrance.py`` (surrendered); ``TitleNotSurrendered`` and ``TitleNotAmendable`` in
``test_surrender.py``; ``TitleNotLocker`` in ``test_encumbrance.py``; and side by side with the unknown id below.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from eth_utils import keccak

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind, Status, SurrenderReason, TitleRegistry

UNKNOWN = int.from_bytes(keccak(text="tests/ebl: a bill never issued"), "big")
ZERO = "0x" + "00" * 20


@pytest.fixture(scope="module")
def locker(ctx, registry, carrier, deployer):
    """An authorised locker, so that ``encumber`` would succeed on an issued bill its owner holds."""
    probe = ctx.deployments.deploy(deployer, "LockerProbe", registry.address, name="UnknownBillLocker")
    registry.authorise_locker(probe.address, sender=carrier)
    return probe


@pytest.fixture
def p(carrier, shipper, buyer, financier, relayer, locker) -> SimpleNamespace:
    return SimpleNamespace(
        carrier=carrier, shipper=shipper, buyer=buyer, financier=financier, relayer=relayer, locker=locker
    )


def _signed(action: str) -> Callable[[TitleRegistry, SimpleNamespace], Any]:
    """Relay a correctly signed ``action`` on the unknown bill: signature and nonce pass, the title check fails."""
    return lambda r, p: r.relay(r.sign(action, UNKNOWN, p.buyer.address, signer=p.shipper), sender=p.relayer)


# One entry per function that reverts TitleNotIssued(id) on an id never issued, called by the party (and role) that
# would be entitled on an issued bill in the right state, with valid arguments: only the title check fails.
NOT_ISSUED: dict[str, Callable[[TitleRegistry, SimpleNamespace], Any]] = {
    # parties: need an Active title (TitleCore._activeTitle)
    "transferHolder": lambda r, p: r.transfer_holder(UNKNOWN, p.buyer.address, sender=p.shipper),
    "nominate": lambda r, p: r.nominate(UNKNOWN, p.buyer.address, sender=p.shipper),
    "transferBeneficiary": lambda r, p: r.endorse(UNKNOWN, p.buyer.address, sender=p.shipper),
    "transferOwners": lambda r, p: r.transfer_owners(UNKNOWN, p.buyer.address, p.financier.address, sender=p.shipper),
    "endorseInBlank": lambda r, p: r.endorse_in_blank(UNKNOWN, sender=p.shipper),
    "rejectTransferHolder": lambda r, p: r.reject_transfer_holder(UNKNOWN, sender=p.shipper, previous=p.buyer.address),
    "rejectTransferBeneficiary": lambda r, p: r.reject_transfer_beneficiary(
        UNKNOWN, sender=p.shipper, previous=p.buyer.address
    ),
    "rejectTransferOwners": lambda r, p: r.reject_transfer_owners(
        UNKNOWN, sender=p.shipper, previous_beneficiary=p.buyer.address, previous_holder=p.buyer.address
    ),
    "surrender": lambda r, p: r.surrender(UNKNOWN, sender=p.shipper),
    "transferHolderWithSig": _signed("TransferHolder"),
    "transferBeneficiaryWithSig": _signed("TransferBeneficiary"),
    "nominateWithSig": _signed("Nominate"),
    # encumbrance: encumber needs an Active title; release and transferEncumbered need the caller's lock (here an
    # authorised locker's own call, through the probe; a party's call gives the same, see below)
    "encumber": lambda r, p: r.encumber(UNKNOWN, p.locker.address, sender=p.shipper),
    "release": lambda r, p: p.locker.transact(p.buyer, "release", UNKNOWN),
    "transferEncumbered": lambda r, p: p.locker.transact(
        p.buyer, "moveTitle", UNKNOWN, p.buyer.address, p.buyer.address, False
    ),
    # issuer: a pending surrender (acceptSurrender, rejectSurrender), a title surrendered for amendment (amend)
    "acceptSurrender": lambda r, p: r.accept_surrender(UNKNOWN, sender=p.carrier),
    "rejectSurrender": lambda r, p: r.reject_surrender(UNKNOWN, sender=p.carrier),
    "amend": lambda r, p: r.amend(UNKNOWN, keccak(text="tests/ebl: amending a bill never issued"), sender=p.carrier),
    # the one view that needs an issued title
    "documentHash": lambda r, p: r.contract.call("documentHash", UNKNOWN),
}


def _returns(value: Any, read: Callable[[TitleRegistry], Any]) -> Callable[[TitleRegistry, SimpleNamespace], None]:
    def check(r: TitleRegistry, p: SimpleNamespace) -> None:
        assert read(r) == value

    return check


def _reverts(error: str, fn: str, *args: Any) -> Callable[[TitleRegistry, SimpleNamespace], None]:
    def check(r: TitleRegistry, p: SimpleNamespace) -> None:
        with pytest.raises(errors.revert_class(error)):
            r.contract.transact(p.shipper, fn, *args)

    return check


def _both(
    *checks: Callable[[TitleRegistry, SimpleNamespace], None],
) -> Callable[[TitleRegistry, SimpleNamespace], None]:
    def check(r: TitleRegistry, p: SimpleNamespace) -> None:
        for each in checks:
            each(r, p)

    return check


def _issues(r: TitleRegistry, p: SimpleNamespace) -> None:
    r.issue(
        UNKNOWN.to_bytes(32, "big"),
        beneficiary=p.shipper.address,
        holder=p.shipper.address,
        sender=p.carrier,
        kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form=ConsignmentForm.TO_ORDER,
    )
    assert r.title(UNKNOWN).status is Status.ACTIVE


def _reads_title_as_empty(r: TitleRegistry, p: SimpleNamespace) -> None:
    title = r.title(UNKNOWN)
    assert (title.status, title.beneficiary, title.holder, title.locker) == (Status.NONE, ZERO, ZERO, ZERO)
    assert not (title.nominated or title.encumbered or title.beneficiary_rejectable or title.holder_rejectable)


def _reads_owner_as_nonexistent(r: TitleRegistry, p: SimpleNamespace) -> None:
    with pytest.raises(errors.ERC721NonexistentToken) as caught:
        r.owner_of(UNKNOWN)
    assert caught.value.tokenId == UNKNOWN


def _reads_uri_as_nonexistent(r: TitleRegistry, p: SimpleNamespace) -> None:
    with pytest.raises(errors.ERC721NonexistentToken) as caught:
        r.contract.call("tokenURI", UNKNOWN)
    assert caught.value.tokenId == UNKNOWN


def _reads_approved_as_nonexistent(r: TitleRegistry, p: SimpleNamespace) -> None:
    with pytest.raises(errors.ERC721NonexistentToken) as caught:
        r.contract.call("getApproved", UNKNOWN)
    assert caught.value.tokenId == UNKNOWN


# The functions taking a bill id that do not revert TitleNotIssued: why, and what each does on the unknown id.
EXEMPT: dict[str, tuple[str, Callable[[TitleRegistry, SimpleNamespace], None]]] = {
    "issue": ("creates the id: an id never issued is what it needs", _issues),
    # views that answer for any id: "never issued" is a valid answer, and a caller tells it apart by status None
    "title": ("the documented way to ask whether an id was issued: all zero, status None", _reads_title_as_empty),
    "lockerOf": ("zero, as for any unencumbered title", _returns(ZERO, lambda r: r.locker_of(UNKNOWN))),
    "supersededBy": ("zero, as for any title not amended", _returns(0, lambda r: r.superseded_by(UNKNOWN))),
    "shippedOnBoardDate": (
        "zero, as for a received-for-shipment bill (IShipmentDates; credits encumber the bill first)",
        _returns(0, lambda r: r.shipped_on_board(UNKNOWN)),
    ),
    "isNominee": ("a predicate: false", _returns(False, lambda r: r.is_nominee(UNKNOWN, ZERO))),
    # ERC-721: the standard's errors (ERC-6093, as OpenZeppelin's ERC721), or disabled for every id
    "ownerOf": ("ERC-721: ERC721NonexistentToken(tokenId), as OpenZeppelin's ERC721", _reads_owner_as_nonexistent),
    "tokenURI": ("ERC-721: ERC721NonexistentToken(tokenId), as OpenZeppelin's ERC721", _reads_uri_as_nonexistent),
    "getApproved": (
        "ERC-721: ERC721NonexistentToken(tokenId), as OpenZeppelin's ERC721 (zero for a live title)",
        _reads_approved_as_nonexistent,
    ),
    "approve": ("disabled for every id", _reverts("TitleDirectTransferDisabled", "approve", ZERO, UNKNOWN)),
    "transferFrom": (
        "disabled for every id",
        _reverts("TitleDirectTransferDisabled", "transferFrom", ZERO, ZERO, UNKNOWN),
    ),
    "safeTransferFrom": (
        "disabled for every id (both overloads)",
        _both(
            _reverts("TitleDirectTransferDisabled", "safeTransferFrom(address,address,uint256)", ZERO, ZERO, UNKNOWN),
            _reverts(
                "TitleDirectTransferDisabled",
                "safeTransferFrom(address,address,uint256,bytes)",
                ZERO,
                ZERO,
                UNKNOWN,
                b"",
            ),
        ),
    ),
}


@pytest.mark.parametrize("function", NOT_ISSUED)
def test_a_function_on_a_bill_never_issued_reverts_title_not_issued(registry, p, function):
    with pytest.raises(errors.TitleNotIssued) as caught:
        NOT_ISSUED[function](registry, p)
    assert caught.value.id == UNKNOWN
    assert registry.title(UNKNOWN).status is Status.NONE


@pytest.mark.parametrize("function", EXEMPT)
def test_an_exempt_function_does_what_its_reason_says(registry, p, function):
    _, check = EXEMPT[function]
    check(registry, p)


def _takes_a_bill_id(entry: dict[str, Any]) -> bool:
    """An id (``uint256`` other than a signature's nonce or deadline, or the nonce ``invalidateNonces`` moves to;
    ERC-721's token ids are unnamed in the ABI) or the document hash that becomes one."""
    return any(
        (i["type"] == "uint256" and i["name"] not in ("nonce", "deadline", "newNonce"))
        or (i["type"] == "bytes32" and i["name"] == "documentHash_")
        for i in entry["inputs"]
    )


def test_every_function_taking_a_bill_id_is_covered(build):
    """A new function taking a bill id gets a row in NOT_ISSUED, or in EXEMPT with its reason."""
    taking_an_id = {e["name"] for e in build["TitleRegistry"].abi if e["type"] == "function" and _takes_a_bill_id(e)}
    assert not set(NOT_ISSUED) & set(EXEMPT)
    assert set(NOT_ISSUED) | set(EXEMPT) == taking_an_id


def test_a_party_releasing_or_moving_a_bill_never_issued_gets_title_not_issued(registry, shipper, buyer):
    """Not only the locker: any caller of release or transferEncumbered on an id never issued."""
    with pytest.raises(errors.TitleNotIssued) as caught:
        registry.release(UNKNOWN, sender=shipper)
    assert caught.value.id == UNKNOWN
    with pytest.raises(errors.TitleNotIssued) as caught:
        registry.contract.transact(shipper, "transferEncumbered", UNKNOWN, buyer.address, buyer.address, True, b"")
    assert caught.value.id == UNKNOWN


def test_an_issued_bill_in_the_wrong_state_keeps_its_own_errors(registry, issue_bill, p):
    """The same calls on an issued Active, unencumbered bill: the state is what fails, with its status or caller."""
    bill = issue_bill(p.shipper)
    for decide in (registry.accept_surrender, registry.reject_surrender):
        with pytest.raises(errors.TitleNotSurrendered) as caught:
            decide(bill, sender=p.carrier)
        assert (caught.value.id, caught.value.status) == (bill, Status.ACTIVE)
    with pytest.raises(errors.TitleNotAmendable) as amend:
        registry.amend(bill, keccak(text="tests/ebl: amending an active bill"), sender=p.carrier)
    assert (amend.value.id, amend.value.status) == (bill, Status.ACTIVE)
    with pytest.raises(errors.TitleNotLocker) as release:
        p.locker.transact(p.buyer, "release", bill)
    assert (release.value.id, release.value.caller) == (bill, p.locker.address)
    with pytest.raises(errors.TitleNotLocker) as move:
        registry.contract.transact(p.buyer, "transferEncumbered", bill, p.buyer.address, p.buyer.address, True, b"")
    assert (move.value.id, move.value.caller) == (bill, p.buyer.address)
    registry.surrender(bill, sender=p.shipper, reason=SurrenderReason.DELIVERY)
    with pytest.raises(errors.TitleNotAmendable) as amend:
        registry.amend(bill, keccak(text="tests/ebl: amending a bill surrendered for delivery"), sender=p.carrier)
    assert amend.value.status == Status.SURRENDER_PENDING_DELIVERY


def test_the_reentrant_test_registry_mirrors_the_errors(ctx, deployer, shipper, relayer):
    """``contracts/test/ReentrantTitleRegistry.sol`` stands in for the registry in the credit and HTLC tests."""
    double = ctx.deployments.deploy(deployer, "ReentrantTitleRegistry", name="UnknownBillDouble")
    double.transact(deployer, "grantRole", keccak(text="LOCKER_ROLE"), relayer.address)
    for fn, *args in (
        ("encumber", UNKNOWN, relayer.address, b""),
        ("release", UNKNOWN, b""),
        ("transferEncumbered", UNKNOWN, shipper.address, shipper.address, False, b""),
    ):
        with pytest.raises(errors.TitleNotIssued) as caught:
            double.transact(relayer if fn != "encumber" else shipper, fn, *args)
        assert caught.value.id == UNKNOWN, fn
