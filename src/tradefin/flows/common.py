"""Step builders shared by the flows: the carrier's registry, banks' deposit tokens, bills, approvals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradefin.documents.canonical import document_hash
from tradefin.documents.examples import ON_BOARD, shanghai_hong_kong_bill
from tradefin.documents.transport import TransportDocument
from tradefin.ebl.registry import ISSUER_ROLE, LOCKER_ROLE
from tradefin.finance.duplicates import ensure_not_financed
from tradefin.flows.model import Call, FlowState, Step

if TYPE_CHECKING:
    from tradefin.context import Context

REGISTRY = "deploy registry"


def target(state: FlowState, step_or_address: str) -> str:
    return step_or_address if step_or_address.startswith("0x") else "@" + step_or_address


def registry_steps(state_params: dict[str, Any]) -> list[Step]:
    """The carrier's registry (unless ``registry`` names an existing one) and its issuing role."""
    if state_params.get("registry"):
        return []  # an existing registry by address (``contracts`` may name one too)
    return as_setup(
        Step(
            REGISTRY,
            "carrier deploys its eBL title registry",
            lambda s: Call("carrier", "TitleRegistry", None, ("Carrier eBL", "EBL", s.party("carrier"), 0, False)),
        ),
        Step(
            "grant issuer",
            "carrier authorises its issuing desk",
            lambda s: Call("carrier", "TitleRegistry", "grantRole", (ISSUER_ROLE, s.party("carrier")), registry(s)),
        ),
    )


def as_setup(*steps: Step) -> list[Step]:
    """Mark steps as shared set-up (skipped when a flow is given existing ``contracts``)."""
    return [replace(step, setup=True) for step in steps]


def registry(state: FlowState) -> str:
    return str(state.params["registry"]) if state.params.get("registry") else "@" + REGISTRY


def registry_address(state: FlowState) -> str:
    """The registry's address: the one given, or the one this flow deployed."""
    ref = registry(state)
    return state.address(ref[1:]) if ref.startswith("@") else ref


def authorise_locker(locker_step: str) -> Step:
    what = locker_step.removeprefix("deploy ")
    return Step(
        f"authorise {what}",
        f"carrier lets the {what} contract hold bills in escrow",
        lambda s: Call("carrier", "TitleRegistry", "grantRole", (LOCKER_ROLE, s.address(locker_step)), registry(s)),
        setup=True,
    )


def deposit_token_steps(bank: str, currency: str, holder_amounts: dict[str, int]) -> list[Step]:
    """``bank`` deploys its ``currency`` deposit token and credits each holder role with an amount (minor units)."""
    step = f"deploy {bank} {currency}"
    steps = [
        Step(
            setup=True,
            name=step,
            label=f"{bank.replace('_', ' ')} issues its tokenized {currency} deposit",
            build=lambda s: Call(
                bank,
                "DepositToken",
                None,
                (f"{bank} {currency} deposit", f"d{currency}", currency.encode(), 2, s.party(bank)),
            ),
        )
    ]
    for role, amount in holder_amounts.items():
        label = f"{bank.replace('_', ' ')} credits {role.replace('_', ' ')} {amount / 100:,.2f} {currency}"
        steps.append(Step(f"credit {role} {currency}", label, _mint(bank, step, role, amount)))
    return steps


def _mint(bank: str, token_step: str, role: str, amount: int) -> Callable[[FlowState], Call]:
    return lambda s: Call(bank, "DepositToken", "mint", (s.party(role), amount), "@" + token_step)


def approve(owner: str, token_step: str, spender_step: str, amount: int, why: str) -> Step:
    return Step(
        f"{owner} approves {spender_step.removeprefix('deploy ')}",
        why,
        lambda s: Call(owner, "DepositToken", "approve", (s.address(spender_step), amount), "@" + token_step),
    )


def bill_document(params: dict[str, Any]) -> TransportDocument:
    """The flow's transport document, shipped on board on the run's ``on_board`` day (the chain's date at start)."""
    on_board = dt.date.fromisoformat(str(params["on_board"])) if params.get("on_board") else ON_BOARD
    return shanghai_hong_kong_bill(reference=str(params.get("reference", "OTCLSHA250314001")), on_board=on_board)


def on_board_time(document: TransportDocument) -> int:
    day = document.shipped_on_board_date
    return 0 if day is None else int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def issue_step(document: TransportDocument, beneficiary: str, holder: str | None = None) -> Step:
    digest = document_hash(document)
    holder = holder or beneficiary
    return Step(
        "issue bill",
        f"carrier issues bill {document.transport_document_reference} to the {beneficiary}",
        lambda s: Call(
            "carrier",
            "TitleRegistry",
            "issue",
            (
                digest,
                s.party(beneficiary),
                s.party(holder),
                int(document.kind),
                int(document.consignment_form),
                on_board_time(document),
                b"shipped on board",
            ),
            registry(s),
        ),
    )


def bill_id(state: FlowState) -> int:
    return int(state.results["issue bill"].event("TitleIssued")["id"], 16)


def delivery_steps(owner: str) -> list[Step]:
    """``owner`` surrenders the bill to the carrier, who accomplishes it: the goods are released."""
    return [
        Step(
            "surrender",
            f"{owner} surrenders the bill to the carrier for delivery of the goods",
            lambda s: Call(owner, "TitleRegistry", "surrender", (bill_id(s), 0, b""), registry(s)),
        ),
        Step(
            "accept surrender",
            "carrier releases the goods: bill accomplished",
            lambda s: Call("carrier", "TitleRegistry", "acceptSurrender", (bill_id(s), b""), registry(s)),
        ),
    ]


def not_financed(invoice: bytes | None, *own_ledgers: str) -> Callable[[Context, FlowState], None]:
    """A step precheck: the flow's bill (and ``invoice``) is held by no live financing in the flow's own ledgers
    (steps or addresses) nor in any ledger the chain's deployment book knows (flows record the ledgers they
    deploy there). Raises :class:`~tradefin.finance.duplicates.AlreadyFinanced` before anything is signed."""

    def check(ctx: Context, state: FlowState) -> None:
        ledgers = []
        for ledger in own_ledgers:
            if ledger.startswith("0x"):
                ledgers.append(ledger)
            elif ledger in state.results or state.params.get("contracts", {}).get(ledger):
                ledgers.append(state.address(ledger))
        ensure_not_financed(ctx.deployments, registry_address(state), bill_id(state), invoice, ledgers=ledgers)

    return check
