"""Deploy by name, per-chain records, reuse only when the code is really there."""

import json

import pytest

from tradefin.deployments import Deployments
from tradefin.errors import DeploymentError


@pytest.fixture
def book(ctx, tmp_path):
    return Deployments(ctx.transactor, ctx.build, tmp_path)


def test_deploy_records_address_tx_block_code_and_args(book, deployer, chain, tmp_path):
    probe = book.deploy(deployer, "RevertProbe", name="probe")
    saved = json.loads((tmp_path / f"{chain.chain_id}.json").read_text())
    record = saved["deployments"]["probe"]
    assert record["address"] == probe.address
    assert record["contract"] == "RevertProbe" and record["args"] == []
    assert record["block"] >= 1 and record["tx_hash"].startswith("0x") and record["gas_used"] > 0
    assert record["code_hash"].startswith("0x") and record["initcode_hash"].startswith("0x")


def test_second_deploy_reuses_the_live_one(book, deployer, ctx):
    first = book.deploy(deployer, "RevertProbe")
    again = Deployments(ctx.transactor, ctx.build, book.path.parent).deploy(deployer, "RevertProbe")
    assert again.address == first.address


def test_fresh_deploy_when_asked(book, deployer):
    first = book.deploy(deployer, "RevertProbe")
    assert book.deploy(deployer, "RevertProbe", reuse=False).address != first.address


def test_record_without_code_on_chain_is_redeployed(book, deployer, chain):
    snapshot = chain.snapshot()
    first = book.deploy(deployer, "RevertProbe")
    chain.revert(snapshot)  # the chain forgets the contract; the record does not
    with pytest.raises(DeploymentError, match="not on chain"):
        book.at("RevertProbe")
    second = book.deploy(deployer, "RevertProbe")
    assert book.at("RevertProbe").address == second.address
    assert chain.code(second.address)
    assert first.address == second.address or chain.code(first.address) == b""


def test_unknown_name_is_a_clear_error(book):
    with pytest.raises(DeploymentError, match="nothing named 'Ghost'"):
        book.at("Ghost")


def test_corrupt_record_file_is_a_clear_error(ctx, tmp_path):
    (tmp_path / f"{ctx.chain.chain_id}.json").write_text("{not json")
    with pytest.raises(DeploymentError, match="cannot read"):
        Deployments(ctx.transactor, ctx.build, tmp_path)


def test_name_of_is_the_deployment_now_at_the_address_not_a_reverted_one(book, deployer, chain):
    """A dev chain reverted to before a deployment reuses its address: the book then holds two names there, and
    only the one deployed by a transaction on this chain is the contract now at that address."""
    snapshot = chain.snapshot()
    old = book.deploy(deployer, "RevertProbe", name="old probe")
    chain.revert(snapshot)
    new = book.deploy(deployer, "RevertProbe", name="new probe", reuse=False)
    assert new.address == old.address  # same deployer, same nonce
    assert book.name_of(new.address) == "new probe"
    assert book.name_of(new.address.lower()) == "new probe"
    assert book.name_of(deployer.address) is None
