"""``tradefin bridge ...`` and ``tradefin dvp ...`` across the two ledgers, in-process: the happy paths, and errors
as one line with a non-zero exit."""

import json

import pytest

DAY = 86_400


def _pledge(ok, bill: str, *extra: str) -> str:
    out = ok("bridge", "pledge", bill, "--from", "shanghai", "--to", "hong-kong", "--recipient", "buyer", *extra)
    assert "pledged for" in out and "on shanghai" in out
    return out.split()[1]


def _advance(ledgers, seconds: int) -> None:
    target = max(chain.timestamp() for chain in ledgers.values()) + seconds
    for chain in ledgers.values():
        chain.set_next_block_timestamp(target)
        chain.mine()


def test_bridge_pledge_claim_confirm_by_hand(ok, sh_bill):
    pledge = _pledge(ok, sh_bill)
    status = ok("bridge", "status", pledge)
    assert "shanghai   pending" in status and "hong-kong  unclaimed" in status
    assert "claim: done with 3 signatures on hong-kong" in ok("bridge", "claim", pledge)
    assert "confirm: done with 3 signatures on shanghai" in ok("bridge", "confirm", pledge)
    status = ok("bridge", "status", pledge)
    assert "shanghai   confirmed" in status and "(locked by the bridge)" in status
    assert "hong-kong  claimed    bill active" in status


def test_bridge_relay_claims_and_confirms(ok, sh_bill, tmp_path):
    pledge = _pledge(ok, sh_bill)
    out = ok("bridge", "relay", "--journal", str(tmp_path / "relayer.sqlite"))
    assert f"claim of {pledge} landed" in out
    assert f"confirm of {pledge} landed" in out
    assert f"pledge {pledge} confirmed" in out and "relayer idle" in out
    assert "shanghai   confirmed" in ok("bridge", "status", pledge)
    again = ok("bridge", "relay", "--once", "--journal", str(tmp_path / "relayer.sqlite"))
    assert "landed" not in again


def test_bridge_reclaim_after_expiry(ok, fails, sh_bill, ledgers):
    pledge = _pledge(ok, sh_bill, "--hours", "1")
    assert "0 of 3 signatures (chain 31338 is at" in fails("bridge", "reclaim", pledge)  # members refuse: too early
    _advance(ledgers, 2 * 3600)
    assert "expired" in fails("bridge", "claim", pledge)
    assert "reclaim: done" in ok("bridge", "reclaim", pledge)
    assert "shanghai   reclaimed" in ok("bridge", "status", pledge)


def test_delivery_versus_payment_by_hand(ok, fails, run, sh_bill, ledgers, tmp_path):
    hk = ledgers["hong-kong"].rpc_url

    def on_hk(*argv: str) -> str:
        code, out, err = run(*argv, "--rpc-url", hk, urls=False)
        assert code == 0, err
        return out

    on_hk("money", "deploy", "--as", "collecting_bank", "--currency", "HKD")
    on_hk("money", "mint", "buyer", "486000.00", "--as", "collecting_bank")
    out = ok("dvp", "deploy")
    assert "shanghai (chain 31337): HashTimeLock at" in out and "may hold bills" in out
    terms, secret = str(tmp_path / "terms.json"), str(tmp_path / "secret.hex")
    files = ("--terms", terms, "--secret-file", secret)
    # the buyer cannot lock money before the terms exist; the seller cannot reveal before the money is locked
    assert "cannot read terms" in fails("dvp", "lock-money", "--terms", terms)
    out = ok("dvp", "lock-title", sh_bill, "--amount", "486000.00", *files)
    assert "locked for" in out and "on shanghai" in out
    assert json.loads((tmp_path / "terms.json").read_text())["amount"] == 48_600_000
    assert (tmp_path / "secret.hex").stat().st_mode & 0o077 == 0
    assert "exists already" in fails("dvp", "lock-title", sh_bill, "--amount", "1.00", *files)
    assert "no live money lock" in fails("dvp", "reveal", *files)
    assert "not revealed" in ok("dvp", "status", "--terms", terms)
    assert "486000.00 HKD locked for" in ok("dvp", "lock-money", "--terms", terms)
    assert "money  hong-kong  locked" in ok("dvp", "status", "--terms", terms)
    assert "no claim under hashlock" in fails("dvp", "claim", "--terms", terms)
    assert "secret revealed on hong-kong" in ok("dvp", "reveal", *files)
    assert "released to" in ok("dvp", "claim", "--terms", terms)
    status = ok("dvp", "status", "--terms", terms)
    assert "title  shanghai   claimed" in status and "money  hong-kong  claimed" in status
    assert "secret revealed on hong-kong" in status
    assert "0.00" in on_hk("money", "balance", "buyer")


def test_dvp_refund_after_the_timelocks(ok, fails, run, sh_bill, ledgers, tmp_path):
    run(
        "money",
        "deploy",
        "--as",
        "collecting_bank",
        "--currency",
        "HKD",
        "--rpc-url",
        ledgers["hong-kong"].rpc_url,
        urls=False,
    )
    ok("dvp", "deploy")
    terms = str(tmp_path / "terms.json")
    ok("dvp", "lock-title", sh_bill, "--amount", "1.00", "--terms", terms, "--secret-file", str(tmp_path / "s"))
    assert "HtlcNotExpired" in fails("dvp", "refund", "--side", "title", "--terms", terms)
    _advance(ledgers, 3 * DAY)
    assert "title lock refunded on shanghai" in ok("dvp", "refund", "--side", "title", "--terms", terms)
    assert "title  shanghai   refunded" in ok("dvp", "status", "--terms", terms)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("bridge", "status", "0x" + "11" * 32), "no bridge on shanghai"),
        (("bridge", "status", "0x1234"), "not a pledge id"),
        (("dvp", "lock-money", "--terms", "/nonexistent/terms.json"), "cannot read terms"),
        (("dvp", "lock-title", "0x01", "--amount", "1", "--title-hours", "24"), "must be longer"),
        (("dvp", "status", "--terms", "/nonexistent/terms.json"), "cannot read terms"),
    ],
)
def test_errors_are_one_line(fails, argv, message):
    assert message in fails(*argv)


def test_ledger_addressing_errors(fails, ledgers):
    sh = ledgers["shanghai"].rpc_url
    assert "missing hong-kong" in fails("bridge", "deploy", "--rpc-url", f"shanghai={sh}", urls=False)
    assert "unknown ledger 'tokyo'" in fails("bridge", "deploy", "--rpc-url", f"tokyo={sh}", urls=False)
    both = ("--rpc-url", f"shanghai={sh}", "--rpc-url", f"hong-kong={sh}")
    assert "both chain 31337" in fails("bridge", "deploy", *both, urls=False)
    assert "--state-dir is for local chains" in fails("bridge", "deploy", "--state-dir", "x")


def test_pledge_errors(ok, fails, sh_bill):
    assert "both shanghai" in fails("bridge", "pledge", sh_bill, "--from", "shanghai", "--to", "shanghai")
    assert "unknown ledger 'mars'" in fails("bridge", "pledge", sh_bill, "--from", "mars", "--to", "hong-kong")
    assert "no pledge" in fails("bridge", "claim", "0x" + "22" * 32)


def test_every_command_has_help(run):
    for group, commands in {
        "bridge": ("deploy", "pledge", "status", "claim", "confirm", "reclaim", "relay"),
        "dvp": ("deploy", "lock-title", "lock-money", "reveal", "claim", "refund", "status"),
    }.items():
        for command in commands:
            code, out, _ = run(group, command, "--help", urls=False)
            assert code == 0 and "Usage:" in out and "LEDGER=URL" in out
