"""``tradefin data``: the owner anchors, grants and revokes, the financier requests, the store audits; bad input is
one line."""

import datetime as dt
import json

import pytest

from tradefin.cli.data_cmd import data_group
from tradefin.cli.main import cli as root
from tradefin.cli.main import main

from .conftest import INVOICE


@pytest.fixture
def cli(capsys, project, monkeypatch, session_chain, tmp_path):
    """``cli(*argv) -> (code, out, err)`` against the session chain; store and key file in a temp folder."""
    root.add_command(data_group)  # until the group is registered in tradefin.cli.commands
    monkeypatch.chdir(project.root)
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: tmp_path / "deployments"))
    monkeypatch.setenv("TRADEFIN_DATA_STORE", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("TRADEFIN_DATA_KEY_FILE", str(tmp_path / "store.key"))
    monkeypatch.delenv("TRADEFIN_DATA_KEY", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        offline = argv[1] in ("keygen", "audit") or "--help" in argv
        code = main(list(argv) if offline else [*argv, "--rpc-url", session_chain.rpc_url])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def ok(cli):
    def run(*argv: str) -> str:
        code, out, err = cli(*argv)
        assert code == 0, f"{argv}: {err}"
        return out

    return run


@pytest.fixture
def anchored(ok, tmp_path):
    """Key made, contracts deployed, the shipper's invoice anchored and stored; (file, hash)."""
    ok("data", "keygen", str(tmp_path / "store.key"))
    ok("data", "deploy")
    path = tmp_path / "invoice.txt"
    path.write_bytes(INVOICE + b"cli\n")
    out = ok("data", "anchor", str(path), "--type", "invoice")
    return path, out.split()[2]


def _tomorrow(session_chain) -> str:
    return dt.datetime.fromtimestamp(session_chain.timestamp() + 86_400, dt.UTC).date().isoformat()


def test_anchor_grant_request_revoke_audit(ok, cli, anchored, tmp_path, session_chain):
    path, digest = anchored
    assert INVOICE not in (tmp_path / "store.sqlite").read_bytes()
    out = ok("data", "grant", "financier", str(path), "--purpose", "TRADE_FINANCE", "--until", _tomorrow(session_chain))
    assert out.startswith("granted financier 1 document(s) for TRADE_FINANCE")
    served = tmp_path / "served.txt"
    out = ok("data", "request", "shipper", digest, "--purpose", "TRADE_FINANCE", "--out", str(served))
    assert served.read_bytes() == path.read_bytes() and out.startswith(f"served {digest}")
    ok("data", "revoke", "financier", "--purpose", "TRADE_FINANCE")
    code, _, err = cli("data", "request", "shipper", digest, "--purpose", "TRADE_FINANCE", "--out", str(served))
    assert code == 1 and "the owner revoked the consent" in err and err.count("\n") == 1
    entries = json.loads(ok("data", "audit", "--json", "--verify"))
    assert [(e["outcome"], e["reason"]) for e in entries] == [("granted", "served"), ("refused", "consent-revoked")]
    assert "signed request, nonce 0x" in entries[0]["detail"]  # the financier's EIP-712 request
    table = ok("data", "audit", "--outcome", "refused")
    assert "consent-revoked" in table and "served" not in table


def test_contract_errors_are_one_line(ok, cli, anchored):
    path, _ = anchored
    code, _, err = cli("data", "anchor", str(path), "--type", "invoice")  # the shipper anchored it already
    assert code == 1 and err.startswith("error: AnchorAlreadyExists(") and err.count("\n") == 1
    code, _, err = cli("data", "revoke", "financier", "--purpose", "TRADE_FINANCE")
    assert code == 1 and err.startswith("error: ConsentNotLive(")


def test_check_financing(ok, cli, anchored):
    ok("bl", "deploy")
    ledger = ok("loan", "deploy", "--as", "financier").split()[2]
    digest = anchored[1]
    out = ok("data", "check-financing", "0x01", "--invoice", digest, "--ledger", ledger)
    assert out.startswith("not financed: asked")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("data", "grant", "financier", "0x1234", "--purpose", "P", "--until", "2030-01-01"), "neither a 0x"),
        (("data", "grant", "financier", "0x" + "11" * 32, "--purpose", "x" * 33, "--until", "2030-01-01"), "--purpose"),
        (("data", "grant", "pirate", "0x" + "11" * 32, "--purpose", "P", "--until", "2030-01-01"), "unknown party"),
        (("data", "grant", "financier", "0x" + "11" * 32, "--purpose", "P", "--until", "soon"), "not a date"),
        (("data", "anchor", "missing.txt", "--type", "invoice"), "does not exist"),
        (("data", "request", "shipper", "0x" + "11" * 32, "--purpose", "P"), "cannot read the key file"),
        (("data", "audit", "--financier", "bob"), "not an address"),
        (("data", "check-financing", "nope"), "is not a bill id"),
    ],
)
def test_bad_input_is_one_line(cli, argv, message, tmp_path):
    (tmp_path / "store.sqlite").touch()
    cli("data", "deploy")
    code, _, err = cli(*argv)
    assert code != 0 and message in err and "Traceback" not in err and err.count("\n") == 1


def test_request_without_consent_is_refused(ok, cli, anchored):
    code, _, err = cli("data", "request", "shipper", anchored[1], "--purpose", "TRADE_FINANCE")
    assert code == 1 and "no consent for this financier and purpose" in err
