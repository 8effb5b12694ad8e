"""``tradefin collection``: documents against payment from the command line."""

import json


def test_documents_against_payment(ok, cli, bill, hkd, day):
    ok("collection", "deploy", "--as", "collecting_bank")
    out = ok(
        "collection", "lodge", bill, "--amount", "486000.00", "--deadline", day(30),
        "--collecting-bank", "collecting_bank", "--reference", "OTCLSHA-CLI-1", "--as", "shipper",
    )  # fmt: skip
    assert out.startswith("lodged collection 1 (D/P 486000.00 HKD)")
    code, _, err = cli("collection", "pay", "1", "--as", "buyer")
    assert code == 1 and err.startswith("error: ERC20InsufficientAllowance(") and err.count("\n") == 1
    ok("money", "approve", "DocumentaryCollection", "486000.00", "--as", "buyer")
    ok("collection", "pay", "1", "--as", "buyer")
    assert "486000.00 HKD" in ok("money", "balance", "shipper")
    shown = ok("collection", "show", "1")
    assert "paid, D/P 486000.00 HKD" in shown and "advice of payment" in shown
    record = json.loads(ok("collection", "show", "1", "--json"))
    assert record["collection"]["status"] == "PAID" and record["collection"]["bill_id"] == bill
    history = json.loads(ok("bl", "history", bill, "--json"))
    assert history[-1]["beneficiary"] == history[-1]["holder"] == ok("money", "balance", "buyer").split()[1][:-1]
