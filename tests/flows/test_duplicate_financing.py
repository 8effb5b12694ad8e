"""Flows check, before a bill or invoice is presented under a credit or pledged to a loan, that no live financing
on the chain holds it: their own ledger and every ledger the deployment book knows (flows record theirs). Invoices
are claimed per title registry, so the flows here share one registry, as the trades of one carrier do."""

import pytest
from eth_utils import keccak

from tradefin.ebl import TitleRegistry
from tradefin.finance.duplicates import AlreadyFinanced, known_ledgers
from tradefin.flows import FLOWS, FlowRunner, FlowStepFailed, Journal


class Crash(BaseException):
    """The financing flow stops with its loan still live (the process died before the repayment)."""


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "financing.sqlite")
    yield journal
    journal.close()


@pytest.fixture
def registry(ctx, carrier) -> TitleRegistry:
    """The carrier's registry every flow of a test issues its bill in."""
    return TitleRegistry.deploy(ctx, carrier, symbol="DUPFIN")


def _stop_before(step_name: str):
    def hook(step) -> None:
        if step.name == step_name:
            raise Crash

    return hook


def test_an_invoice_pledged_to_a_loan_cannot_back_a_credit_presentation(ctx, journal, accounts, registry):
    reference = "DUPFIN-1"
    invoice = keccak(text=f"invoice {reference}")  # the invoice the credit flow presents for this reference
    with pytest.raises(Crash):
        FlowRunner(ctx, journal, FLOWS, before_send=_stop_before("shipper approves loans")).start(
            FLOWS["ebl-financing"](
                {"reference": "DUPFIN-LOAN", "invoice": "0x" + invoice.hex(), "registry": registry.address}
            )
        )
    assert [ledger.address for ledger in known_ledgers(ctx.deployments)]  # the loan flow's ledger was recorded
    shipper = accounts.address("shipper")
    with pytest.raises(FlowStepFailed) as caught:
        FlowRunner(ctx, journal, FLOWS).start(FLOWS["lc-clean"]({"reference": reference, "registry": registry.address}))
    assert caught.value.step == "present documents"
    assert isinstance(caught.value.cause, AlreadyFinanced)
    assert "invoice" in str(caught.value.cause) and "financier" in str(caught.value.cause)
    nonce = ctx.chain.rpc("eth_getTransactionCount", [shipper, "latest"])
    step = journal.step(
        caught.value.run_id, next(s.seq for s in journal.steps(caught.value.run_id) if s.name == "present documents")
    )
    assert step is not None and step.status == "failed" and step.tx_hash is None  # refused before signing
    assert ctx.chain.rpc("eth_getTransactionCount", [shipper, "latest"]) == nonce


def test_a_presented_invoice_cannot_be_pledged_to_a_loan(ctx, journal, registry):
    reference = "DUPFIN-2"
    invoice = keccak(text=f"invoice {reference}")
    with pytest.raises(Crash):  # presented, not yet honoured: the credit's ledger holds bill and invoice
        FlowRunner(ctx, journal, FLOWS, before_send=_stop_before("honour")).start(
            FLOWS["lc-clean"]({"reference": reference, "registry": registry.address})
        )
    with pytest.raises(FlowStepFailed) as caught:
        FlowRunner(ctx, journal, FLOWS).start(
            FLOWS["ebl-financing"](
                {"reference": "DUPFIN-LOAN-2", "invoice": "0x" + invoice.hex(), "registry": registry.address}
            )
        )
    assert caught.value.step == "pledge and draw"
    assert isinstance(caught.value.cause, AlreadyFinanced)


def test_a_settled_financing_frees_the_invoice(ctx, journal, registry):
    reference = "DUPFIN-3"
    invoice = keccak(text=f"invoice {reference}")
    FlowRunner(ctx, journal, FLOWS).start(
        FLOWS["lc-clean"]({"reference": reference, "registry": registry.address})
    )  # honoured: released
    outcome = FlowRunner(ctx, journal, FLOWS).start(
        FLOWS["ebl-financing"](
            {"reference": "DUPFIN-LOAN-3", "invoice": "0x" + invoice.hex(), "registry": registry.address}
        )
    )
    assert outcome.result("pledge and draw").event("FinancingClaimed")
