"""Bad input to the finance commands: one readable line on stderr, a non-zero exit, never a traceback."""

import pytest

from tradefin.cli.main import cli as root
from tradefin.cli.main import main
from tradefin.cli.money_cmd import AMOUNT, DATE, units

from .conftest import iso_day


@pytest.fixture(scope="module")
def requested(project, session_chain, tmp_path_factory):
    """Set up once for the module (and undone after it): the registry, the HKD token, the credit contract, the
    issuing bank's calendar and credit 1 requested. The deployments folder."""
    folder = tmp_path_factory.mktemp("cli-errors") / "deployments"
    snapshot = session_chain.snapshot()
    steps = [
        ("bl", "deploy"),
        ("money", "deploy", "--as", "issuing_bank", "--currency", "HKD"),
        ("money", "mint", "buyer", "1000000.00", "--as", "issuing_bank"),
        ("lc", "deploy"),
        ("lc", "calendar", "--as", "issuing_bank", "--city", "shanghai"),
        ("lc", "request", "--amount", "486000.00", "--expiry", iso_day(session_chain, 60), "--as", "buyer"),
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        patch.setattr(type(project), "deployments_dir", property(lambda self: folder))
        for argv in steps:
            assert main([*argv, "--rpc-url", session_chain.rpc_url]) == 0, argv
    yield folder
    session_chain.revert(snapshot)


@pytest.fixture
def deployments_dir(requested):
    return requested


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ("lc", "issue", "1", "--as", "advising_bank"),
            "error: CreditNotIssuingBank(creditId=1, caller=0x",
            id="wrong-role",
        ),
        pytest.param(("lc", "present", "1", "0x01", "12,5"), "not an amount: '12,5'", id="malformed-amount"),
        pytest.param(
            ("money", "mint", "buyer", "1.005", "--as", "issuing_bank"), "more than 2 decimals", id="too-precise"
        ),
        pytest.param(
            ("money", "mint", "0x1234", "1.00", "--as", "issuing_bank"), "not an address: 0x1234", id="bad-address"
        ),
        pytest.param(("money", "approve", "pirate", "1.00"), "unknown party 'pirate'", id="unknown-party"),
        pytest.param(
            ("lc", "request", "--amount", "1", "--expiry", "2030-01-01", "--as", "pirate"),
            "unknown role 'pirate'",
            id="unknown-role",
        ),
        pytest.param(("lc", "show", "7"), "no credit 7 on DocumentaryCredit", id="unknown-credit"),
        pytest.param(("lc", "honour", "one", "1"), "not an id: 'one'", id="malformed-id"),
        pytest.param(
            ("lc", "request", "--amount", "1.00", "--expiry", "2020-01-01"),
            "error: CreditExpiryInPast(expiry=1577923199",
            id="past-date",
        ),
        pytest.param(("lc", "amend", "1", "--expiry", "next week"), "not a date: 'next week'", id="malformed-date"),
        pytest.param(("lc", "refuse", "1", "1", "typo"), "unknown discrepancy 'typo'", id="unknown-discrepancy"),
        pytest.param(("collection", "show", "1"), "nothing named 'DocumentaryCollection'", id="not-deployed"),
    ],
)
def test_bad_input_is_one_line(cli, requested, argv, message):
    code, _, err = cli(*argv)
    assert code != 0 and message in err and err.startswith("error: ") and err.count("\n") == 1


def test_no_token_deployed_is_one_line(cli, tmp_path, monkeypatch, project):
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: tmp_path))
    code, _, err = cli("money", "balance", "buyer")
    assert code == 1 and "no deposit token deployed" in err and err.count("\n") == 1


@pytest.mark.parametrize("group", ["money", "lc", "collection", "loan"])
def test_every_command_has_help(capsys, group):
    main([group, "--help"])
    commands = root.commands[group].commands
    assert commands
    for name in commands:
        assert main([group, name, "--help"]) == 0
        assert "--as" in capsys.readouterr().out or name in ("show", "balance")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2025-06-30", 1751327999),  # a bare date: its last second, UTC
        ("2025-06-30T12:00", 1751284800),  # a naive datetime: UTC
        ("2025-06-30T12:00Z", 1751284800),
        ("2025-06-30T20:00+08:00", 1751284800),
        ("1751284800", 1751284800),
    ],
)
def test_dates(text, seconds):
    assert DATE.convert(text, None, None) == seconds


@pytest.mark.parametrize(("text", "minor"), [("486000.00", 48_600_000), ("486000", 48_600_000), ("0.5", 50)])
def test_amounts(text, minor):
    class Token:
        decimals, symbol = 2, "dHKD"

    assert units(Token(), AMOUNT.convert(text, None, None)) == minor
