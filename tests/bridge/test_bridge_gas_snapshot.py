"""Gas of every bridge operation against the committed snapshot (section "bridge"): the test fails when one grows.

Parties, committee and contracts come from fixed keys with nonce 0 on both chains, bills from fixed hashes, the
expiry is a fixed date and the attested history hash a fixed value (the real one depends on block numbers and
transaction hashes, which depend on what ran before), so every figure is deterministic.
"""

from dataclasses import replace

import pytest
from eth_account import Account
from eth_utils import keccak

from tradefin.bridge import Committee, TitleBridge
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.testing.gas import check_gas

SHIPPED = 1_741_910_400  # 2025-03-14
EXPIRY = 4_000_000_000  # 2096-10-02
HISTORY = keccak(text="gas bridge history")


def _key(name: str):
    return Account.from_key(keccak(text=f"tradefin bridge gas snapshot {name}"))


@pytest.fixture
def fixed(ctx, hk_ctx, session_chain, hk_chain):
    a = {n: _key(n) for n in ("carrier", "operator", "shipper", "buyer", "relayer")}
    members = sorted((_key(f"member {i}") for i in range(4)), key=lambda m: int(m.address, 16))
    committee = Committee(members, 3)
    sides = []
    for context, chain in ((ctx, session_chain), (hk_ctx, hk_chain)):
        for account in a.values():
            chain.set_balance(account.address, 10**21)
        registry = TitleRegistry.deploy(context, a["carrier"], symbol="GAS", deployment_name="TitleRegistry:GAS-BRIDGE")
        bridge = TitleBridge.deploy(
            context, a["operator"], registry, committee.addresses, 3, deployment_name="TitleBridge:GAS"
        )
        bridge.authorise(admin=a["carrier"])
        sides.append(bridge)
    return sides, committee, a


def _pledge(source, destination, bill, owner, recipient) -> bytes:
    return source.pledge(
        bill,
        destination_chain_id=destination.chain_id,
        destination_registry=destination.registry.address,
        recipient=recipient.address,
        expiry=EXPIRY,
        sender=owner,
    )


def test_bridge_operations_do_not_cost_more_than_the_snapshot(fixed, ctx, hk_ctx, session_chain, project):
    (sh, hk), committee, a = fixed
    gas: dict[str, int] = {}

    def issue(label: str) -> int:
        return sh.registry.issue(
            keccak(text=label),
            beneficiary=a["shipper"].address,
            holder=a["shipper"].address,
            sender=a["carrier"],
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=ConsignmentForm.TO_ORDER,
            shipped_on_board=SHIPPED,
        ).id

    def claim(source, destination, pledge_id):
        attestation = replace(source.attestation(pledge_id), history_hash=HISTORY)
        signatures = committee.sign(attestation, destination.domain)
        return destination.claim(attestation, signatures, sender=a["relayer"]).gas_used

    def confirm(source, pledge_id):
        signatures = committee.sign(source.claimed(pledge_id), source.domain)
        return source.confirm(pledge_id, signatures, sender=a["relayer"]).gas_used

    bill = issue("gas bridge bill")
    out = _pledge(sh, hk, bill, a["shipper"], a["buyer"])
    gas["pledge"] = out.receipt.gas_used
    gas["claim (issue)"] = claim(sh, hk, out.pledge_id)
    gas["confirm"] = confirm(sh, out.pledge_id)

    back = _pledge(hk, sh, bill, a["buyer"], a["shipper"])
    gas["pledge (from a bridged bill)"] = back.receipt.gas_used
    gas["claim (return trip)"] = claim(hk, sh, back.pledge_id)
    gas["confirm (return trip)"] = confirm(hk, back.pledge_id)

    other = issue("gas bridge reclaimed bill")
    late = _pledge(sh, hk, other, a["shipper"], a["buyer"])
    gas["pledge (second on a bridge)"] = late.receipt.gas_used
    session_chain.set_next_block_timestamp(EXPIRY + 1)
    signatures = committee.sign(sh.not_claimed(late.pledge_id), sh.domain)
    gas["reclaim"] = sh.reclaim(late.pledge_id, signatures, sender=a["relayer"]).gas_used

    change = sh.committee_change(committee.addresses, 2)
    gas["changeCommittee (4 members)"] = sh.change_committee(
        change, committee.sign(change, sh.domain), sender=a["relayer"]
    ).gas_used
    gas["deploy TitleBridge"] = ctx.deployments.record("TitleBridge:GAS").gas_used
    assert hk_ctx.deployments.record("TitleBridge:GAS").gas_used == gas["deploy TitleBridge"]

    for note in check_gas(project.root, "bridge", gas):
        print("gas improved:", note)
