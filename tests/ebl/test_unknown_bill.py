"""A bill id that was never issued (a typo'd reference): every operation that needs an Active title reverts
``TitleNotIssued(id)``, not ``TitleNotActive(id, None)``.

An issued bill that is no longer Active keeps ``TitleNotActive(id, status)``: see ``test_surrender.py`` (pending,
accomplished) and ``test_encumbrance.py`` (surrendered).
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from eth_utils import keccak

from tradefin import errors
from tradefin.ebl import Status, TitleRegistry

UNKNOWN = int.from_bytes(keccak(text="tests/ebl: a bill never issued"), "big")


@pytest.fixture(scope="module")
def locker(ctx, registry, carrier, deployer):
    """An authorised locker, so that ``encumber`` would succeed on an issued bill its owner holds."""
    probe = ctx.deployments.deploy(deployer, "LockerProbe", registry.address, name="UnknownBillLocker")
    registry.authorise_locker(probe.address, sender=carrier)
    return probe


@pytest.fixture
def p(shipper, buyer, financier, relayer, locker) -> SimpleNamespace:
    return SimpleNamespace(shipper=shipper, buyer=buyer, financier=financier, relayer=relayer, locker=locker)


def _signed(action: str) -> Callable[[TitleRegistry, SimpleNamespace], Any]:
    """Relay a correctly signed ``action`` on the unknown bill: signature and nonce pass, the title check fails."""
    return lambda r, p: r.relay(r.sign(action, UNKNOWN, p.buyer.address, signer=p.shipper), sender=p.relayer)


# One entry per external function that requires an Active title (TitleCore._activeTitle, TitleRegistry.encumber).
OPERATIONS: dict[str, Callable[[TitleRegistry, SimpleNamespace], Any]] = {
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
    "encumber": lambda r, p: r.encumber(UNKNOWN, p.locker.address, sender=p.shipper),
    "transferHolderWithSig": _signed("TransferHolder"),
    "transferBeneficiaryWithSig": _signed("TransferBeneficiary"),
    "nominateWithSig": _signed("Nominate"),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_operation_on_a_bill_never_issued_reverts_title_not_issued(registry, p, operation):
    with pytest.raises(errors.TitleNotIssued) as caught:
        OPERATIONS[operation](registry, p)
    assert caught.value.id == UNKNOWN
    assert registry.title(UNKNOWN).status is Status.NONE


def test_the_operations_listed_are_every_external_function_that_needs_an_active_title(build):
    """A new entry point that needs an Active title gets a row above (the ABI minus the ones that never do)."""
    mutating = {
        e["name"]
        for e in build["TitleRegistry"].abi
        if e["type"] == "function" and e["stateMutability"] == "nonpayable"
    }
    other = {
        # issuer, locker and admin operations: their own checks (TitleNotSurrendered, TitleNotAmendable,
        # TitleNotLocker, roles), no Active title needed
        "issue",
        "acceptSurrender",
        "rejectSurrender",
        "amend",
        "release",
        "transferEncumbered",
        "pause",
        "unpause",
        # ERC-721 transfers and approvals (TitleDirectTransferDisabled) and access control
        "approve",
        "setApprovalForAll",
        "transferFrom",
        "safeTransferFrom",
        "grantRole",
        "revokeRole",
        "renounceRole",
        "beginDefaultAdminTransfer",
        "cancelDefaultAdminTransfer",
        "acceptDefaultAdminTransfer",
        "changeDefaultAdminDelay",
        "rollbackDefaultAdminDelay",
    }
    assert mutating - other == set(OPERATIONS)


def test_the_reentrant_test_registry_mirrors_the_error(ctx, deployer, shipper, relayer):
    """``contracts/test/ReentrantTitleRegistry.sol`` stands in for the registry in the credit and HTLC tests."""
    double = ctx.deployments.deploy(deployer, "ReentrantTitleRegistry", name="UnknownBillDouble")
    double.transact(deployer, "grantRole", keccak(text="LOCKER_ROLE"), relayer.address)
    with pytest.raises(errors.TitleNotIssued) as caught:
        double.transact(shipper, "encumber", UNKNOWN, relayer.address, b"")
    assert caught.value.id == UNKNOWN
