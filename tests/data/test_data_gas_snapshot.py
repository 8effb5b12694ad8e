"""Gas of every consent-registry and document-anchor operation against the committed snapshot (section ``data``).

Parties and contracts come from fixed keys with nonce 0, documents from fixed hashes and consents expire at a fixed
time, so every figure is deterministic (calldata cost depends on the bytes sent). ``UPDATE_GAS_SNAPSHOT=1`` records
an intended change.
"""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.data import ConsentRegistry, DocumentAnchors, DocumentType
from tradefin.testing.gas import check_gas

EXPIRES = 4_102_444_799
"""2099-12-31 23:59:59 UTC: after any time a test moves the chain to."""
PURPOSE = "TRADE_FINANCE"


def _key(name: str) -> LocalAccount:
    return Account.from_key(keccak(text=f"tradefin data gas snapshot {name}"))


def _doc(label: str) -> bytes:
    return bytes(keccak(text=f"data gas {label}"))


@pytest.fixture
def parties(chain) -> dict[str, LocalAccount]:
    accounts = {name: _key(name) for name in ("deployer", "owner", "financier", "issuer")}
    for account in accounts.values():
        assert chain.rpc("eth_getTransactionCount", [account.address, "latest"]) == "0x0"
        chain.set_balance(account.address, 10**21)
    return accounts


def test_data_operations_do_not_cost_more_than_the_snapshot(ctx, parties, project):
    p = parties
    consents = ConsentRegistry.deploy(ctx, p["deployer"], deployment_name="GasConsentRegistry")
    anchors = DocumentAnchors.deploy(ctx, p["deployer"], deployment_name="GasDocumentAnchors")
    owner, financier, issuer = p["owner"], p["financier"], p["issuer"]
    gas: dict[str, int] = {}

    def grant(label: str, documents: list[bytes], purpose: str = PURPOSE) -> None:
        receipt = consents.grant(financier.address, documents, purpose=purpose, expires_at=EXPIRES, sender=owner)
        gas[label] = receipt.gas_used

    grant("grant (1 document)", [_doc("invoice")])
    grant("grant (new version, 1 document)", [_doc("invoice 2")])
    grant("grant (8 documents)", [_doc(f"batch {n}") for n in range(8)], purpose="CREDIT_LIMIT")
    grant("grant (64 documents)", [_doc(f"big {n}") for n in range(64)], purpose="AUDIT")
    gas["revoke consent"] = consents.revoke(financier.address, purpose=PURPOSE, sender=owner).gas_used

    gas["anchor"] = anchors.anchor(_doc("invoice"), DocumentType.COMMERCIAL_INVOICE, sender=issuer).gas_used
    batch = [(_doc(f"anchor batch {n}"), DocumentType(n % 3)) for n in range(8)]
    gas["anchorBatch (8 documents)"] = anchors.anchor_batch(batch, sender=issuer).gas_used
    gas["revoke anchor (with reason)"] = anchors.revoke(_doc("invoice"), sender=issuer, reason="WITHDRAWN").gas_used
    gas["revoke anchor (no reason)"] = anchors.revoke(batch[0][0], sender=issuer).gas_used

    assert not consents.is_allowed(owner.address, financier.address, _doc("invoice 2"), PURPOSE)
    assert consents.is_allowed(owner.address, financier.address, _doc("batch 7"), "CREDIT_LIMIT")
    assert not anchors.is_valid(issuer.address, _doc("invoice")) and anchors.is_valid(issuer.address, batch[1][0])
    gas["deploy ConsentRegistry"] = ctx.deployments.record("GasConsentRegistry").gas_used
    gas["deploy DocumentAnchors"] = ctx.deployments.record("GasDocumentAnchors").gas_used
    for note in check_gas(project.root, "data", gas):
        print("gas improved:", note)
