"""Letters of credit and loans against duplicate financing: a credit contract deployed with a financing ledger claims
each presentation's bill and commercial invoice there until the eBL leaves it (honour, precluded claim, return), so
the ledger refuses a loan on them meanwhile and vice versa (``LedgerAlreadyFinanced``, on chain); the clients' pre-check
finds the same conflict, and one held in any other ledger the deployment book knows, before anything is sent
(``AlreadyFinanced``, naming the ledger and the party behind the claim)."""

from collections.abc import Callable

import pytest
from credit_helpers import AMOUNT, DAY, DOCUMENTS, move_to
from eth_utils import keccak

from tradefin import errors
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.finance.credit import (
    COMMERCIAL_INVOICE,
    PACKING_LIST,
    Discrepancy,
    Disposal,
    DocumentaryCredit,
    PresentationState,
)
from tradefin.finance.duplicates import AlreadyFinanced, credit_financing_id
from tradefin.finance.ledger import ClaimKind, FinancingLedger, bill_key, invoice_key
from tradefin.finance.loan import LoanStatus, LoanTerms, TitleLoans, financing_id, pledge_data
from tradefin.money import DepositToken

PRINCIPAL = 10_000_00
_serial = iter(range(10**9))


def fresh(label: str) -> bytes:
    return keccak(text=f"credit financing {label} {next(_serial)}")


@pytest.fixture(scope="session")
def fin_ledger(ctx, deployer) -> FinancingLedger:
    return FinancingLedger.deploy(ctx, deployer, deployment_name="CreditFinancingLedger")


@pytest.fixture(scope="session")
def other_ledger(ctx, deployer) -> FinancingLedger:
    """A second ledger in the deployment book (another financier's), with a loan contract of its own."""
    return FinancingLedger.deploy(ctx, deployer, deployment_name="CreditOtherFinancingLedger")


@pytest.fixture(scope="session")
def ledger_credits(ctx, deployer, calendar, bills, carrier, fin_ledger) -> DocumentaryCredit:
    credit = DocumentaryCredit.deploy(
        ctx, deployer, calendar, financing_ledger=fin_ledger, deployment_name="CreditWithFinancingLedger"
    )
    fin_ledger.authorise(credit.address, sender=deployer)
    bills.registry.authorise_locker(credit.address, sender=carrier)
    return credit


def _loans(ctx, deployer, carrier, bills, ledger, name) -> TitleLoans:
    loans = TitleLoans.deploy(ctx, deployer, ledger.address, deployment_name=name)
    ledger.authorise(loans.address, sender=deployer)
    bills.registry.authorise_locker(loans.address, sender=carrier)
    return loans


@pytest.fixture(scope="session")
def loans(ctx, deployer, carrier, bills, fin_ledger) -> TitleLoans:
    return _loans(ctx, deployer, carrier, bills, fin_ledger, "CreditTestTitleLoan")


@pytest.fixture(scope="session")
def other_loans(ctx, deployer, carrier, bills, other_ledger) -> TitleLoans:
    return _loans(ctx, deployer, carrier, bills, other_ledger, "CreditOtherTitleLoan")


@pytest.fixture
def open_on_ledger(ctx, ledger_credits, make_terms, buyer, issuing_bank, advising_bank) -> Callable[..., int]:
    def open_(**overrides) -> int:
        terms = make_terms(**overrides)
        credit_id = ledger_credits.request(terms, sender=buyer)
        DepositToken.at(ctx, terms.token).approve(ledger_credits.address, terms.maximum, sender=buyer)
        ledger_credits.issue(credit_id, sender=issuing_bank)
        ledger_credits.advise(credit_id, sender=advising_bank)
        return credit_id

    return open_


@pytest.fixture
def fresh_bill(chain, bills, shipper) -> Callable[[], int]:
    return lambda: bills.issue(shipper.address, on_board=chain.timestamp() - DAY)


@pytest.fixture
def pledge(chain, bills, hkd, financier, shipper) -> Callable[..., int]:
    """The financier lends on ``bill`` and ``invoice`` through ``loans`` and the borrower pledges; the loan id."""

    def make(loans: TitleLoans, bill: int, invoice: bytes, *, borrower=None, accept: bool = True) -> int:
        borrower = borrower or shipper
        now = chain.timestamp()
        terms = LoanTerms(
            borrower=borrower.address,
            registry=bills.registry.address,
            bill_id=bill,
            invoice_hash=invoice,
            token=hkd.address,
            principal=PRINCIPAL,
            interest=1_00,
            maturity=now + 90 * DAY,
            offer_expiry=now + DAY,
        )
        hkd.approve(loans.address, PRINCIPAL, sender=financier)
        loan_id = loans.offer(terms, sender=financier)
        if accept:
            loans.accept(loan_id, bills.registry, sender=borrower)
        return loan_id

    return make


def claims(fin_ledger: FinancingLedger, bills, bill: int, invoice: bytes):
    """The ledger's (bill claim, invoice claim) of ``bill`` and ``invoice`` under the real registry."""
    registry = bills.registry.address
    return fin_ledger.bill_claim(registry, bill), fin_ledger.invoice_claim(registry, invoice)


def documents(invoice: bytes) -> dict[bytes, bytes]:
    return {COMMERCIAL_INVOICE: invoice, PACKING_LIST: fresh("packing list")}


def nothing_sent(chain, account) -> Callable[[], bool]:
    """A probe that the chain saw no transaction from ``account`` (nor any block) since it was made."""
    block = chain.block_number()
    nonce = chain.rpc("eth_getTransactionCount", [account.address, "pending"])
    return lambda: (
        (chain.block_number(), chain.rpc("eth_getTransactionCount", [account.address, "pending"]))
        == (
            block,
            nonce,
        )
    )


# ------------------------------------------------------------------------------------------------- the claims


def test_a_presentation_claims_bill_and_invoice_until_honoured(
    ledger_credits, fin_ledger, open_on_ledger, fresh_bill, bills, shipper, issuing_bank
):
    assert ledger_credits.financing_ledger == fin_ledger.address
    credit_id, bill, invoice = open_on_ledger(), fresh_bill(), fresh("invoice")
    pid = ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper)
    reference = credit_financing_id(credit_id, pid)
    assert reference == DocumentaryCredit.financing_id(credit_id, pid) == ((credit_id << 32) | pid).to_bytes(32, "big")
    bill_claim, invoice_claim = claims(fin_ledger, bills, bill, invoice)
    assert bill_claim is not None and invoice_claim is not None
    assert (bill_claim.claimant, bill_claim.kind, bill_claim.financing_id) == (
        ledger_credits.address,
        ClaimKind.BILL,
        reference,
    )
    assert (invoice_claim.claimant, invoice_claim.kind, invoice_claim.financing_id) == (
        ledger_credits.address,
        ClaimKind.INVOICE,
        reference,
    )
    assert ledger_credits.claimed_invoice(credit_id, pid) == invoice
    receipt = ledger_credits.honour(credit_id, pid, sender=issuing_bank)
    cleared = [e for e in fin_ledger.contract.decode_logs(receipt) if e.name == "FinancingCleared"]
    assert [(e["kind"], e["financingId"]) for e in cleared] == [
        (ClaimKind.BILL, reference),
        (ClaimKind.INVOICE, reference),
    ]
    assert claims(fin_ledger, bills, bill, invoice) == (None, None)
    assert ledger_credits.claimed_invoice(credit_id, pid) is None


def test_honour_lets_the_bill_and_invoice_be_financed_again(
    ledger_credits, loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, issuing_bank
):
    credit_id, bill, invoice = open_on_ledger(), fresh_bill(), fresh("invoice")
    pid = ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper)
    ledger_credits.honour(credit_id, pid, sender=issuing_bank)
    # the issuing bank now holds the title and borrows against it, with the same invoice
    loan_id = pledge(loans, bill, invoice, borrower=issuing_bank)
    assert loans.status(loan_id) is LoanStatus.ACTIVE
    assert fin_ledger.bill_claim(bills.registry.address, bill).financing_id == financing_id(loan_id)


def test_returned_documents_release_the_claims(
    ledger_credits, loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, issuing_bank
):
    credit_id, invoice = open_on_ledger(), fresh("invoice")
    first, second = fresh_bill(), fresh_bill()
    held = ledger_credits.present(bills.registry, first, credit_id, AMOUNT // 2, documents(invoice), sender=shipper)
    ledger_credits.refuse(credit_id, held, [Discrepancy.DATA_CONFLICT], sender=issuing_bank)
    pending = fin_ledger.invoice_claim(bills.registry.address, invoice)
    assert pending.claimant == ledger_credits.address  # held pending waiver: still live
    ledger_credits.return_documents(credit_id, held, sender=shipper)
    assert claims(fin_ledger, bills, first, invoice) == (None, None)
    other_invoice = fresh("invoice")
    returned = ledger_credits.present(
        bills.registry, second, credit_id, AMOUNT // 2, documents(other_invoice), sender=shipper
    )
    ledger_credits.refuse(
        credit_id, returned, [Discrepancy.DATA_CONFLICT], sender=issuing_bank, disposal=Disposal.RETURN
    )
    assert ledger_credits.presentation(credit_id, returned).state is PresentationState.RETURNED
    assert fin_ledger.bill_claim(bills.registry.address, second) is None
    assert fin_ledger.invoice_claim(bills.registry.address, other_invoice) is None
    # back with the shipper, both bills and invoices may be financed again
    assert loans.status(pledge(loans, first, invoice)) is LoanStatus.ACTIVE
    assert loans.status(pledge(loans, second, other_invoice)) is LoanStatus.ACTIVE


def test_a_precluded_claim_releases_the_claims(
    chain, ledger_credits, fin_ledger, open_on_ledger, fresh_bill, bills, shipper
):
    credit_id, bill, invoice = open_on_ledger(), fresh_bill(), fresh("invoice")
    pid = ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper)
    move_to(chain, ledger_credits.presentation(credit_id, pid).examination_deadline + 1)
    ledger_credits.claim_precluded(credit_id, pid, sender=shipper)
    assert claims(fin_ledger, bills, bill, invoice) == (None, None)


def test_a_presentation_without_an_invoice_claims_the_bill_only(
    ledger_credits, fin_ledger, open_on_ledger, fresh_bill, bills, shipper
):
    credit_id, bill = open_on_ledger(document_types=(PACKING_LIST,)), fresh_bill()
    pid = ledger_credits.present(
        bills.registry, bill, credit_id, AMOUNT, {PACKING_LIST: fresh("packing list")}, sender=shipper
    )
    assert fin_ledger.bill_claim(bills.registry.address, bill).claimant == ledger_credits.address
    assert ledger_credits.claimed_invoice(credit_id, pid) is None


def test_a_credit_contract_without_a_ledger_claims_nothing(credits, open_credit, present, fin_ledger, bills):
    assert credits.financing_ledger == ZERO_ADDRESS
    bill, _ = present(open_credit())
    assert fin_ledger.bill_claim(bills.registry.address, bill) is None
    assert fin_ledger.invoice_claim(bills.registry.address, DOCUMENTS[COMMERCIAL_INVOICE]) is None


def test_a_credit_contract_the_ledger_did_not_authorise_cannot_take_presentations(
    ctx, deployer, calendar, bills, carrier, other_ledger, make_terms, buyer, issuing_bank, advising_bank, fresh_bill,
    shipper,
):  # fmt: skip
    rogue = DocumentaryCredit.deploy(
        ctx, deployer, calendar, financing_ledger=other_ledger.address, deployment_name="UnauthorisedCredit"
    )
    bills.registry.authorise_locker(rogue.address, sender=carrier)
    terms = make_terms()
    credit_id = rogue.request(terms, sender=buyer)
    DepositToken.at(ctx, terms.token).approve(rogue.address, terms.maximum, sender=buyer)
    rogue.issue(credit_id, sender=issuing_bank)
    rogue.advise(credit_id, sender=advising_bank)
    bill = fresh_bill()
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as caught:
        rogue.present(bills.registry, bill, credit_id, AMOUNT, documents(fresh("invoice")), sender=shipper)
    assert caught.value.account == rogue.address
    assert not bills.registry.title(bill).encumbered


# ------------------------------------------------------------------------- a loan first, then a presentation


def test_an_invoice_pledged_to_a_loan_cannot_be_presented(
    chain, ledger_credits, loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, financier
):
    invoice = fresh("invoice")
    loan_id = pledge(loans, fresh_bill(), invoice)
    credit_id, bill = open_on_ledger(), fresh_bill()
    untouched = nothing_sent(chain, shipper)
    with pytest.raises(AlreadyFinanced) as precheck:
        ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper)
    assert untouched()
    exc = precheck.value
    assert (exc.ledger, exc.holder, exc.claim.claimant, exc.claim.kind) == (
        fin_ledger.address,
        financier.address,
        loans.address,
        ClaimKind.INVOICE,
    )
    assert f"invoice 0x{invoice.hex()}" in str(exc) and "CreditFinancingLedger" in str(exc)
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:
        ledger_credits.present(
            bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper, check_financing=False
        )
    assert caught.value.arguments == {
        "key": invoice_key(bills.registry.address, invoice),
        "kind": ClaimKind.INVOICE,
        "claimant": loans.address,
        "financingId": financing_id(loan_id),
    }
    assert not bills.registry.title(bill).encumbered
    assert ledger_credits.ledger(credit_id).presentations == 0


def test_a_bill_pledged_to_a_loan_cannot_be_presented(
    chain, ledger_credits, loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, financier
):
    bill = fresh_bill()
    pledge(loans, bill, fresh("invoice"))
    credit_id = open_on_ledger()
    untouched = nothing_sent(chain, shipper)
    with pytest.raises(AlreadyFinanced, match=f"bill {bill:#066x}") as precheck:
        ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(fresh("invoice")), sender=shipper)
    assert untouched()
    assert (precheck.value.claim.kind, precheck.value.holder) == (ClaimKind.BILL, financier.address)
    with pytest.raises(errors.TitleAlreadyEncumbered) as caught:  # on chain the registry's lock refuses first
        ledger_credits.present(
            bills.registry, bill, credit_id, AMOUNT, documents(fresh("invoice")), sender=shipper, check_financing=False
        )
    assert caught.value.locker == loans.address


def test_a_bill_claimed_by_another_financing_cannot_be_presented(
    chain, ledger_credits, fin_ledger, open_on_ledger, fresh_bill, bills, deployer, shipper, confirming_bank
):
    """A financing that holds the bill without locking it (a receivables desk claiming directly) is the ledger's to
    refuse: ``LedgerAlreadyFinanced`` for the bill."""
    fin_ledger.authorise(confirming_bank.address, sender=deployer)
    bill = fresh_bill()
    key = bill_key(bills.registry.address, bill)
    fin_ledger.claim(ClaimKind.BILL, key, b"\x2a" * 32, sender=confirming_bank)
    credit_id = open_on_ledger()
    with pytest.raises(AlreadyFinanced) as precheck:
        ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(fresh("invoice")), sender=shipper)
    assert precheck.value.holder == confirming_bank.address
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:
        ledger_credits.present(
            bills.registry, bill, credit_id, AMOUNT, documents(fresh("invoice")), sender=shipper, check_financing=False
        )
    assert caught.value.arguments == {
        "key": key,
        "kind": ClaimKind.BILL,
        "claimant": confirming_bank.address,
        "financingId": b"\x2a" * 32,
    }
    assert not bills.registry.title(bill).encumbered


# ------------------------------------------------------------------------- a presentation first, then a loan


def test_a_presented_invoice_cannot_be_pledged_to_a_loan(
    chain, ledger_credits, loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, issuing_bank
):
    credit_id, invoice = open_on_ledger(), fresh("invoice")
    pid = ledger_credits.present(bills.registry, fresh_bill(), credit_id, AMOUNT, documents(invoice), sender=shipper)
    other_bill = fresh_bill()
    loan_id = pledge(loans, other_bill, invoice, accept=False)
    untouched = nothing_sent(chain, shipper)
    with pytest.raises(AlreadyFinanced) as precheck:
        loans.accept(loan_id, bills.registry, sender=shipper)
    assert untouched()
    exc = precheck.value
    assert (exc.ledger, exc.claim.claimant, exc.claim.financing_id) == (
        fin_ledger.address,
        ledger_credits.address,
        credit_financing_id(credit_id, pid),
    )
    assert exc.holder == issuing_bank.address  # the presentation's examining bank
    assert "CreditWithFinancingLedger" in str(exc)
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:
        loans.accept(loan_id, bills.registry, sender=shipper, check_financing=False)
    assert caught.value.arguments == {
        "key": invoice_key(bills.registry.address, invoice),
        "kind": ClaimKind.INVOICE,
        "claimant": ledger_credits.address,
        "financingId": credit_financing_id(credit_id, pid),
    }
    assert loans.status(loan_id) is LoanStatus.OFFERED and not bills.registry.title(other_bill).encumbered


def test_a_presented_bill_cannot_be_pledged_to_a_loan(
    chain, ledger_credits, loans, open_on_ledger, fresh_bill, bills, pledge, shipper
):
    credit_id, bill = open_on_ledger(), fresh_bill()
    ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(fresh("invoice")), sender=shipper)
    loan_id = pledge(loans, bill, fresh("invoice"), accept=False)
    untouched = nothing_sent(chain, shipper)
    with pytest.raises(AlreadyFinanced, match=f"bill {bill:#066x}"):
        loans.accept(loan_id, bills.registry, sender=shipper)
    assert untouched()
    with pytest.raises(errors.TitleAlreadyEncumbered) as caught:
        loans.accept(loan_id, bills.registry, sender=shipper, check_financing=False)
    assert caught.value.locker == ledger_credits.address


# ------------------------------------------------------------------------------- claims through fake registries


def fake_registry(ctx, attacker, name: str) -> TitleRegistry:
    """An attacker's own title registry (the test-only ``ReentrantTitleRegistry``: anyone issues, anyone authorises)."""
    return TitleRegistry(ctx.deployments.deploy(attacker, "ReentrantTitleRegistry", name=name))


def fake_bill(registry: TitleRegistry, owner, on_board: int) -> int:
    """A negotiable to-order bill of ``registry`` to ``owner``, issued by ``owner`` itself."""
    return registry.issue(
        fresh("fake bill"),
        beneficiary=owner.address,
        holder=owner.address,
        sender=owner,
        kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form=ConsignmentForm.TO_ORDER,
        shipped_on_board=on_board,
    ).id


def test_claims_through_fake_registries_do_not_block_the_sellers_invoice(
    ctx, chain, ledger_credits, loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, hkd, shipper, buyer,
    financier, issuing_bank,
):  # fmt: skip
    """The security review's attack, both ways in, on the victim's invoice hash: a loan offer naming the attacker's
    own registry, whose hook that registry calls itself; and a credit naming another registry of the attacker's,
    which locks a bill of its own to the credit. Each claim holds only its fake registry's key, so the seller's
    genuine presentation of the invoice through the real registry goes through, and a second genuine financing of it
    through that registry is still refused."""
    attacker, accomplice, invoice = buyer, financier, fresh("victim invoice")
    on_board = chain.timestamp() - DAY
    # 1. through the loan contract: the fake registry "pledges" its own bill
    fake = fake_registry(ctx, attacker, "FakeLoanRegistry")
    decoy = fake_bill(fake, accomplice, on_board)
    now = chain.timestamp()
    offered = LoanTerms(
        borrower=accomplice.address,
        registry=fake.address,
        bill_id=decoy,
        invoice_hash=invoice,
        token=hkd.address,
        principal=1,
        interest=0,
        maturity=now + 90 * DAY,
        offer_expiry=now + DAY,
    )
    hkd.approve(loans.address, 1, sender=attacker)
    attack = loans.offer(offered, sender=attacker)
    fake.contract.transact(attacker, "forgeCallback", loans.address, accomplice.address, decoy, pledge_data(attack))
    assert fin_ledger.invoice_claim(fake.address, invoice).financing_id == financing_id(attack)
    # 2. through the credit contract: a credit naming another fake registry, presented with the invoice
    fake_too = fake_registry(ctx, attacker, "FakeCreditRegistry")
    fake_too.authorise_locker(ledger_credits.address, sender=attacker)
    rigged = open_on_ledger(registry=fake_too.address, beneficiary=accomplice.address)
    decoy_too = fake_bill(fake_too, accomplice, on_board)
    held = ledger_credits.present(fake_too, decoy_too, rigged, AMOUNT, documents(invoice), sender=accomplice)
    claim = fin_ledger.invoice_claim(fake_too.address, invoice)
    assert (claim.claimant, claim.financing_id) == (ledger_credits.address, credit_financing_id(rigged, held))
    assert fin_ledger.invoice_claim(bills.registry.address, invoice) is None and fin_ledger.financed_by(invoice) is None
    # the seller presents its invoice through the real registry
    credit_id, bill = open_on_ledger(), fresh_bill()
    pid = ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper)
    assert ledger_credits.claimed_invoice(credit_id, pid) == invoice  # the raw hash, as before
    assert claims(fin_ledger, bills, bill, invoice)[1].financing_id == credit_financing_id(credit_id, pid)
    # ... once: a loan on the same invoice through the same registry is still refused
    loan_id = pledge(loans, fresh_bill(), invoice, accept=False)
    with pytest.raises(AlreadyFinanced, match=f"invoice 0x{invoice.hex()} under registry {bills.registry.address}"):
        loans.accept(loan_id, bills.registry, sender=shipper)
    with pytest.raises(errors.LedgerAlreadyFinanced) as caught:
        loans.accept(loan_id, bills.registry, sender=shipper, check_financing=False)
    assert caught.value.arguments == {
        "key": invoice_key(bills.registry.address, invoice),
        "kind": ClaimKind.INVOICE,
        "claimant": ledger_credits.address,
        "financingId": credit_financing_id(credit_id, pid),
    }
    # the seller's presentation settles and clears only its own claim
    ledger_credits.honour(credit_id, pid, sender=issuing_bank)
    assert claims(fin_ledger, bills, bill, invoice) == (None, None)
    assert fin_ledger.invoice_claim(fake.address, invoice).claimant == loans.address


# ------------------------------------------------------------------------------------- across known ledgers


def test_an_invoice_financed_under_another_known_ledger_blocks_a_presentation(
    chain, ledger_credits, other_loans, other_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, financier
):
    invoice = fresh("invoice")
    loan_id = pledge(other_loans, fresh_bill(), invoice)
    credit_id, bill = open_on_ledger(), fresh_bill()
    untouched = nothing_sent(chain, shipper)
    with pytest.raises(AlreadyFinanced) as precheck:
        ledger_credits.present(bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper)
    assert untouched()
    exc = precheck.value
    assert (exc.ledger, exc.claim.claimant) == (other_ledger.address, other_loans.address)
    assert exc.holder == financier.address
    assert "CreditOtherFinancingLedger" in str(exc)
    # the credit's own ledger knows nothing of it: on chain the presentation would go through
    pid = ledger_credits.present(
        bills.registry, bill, credit_id, AMOUNT, documents(invoice), sender=shipper, check_financing=False
    )
    assert ledger_credits.claimed_invoice(credit_id, pid) == invoice
    assert other_loans.loan(loan_id).status is LoanStatus.ACTIVE


def test_an_invoice_presented_under_a_credit_blocks_a_loan_on_another_known_ledger(
    chain, ledger_credits, other_loans, fin_ledger, open_on_ledger, fresh_bill, bills, pledge, shipper, hkd
):
    credit_id, invoice = open_on_ledger(), fresh("invoice")
    ledger_credits.present(bills.registry, fresh_bill(), credit_id, AMOUNT, documents(invoice), sender=shipper)
    loan_id = pledge(other_loans, fresh_bill(), invoice, accept=False)
    untouched = nothing_sent(chain, shipper)
    with pytest.raises(AlreadyFinanced) as precheck:
        other_loans.accept(loan_id, bills.registry, sender=shipper)
    assert untouched()
    assert (precheck.value.ledger, precheck.value.claim.claimant) == (fin_ledger.address, ledger_credits.address)


def test_after_settlement_an_invoice_may_be_financed_under_another_ledger(
    ledger_credits, other_loans, open_on_ledger, fresh_bill, bills, pledge, shipper, issuing_bank
):
    credit_id, invoice = open_on_ledger(), fresh("invoice")
    pid = ledger_credits.present(bills.registry, fresh_bill(), credit_id, AMOUNT, documents(invoice), sender=shipper)
    ledger_credits.honour(credit_id, pid, sender=issuing_bank)
    assert other_loans.status(pledge(other_loans, fresh_bill(), invoice)) is LoanStatus.ACTIVE


def test_the_check_needs_the_deployment_book(ledger_credits, open_on_ledger, fresh_bill, bills, shipper):
    bare = DocumentaryCredit(ledger_credits.contract)
    with pytest.raises(errors.TradefinError, match="no deployment book"):
        bare.present(bills.registry, fresh_bill(), open_on_ledger(), AMOUNT, DOCUMENTS, sender=shipper)
