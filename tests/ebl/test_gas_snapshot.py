"""Gas of every title operation against the committed snapshot: the test fails when one grows.

Parties and the registry come from fixed keys with nonce 0, and bills from fixed hashes, so every figure is
deterministic (calldata cost depends on the bytes of addresses and ids).
"""

import pytest
from eth_account import Account
from eth_utils import keccak

from tradefin.ebl import ConsignmentForm, DocumentKind, SurrenderReason, TitleRegistry
from tradefin.ebl.lifecycle import LifecycleParties, play_reference_lifecycle
from tradefin.testing.gas import check_gas

SHIPPED = 1_741_910_400  # 2025-03-14


def _key(name: str):
    return Account.from_key(keccak(text=f"tradefin gas snapshot {name}"))


@pytest.fixture
def fixed(ctx, chain):
    accounts = {n: _key(n) for n in ("carrier", "shipper", "bank", "buyer", "financier", "relayer")}
    for account in accounts.values():
        chain.set_balance(account.address, 10**21)
    registry = TitleRegistry.deploy(ctx, accounts["carrier"], symbol="GAS")
    return registry, accounts


def test_title_operations_do_not_cost_more_than_the_snapshot(ctx, fixed, project):
    registry, a = fixed
    gas: dict[str, int] = {}
    steps = play_reference_lifecycle(
        registry,
        LifecycleParties(a["carrier"], a["shipper"], a["bank"], a["buyer"], a["financier"]),
        keccak(text="gas lifecycle"),
        on_step=lambda step: None,
    )
    for step in steps:
        gas[f"lifecycle {step.name}"] = step.gas
    gas["lifecycle total"] = sum(step.gas for step in steps)

    def issue(label: str, form=ConsignmentForm.TO_ORDER) -> int:
        issued = registry.issue(
            keccak(text=label),
            beneficiary=a["shipper"].address,
            holder=a["shipper"].address,
            sender=a["carrier"],
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=form,
            shipped_on_board=SHIPPED,
        )
        return issued.id

    bill = issue("gas ops")
    gas["endorseInBlank"] = registry.endorse_in_blank(bill, sender=a["shipper"]).gas_used
    gas["transferHolder (blank endorsed)"] = registry.transfer_holder(
        bill, a["buyer"].address, sender=a["shipper"]
    ).gas_used
    gas["rejectTransferHolder (blank endorsed)"] = registry.reject_transfer_holder(bill, sender=a["buyer"]).gas_used

    bill = issue("gas rejections")
    registry.transfer_holder(bill, a["bank"].address, sender=a["shipper"])
    gas["rejectTransferHolder"] = registry.reject_transfer_holder(bill, sender=a["bank"]).gas_used
    registry.endorse(bill, a["buyer"].address, sender=a["shipper"])
    gas["rejectTransferBeneficiary"] = registry.reject_transfer_beneficiary(bill, sender=a["buyer"]).gas_used
    registry.transfer_owners(bill, a["buyer"].address, a["buyer"].address, sender=a["shipper"])
    gas["rejectTransferOwners"] = registry.reject_transfer_owners(bill, sender=a["buyer"]).gas_used

    bill = issue("gas signed")
    gas["transferHolderWithSig"] = registry.relay(
        registry.sign("TransferHolder", bill, a["bank"].address, signer=a["shipper"], deadline=2**40),
        sender=a["relayer"],
    ).gas_used
    gas["nominateWithSig"] = registry.relay(
        registry.sign("Nominate", bill, a["buyer"].address, signer=a["shipper"], deadline=2**40), sender=a["relayer"]
    ).gas_used
    gas["transferBeneficiaryWithSig"] = registry.relay(
        registry.sign("TransferBeneficiary", bill, a["buyer"].address, signer=a["bank"], deadline=2**40),
        sender=a["relayer"],
    ).gas_used
    gas["invalidateNonces"] = registry.invalidate_nonces(sender=a["shipper"]).gas_used  # nonce 2 -> 3
    gas["invalidateNonces (first nonce)"] = registry.invalidate_nonces(sender=a["buyer"]).gas_used  # 0 -> 1

    bill = issue("gas amendment")
    gas["surrender (amendment)"] = registry.surrender(
        bill, sender=a["shipper"], reason=SurrenderReason.AMENDMENT
    ).gas_used
    gas["amend"] = registry.amend(bill, keccak(text="gas amended"), sender=a["carrier"]).receipt.gas_used

    locker = ctx.deployments.deploy(a["carrier"], "LockerProbe", registry.address, name="GasLocker")
    registry.authorise_locker(locker.address, sender=a["carrier"])
    bill = issue("gas lock")
    gas["encumber"] = registry.encumber(bill, locker.address, sender=a["shipper"]).gas_used
    gas["release (via locker)"] = locker.transact(a["shipper"], "release", bill).gas_used
    registry.encumber(bill, locker.address, sender=a["shipper"])
    gas["transferEncumbered (via locker)"] = locker.transact(
        a["shipper"], "moveTitle", bill, a["bank"].address, a["bank"].address, False
    ).gas_used

    gas["pause"] = registry.pause(sender=a["carrier"]).gas_used
    gas["unpause"] = registry.unpause(sender=a["carrier"]).gas_used
    record = ctx.deployments.record("TitleRegistry:GAS")
    gas["deploy TitleRegistry"] = record.gas_used

    for note in check_gas(project.root, "ebl", gas):
        print("gas improved:", note)
