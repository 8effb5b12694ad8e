"""``tradefin lc``: a documentary credit from request to honour, every act from the command line."""

import json


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
