"""Keys and secrets: dev keys refused off dev chains, keystore passwords never echoed, no secret in any output.

A second Anvil runs with chain id 4242. Started by tradefin it is a dev chain; attached by URL (as a node someone
else runs) it is not, unless ``TRADEFIN_DEV_CHAIN_IDS`` declares it. Then the demo, a data-sharing round with an
encrypted store and keystore-signed commands run with DEBUG logging to a file, and every file they produce (journal
SQLite pages, reports, log, document store, deployment book), and everything printed, is searched for every private
key in use, every keystore password and the store's AES key.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from tradefin.chain.accounts import DEV_ACCOUNT_COUNT, DEV_MNEMONIC, ROLES, dev_account, guard_dev_key
from tradefin.chain.connection import connect
from tradefin.chain.local import start_local_chain
from tradefin.cli.main import main
from tradefin.context import Context
from tradefin.errors import AccountError, KeyRefused

FOREIGN_CHAIN_ID = 4242
PASSWORD = "Correct-Horse-7f3a-Battery"
OTHER_PASSWORD = "Tr0ub4dor&3-9c1e"
TRADEFIN = str(Path(sys.executable).with_name("tradefin"))


def write_keystore(path: Path, password: str, account: LocalAccount | None = None) -> LocalAccount:
    """A keystore file (scrypt with a small work factor: these tests decrypt it often)."""
    account = account or Account.create()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(Account.encrypt(account.key, password, iterations=2**10)))
    path.chmod(0o600)
    return account


@pytest.fixture(scope="module")
def foreign(project) -> Iterator[Any]:
    """An Anvil with chain id 4242 (started by tradefin, so dev for its own handle)."""
    chain = start_local_chain(project, chain_id=FOREIGN_CHAIN_ID, name="foreign")
    yield chain
    chain.close()


@pytest.fixture
def clean_env(monkeypatch, project, tmp_path) -> Path:
    """No tradefin settings from the environment; deployments recorded in a temp folder; the folder."""
    for name in list(os.environ):
        if name.startswith("TRADEFIN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(project.root)
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: tmp_path / "deployments"))
    return tmp_path


def nonces(chain: Any, addresses: list[str]) -> list[int]:
    return [int(chain.rpc("eth_getTransactionCount", [a, "latest"]), 16) for a in addresses]


DEV = [dev_account(i) for i in range(DEV_ACCOUNT_COUNT)]


# -- (a) dev keys refused on any non-dev chain --------------------------------------------------------------------


def test_what_counts_as_a_dev_chain(foreign, clean_env, monkeypatch):
    assert foreign.is_dev  # tradefin started it
    attached = connect(foreign.rpc_url)
    assert attached.chain_id == FOREIGN_CHAIN_ID and not attached.is_dev
    monkeypatch.setenv("TRADEFIN_DEV_CHAIN_IDS", f"1, {FOREIGN_CHAIN_ID}")
    assert connect(foreign.rpc_url).is_dev


@pytest.mark.parametrize("chain_id", [1, 10, 137, 8453, 11155111, FOREIGN_CHAIN_ID])
def test_every_dev_key_is_refused_off_dev_chains(chain_id):
    from tradefin.chain.connection import declared_dev_chain_ids

    for account in DEV:
        with pytest.raises(KeyRefused, match="well-known development key"):
            guard_dev_key(account.address, chain_id, declared_dev_chain_ids())


def test_sdk_refuses_dev_keys_on_a_non_dev_chain(foreign, clean_env, project):
    tmp = clean_env
    with Context.create(project, rpc_url=foreign.rpc_url, deployments_dir=tmp / "d", keystore_dir=tmp / "ks") as ctx:
        before = nonces(foreign, [a.address for a in DEV])
        for role in ROLES:
            with pytest.raises(AccountError, match="dev keys are refused"):
                ctx.accounts[role]
        with pytest.raises(KeyRefused):  # a dev key handed to the transaction layer directly
            ctx.transactor.send(DEV[2], to=DEV[3].address, value=1)
        with pytest.raises(KeyRefused):
            ctx.deployments.deploy(DEV[0], "RevertProbe")
        assert nonces(foreign, [a.address for a in DEV]) == before


def test_sdk_refuses_a_dev_key_even_from_a_keystore(foreign, clean_env, project, monkeypatch):
    tmp = clean_env
    write_keystore(tmp / "ks" / "carrier.json", PASSWORD, DEV[1])
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", PASSWORD)
    with (
        Context.create(project, rpc_url=foreign.rpc_url, deployments_dir=tmp / "d", keystore_dir=tmp / "ks") as ctx,
        pytest.raises(KeyRefused, match="well-known development key"),
    ):
        ctx.accounts["carrier"]


def test_a_real_key_signs_on_the_non_dev_chain(foreign, clean_env, project, monkeypatch):
    tmp = clean_env
    real = write_keystore(tmp / "ks" / "carrier.json", PASSWORD)
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", PASSWORD)
    foreign.set_balance(real.address, 10**18)
    with Context.create(project, rpc_url=foreign.rpc_url, deployments_dir=tmp / "d", keystore_dir=tmp / "ks") as ctx:
        carrier = ctx.accounts["carrier"]
        assert carrier.address == real.address
        assert ctx.deployments.deploy(carrier, "RevertProbe").address


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("bl", "deploy"), "no key for role carrier on chain 4242: dev keys are refused"),
        (("deploy", "RevertProbe"), "no key for role deployer on chain 4242"),
        (("money", "deploy", "--currency", "HKD"), "no key for role issuing_bank on chain 4242"),
    ],
    ids=["bl-deploy", "deploy", "money-deploy"],
)
def test_cli_refuses_dev_keys_on_a_non_dev_chain(argv, says, foreign, clean_env, capsys):
    before = nonces(foreign, [a.address for a in DEV])
    code = main([*argv, "--rpc-url", foreign.rpc_url])
    _, err = capsys.readouterr()
    assert code == 1 and err.startswith("error: ") and says in err and err.count("\n") == 1
    assert nonces(foreign, [a.address for a in DEV]) == before


def test_cli_refuses_a_dev_key_from_a_keystore(foreign, clean_env, capsys, monkeypatch):
    path = clean_env / "carrier.json"
    write_keystore(path, PASSWORD, DEV[1])
    monkeypatch.setenv("TRADEFIN_KEYSTORE_CARRIER", str(path))
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", PASSWORD)
    code = main(["bl", "deploy", "--rpc-url", foreign.rpc_url])
    out, err = capsys.readouterr()
    assert code == 1 and "is a well-known development key and chain 4242 is not a dev chain" in err
    assert PASSWORD not in out + err


def test_cli_dev_keys_on_a_declared_dev_chain(foreign, clean_env, capsys, monkeypatch):
    monkeypatch.setenv("TRADEFIN_DEV_CHAIN_IDS", str(FOREIGN_CHAIN_ID))
    assert main(["deploy", "RevertProbe", "--rpc-url", foreign.rpc_url]) == 0, capsys.readouterr().err


# -- (b) keystore passwords never echoed ---------------------------------------------------------------------------


def test_the_password_prompt_is_hidden_input(foreign, clean_env, capsys, monkeypatch):
    path = clean_env / "carrier.json"
    real = write_keystore(path, PASSWORD)
    foreign.set_balance(real.address, 10**18)
    monkeypatch.setenv("TRADEFIN_KEYSTORE_CARRIER", str(path))
    prompts: list[str] = []

    def hidden(prompt: str = "Password: ", stream: Any = None) -> str:
        prompts.append(prompt)
        return PASSWORD

    import tradefin.chain.accounts as accounts

    monkeypatch.setattr(accounts.getpass, "getpass", hidden)
    code = main(["bl", "deploy", "--rpc-url", foreign.rpc_url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert prompts == ["Password for carrier.json: "]
    assert PASSWORD not in out + err


def test_a_wrong_password_is_not_repeated(foreign, clean_env, capsys, monkeypatch):
    path = clean_env / "carrier.json"
    write_keystore(path, PASSWORD)
    monkeypatch.setenv("TRADEFIN_KEYSTORE_CARRIER", str(path))
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", OTHER_PASSWORD)
    code = main(["bl", "deploy", "--rpc-url", foreign.rpc_url])
    out, err = capsys.readouterr()
    assert code == 1 and f"wrong password for keystore {path}" in err and err.count("\n") == 1
    assert OTHER_PASSWORD not in out + err and PASSWORD not in out + err


def test_typed_password_is_not_echoed_on_a_terminal(foreign, clean_env, project):
    """The real thing: ``tradefin`` on a pseudo-terminal, the password typed at its prompt; the terminal's
    transcript shows the prompt and not the password."""
    path = clean_env / "carrier.json"
    real = write_keystore(path, PASSWORD)
    foreign.set_balance(real.address, 10**18)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEFIN_")}
    env |= {"TRADEFIN_KEYSTORE_CARRIER": str(path), "TRADEFIN_PROJECT": str(project.root)}
    with process_book(project):
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal
            argv = [TRADEFIN, "deploy", "RevertProbe", "--fresh", "--as", "carrier", "--rpc-url", foreign.rpc_url]
            try:
                os.execve(TRADEFIN, argv, env)
            finally:
                os._exit(127)
        transcript, typed, status = converse(pid, fd, b"Password for carrier.json:", PASSWORD)
    text = transcript.decode(errors="replace")
    assert typed, text
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "RevertProbe at 0x" in text
    assert PASSWORD not in text


@contextmanager
def process_book(project: Any) -> Iterator[None]:
    """A ``tradefin`` process records what it deploys on chain 4242 in the project's ``deployments/4242.json``
    (it cannot see the tests' temporary book): deploy with ``--fresh`` and remove the file afterwards."""
    book = project.root / "deployments" / f"{FOREIGN_CHAIN_ID}.json"
    assert not book.exists(), f"{book} is not the tests' to overwrite"
    try:
        yield
    finally:
        book.unlink(missing_ok=True)


def converse(pid: int, fd: int, prompt: bytes, answer: str) -> tuple[bytes, bool, int]:
    """Read the child's terminal, type ``answer`` at ``prompt``; the transcript, whether it was typed, the status."""
    transcript = b""
    typed = False
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                transcript += chunk
            if not typed and prompt in transcript:
                os.write(fd, answer.encode() + b"\n")
                typed = True
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return transcript, typed, status


# -- (c) no secret in logs, reports or journals ---------------------------------------------------------------------


def secret_forms(secret: bytes | str) -> list[bytes]:
    """How a secret could show up in a file: raw bytes, hex in both cases with and without 0x, the text itself."""
    if isinstance(secret, str):
        return [secret.encode()]
    text = secret.hex()
    forms = [secret, text.encode(), text.upper().encode()]
    return forms + [b"0x" + f for f in forms[1:]]


def find_secrets(blobs: dict[str, bytes], secrets: dict[str, bytes | str]) -> list[str]:
    found = []
    for where, blob in blobs.items():
        for name, secret in secrets.items():
            if any(form in blob for form in secret_forms(secret)):
                found.append(f"{name} in {where}")
    return found


def test_secret_search_finds_what_it_looks_for():
    key = bytes(range(32))
    secrets: dict[str, bytes | str] = {"key": key, "password": PASSWORD}
    assert find_secrets({"a": b"..." + key + b"..."}, secrets) == ["key in a"]
    assert find_secrets({"b": b"x 0x" + key.hex().upper().encode()}, secrets) == ["key in b"]
    assert find_secrets({"c": f"pw={PASSWORD}".encode()}, secrets) == ["password in c"]
    assert find_secrets({"d": b"nothing"}, secrets) == []


@pytest.fixture
def debug_log(tmp_path) -> Iterator[Path]:
    """Every tradefin (and library) log record at DEBUG, to a file."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def test_no_secret_in_logs_reports_journals_or_output(
    foreign, session_chain, build, clean_env, project, monkeypatch, capsys, debug_log
):
    from rich.console import Console

    from tradefin.data.keys import StoreKey
    from tradefin.demo import run_demo

    tmp = clean_env
    out_dir = tmp / "out"
    out_dir.mkdir()
    monkeypatch.setattr(type(project), "reports_dir", property(lambda self: out_dir / "reports"))
    secrets: dict[str, bytes | str] = {f"dev key {i}": bytes(a.key) for i, a in enumerate(DEV)}
    secrets["dev mnemonic"] = DEV_MNEMONIC
    printed = io.StringIO()

    # 1. the demo's four trades on the session chain: journal, reports, timeline
    ctx = Context.on(project, session_chain, build, deployments_dir=out_dir / "deployments")
    result = run_demo(ctx, console=Console(file=printed, width=200), journal_path=out_dir / "demo-journal.sqlite")
    assert result.transactions > 20

    # 2. consented data sharing with an encrypted store, on the session chain, from the CLI
    key_file = tmp / "inputs" / "store.key"
    key_file.parent.mkdir()
    rpc = ["--rpc-url", session_chain.rpc_url]
    invoice = tmp / "inputs" / "invoice.txt"
    invoice.write_text("Commercial invoice HX-2025-0314: 1,200 LED monitors, HKD 486,000.00\n")
    store = ["--store", str(out_dir / "documents.sqlite"), "--key-file", str(key_file)]
    until = time.strftime("%Y-%m-%d", time.gmtime(session_chain.timestamp() + 30 * 86_400))
    steps = [
        ["-vv", "data", "keygen", str(key_file)],
        ["-vv", "data", "deploy", *rpc],
        ["-vv", "data", "anchor", str(invoice), "--type", "invoice", *store, *rpc],
        ["-vv", "data", "grant", "financier", str(invoice), "--purpose", "TRADE_FINANCE", "--until", until, *rpc],
        [
            "-vv",
            "data",
            "request",
            "shipper",
            str(invoice),
            "--purpose",
            "TRADE_FINANCE",
            "--out",
            str(out_dir / "served.txt"),
            *store,
            *rpc,
        ],
        ["-vv", "data", "audit", *store],
    ]
    for argv in steps:
        code = main(argv)
        out, err = capsys.readouterr()
        printed.write(out + err)
        assert code == 0, (argv, err)
    secrets["store key"] = StoreKey.from_file(key_file).secret()

    # 3. keystore-signed commands on the non-dev chain: one password from the environment, one typed
    carrier = write_keystore(tmp / "inputs" / "carrier.json", PASSWORD)
    shipper = write_keystore(tmp / "inputs" / "shipper.json", OTHER_PASSWORD)
    for account in (carrier, shipper):
        foreign.set_balance(account.address, 10**18)
    secrets |= {"carrier key": bytes(carrier.key), "shipper key": bytes(shipper.key)}
    secrets |= {"carrier password": PASSWORD, "shipper password": OTHER_PASSWORD}
    monkeypatch.setenv("TRADEFIN_KEYSTORE_CARRIER", str(tmp / "inputs" / "carrier.json"))
    monkeypatch.setenv("TRADEFIN_KEYSTORE_SHIPPER", str(tmp / "inputs" / "shipper.json"))
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", PASSWORD)
    monkeypatch.setenv("TRADEFIN_DATA_KEY", StoreKey.from_file(key_file).secret().hex())
    foreign_rpc = ["--rpc-url", foreign.rpc_url]
    document = json.loads(main_output(["bl", "sample"], capsys))
    bill_file = tmp / "inputs" / "bill.json"
    bill_file.write_text(json.dumps(document))
    for argv in (
        ["-vv", "bl", "deploy", *foreign_rpc],
        ["-vv", "bl", "issue", str(bill_file), "--to", carrier.address, *foreign_rpc],
        ["-vv", "bl", "transfer", "0x01", shipper.address, *foreign_rpc],  # refused: no such bill
        ["-vv", "data", "audit", "--store", str(out_dir / "documents.sqlite")],  # the key from the environment
    ):
        code = main(argv)
        out, err = capsys.readouterr()
        printed.write(out + err)
        assert code == (1 if argv[2] == "transfer" else 0), (argv, err)
    monkeypatch.delenv("TRADEFIN_KEYSTORE_PASSWORD")
    import tradefin.chain.accounts as accounts

    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt="", stream=None: OTHER_PASSWORD)
    code = main(["-vv", "bl", "transfer", "0x01", carrier.address, "--as", "shipper", *foreign_rpc])
    out, err = capsys.readouterr()
    printed.write(out + err)
    assert code == 1 and "no bill" in err

    # 4. the same secrets through a real process at -vv (its own logging set-up, stderr): a keystore key signing
    # with the password from the environment, the store key from the environment
    env = dict(os.environ) | {"TRADEFIN_KEYSTORE_PASSWORD": PASSWORD, "TRADEFIN_PROJECT": str(project.root)}
    with process_book(project):
        process = subprocess.run(
            [TRADEFIN, "-vv", "deploy", "RevertProbe", "--fresh", "--as", "carrier", *foreign_rpc],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert process.returncode == 0, process.stderr
    assert b"DEBUG tradefin.transactions" in process.stderr or b"DEBUG" in process.stderr
    process_bl = subprocess.run(
        [TRADEFIN, "-vv", "bl", "history", "0x01", "--registry", carrier.address, *foreign_rpc],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert process_bl.returncode == 1 and b"Traceback" not in process_bl.stderr

    blobs = {str(p.relative_to(tmp)): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    blobs["debug log"] = debug_log.read_bytes()
    blobs["printed"] = printed.getvalue().encode()
    blobs["process output"] = process.stdout + process.stderr + process_bl.stdout + process_bl.stderr
    produced = set(blobs)
    assert {"out/reports/settlement.html", "out/reports/settlement.json", "out/demo-journal.sqlite"} <= produced
    assert "out/documents.sqlite" in produced and b"DEBUG" in blobs["debug log"]
    assert b"sent " in blobs["debug log"]  # the transaction layer's DEBUG lines are in
    assert find_secrets(blobs, secrets) == []


def main_output(argv: list[str], capsys: Any) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out
