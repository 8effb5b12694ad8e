"""check_not_financed: a bill or invoice held by a live financing, in any ledger the deployment knows, is refused
with the holder named."""

import pytest

from tradefin.data import AlreadyFinanced, check_not_financed, known_ledgers
from tradefin.finance.ledger import ClaimKind, FinancingLedger, invoice_key
from tradefin.finance.loan import financing_id

from .conftest import fresh_hash


def test_clear_bill_and_invoice_pass(ctx, ledger, registry, issue_bill):
    bill = issue_bill()
    check = check_not_financed(ctx, ledger, registry, bill, fresh_hash("invoice"))
    assert ledger.address in check.ledgers and check.bill_key == ledger.bill_key(registry.address, bill)


def test_a_bill_pledged_to_a_live_loan_is_refused_naming_the_financier(ctx, ledger, registry, loans, pledge, financier):
    loan_id, bill, _ = pledge()
    with pytest.raises(AlreadyFinanced) as raised:
        check_not_financed(ctx, ledger, registry, bill, fresh_hash("other invoice"))
    exc = raised.value
    assert exc.ledger == ledger.address and exc.claim.claimant == loans.address
    assert exc.claim.kind is ClaimKind.BILL and exc.claim.financing_id == financing_id(loan_id)
    assert exc.holder == financier.address
    message = str(exc)
    assert f"bill {bill:#066x}" in message and "TitleLoan:data" in message and financier.address in message


def test_an_invoice_financed_with_another_bill_is_refused(ctx, ledger, registry, pledge, issue_bill):
    _, _, invoice = pledge()
    with pytest.raises(AlreadyFinanced, match=f"invoice 0x{invoice.hex()}") as raised:
        check_not_financed(ctx, ledger, registry, issue_bill(), invoice)
    assert raised.value.claim.kind is ClaimKind.INVOICE


def test_repaid_loan_frees_bill_and_invoice(ctx, ledger, registry, loans, pledge, deposit, shipper, issuing_bank):
    loan_id, bill, invoice = pledge()
    deposit.mint(shipper.address, 10_000, sender=issuing_bank)
    deposit.contract.transact(shipper, "approve", loans.address, 2**256 - 1)
    loans.repay(loan_id, sender=shipper)
    check_not_financed(ctx, ledger, registry, bill, invoice)


def test_every_known_ledger_is_asked(ctx, deployer, ledger, registry, issue_bill, financier):
    """A second ledger in the deployment book, where an authorised account claimed the invoice directly."""
    other = FinancingLedger.deploy(ctx, deployer, deployment_name="FinancingLedger:data-other")
    assert {other.address, ledger.address} <= {b.address for b in known_ledgers(ctx)}
    other.authorise(financier.address, sender=deployer)
    invoice = fresh_hash("invoice")
    other.claim(ClaimKind.INVOICE, invoice_key(registry.address, invoice), b"\x07" * 32, sender=financier)
    bill = issue_bill()
    with pytest.raises(AlreadyFinanced) as raised:
        check_not_financed(ctx, ledger, registry, bill, invoice)
    assert raised.value.ledger == other.address and raised.value.holder == financier.address
    assert "(financier)" in str(raised.value) and "FinancingLedger:data-other" in str(raised.value)
    # without the deployment book only the ledger given is asked
    check = check_not_financed(ctx, ledger, registry, bill, invoice, include_known=False)
    assert check.ledgers == (ledger.address,)
    with pytest.raises(AlreadyFinanced):
        check_not_financed(ctx, ledger, registry, bill, invoice, ledgers=[other.address], include_known=False)
