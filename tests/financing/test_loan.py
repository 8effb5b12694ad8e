"""Loans against a pledged eBL: offer, pledge-and-disburse in one transaction, repayment or foreclosure."""

from dataclasses import replace

import pytest

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.finance.duplicates import AlreadyFinanced
from tradefin.finance.ledger import FINANCE_ROLE, ClaimKind, bill_key, invoice_key
from tradefin.finance.loan import LoanStatus, TitleLoans, WrongRegistry, financing_id, pledge_data

from .conftest import DAY, UNIT, ZERO, fresh_hash

MAX_UINT = 2**256 - 1


def claims_of(ledger, loan):
    """The ledger's (bill claim, invoice claim) of a loan."""
    t = loan.terms
    return ledger.bill_claim(t.registry, t.bill_id), ledger.invoice_claim(t.registry, t.invoice_hash)


# ------------------------------------------------------------------------------------------------------------ offer


def test_offer_records_the_terms(loans, issue_bill, terms, financier, shipper):
    bill = issue_bill(shipper)
    offered = terms(bill)
    before = loans.count()
    loan_id = loans.offer(offered, sender=financier)
    assert loan_id == before + 1 == loans.count()
    loan = loans.loan(loan_id)
    assert (loan.financier, loan.status, loan.started_at, loan.terms) == (
        financier.address,
        LoanStatus.OFFERED,
        0,
        offered,
    )
    assert loans.amount_due(loan_id) == offered.principal + offered.interest == offered.amount_due
    [event] = [e for e in loans.events(loan_id) if e.name == "LoanOffered"]
    assert (event["financier"], event["borrower"]) == (financier.address, shipper.address)
    assert event["terms"] == offered.as_abi()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"borrower": ZERO}, "LoanZeroAddress"),
        ({"registry": ZERO}, "LoanZeroAddress"),
        ({"token": ZERO}, "LoanZeroAddress"),
        ({"principal": 0}, "LoanZeroPrincipal"),
        ({"invoice_hash": bytes(32)}, "LoanZeroInvoiceHash"),
    ],
)
def test_offer_needs_complete_terms(loans, terms, financier, change, error):
    with pytest.raises(errors.revert_class(error)) as caught:
        loans.offer(terms(1, **change), sender=financier)
    assert caught.value.arguments == {}


def test_financier_cannot_lend_to_itself(loans, terms, financier):
    with pytest.raises(errors.LoanSelfFinancing) as caught:
        loans.offer(terms(1, borrower=financier.address), sender=financier)
    assert caught.value.financier == financier.address


def test_offer_schedule_must_be_now_expiry_maturity(loans, terms, financier, chain):
    now = chain.timestamp()
    for expiry, maturity in ((now - 1, now + DAY), (now + DAY, now + DAY), (now + 2 * DAY, now + DAY)):
        with pytest.raises(errors.LoanInvalidSchedule) as caught:
            loans.offer(terms(1, offer_expiry=expiry, maturity=maturity), sender=financier)
        assert (caught.value.offerExpiry, caught.value.maturity) == (expiry, maturity)
        assert caught.value.timestamp >= now


def test_principal_plus_interest_must_fit(loans, terms, financier):
    with pytest.raises(errors.LoanAmountOverflow) as caught:
        loans.offer(terms(1, principal=MAX_UINT, interest=1), sender=financier)
    assert (caught.value.principal, caught.value.interest) == (MAX_UINT, 1)


def test_withdraw_offer(loans, registry, issue_bill, terms, financier, shipper, buyer):
    bill = issue_bill(shipper)
    loan_id = loans.offer(terms(bill), sender=financier)
    with pytest.raises(errors.LoanNotFinancier) as caught:
        loans.withdraw_offer(loan_id, sender=buyer)
    assert (caught.value.loanId, caught.value.caller) == (loan_id, buyer.address)
    receipt = loans.withdraw_offer(loan_id, sender=financier)
    assert [e.name for e in loans.contract.decode_logs(receipt)] == ["LoanOfferWithdrawn"]
    assert loans.status(loan_id) is LoanStatus.WITHDRAWN
    with pytest.raises(errors.LoanNotOffered) as caught:
        loans.withdraw_offer(loan_id, sender=financier)
    assert (caught.value.loanId, caught.value.status) == (loan_id, LoanStatus.WITHDRAWN)
    with pytest.raises(errors.LoanNotOffered) as caught:
        loans.accept(loan_id, registry, sender=shipper)
    assert caught.value.status == LoanStatus.WITHDRAWN
    assert not registry.title(bill).encumbered


def test_unknown_loan(loans, registry, financier, shipper):
    for action in (
        lambda: loans.withdraw_offer(999, sender=financier),
        lambda: loans.repay(999, sender=shipper),
        lambda: loans.foreclose(999, sender=financier),
        lambda: loans.amount_due(999),
    ):
        with pytest.raises(errors.LoanNotFound) as caught:
            action()
        assert caught.value.loanId == 999
    assert loans.status(999) is LoanStatus.NONE


# ------------------------------------------------------------------------------------------------ pledge + disburse


def test_pledge_claims_and_disburses_in_one_transaction(
    loans, ledger, registry, issue_bill, terms, financier, shipper, balance, funded, chain
):
    bill = issue_bill(shipper)
    offered = terms(bill)
    loan_id = loans.offer(offered, sender=financier)
    fin0, bor0 = balance(financier), balance(shipper)
    receipt = loans.accept(loan_id, registry, sender=shipper)
    assert (balance(financier), balance(shipper)) == (fin0 - offered.principal, bor0 + offered.principal)
    title = registry.title(bill)
    assert (title.encumbered, title.locker, title.beneficiary, title.holder) == (
        True,
        loans.address,
        shipper.address,
        shipper.address,
    )
    loan = loans.loan(loan_id)
    assert loan.status is LoanStatus.ACTIVE and loan.started_at == chain.timestamp()
    bill_claim, invoice_claim = claims_of(ledger, loan)
    for claim, kind in ((bill_claim, ClaimKind.BILL), (invoice_claim, ClaimKind.INVOICE)):
        assert (claim.claimant, claim.kind, claim.financing_id) == (loans.address, kind, financing_id(loan_id))
    assert loan.bill_key == bill_key(registry.address, bill) == ledger.bill_key(registry.address, bill)
    assert [e.name for e in loans.contract.decode_logs(receipt)] == ["LoanDisbursed"]
    assert [e.name for e in ledger.contract.decode_logs(receipt)] == ["FinancingClaimed", "FinancingClaimed"]
    assert loans.loan_for_bill(bill, registry.address) == loan


def test_pledged_bill_cannot_move(loans, registry, active_loan, shipper, buyer, collections, instruction):
    _, bill = active_loan()
    for attempt in (
        lambda: registry.transfer_holder(bill, buyer.address, sender=shipper),
        lambda: registry.endorse(bill, buyer.address, sender=shipper),
        lambda: registry.surrender(bill, sender=shipper),
    ):
        with pytest.raises(errors.TitleEncumbered) as caught:
            attempt()
        assert caught.value.locker == loans.address
    with pytest.raises(errors.TitleAlreadyEncumbered):
        collections.lodge(registry, bill, instruction(), sender=shipper)
    with pytest.raises(errors.TitleNotLocker) as caught:
        registry.release(bill, sender=shipper)
    assert caught.value.caller == shipper.address


def test_same_bill_cannot_be_pledged_twice(loans, registry, issue_bill, terms, financier, advising_bank, shipper):
    bill = issue_bill(shipper)
    first = loans.offer(terms(bill), sender=financier)
    second = loans.offer(terms(bill), sender=advising_bank)
    loans.accept(first, registry, sender=shipper)
    with pytest.raises(AlreadyFinanced):  # the client's pre-check, before anything is sent
        loans.accept(second, registry, sender=shipper)
    with pytest.raises(errors.TitleAlreadyEncumbered) as caught:  # on chain
        loans.accept(second, registry, sender=shipper, check_financing=False)
    assert caught.value.locker == loans.address
    assert loans.status(second) is LoanStatus.OFFERED


def test_same_invoice_cannot_be_financed_twice(
    loans, ledger, registry, issue_bill, terms, financier, advising_bank, shipper, funded
):
    invoice = fresh_hash("invoice")
    first = loans.offer(terms(issue_bill(shipper), invoice_hash=invoice), sender=financier)
    other_bill = issue_bill(shipper)
    second = loans.offer(terms(other_bill, invoice_hash=invoice), sender=advising_bank)
    loans.accept(first, registry, sender=shipper)
    with pytest.raises(AlreadyFinanced) as precheck:  # the client's pre-check, before anything is sent
        loans.accept(second, registry, sender=shipper)
    assert (precheck.value.ledger, precheck.value.holder) == (ledger.address, financier.address)
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:  # on chain
        loans.accept(second, registry, sender=shipper, check_financing=False)
    assert caught.value.arguments == {
        "key": invoice_key(registry.address, invoice),
        "kind": ClaimKind.INVOICE,
        "claimant": loans.address,
        "financingId": financing_id(first),
    }
    # Everything of the failed pledge was undone: no lock, no claim, no money.
    assert not registry.title(other_bill).encumbered
    assert ledger.bill_claim(registry.address, other_bill) is None
    assert loans.status(second) is LoanStatus.OFFERED


def test_a_fake_registry_cannot_block_an_invoice(
    ctx, loans, ledger, registry, issue_bill, terms, financier, shipper, buyer, advising_bank, remitting_bank, funded
):
    """The security review's attack: an offer naming the attacker's own registry and the victim's invoice hash,
    "pledged" by that registry calling the loan contract's hook itself, claims the invoice only under the fake
    registry's key. The victim's genuine pledge of the invoice through the real registry goes through, and a second
    genuine financing of it through that registry is still refused."""
    attacker, accomplice, invoice = buyer, advising_bank, fresh_hash("victim invoice")
    fake = TitleRegistry(ctx.deployments.deploy(attacker, "ReentrantTitleRegistry", name="FakeTitleRegistry"))
    decoy = fake.issue(
        fresh_hash("decoy"),
        beneficiary=accomplice.address,
        holder=accomplice.address,
        sender=attacker,
        kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form=ConsignmentForm.TO_ORDER,
    ).id
    offered = terms(decoy, borrower=accomplice.address, registry=fake.address, invoice_hash=invoice, principal=1)
    attack = loans.offer(offered, sender=attacker)
    fake.contract.transact(attacker, "forgeCallback", loans.address, accomplice.address, decoy, pledge_data(attack))
    assert loans.status(attack) is LoanStatus.ACTIVE
    held = ledger.invoice_claim(fake.address, invoice)
    assert (held.claimant, held.key, held.financing_id) == (
        loans.address,
        invoice_key(fake.address, invoice),
        financing_id(attack),
    )
    assert ledger.invoice_claim(registry.address, invoice) is None and ledger.financed_by(invoice) is None
    # the seller pledges its invoice through the real registry
    genuine = loans.offer(terms(issue_bill(shipper), invoice_hash=invoice), sender=financier)
    loans.accept(genuine, registry, sender=shipper)
    assert loans.status(genuine) is LoanStatus.ACTIVE
    assert ledger.invoice_claim(registry.address, invoice).financing_id == financing_id(genuine)
    # ... once: through the same registry the invoice is still financed only once
    again = loans.offer(terms(issue_bill(shipper), invoice_hash=invoice), sender=remitting_bank)
    with pytest.raises(AlreadyFinanced, match=f"invoice 0x{invoice.hex()} under registry {registry.address}") as pre:
        loans.accept(again, registry, sender=shipper)
    assert (pre.value.claim.claimant, pre.value.holder) == (loans.address, financier.address)
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:
        loans.accept(again, registry, sender=shipper, check_financing=False)
    assert caught.value.arguments == {
        "key": invoice_key(registry.address, invoice),
        "kind": ClaimKind.INVOICE,
        "claimant": loans.address,
        "financingId": financing_id(genuine),
    }
    assert loans.status(again) is LoanStatus.OFFERED


def test_bill_financed_elsewhere_cannot_be_pledged(
    loans, ledger, registry, issue_bill, terms, financier, shipper, deployer, confirming_bank
):
    """Another finance contract (here an authorised account) holds the bill in the ledger: the pledge fails."""
    bill = issue_bill(shipper)
    ledger.authorise(confirming_bank.address, sender=deployer)
    ledger.claim(ClaimKind.BILL, bill_key(registry.address, bill), b"LC-1".ljust(32, b"\0"), sender=confirming_bank)
    loan_id = loans.offer(terms(bill), sender=financier)
    with pytest.raises(AlreadyFinanced) as precheck:  # the client's pre-check, before anything is sent
        loans.accept(loan_id, registry, sender=shipper)
    assert (precheck.value.ledger, precheck.value.holder) == (ledger.address, confirming_bank.address)
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:  # on chain
        loans.accept(loan_id, registry, sender=shipper, check_financing=False)
    assert (caught.value.claimant, caught.value.kind) == (confirming_bank.address, ClaimKind.BILL)


def test_pledge_data_must_be_a_loan_id(loans, registry, issue_bill, shipper):
    bill = issue_bill(shipper)
    with pytest.raises(errors.LoanMalformedData) as caught:
        registry.encumber(bill, loans.address, sender=shipper, data=b"\x01" * 31)
    assert caught.value.length == 31
    with pytest.raises(errors.LoanNotFound) as caught:
        registry.encumber(bill, loans.address, sender=shipper, data=pledge_data(424242))
    assert caught.value.loanId == 424242


def test_pledge_must_match_the_offer(loans, registry, issue_bill, terms, financier, shipper, buyer, funded):
    bill, other = issue_bill(shipper), issue_bill(shipper)
    loan_id = loans.offer(terms(bill), sender=financier)
    with pytest.raises(errors.LoanWrongBill) as caught:
        registry.encumber(other, loans.address, sender=shipper, data=pledge_data(loan_id))
    assert (caught.value.loanId, caught.value.billId) == (loan_id, other)
    buyers_bill = issue_bill(buyer)
    offer_to_shipper = loans.offer(terms(buyers_bill), sender=financier)
    with pytest.raises(errors.LoanNotBorrower) as caught:
        registry.encumber(buyers_bill, loans.address, sender=buyer, data=pledge_data(offer_to_shipper))
    assert (caught.value.loanId, caught.value.caller) == (offer_to_shipper, buyer.address)


def test_pledge_in_another_registry_is_refused(ctx, loans, terms, financier, shipper, carrier):
    other = TitleRegistry.deploy(ctx, carrier, symbol="OTHER")
    other.authorise_locker(loans.address, sender=carrier)
    bill = other.issue(
        fresh_hash(),
        beneficiary=shipper.address,
        holder=shipper.address,
        sender=carrier,
        kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form=ConsignmentForm.TO_ORDER,
    ).id
    loan_id = loans.offer(terms(bill), sender=financier)  # names the session registry
    with pytest.raises(errors.LoanWrongRegistry) as caught:
        other.encumber(bill, loans.address, sender=shipper, data=pledge_data(loan_id))
    assert (caught.value.loanId, caught.value.caller) == (loan_id, other.address)
    with pytest.raises(WrongRegistry):
        loans.accept(loan_id, other, sender=shipper)


def test_only_a_registry_calls_the_locker_hook(loans, issue_bill, terms, financier, shipper):
    loan_id = loans.offer(terms(issue_bill(shipper)), sender=financier)
    with pytest.raises(errors.LoanWrongRegistry) as caught:
        loans.contract.transact(shipper, "onTitleEncumbered", shipper.address, 1, pledge_data(loan_id))
    assert caught.value.caller == shipper.address


def test_offer_expires(loans, registry, issue_bill, terms, financier, shipper, chain):
    bill = issue_bill(shipper)
    offered = terms(bill)
    loan_id = loans.offer(offered, sender=financier)
    chain.set_next_block_timestamp(offered.offer_expiry + 1)
    chain.mine()
    with pytest.raises(errors.LoanOfferExpired) as caught:
        loans.accept(loan_id, registry, sender=shipper)
    assert (caught.value.loanId, caught.value.offerExpiry) == (loan_id, offered.offer_expiry)


def test_pledge_at_the_expiry_second_is_on_time(loans, registry, issue_bill, terms, financier, shipper, chain, funded):
    bill = issue_bill(shipper)
    offered = terms(bill)
    loan_id = loans.offer(offered, sender=financier)
    chain.set_next_block_timestamp(offered.offer_expiry)
    loans.accept(loan_id, registry, sender=shipper)
    assert loans.loan(loan_id).started_at == offered.offer_expiry


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        (DocumentKind.NEGOTIABLE_BILL_OF_LADING, ConsignmentForm.STRAIGHT),
        (DocumentKind.SEA_WAYBILL, ConsignmentForm.STRAIGHT),
    ],
)
def test_only_negotiable_bills_are_pledged(loans, registry, issue_bill, terms, financier, shipper, kind, form):
    bill = issue_bill(shipper, kind=kind, form=form)
    loan_id = loans.offer(terms(bill), sender=financier)
    with pytest.raises(errors.LoanBillNotNegotiable) as caught:
        loans.accept(loan_id, registry, sender=shipper)
    assert (caught.value.billId, caught.value.kind, caught.value.form) == (bill, kind, form)


def test_disbursement_needs_the_financiers_allowance_and_funds(
    loans, registry, issue_bill, terms, financier, shipper, token, balance, funded
):
    bill = issue_bill(shipper)
    loan_id = loans.offer(terms(bill, principal=100 * UNIT), sender=financier)
    token.transact(financier, "approve", loans.address, 99 * UNIT)
    with pytest.raises(errors.ERC20InsufficientAllowance) as caught:
        loans.accept(loan_id, registry, sender=shipper)
    assert caught.value.arguments == {"spender": loans.address, "allowance": 99 * UNIT, "needed": 100 * UNIT}
    token.transact(financier, "approve", loans.address, MAX_UINT)
    rich = loans.offer(terms(bill, principal=balance(financier) + 1), sender=financier)
    with pytest.raises(errors.ERC20InsufficientBalance) as caught:
        loans.accept(rich, registry, sender=shipper)
    assert caught.value.sender == financier.address
    assert not registry.title(bill).encumbered


def test_loan_contract_needs_the_ledger_role(
    ctx, ledger, registry, issue_bill, terms, financier, shipper, deployer, carrier
):
    rogue = TitleLoans.deploy(ctx, deployer, ledger.address, deployment_name="UnauthorisedLoans")
    registry.authorise_locker(rogue.address, sender=carrier)
    loan_id = rogue.offer(terms(issue_bill(shipper)), sender=financier)
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as caught:
        rogue.accept(loan_id, registry, sender=shipper)
    assert (caught.value.account, caught.value.neededRole) == (rogue.address, FINANCE_ROLE)


def test_constructor_needs_a_ledger(ctx, deployer):
    with pytest.raises(errors.LoanZeroAddress):
        TitleLoans.deploy(ctx, deployer, ZERO, deployment_name="NoLedger")


# ------------------------------------------------------------------------------------------------------- repayment


def test_repayment_releases_the_bill_and_clears_the_ledger(
    loans, ledger, registry, active_loan, financier, shipper, buyer, balance
):
    loan_id, bill = active_loan()
    loan = loans.loan(loan_id)
    fin0, bor0 = balance(financier), balance(shipper)
    receipt = loans.repay(loan_id, sender=shipper)
    due = loan.terms.principal + loan.terms.interest
    assert (balance(financier), balance(shipper)) == (fin0 + due, bor0 - due)
    assert loans.status(loan_id) is LoanStatus.REPAID
    title = registry.title(bill)
    assert (title.encumbered, title.beneficiary, title.holder) == (False, shipper.address, shipper.address)
    assert claims_of(ledger, loan) == (None, None)
    [event] = loans.contract.decode_logs(receipt)
    assert (event.name, event["amount"]) == ("LoanRepaid", due)
    assert loans.loan_for_bill(bill, registry.address) is None
    registry.transfer_holder(bill, buyer.address, sender=shipper)  # free again


def test_repaid_bill_can_be_financed_again(loans, registry, terms, active_loan, financier, shipper, funded):
    loan_id, bill = active_loan()
    invoice = loans.loan(loan_id).terms.invoice_hash
    loans.repay(loan_id, sender=shipper)
    again = loans.offer(terms(bill, invoice_hash=invoice), sender=financier)
    loans.accept(again, registry, sender=shipper)
    assert loans.status(again) is LoanStatus.ACTIVE


def test_repayment_after_maturity_until_foreclosure(loans, active_loan, shipper, chain):
    loan_id, _ = active_loan()
    chain.set_next_block_timestamp(loans.loan(loan_id).terms.maturity + 30 * DAY)
    chain.mine()
    loans.repay(loan_id, sender=shipper)
    assert loans.status(loan_id) is LoanStatus.REPAID


def test_only_the_borrower_repays(loans, active_loan, buyer, financier):
    loan_id, _ = active_loan()
    for sender in (buyer, financier):
        with pytest.raises(errors.LoanNotBorrower) as caught:
            loans.repay(loan_id, sender=sender)
        assert (caught.value.loanId, caught.value.caller) == (loan_id, sender.address)


def test_repay_only_an_active_loan(loans, issue_bill, terms, active_loan, financier, shipper):
    offered = loans.offer(terms(issue_bill(shipper)), sender=financier)
    with pytest.raises(errors.LoanNotActive) as caught:
        loans.repay(offered, sender=shipper)
    assert (caught.value.loanId, caught.value.status) == (offered, LoanStatus.OFFERED)
    loan_id, _ = active_loan()
    loans.repay(loan_id, sender=shipper)
    with pytest.raises(errors.LoanNotActive) as caught:  # nobody pays twice
        loans.repay(loan_id, sender=shipper)
    assert caught.value.status == LoanStatus.REPAID


def test_repayment_needs_the_borrowers_allowance(loans, registry, active_loan, shipper, token):
    loan_id, bill = active_loan()
    token.transact(shipper, "approve", loans.address, 1)
    with pytest.raises(errors.ERC20InsufficientAllowance) as caught:
        loans.repay(loan_id, sender=shipper)
    assert caught.value.needed == loans.amount_due(loan_id)
    assert registry.title(bill).encumbered and loans.status(loan_id) is LoanStatus.ACTIVE


# ------------------------------------------------------------------------------------------------------ foreclosure


def test_foreclosure_after_maturity_gives_the_title_to_the_financier(
    loans, ledger, registry, active_loan, financier, shipper, chain, balance
):
    loan_id, bill = active_loan()
    loan = loans.loan(loan_id)
    chain.set_next_block_timestamp(loan.terms.maturity + 1)
    chain.mine()
    fin0 = balance(financier)
    receipt = loans.foreclose(loan_id, sender=financier, remark="not repaid")
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.encumbered) == (financier.address, financier.address, False)
    assert loans.status(loan_id) is LoanStatus.FORECLOSED
    assert claims_of(ledger, loan) == (None, None)
    assert balance(financier) == fin0
    [event] = loans.contract.decode_logs(receipt)
    assert (event.name, event["billId"], event["borrower"]) == ("LoanForeclosed", bill, shipper.address)
    with pytest.raises(errors.LoanNotActive) as caught:
        loans.repay(loan_id, sender=shipper)
    assert caught.value.status == LoanStatus.FORECLOSED


def test_blank_endorsed_bill_is_foreclosed_to_the_financier(
    loans, registry, issue_bill, terms, financier, shipper, chain, funded
):
    bill = issue_bill(shipper, form=ConsignmentForm.BLANK_ENDORSED)
    offered = terms(bill)
    loan_id = loans.offer(offered, sender=financier)
    loans.accept(loan_id, registry, sender=shipper)
    chain.set_next_block_timestamp(offered.maturity + 1)
    chain.mine()
    loans.foreclose(loan_id, sender=financier)
    title = registry.title(bill)
    assert (title.beneficiary, title.holder, title.form) == (
        financier.address,
        financier.address,
        ConsignmentForm.BLANK_ENDORSED,
    )


def test_no_foreclosure_until_after_maturity(loans, active_loan, financier, chain):
    loan_id, _ = active_loan()
    maturity = loans.loan(loan_id).terms.maturity
    chain.set_next_block_timestamp(maturity)
    chain.mine()
    with pytest.raises(errors.LoanNotMatured) as caught:
        loans.foreclose(loan_id, sender=financier)
    assert (caught.value.loanId, caught.value.maturity) == (loan_id, maturity)


def test_only_the_financier_forecloses(loans, active_loan, shipper, buyer, chain):
    loan_id, _ = active_loan()
    chain.set_next_block_timestamp(loans.loan(loan_id).terms.maturity + 1)
    chain.mine()
    for sender in (shipper, buyer):
        with pytest.raises(errors.LoanNotFinancier) as caught:
            loans.foreclose(loan_id, sender=sender)
        assert caught.value.caller == sender.address


def test_no_foreclosure_of_a_repaid_loan(loans, active_loan, financier, shipper, chain):
    loan_id, _ = active_loan()
    loans.repay(loan_id, sender=shipper)
    chain.set_next_block_timestamp(loans.loan(loan_id).terms.maturity + 1)
    chain.mine()
    with pytest.raises(errors.LoanNotActive) as caught:
        loans.foreclose(loan_id, sender=financier)
    assert caught.value.status == LoanStatus.REPAID


def test_foreclosure_remark_is_bounded_by_the_registry(loans, active_loan, financier, chain):
    loan_id, _ = active_loan()
    chain.set_next_block_timestamp(loans.loan(loan_id).terms.maturity + 1)
    chain.mine()
    with pytest.raises(errors.TitleRemarkTooLong) as caught:
        loans.foreclose(loan_id, sender=financier, remark=b"x" * 257)
    assert (caught.value.length, caught.value.max) == (257, 256)


def test_paused_registry_blocks_repayment_until_unpaused(loans, registry, active_loan, shipper, carrier):
    loan_id, _ = active_loan()
    registry.pause(sender=carrier)
    with pytest.raises(errors.EnforcedPause):
        loans.repay(loan_id, sender=shipper)
    registry.unpause(sender=carrier)
    loans.repay(loan_id, sender=shipper)


def test_terms_round_trip(terms):
    t = terms(5)
    assert replace(t, principal=1).principal == 1
    assert type(t).from_abi(t.as_abi()) == t
