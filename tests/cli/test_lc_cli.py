"""``tradefin lc``: a documentary credit from request to honour, and the financing ledger it shares with loans."""

import json

import pytest


def test_a_credit_from_request_to_honour(ok, bill, hkd, day, invoice):
    ok("lc", "deploy")
    assert "Shanghai" in ok("lc", "calendar", "--as", "issuing_bank", "--city", "shanghai")
    out = ok(
        "lc", "request", "--amount", "486000.00", "--expiry", day(60), "--latest-shipment", day(30),
        "--advising-bank", "advising_bank", "--document", "COMMERCIAL_INVOICE",
    )  # fmt: skip
    assert out.startswith("requested credit 1 for 486000.00 HKD")
    ok("money", "approve", "DocumentaryCredit", "486000.00", "--as", "buyer")
    ok("lc", "issue", "1", "--as", "issuing_bank")
    ok("lc", "advise", "1", "--as", "advising_bank")
    out = ok("lc", "present", "1", bill, "486000.00", "--document", f"COMMERCIAL_INVOICE={invoice}", "--as", "shipper")
    assert out.startswith("credit 1: presentation 1 of bill")
    assert "presented" in ok("lc", "show", "1")
    ok("lc", "honour", "1", "1", "--as", "issuing_bank")
    assert "486000.00 HKD" in ok("money", "balance", "shipper")
    shown = ok("lc", "show", "1")
    assert "issued, advised" in shown and "1: bill" in shown and "honoured" in shown
    record = json.loads(ok("lc", "show", "1", "--json"))
    assert record["ledger"]["drawn"] == 48_600_000 and record["presentations"][0]["state"] == "HONOURED"


def test_the_issuing_bank_amends_on_the_applicants_instruction(ok, cli, bill, hkd, day):
    ok("lc", "deploy")
    _issued_credit(ok, day)
    ok("money", "approve", "DocumentaryCredit", "1000000.00", "--as", "buyer")  # an allowance left on the contract
    code, _, err = cli("lc", "amend", "1", "--amount", "600000.00")
    assert code == 1 and err.startswith("error: CreditAmendmentNotInstructed(creditId=1)") and err.count("\n") == 1
    assert "486000.00 HKD" in ok("money", "balance", "DocumentaryCredit")
    out = ok("lc", "instruct-amendment", "1", "--amount", "600000.00", "--expiry", day(90))
    assert out.startswith("amendment instructed: credit 1 (tx 0x")
    assert "instruction      an amendment the applicant instructed" in ok("lc", "show", "1")
    code, _, err = cli("lc", "amend", "1", "--amount", "600000.00")  # not the instructed expiry
    assert code == 1 and err.startswith("error: CreditAmendmentNotInstructed(creditId=1)") and err.count("\n") == 1
    assert ok("lc", "amend", "1", "--amount", "600000.00", "--expiry", day(90)) == "credit 1: amendment 1 proposed\n"
    assert "600000.00 HKD" in ok("money", "balance", "DocumentaryCredit")
    assert json.loads(ok("lc", "show", "1", "--json"))["amendment_instruction"] is None
    ok("lc", "instruct-amendment", "1", "--latest-shipment", day(20))
    ok("lc", "withdraw-amendment-instruction", "1")
    code, _, err = cli("lc", "withdraw-amendment-instruction", "1")
    assert code == 1 and err.startswith("error: CreditAmendmentNotInstructed(creditId=1)") and err.count("\n") == 1


# -- the financing ledger: one live financing per bill and invoice, shared with ``loan deploy`` ---------------------


def _at(out: str, name: str) -> str:
    """The address of the ``NAME at 0x...`` line of a deploy's output."""
    return next(line.split()[2] for line in out.splitlines() if line.startswith(f"{name} at "))


def _recorded(deployments_dir, chain) -> dict:
    path = deployments_dir / f"{chain.chain_id}.json"
    return json.loads(path.read_text())["deployments"] if path.exists() else {}


def _issue_bill(ok, day, tmp_path, reference: str) -> str:
    """Another to-order bill issued to the shipper (the ``bill`` fixture's registry); its id."""
    document = json.loads(ok("bl", "sample", "--reference", reference))
    document["shippedOnBoardDate"] = document["issueDate"] = day(0)
    path = tmp_path / f"{reference}.json"
    path.write_text(json.dumps(document))
    return ok("bl", "issue", str(path), "--to", "shipper").split()[2]


def _issued_credit(ok, day) -> None:
    """Credit 1 for HKD 486,000.00 (commercial invoice required), issued on the deployed credit contract."""
    ok("lc", "calendar", "--as", "issuing_bank", "--city", "shanghai")
    ok(
        "lc", "request", "--amount", "486000.00", "--expiry", day(60), "--latest-shipment", day(30),
        "--document", "COMMERCIAL_INVOICE",
    )  # fmt: skip
    ok("money", "approve", "DocumentaryCredit", "486000.00", "--as", "buyer")
    ok("lc", "issue", "1", "--as", "issuing_bank")


def _offered_loan(ok, day, bill, invoice) -> None:
    """Loan 1 of HKD 100,000.00 against ``bill`` and ``invoice``, offered and approved (not yet pledged)."""
    ok(
        "loan", "offer", bill, "--principal", "100000.00", "--maturity", day(90), "--offer-expiry", day(1),
        "--invoice", str(invoice), "--as", "financier",
    )  # fmt: skip
    ok("money", "approve", "TitleLoan", "100000.00", "--as", "financier")


def test_deploy_help_lists_the_ledger_options(ok):
    out = ok("lc", "deploy", "--help")
    assert "--financing-ledger NAME|ADDRESS|none" in out and "--ledger-admin" in out and "loan deploy" in out


def test_default_deploy_makes_the_shared_ledger_and_authorises_the_credit(ok, bill, ctx, deployer):
    from tradefin.finance.credit import DocumentaryCredit
    from tradefin.finance.ledger import FinancingLedger

    out = ok("lc", "deploy")
    ledger, credit = _at(out, "FinancingLedger"), _at(out, "DocumentaryCredit")
    assert "lets the credit claim bills and invoices (granted by deployer)" in out
    book = FinancingLedger.at(ctx, ledger)
    assert book.is_authorised(credit) and book.contract.call("defaultAdmin") == deployer.address
    assert DocumentaryCredit.at(ctx, credit).financing_ledger == ledger
    again = ok("lc", "deploy")  # everything reused, nothing granted twice
    assert _at(again, "FinancingLedger") == ledger and _at(again, "DocumentaryCredit") == credit
    assert "granted" not in again and "replaces" not in again
    loan_out = ok("loan", "deploy", "--as", "deployer")  # the same admin: loan deploy reuses it too
    assert _at(loan_out, "FinancingLedger") == ledger and book.is_authorised(_at(loan_out, "TitleLoan"))


def test_loan_deploy_then_lc_deploy_share_one_ledger(ok, bill, ctx, financier):
    from tradefin.finance.ledger import FinancingLedger

    loan_out = ok("loan", "deploy")  # the financier deploys and administers the ledger
    out = ok("lc", "deploy")  # --as deployer: the grant is signed by the ledger's admin
    ledger = _at(loan_out, "FinancingLedger")
    assert _at(out, "FinancingLedger") == ledger and "(granted by financier)" in out
    book = FinancingLedger.at(ctx, ledger)
    assert book.contract.call("defaultAdmin") == financier.address
    assert book.is_authorised(_at(out, "DocumentaryCredit")) and book.is_authorised(_at(loan_out, "TitleLoan"))
    assert ok("lc", "deploy", "--financing-ledger", ledger).splitlines() == out.splitlines()[:3]  # by address


def test_lc_deploy_then_loan_deploy_share_one_ledger(ok, bill):
    ledger = _at(ok("lc", "deploy"), "FinancingLedger")
    assert _at(ok("loan", "deploy"), "FinancingLedger") == ledger


def test_a_bill_and_invoice_pledged_for_a_loan_cannot_be_presented(
    ok, cli, bill, hkd, day, invoice, tmp_path, ctx, shipper, session_chain, deployments_dir
):
    from tradefin.cli.money_cmd import hash32
    from tradefin.ebl.registry import TitleRegistry
    from tradefin.errors import ContractRevert
    from tradefin.finance.credit import COMMERCIAL_INVOICE, DocumentaryCredit

    ok("loan", "deploy")
    credit = _at(ok("lc", "deploy"), "DocumentaryCredit")
    _offered_loan(ok, day, bill, invoice)
    ok("loan", "pledge", "1", "--as", "shipper")
    _issued_credit(ok, day)
    code, _, err = cli("lc", "present", "1", bill, "486000.00", "--document", f"COMMERCIAL_INVOICE={invoice}")
    assert code == 1 and err.startswith(f"error: bill {bill} of registry") and err.count("\n") == 1
    assert "is already financed: ledger FinancingLedger" in err and "claim by TitleLoan" in err
    other = _issue_bill(ok, day, tmp_path, "OTCLSHA-CLI-2")  # another bill, the same invoice
    code, _, err = cli("lc", "present", "1", other, "486000.00", "--document", f"COMMERCIAL_INVOICE={invoice}")
    assert code == 1 and err.startswith("error: invoice 0x") and "invoice claim by TitleLoan" in err
    assert err.count("\n") == 1
    # Past the client's check, the credit contract's own claim in the shared ledger undoes the presentation.
    registry = TitleRegistry.at(ctx, _recorded(deployments_dir, session_chain)["TitleRegistry:EBL"]["address"])
    docs = {COMMERCIAL_INVOICE: hash32(str(invoice), "invoice")}
    with pytest.raises(ContractRevert, match="LedgerAlreadyFinanced"):
        DocumentaryCredit.at(ctx, credit).present(
            registry, int(other, 16), 1, 48_600_000, docs, sender=shipper, check_financing=False
        )


def test_an_invoice_presented_under_the_credit_cannot_back_a_loan(ok, cli, bill, hkd, day, invoice, tmp_path):
    ok("lc", "deploy")
    ok("loan", "deploy", "--as", "deployer")
    _issued_credit(ok, day)
    ok("lc", "present", "1", bill, "486000.00", "--document", f"COMMERCIAL_INVOICE={invoice}", "--as", "shipper")
    other = _issue_bill(ok, day, tmp_path, "OTCLSHA-CLI-2")
    _offered_loan(ok, day, other, invoice)
    code, _, err = cli("loan", "pledge", "1", "--as", "shipper")
    assert code == 1 and err.startswith("error: invoice 0x") and err.count("\n") == 1
    assert "invoice claim by DocumentaryCredit" in err and "held for" in err


def test_without_a_ledger_nothing_stops_the_same_invoice_backing_a_loan(
    ok, bill, hkd, day, invoice, tmp_path, ctx, session_chain, deployments_dir
):
    from tradefin.ebl.types import ZERO_ADDRESS
    from tradefin.finance.credit import DocumentaryCredit

    out = ok("lc", "deploy", "--financing-ledger", "none")
    assert "no financing ledger" in out and "no duplicate-financing protection" in out
    assert "FinancingLedger at" not in out and "FinancingLedger" not in _recorded(deployments_dir, session_chain)
    assert DocumentaryCredit.at(ctx, _at(out, "DocumentaryCredit")).financing_ledger == ZERO_ADDRESS
    ok("loan", "deploy", "--as", "deployer")
    _issued_credit(ok, day)
    ok("lc", "present", "1", bill, "486000.00", "--document", f"COMMERCIAL_INVOICE={invoice}", "--as", "shipper")
    other = _issue_bill(ok, day, tmp_path, "OTCLSHA-CLI-2")
    _offered_loan(ok, day, other, invoice)
    ok("loan", "pledge", "1", "--as", "shipper")  # the duplicate the shared ledger refuses goes through


@pytest.mark.parametrize(
    ("ledger", "message"),
    [
        pytest.param("NoSuchLedger", "nothing named 'NoSuchLedger' on chain", id="unknown-name"),
        pytest.param("FinancingLedger", "nothing named 'FinancingLedger' on chain", id="default-name-explicit"),
        pytest.param("BankingCalendar", "BankingCalendar is a BankingCalendar deployment, not a", id="not-a-ledger"),
        pytest.param("registry", "is not a FinancingLedger (it does not answer", id="contract-not-a-ledger"),
        pytest.param("0x000000000000000000000000000000000000dEaD", "no contract at 0x", id="no-code"),
        pytest.param("0x1234", "not an address: 0x1234", id="malformed-address"),
    ],
)
def test_a_bad_ledger_is_one_line_and_deploys_nothing(ok, cli, bill, ledger, message, session_chain, deployments_dir):
    ok("lc", "deploy", "--financing-ledger", "none")  # records a BankingCalendar (and a credit without ledger)
    before = _recorded(deployments_dir, session_chain)
    if ledger == "registry":
        ledger = before["TitleRegistry:EBL"]["address"]
    code, out, err = cli("lc", "deploy", "--financing-ledger", ledger)
    assert code != 0 and err.startswith("error: ") and message in err and err.count("\n") == 1, err
    assert out == "" and _recorded(deployments_dir, session_chain) == before


def test_the_ledger_admin_must_be_able_to_grant(ok, cli, bill, session_chain, deployments_dir):
    ok("loan", "deploy", "--as", "financier")
    before = _recorded(deployments_dir, session_chain)
    code, out, err = cli("lc", "deploy", "--ledger-admin", "issuing_bank")
    assert code == 1 and err.count("\n") == 1 and out == "" and _recorded(deployments_dir, session_chain) == before
    assert "issuing_bank (0x" in err and "cannot grant the credit contract FINANCE_ROLE" in err and "(financier)" in err
    code, out, err = cli("lc", "deploy", "--ledger-admin", "issuing_bank", "--as", "financier")
    assert code == 1 and out == "" and "cannot grant" in err  # an explicit --ledger-admin is not second-guessed
    code, out, err = cli("lc", "deploy", "--financing-ledger", "Other", "--ledger-admin", "carrier")
    assert code == 1 and out == "" and "nothing named 'Other'" in err
    assert "(granted by financier)" in ok("lc", "deploy", "--ledger-admin", "financier")


def test_a_new_ledger_is_administered_by_the_deployer(cli, bill, session_chain, deployments_dir):
    before = _recorded(deployments_dir, session_chain)
    code, out, err = cli("lc", "deploy", "--ledger-admin", "financier")
    assert code == 1 and out == "" and err.count("\n") == 1 and _recorded(deployments_dir, session_chain) == before
    assert "this deploys it with --as deployer as admin, which --ledger-admin financier is not" in err
