"""Each settlement flow, end to end: title and money where they should be, every party acting for itself."""

import pytest

from tradefin.ebl import Status, TitleRegistry
from tradefin.finance.loan import LoanStatus, TitleLoans
from tradefin.flows import FLOWS, FlowRunner, Journal
from tradefin.flows.collection import AMOUNT
from tradefin.flows.financing import INTEREST, PRINCIPAL
from tradefin.transactions import Contract


@pytest.fixture
def runner(ctx, chain, tmp_path):
    journal = Journal(tmp_path / "flows.sqlite")
    yield FlowRunner(ctx, journal, FLOWS)
    journal.close()


def _bill_status(ctx, outcome) -> Status:
    registry = TitleRegistry.at(ctx, outcome.result("deploy registry").contract_address)
    return registry.status(int(outcome.result("issue bill").event("TitleIssued")["id"], 16))


def _balance(ctx, token_address: str, who: str) -> int:
    return Contract(ctx.transactor, token_address, ctx.build["DepositToken"].abi, "token").call("balanceOf", who)


def test_collection_dp_pays_and_delivers_in_one_transaction(ctx, runner, accounts):
    outcome = runner.start(FLOWS["collection-dp"]())
    token = outcome.result("deploy collecting_bank HKD").contract_address
    assert _balance(ctx, token, accounts.address("shipper")) == AMOUNT
    assert _balance(ctx, token, accounts.address("buyer")) == 0
    paid = outcome.result("pay against documents")
    names = [e["name"] for e in paid.events]
    assert "Transfer" in names and "BeneficiaryTransferred" in names and "CollectionPaid" in names
    assert _bill_status(ctx, outcome) is Status.ACCOMPLISHED


def test_financing_pledges_repays_and_delivers(ctx, runner, accounts):
    outcome = runner.start(FLOWS["ebl-financing"]())
    token = outcome.result("deploy financier CNH").contract_address
    drawn = outcome.result("pledge and draw")
    assert {"TitleLocked", "LoanDisbursed", "FinancingClaimed"} <= {e["name"] for e in drawn.events}
    assert _balance(ctx, token, accounts.address("financier")) == PRINCIPAL + INTEREST
    assert _balance(ctx, token, accounts.address("shipper")) == 0  # drew the principal, repaid it with interest
    loans = TitleLoans.at(ctx, outcome.result("deploy loans").contract_address)
    loan_id = int(outcome.result("offer loan").event("LoanOffered")["loanId"])
    assert loans.status(loan_id) is LoanStatus.REPAID
    assert _bill_status(ctx, outcome) is Status.ACCOMPLISHED


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_flow_is_resumable_after_it_finished(ctx, runner, name):
    outcome = runner.start(FLOWS[name]())
    again = runner.resume(outcome.run_id)
    assert [r.tx_hash for r in again.results] == [r.tx_hash for r in outcome.results]


def test_independent_flows_run_side_by_side(ctx, runner, accounts):
    flows = [FLOWS["ebl-delivery"]({"reference": f"PIPE-{n}"}) for n in range(4)]
    outcomes = runner.run_many(flows)
    assert [len(o.results) for o in outcomes] == [6] * 4
    for outcome in outcomes:
        assert _bill_status(ctx, outcome) is Status.ACCOMPLISHED
        assert all(s.status == "done" for s in runner.journal.steps(outcome.run_id))
    # four trades' steps went out together: step n of every flow shares few blocks
    blocks = {o.result("issue bill").block for o in outcomes}
    assert len(blocks) <= 4


def test_letter_of_credit_clean_presentation(ctx, runner, accounts):
    from tradefin.flows.credit import AMOUNT as LC_AMOUNT

    outcome = runner.start(FLOWS["lc-clean"]())
    token = outcome.result("deploy issuing_bank HKD").contract_address
    assert _balance(ctx, token, accounts.address("shipper")) == LC_AMOUNT
    assert _balance(ctx, token, accounts.address("buyer")) == 0
    assert _balance(ctx, token, outcome.result("deploy credits").contract_address) == 0
    honour = outcome.result("honour")
    moved = {(e["name"], e["args"].get("to")) for e in honour.events}
    # payment and title in one transaction
    assert ("Transfer", accounts.address("shipper")) in moved
    assert ("BeneficiaryTransferred", accounts.address("issuing_bank")) in moved
    assert _bill_status(ctx, outcome) is Status.ACCOMPLISHED


def test_letter_of_credit_discrepancies_waived_then_honoured(ctx, runner, accounts):
    outcome = runner.start(FLOWS["lc-discrepant"]())
    refused = outcome.result("refuse").event("CreditRefused")
    assert [int(c) for c in refused["discrepancies"]] == [2, 6]
    assert outcome.result("waive").event("CreditDiscrepanciesWaived")["applicant"] == accounts.address("buyer")
    assert outcome.result("honour").event("CreditHonoured")
    assert _bill_status(ctx, outcome) is Status.ACCOMPLISHED
