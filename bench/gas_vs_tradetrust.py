"""Gas of one bill's lifecycle: TradeTrust token-registry 5.5.1 (its published npm bytecode) against tradefin's
TitleRegistry, on the same Anvil in one run, step by step, with the ratio of the totals (target <= 0.40)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from eth_utils import keccak

from tradefin.context import Context
from tradefin.ebl.lifecycle import STEPS, LifecycleParties, Step, play_reference_lifecycle
from tradefin.ebl.registry import TitleRegistry
from tradefin.project import Project
from tradefin.transactions import Contract, deploy_code

TARGET = 0.40
TT_PACKAGE = "@tradetrust-tt/token-registry"


def tt_artifact(project: Project, name: str) -> dict[str, Any]:
    folder = project.node_package(TT_PACKAGE) / "dist" / "artifacts"
    artifact: dict[str, Any] = json.loads((folder / f"{name}.sol" / f"{name}.json").read_text())
    return artifact


def tradetrust_lifecycle(ctx: Context, parties: LifecycleParties, token_id: int) -> tuple[list[int], int]:
    """The same ten steps on TradeTrust: mint, then each party acts through the bill's TitleEscrow."""
    p, tx = parties, ctx.transactor
    for name in ("TitleEscrow", "TradeTrustToken", "TitleEscrowFactory"):
        ctx.transactor.decoder.add([i for i in tt_artifact(ctx.project, name)["abi"] if i["type"] == "error"])
    factory_art, token_art = tt_artifact(ctx.project, "TitleEscrowFactory"), tt_artifact(ctx.project, "TradeTrustToken")
    factory, deployed_factory = deploy_code(
        tx, p.carrier, factory_art["abi"], factory_art["bytecode"], [], name="TitleEscrowFactory"
    )
    token, deployed_token = deploy_code(
        tx,
        p.carrier,
        token_art["abi"],
        token_art["bytecode"],
        ["TradeTrust eBL", "TT", factory.address],
        name="TradeTrustToken",
    )
    escrow_abi = tt_artifact(ctx.project, "TitleEscrow")["abi"]
    gas = [
        token.transact(p.carrier, "mint", p.first_beneficiary.address, p.first_holder.address, token_id, b"").gas_used
    ]
    escrow = Contract(tx, factory.call("getEscrowAddress", token.address, token_id), escrow_abi, "TitleEscrow")
    gas.append(escrow.transact(p.first_holder, "transferHolder", p.first_beneficiary.address, b"").gas_used)
    gas.append(escrow.transact(p.first_beneficiary, "nominate", p.endorsee.address, b"").gas_used)
    gas.append(escrow.transact(p.first_beneficiary, "transferBeneficiary", p.endorsee.address, b"").gas_used)
    gas.append(escrow.transact(p.endorsee, "nominate", p.final_owner.address, b"").gas_used)
    gas.append(
        escrow.transact(
            p.first_beneficiary, "transferOwners", p.final_owner.address, p.final_owner.address, b""
        ).gas_used
    )
    gas.append(escrow.transact(p.final_owner, "returnToIssuer", b"").gas_used)
    gas.append(token.transact(p.carrier, "restore", token_id, b"").gas_used)
    gas.append(escrow.transact(p.final_owner, "returnToIssuer", b"").gas_used)
    gas.append(token.transact(p.carrier, "burn", token_id, b"").gas_used)
    return gas, deployed_factory.gas_used + deployed_token.gas_used


def main() -> None:
    with Context.create(Project.find(Path(__file__)), deployments_dir=Path(tempfile.mkdtemp())) as ctx:
        accounts = ctx.accounts
        parties = LifecycleParties(
            accounts["carrier"],
            accounts["shipper"],
            accounts["advising_bank"],
            accounts["issuing_bank"],
            accounts["buyer"],
        )
        document = keccak(text="tradefin gas benchmark bill")
        tt_gas, tt_deploy = tradetrust_lifecycle(ctx, parties, int.from_bytes(document, "big"))
        ours_registry = TitleRegistry.deploy(ctx, parties.carrier)
        ours_deploy = ctx.deployments.record("TitleRegistry:EBL").gas_used  # type: ignore[union-attr]
        steps: list[Step] = play_reference_lifecycle(ours_registry, parties, document, on_step=lambda s: None)
        ours_gas = [s.gas for s in steps]

    print(f"{'step':<22}{'TradeTrust':>12}{'tradefin':>12}{'ratio':>8}")
    for name, theirs, ours in zip(STEPS, tt_gas, ours_gas, strict=True):
        print(f"{name:<22}{theirs:>12,}{ours:>12,}{ours / theirs:>8.3f}")
    total_tt, total_ours = sum(tt_gas), sum(ours_gas)
    ratio = total_ours / total_tt
    print(f"{'total':<22}{total_tt:>12,}{total_ours:>12,}{ratio:>8.3f}")
    print(f"{'deployment':<22}{tt_deploy:>12,}{ours_deploy:>12,}{ours_deploy / tt_deploy:>8.3f}")
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"lifecycle gas ratio {ratio:.3f} {verdict} the target of {TARGET:.2f}")


if __name__ == "__main__":
    main()
