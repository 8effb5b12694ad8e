"""``tradefin demo --cross-border``: both flows end to end on two fresh chains, where title and money end up, the
journal resumes without sending anything, and two runs give byte-identical reports."""

import io
import json

import pytest
from rich.console import Console

from tradefin.bridge import PledgeStatus, TitleBridge
from tradefin.cli.main import main
from tradefin.crossborder.demo import DEMO_START, run_cross_border_demo
from tradefin.crossborder.ledgers import Ledgers
from tradefin.ebl import Status, TitleRegistry
from tradefin.flows.crossborder import AMOUNT, CROSS_BORDER_FLOWS
from tradefin.flows.journal import Journal
from tradefin.flows.ledgers import LedgerRunner
from tradefin.money import DepositToken


def _event(record, step: str, name: str) -> dict:
    return next(s for s in record.results if s.name == step).event(name)


def _address(result, flow: str, step: str) -> str:
    record = next(r for r in result.records if r.name == flow)
    return next(s.contract_address for s in record.results if s.name == step)


def _run(project, folder, check=None):
    out = io.StringIO()
    with Ledgers.open(project, genesis_timestamp=DEMO_START, deployments_dir=folder / "deployments") as ledgers:
        result = run_cross_border_demo(
            ledgers, Console(file=out, width=200, highlight=False), work_dir=folder, report_dir=folder / "reports"
        )
        if check is not None:
            check(ledgers, result)
    return result, out.getvalue()


def _check_state(ledgers, result) -> None:
    sh, hk = ledgers["shanghai"], ledgers["hong-kong"]
    assert (sh.chain.chain_id, hk.chain.chain_id) == (31337, 31338)
    bridged, dvp = result.records
    bill = int(_event(bridged, "issue bill", "TitleIssued")["id"], 16)
    # the Shanghai copy is final (locked to the bridge for good), the Hong Kong copy was delivered and accomplished
    sh_bridge = TitleBridge.at(sh, _address(result, "bridge-and-settle", "deploy bridge shanghai"))
    pledge_id = bytes.fromhex(_event(bridged, "pledge to hong kong", "BillPledged")["pledgeId"][2:])
    assert sh_bridge.pledge_of(pledge_id).status is PledgeStatus.CONFIRMED
    assert sh_bridge.holds_lock(bill)
    hk_registry = TitleRegistry.at(hk, _address(result, "bridge-and-settle", "deploy registry hong-kong"))
    assert hk_registry.status(bill) is Status.ACCOMPLISHED
    hk_bridge = TitleBridge.at(hk, _address(result, "bridge-and-settle", "deploy bridge hong-kong"))
    assert hk_bridge.provenance(bill).source_chain_id == 31337
    # delivery versus payment: the HKD went to the shipper twice (collection, then the hash-time lock), the second
    # bill to the buyer, who surrendered it in Shanghai
    hkd = DepositToken.at(hk, _address(result, "bridge-and-settle", "deploy collecting_bank HKD"))
    assert hkd.balance_of(hk.accounts.address("shipper")) == 2 * AMOUNT
    assert hkd.balance_of(hk.accounts.address("buyer")) == 0
    second = int(_event(dvp, "issue bill", "TitleIssued")["id"], 16)
    sh_registry = TitleRegistry.at(sh, _address(result, "bridge-and-settle", "deploy registry"))
    assert sh_registry.status(second) is Status.ACCOMPLISHED
    # every step of both runs is journaled: resuming them sends nothing and gives the same transactions
    journal = Journal(result.report.parent.parent / "flows.sqlite")
    try:
        runner = LedgerRunner(ledgers, journal, CROSS_BORDER_FLOWS)
        for record in result.records:
            again = runner.resume(record.run_id)
            assert [r.tx_hash for r in again.results] == [r.tx_hash for r in record.results]
            assert [r.chain for r in again.results] == [r.chain for r in record.results]
    finally:
        journal.close()


def test_the_cross_border_demo_end_to_end_twice_gives_the_same_report(project, tmp_path):
    first, timeline = _run(project, tmp_path / "one", _check_state)
    second, _ = _run(project, tmp_path / "two")
    assert first.report.name == "cross-border.html"
    one = first.report.with_suffix(".json").read_bytes()
    assert one == second.report.with_suffix(".json").read_bytes()
    assert first.report.read_bytes() == second.report.read_bytes()

    data = json.loads(one)
    assert data["ledgers"]["shanghai"]["chain_id"] == 31337
    assert data["ledgers"]["hong-kong"]["chain_id"] == 31338
    steps = {(f["name"], s["name"]): s for f in data["flows"] for s in f["steps"]}
    assert steps[("bridge-and-settle", "claim in hong kong")]["chain"] == "hong-kong"
    assert steps[("bridge-and-settle", "claim in hong kong")]["party"] == "relayer"
    assert steps[("bridge-and-settle", "confirm in shanghai")]["chain"] == "shanghai"
    assert steps[("cross-chain-dvp", "reveal secret")]["chain"] == "hong-kong"
    assert steps[("cross-chain-dvp", "claim bill")]["chain"] == "shanghai"
    # one pinned clock across both ledgers: every step ten minutes after the one before
    times = [s["timestamp"] for f in data["flows"] for s in f["steps"]]
    assert times == [DEMO_START + 1 + 600 * i for i in range(len(times))]
    assert data["gas"]["total"] == sum(data["gas"]["by_ledger"].values()) == first.gas
    title = [(m["ledger"], m["detail"]) for m in data["movements"] if m["kind"] == "title"]
    assert ("shanghai", "pledged to the bridge (for hong-kong)") in title
    assert ("hong-kong", "claimed from the bridge: issued here with provenance (from shanghai)") in title
    assert ("shanghai", "claim attested: this copy final") in title
    money = [(m["ledger"], m["sender"], m["receiver"]) for m in data["movements"] if m["kind"] == "money"]
    assert ("hong-kong", "buyer", "shipper") in money
    assert ("hong-kong", "htlc · hong-kong", "shipper") in money

    lines = timeline.splitlines()
    assert any("hong-kong" in line and "relayer" in line and "claims the bill" in line for line in lines)
    assert any("shanghai" in line and "buyer" in line and "secret read in Hong Kong" in line for line in lines)
    page = first.report.read_text()
    assert "registry · hong-kong" in page and "[shanghai]" in page and "Gas per ledger" in page


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--ledger-url", "shanghai=http://127.0.0.1:1"], "add --cross-border"),
        (["demo", "--cross-border", "--rpc-url", "http://127.0.0.1:1"], "--ledger-url LEDGER=URL"),
        (["demo", "--cross-border", "--ledger-url", "tokyo=http://127.0.0.1:1"], "unknown ledger 'tokyo'"),
        (["demo", "--cross-border", "--ledger-url", "shanghai=http://127.0.0.1:1"], "missing hong-kong"),
        (["demo", "--cross-border", "--ledger-url", "shanghai"], "takes LEDGER=URL"),
        (["demo", "--state-dir", "chains"], "add --cross-border"),
        (["demo", "--cross-border", "--state-file", "chain.json"], "or --state-dir DIR"),
        (["demo", "--cross-border", "--resume"], "--state-dir DIR (local chains kept there)"),
        (
            [
                *("demo", "--cross-border", "--state-dir", "x"),
                *("--ledger-url", "shanghai=http://127.0.0.1:1", "--ledger-url", "hong-kong=http://127.0.0.1:2"),
            ],
            "--state-dir is for local chains",
        ),
    ],
)
def test_demo_cross_border_option_errors_are_one_line(capsys, argv, message):
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
