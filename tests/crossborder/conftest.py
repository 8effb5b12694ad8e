"""Two ledgers for the two-ledger CLI: Shanghai is the plugin's session chain (31337), Hong Kong a second Anvil
(31338) declared as a dev chain for the commands that attach to it; both are snapshotted around every test."""

import json
from collections.abc import Iterator

import pytest

from tradefin.chain.local import start_local_chain
from tradefin.cli.main import main

HONG_KONG_CHAIN_ID = 31338


@pytest.fixture(scope="session")
def hk_ledger(project):
    chain = start_local_chain(project, chain_id=HONG_KONG_CHAIN_ID, name="hong-kong")
    yield chain
    chain.close()


@pytest.fixture
def ledgers(session_chain, hk_ledger) -> Iterator[dict]:
    """{ledger: chain}, both reverted after the test."""
    snapshots = {chain: chain.snapshot() for chain in (session_chain, hk_ledger)}
    yield {"shanghai": session_chain, "hong-kong": hk_ledger}
    for chain, snapshot in snapshots.items():
        chain.revert(snapshot)


@pytest.fixture
def run(capsys, project, monkeypatch, ledgers, tmp_path):
    """``run(*argv) -> (exit code, stdout, stderr)``: ``tradefin`` in-process, both ledgers by ``--rpc-url NAME=URL``
    (``url=False``: as given), deployments in a temporary folder."""
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("TRADEFIN_DEV_CHAIN_IDS", str(HONG_KONG_CHAIN_ID))
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: tmp_path / "deployments"))

    def invoke(*argv: str, urls: bool = True) -> tuple[int, str, str]:
        extra = [arg for name, chain in ledgers.items() for arg in ("--rpc-url", f"{name}={chain.rpc_url}")]
        code = main([*argv, *extra] if urls else list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def ok(run):
    def invoke(*argv: str) -> str:
        code, out, err = run(*argv)
        assert code == 0, f"{argv}: {err}"
        return out

    return invoke


@pytest.fixture
def fails(run):
    """``fails(*argv) -> stderr``, asserting a non-zero exit and one readable line (no traceback)."""

    def invoke(*argv: str, urls: bool = True) -> str:
        code, out, err = run(*argv, urls=urls)
        assert code != 0, f"{argv} succeeded: {out}"
        assert err.startswith("error: ") and "Traceback" not in err, err
        return err

    return invoke


@pytest.fixture
def sh_bill(ok, run, ledgers, tmp_path) -> str:
    """Registries and bridges deployed on both ledgers; a to-order bill issued to the shipper in Shanghai."""
    import datetime as dt

    ok("bridge", "deploy")
    code, out, _ = run("bl", "sample", "--reference", "OTCLSHA-XB-1", urls=False)
    document = json.loads(out)
    today = dt.datetime.fromtimestamp(ledgers["shanghai"].timestamp(), dt.UTC).date().isoformat()
    document["shippedOnBoardDate"] = document["issueDate"] = today
    path = tmp_path / "bill.json"
    path.write_text(json.dumps(document))
    code, out, err = run(
        "bl", "issue", str(path), "--to", "shipper", "--rpc-url", ledgers["shanghai"].rpc_url, urls=False
    )
    assert code == 0, err
    return out.split()[2]
