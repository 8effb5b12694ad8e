"""The reference lifecycle of one bill, step by step with its gas: the gas snapshot, the TradeTrust benchmark and
the smoke demo all play exactly this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount

from tradefin.ebl.registry import TitleRegistry
from tradefin.ebl.types import ConsignmentForm, DocumentKind
from tradefin.transactions.sender import Receipt

STEPS = (
    "issue",
    "transferHolder",
    "nominate",
    "transferBeneficiary",
    "nominate (again)",
    "transferOwners",
    "surrender",
    "rejectSurrender",
    "surrender (again)",
    "acceptSurrender",
)


@dataclass(frozen=True)
class LifecycleParties:
    """Carrier issues to ``first_beneficiary`` with ``first_holder`` holding; title goes on to ``endorsee`` and
    then to ``final_owner``, who surrenders it."""

    carrier: LocalAccount
    first_beneficiary: LocalAccount
    first_holder: LocalAccount
    endorsee: LocalAccount
    final_owner: LocalAccount


@dataclass(frozen=True)
class Step:
    name: str
    actor: str
    receipt: Receipt

    @property
    def gas(self) -> int:
        return self.receipt.gas_used


def play_reference_lifecycle(
    registry: TitleRegistry, parties: LifecycleParties, document_hash: bytes, on_step: Callable[[Step], None] = print
) -> list[Step]:
    """Issue (holder differs from beneficiary), transfer holder, nominate, endorse, nominate, transfer both,
    surrender, reject surrender, surrender, accept surrender; remarks empty."""
    p = parties
    steps: list[Step] = []
    tid = int.from_bytes(document_hash, "big")

    def record(name: str, actor: LocalAccount, receipt: Receipt) -> None:
        step = Step(name, actor.address, receipt)
        steps.append(step)
        on_step(step)

    issued = registry.issue(
        document_hash,
        beneficiary=p.first_beneficiary.address,
        holder=p.first_holder.address,
        sender=p.carrier,
        kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form=ConsignmentForm.TO_ORDER,
    )
    record("issue", p.carrier, issued.receipt)
    record(
        "transferHolder",
        p.first_holder,
        registry.transfer_holder(tid, p.first_beneficiary.address, sender=p.first_holder),
    )
    record("nominate", p.first_beneficiary, registry.nominate(tid, p.endorsee.address, sender=p.first_beneficiary))
    record(
        "transferBeneficiary",
        p.first_beneficiary,
        registry.endorse(tid, p.endorsee.address, sender=p.first_beneficiary),
    )
    record("nominate (again)", p.endorsee, registry.nominate(tid, p.final_owner.address, sender=p.endorsee))
    record(
        "transferOwners",
        p.first_beneficiary,
        registry.transfer_owners(tid, p.final_owner.address, p.final_owner.address, sender=p.first_beneficiary),
    )
    record("surrender", p.final_owner, registry.surrender(tid, sender=p.final_owner))
    record("rejectSurrender", p.carrier, registry.reject_surrender(tid, sender=p.carrier))
    record("surrender (again)", p.final_owner, registry.surrender(tid, sender=p.final_owner))
    record("acceptSurrender", p.carrier, registry.accept_surrender(tid, sender=p.carrier))
    return steps
