"""The whole external surface of every contract tradefin deploys, including what the domain tests never need:
inherited OpenZeppelin administration (two-step default-admin handover, two-step ownership), the disabled ERC-721
transfer and approval functions, EIP-712 domains, constants, and every view asked about things that do not exist.

`make test` checks with ``--contract-coverage=fail`` that every external function of ``contracts/`` is reached by
some test; this module is where functions no domain test calls get theirs.
"""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi import encode
from eth_utils import keccak

from tradefin import errors
from tradefin.bridge import HashTimeLock, TitleBridge
from tradefin.calendars import BankingCalendar
from tradefin.data.anchors import DocumentAnchors
from tradefin.data.consent import ConsentRegistry
from tradefin.ebl import TitleRegistry
from tradefin.finance.collection import DocumentaryCollections
from tradefin.finance.credit import DocumentaryCredit
from tradefin.finance.ledger import FinancingLedger
from tradefin.finance.loan import TitleLoans
from tradefin.money.deposit import DepositToken
from tradefin.transactions.contract import Contract

ZERO = "0x" + "00" * 20


def _zero(kind: str, components: list[dict[str, Any]] | None = None) -> Any:
    """The zero value of an ABI type: 0, False, the zero address, empty bytes/strings/arrays, tuples of zeros."""
    if kind.endswith("]"):
        return []
    if kind == "tuple":
        return tuple(_zero(c["type"], c.get("components")) for c in components or [])
    if kind == "address":
        return ZERO
    if kind == "bool":
        return False
    if kind in ("bytes", "string"):
        return b"" if kind == "bytes" else ""
    if kind.startswith("bytes"):
        return b"\0" * int(kind[5:])
    return 0


def _views(contract: Contract) -> list[dict[str, Any]]:
    return [i for i in contract.abi if i.get("type") == "function" and i["stateMutability"] in ("view", "pure")]


def _signature(item: dict[str, Any]) -> str:
    def kind(i: dict[str, Any]) -> str:
        if i["type"].startswith("tuple"):
            return "(" + ",".join(kind(c) for c in i["components"]) + ")" + i["type"][5:]
        return str(i["type"])

    return f"{item['name']}({','.join(kind(i) for i in item['inputs'])})"


@pytest.fixture
def deployed(ctx, deployer, carrier, issuing_bank, financier, buyer) -> dict[str, Contract]:
    registry = TitleRegistry.deploy(ctx, carrier, symbol="SRF", deployment_name="SurfaceRegistry")
    ledger = FinancingLedger.deploy(ctx, deployer, deployment_name="SurfaceLedger")
    calendar = BankingCalendar.deploy(ctx, deployer, deployment_name="SurfaceCalendar")
    return {
        "TitleRegistry": registry.contract,
        "FinancingLedger": ledger.contract,
        "BankingCalendar": calendar.contract,
        "DepositToken": DepositToken.deploy(
            ctx, issuing_bank, currency="HKD", deployment_name="SurfaceDeposit"
        ).contract,
        "DocumentaryCredit": DocumentaryCredit.deploy(
            ctx, deployer, calendar, financing_ledger=ledger, deployment_name="SurfaceCredit"
        ).contract,
        "DocumentaryCollection": DocumentaryCollections.deploy(
            ctx, deployer, deployment_name="SurfaceCollection"
        ).contract,
        "TitleLoan": TitleLoans.deploy(ctx, financier, ledger.address, deployment_name="SurfaceLoan").contract,
        "ConsentRegistry": ConsentRegistry.deploy(ctx, deployer, deployment_name="SurfaceConsent").contract,
        "DocumentAnchors": DocumentAnchors.deploy(ctx, deployer, deployment_name="SurfaceAnchors").contract,
        "TitleBridge": TitleBridge.deploy(
            ctx, deployer, registry, [carrier.address, buyer.address], 2, deployment_name="SurfaceBridge"
        ).contract,
        "HashTimeLock": HashTimeLock.deploy(ctx, deployer, deployment_name="SurfaceHtlc").contract,
    }


def test_every_view_answers_or_names_its_error_for_unknown_things(deployed):
    """Every view and constant, asked about ids, parties and hashes that do not exist (all zero): it returns a
    value or reverts with a named error tradefin decodes, never an undecodable revert."""
    asked = 0
    for name, contract in deployed.items():
        for item in _views(contract):
            args = [_zero(i["type"], i.get("components")) for i in item["inputs"]]
            try:
                contract.call(_signature(item), *args)
            except errors.UnknownRevert as exc:
                pytest.fail(f"{name}.{_signature(item)} reverted without a decodable error: {exc}")
            except errors.ContractRevert:
                pass
            asked += 1
    assert asked > 80


@pytest.mark.parametrize("which", ["TitleRegistry", "FinancingLedger"])
def test_default_admin_handover_cancel_delay_and_roles(deployed, chain, carrier, deployer, buyer, shipper, which):
    """OpenZeppelin AccessControlDefaultAdminRules as deployed: a handover can be cancelled, then completes in
    two steps; a delay change can be rolled back; roles are revoked and renounced; owner() is the admin."""
    contract = deployed[which]
    admin = carrier if which == "TitleRegistry" else deployer
    assert contract.call("owner") == contract.call("defaultAdmin") == admin.address
    assert contract.call("getRoleAdmin", contract.call("DEFAULT_ADMIN_ROLE")) == b"\0" * 32
    assert contract.call("defaultAdminDelay") == 0

    contract.transact(admin, "beginDefaultAdminTransfer", buyer.address)
    pending, _ = contract.call("pendingDefaultAdmin")
    assert pending == buyer.address
    contract.transact(admin, "cancelDefaultAdminTransfer")
    assert contract.call("pendingDefaultAdmin")[0] == ZERO

    contract.transact(admin, "changeDefaultAdminDelay", 3600)
    assert contract.call("pendingDefaultAdminDelay")[0] == 3600
    assert contract.call("defaultAdminDelayIncreaseWait") > 0
    contract.transact(admin, "rollbackDefaultAdminDelay")
    assert contract.call("pendingDefaultAdminDelay")[0] == 0

    contract.transact(admin, "beginDefaultAdminTransfer", buyer.address)
    chain.increase_time(1)
    contract.transact(buyer, "acceptDefaultAdminTransfer")
    assert contract.call("defaultAdmin") == buyer.address

    role = keccak(text="ISSUER_ROLE") if which == "TitleRegistry" else contract.call("FINANCE_ROLE")
    contract.transact(buyer, "grantRole", role, shipper.address)
    contract.transact(buyer, "revokeRole", role, shipper.address)
    assert not contract.call("hasRole", role, shipper.address)
    contract.transact(buyer, "grantRole", role, shipper.address)
    contract.transact(shipper, "renounceRole", role, shipper.address)
    assert not contract.call("hasRole", role, shipper.address)


def test_title_registry_constants_domain_and_disabled_erc721(deployed, carrier, shipper, buyer):
    registry = deployed["TitleRegistry"]
    for role in ("ISSUER_ROLE", "PAUSER_ROLE", "LOCKER_ROLE"):
        assert registry.call(role) == keccak(text=role)
    assert registry.call("MAX_REMARK_LENGTH") > 0
    assert registry.call("tracksBalances") is False
    assert registry.call("DOMAIN_SEPARATOR") == _domain_separator(registry)
    assert deployed["TitleBridge"].call("DOMAIN_SEPARATOR") == _domain_separator(deployed["TitleBridge"])
    bill = 7
    disabled: list[tuple[str, tuple[Any, ...]]] = [
        ("approve", (buyer.address, bill)),
        ("setApprovalForAll", (buyer.address, True)),
        ("transferFrom", (shipper.address, buyer.address, bill)),
        ("safeTransferFrom(address,address,uint256)", (shipper.address, buyer.address, bill)),
        ("safeTransferFrom(address,address,uint256,bytes)", (shipper.address, buyer.address, bill, b"")),
    ]
    for fn, args in disabled:
        with pytest.raises(errors.TitleDirectTransferDisabled):
            registry.transact(shipper, fn, *args)


def test_deposit_token_ownership_burns_and_permit_views(deployed, issuing_bank, buyer, shipper):
    """Ownable2Step handover of a deposit token (never renounced), burns by the bank, EIP-2612/5267 views."""
    token = deployed["DepositToken"]
    assert token.call("owner") == token.call("bank") == issuing_bank.address
    assert token.call("MAX_DECIMALS") >= token.call("decimals")
    assert token.call("DOMAIN_SEPARATOR") == _domain_separator(token)
    assert token.call("nonces", buyer.address) == 0

    token.transact(issuing_bank, "mint", buyer.address, 1_000)
    token.transact(issuing_bank, "mint", issuing_bank.address, 100)
    token.transact(issuing_bank, "burn", 100)  # the bank redeems its own deposit
    token.transact(buyer, "approve", issuing_bank.address, 200)
    assert token.call("allowance", buyer.address, issuing_bank.address) == 200
    token.transact(issuing_bank, "burnFrom", buyer.address, 150)  # a withdrawal the holder allowed
    assert token.call("balanceOf", buyer.address) == 850 == token.call("totalSupply")
    with pytest.raises(errors.OwnableUnauthorizedAccount):
        token.transact(buyer, "burn", 1)

    token.transact(issuing_bank, "transferOwnership", buyer.address)
    assert token.call("pendingOwner") == buyer.address
    token.transact(buyer, "acceptOwnership")
    assert token.call("owner") == buyer.address
    with pytest.raises(errors.DepositRenounceDisabled):
        token.transact(buyer, "renounceOwnership")


def _domain_separator(contract: Contract) -> bytes:
    """EIP-712 domain separator recomputed from the contract's EIP-5267 `eip712Domain()`."""
    _, name, version, chain_id, verifying, _, _ = contract.call("eip712Domain")
    typehash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    body = encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [typehash, keccak(text=name), keccak(text=version), chain_id, verifying],
    )
    return keccak(body)
