"""The world the bad-input catalogue runs against, set up once for the package (and undone after it).

On the session chain: the carrier's registry with one to-order bill issued to the shipper, the issuing bank's HKD
deposit token (the buyer and the financier hold HKD 1,000,000.00), the credit contract and calendar with credit 1
requested by the buyer, the collection contract, the loan contract and ledger, the consent registry and anchors;
on disk: the bill's document, an invoice, a store key and a journal holding a run of another chain.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tradefin.chain.accounts import ROLES, dev_account
from tradefin.cli.main import main

DAY = 86_400
HONG_KONG_CHAIN_ID = 31338
NO_CODE = "0x00000000000000000000000000000000deadBEEF"
"""An address with no code on the session chain (a contract of another chain, say)."""


@dataclass(frozen=True)
class World:
    """What the catalogue's entries refer to by ``{name}`` placeholders."""

    folder: Path
    """Deployments recorded by the set-up (copied for each test)."""
    files: Path
    values: dict[str, str]
    hong_kong: Any
    """The second ledger (chain 31338) of the ``bridge`` and ``dvp`` commands; Shanghai is the session chain."""

    @property
    def ledger_urls(self) -> list[str]:
        return ["--rpc-url", f"shanghai={self.values['rpc']}", "--rpc-url", f"hong-kong={self.hong_kong.rpc_url}"]

    def fill(self, argv: tuple[str, ...]) -> list[str]:
        return [a.format(**self.values) for a in argv]


def iso_day(chain: Any, days: int) -> str:
    return dt.datetime.fromtimestamp(chain.timestamp() + days * DAY, dt.UTC).date().isoformat()


def run_cli(argv: list[str]) -> None:
    code = main(argv)
    assert code == 0, argv


@pytest.fixture(scope="package")
def hong_kong(project: Any) -> Iterator[Any]:
    from tradefin.chain.local import start_local_chain

    chain = start_local_chain(project, chain_id=HONG_KONG_CHAIN_ID, name="hong-kong")
    yield chain
    chain.close()


@pytest.fixture(scope="package")
def world(
    project: Any, session_chain: Any, hong_kong: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    root = tmp_path_factory.mktemp("badinput")
    folder, files = root / "deployments", root / "files"
    files.mkdir()
    snapshot, hk_snapshot = session_chain.snapshot(), hong_kong.snapshot()
    rpc = ["--rpc-url", session_chain.rpc_url]
    ledgers = ["--rpc-url", f"shanghai={session_chain.rpc_url}", "--rpc-url", f"hong-kong={hong_kong.rpc_url}"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        patch.setattr(type(project), "deployments_dir", property(lambda self: folder))
        patch.delenv("TRADEFIN_RPC_URL", raising=False)
        patch.delenv("TRADEFIN_LEDGER_URLS", raising=False)
        patch.setenv("TRADEFIN_DEV_CHAIN_IDS", str(HONG_KONG_CHAIN_ID))
        from tradefin.documents.examples import shanghai_hong_kong_bill

        document = json.loads(shanghai_hong_kong_bill(reference="OTCLSHA-BAD-1").to_dcsa_json())
        document["shippedOnBoardDate"] = document["issueDate"] = iso_day(session_chain, 0)
        bill_file = files / "bill.json"
        bill_file.write_text(json.dumps(document))
        other = dict(document, transportDocumentReference="OTCLSHA-BAD-2")
        (files / "unissued.json").write_text(json.dumps(other))
        (files / "malformed.json").write_text('{"transportDocumentReference": "X", "shippedOnBoardDate": "yesterday"}')
        (files / "broken.json").write_text("{not json")
        (files / "invoice.txt").write_text("Commercial invoice HX-2025-0314: 1,200 LED monitors, HKD 486,000.00\n")
        (files / "store.key").write_text("ab" * 32)
        (files / "short.key").write_text("ab" * 8)
        steps = [
            ("bl", "deploy"),
            ("bl", "issue", str(bill_file), "--to", "shipper"),
            ("money", "deploy", "--as", "issuing_bank", "--currency", "HKD"),
            ("money", "mint", "buyer", "1000000.00"),
            ("money", "mint", "financier", "1000000.00"),
            ("lc", "deploy"),
            ("lc", "calendar", "--as", "issuing_bank", "--city", "shanghai"),
            ("lc", "request", "--amount", "486000.00", "--expiry", iso_day(session_chain, 60), "--as", "buyer"),
            ("collection", "deploy"),
            ("loan", "deploy"),
            ("data", "deploy"),
        ]
        for argv in steps:
            run_cli([*argv, *rpc])
        run_cli(["money", "deploy", "--as", "issuing_bank", "--currency", "HKD", "--rpc-url", hong_kong.rpc_url])
        run_cli(["bridge", "deploy", *ledgers])
        run_cli(["dvp", "deploy", *ledgers])
        from tradefin.documents.canonical import document_hash
        from tradefin.documents.transport import TransportDocument
        from tradefin.flows import Journal

        bill = "0x" + document_hash(TransportDocument.from_dcsa(bill_file.read_text())).hex()
        journal = Journal(files / "journal.sqlite")
        journal.start_run("ebl-delivery", {}, 1)  # a run begun on chain 1
        journal.close()
        journal = Journal(files / "cross-border.sqlite")  # a cross-border run whose Hong Kong was chain 31339
        journal.start_run("bridge-and-settle", {"chain_ids": {"shanghai": 31337, "hong-kong": 31339}}, 31337)
        journal.close()
        records = json.loads((folder / f"{session_chain.chain_id}.json").read_text())["deployments"]
        hk_records = json.loads((folder / f"{HONG_KONG_CHAIN_ID}.json").read_text())["deployments"]
        from tradefin.chain.accounts import dev_account as dev

        terms = {
            "title_ledger": "shanghai",
            "money_ledger": "hong-kong",
            "token": next(r["address"] for n, r in hk_records.items() if n.startswith("DepositToken")),
            "seller": dev(2).address,
            "buyer": dev(3).address,
            "bill_id": bill,
            "amount": 100,
            "hashlock": "0x" + "cd" * 32,
            "title_timelock": session_chain.timestamp() + 2 * DAY,
            "money_timelock": session_chain.timestamp() + DAY,
        }
        (files / "terms.json").write_text(json.dumps(terms))
        (files / "terms-malformed.json").write_text(json.dumps(dict(terms, bill_id="bill seven")))
        (files / "secret.hex").write_text("0x" + "ef" * 32 + "\n")
        (files / "secret-malformed.hex").write_text("not hex\n")
        values = {
            "files": str(files),
            "bill": bill,
            "unknown_bill": "0x" + "ab" * 32,
            "no_code": NO_CODE,
            "zero": "0x" + "00" * 20,
            "past": "2020-01-01",
            "soon": iso_day(session_chain, 30),
            "later": iso_day(session_chain, 60),
            "rpc": session_chain.rpc_url,
            "hk_rpc": hong_kong.rpc_url,
            "registry": records["TitleRegistry:EBL"]["address"],
            "token": next(r["address"] for n, r in records.items() if n.startswith("DepositToken")),
        }
    yield World(folder, files, values, hong_kong)
    session_chain.revert(snapshot)
    hong_kong.revert(hk_snapshot)


@pytest.fixture
def deployments(world: World, tmp_path: Path, project: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the world's deployment book for one test, used by every command it runs."""
    folder = tmp_path / "deployments"
    shutil.copytree(world.folder, folder)
    monkeypatch.chdir(project.root)
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: folder))
    monkeypatch.delenv("TRADEFIN_RPC_URL", raising=False)
    monkeypatch.delenv("TRADEFIN_LEDGER_URLS", raising=False)
    monkeypatch.setenv("TRADEFIN_DEV_CHAIN_IDS", str(HONG_KONG_CHAIN_ID))
    return folder


DEV_ADDRESSES = [dev_account(i).address for i in range(len(ROLES))]


@pytest.fixture
def chain_state(session_chain: Any, hong_kong: Any) -> Callable[[], list[tuple[int, list[int]]]]:
    """``chain_state()``: on both ledgers, the block number and every role's nonce (one batch each), to show
    nothing was sent."""

    def read() -> list[tuple[int, list[int]]]:
        calls = [("eth_blockNumber", [])] + [("eth_getTransactionCount", [a, "latest"]) for a in DEV_ADDRESSES]
        states = []
        for chain in (session_chain, hong_kong):
            values = [int(r["result"], 16) for r in chain.rpc_batch(calls)]
            states.append((values[0], values[1:]))
        return states

    return read
