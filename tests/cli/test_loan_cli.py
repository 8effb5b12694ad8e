"""``tradefin loan``: a loan against a pledged eBL, offered, pledged and repaid from the command line."""

import json


def test_pledge_and_repay(ok, bill, hkd, day, invoice):
    ok("loan", "deploy", "--as", "deployer")
    out = ok(
        "loan", "offer", bill, "--principal", "100000.00", "--interest", "1500.00", "--maturity", day(90),
        "--offer-expiry", day(1), "--invoice", str(invoice), "--as", "financier",
    )  # fmt: skip
    assert out.startswith("offered loan 1: 100000.00 HKD") and "101500.00 HKD due" in out
    ok("money", "approve", "TitleLoan", "100000.00", "--as", "financier")
    ok("loan", "pledge", "1", "--as", "shipper")
    assert "100000.00 HKD" in ok("money", "balance", "shipper")
    shown = ok("loan", "show", "1")
    assert "active" in shown and "bill financed by" in shown and "invoice financed by" in shown
    ok("money", "mint", "shipper", "1500.00", "--as", "issuing_bank")
    ok("money", "approve", "TitleLoan", "101500.00", "--as", "shipper")
    ok("loan", "repay", "1", "--as", "shipper")
    record = json.loads(ok("loan", "show", "1", "--json"))
    assert record["loan"]["status"] == "REPAID" and record["bill_claim"] is None
    assert "1001500.00 HKD" in ok("money", "balance", "financier")
    assert json.loads(ok("bl", "history", bill, "--json"))[-1]["action"] == "released"
